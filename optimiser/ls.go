package optimiser

import "slices"

// Local search (docs/DESIGN-search.md, section 2) takes a plan that ruin
// and recreate has just rebuilt down to a local optimum of moves that
// recreate finds only by luck: a visit moved beside one of its nearest
// visits (ls_relocate.go), two visits of different rounds exchanged
// (ls_swap.go), and the tails of two rounds exchanged, or a round's tail
// given to a carer with an empty round (ls_twoopt.go).
//
// Each move is first screened in constant time, or in the length of the
// tails it moves, by what it does to travel and to the carers used, and,
// for rounds alike in their ends and shift, by the windows: the start a
// visit can have after its new predecessor against the latest start
// (solution.latest) that keeps its new successors feasible. A move that
// passes is applied and timed exactly as insertion times a place (forward
// passes, ties, the carer rules), costed by the whole objective, and kept
// only if the plan's cost falls; otherwise it is undone from the backup.
// So local search never makes a plan worse or breaks a rule, whatever the
// objective's terms, and the screen only decides which moves are worth
// timing: a move that saves travel at the price of lateness or waiting is
// timed and refused, and one that saves lateness at the price of travel
// is left to ruin and recreate.
//
// Only a visit's single leg that nothing ties moves, and only between
// rounds that hold no tied task: a double-handed leg or a visit with a
// dependency ties its round to others, whose earliest schedule only
// timing the whole plan from nothing finds. Doing that for every move
// made an iteration about five times slower on the 300-visit locality
// day (docs/BENCHMARKS.md). A visit held by a freeze or a pin stays where
// recreate put it too, and a tail holding one does not move to another
// round.

// lsWidth is the number of a visit's nearest visits local search pairs it
// with.
const lsWidth = 10

// lsEmpty is the number of empty rounds, nearest the visit first, that a
// visit or a tail is tried in.
const lsEmpty = 2

// localSearch holds the state of local search over one solution.
type localSearch struct {
	s *solution
	// backup equals s as it was when s last cleared its changes: the
	// inserter's, so that both undo from one copy.
	backup *solution
	near   [][]int32 // per visit, its nearest visits (triage.near)
	home   [][]int32 // per visit, the rounds whose carers start nearest
	// movable marks the tasks that may change place.
	movable []bool
	// cur is the cost of s (its unserved part never changes).
	cur   float64
	queue []int32 // rounds to look at
	inQ   []bool
	route []int32 // scratch: a round's tasks as they were
	moved []int32 // scratch: the tasks a move takes to another round
	// Per task, its index in its round and the travel from its round's
	// start to it and from it to the round's end; per round, its travel.
	// Worked out for every round when run starts and again for the rounds
	// a kept move changes, so that a move's travel is known in constant
	// time.
	pos, fwd, bwd []int32
	rt            []int32
	// tied marks the rounds holding a task tied to another's, which local
	// search leaves to ruin and recreate.
	tied []bool
	// closed, when set, marks the rounds that may take no task: fleet
	// minimisation's (fleet.go).
	closed []bool
	// budget is what is left of the exact timings of one call.
	budget int
	// Counts over the life of the search, for tests and measurement.
	evals, moves int
}

// newLocalSearch prepares local search over s, undoing from backup, with
// each visit's nearest visits (near) and the rounds whose carers start
// nearest it (home).
func newLocalSearch(s *solution, backup *solution, near, home [][]int32) *localSearch {
	p := s.p
	nt := len(p.tasks)
	ls := &localSearch{s: s, backup: backup, near: near, inQ: make([]bool, len(p.vehicles)), movable: make([]bool, nt),
		pos: make([]int32, nt), fwd: make([]int32, nt), bwd: make([]int32, nt), rt: make([]int32, len(p.vehicles)), tied: make([]bool, len(p.vehicles))}
	for k := range p.tasks {
		j := p.tasks[k].job
		ls.movable[k] = !p.linked(int32(k)) &&
			(p.frozenJob == nil || !p.frozenJob[j]) && (p.pinnedJob == nil || !p.pinnedJob[j])
	}
	ls.home = home
	return ls
}

// nearestStarts lists, for each visit, the k rounds whose carers start
// nearest to it among those qualified and on shift for it.
func (p *problem) nearestStarts(k int) [][]int32 {
	out := make([][]int32, len(p.visits))
	top := make([]ranked, 0, k+1)
	for i := range p.visits {
		vi := &p.visits[i]
		first, last := vi.wins[0].open, vi.wins[len(vi.wins)-1].close
		top = top[:0]
		for v := range p.vehicles {
			veh := &p.vehicles[v]
			if !p.allowed[i*p.nCarers+int(veh.carer)] || veh.open > last || veh.close < first+vi.durS {
				continue
			}
			top = keepNearest(top, ranked{int32(v), float64(p.travel(veh, veh.startPt, vi.pt))}, k)
		}
		out[i] = make([]int32, len(top))
		for j, r := range top {
			out[i][j] = r.id
		}
	}
	return out
}

// run improves s by moves around the tasks of the rounds given, and of
// every round a kept move changes, until no move improves or budget exact
// timings are spent. s's latest starts must be up to date.
func (ls *localSearch) run(rounds []int32, budget int) {
	s := ls.s
	ls.backup.copyChanged(s, s.changed, s.all)
	s.clearChanged()
	ls.cur = s.cost().rest
	ls.budget = budget
	for v := range s.routes {
		ls.measure(int32(v))
	}
	ls.queue = ls.queue[:0]
	for _, v := range rounds {
		ls.push(v)
	}
	for head := 0; head < len(ls.queue) && ls.budget > 0; head++ {
		v := ls.queue[head]
		ls.inQ[v] = false
		ls.route = append(ls.route[:0], s.routes[v]...)
		for _, u := range ls.route {
			if ls.budget <= 0 {
				break
			}
			if s.veh[u] >= 0 && ls.movable[u] {
				ls.improve(u)
			}
		}
	}
	for _, v := range ls.queue {
		ls.inQ[v] = false
	}
}

// measure works out the positions and travel of round v's tasks.
func (ls *localSearch) measure(v int32) {
	s := ls.s
	p := s.p
	veh := &p.vehicles[v]
	r := s.routes[v]
	pt, t := veh.startPt, int32(0)
	ls.tied[v] = false
	for x, k := range r {
		q := p.visits[p.tasks[k].visit].pt
		t += p.travel(veh, pt, q)
		ls.pos[k], ls.fwd[k] = int32(x), t
		pt = q
		ls.tied[v] = ls.tied[v] || p.linked(k)
	}
	if len(r) == 0 {
		ls.rt[v] = 0
		return
	}
	total := t + p.travel(veh, pt, veh.endPt)
	ls.rt[v] = total
	for _, k := range r {
		ls.bwd[k] = total - ls.fwd[k]
	}
}

// push queues round v to be looked at.
func (ls *localSearch) push(v int32) {
	if !ls.inQ[v] {
		ls.inQ[v] = true
		ls.queue = append(ls.queue, v)
	}
}

// improve tries the moves around task u, keeping the first that lowers
// the cost. It reports whether one was kept.
func (ls *localSearch) improve(u int32) bool {
	s := ls.s
	p := s.p
	vis := p.tasks[u].visit
	near := ls.near[vis]
	for _, w := range near[:min(lsWidth, len(near))] {
		for _, t := range p.visits[w].legs {
			if s.veh[t] < 0 || t == u {
				continue
			}
			if ls.relocate(u, s.veh[t], t, true) || ls.relocate(u, s.veh[t], t, false) {
				return true
			}
			if s.veh[t] != s.veh[u] && (ls.twoOptAfter(u, t) || ls.twoOptBefore(u, t) || ls.swap(u, t)) {
				return true
			}
		}
	}
	tried := 0
	for _, v := range ls.home[vis] {
		if tried == lsEmpty {
			break
		}
		if len(s.routes[v]) > 0 || v == s.veh[u] {
			continue
		}
		tried++
		if ls.relocateEmpty(u, v) || ls.tailToEmpty(u, v) {
			return true
		}
	}
	return false
}

// keep finishes a move that was applied and timed (ok: every hard rule
// held): it stays if the plan's cost fell, and is undone otherwise.
func (ls *localSearch) keep(ok bool) bool {
	s := ls.s
	ls.evals++
	ls.budget--
	if ok {
		if c := s.cost().rest; c < ls.cur-1e-9 {
			ls.cur = c
			ls.moves++
			// A move only re-times rounds (propagate), so s.changed
			// lists every round it touched.
			if s.p.spreadCapS >= 0 {
				s.refreshLatest()
			} else {
				for _, v := range s.changed {
					s.refreshLatestOf(int(v))
				}
			}
			for _, v := range s.changed {
				ls.measure(v)
				ls.push(v)
			}
			ls.backup.copyChanged(s, s.changed, s.all)
			s.clearChanged()
			return true
		}
	}
	s.undo(ls.backup)
	return false
}

// retime times the rounds a move changed, exactly, and asks the rules a
// task given to another carer must keep: its client's cap on distinct
// carers. It reports whether every hard rule holds.
func (ls *localSearch) retime(a, b int32, moved []int32) bool {
	s := ls.s
	s.enqueue(a)
	s.enqueue(b)
	if !s.propagate() || !s.settle() {
		return false
	}
	if s.p.capped {
		for _, k := range moved {
			if !s.distinctCarersHold(s.p.tasks[k].job) {
				return false
			}
		}
	}
	return true
}

// worth is the screen's verdict on a move: whether its change in travel
// (seconds) and in carers used is a saving under the objective's weights.
func (ls *localSearch) worth(travelS int32, carers int) bool {
	w := &ls.s.p.w
	return float64(travelS)*w.Travel+float64(carers)*w.CarerUsed < -1e-9
}

// mayTake reports whether round v may take task k from another round: the
// carer is qualified and may reach it, the round is not closed, and
// nothing holds it where it is.
func (ls *localSearch) mayTake(v int32, k int32) bool {
	p := ls.s.p
	return ls.movable[k] && p.allowed[int(p.tasks[k].visit)*p.nCarers+int(p.vehicles[v].carer)] &&
		(ls.closed == nil || !ls.closed[v])
}

// carerChange is the change in carers used when round v goes from empty
// to not (+1) or back (-1), counting the carer's other rounds.
func (ls *localSearch) carerChange(v int32, opens bool) int {
	s := ls.s
	c := s.p.vehicles[v].carer
	for _, o := range s.p.carers[c].vehicles {
		if o != v && len(s.routes[o]) > 0 {
			return 0
		}
	}
	if opens {
		return 1
	}
	return -1
}

// alike reports whether two rounds end alike (point, shift's close, mode),
// so that a latest start worked out for one holds for the other.
func (p *problem) alike(a, b int32) bool {
	va, vb := &p.vehicles[a], &p.vehicles[b]
	return p.endsAlike(va, vb) && va.close == vb.close && va.legCapS == vb.legCapS
}

// endsAlike reports whether two rounds travel at one speed to one end
// point: the same point, or two points no time apart either way.
func (p *problem) endsAlike(va, vb *vehicle) bool {
	return va.mode == vb.mode && (va.endPt == vb.endPt ||
		p.travel(va, va.endPt, vb.endPt) == 0 && p.travel(va, vb.endPt, va.endPt) == 0)
}

// pointAfter is the point and the time at which round v's carer is free
// after its first n tasks: its start point and opening when n is 0.
func (s *solution) pointAfter(v int32, n int) (pt, free int32) {
	if n == 0 {
		veh := &s.p.vehicles[v]
		return veh.startPt, veh.open
	}
	k := s.routes[v][n-1]
	return s.p.visits[s.p.tasks[k].visit].pt, s.end(k) + s.breakAfter(int(v), k)
}

// fitsBefore screens joining round v's carer, free at pt at time free, to
// task k (or to the round's end when k < 0): the start k can have then
// must be no later than its latest start, and must not push a soft visit
// from k on past its window (solution.slack): the screen passes moves for
// their travel, and leaves a trade of travel for lateness to ruin and
// recreate. It is exact for untied hard windows and no waiting rule; the
// exact timing decides the rest.
func (s *solution) fitsBefore(v int32, pt, free int32, k int32) bool {
	p := s.p
	veh := &p.vehicles[v]
	if k < 0 {
		return free+p.travel(veh, pt, veh.endPt) <= veh.close
	}
	vi := &p.visits[p.tasks[k].visit]
	st, ok := vi.earliestStart(free + p.travel(veh, pt, vi.pt))
	return ok && st <= s.latest[k] && st <= s.start[k]+s.slack[k]
}

// seqTravel is the travel of round v if it held x then y.
func (s *solution) seqTravel(v int32, x, y []int32) int32 {
	p := s.p
	veh := &p.vehicles[v]
	if len(x)+len(y) == 0 {
		return 0
	}
	pt, t := veh.startPt, int32(0)
	for _, part := range [2][]int32{x, y} {
		for _, k := range part {
			q := p.visits[p.tasks[k].visit].pt
			t += p.travel(veh, pt, q)
			pt = q
		}
	}
	return t + p.travel(veh, pt, veh.endPt)
}

// changedRounds appends to out the rounds of s whose tasks differ from
// o's.
func changedRounds(s, o *solution, out []int32) []int32 {
	out = out[:0]
	for v := range s.routes {
		if !slices.Equal(s.routes[v], o.routes[v]) {
			out = append(out, int32(v))
		}
	}
	return out
}
