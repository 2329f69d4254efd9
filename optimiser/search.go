package optimiser

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rounds-dev/rounds/roster"
)

// Solve builds rounds for the instance with the given travel. The instance
// must have passed Validate. A period document is planned over its whole
// period (roster.Expand) and its plan dated, with wall-clock times on each
// round's date (roster.Expanded.PlanDates). It returns the best plan found
// when the time limit, the iteration limit or the stall limit is reached,
// or when ctx is cancelled; it returns an error only when it cannot start.
func Solve(ctx context.Context, in *roster.Instance, travel roster.Travel, opts Options) (*roster.Plan, error) {
	if in == nil || travel == nil {
		return nil, errors.New("optimiser: nil instance or travel")
	}
	w, err := opts.weights()
	if err != nil {
		return nil, err
	}
	if _, err := ParseLocalSearch(string(opts.LocalSearch)); err != nil {
		return nil, fmt.Errorf("optimiser: local search: %w", err)
	}
	flat, x, err := expandForSolve(in)
	if err != nil {
		return nil, err
	}
	p, err := newPeriodProblem(flat, x, travel, w)
	if err != nil {
		return nil, err
	}
	prev := opts.Previous
	if prev != nil && x != nil {
		// The previous plan's dated rounds, in the period's instants; what
		// cannot be read (a date outside the period) is left out, as a
		// visit that has gone is.
		prev, _, _ = x.PlanInstants(prev)
	}
	if prev != nil {
		p.applyPrevious(prev)
	}
	var pins []heldPin
	if len(opts.Pins) > 0 {
		if prev == nil {
			return nil, errors.New("optimiser: pins need the plan they keep (Options.Previous)")
		}
		if pins, err = p.readPins(prev, opts.Pins); err != nil {
			return nil, err
		}
	}
	var fz *freezeState
	if !opts.FreezeBefore.IsZero() || len(pins) > 0 {
		at := int32(noFreeze)
		if !opts.FreezeBefore.IsZero() {
			if at, err = freezeInstant(in, x, opts.FreezeBefore); err != nil {
				return nil, err
			}
		}
		fz = p.applyFreeze(prev, at, pins)
	}
	workers := max(1, opts.Workers)
	tri := p.triage()
	if fz != nil {
		fz.applyToTriage(p, tri)
	}
	if err := p.pinsServable(pins, tri); err != nil {
		return nil, err
	}
	if prev != nil {
		tri.previous = p.previousRoutes(prev, tri.open)
	}
	runs := make([]*run, workers)
	var board *progressBoard
	if opts.Progress != nil {
		board = new(progressBoard)
	}
	var wg sync.WaitGroup
	for i := range runs {
		o := opts
		o.Seed = opts.Seed + int64(i)
		if i > 0 {
			o.Progress = nil // the first search reports for all
		}
		runs[i] = newRun(p, tri, o)
		runs[i].board = board
		wg.Add(1)
		go func(r *run) {
			defer wg.Done()
			r.search(ctx)
		}(runs[i])
	}
	wg.Wait()
	best := runs[0]
	for _, r := range runs[1:] {
		if better(r.bestCost, best.bestCost) {
			best = r
		}
	}
	if opts.Progress != nil {
		// The last report is of the plan returned, so that its figures
		// are the plan's own.
		final := best.progress()
		final.Done = true
		opts.Progress(final)
	}
	pl := best.plan(travel)
	if fz != nil {
		fz.mend(p, pl)
	}
	return datePlan(in, x, pl)
}

// datePlan writes pl, a plan in the instants of x (the expansion of
// document in; nil for a one-day document, whose plan is returned as it
// is), as a plan for the period with its figures (Expanded.PlanDates).
func datePlan(in *roster.Instance, x *roster.Expanded, pl *roster.Plan) (*roster.Plan, error) {
	if x == nil {
		return pl, nil
	}
	dated, err := x.PlanDates(pl)
	if err != nil {
		return nil, fmt.Errorf("optimiser: writing the plan for the period: %w", err)
	}
	pk, err := roster.ComputePeriodKPIs(in, dated, roster.DefaultPaySettings())
	if err != nil {
		return nil, fmt.Errorf("optimiser: the period's key figures: %w", err)
	}
	dated.PeriodKPIs = &pk
	return dated, nil
}

// progressBoard holds the figures of the best plan any search of one Solve
// has found so far, so that progress reports speak of the plan Solve would
// return rather than of the reporting search's own.
type progressBoard struct {
	mu   sync.Mutex
	set  bool
	cost objective
	best Progress
}

// offer records r's best plan if it beats every search's so far.
func (b *progressBoard) offer(r *run) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.set && !better(r.bestCost, b.cost) {
		return
	}
	b.set, b.cost, b.best = true, r.bestCost, r.progress()
}

// report is the board's best plan's figures, with the iteration count and
// elapsed time of the search r that reports them.
func (b *progressBoard) report(r *run) Progress {
	b.mu.Lock()
	pr := b.best
	b.mu.Unlock()
	pr.Iteration, pr.Elapsed = r.iters, time.Since(r.began)
	return pr
}

// run is one search.
type run struct {
	p        *problem
	tri      *triage
	opts     Options
	rng      *rand.Rand
	best     *solution
	bestCost objective
	iters    int
	waiting  []int32 // scratch for retries
	began    time.Time
	// lastReport is when progress was last reported.
	lastReport time.Time
	elapsed    time.Duration
	board      *progressBoard // shared by the searches of one Solve; nil without progress reports
	clients    clientScratch  // scratch for recreateByClient
}

func newRun(p *problem, tri *triage, opts Options) *run {
	if opts.TimeLimit <= 0 {
		opts.TimeLimit = DefaultTimeLimit
	}
	if opts.StallIterations == 0 {
		opts.StallIterations = DefaultStall
	}
	if opts.ProgressEvery <= 0 {
		opts.ProgressEvery = 500 * time.Millisecond
	}
	return &run{p: p, tri: tri, opts: opts, rng: rand.New(rand.NewPCG(uint64(opts.Seed), 0x726f756e6473))}
}

// triage is what every search of one problem shares, worked out once: the
// reason each visit can never be served (if any), the jobs left open to
// the search, and each visit's nearest visits for the ruin operators.
type triage struct {
	verdicts []verdict
	open     []int32
	near     [][]int32
	gran     *granular
	previous [][]int32 // rounds to start from when re-planning, or nil
	// homes lists, per visit, the rounds whose carers start nearest
	// (problem.nearestStarts): the granular lists' own when there are
	// any, otherwise worked out once for every search that asks.
	homesOnce sync.Once
	homes     [][]int32
}

// nearestStarts is t.homes, worked out on first use.
func (t *triage) nearestStarts(p *problem) [][]int32 {
	t.homesOnce.Do(func() {
		if t.gran != nil {
			t.homes = t.gran.home
		} else {
			t.homes = p.nearestStarts(homeVehicles)
		}
	})
	return t.homes
}

func (p *problem) triage() *triage {
	t := &triage{verdicts: p.staticVerdicts(), near: p.neighbours(40)}
	t.gran = newGranular(p, t.near)
	// A job that passes the static checks is tried on its own in otherwise
	// empty rounds, with the exact schedule: what fails there can never be
	// served, and what passes can, so "no capacity" is a true reason. The
	// trial uses no randomness (no blinks). One exception: a carer whose
	// maximum leg keeps them from going straight from their start to a
	// visit, or straight from it to their end, may still reach it by way of
	// other visits, so such a job stays open to the search; should it stay
	// unserved, its reason is still that it fits no empty round.
	empty := newSolution(p)
	ins := newInserter(empty, rand.New(rand.NewPCG(0, 0)))
	for j := range p.jobs {
		ok := true
		for _, v := range p.jobs[j].visits {
			if t.verdicts[v].reason != "" {
				ok = false
			}
		}
		if !ok {
			continue
		}
		if !ins.insertBest(int32(j)) {
			jb := &p.jobs[j]
			for _, v := range jb.visits {
				id := p.in.Visits[v].ID
				switch {
				case len(jb.visits) > 1:
					t.verdicts[v] = verdict{roster.ReasonDependency, fmt.Sprintf(
						"Visit %s must start at the same moment as %s on other carers' rounds, and no set of qualified carers can all be there at one time within their shifts.",
						id, otherVisits(p, jb, v))}
				case len(jb.tasks) > 1:
					t.verdicts[v] = verdict{roster.ReasonNoFeasibleRound, fmt.Sprintf(
						"Visit %s needs two carers at once, and no two qualified carers can both be there at one time within their shifts, working-time caps and rest breaks.", id)}
				default:
					t.verdicts[v] = verdict{roster.ReasonNoFeasibleRound, fmt.Sprintf(
						"Visit %s fits no qualified carer's otherwise empty round once rest breaks, working-time caps and capacity are kept.", id)}
				}
			}
			if p.noWait {
				// Without waiting, a visit reached too early from a
				// carer's start may be reached in time by way of others.
				for _, v := range jb.visits {
					t.verdicts[v].detail += " Carers may not wait (rules.no_waiting), so it can be served only after other visits bring a carer there in time, and no round of this plan does."
				}
				t.open = append(t.open, int32(j))
			} else if p.reachedByWayOfOthers(int32(j)) {
				for _, v := range jb.visits {
					t.verdicts[v].detail += " Carers held to a maximum leg can reach it only by way of other visits, and no round of this plan takes them there in time."
				}
				t.open = append(t.open, int32(j))
			}
			continue
		}
		for _, tk := range p.jobs[j].tasks {
			empty.removeTask(tk)
		}
		empty.reschedule()
		t.open = append(t.open, int32(j))
	}
	return t
}

// search constructs a plan and improves it by ruin and recreate until a
// limit is reached.
func (r *run) search(ctx context.Context) {
	r.began = time.Now()
	p := r.p
	cur := newSolution(p)
	if r.tri.previous != nil {
		cur.seed(r.tri.previous) // if the old rounds cannot stand, start afresh
	}
	ins := newInserter(cur, r.rng)
	ins.gran = r.tri.gran
	var todo []int32
	for _, j := range r.tri.open {
		if !cur.assigned(j) {
			todo = append(todo, j)
		}
	}
	if p.pinnedJob != nil {
		// Pins first, while the rounds have room.
		for _, j := range todo {
			if p.pinnedJob[j] {
				ins.insertBest(j)
			}
		}
		todo = slices.DeleteFunc(todo, cur.assigned)
	}
	r.recreate(ins, todo, 0)
	useLS := p.localSearch(r.opts.LocalSearch)
	if useLS {
		cur.refreshLatest()
		all := make([]int32, len(p.vehicles))
		for v := range all {
			all[v] = int32(v)
		}
		newLocalSearch(cur, ins.backup, r.tri.near, r.tri.nearestStarts(p)).run(all, lsBudget(len(p.tasks)))
	}
	r.best = cur.clone()
	r.bestCost = cur.cost()
	r.board.offer(r)
	curCost := r.bestCost

	work := cur.clone()
	b := r.newRebuilder(work, useLS)
	r.lastReport = r.began
	stall := 0
	cool := newCooling(cur, r.tri.previous != nil)
	// Fleet minimisation runs once, as soon as the best plan serves every
	// visit it can: that is asked whenever the best plan changes.
	fleetDue := r.shrinksFleet()
	fleetAsk := fleetDue
	for r.iters = 0; ; r.iters++ {
		if fleetAsk {
			fleetAsk = false
			if r.unservedJobs(r.best) == 0 {
				fleetDue = false
				r.shrinkFleet(ctx, b, r.fleetBudget())
				cur.copyFrom(r.best)
				curCost = r.bestCost
				stall = 0
			}
		}
		now := time.Now()
		r.elapsed = now.Sub(r.began)
		if ctx.Err() != nil || r.elapsed >= r.opts.TimeLimit ||
			(r.opts.Iterations > 0 && r.iters >= r.opts.Iterations) ||
			(r.opts.StallIterations > 0 && stall >= r.opts.StallIterations) ||
			len(r.tri.open) == 0 {
			break
		}
		r.tick(now)
		// The temperature falls over the run: by iterations when they are
		// bounded (repeatable), by the clock otherwise.
		frac := r.elapsed.Seconds() / r.opts.TimeLimit.Seconds()
		if r.opts.Iterations > 0 {
			frac = float64(r.iters) / float64(r.opts.Iterations)
		}
		temp := cool.temp(frac)

		if !r.rebuild(b, cur) {
			stall++
			continue
		}
		c := work.cost()
		stall++
		if r.keepIfBest(work, c) {
			stall = 0
			fleetAsk = fleetDue
		}
		if c.scalar() < curCost.scalar()-temp*math.Log(r.rng.Float64()) {
			cur.copyFrom(work)
			curCost = c
		}
	}
}

// rebuilder is what a ruin-and-recreate iteration works with: the plan it
// rebuilds, with its inserter, local search (nil without) and ruiner, and
// the most jobs a ruin takes out.
type rebuilder struct {
	work    *solution
	ins     *inserter
	ls      *localSearch
	rn      *ruiner
	maxQ    int
	touched []int32 // scratch: the rounds an iteration changed
}

// newRebuilder prepares iterations that rebuild work, with local search
// when withLS is set.
func (r *run) newRebuilder(work *solution, withLS bool) *rebuilder {
	p := r.p
	b := &rebuilder{work: work, ins: newInserter(work, r.rng), rn: newRuiner(p, r.tri.near, r.rng),
		maxQ: max(4, min(40, len(r.tri.open)*3/10))}
	b.ins.gran = r.tri.gran
	if withLS {
		b.ls = newLocalSearch(work, b.ins.backup, r.tri.near, r.tri.nearestStarts(p))
		// Splitting rounds pays where carers are cheap; where they are
		// dear the round ruin, whose turns it would share, is what
		// closes rounds.
		b.rn.splits = p.w.CarerUsed <= splitCarerCap*p.w.Travel
	}
	return b
}

// rebuild is one iteration's new plan: b.work becomes a copy of from, a
// ruin takes out about q of its jobs (q drawn up to b.maxQ), they are
// recreated with some of the jobs left waiting, and local search runs over
// the rounds that changed. It reports false, leaving work ruined, when the
// ruined plan cannot be timed.
func (r *run) rebuild(b *rebuilder, from *solution) bool {
	work, rn := b.work, b.rn
	work.copyFrom(from)
	q := 1 + r.rng.IntN(min(b.maxQ, len(r.tri.open)))
	removed := rn.ruin(work, q)
	ok := work.reschedule()
	for tries := 0; !ok && tries < 3 && rn.releaseSpreads(work); tries++ {
		ok = work.reschedule()
		removed = rn.removed
	}
	if !ok {
		return false
	}
	work.refreshLatest()
	todo := r.retries(work, removed, q)
	if rn.focus >= 0 {
		todo = focusFirst(b.ins, todo, rn.focus)
	}
	r.recreate(b.ins, todo, 0.01)
	if b.ls != nil {
		b.touched = changedRounds(work, from, b.touched)
		b.ls.run(b.touched, lsBudget(len(r.p.tasks)))
	}
	return true
}

// keepIfBest makes s, of cost c, the best plan if it beats it.
func (r *run) keepIfBest(s *solution, c objective) bool {
	if !better(c, r.bestCost) {
		return false
	}
	r.best.copyFrom(s)
	r.bestCost = c
	r.board.offer(r)
	return true
}

// tick reports progress when ProgressEvery has passed since the last
// report.
func (r *run) tick(now time.Time) {
	if r.opts.Progress != nil && now.Sub(r.lastReport) >= r.opts.ProgressEvery {
		r.lastReport = now
		r.opts.Progress(r.board.report(r))
	}
}

// localSearch reports whether the search uses local search under mode m.
func (p *problem) localSearch(m LocalSearchMode) bool {
	switch m {
	case LocalSearchOn:
		return true
	case LocalSearchOff:
		return false
	}
	for i := range p.visits {
		if p.visits[i].soft {
			return false
		}
	}
	return true
}

// splitCarerCap is the most a carer may cost, in seconds of travel, for
// the split ruin to run: an hour. On Solomon's instances under the
// hierarchical objective (a carer 10^6) the split ruin's turns taken from
// the round ruin left the best-known fleet on 33 instances of 56 at 5 s
// instead of 36.
const splitCarerCap = 3600

// lsBudget bounds the exact timings of one local search over a plan of n
// tasks.
func lsBudget(n int) int { return 4*n + 100 }

// retries lists the jobs to re-insert after a ruin: those removed, and the
// jobs left unserved before it. When many are unserved, as on a large day
// early in the search, a random sample of them in proportion to the ruin
// is tried, so that an iteration costs about the same however many wait.
func (r *run) retries(s *solution, removed []int32, q int) []int32 {
	todo := slices.Clone(removed)
	r.waiting = r.waiting[:0]
	for _, j := range r.tri.open {
		if !s.assigned(j) && !slices.Contains(removed, j) {
			r.waiting = append(r.waiting, j)
		}
	}
	if n := max(16, 2*q); len(r.waiting) > n {
		for i := 0; i < n; i++ {
			k := i + r.rng.IntN(len(r.waiting)-i)
			r.waiting[i], r.waiting[k] = r.waiting[k], r.waiting[i]
		}
		r.waiting = r.waiting[:n]
	}
	return append(todo, r.waiting...)
}

func better(a, b objective) bool {
	if a.unserved != b.unserved {
		return a.unserved < b.unserved
	}
	return a.rest < b.rest-1e-9
}

// recreate inserts the jobs in an order chosen at random among a few
// sortings, each where it costs least, skipping places with probability
// blink.
func (r *run) recreate(ins *inserter, jobs []int32, blink float64) {
	p := r.p
	ins.blink = blink
	r.rng.Shuffle(len(jobs), func(i, k int) { jobs[i], jobs[k] = jobs[k], jobs[i] })
	firstOpen := func(j int32) int32 { return p.visits[p.jobs[j].visits[0]].wins[0].open }
	width := func(j int32) int32 {
		w := p.visits[p.jobs[j].visits[0]].wins
		return w[len(w)-1].close - w[0].open
	}
	switch x := r.rng.Float64(); {
	case x < 0.3:
		slices.SortStableFunc(jobs, func(a, b int32) int { return int(firstOpen(a) - firstOpen(b)) })
	case x < 0.5:
		slices.SortStableFunc(jobs, func(a, b int32) int { return int(width(a) - width(b)) })
	case x < 0.8:
		// Hardest first: most legs, then highest priority.
		slices.SortStableFunc(jobs, func(a, b int32) int {
			if d := len(p.jobs[b].tasks) - len(p.jobs[a].tasks); d != 0 {
				return d
			}
			return p.jobs[b].priority - p.jobs[a].priority
		})
	}
	if p.days > 1 && p.tightCap && r.rng.Float64() < wholeClientShare {
		r.recreateByClient(ins, jobs)
		return
	}
	for _, j := range jobs {
		ins.insertBest(j)
	}
}

// progress is the figures of r's best plan so far.
func (r *run) progress() Progress {
	pr := Progress{Iteration: r.iters, Elapsed: time.Since(r.began), Objective: r.bestCost.rest}
	if r.best == nil {
		return pr
	}
	for i := range r.p.visits {
		if r.best.veh[r.p.visits[i].legs[0]] >= 0 {
			pr.Served++
		} else {
			pr.Unserved++
		}
	}
	pr.TravelS = r.best.travelS()
	return pr
}

// travelS is the solution's total travel in seconds.
func (s *solution) travelS() int {
	total := 0
	for v := range s.routes {
		total += int(s.routeTravel(v))
	}
	return total
}

// otherVisits lists the ids of job jb's visits other than v.
func otherVisits(p *problem, jb *job, v int32) string {
	var ids []string
	for _, w := range jb.visits {
		if w != v {
			ids = append(ids, p.in.Visits[w].ID)
		}
	}
	return strings.Join(ids, ", ")
}
