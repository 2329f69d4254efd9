package optimiser

// Carer rules are the hard rules over one carer's rounds, each one type in
// a rule_*.go file: rules over one day of the period (carerRule,
// registered in carerRules) and rules over the carer's whole period
// (weekRule, registered in weekRules). After every change to the
// schedule, settle times the days whose rounds moved (timeDay), only
// those, and asks each day rule whether the day keeps it; a rule that can
// mend a day (the rest break, by placing one) may change the schedule
// once, after which the day is timed again and every rule asked again.
// Then the week rules read the carer's timed rounds over the period.

// carerRule is a hard rule over one carer's day.
type carerRule interface {
	// name says what the rule forbids, for documentation and tests.
	name() string
	// holds reports whether carer c's day, as timed in d, keeps the rule.
	holds(p *problem, c int, d *carerDay) bool
}

// carerRepairer is a carerRule that can make a day keep it by changing
// the schedule. repair reports false when it cannot; the schedule may then
// have changed, and the caller rejects it.
type carerRepairer interface {
	repair(s *solution, c int, d *carerDay) bool
}

// carerRules registers the day rules, one line per rule, in the order
// they are asked.
func carerRules() []carerRule {
	return []carerRule{
		workingTimeRule{},
		restBreakRule{},
	}
}

// weekRule is a hard rule over all of one carer's rounds in the period,
// read once every day they work has been timed: each round's departure
// (s.depart), return (s.ret) and paid time (s.paid).
type weekRule interface {
	// name says what the rule forbids, for documentation and tests.
	name() string
	// holds reports whether carer c's rounds keep the rule.
	holds(s *solution, c int) bool
	// binds reports whether some plan of p could break the rule; one that
	// cannot (a rest between days in a one-day document) is not asked.
	binds(p *problem) bool
}

// weekRules registers the rules over the period, in the order they are
// asked.
func weekRules() []weekRule {
	return []weekRule{
		weekHoursRule{},
		dailyRestRule{},
		weeklyRestRule{},
	}
}

// bindingWeekRules is weekRules less those no plan of p could break.
func (p *problem) bindingWeekRules() []weekRule {
	var out []weekRule
	for _, r := range weekRules() {
		if r.binds(p) {
			out = append(out, r)
		}
	}
	return out
}

// carerDay is what the rules read of a carer's day once timeDay has moved
// every visit as late as it can go.
type carerDay struct {
	paidS int32 // paid time of the carer's rounds on the day
	// hasBreak: a placed break, an idle period between two visits, or a
	// gap between two rounds, at least the carer's break long.
	hasBreak bool
	// The visit after which a break would go, should the day need one
	// and have none: the one followed by the longest idle period, else
	// the middle visit of the first round with two; slotV < 0 for none.
	slotV, slotAfter int
}

// timeDay compresses each round of carer c on day day (see compress:
// departures as late as the round allows) and gathers what the day rules
// read into d.
func (s *solution) timeDay(c, day int, d *carerDay) {
	p := s.p
	ci := &p.carers[c]
	var cs [256]int32
	buf := cs[:]
	*d = carerDay{slotV: -1, slotAfter: -1}
	bestGap := int32(-1)
	prevRet := int32(-1)
	for _, v := range ci.vehicles[ci.dayFrom[day]:ci.dayFrom[day+1]] {
		s.mark(v) // compress sets its departure
		if n := len(s.routes[v]); n > len(buf) {
			buf = make([]int32, n)
		}
		gap, after := s.compress(int(v), buf)
		if len(s.routes[v]) == 0 {
			continue
		}
		d.paidS += s.paid(int(v))
		if s.brk[v] >= 0 {
			d.hasBreak = true
		}
		if prevRet >= 0 && ci.breakDurS > 0 && s.depart[v]-prevRet >= ci.breakDurS {
			d.hasBreak = true
		}
		prevRet = s.ret[v]
		if gap >= ci.breakDurS {
			d.hasBreak = true
		}
		if after >= 0 && gap > bestGap {
			bestGap, d.slotV, d.slotAfter = gap, int(v), after
		} else if d.slotV < 0 && len(s.routes[v]) > 1 {
			bestGap, d.slotV, d.slotAfter = 0, int(v), len(s.routes[v])/2-1
		}
	}
}

// allDays is the mask of every day of a period, for keepCarerDays.
const allDays = ^uint32(0)

// keepCarerRules reports whether carer c keeps every carer rule on every
// day and over the period, letting each rule that can mend a day do so
// once.
func (s *solution) keepCarerRules(c int) bool { return s.keepCarerDays(c, allDays) }

// keepCarerDays times the days of carer c in mask (bit d for day d), asks
// the day rules of each, then the week rules over the period.
func (s *solution) keepCarerDays(c int, mask uint32) bool {
	p := s.p
	for day := 0; day < p.days; day++ {
		if mask&(1<<day) == 0 || p.carers[c].dayFrom[day] == p.carers[c].dayFrom[day+1] {
			continue
		}
		if !s.keepDayRules(c, day) {
			return false
		}
	}
	for _, r := range p.weekRules {
		if !r.holds(s, c) {
			return false
		}
	}
	return true
}

// keepDayRules reports whether carer c's day keeps every day rule, letting
// each rule that can mend the day do so once.
func (s *solution) keepDayRules(c, day int) bool {
	d := &s.day // not a local: the rules' interface calls would move it to the heap
	s.timeDay(c, day, d)
	repaired := uint64(0) // per rule index, whether it has mended the day
	rules := s.p.rules
	for i := 0; i < len(rules); i++ {
		if rules[i].holds(s.p, c, d) {
			continue
		}
		r, ok := rules[i].(carerRepairer)
		if !ok || repaired&(1<<i) != 0 || !r.repair(s, c, d) {
			return false
		}
		repaired |= 1 << i
		// The mended schedule may break a rule asked before; time the day
		// again and ask every rule again.
		s.timeDay(c, day, d)
		i = -1
	}
	return true
}

// settle checks the carers of every round touched since the last settle
// against the carer rules, which may place rest breaks. Placing a break
// can move tied rounds of other carers, so it repeats until nothing is
// touched.
func (s *solution) settle() bool {
	p := s.p
	for {
		again := false
		for c := range p.carers {
			mask := uint32(0)
			for _, v := range p.carers[c].vehicles {
				if s.touched[v] {
					mask |= 1 << p.vehicles[v].day
					s.touched[v] = false
					if p.spreadCapS >= 0 {
						s.touchCare(v)
					}
				}
			}
			if mask != 0 {
				again = true
				if !s.keepCarerDays(c, mask) {
					for v := range s.touched {
						s.touched[v] = false
					}
					s.clearCare()
					return false
				}
			}
		}
		if !again {
			return s.spreadsHold()
		}
	}
}
