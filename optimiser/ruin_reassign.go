package optimiser

// reassign removes every visit of the seed's recurring call (or, for a
// visit of none, its client's visits) and names as focus the carer who serves the
// client most, a carer of the seed's visit in a tie broken at random, so
// that recreate offers the removed visits to that carer first
// (inserter.focus): a whole recurrence moves to one carer where it can.
func (r *ruiner) reassign(s *solution, seed int32) {
	p := r.p
	cl := p.visits[p.tasks[seed].visit].client
	// Count each carer's legs among the client's visits.
	best, bestN := p.vehicles[s.veh[seed]].carer, 0
	var counts [64]int32 // carers seen, in order, with their legs
	var ids [64]int32
	n := 0
	for _, vis := range p.clientVisits[cl] {
		for _, t := range p.visits[vis].legs {
			v := s.veh[t]
			if v < 0 {
				continue
			}
			c := p.vehicles[v].carer
			i := 0
			for i < n && ids[i] != c {
				i++
			}
			if i == n {
				if n == len(ids) {
					continue
				}
				ids[n] = c
				n++
			}
			counts[i]++
			if int(counts[i]) > bestN || (int(counts[i]) == bestN && r.rng.IntN(2) == 0) {
				best, bestN = c, int(counts[i])
			}
		}
	}
	r.recurrence(s, seed)
	r.focus = best
}

// focusFirst offers each one-leg job of todo to carer c alone, in the
// order given, and returns the jobs still to insert.
func focusFirst(ins *inserter, todo []int32, c int32) []int32 {
	p := ins.s.p
	ins.only = c
	ins.blink = 0
	rest := todo[:0]
	for _, j := range todo {
		if len(p.jobs[j].tasks) == 1 && ins.insertBest(j) {
			continue
		}
		rest = append(rest, j)
	}
	ins.only = -1
	return rest
}
