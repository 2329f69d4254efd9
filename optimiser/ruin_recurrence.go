package optimiser

// recurrence removes every visit of the recurring call of the seed's visit
// (its care entry, or its series of dated visits), so that recreating
// them, guided by the continuity terms' estimates, can put them on one
// carer at one time of day. A visit of no recurring call has none: its
// client's visits go instead (client).
func (r *ruiner) recurrence(s *solution, seed int32) {
	e := r.p.visits[r.p.tasks[seed].visit].care
	if e < 0 {
		r.client(s, seed)
		return
	}
	r.removeEntry(s, e)
}

// removeEntry removes every visit of recurring call e.
func (r *ruiner) removeEntry(s *solution, e int32) {
	for _, vis := range r.p.careVisits[e] {
		r.remove(s, r.p.visits[vis].job)
	}
}

// releaseSpreads removes, after a ruin whose schedule breaks the call-time
// spread cap, every visit of each recurring call that breaks it: taking
// visits out of a round moves the later ones, and without waiting they
// cannot stay where their calls on other days are. It reports whether it
// removed any, so that the schedule is worth timing again.
func (r *ruiner) releaseSpreads(s *solution) bool {
	r.broken = s.brokenSpreads(r.broken[:0])
	n := len(r.removed)
	for _, e := range r.broken {
		r.removeEntry(s, e)
	}
	return len(r.removed) > n
}
