package optimiser

// dailyRestRule forbids less than rules.min_daily_rest_h between the last
// return of one day the carer works and the first departure of the next
// day they work, as roster.Check's daily_rest measures it: a round is its
// day's work, even when it runs past midnight.
type dailyRestRule struct{}

var _ weekRule = dailyRestRule{}

func (dailyRestRule) name() string { return "the daily rest between the days a carer works" }

// binds: there is a rule and more than one day to rest between.
func (dailyRestRule) binds(p *problem) bool { return p.dailyRestS > 0 && p.days > 1 }

func (dailyRestRule) holds(s *solution, c int) bool {
	p := s.p
	need := p.dailyRestS
	if need == 0 {
		return true
	}
	ci := &p.carers[c]
	prevEnd, worked := int32(0), false
	for day := 0; day < p.days; day++ {
		first, end, any := int32(0), int32(0), false
		for _, v := range ci.vehicles[ci.dayFrom[day]:ci.dayFrom[day+1]] {
			if len(s.routes[v]) == 0 {
				continue
			}
			if !any {
				first, end, any = s.depart[v], s.ret[v], true
			}
			end = max(end, s.ret[v])
		}
		if !any {
			continue
		}
		if worked && first-prevEnd < need {
			return false
		}
		prevEnd, worked = end, true
	}
	return true
}
