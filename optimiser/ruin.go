package optimiser

import (
	"math/rand/v2"
	"slices"
)

// neighbours lists, for each visit, the visits nearest to it in space and
// time, nearest first: the related visits that ruin operators remove
// together and that granular insertion looks beside. It keeps the k best of
// each row as it goes, so its memory is k per visit.
func (p *problem) neighbours(k int) [][]int32 {
	nv := len(p.visits)
	k = min(k, nv-1)
	out := make([][]int32, nv)
	top := make([]ranked, 0, k+1)
	for a := range p.visits {
		va := &p.visits[a]
		ma := float64(va.wins[0].open+va.wins[len(va.wins)-1].close) / 2
		top = top[:0]
		for b := range p.visits {
			if a == b {
				continue
			}
			vb := &p.visits[b]
			mb := float64(vb.wins[0].open+vb.wins[len(vb.wins)-1].close) / 2
			// Travel by the first mode, both ways, plus half the gap between
			// the windows' middles: a visit across town at the same hour and
			// one next door three hours later are about as related.
			i, j := int(va.pt)*p.nPts+int(vb.pt), int(vb.pt)*p.nPts+int(va.pt)
			d := float64(p.dur[0][i]+p.dur[0][j])/2 + abs(ma-mb)/2
			top = keepNearest(top, ranked{int32(b), d}, k)
		}
		out[a] = make([]int32, len(top))
		for i, n := range top {
			out[a][i] = n.id
		}
	}
	return out
}

// ranked is an id with its distance, for nearest-first lists.
type ranked struct {
	id int32
	d  float64
}

// keepNearest adds x to top, a list sorted by distance then id holding at
// most k, dropping whatever falls beyond the k nearest.
func keepNearest(top []ranked, x ranked, k int) []ranked {
	less := func(a, b ranked) bool { return a.d < b.d || (a.d == b.d && a.id < b.id) }
	if len(top) == k && (k == 0 || !less(x, top[k-1])) {
		return top
	}
	i := len(top)
	for i > 0 && less(x, top[i-1]) {
		i--
	}
	if len(top) < k {
		top = append(top, ranked{})
	}
	copy(top[i+1:], top[i:len(top)-1])
	top[i] = x
	return top
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// ruiner removes jobs from a solution.
type ruiner struct {
	p       *problem
	rng     *rand.Rand
	near    [][]int32
	removed []int32
	mark    []bool  // per job: removed in this ruin
	vmark   []bool  // per vehicle: a string was cut from it
	cut     []int32 // vehicles that lost a task in this ruin, maybe more than once
	// moves are the continuity ruins a period may use (continuityMoves).
	moves continuityMoves
	// focus, after a reassign ruin, is the carer its visits should go to;
	// -1 otherwise.
	focus int32
	// assigned is scratch for the tasks a ruin may pick its seed from.
	assigned []int32
	// broken is scratch for releaseSpreads.
	broken []int32
	// splits: the split ruin takes a share of the round ruin's turns. It
	// goes with local search (problem.localSearch), whose empty-round
	// moves it feeds, where carers are cheap (splitCarerCap).
	splits bool
}

func newRuiner(p *problem, near [][]int32, rng *rand.Rand) *ruiner {
	return &ruiner{p: p, rng: rng, near: near, mark: make([]bool, len(p.jobs)), vmark: make([]bool, len(p.vehicles)), moves: continuityMovesFor(p), focus: -1}
}

// remove takes job j out of s, once.
func (r *ruiner) remove(s *solution, j int32) {
	if r.mark[j] || !s.assigned(j) || r.frozen(j) {
		return
	}
	r.mark[j] = true
	r.removed = append(r.removed, j)
	for _, t := range r.p.jobs[j].tasks {
		if v := s.veh[t]; v >= 0 {
			r.cut = append(r.cut, v)
		}
		s.removeTask(t)
	}
}

// frozen reports whether job j is fixed by a freeze, which no ruin takes
// out (freeze.go).
func (r *ruiner) frozen(j int32) bool { return r.p.frozenJob != nil && r.p.frozenJob[j] }

// keepLegsWithin takes out, in turn, each job that the ruin left at the end
// of a leg longer than its carer's maximum leg: taking a visit out of a
// round joins its neighbours with a new leg, which may be too long.
func (r *ruiner) keepLegsWithin(s *solution) {
	for i := 0; i < len(r.cut); i++ {
		v := int(r.cut[i])
		for k := s.overLongLeg(v); k >= 0; k = s.overLongLeg(v) {
			if r.frozen(r.p.tasks[k].job) {
				// A frozen visit cannot go: the round keeps too long a
				// leg, and the schedule refuses it.
				break
			}
			r.remove(s, r.p.tasks[k].job)
		}
	}
}

// ruin removes about q jobs from s by one of the operators, chosen at random,
// and returns them, with any job the removals left at the end of a leg
// longer than its carer's maximum leg.
func (r *ruiner) ruin(s *solution, q int) []int32 {
	r.reset()
	assignedTasks := r.assigned[:0]
	unserved := 0
	for t := range s.veh {
		// A frozen visit is no seed: every ruin around it would start by
		// failing to take it out.
		switch {
		case s.veh[t] < 0:
			unserved++
		case !r.frozen(r.p.tasks[t].job):
			assignedTasks = append(assignedTasks, int32(t))
		}
	}
	r.assigned = assignedTasks
	if len(assignedTasks) == 0 {
		return nil
	}
	seed := assignedTasks[r.rng.IntN(len(assignedTasks))]
	if r.p.days > 1 && r.continuity(s, seed, unserved, q) {
		r.keepLegsWithin(s)
		return r.removed
	}
	switch x := r.rng.Float64(); {
	case x < 0.45:
		r.strings(s, seed, q)
	case x < 0.75:
		r.related(s, seed, q)
	case x < 0.9:
		r.random(s, assignedTasks, q)
	case x < 0.95 || !r.splits:
		r.round(s, seed)
	default:
		r.split(s, seed)
	}
	r.keepLegsWithin(s)
	return r.removed
}

// reset forgets the last ruin's removals.
func (r *ruiner) reset() {
	r.removed = r.removed[:0]
	r.cut = r.cut[:0]
	r.focus = -1
	clear(r.mark)
	clear(r.vmark)
}

// random removes q jobs chosen uniformly.
func (r *ruiner) random(s *solution, tasks []int32, q int) {
	for tries := 0; len(r.removed) < q && tries < 4*q; tries++ {
		t := tasks[r.rng.IntN(len(tasks))]
		r.remove(s, r.p.tasks[t].job)
	}
}

// related removes the seed's job and the jobs of the visits nearest it.
func (r *ruiner) related(s *solution, seed int32, q int) {
	vis := r.p.tasks[seed].visit
	r.remove(s, r.p.tasks[seed].job)
	for _, n := range r.near[vis] {
		if len(r.removed) >= q {
			return
		}
		// Skip some, so that repeated ruins around one seed differ.
		if r.rng.Float64() < 0.2 {
			continue
		}
		r.remove(s, r.p.visits[n].job)
	}
}

// strings cuts short runs of consecutive visits from the rounds passing near
// the seed, as in slack induction by string removals: runs of up to ten
// visits from up to q/2+1 rounds.
func (r *ruiner) strings(s *solution, seed int32, q int) {
	vis := r.p.tasks[seed].visit
	cands := append([]int32{vis}, r.near[vis]...)
	maxRounds := q/2 + 1
	rounds := 0
	for _, n := range cands {
		if len(r.removed) >= q || rounds >= maxRounds {
			return
		}
		for _, t := range r.p.visits[n].legs {
			v := s.veh[t]
			if v < 0 || r.vmark[v] {
				continue
			}
			r.vmark[v] = true
			rounds++
			route := s.routes[v]
			at := slices.Index(route, t)
			l := 1 + r.rng.IntN(min(10, len(route)))
			from := max(0, min(at-r.rng.IntN(l), len(route)-l))
			cut := slices.Clone(route[from : from+l])
			for _, u := range cut {
				r.remove(s, r.p.tasks[u].job)
			}
			break
		}
	}
}

// round empties the round holding the seed, so that the search can try
// doing without a carer.
func (r *ruiner) round(s *solution, seed int32) {
	v := s.veh[seed]
	for _, u := range slices.Clone(s.routes[v]) {
		r.remove(s, r.p.tasks[u].job)
	}
}

// splitMin is the fewest visits a round must hold for the split ruin to
// cut it.
const splitMin = 6

// split takes the second half of the seed's round out, from a random
// point in its middle third on, so that recreate may give it to a carer
// who has no round: a plan priced on travel alone otherwise keeps to the
// fewest rounds, where more and shorter ones would travel less
// (docs/DESIGN-search.md, section 3). A shorter round is emptied, as the
// round ruin does.
func (r *ruiner) split(s *solution, seed int32) {
	v := s.veh[seed]
	route := s.routes[v]
	n := len(route)
	if n < splitMin {
		r.round(s, seed)
		return
	}
	from := n/3 + r.rng.IntN(n/3+1)
	for _, u := range slices.Clone(route[from:]) {
		r.remove(s, r.p.tasks[u].job)
	}
}
