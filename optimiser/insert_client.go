package optimiser

import "slices"

// Whole clients. Over a period, a client held to few carers
// (max_distinct_carers) is served well only when all their visits go to a
// carer who suits them on every day, and inserting one visit at a time
// decides that carer by the first visit placed, where it costs least that
// day: a carer with nothing to do, whose round would cost more on the
// first day but less over the period, is never chosen. recreateByClient
// inserts the visits a ruin took out client by client instead, trying the
// client's whole set of visits on each of a few carers in turn (the carers
// of their nearest visits and an idle carer) and keeping the plan that
// costs least, so that a client's recurrence moves wholesale to another
// carer, or to a fresh one.

// wholeClientShare is the share of recreates that insert by whole clients
// in a period whose clients are held to one or two carers
// (problem.tightCap; see allContinuityMoves for why only there).
const wholeClientShare = 0.5

// wholeClientCarers is the number of carers serving near visits that a
// client's visits are tried on, besides an idle carer and the usual
// insertion a visit at a time.
const wholeClientCarers = 4

// wholeClientNear is how many of each visit's nearest visits vote for the
// carers to try.
const wholeClientNear = 10

// clientScratch is a run's scratch for recreateByClient.
type clientScratch struct {
	n     []int32 // per client: one-leg jobs of theirs to insert
	done  []bool  // per client: inserted already in this recreate
	group []int32
	rest  []int32
	votes []int32 // per carer
	cands []int32
	snap  *solution // the plan before the client's visits went in
	best  *solution // the best plan with them in so far
}

// clientScratch is r's scratch for whole clients, made on first use.
func (r *run) clientScratch() *clientScratch {
	cs := &r.clients
	if cs.n == nil {
		cs.n = make([]int32, len(r.p.in.Clients))
		cs.done = make([]bool, len(r.p.in.Clients))
		cs.votes = make([]int32, len(r.p.carers))
	}
	return cs
}

// recreateByClient inserts jobs in the order given, a client's one-leg
// jobs all at once (insertClient) where the client has two or more of
// them, other jobs one at a time.
func (r *run) recreateByClient(ins *inserter, jobs []int32) {
	p := r.p
	cs := r.clientScratch()
	clientOf := func(j int32) int32 {
		if len(p.jobs[j].tasks) != 1 {
			return -1
		}
		return p.visits[p.jobs[j].visits[0]].client
	}
	for _, j := range jobs {
		if cl := clientOf(j); cl >= 0 {
			cs.n[cl]++
		}
	}
	for _, j := range jobs {
		cl := clientOf(j)
		if cl < 0 || cs.n[cl] < 2 {
			ins.insertBest(j)
			continue
		}
		if cs.done[cl] {
			continue
		}
		cs.done[cl] = true
		cs.group = cs.group[:0]
		for _, k := range jobs {
			if clientOf(k) == cl {
				cs.group = append(cs.group, k)
			}
		}
		r.insertClient(ins, cs.group)
	}
	for _, j := range jobs {
		if cl := clientOf(j); cl >= 0 {
			cs.n[cl], cs.done[cl] = 0, false
		}
	}
}

// insertClient inserts group, one-leg jobs of one client, as the plan that
// costs least of: each where it costs least, in turn; and, for each of a
// few carers, every job on that carer where it can go, the rest each where
// it costs least.
func (r *run) insertClient(ins *inserter, group []int32) {
	s := ins.s
	cs := &r.clients
	if cs.snap == nil {
		cs.snap, cs.best = s.clone(), s.clone()
	}
	cs.snap.copyFrom(s)
	carers := r.clientCarers(s, group)
	for _, j := range group {
		ins.insertBest(j)
	}
	if len(carers) == 0 {
		return
	}
	bestCost := s.cost()
	cs.best.copyFrom(s)
	last := false // the plan in s is the best
	for _, c := range carers {
		s.copyFrom(cs.snap)
		ins.only = c
		cs.rest = cs.rest[:0]
		for _, j := range group {
			if !ins.insertBest(j) {
				cs.rest = append(cs.rest, j)
			}
		}
		ins.only = -1
		for _, j := range cs.rest {
			ins.insertBest(j)
		}
		last = false
		if c := s.cost(); better(c, bestCost) {
			bestCost, last = c, true
			cs.best.copyFrom(s)
		}
	}
	if !last {
		s.copyFrom(cs.best)
	}
}

// clientCarers lists the carers to try a client's visits on: the carers
// serving most of the nearest visits to the group's, at most
// wholeClientCarers of them, and one idle carer allowed the client's
// first visit, if any.
func (r *run) clientCarers(s *solution, group []int32) []int32 {
	p := r.p
	cs := r.clientScratch()
	cs.cands = cs.cands[:0]
	for _, j := range group {
		vis := p.jobs[j].visits[0]
		near := r.tri.near[vis]
		for _, n := range near[:min(len(near), wholeClientNear)] {
			for _, t := range p.visits[n].legs {
				if v := s.veh[t]; v >= 0 {
					c := p.vehicles[v].carer
					if cs.votes[c] == 0 {
						cs.cands = append(cs.cands, c)
					}
					cs.votes[c]++
				}
			}
		}
	}
	slices.SortStableFunc(cs.cands, func(a, b int32) int { return int(cs.votes[b] - cs.votes[a]) })
	for _, c := range cs.cands {
		cs.votes[c] = 0
	}
	cs.cands = cs.cands[:min(len(cs.cands), wholeClientCarers)]
	first := int(p.jobs[group[0]].visits[0])
	off := r.rng.IntN(len(p.carers))
	for i := range p.carers {
		c := int32((off + i) % len(p.carers))
		if p.allowed[first*p.nCarers+int(c)] && s.carerIdle(c) {
			cs.cands = append(cs.cands, c)
			break
		}
	}
	return cs.cands
}
