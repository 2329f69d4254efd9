package optimiser

import (
	"math/rand/v2"
	"slices"
)

// place is one leg's position in a round.
type place struct {
	v     int32 // vehicle
	pos   int32 // index in the round before insertion
	arr   int32 // earliest start the leg can have there
	late  int32 // latest start that keeps the round's later visits feasible
	delta float64
}

// combo is a placement of every leg of a job.
type combo struct {
	places []place
	score  float64
}

// inserter finds where jobs go. It holds scratch space reused across calls.
type inserter struct {
	s         *solution
	rng       *rand.Rand
	blink     float64
	perLeg    [][]place
	combos    []combo
	free      [][]place // spent combinations' places, for reuse
	chosen    []place
	backup    *solution
	maxLeg    int       // candidates kept per leg
	maxCombo  int       // combinations verified exactly
	gran      *granular // nil: every round is a candidate for every leg
	cands     []int32
	seen      []bool    // per vehicle, scratch for candidates
	at        insertion // the place being estimated, here so that it is not allocated per call
	clientBuf []int32   // scratch for the client's carers
	// only, when 0 or more, is the one carer legs may go to (a reassign
	// ruin's focus).
	only int32
	// closed, when set, marks the rounds no leg may go to: fleet
	// minimisation's (fleet.go).
	closed []bool
}

// granularMin is the number of rounds from which insertion looks first at
// the rounds near a visit rather than at all of them.
const granularMin = 100

// granular restricts where a visit is first tried on a large day: the
// rounds that serve one of its nearest visits, and the rounds of the
// carers who start nearest to it (idle carers included).
type granular struct {
	near [][]int32 // per visit, nearest visits
	home [][]int32 // per visit, qualified vehicles starting nearest
}

// homeVehicles is the number of vehicles kept per visit in granular.home.
const homeVehicles = 12

// newGranular works out the granular lists of p, or returns nil when p has
// too few rounds for them to pay.
func newGranular(p *problem, near [][]int32) *granular {
	if len(p.vehicles) < granularMin {
		return nil
	}
	return &granular{near: near, home: p.nearestStarts(homeVehicles)}
}

// candidates lists the vehicles worth trying for visit vis: every vehicle
// when the inserter looks wide or has no granular lists.
func (ins *inserter) candidates(vis int32, wide bool) []int32 {
	s := ins.s
	p := s.p
	ins.cands = ins.cands[:0]
	if ins.gran == nil || wide {
		for v := range p.vehicles {
			ins.cands = append(ins.cands, int32(v))
		}
		return ins.cands
	}
	if ins.seen == nil {
		ins.seen = make([]bool, len(p.vehicles))
	}
	add := func(v int32) {
		if v >= 0 && !ins.seen[v] {
			ins.seen[v] = true
			ins.cands = append(ins.cands, v)
		}
	}
	for _, w := range ins.gran.near[vis] {
		for _, t := range p.visits[w].legs {
			add(s.veh[t])
		}
	}
	for _, v := range ins.gran.home[vis] {
		add(v)
	}
	for _, v := range ins.cands {
		ins.seen[v] = false
	}
	return ins.cands
}

func newInserter(s *solution, rng *rand.Rand) *inserter {
	return &inserter{s: s, rng: rng, backup: s.clone(), maxLeg: 24, maxCombo: 6, only: -1}
}

// refreshLatest recomputes every task's latest start: how late it could
// start without making a later visit in its round infeasible, or taking
// its own recurring call, or a later visit's, over the spread cap. A tied task
// may move only if its partners can move with it; that is left to the exact
// check, so the bound here is optimistic for tied tasks and exact for the
// rest.
func (s *solution) refreshLatest() {
	for v := range s.routes {
		s.refreshLatestOf(v)
	}
}

// refreshLatestOf is refreshLatest for vehicle v's round alone.
func (s *solution) refreshLatestOf(v int) {
	p := s.p
	const never = int32(1 << 30)
	r := s.routes[v]
	veh := &p.vehicles[v]
	next := veh.close
	npt := veh.endPt
	nextSlack, nextStart := never, int32(0)
	for i := len(r) - 1; i >= 0; i-- {
		k := r[i]
		vi := &p.visits[p.tasks[k].visit]
		l := next - p.travel(veh, vi.pt, npt) - vi.durS - s.breakAfter(v, k)
		if !vi.soft {
			l = min(l, vi.windowClose(s.start[k]))
		}
		if vi.pinned {
			l = min(l, s.spreadLatest(p.tasks[k].visit))
		}
		s.latest[k] = l
		// Slack before lateness: a soft visit's own room to its last
		// window's close, and the next visit's slack plus the idle
		// time between them, whichever is less.
		own := never
		if vi.soft {
			own = max(0, vi.wins[len(vi.wins)-1].close-s.start[k])
		}
		if i < len(r)-1 {
			idle := nextStart - (s.end(k) + s.breakAfter(v, k) + p.travel(veh, vi.pt, npt))
			own = min(own, nextSlack+max(0, idle))
		}
		s.slack[k] = own
		next, npt = l, vi.pt
		nextSlack, nextStart = own, s.start[k]
	}
}

// carerIdle reports whether carer c has no visit on the day.
func (s *solution) carerIdle(c int32) bool {
	for _, v := range s.p.carers[c].vehicles {
		if len(s.routes[v]) > 0 {
			return false
		}
	}
	return true
}

// seqBounds returns the start bounds that task k's sequential ties to
// assigned visits impose, taking their current starts as fixed.
func (s *solution) seqBounds(k int32) (lo, hi int32) {
	p := s.p
	lo, hi = 0, 1<<30
	vis := p.tasks[k].visit
	for _, ci := range p.visits[vis].seqs {
		c := &p.seqs[ci]
		if p.tasks[c.a].visit == vis {
			if s.veh[c.b] < 0 {
				continue
			}
			hi = min(hi, s.start[c.b]-c.min)
			if c.max >= 0 {
				lo = max(lo, s.start[c.b]-c.max)
			}
		} else {
			if s.veh[c.a] < 0 {
				continue
			}
			lo = max(lo, s.start[c.a]+c.min)
			if c.max >= 0 {
				hi = min(hi, s.start[c.a]+c.max)
			}
		}
	}
	return lo, hi
}

// sharesCarer reports whether carer c serves a visit that a sequential tie
// asks visit vis not to share a carer with.
func (s *solution) sharesCarer(vis int32, c int32) bool {
	p := s.p
	for _, ci := range p.visits[vis].seqs {
		sc := &p.seqs[ci]
		if !sc.distinct {
			continue
		}
		other := p.tasks[sc.a].visit
		if other == vis {
			other = p.tasks[sc.b].visit
		}
		for _, t := range p.visits[other].legs {
			if v := s.veh[t]; v >= 0 && p.vehicles[v].carer == c {
				return true
			}
		}
	}
	return false
}

// legPlaces lists the feasible-looking places for task k, best first, at
// most ins.maxLeg of them.
func (ins *inserter) legPlaces(k int32, out []place) []place {
	s := ins.s
	p := s.p
	vis := p.tasks[k].visit
	vi := &p.visits[vis]
	lo, hi := s.seqBounds(k)
	first, lastClose := vi.wins[0].open, vi.wins[len(vi.wins)-1].close
	out = out[:0]
	at := &ins.at
	*at = insertion{vi: vi, visit: vis}
	lo, hi = s.spreadBounds(vis, lo, hi)
	full := false // the client sees as many carers as they may
	if p.clientVisits != nil {
		ins.clientBuf = s.clientCarers(vi.client, ins.clientBuf)
		at.clientCarers = ins.clientBuf
		limit := p.clientCap[vi.client]
		full = limit > 0 && len(at.clientCarers) >= int(limit)
	}
	// A wide search keeps every place: sorting them once beats keeping
	// them sorted.
	wide := ins.maxLeg > 1<<16
	for _, v := range ins.candidates(vis, wide) {
		veh := &p.vehicles[v]
		if !p.allowed[int(vis)*p.nCarers+int(veh.carer)] || (ins.only >= 0 && veh.carer != ins.only) || (ins.closed != nil && ins.closed[v]) {
			continue
		}
		if s.sharesCarer(vis, veh.carer) || (veh.capacity > 0 && s.load[v]+vi.load > veh.capacity) {
			continue
		}
		if full && !slices.Contains(at.clientCarers, veh.carer) {
			continue
		}
		if veh.close < first+vi.durS || (!vi.soft && veh.open > lastClose) {
			continue
		}
		r := s.routes[v]
		at.carer, at.day = veh.carer, veh.day
		at.idle = len(r) == 0 && s.carerIdle(veh.carer)
		for pos := 0; pos <= len(r); pos++ {
			// Starts rise along a round, and so do latest starts: skip the
			// places before the visit could fit and stop after the last.
			if pos < len(r) && s.latest[r[pos]] < first+vi.durS {
				continue
			}
			prevPt, prevEnd := veh.startPt, veh.open
			if pos > 0 {
				pk := r[pos-1]
				prevPt = p.visits[p.tasks[pk].visit].pt
				prevEnd = s.end(pk) + s.breakAfter(int(v), pk)
			}
			if !vi.soft && prevEnd > lastClose {
				break
			}
			if ins.blink > 0 && ins.rng.Float64() < ins.blink {
				continue
			}
			// The two legs the visit brings into the round must each be
			// within the carer's maximum leg.
			legIn := p.travel(veh, prevPt, vi.pt)
			if legIn > veh.legCapS {
				continue
			}
			arr := prevEnd + legIn
			var late, delta, nextArr int32
			nextK := int32(-1)
			if pos == len(r) {
				legOut := p.travel(veh, vi.pt, veh.endPt)
				if legOut > veh.legCapS {
					continue
				}
				late = veh.close - legOut - vi.durS
				if len(r) == 0 {
					delta = legIn + legOut
				} else {
					delta = legIn + legOut - p.travel(veh, prevPt, veh.endPt)
				}
			} else {
				nk := r[pos]
				npt := p.visits[p.tasks[nk].visit].pt
				legOut := p.travel(veh, vi.pt, npt)
				if legOut > veh.legCapS {
					continue
				}
				late = s.latest[nk] - legOut - vi.durS
				delta = legIn + legOut - p.travel(veh, prevPt, npt)
				nextArr = legOut + vi.durS
				nextK = nk
			}
			late = min(late, hi)
			st, ok := vi.earliestStart(max(arr, lo))
			if !ok || st > late || (p.noWait && st != arr) {
				continue
			}
			at.travelDeltaS, at.start, at.pushS = delta, st, 0
			if nextK >= 0 {
				// Lateness pushed onto the rest of the round: the push
				// beyond the next visit's slack.
				at.pushS = st + nextArr - s.start[nextK] - s.slack[nextK]
			}
			d := p.eval.estimate(s, at)
			pl := place{v: v, pos: int32(pos), arr: st, late: late, delta: d}
			if wide {
				out = append(out, pl)
			} else {
				out = keepBest(out, pl, ins.maxLeg)
			}
		}
	}
	if wide {
		slices.SortFunc(out, func(a, b place) int {
			if placeBefore(&a, &b) {
				return -1
			}
			if placeBefore(&b, &a) {
				return 1
			}
			return 0
		})
		out = out[:min(len(out), ins.maxLeg)]
	}
	return out
}

// placeBefore orders places by cost, then round and position.
func placeBefore(a, b *place) bool {
	if a.delta != b.delta {
		return a.delta < b.delta
	}
	if a.v != b.v {
		return a.v < b.v
	}
	return a.pos < b.pos
}

// keepBest adds x to out, sorted best first and holding at most k places.
func keepBest(out []place, x place, k int) []place {
	n := len(out)
	if n == k && !placeBefore(&x, &out[n-1]) {
		return out
	}
	if n < k {
		out = append(out, x)
	} else {
		n--
	}
	i := n
	for i > 0 && placeBefore(&x, &out[i-1]) {
		out[i] = out[i-1]
		i--
	}
	out[i] = x
	return out
}

// combos lists the most promising placements of every leg of job j: legs on
// different carers whose feasible start intervals share a moment.
func (ins *inserter) findCombos(j int32) []combo {
	s := ins.s
	p := s.p
	jb := &p.jobs[j]
	for len(ins.perLeg) < len(jb.tasks) {
		ins.perLeg = append(ins.perLeg, nil)
	}
	for i, k := range jb.tasks {
		ins.perLeg[i] = ins.legPlaces(k, ins.perLeg[i])
		if len(ins.perLeg[i]) == 0 {
			return nil
		}
	}
	for _, c := range ins.combos {
		ins.free = append(ins.free, c.places[:0])
	}
	ins.combos = ins.combos[:0]
	ins.chosen = ins.chosen[:0]
	ins.search(jb, 0, 0, 1<<30, 0)
	slices.SortStableFunc(ins.combos, func(a, b combo) int {
		switch {
		case a.score < b.score:
			return -1
		case a.score > b.score:
			return 1
		}
		return 0
	})
	return ins.combos
}

// search walks the legs' places depth first, keeping the best maxCombo
// combinations in ins.combos.
func (ins *inserter) search(jb *job, leg int, lo, hi int32, score float64) {
	p := ins.s.p
	if leg == len(jb.tasks) {
		ins.keep(score)
		return
	}
	if len(ins.combos) == ins.maxCombo && score >= ins.combos[len(ins.combos)-1].score {
		return
	}
	vi := &p.visits[p.tasks[jb.tasks[leg]].visit]
	for _, pl := range ins.perLeg[leg] {
		carer := p.vehicles[pl.v].carer
		clash := false
		for _, c := range ins.chosen {
			if p.vehicles[c.v].carer == carer {
				clash = true
				break
			}
		}
		if clash {
			continue
		}
		nlo, nhi := max(lo, pl.arr), min(hi, pl.late)
		if nlo > nhi {
			continue
		}
		// The common start must be a start the leg's own windows allow.
		if st, ok := vi.earliestStart(nlo); !ok || st > nhi {
			continue
		} else {
			nlo = st
		}
		ins.chosen = append(ins.chosen, pl)
		ins.search(jb, leg+1, nlo, nhi, score+pl.delta)
		ins.chosen = ins.chosen[:len(ins.chosen)-1]
	}
}

// keep records the current chosen places as a combination if it is among
// the best maxCombo found.
func (ins *inserter) keep(score float64) {
	var buf []place
	if len(ins.combos) == ins.maxCombo {
		last := len(ins.combos) - 1
		if score >= ins.combos[last].score {
			return
		}
		buf = ins.combos[last].places[:0]
		ins.combos = ins.combos[:last]
	} else if n := len(ins.free); n > 0 {
		buf = ins.free[n-1]
		ins.free = ins.free[:n-1]
	}
	c := combo{places: append(buf, ins.chosen...), score: score}
	i := len(ins.combos)
	for i > 0 && ins.combos[i-1].score > score {
		i--
	}
	ins.combos = slices.Insert(ins.combos, i, c)
}

// apply inserts job j at the places of c and re-times the plan. It reports
// whether every hard rule still holds.
func (s *solution) apply(j int32, c *combo) bool {
	jb := &s.p.jobs[j]
	for i, pl := range c.places {
		s.insertTask(jb.tasks[i], int(pl.v), int(pl.pos))
		s.enqueue(pl.v)
	}
	return s.propagate() && s.settle() && (!s.p.capped || s.distinctCarersHold(j))
}

// insertBest puts job j where it costs least among the promising places,
// verified exactly. It reports false, leaving the solution as it was, when
// no place keeps every hard rule.
func (ins *inserter) insertBest(j int32) bool {
	if ins.tryInsert(j) {
		return true
	}
	// The cheap places of each leg may share no moment, or fail the exact
	// check; look wider once, idle carers included, before giving up.
	leg, combo := ins.maxLeg, ins.maxCombo
	ins.maxLeg, ins.maxCombo = 1<<20, 4*combo
	ok := ins.tryInsert(j)
	ins.maxLeg, ins.maxCombo = leg, combo
	return ok
}

// tryInsert is one pass of insertBest with the inserter's current limits.
func (ins *inserter) tryInsert(j int32) bool {
	s := ins.s
	combos := ins.findCombos(j)
	if len(combos) == 0 {
		return false
	}
	// The backup was equal to s when s last cleared its changes; bring it
	// up to date, then undo each trial by copying back what it changed.
	ins.backup.copyChanged(s, s.changed, s.all)
	s.clearChanged()
	best := -1
	bestCost := 0.0
	for i := range combos {
		ok := s.apply(j, &combos[i])
		if ok {
			c := s.cost().rest
			if best < 0 || c < bestCost {
				best, bestCost = i, c
			}
		}
		s.undo(ins.backup)
	}
	if best < 0 {
		return false
	}
	if !s.apply(j, &combos[best]) {
		// The same insertion was feasible a moment ago; the schedule is
		// deterministic, so this cannot happen.
		s.undo(ins.backup)
		return false
	}
	if s.all || s.p.spreadCapS >= 0 {
		// A start that moved bounds its recurring call's visits on other
		// rounds (spreadLatest): refresh them all.
		s.refreshLatest()
	} else {
		for _, v := range s.changed {
			s.refreshLatestOf(int(v))
		}
	}
	return true
}

// undo returns s to the backup o it was equal to when it last cleared its
// changes.
func (s *solution) undo(o *solution) {
	s.copyChanged(o, s.changed, s.all)
	s.clearChanged()
}
