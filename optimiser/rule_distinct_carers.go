package optimiser

import "slices"

// The distinct-carer cap is a hard rule keyed by client, not carer: a
// client sees at most problem.clientCap distinct carers over the period
// (their max_carers, else rules.max_distinct_carers), each carer of a
// double-handed visit counting, as roster.Check's distinct_carers counts
// them. Insertion refuses a leg on a carer new to a client at its cap
// (legPlaces); the legs of one job may each bring in a new carer, so apply
// asks the rule again of the clients of the job it placed. Removing a
// visit never breaks it. The count is read from the plan itself (each of
// the client's visits' legs), so the rule keeps no state of its own.

// clientCarers appends to buf the distinct carers serving client cl's
// visits.
func (s *solution) clientCarers(cl int32, buf []int32) []int32 {
	p := s.p
	buf = buf[:0]
	for _, vis := range p.clientVisits[cl] {
		for _, t := range p.visits[vis].legs {
			if v := s.veh[t]; v >= 0 {
				if c := p.vehicles[v].carer; !slices.Contains(buf, c) {
					buf = append(buf, c)
				}
			}
		}
	}
	return buf
}

// distinctCarersHold reports whether the clients of job j's visits each see
// no more carers than their cap.
func (s *solution) distinctCarersHold(j int32) bool {
	p := s.p
	for _, vis := range p.jobs[j].visits {
		cl := p.visits[vis].client
		if limit := p.clientCap[cl]; limit > 0 {
			if s.carerBuf = s.clientCarers(cl, s.carerBuf); len(s.carerBuf) > int(limit) {
				return false
			}
		}
	}
	return true
}

// allDistinctCarersHold reports whether every client keeps its cap, for a
// plan built other than by insertion (the rounds of a previous plan).
func (s *solution) allDistinctCarersHold() bool {
	p := s.p
	for cl, limit := range p.clientCap {
		if limit > 0 {
			if s.carerBuf = s.clientCarers(int32(cl), s.carerBuf); len(s.carerBuf) > int(limit) {
				return false
			}
		}
	}
	return true
}
