package optimiser

// latenessTerm costs soft visits that start after their last window
// closed: Weights.Lateness per minute late, times the visit's own
// lateness_cost (visitInfo.lateCost, per second). Its estimate is the leg's
// own lateness at the earliest start it can have, plus, when the leg pushes
// the next visit of its round beyond that visit's slack, the push once at
// Weights.Lateness per minute: a lower bound on what the rest of the round
// loses.
type latenessTerm struct{ perMin float64 }

var (
	_ costTerm    = latenessTerm{}
	_ visitCoster = latenessTerm{}
)

func (latenessTerm) name() string { return "lateness" }

func (t latenessTerm) visitCost(s *solution, _ int, k int32) float64 {
	vi := &s.p.visits[s.p.tasks[k].visit]
	if !vi.soft {
		return 0
	}
	return t.cost(vi, vi.lateness(s.start[k]))
}

// cost is the term's part for a soft visit late by lateS seconds, for the
// walk over a day that has worked out the lateness already.
func (latenessTerm) cost(vi *visitInfo, lateS int32) float64 {
	return float64(lateS) * vi.lateCost
}

func (t latenessTerm) estimate(_ *solution, at *insertion) float64 {
	d := 0.0
	if at.vi.soft {
		d += float64(at.vi.lateness(at.start)) * at.vi.lateCost
	}
	if at.pushS > 0 {
		d += float64(at.pushS) * t.perMin / 60
	}
	return d
}
