package optimiser

// 2-opt* exchanges the tails of two rounds, joining a task to one of its
// nearest visits; given an empty round, it hands a round's tail to an
// idle carer, so that a plan priced on travel alone can open the rounds
// that shorten it (docs/DESIGN-search.md, sections 2 and 3).

// twoOptAfter joins task u to task t, its near visit on another round:
// u's round keeps its tasks to u and goes on with t and t's successors;
// t's round keeps its tasks before t and goes on with u's successors.
func (ls *localSearch) twoOptAfter(u, t int32) bool {
	s := ls.s
	a, b := s.veh[u], s.veh[t]
	return ls.exchange(a, int(ls.pos[u])+1, b, int(ls.pos[t]))
}

// twoOptBefore joins task t to task u: t's round keeps its tasks to t and
// goes on with u and u's successors; u's round keeps its tasks before u
// and goes on with t's successors.
func (ls *localSearch) twoOptBefore(u, t int32) bool {
	s := ls.s
	a, b := s.veh[u], s.veh[t]
	return ls.exchange(a, int(ls.pos[u]), b, int(ls.pos[t])+1)
}

// tailToEmpty hands task u and its successors to round b, which is empty.
func (ls *localSearch) tailToEmpty(u, b int32) bool {
	s := ls.s
	a := s.veh[u]
	i := int(ls.pos[u])
	if i == 0 {
		// The whole round: a change of carer, which relocation and
		// recreate see better.
		return false
	}
	return ls.exchange(a, i, b, 0)
}

// exchange makes round a its tasks before i then round b's from j, and
// round b its tasks before j then round a's from i, if the screen passes
// and the exact cost falls.
func (ls *localSearch) exchange(a int32, i int, b int32, j int) bool {
	s := ls.s
	p := s.p
	ra, rb := s.routes[a], s.routes[b]
	if a == b || ls.tied[a] || ls.tied[b] || (i == len(ra) && j == len(rb)) || (i == 0 && j == 0) {
		return false
	}
	ta, tb := ra[i:], rb[j:]
	va, vb := &p.vehicles[a], &p.vehicles[b]
	la, lb := int32(0), int32(0)
	for _, k := range ta {
		if !ls.mayTake(b, k) {
			return false
		}
		la += p.visits[p.tasks[k].visit].load
	}
	for _, k := range tb {
		if !ls.mayTake(a, k) {
			return false
		}
		lb += p.visits[p.tasks[k].visit].load
	}
	if (va.capacity > 0 && s.load[a]-la+lb > va.capacity) || (vb.capacity > 0 && s.load[b]-lb+la > vb.capacity) {
		return false
	}
	var dt int32
	if p.endsAlike(va, vb) {
		dt = ls.joined(a, ra, i, rb, j) + ls.joined(b, rb, j, ra, i) - ls.rt[a] - ls.rt[b]
	} else {
		dt = s.seqTravel(a, ra[:i], tb) + s.seqTravel(b, rb[:j], ta) - ls.rt[a] - ls.rt[b]
	}
	carers := 0
	switch na := i + len(tb); {
	case na == 0 && len(ra) > 0:
		carers += ls.carerChange(a, false)
	case na > 0 && len(ra) == 0:
		carers += ls.carerChange(a, true)
	}
	switch nb := j + len(ta); {
	case nb == 0 && len(rb) > 0:
		carers += ls.carerChange(b, false)
	case nb > 0 && len(rb) == 0:
		carers += ls.carerChange(b, true)
	}
	if !ls.worth(dt, carers) {
		return false
	}
	if p.alike(a, b) && !s.tailsFit(a, i, b, j) {
		return false
	}
	moved := append(append(ls.moved[:0], ta...), tb...)
	ls.moved = moved
	for _, k := range moved {
		s.removeTask(k)
	}
	for _, k := range moved[:len(ta)] {
		s.insertTask(k, int(b), len(s.routes[b]))
	}
	for _, k := range moved[len(ta):] {
		s.insertTask(k, int(a), len(s.routes[a]))
	}
	return ls.keep(ls.retime(a, b, moved))
}

// joined is the travel of round a holding its tasks before i, then the
// tasks of round b from j, b's tails taken as ending where a's do and at
// the same speed.
func (ls *localSearch) joined(a int32, ra []int32, i int, rb []int32, j int) int32 {
	s := ls.s
	p := s.p
	if i == 0 && j == len(rb) {
		return 0
	}
	va := &p.vehicles[a]
	pt, t := va.startPt, int32(0)
	if i > 0 {
		pt, t = p.visits[p.tasks[ra[i-1]].visit].pt, ls.fwd[ra[i-1]]
	}
	if j == len(rb) {
		return t + p.travel(va, pt, va.endPt)
	}
	return t + p.travel(va, pt, p.visits[p.tasks[rb[j]].visit].pt) + ls.bwd[rb[j]]
}

// tailsFit screens exchanging the tails of rounds a (from its i-th task)
// and b (from its j-th), which end alike, by the windows: each round's
// carer, free after the part it keeps, must reach the other's tail within
// its first task's latest start and slack (fitsBefore).
func (s *solution) tailsFit(a int32, i int, b int32, j int) bool {
	first := func(r []int32, x int) int32 {
		if x == len(r) {
			return -1
		}
		return r[x]
	}
	pt, free := s.pointAfter(a, i)
	if !s.fitsBefore(a, pt, free, first(s.routes[b], j)) {
		return false
	}
	pt, free = s.pointAfter(b, j)
	return s.fitsBefore(b, pt, free, first(s.routes[a], i))
}
