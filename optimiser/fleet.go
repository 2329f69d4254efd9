package optimiser

import (
	"context"
	"slices"
	"time"
)

// Fleet minimisation (docs/DESIGN-search.md, section 3). Where a carer
// costs more than any travel a round could save (a hierarchical objective,
// or the commissioner's sizing, which asks for the fewest carers), ruin
// and recreate alone seldom closes a round: every visit of the round must
// find a place elsewhere in the same iteration, or the plan leaves a visit
// unserved and is refused. So the search runs a phase in the spirit
// of the fleet minimisation of slack induction by string removals
// (Christiaens and Vanden Berghe), itself after Nagata and Bräysy's
// ejection pool:
//   - the rounds of one carer are emptied and that carer is closed, with
//     every carer who had no round, so that the plan must make do with one
//     carer fewer; the visits taken out wait unserved;
//   - ruin and recreate then runs on the carers left, and a plan is kept
//     when it leaves fewer visits unserved, or when the visits it leaves
//     have waited less in total: each visit counts the iterations it has
//     spent unserved, so the ones that are hard to place are placed first
//     and the easy ones give way;
//   - when every visit is served again the carer is gone for good, the
//     plan is the best so far if it costs less, and the next carer is
//     closed.
//
// The phase starts as soon as the best plan serves every visit that can be
// served, and takes at most fleetShare of what is then left of the
// search's iterations (or of its time); then the search goes on from the
// best plan as usual.

// fleetShare is the share of a search's budget fleet minimisation may
// take.
const fleetShare = 0.5

// fleetPicks is the number of carers drawn at random, of whom the one
// with the fewest visits is closed next.
const fleetPicks = 3

// shrinksFleet reports whether the search starts with fleet minimisation:
// on one day, planned afresh, where a carer costs more than an hour of
// travel (splitCarerCap), with nothing held in place by a freeze or a pin.
func (r *run) shrinksFleet() bool {
	p := r.p
	return p.w.CarerUsed > splitCarerCap*p.w.Travel && p.days == 1 && r.tri.previous == nil &&
		p.frozenJob == nil && p.pinnedJob == nil
}

// fleet is the state of one fleet minimisation.
type fleet struct {
	r *run
	// closed marks the rounds no visit may go to: those of the carers
	// closed and of every carer idle when the last one was.
	closed []bool
	// waited counts, per job, the iterations it has spent unserved since
	// the last carer was closed.
	waited []int
}

// shrinkFleet runs fleet minimisation on r.best until done reports that
// the phase's budget is spent, rebuilding plans with b. r.best and
// r.bestCost are the best plan found, as always.
func (r *run) shrinkFleet(ctx context.Context, b *rebuilder, done func() bool) {
	p := r.p
	f := &fleet{r: r, closed: make([]bool, len(p.vehicles)), waited: make([]int, len(p.jobs))}
	b.ins.closed = f.closed
	if b.ls != nil {
		b.ls.closed = f.closed
	}
	defer func() {
		b.ins.closed = nil
		if b.ls != nil {
			b.ls.closed = nil
		}
	}()
	cur := r.best.clone()
	if r.unservedJobs(cur) > 0 {
		return // no carer to spare while some visit waits
	}
	for ctx.Err() == nil && !done() {
		if !f.closeOne(cur, b.rn) {
			return
		}
		n, w := r.unservedJobs(cur), f.waits(cur)
		for n > 0 {
			if ctx.Err() != nil || done() {
				return
			}
			r.iters++
			r.tick(time.Now())
			if !r.rebuild(b, cur) {
				continue
			}
			if wn, ww := r.unservedJobs(b.work), f.waits(b.work); wn < n || ww < w {
				cur.copyFrom(b.work)
				n = wn
			}
			for _, j := range r.tri.open {
				if !cur.assigned(j) {
					f.waited[j]++
				}
			}
			w = f.waits(cur)
		}
		r.keepIfBest(cur, cur.cost())
	}
}

// closeOne empties the rounds of one of the carers s uses, drawn from
// fleetPicks at random as the one with the fewest visits, and closes
// them with every round of a carer s leaves idle. It reports false when s
// uses at most one carer.
func (f *fleet) closeOne(s *solution, rn *ruiner) bool {
	p := f.r.p
	used := make([]int, len(p.carers)) // tasks per carer
	var carers []int32
	for v, route := range s.routes {
		if c := p.vehicles[v].carer; len(route) > 0 {
			if used[c] == 0 {
				carers = append(carers, c)
			}
			used[c] += len(route)
		}
	}
	if len(carers) <= 1 {
		return false
	}
	c := carers[f.r.rng.IntN(len(carers))]
	for range fleetPicks - 1 {
		if o := carers[f.r.rng.IntN(len(carers))]; used[o] < used[c] {
			c = o
		}
	}
	rn.reset()
	for v := range p.vehicles {
		vc := p.vehicles[v].carer
		f.closed[v] = used[vc] == 0 || vc == c
		if vc == c {
			for _, k := range slices.Clone(s.routes[v]) {
				rn.remove(s, p.tasks[k].job)
			}
		}
	}
	s.reschedule()
	s.refreshLatest()
	clear(f.waited)
	return true
}

// fleetBudget is the stop test of a fleet minimisation that starts now:
// it may take fleetShare of what is left of the search's iterations and
// of its time.
func (r *run) fleetBudget() func() bool {
	start := time.Since(r.began)
	limit := start + time.Duration(fleetShare*float64(r.opts.TimeLimit-start))
	iters := r.iters + int(fleetShare*float64(r.opts.Iterations-r.iters))
	return func() bool {
		return time.Since(r.began) >= limit || (r.opts.Iterations > 0 && r.iters >= iters)
	}
}

// unservedJobs is the number of open jobs s leaves unserved.
func (r *run) unservedJobs(s *solution) int {
	n := 0
	for _, j := range r.tri.open {
		if !s.assigned(j) {
			n++
		}
	}
	return n
}

// waits is the total of waited over the jobs s leaves unserved.
func (f *fleet) waits(s *solution) int {
	w := 0
	for _, j := range f.r.tri.open {
		if !s.assigned(j) {
			w += f.waited[j]
		}
	}
	return w
}
