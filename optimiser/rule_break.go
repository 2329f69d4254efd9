package optimiser

// restBreakRule forbids a day whose paid time exceeds the carer's break
// threshold (roster.BreakRule.AfterWorkingMin) without a rest break of the
// rule's length: an idle period between two visits, a gap between two
// rounds, or a break placed in a round. It mends a day that has none by
// placing one (placeBreak). It has no pre-filter for insertion.
type restBreakRule struct{}

var (
	_ carerRule     = restBreakRule{}
	_ carerRepairer = restBreakRule{}
)

func (restBreakRule) name() string { return "a rest break when the day's paid time calls for one" }

func (restBreakRule) holds(p *problem, c int, d *carerDay) bool {
	ci := &p.carers[c]
	return ci.breakAftS == 0 || d.paidS <= ci.breakAftS || d.hasBreak
}

func (restBreakRule) repair(s *solution, _ int, d *carerDay) bool {
	return s.placeBreak(d.slotV, d.slotAfter)
}

// placeBreak puts a rest break in vehicle v's round after its visit at
// position after, and lets the schedule move (a break is unpaid but takes
// time, so later visits and tied rounds may start later). It reports false
// when there is no place for one (v < 0) or the moved schedule breaks a
// hard rule.
func (s *solution) placeBreak(v, after int) bool {
	if v < 0 {
		return false
	}
	s.brk[v] = s.routes[v][after]
	s.enqueue(int32(v))
	return s.propagate()
}
