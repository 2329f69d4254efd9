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
	s        *solution
	rng      *rand.Rand
	blink    float64
	perLeg   [][]place
	combos   []combo
	chosen   []place
	backup   *solution
	maxLeg   int // candidates kept per leg
	maxCombo int // combinations verified exactly
}

func newInserter(s *solution, rng *rand.Rand) *inserter {
	return &inserter{s: s, rng: rng, backup: s.clone(), maxLeg: 24, maxCombo: 6}
}

// refreshLatest recomputes every task's latest start: how late it could
// start without making a later visit in its round infeasible. A tied task
// may move only if its partners can move with it; that is left to the exact
// check, so the bound here is optimistic for tied tasks and exact for the
// rest.
func (s *solution) refreshLatest() {
	p := s.p
	const never = int32(1 << 30)
	for v, r := range s.routes {
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
	out = out[:0]
	for v := range p.vehicles {
		veh := &p.vehicles[v]
		if !p.allowed[int(vis)*p.nCarers+int(veh.carer)] {
			continue
		}
		if s.sharesCarer(vis, veh.carer) || (veh.capacity > 0 && s.load[v]+vi.load > veh.capacity) {
			continue
		}
		pref := p.prefCost[int(vis)*p.nCarers+int(veh.carer)]
		r := s.routes[v]
		idle := len(r) == 0 && s.carerIdle(veh.carer)
		for pos := 0; pos <= len(r); pos++ {
			if ins.blink > 0 && ins.rng.Float64() < ins.blink {
				continue
			}
			prevPt, prevEnd := veh.startPt, veh.open
			if pos > 0 {
				pk := r[pos-1]
				prevPt = p.visits[p.tasks[pk].visit].pt
				prevEnd = s.end(pk) + s.breakAfter(v, pk)
			}
			arr := prevEnd + p.travel(veh, prevPt, vi.pt)
			var late, delta, nextArr int32
			nextK := int32(-1)
			if pos == len(r) {
				late = veh.close - p.travel(veh, vi.pt, veh.endPt) - vi.durS
				if len(r) == 0 {
					delta = p.travel(veh, prevPt, vi.pt) + p.travel(veh, vi.pt, veh.endPt)
				} else {
					delta = p.travel(veh, prevPt, vi.pt) + p.travel(veh, vi.pt, veh.endPt) - p.travel(veh, prevPt, veh.endPt)
				}
			} else {
				nk := r[pos]
				npt := p.visits[p.tasks[nk].visit].pt
				late = s.latest[nk] - p.travel(veh, vi.pt, npt) - vi.durS
				delta = p.travel(veh, prevPt, vi.pt) + p.travel(veh, vi.pt, npt) - p.travel(veh, prevPt, npt)
				nextArr = p.travel(veh, vi.pt, npt) + vi.durS
				nextK = nk
			}
			late = min(late, hi)
			st, ok := vi.earliestStart(max(arr, lo))
			if !ok || st > late {
				continue
			}
			d := float64(delta)*p.w.Travel + pref
			if vi.soft {
				d += float64(vi.lateness(st)) * vi.lateCost
			}
			if nextK >= 0 {
				// Lateness pushed onto the rest of the round: at least the
				// push beyond the next visit's slack, once.
				if push := st + nextArr - s.start[nextK] - s.slack[nextK]; push > 0 {
					d += float64(push) * p.w.Lateness / 60
				}
			}
			if idle {
				d += p.w.CarerUsed
			}
			out = append(out, place{v: int32(v), pos: int32(pos), arr: st, late: late, delta: d})
		}
	}
	slices.SortFunc(out, func(a, b place) int {
		switch {
		case a.delta < b.delta:
			return -1
		case a.delta > b.delta:
			return 1
		}
		return int(a.v-b.v)*1024 + int(a.pos-b.pos)
	})
	if len(out) > ins.maxLeg {
		out = out[:ins.maxLeg]
	}
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
	if len(ins.combos) == ins.maxCombo {
		if score >= ins.combos[len(ins.combos)-1].score {
			return
		}
		ins.combos = ins.combos[:len(ins.combos)-1]
	}
	c := combo{places: slices.Clone(ins.chosen), score: score}
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
	return s.propagate() && s.settle()
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
	ins.backup.copyFrom(s)
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
		s.copyFrom(ins.backup)
	}
	if best < 0 {
		return false
	}
	if !s.apply(j, &combos[best]) {
		// The same insertion was feasible a moment ago; the schedule is
		// deterministic, so this cannot happen.
		s.copyFrom(ins.backup)
		return false
	}
	s.refreshLatest()
	return true
}
