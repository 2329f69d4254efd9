package optimiser

// weeklyRestRule forbids a whole week of the period (seven days from day
// 0, 7, ...) in which a carer who works has no uninterrupted rest of
// rules.min_weekly_rest_h, as roster.Check's weekly_rest measures it: the
// longest stretch inside the week, from its first instant to its end,
// covered by none of the carer's rounds (each departure to return,
// whatever day it belongs to), the week's edges counting as ends of a
// rest. A last week of fewer than seven days is not judged.
type weeklyRestRule struct{}

var _ weekRule = weeklyRestRule{}

func (weeklyRestRule) name() string { return "the weekly rest in each whole week" }

// binds: there is a rule and a whole week to judge.
func (weeklyRestRule) binds(p *problem) bool { return p.weeklyRestS > 0 && p.days >= 7 }

func (weeklyRestRule) holds(s *solution, c int) bool {
	p := s.p
	need := p.weeklyRestS
	if need == 0 {
		return true
	}
	ci := &p.carers[c]
	for w := 0; w < p.weeks(); w++ {
		if p.weekDays(w) < 7 {
			continue
		}
		from, to := p.dayStart[7*w], p.dayStart[7*w+7]
		cursor, best, worked := from, int32(0), false
		// Rounds of the days either side may reach into the week.
		lo, hi := ci.dayFrom[max(0, 7*w-2)], ci.dayFrom[min(p.days, 7*w+8)]
		for _, v := range ci.vehicles[lo:hi] {
			if len(s.routes[v]) == 0 {
				continue
			}
			dep, ret := max(s.depart[v], from), min(s.ret[v], to)
			if ret <= dep {
				continue
			}
			worked = true
			best = max(best, dep-cursor)
			cursor = max(cursor, ret)
		}
		if worked && max(best, to-cursor) < need {
			return false
		}
	}
	return true
}
