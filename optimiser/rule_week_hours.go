package optimiser

// weekHoursRule forbids a carer more paid time in a week of the period
// (days 0-6, 7-13, ...) than carerInfo.weekCapS allows: the rules'
// max_week_hours (48 by default) unless they have opted out
// (wtr_opt_out), and their contract's max_hours, pro-rated for a last week
// of fewer than seven days, as roster.Check's week_hours and
// contract_hours count them. Paid time is each round's departure to
// return, less its rest break.
type weekHoursRule struct{}

var _ weekRule = weekHoursRule{}

func (weekHoursRule) name() string {
	return "paid time in each week within the 48-hour week and the contract"
}

// binds: some carer's cap for a week is less than their shifts in it
// last, which paid time cannot exceed.
func (weekHoursRule) binds(p *problem) bool {
	for c := range p.carers {
		ci := &p.carers[c]
		for w, capS := range ci.weekCapS {
			if capS < 0 {
				continue
			}
			span := int64(0)
			for _, v := range ci.vehicles[ci.dayFrom[7*w]:ci.dayFrom[min(7*w+7, p.days)]] {
				span += int64(p.vehicles[v].close - p.vehicles[v].open)
			}
			if span > capS {
				return true
			}
		}
	}
	return false
}

func (weekHoursRule) holds(s *solution, c int) bool {
	p := s.p
	ci := &p.carers[c]
	for w, capS := range ci.weekCapS {
		if capS < 0 {
			continue
		}
		from, to := 7*w, min(7*w+7, p.days)
		sum := int64(0)
		for _, v := range ci.vehicles[ci.dayFrom[from]:ci.dayFrom[to]] {
			sum += int64(s.paid(int(v)))
		}
		if sum > capS {
			return false
		}
	}
	return true
}
