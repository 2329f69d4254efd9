package optimiser

import "github.com/rounds-dev/rounds/roster"

// Re-planning starts from an earlier plan for (a changed version of) the
// same day: every visit it served that is still to be served goes back to
// the same carer, in the same order, and serving a visit with any other
// carer costs Weights.Moved, so that the search changes rounds only where
// the change pays for itself. Visits that are new, or whose carer has gone,
// are inserted where they fit best.

// previousCarers lists, per visit of p, the carers who served it in prev,
// by index; nil for a visit prev did not serve.
func (p *problem) previousCarers(prev *roster.Plan) [][]int32 {
	ix := roster.NewIndex(p.in)
	out := make([][]int32, len(p.visits))
	for _, r := range prev.Rounds {
		k, ok := ix.Carer[r.Carer]
		if !ok {
			continue
		}
		for _, st := range r.Stops {
			if v, ok := ix.Visit[st.Visit]; ok {
				out[v] = append(out[v], int32(k))
			}
		}
	}
	return out
}

// applyPrevious adds the cost of moving each visit away from the carers
// who served it in prev.
func (p *problem) applyPrevious(prev *roster.Plan) {
	for v, carers := range p.previousCarers(prev) {
		if len(carers) == 0 {
			continue
		}
		for k := 0; k < p.nCarers; k++ {
			kept := false
			for _, c := range carers {
				kept = kept || c == int32(k)
			}
			if !kept {
				p.prefCost[v*p.nCarers+k] += p.w.Moved
			}
		}
	}
}

// previousRoutes returns prev's rounds as task ids per vehicle, keeping
// only whole jobs that are open to the search: a double-handed visit one of
// whose carers has gone, or a visit that can no longer be served, is left
// out, to be inserted afresh.
func (p *problem) previousRoutes(prev *roster.Plan, open []int32) [][]int32 {
	ix := roster.NewIndex(p.in)
	routes := make([][]int32, len(p.vehicles))
	used := make([]int, len(p.visits)) // legs of each visit placed so far
	placed := make([]int, len(p.jobs))
	for _, r := range prev.Rounds {
		k, ok := ix.Carer[r.Carer]
		if !ok || r.Shift < 0 || r.Shift >= len(p.carers[k].vehicles) {
			continue
		}
		veh := p.carers[k].vehicles[r.Shift]
		for _, st := range r.Stops {
			v, ok := ix.Visit[st.Visit]
			if !ok || used[v] >= len(p.visits[v].legs) {
				continue
			}
			t := p.visits[v].legs[used[v]]
			used[v]++
			routes[veh] = append(routes[veh], t)
			placed[p.tasks[t].job]++
		}
	}
	isOpen := make([]bool, len(p.jobs))
	for _, j := range open {
		isOpen[j] = true
	}
	for v, r := range routes {
		kept := r[:0]
		for _, t := range r {
			j := p.tasks[t].job
			if isOpen[j] && placed[j] == len(p.jobs[j].tasks) {
				kept = append(kept, t)
			}
		}
		routes[v] = kept
	}
	return routes
}

// seed puts the previous rounds into s, less the visits that would leave a
// leg longer than the carer's maximum leg (a limit that is new, or a visit
// whose neighbour has gone). It reports false, leaving s empty, when they
// cannot be timed as they stand under the changed day.
func (s *solution) seed(routes [][]int32) bool {
	for v, r := range routes {
		for _, t := range r {
			s.insertTask(t, v, len(s.routes[v]))
		}
	}
	s.trimLongLegs()
	if s.reschedule() && s.allDistinctCarersHold() {
		s.refreshLatest()
		return true
	}
	for _, r := range routes {
		for _, t := range r {
			s.removeTask(t)
		}
	}
	s.reschedule()
	return false
}
