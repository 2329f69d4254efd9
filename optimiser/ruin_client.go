package optimiser

// nearClients removes every visit of the seed's client over the period and
// of the clients of the visits nearest it, until about q visits are out:
// with a client's visits held to few carers (max_distinct_carers), two
// clients can change carers only when both are out at once, which no
// ruin of one client or of one day allows. The seed may be unserved, so
// that a client left out can take another's place.
func (r *ruiner) nearClients(s *solution, seed int32, q int) {
	vis := r.p.tasks[seed].visit
	r.client(s, seed)
	for _, n := range r.near[vis] {
		if len(r.removed) >= q {
			return
		}
		if r.rng.Float64() < 0.2 {
			continue
		}
		r.client(s, r.p.visits[n].legs[0])
	}
}

// client removes every visit of the seed's client over the period, so that
// recreating them can give the client fewer carers.
func (r *ruiner) client(s *solution, seed int32) {
	for _, vis := range r.p.clientVisits[r.p.visits[r.p.tasks[seed].visit].client] {
		r.remove(s, r.p.visits[vis].job)
	}
}
