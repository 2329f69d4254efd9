package optimiser

// Relocate moves one task to beside one of its nearest visits, before or
// after it, in its own round or another, or into an empty round
// (docs/DESIGN-search.md, sections 2 and 3).

// relocate moves task u next to task t on round b: after it, or before.
func (ls *localSearch) relocate(u, b, t int32, after bool) bool {
	q := int(ls.pos[t])
	if after {
		q++
	}
	return ls.relocateAt(u, b, q)
}

// relocateEmpty moves task u into round b, which is empty.
func (ls *localSearch) relocateEmpty(u, b int32) bool {
	return ls.relocateAt(u, b, 0)
}

// relocateAt moves task u to position q of round b (counted before u
// leaves its round), if the screen passes and the exact cost falls.
func (ls *localSearch) relocateAt(u, b int32, q int) bool {
	s := ls.s
	p := s.p
	a := s.veh[u]
	if ls.tied[a] || ls.tied[b] {
		return false
	}
	ra := s.routes[a]
	i := int(ls.pos[u])
	if a == b && (q == i || q == i+1) {
		return false
	}
	vi := &p.visits[p.tasks[u].visit]
	va := &p.vehicles[a]
	// Out of its place...
	prev, _ := s.pointAfter(a, i)
	next := s.pointOf(a, ra, i+1)
	dt := p.travel(va, prev, next) - p.travel(va, prev, vi.pt) - p.travel(va, vi.pt, next)
	carers := 0
	if a == b {
		// ...and into the round without it, whose x-th task is ra[x]
		// before u and ra[x+1] after.
		if q > i {
			q--
		}
		left, right := va.startPt, va.endPt
		if q > 0 {
			left = s.pointOf(a, ra, skip(q-1, i))
		}
		if q < len(ra)-1 {
			right = s.pointOf(a, ra, skip(q, i))
		}
		dt += p.travel(va, left, vi.pt) + p.travel(va, vi.pt, right) - p.travel(va, left, right)
	} else {
		if !ls.mayTake(b, u) {
			return false
		}
		vb := &p.vehicles[b]
		if vb.capacity > 0 && s.load[b]+vi.load > vb.capacity {
			return false
		}
		if len(ra) == 1 {
			// An emptied round travels nothing, not from start to end.
			dt = -ls.rt[a]
			carers += ls.carerChange(a, false)
		}
		// ...and into round b.
		rb := s.routes[b]
		left, _ := s.pointAfter(b, q)
		right := s.pointOf(b, rb, q)
		dt += p.travel(vb, left, vi.pt) + p.travel(vb, vi.pt, right)
		if len(rb) == 0 {
			carers += ls.carerChange(b, true)
		} else {
			dt -= p.travel(vb, left, right)
		}
	}
	// The windows are screened only between rounds: within one, the
	// round's own latest starts no longer hold once u has left it.
	if !ls.worth(dt, carers) || (a != b && !s.fitsAt(u, b, q)) {
		return false
	}
	s.removeTask(u)
	s.insertTask(u, int(b), q)
	ls.moved = append(ls.moved[:0], u)
	return ls.keep(ls.retime(a, b, ls.moved))
}

// skip is the index in a round of the x-th task of the round without its
// i-th.
func skip(x, i int) int {
	if x < i {
		return x
	}
	return x + 1
}

// pointOf is the point of round v's x-th task, r being its tasks, or its
// end point when x is past the last.
func (s *solution) pointOf(v int32, r []int32, x int) int32 {
	if x >= len(r) {
		return s.p.vehicles[v].endPt
	}
	return s.p.visits[s.p.tasks[r[x]].visit].pt
}

// fitsAt screens task u at position q of another round b by the windows
// (fitsBetween).
func (s *solution) fitsAt(u, b int32, q int) bool { return s.fitsBetween(u, b, q, q) }

// fitsBetween screens task u in round b after its first n tasks and
// before its next-th (the round's end when next is past its last): u must
// start within its windows, without lateness if soft, and the task it
// goes before must keep its latest start and its slack before lateness
// (fitsBefore).
func (s *solution) fitsBetween(u, b int32, n, next int) bool {
	p := s.p
	vb := &p.vehicles[b]
	vi := &p.visits[p.tasks[u].visit]
	prev, free := s.pointAfter(b, n)
	st, ok := vi.earliestStart(free + p.travel(vb, prev, vi.pt))
	if !ok || (vi.soft && vi.lateness(st) > 0) {
		return false
	}
	nk := int32(-1)
	if rb := s.routes[b]; next < len(rb) {
		nk = rb[next]
	}
	return s.fitsBefore(b, vi.pt, st+vi.durS, nk)
}
