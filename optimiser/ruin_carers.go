package optimiser

// carers removes every visit of the seed's carer over the period and then,
// whole, of the carers serving the visits nearest the seed, until at
// least two carers' visits and about q visits are out: with each client
// held to one carer, moving clients between two carers whose rounds are
// full (capacity, a shift) needs both carers' clients out at once, and
// recreating them client by client (recreateByClient) can split them
// between the two afresh.
func (r *ruiner) carers(s *solution, seed int32, q int) {
	p := r.p
	vis := p.tasks[seed].visit
	first := p.vehicles[s.veh[seed]].carer
	r.carer(s, first)
	n := 1
	for _, nb := range r.near[vis] {
		if n >= 2 && len(r.removed) >= q {
			return
		}
		for _, t := range p.visits[nb].legs {
			if v := s.veh[t]; v >= 0 {
				r.carer(s, p.vehicles[v].carer)
				n++
			}
		}
	}
}

// carer removes every visit of carer c over the period but those a
// freeze fixes.
func (r *ruiner) carer(s *solution, c int32) {
	for _, v := range r.p.carers[c].vehicles {
		for i := 0; i < len(s.routes[v]); {
			n := len(s.routes[v])
			r.remove(s, r.p.tasks[s.routes[v][i]].job)
			if len(s.routes[v]) == n {
				i++ // kept: frozen
			}
		}
	}
}
