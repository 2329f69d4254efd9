package optimiser

// solution is the search's mutable state: the order of each round and the
// earliest schedule that keeps every constraint.
type solution struct {
	p      *problem
	routes [][]int32 // per vehicle, task ids in visiting order
	veh    []int32   // per task: its vehicle, or -1 when unassigned
	start  []int32   // per task: start of care
	lb     []int32   // per task: earliest start its ties to other tasks allow
	brk    []int32   // per vehicle: the task after which a rest break is taken, or -1
	ret    []int32   // per vehicle: return to the end point
	depart []int32   // per vehicle: departure, as late as the round allows
	latest []int32   // per task: latest start that keeps the rest of its round feasible
	load   []int32   // per vehicle: the loads of its visits
	slack  []int32   // per task: how far its start can move later before any soft visit from it on in its round starts later past its window

	// What changed since the last clearChanged: the vehicles whose round,
	// times or per-task values may differ from a copy taken then, every
	// vehicle when all is set. Copies between solutions that were equal
	// then need only touch these (copyChanged).
	changed   []int32
	isChanged []bool
	all       bool

	// The cost of each carer's day and the worst lateness in it, cached
	// until a vehicle of the carer changes (cdirty), and the priority of
	// the jobs not served: cost reads these instead of every round.
	unserved int
	days     []dayTally
	cdirty   []bool
	// The cost of each client's visits under the terms priced per client
	// (clientCoster), cached until a leg of theirs changes carer; nil
	// when the objective has no such term.
	clientCost  []float64
	clientDirty []bool

	// Scratch for propagation and the carer rules.
	untied  bool // forward passes ignore ties (first phase of reschedule)
	day     carerDay
	queue   []int32
	queued  []bool
	touched []bool
	// The care entries whose visits' starts may have moved since the
	// call-time spread cap was last asked (touchCare).
	careMark    []bool
	careTouched []int32
	carerBuf    []int32 // scratch for a client's carers
}

func newSolution(p *problem) *solution {
	nt, nv := len(p.tasks), len(p.vehicles)
	s := &solution{
		p:       p,
		routes:  make([][]int32, nv),
		veh:     make([]int32, nt),
		start:   make([]int32, nt),
		lb:      make([]int32, nt),
		brk:     make([]int32, nv),
		ret:     make([]int32, nv),
		depart:  make([]int32, nv),
		latest:  make([]int32, nt),
		load:    make([]int32, nv),
		slack:   make([]int32, nt),
		queued:  make([]bool, nv),
		touched: make([]bool, nv),

		isChanged: make([]bool, nv),
		all:       true,
		days:      make([]dayTally, len(p.carers)),
		cdirty:    make([]bool, len(p.carers)),
		careMark:  make([]bool, len(p.careVisits)),
	}
	if len(p.eval.clients) > 0 {
		s.clientCost = make([]float64, len(p.in.Clients))
		s.clientDirty = make([]bool, len(p.in.Clients))
		for i := range s.clientDirty {
			s.clientDirty[i] = true
		}
	}
	for i := range s.veh {
		s.veh[i] = -1
	}
	for j := range p.jobs {
		s.unserved += p.jobs[j].priority
	}
	for v := range s.brk {
		s.brk[v] = -1
		s.ret[v] = p.vehicles[v].open
		s.depart[v] = p.vehicles[v].open
	}
	return s
}

// copyFrom makes s an exact copy of o, reusing s's memory. Everything in s
// counts as changed afterwards.
func (s *solution) copyFrom(o *solution) {
	for v := range o.routes {
		s.routes[v] = append(s.routes[v][:0], o.routes[v]...)
	}
	copy(s.veh, o.veh)
	copy(s.start, o.start)
	copy(s.lb, o.lb)
	copy(s.brk, o.brk)
	copy(s.ret, o.ret)
	copy(s.depart, o.depart)
	copy(s.latest, o.latest)
	copy(s.load, o.load)
	copy(s.slack, o.slack)
	s.unserved = o.unserved
	copy(s.days, o.days)
	copy(s.cdirty, o.cdirty)
	copy(s.clientCost, o.clientCost)
	copy(s.clientDirty, o.clientDirty)
	s.clearChanged()
	s.all = true
}

// copyChanged makes s equal to o when the two were equal before the
// vehicles in changed (or all of them, if all) changed in one of them. Its
// cost is that of the rounds involved, not of the whole plan.
func (s *solution) copyChanged(o *solution, changed []int32, all bool) {
	if all {
		s.copyFrom(o)
		return
	}
	for _, v := range changed {
		for _, k := range s.routes[v] {
			s.copyTask(o, k)
		}
		for _, k := range o.routes[v] {
			s.copyTask(o, k)
		}
		s.routes[v] = append(s.routes[v][:0], o.routes[v]...)
		s.brk[v], s.ret[v], s.depart[v], s.load[v] = o.brk[v], o.ret[v], o.depart[v], o.load[v]
		c := s.p.vehicles[v].carer
		s.days[c], s.cdirty[c] = o.days[c], o.cdirty[c]
	}
	s.unserved = o.unserved
}

func (s *solution) copyTask(o *solution, k int32) {
	if s.clientDirty != nil && (s.veh[k] != o.veh[k] || (s.p.startsCosted && s.start[k] != o.start[k])) {
		s.dirtyClient(k)
	}
	s.veh[k], s.start[k], s.lb[k], s.latest[k], s.slack[k] = o.veh[k], o.start[k], o.lb[k], o.latest[k], o.slack[k]
}

// dirtyClient marks the client of task k for costing again.
func (s *solution) dirtyClient(k int32) {
	if s.clientDirty != nil {
		s.clientDirty[s.p.visits[s.p.tasks[k].visit].client] = true
	}
}

// mark records that vehicle v's round or times may change.
func (s *solution) mark(v int32) {
	s.cdirty[s.p.vehicles[v].carer] = true
	if s.all || s.isChanged[v] {
		return
	}
	s.isChanged[v] = true
	s.changed = append(s.changed, v)
}

// clearChanged starts a new record of changes.
func (s *solution) clearChanged() {
	for _, v := range s.changed {
		s.isChanged[v] = false
	}
	s.changed = s.changed[:0]
	s.all = false
}

func (s *solution) clone() *solution {
	c := newSolution(s.p)
	c.copyFrom(s)
	return c
}

// assigned reports whether job j is in the plan (all its tasks are).
func (s *solution) assigned(j int32) bool {
	return s.veh[s.p.jobs[j].tasks[0]] >= 0
}

// end is when task t's care finishes.
func (s *solution) end(t int32) int32 {
	return s.start[t] + s.p.visits[s.p.tasks[t].visit].durS
}

// breakAfter is the rest break taken after task t on vehicle v, or 0.
func (s *solution) breakAfter(v int, t int32) int32 {
	if s.brk[v] == t {
		return s.p.carers[s.p.vehicles[v].carer].breakDurS
	}
	return 0
}

// insertTask puts task t into vehicle v's round at position pos.
func (s *solution) insertTask(t int32, v int, pos int) {
	r := append(s.routes[v], 0)
	copy(r[pos+1:], r[pos:])
	r[pos] = t
	s.routes[v] = r
	s.mark(int32(v))
	if s.p.jobs[s.p.tasks[t].job].tasks[0] == t {
		s.unserved -= s.p.jobs[s.p.tasks[t].job].priority
	}
	s.load[v] += s.p.visits[s.p.tasks[t].visit].load
	s.veh[t] = int32(v)
	s.dirtyClient(t)
	s.lb[t] = 0
	s.start[t] = -1 // so that the first forward pass sees it move and ties it
}

// removeTask takes task t out of its round.
func (s *solution) removeTask(t int32) {
	v := s.veh[t]
	if v < 0 {
		return
	}
	s.mark(v)
	if s.p.jobs[s.p.tasks[t].job].tasks[0] == t {
		s.unserved += s.p.jobs[s.p.tasks[t].job].priority
	}
	r := s.routes[v]
	for i, u := range r {
		if u == t {
			s.routes[v] = append(r[:i], r[i+1:]...)
			break
		}
	}
	if s.brk[v] == t {
		s.brk[v] = -1
	}
	s.load[v] -= s.p.visits[s.p.tasks[t].visit].load
	s.veh[t] = -1
	s.dirtyClient(t)
	s.lb[t] = 0
}

// enqueue marks vehicle v for a forward pass.
func (s *solution) enqueue(v int32) {
	s.mark(v)
	if !s.queued[v] {
		s.queued[v] = true
		s.queue = append(s.queue, v)
	}
}

// propagate runs forward passes over the queued rounds, and over every round
// whose tied tasks they move, until the schedule is a fixed point. It
// reports false when a hard window, a shift end or a maximum leg cannot be
// kept, or when the ties cannot be met at all (they chase each other round
// a cycle).
func (s *solution) propagate() bool {
	p := s.p
	limit := 8*len(p.vehicles) + 16*len(p.tasks) + 64
	passes := 0
	ok := true
	for head := 0; head < len(s.queue); head++ {
		v := s.queue[head]
		s.queued[v] = false
		passes++
		if passes > limit || !s.forward(int(v)) {
			ok = false
			break
		}
	}
	for _, v := range s.queue {
		s.queued[v] = false
	}
	s.queue = s.queue[:0]
	return ok
}

// forward recomputes the times of vehicle v's round from its start and its
// tasks' lower bounds, and pushes the tasks tied to any task that moved. It
// reports false when the round breaks a hard window or the shift's end, or
// holds a leg longer than the carer's maximum leg.
func (s *solution) forward(v int) bool {
	p := s.p
	veh := &p.vehicles[v]
	s.touched[v] = true
	s.mark(int32(v))
	r := s.routes[v]
	pt := veh.startPt
	t := veh.open
	for _, k := range r {
		vi := &p.visits[p.tasks[k].visit]
		leg := p.travel(veh, pt, vi.pt)
		if leg > veh.legCapS {
			return false
		}
		arr := t + leg
		if arr < s.lb[k] {
			if p.noWait && !p.byHand {
				// Its ties would have the carer wait.
				return false
			}
			arr = s.lb[k]
		}
		st, ok := vi.earliestStart(arr)
		if !ok || st > p.horizon || (p.noWait && st != arr && !p.byHand) {
			return false
		}
		old := s.start[k]
		s.start[k] = st
		if st != old && !s.untied && p.linked(k) {
			s.relax(k)
		}
		t = st + vi.durS + s.breakAfter(v, k)
		pt = vi.pt
	}
	if len(r) == 0 {
		s.ret[v] = veh.open
		return true
	}
	back := p.travel(veh, pt, veh.endPt)
	s.ret[v] = t + back
	return s.ret[v] <= veh.close && back <= veh.legCapS
}

// relax pushes the lower bounds of every task tied to task k so that the ties
// hold with k's new start, queueing the rounds that must move.
func (s *solution) relax(k int32) {
	p := s.p
	tk := &p.tasks[k]
	jb := &p.jobs[tk.job]
	if len(jb.tasks) > 1 {
		m := s.start[k]
		for _, u := range jb.tasks {
			if s.veh[u] >= 0 && s.start[u] > m {
				m = s.start[u]
			}
		}
		for _, u := range jb.tasks {
			if s.veh[u] >= 0 && s.start[u] < m {
				if s.lb[u] < m {
					s.lb[u] = m
				}
				s.enqueue(s.veh[u])
			}
		}
	}
	for _, ci := range p.visits[tk.visit].seqs {
		c := &p.seqs[ci]
		if s.veh[c.a] < 0 || s.veh[c.b] < 0 {
			continue
		}
		if s.start[c.b] < s.start[c.a]+c.min {
			if s.lb[c.b] < s.start[c.a]+c.min {
				s.lb[c.b] = s.start[c.a] + c.min
			}
			s.enqueue(s.veh[c.b])
		}
		if c.max >= 0 && s.start[c.b]-s.start[c.a] > c.max {
			if s.lb[c.a] < s.start[c.b]-c.max {
				s.lb[c.a] = s.start[c.b] - c.max
			}
			s.enqueue(s.veh[c.a])
		}
	}
}

// reschedule recomputes the whole schedule from nothing, as after tasks are
// removed. It first times every round on its own, then applies the ties, so
// that every push comes from a time no later than the least schedule's and
// the result is the earliest schedule, not merely a feasible one.
func (s *solution) reschedule() bool {
	for t := range s.lb {
		s.lb[t] = 0
	}
	s.untied = true
	for v := range s.routes {
		if !s.forward(v) {
			s.untied = false
			return false
		}
	}
	s.untied = false
	for t := range s.veh {
		if s.veh[t] >= 0 && s.p.linked(int32(t)) {
			s.relax(int32(t))
		}
	}
	return s.propagate() && s.settle()
}

// compress moves each untied visit of round v as late as its window and the
// next visit allow, so that waiting gathers before the round starts and the
// carer leaves later: the departure it sets is the latest the round allows.
// Without waiting (problem.noWait) nothing moves: the round leaves at its
// shift's opening, as forward timed it.
// cs receives the moved starts. It returns the longest idle period between
// two visits and the position of the visit it follows (-1 if none).
func (s *solution) compress(v int, cs []int32) (gap int32, after int) {
	p := s.p
	veh := &p.vehicles[v]
	r := s.routes[v]
	n := len(r)
	after = -1
	if n == 0 {
		s.depart[v] = veh.open
		return 0, -1
	}
	cs[n-1] = s.start[r[n-1]]
	for i := n - 2; i >= 0; i-- {
		k, nk := r[i], r[i+1]
		vi := &p.visits[p.tasks[k].visit]
		lat := cs[i+1] - p.travel(veh, vi.pt, p.visits[p.tasks[nk].visit].pt) - vi.durS - s.breakAfter(v, k)
		cs[i] = s.start[k]
		if lat > cs[i] && !p.linked(k) && !vi.pinned && !p.noWait {
			cs[i] = min(lat, vi.windowClose(s.start[k]))
		}
	}
	first := &p.visits[p.tasks[r[0]].visit]
	s.depart[v] = cs[0] - p.travel(veh, veh.startPt, first.pt)
	for i := 1; i < n; i++ {
		pv := &p.visits[p.tasks[r[i-1]].visit]
		vi := &p.visits[p.tasks[r[i]].visit]
		idle := cs[i] - cs[i-1] - pv.durS - s.breakAfter(v, r[i-1]) - p.travel(veh, pv.pt, vi.pt)
		if idle > gap {
			gap, after = idle, i-1
		}
	}
	return gap, after
}

// paid is round v's paid time: from departure to return, less its break.
func (s *solution) paid(v int) int32 {
	if len(s.routes[v]) == 0 {
		return 0
	}
	b := int32(0)
	if s.brk[v] >= 0 {
		b = s.p.carers[s.p.vehicles[v].carer].breakDurS
	}
	return s.ret[v] - s.depart[v] - b
}

// busy is round v's time spent travelling (rt seconds, from routeTravel)
// and caring.
func (s *solution) busy(v int, rt int32) int32 {
	for _, k := range s.routes[v] {
		rt += s.p.visits[s.p.tasks[k].visit].durS
	}
	return rt
}

// routeTravel is round v's travel from start to end, 0 for an empty round.
func (s *solution) routeTravel(v int) int32 {
	p := s.p
	r := s.routes[v]
	if len(r) == 0 {
		return 0
	}
	veh := &p.vehicles[v]
	pt := veh.startPt
	t := int32(0)
	for _, k := range r {
		vi := &p.visits[p.tasks[k].visit]
		t += p.travel(veh, pt, vi.pt)
		pt = vi.pt
	}
	return t + p.travel(veh, pt, veh.endPt)
}
