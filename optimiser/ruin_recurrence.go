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
	for _, vis := range r.p.careVisits[e] {
		r.remove(s, r.p.visits[vis].job)
	}
}
