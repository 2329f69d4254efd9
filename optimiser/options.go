package optimiser

import (
	"fmt"
	"math"
	"time"

	"github.com/rounds-dev/rounds/roster"
)

// Weights price the parts of the objective that come after serving visits.
type Weights struct {
	// Travel is the cost of one second of travel.
	Travel float64 `json:"travel"`
	// Lateness is the cost of one minute a soft visit starts after its
	// window closed, multiplied by the visit's lateness_cost.
	Lateness float64 `json:"lateness"`
	// CarerUsed is the cost of giving a carer any round on the day.
	CarerUsed float64 `json:"carer_used"`
	// NotPreferred is the cost of a visit by a carer outside the client's
	// preferred carers, when the client names any.
	NotPreferred float64 `json:"not_preferred"`
	// Language is the cost of a visit by a carer who does not speak the
	// client's language, when the client names one.
	Language float64 `json:"language"`
	// Waiting is the cost of one second a carer is paid to wait between
	// visits of a round.
	Waiting float64 `json:"waiting"`
	// MaxLateness is the cost of each minute of the day's worst lateness:
	// the longest any soft visit starts after its window closed, so that
	// one very late visit costs more than several slightly late ones.
	MaxLateness float64 `json:"max_lateness"`
	// Moved is the cost, when re-planning from Options.Previous, of a
	// visit served by a carer other than the one who had it before.
	Moved float64 `json:"moved"`
	// DistinctCarer is the cost, in a period of more than one day, of each
	// distinct carer a client sees beyond the first, so that a client's
	// visits over the week go to few carers (continuity of care). A
	// one-day plan is not costed for it.
	DistinctCarer float64 `json:"distinct_carer"`
	// TeamShare is the cost, in a period of more than one day, of each
	// visit leg served by a carer outside the client's regulars: their
	// team, or without a team the carers with most visits to them in the
	// week of history before the period (Birdie's rule). A client with
	// neither is not costed for it.
	TeamShare float64 `json:"team_share"`
	// CallSpread is the cost, in a period of more than one day, of each
	// minute of spread of a recurring call's served starts (latest minus
	// earliest, in wall-clock time of day), so that a call comes at about
	// the same time each day.
	CallSpread float64 `json:"call_spread"`
	// ContractShort is the cost, in a period, of each hour a carer's paid
	// time in a week falls below their contract's min_hours.
	ContractShort float64 `json:"contract_short"`
	// ContractTarget is the cost, in a period, of each hour a carer's paid
	// time in a week is away from their contract's target_hours, either
	// way: hours go to those furthest below their target.
	ContractTarget float64 `json:"contract_target"`
}

// DefaultWeights: a minute late costs two minutes of travel, a carer costs
// half an hour of travel, a non-preferred carer five minutes and a carer
// without the client's language ten; a paid minute of waiting costs 18
// seconds of travel, which on the 150-visit locality day cut paid time by
// 12% for 19% more travel (docs/BENCHMARKS.md).
//
// When re-planning, moving a visit to another carer costs as much as a
// carer: rounds people have seen change only where that saves half an
// hour of travel (on the locality day with a carer off, 600 moved 57
// visits, 1,800 moved 34 and 5,000 moved 20; TestReplanKeepsRounds).
//
// In a period, each carer a client sees beyond the first costs 15 minutes
// of travel: half a carer, so that a second regular is taken on where it
// saves a quarter of an hour's driving over the week, not for less. A
// visit by a carer outside the client's regulars costs 300 (five minutes of travel), and each
// minute a recurring call's start wanders over the period costs a minute
// of travel (on testdata/week_locality.json at 5,000 iterations, 20 left
// a median spread of 34 min and 60 one of 22 min for 1% more travel). Each hour a carer's
// week falls short of their contracted minimum costs a quarter of an
// hour's travel, and each hour from their target two minutes: less than
// an hour of paid waiting (1,080), so that a carer's hours are not made up
// by idling between calls.
var DefaultWeights = Weights{Travel: 1, Lateness: 120, CarerUsed: 1800, NotPreferred: 300, Language: 600, Waiting: 0.3, Moved: 1800, DistinctCarer: 900, TeamShare: 300, CallSpread: 60, ContractShort: 900, ContractTarget: 120}

// Options control a run of Solve.
type Options struct {
	// Seed makes runs repeatable: the same instance, travel, seed and
	// Iterations give the same plan.
	Seed int64
	// TimeLimit bounds the run; 0 means DefaultTimeLimit.
	TimeLimit time.Duration
	// Iterations bounds the improvement iterations; 0 means no bound but
	// the time limit and the stall limit.
	Iterations int
	// StallIterations ends the run after this many iterations without a
	// new best plan; 0 means DefaultStall, negative means never.
	StallIterations int
	// Workers is how many independent searches run at once, on seeds Seed,
	// Seed+1, ...; the best plan wins. 0 or 1 means one. The result is
	// repeatable for a fixed seed, worker count and Iterations.
	Workers int
	// Weights of the objective; the zero value means DefaultWeights.
	Weights *Weights
	// Previous, when set, is an earlier plan for this day (before visits
	// were added or removed, or a carer dropped out): the search starts
	// from its rounds and keeps them wherever that costs less than
	// Weights.Moved per visit moved.
	Previous *roster.Plan
	// FreezeBefore, when not zero, is the moment up to which Previous has
	// been carried out (roster.Changes.FreezeBefore): every visit Previous
	// starts before it keeps its carers and start exactly, and no other
	// visit starts before it; a visit whose time is over by then stays
	// unserved (roster.ReasonBeforeFreeze). roster.CheckReplan checks it.
	FreezeBefore time.Time
	// Pins, with Previous, are visits the plan must serve with the carers
	// Previous gives them and, with KeepTime, at the same start
	// (roster.Changes.Pins); every other visit is planned again.
	// roster.CheckPins checks them. A pin no plan can honour is a
	// roster.FieldErrors at changes.pins[i].
	Pins []roster.Pin
	// LocalSearch says whether each iteration of the search ends with
	// local search (ls.go); the zero value is LocalSearchAuto.
	LocalSearch LocalSearchMode
	// Progress, when set, is called about every ProgressEvery while the
	// search runs, and once at the end.
	Progress      func(Progress)
	ProgressEvery time.Duration
}

// LocalSearchMode is when the search uses local search, and with it the
// ruin that splits a long round.
type LocalSearchMode string

const (
	// LocalSearchAuto uses local search when no visit has a soft window.
	// Local search passes moves for the travel they save and leaves the
	// trade of travel for lateness to ruin and recreate. On the plans
	// measured so far it pays where every window is hard (Solomon: mean
	// gap 1.80% to 0.65% at 1 s on one core) and shows no gain where some
	// are soft (the 300-visit locality day, Mankowska D and E;
	// docs/BENCHMARKS.md), where the search stays as it was.
	LocalSearchAuto LocalSearchMode = ""
	// LocalSearchOn uses local search on every plan.
	LocalSearchOn LocalSearchMode = "on"
	// LocalSearchOff never uses it: ruin and recreate alone.
	LocalSearchOff LocalSearchMode = "off"
)

// ParseLocalSearch reads a mode as the command line and the API give it:
// auto, on or off.
func ParseLocalSearch(s string) (LocalSearchMode, error) {
	switch s {
	case "auto", "":
		return LocalSearchAuto, nil
	case "on":
		return LocalSearchOn, nil
	case "off":
		return LocalSearchOff, nil
	}
	return "", fmt.Errorf("want auto, on or off, got %q", s)
}

// DefaultTimeLimit bounds a run when Options.TimeLimit is zero.
const DefaultTimeLimit = 20 * time.Second

// DefaultStall is the default number of iterations without improvement
// after which a run ends early. API jobs keep it, so that a job whose
// search has settled frees its worker before its time limit; rounds solve
// sets none unless --stall is given, so that --time is the time searched.
const DefaultStall = 20000

// Progress reports the state of a running search. Its figures are those of
// the best plan found so far by any of the independent searches (Workers),
// and in the last report (Done) those of the plan Solve returns, so that
// they agree with the plan's KPIs.
type Progress struct {
	// Iteration counts the iterations of the first search; in the last
	// report, of the search whose plan is returned (the plan's
	// solver.iterations).
	Iteration int
	Elapsed   time.Duration
	// Served and Unserved count visits in the best plan so far.
	Served, Unserved int
	// Objective is the best plan's cost after serving visits: weighted
	// travel, lateness, carers and preferences.
	Objective float64
	// TravelS is the best plan's total travel, as its KPIs count it.
	TravelS int
	// Done marks the last report, made once the search has ended.
	Done bool
}

func (o *Options) weights() (Weights, error) {
	if o.Weights == nil {
		return DefaultWeights, nil
	}
	w := *o.Weights
	for _, f := range []struct {
		name string
		v    float64
	}{{"travel", w.Travel}, {"lateness", w.Lateness}, {"carer_used", w.CarerUsed}, {"not_preferred", w.NotPreferred}, {"language", w.Language}, {"waiting", w.Waiting}, {"max_lateness", w.MaxLateness}, {"moved", w.Moved}, {"distinct_carer", w.DistinctCarer}, {"team_share", w.TeamShare}, {"call_spread", w.CallSpread}, {"contract_short", w.ContractShort}, {"contract_target", w.ContractTarget}} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) || f.v < 0 || f.v > 1e6 {
			return w, fmt.Errorf("optimiser: weights.%s: must be a number from 0 to 1e6, got %v", f.name, f.v)
		}
	}
	return w, nil
}
