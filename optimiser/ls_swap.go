package optimiser

// Swap exchanges two tasks of different rounds, each taking the other's
// place (docs/DESIGN-search.md, section 2): a move that relocation makes
// only in two steps, the first of which may not pay.

// swap exchanges task u with task t, its near visit on another round.
func (ls *localSearch) swap(u, t int32) bool {
	s := ls.s
	p := s.p
	a, b := s.veh[u], s.veh[t]
	if a == b || ls.tied[a] || ls.tied[b] || !ls.mayTake(a, t) || !ls.mayTake(b, u) {
		return false
	}
	vu, vt := &p.visits[p.tasks[u].visit], &p.visits[p.tasks[t].visit]
	va, vb := &p.vehicles[a], &p.vehicles[b]
	if (va.capacity > 0 && s.load[a]-vu.load+vt.load > va.capacity) || (vb.capacity > 0 && s.load[b]-vt.load+vu.load > vb.capacity) {
		return false
	}
	i, j := int(ls.pos[u]), int(ls.pos[t])
	ra, rb := s.routes[a], s.routes[b]
	dt := ls.replaced(a, ra, i, vt.pt) + ls.replaced(b, rb, j, vu.pt)
	if !ls.worth(dt, 0) || !s.fitsBetween(t, a, i, i+1) || !s.fitsBetween(u, b, j, j+1) {
		return false
	}
	s.removeTask(u)
	s.removeTask(t)
	s.insertTask(t, int(a), i)
	s.insertTask(u, int(b), j)
	ls.moved = append(ls.moved[:0], u, t)
	return ls.keep(ls.retime(a, b, ls.moved))
}

// replaced is the change in round v's travel when its i-th task gives way
// to a visit at point pt.
func (ls *localSearch) replaced(v int32, r []int32, i int, pt int32) int32 {
	s := ls.s
	p := s.p
	veh := &p.vehicles[v]
	prev, _ := s.pointAfter(v, i)
	next := s.pointOf(v, r, i+1)
	old := p.visits[p.tasks[r[i]].visit].pt
	return p.travel(veh, prev, pt) + p.travel(veh, pt, next) - p.travel(veh, prev, old) - p.travel(veh, old, next)
}
