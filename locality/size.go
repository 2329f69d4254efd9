package locality

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/roster"
)

// Planner plans a representative day: in rounds, optimiser.Solve with the
// request's seed, bounds and a carer_used weight of CarerUsed (see
// locality/planner). The caller passes it in because this package may not
// import the optimiser: package synth builds on this one, and the
// optimiser's own tests build on synth.
type Planner func(ctx context.Context, day *roster.Instance, travel roster.Travel, req PlanRequest) (*roster.Plan, error)

// PlanRequest is what a Planner is asked for.
type PlanRequest struct {
	Seed       int64
	Iterations int
	TimeLimit  time.Duration
	Workers    int
	// CarerUsed prices each carer the plan uses, in seconds of travel; 0
	// leaves the planner's usual price.
	CarerUsed float64
	// Previous, when set, is a plan of the same day to start from; moving
	// its visits to other carers costs nothing.
	Previous *roster.Plan
}

// SizeOptions control the search for the carers a locality needs.
type SizeOptions struct {
	// Planner plans each representative day; it must be set.
	Planner Planner
	// Seed makes the sizing repeatable: it draws the pool's homes and
	// seeds every solve.
	Seed int64
	// Iterations and TimeLimit bound each solve (optimiser.Options); both
	// zero give DefaultSizeIterations.
	Iterations int
	TimeLimit  time.Duration
	// Workers is how many independent searches each solve runs.
	Workers int
	// CarerUsed prices each carer a plan uses, in seconds of travel; 0
	// gives DefaultCarerUsed.
	CarerUsed float64
	// MaxSolves bounds the solves of each search (driving, walking); 0
	// gives DefaultMaxSolves.
	MaxSolves int
	// WalkFactor bounds the walkers tried, as a multiple of the carers
	// needed: a locality whose walkers need more is not walkable. 0 gives
	// DefaultWalkFactor; a negative value skips the walking search.
	WalkFactor float64
	// Day shapes the representative day; its Seed and AllWalk are set by
	// the search.
	Day DayOptions
	// Progress, when set, is told of each solve: done of at most total
	// solves, and what was tried. The last call has done == total.
	Progress func(done, total int, what string)
}

// Defaults of SizeOptions.
const (
	// DefaultSizeIterations is enough for a locality day of a few hundred
	// visits to settle how many carers it uses.
	DefaultSizeIterations = 3000
	// DefaultCarerUsed makes a carer cost ten hours of travel, so that
	// the search gives up almost any travel to use one carer fewer.
	DefaultCarerUsed = 36000
	DefaultMaxSolves = 24
	// DefaultWalkFactor lets walkers number half as many again as the
	// drivers and walkers the supply mixes.
	DefaultWalkFactor = 1.5
)

// Sizing is how many carers a locality's representative day needs, with
// the plans that show it, and the figures that follow from the answer's
// plan.
type Sizing struct {
	// CarersNeeded is the fewest carers found to serve every visit: the
	// carers Plan uses.
	CarersNeeded int
	// Day is the representative day Plan serves in full, Travel the
	// travel it was planned and checked with.
	Day    *roster.Instance
	Travel roster.Travel
	Plan   *roster.Plan
	// OneFewerDay is the day with a pool of CarersNeeded−1 carers, and
	// OneFewer its plan, which leaves OneFewerUnserved visits unserved:
	// the evidence that CarersNeeded is the figure. Both are nil when
	// CarersNeeded is the least a day can have: 1, or 2 with
	// double-handed calls.
	OneFewerDay      *roster.Instance
	OneFewerTravel   roster.Travel
	OneFewer         *roster.Plan
	OneFewerUnserved int
	// Estimate is the capacity estimate the search started from.
	Estimate int
	// Solves counts the optimiser runs, walking ones included.
	Solves int
	Figures
	// Walk is the walking search's answer; nil when it was skipped.
	Walk *Walkability
}

// Figures are the representative day's measures, from the answer's plan
// and the clients.
type Figures struct {
	// VisitsADay counts the day's visits, DoubleShare the share of them
	// that are double-handed.
	VisitsADay  int
	DoubleShare float64
	// WeeklyHours is the contact time a week, counted once for a
	// double-handed call, and WeeklyHoursByBand its split by band.
	WeeklyHours       float64
	WeeklyHoursByBand [NBands]float64
	// PaidHoursADay is the carers' paid time on the day (roster.KPIs
	// PaidS); TravelShare is travel as a share of it.
	PaidHoursADay float64
	TravelShare   float64
	// DrivenKMADay is the distance driven on the day; DrivenKMAWeek is
	// seven such days, and CO2KgAWeek its emissions at
	// Supply.CO2KgPerKM.
	DrivenKMADay  float64
	DrivenKMAWeek float64
	CO2KgAWeek    float64
	// Headcount estimates the carers a week's rota needs at
	// Supply.ContractHours: seven days' paid hours over the contract,
	// rounded up. It is an estimate: it assumes every carer works their
	// contract and leaves out leave, sickness and turnover.
	Headcount int
}

// Walkability is whether walkers alone could serve a locality.
type Walkability struct {
	// Walkable is true when walkers, no more than MaxWalkers of them,
	// serve every visit.
	Walkable bool
	// WalkersNeeded is the fewest walkers found to serve every visit;
	// 0 when not walkable.
	WalkersNeeded int
	// MaxWalkers is the largest pool of walkers tried, and Unserved the
	// visits it left unserved (0 when walkable).
	MaxWalkers int
	Unserved   int
	// TravelShare is walking as a share of paid time in Plan.
	TravelShare float64
	// Day, Travel and Plan are the walkers' day and plan: the answer when
	// walkable, else the plan of MaxWalkers walkers.
	Day    *roster.Instance
	Travel roster.Travel
	Plan   *roster.Plan
}

// Size finds the carers a locality's representative day needs by
// planning it. It starts from a capacity estimate, solves with a high
// price on each carer used and counts the carers the plan uses; while
// some visit is unserved it grows the pool by a quarter; then it solves
// again with fewer carers than the best plan uses (a tenth fewer at first,
// halving the gap to a failing pool when it is wide, then one fewer) until
// the pool of one carer fewer than the best plan uses leaves some visit
// unserved. Then the same
// search with walkers only, on walking times, says whether the locality
// is walkable. travel is the road network or routing engine to plan on;
// nil plans on straight lines with the usual detours. Every plan is
// checked with roster.Check: a violation is an error, as is a day that
// needs more than MaxSolves solves to settle.
func Size(ctx context.Context, clients []Client, supply Supply, travel geo.Provider, opts SizeOptions) (*Sizing, error) {
	if err := CheckSupply(supply); err != nil {
		return nil, fmt.Errorf("locality: %w", err)
	}
	if opts.Planner == nil {
		return nil, errors.New("locality: SizeOptions.Planner is not set")
	}
	s := &sizer{ctx: ctx, clients: clients, supply: supply, travel: travel, opts: opts, minPool: 1}
	if s.opts.Iterations == 0 && s.opts.TimeLimit == 0 {
		s.opts.Iterations = DefaultSizeIterations
	}
	if s.opts.CarerUsed == 0 {
		s.opts.CarerUsed = DefaultCarerUsed
	}
	if s.opts.MaxSolves == 0 {
		s.opts.MaxSolves = DefaultMaxSolves
	}
	if s.opts.WalkFactor == 0 {
		s.opts.WalkFactor = DefaultWalkFactor
	}
	s.total = s.opts.MaxSolves
	if s.opts.WalkFactor > 0 {
		s.total *= 2
	}
	// A day that cannot be built (a call too long for its shift) fails
	// here, before any solve.
	for i := range clients {
		if clients[i].Double {
			s.minPool = 2
		}
	}
	if _, err := Day(clients, supply, s.minPool, s.dayOptions(false)); err != nil {
		return nil, err
	}

	out := &Sizing{Estimate: estimate(clients, supply)}
	answer, fewer, err := s.search(false, out.Estimate, true)
	if err != nil {
		return nil, err
	}
	if answer, err = s.polish(answer, false); err != nil {
		return nil, err
	}
	out.CarersNeeded = answer.used
	out.Day, out.Travel, out.Plan = answer.day, answer.travel, answer.plan
	if fewer != nil {
		out.OneFewerDay, out.OneFewerTravel, out.OneFewer = fewer.day, fewer.travel, fewer.plan
		out.OneFewerUnserved = fewer.unserved
	}
	out.Figures = figures(clients, supply, answer.day, answer.plan)

	if s.opts.WalkFactor > 0 {
		maxWalkers := int(math.Ceil(s.opts.WalkFactor * float64(out.CarersNeeded)))
		walk, _, err := s.search(true, maxWalkers, false)
		if err != nil {
			return nil, err
		}
		if walk.unserved == 0 {
			if walk, err = s.polish(walk, true); err != nil {
				return nil, err
			}
		}
		w := &Walkability{MaxWalkers: maxWalkers, Day: walk.day, Travel: walk.travel, Plan: walk.plan, Unserved: walk.unserved}
		if walk.unserved == 0 {
			w.Walkable, w.WalkersNeeded = true, walk.used
		}
		w.TravelShare = travelShare(walk.plan)
		out.Walk = w
	}
	out.Solves = s.solves
	if opts.Progress != nil {
		opts.Progress(s.total, s.total, fmt.Sprintf("%d carers needed", out.CarersNeeded))
	}
	return out, nil
}

// sizer runs the solves of one sizing.
type sizer struct {
	ctx     context.Context
	clients []Client
	supply  Supply
	travel  geo.Provider
	opts    SizeOptions
	solves  int
	total   int
	// minPool is the smallest pool a day can have: two carers when
	// some call is double-handed.
	minPool int
}

// attempt is one solve: a pool of pool carers, of whom the plan uses
// used, leaving unserved visits unserved.
type attempt struct {
	pool, used, unserved int
	day                  *roster.Instance
	travel               roster.Travel
	plan                 *roster.Plan
}

// search finds the fewest carers (walkers, with walk) that serve every
// visit, starting from a pool of start. With grow it grows the pool while
// some visit is unserved; without, a start that leaves some visit unserved
// ends the search and is returned as the answer. fewer is the attempt with
// one carer fewer than the answer uses, nil when the answer uses
// minPool.
func (s *sizer) search(walk bool, start int, grow bool) (answer, fewer *attempt, err error) {
	failed := map[int]*attempt{} // pools that left some visit unserved
	limit := s.opts.MaxSolves
	n := max(s.minPool, start)
	for {
		a, err := s.try(walk, n)
		if err != nil {
			return nil, nil, err
		}
		if a.unserved == 0 {
			answer = a
			break
		}
		failed[n] = a
		if !grow {
			return a, nil, nil
		}
		if limit--; limit == 0 {
			return nil, nil, fmt.Errorf("locality: %d carers leave %d visits unserved, and the search stopped after %d solves", n, a.unserved, s.opts.MaxSolves)
		}
		n = max(n+1, int(math.Ceil(float64(n)*1.25)))
	}
	for answer.used > s.minPool {
		// lo is the largest failing pool below the answer: a heuristic
		// search can serve everyone with fewer carers than a pool it
		// failed with, and then that failure says nothing.
		lo := 0
		for k := range failed {
			if k < answer.used && k > lo {
				lo = k
			}
		}
		if lo == answer.used-1 {
			return answer, failed[lo], nil
		}
		if limit--; limit <= 0 {
			return nil, nil, fmt.Errorf("locality: the number of carers did not settle within %d solves (between %d and %d)", s.opts.MaxSolves, lo, answer.used)
		}
		// One fewer than the answer; a tenth fewer while no pool below
		// it is known to fail, and halfway when the gap is wide.
		n := answer.used - 1
		switch {
		case lo < s.minPool:
			n = max(s.minPool, answer.used-max(1, answer.used/10))
		case answer.used-lo > 4:
			n = (lo + answer.used) / 2
		}
		a, err := s.try(walk, n)
		if err != nil {
			return nil, nil, err
		}
		if a.unserved == 0 {
			answer = a
		} else {
			failed[n] = a
		}
	}
	return answer, nil, nil
}

// dayOptions are the representative day's options for the search.
func (s *sizer) dayOptions(walk bool) DayOptions {
	d := s.opts.Day
	d.Seed, d.AllWalk = s.opts.Seed, walk
	return d
}

// try solves the day with a pool of n carers and checks the plan.
func (s *sizer) try(walk bool, n int) (*attempt, error) {
	if err := s.ctx.Err(); err != nil {
		return nil, err
	}
	day, err := Day(s.clients, s.supply, n, s.dayOptions(walk))
	if err != nil {
		return nil, err
	}
	return s.solve(day, walk, PlanRequest{CarerUsed: s.opts.CarerUsed})
}

// solve plans day with the request's price of a carer and previous plan,
// at the sizing's seed, bounds and workers, and checks the plan.
func (s *sizer) solve(day *roster.Instance, walk bool, req PlanRequest) (*attempt, error) {
	n := len(day.Carers)
	tr, err := geo.TravelFor(s.ctx, s.travel, day)
	if err != nil {
		return nil, fmt.Errorf("locality: travel for the representative day: %w", err)
	}
	req.Seed, req.Iterations, req.TimeLimit, req.Workers = s.opts.Seed, s.opts.Iterations, s.opts.TimeLimit, s.opts.Workers
	plan, err := s.opts.Planner(s.ctx, day, tr, req)
	if err != nil {
		return nil, err
	}
	if err := s.ctx.Err(); err != nil {
		// A cancelled search returns its best plan so far, which is no
		// answer to how many carers are needed.
		return nil, err
	}
	if vs := roster.Check(day, tr, plan); len(vs) > 0 {
		return nil, fmt.Errorf("locality: the plan for %d carers breaks the rules: %s at %s: %s", n, vs[0].Code, vs[0].Path, vs[0].Message)
	}
	s.solves++
	a := &attempt{pool: n, day: day, travel: tr, plan: plan, unserved: len(plan.Unassigned)}
	if plan.KPIs == nil {
		return nil, errors.New("locality: the optimiser's plan has no figures")
	}
	a.used = plan.KPIs.CarersUsed
	if s.opts.Progress != nil {
		kind := "carers"
		if walk {
			kind = "walkers"
		}
		what := fmt.Sprintf("%d %s: %d used", n, kind, a.used)
		switch {
		case a.unserved > 0:
			what = fmt.Sprintf("%d %s: %d unserved", n, kind, a.unserved)
		case req.Previous != nil:
			what = fmt.Sprintf("%d %s: rounds re-planned for travel", n, kind)
		}
		s.opts.Progress(min(s.solves, s.total-1), s.total, what)
	}
	return a, nil
}

// polish re-plans the answer's day for travel. The search for the fewest
// carers prices a carer at CarerUsed (ten hours of travel by default) and
// spends much of each solve trying to close one, so the answer's rounds
// are those of a pool being squeezed. polish keeps only the carers the
// answer uses, starts from its rounds, and plans again at the planner's
// usual price of a carer. The result replaces the answer when it serves every visit with
// the same carers and less travel; otherwise the answer's plan stands, on
// the day of the carers it uses. A re-plan that serves everyone with
// fewer carers is not taken either: the answer's count comes with its
// evidence, a pool of one fewer that left visits unserved, and the
// re-plan has none.
func (s *sizer) polish(answer *attempt, walk bool) (*attempt, error) {
	used := map[string]bool{}
	for _, r := range answer.plan.Rounds {
		used[r.Carer] = true
	}
	day := *answer.day
	day.Carers = nil
	for _, c := range answer.day.Carers {
		if used[c.ID] {
			day.Carers = append(day.Carers, c)
		}
	}
	a, err := s.solve(&day, walk, PlanRequest{Previous: answer.plan})
	if err != nil {
		return nil, err
	}
	if a.unserved == 0 && a.used == answer.used && a.plan.KPIs.TravelS < answer.plan.KPIs.TravelS {
		return a, nil
	}
	// The answer's plan stands, on the day of the carers it uses, so that
	// the answer's day holds those carers whichever plan won.
	if vs := roster.Check(&day, a.travel, answer.plan); len(vs) > 0 {
		return nil, fmt.Errorf("locality: the plan for %d carers breaks the rules on the day of the carers it uses: %s at %s: %s", answer.used, vs[0].Code, vs[0].Path, vs[0].Message)
	}
	return &attempt{pool: len(day.Carers), used: answer.used, day: &day, travel: a.travel, plan: answer.plan}, nil
}

// estimate is the capacity estimate the search for carers starts from,
// EstimateCarers on the representative day's split shifts; it only seeds
// the search, which finds the answer by planning.
func estimate(clients []Client, supply Supply) int {
	n, ok := EstimateCarers(clients, supply, splitShifts)
	if !ok {
		return 1
	}
	return max(n, 1)
}

// figures measures the answer's plan of day.
func figures(clients []Client, supply Supply, day *roster.Instance, plan *roster.Plan) Figures {
	var f Figures
	f.VisitsADay = len(day.Visits)
	double := 0
	for i := range day.Visits {
		if day.Visits[i].CarersNeeded() > 1 {
			double++
		}
	}
	if f.VisitsADay > 0 {
		f.DoubleShare = float64(double) / float64(f.VisitsADay)
	}
	f.WeeklyHours, f.WeeklyHoursByBand = hoursByBand(clients)
	k := plan.KPIs
	f.PaidHoursADay = float64(k.PaidS) / 3600
	f.TravelShare = travelShare(plan)
	f.DrivenKMADay = float64(k.TravelByMode[roster.Drive].DistanceM) / 1000
	f.DrivenKMAWeek = 7 * f.DrivenKMADay
	f.CO2KgAWeek = f.DrivenKMAWeek * supply.CO2KgPerKM
	f.Headcount = int(math.Ceil(7 * f.PaidHoursADay / supply.ContractHours))
	return f
}

// travelShare is the plan's travel as a share of its paid time.
func travelShare(plan *roster.Plan) float64 {
	if plan.KPIs == nil || plan.KPIs.PaidS == 0 {
		return 0
	}
	return float64(plan.KPIs.TravelS) / float64(plan.KPIs.PaidS)
}
