package optimiser

// client removes every visit of the seed's client over the period, so that
// recreating them can give the client fewer carers.
func (r *ruiner) client(s *solution, seed int32) {
	for _, vis := range r.p.clientVisits[r.p.visits[r.p.tasks[seed].visit].client] {
		r.remove(s, r.p.visits[vis].job)
	}
}
