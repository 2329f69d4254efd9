package optimiser

import "github.com/rounds-dev/rounds/roster"

// The objective after serving visits is a weighted sum of cost terms, each
// one type in a term_*.go file. A term gives
//
//   - its exact value, through one or more of the hooks below, each called
//     where a walk over a carer's day meets its level: per visit leg
//     served, per round, per carer's day, and once per plan from what the
//     days gathered. The per-carer parts are cached until the carer's
//     rounds change, so that cost() works out again only the days that
//     changed;
//   - a cheap estimate of how much inserting one leg at one place changes
//     it, which ranks the places insertion then verifies exactly. An
//     estimate may be 0 where the term cannot be estimated cheaply, but
//     must not be wrong in sign.
//
// The evaluator adds the parts up level by level, in the order of
// evaluator.terms, into one running sum per carer's day: that order is
// part of the objective's value to the last bit, which the golden plans
// pin. A new term is one type in one file, added to the evaluator either
// as an extra (one line: newEvaluator's extra, called through the
// interfaces) or, where insertion's inner loop must not pay for an
// interface call, as a field called from estimate and tallyDay.

// costTerm is one part of the objective after serving visits.
type costTerm interface {
	// name is the term's name, as its weight is named in Weights.
	name() string
	// estimate is the term's change when at is made, cheaply.
	estimate(s *solution, at *insertion) float64
}

// visitCoster is a term with a cost per visit leg served: the cost of
// task k on carer c's round.
type visitCoster interface {
	visitCost(s *solution, c int, k int32) float64
}

// roundCoster is a term with a cost per round: vehicle v's round, whose
// travel is travelS seconds.
type roundCoster interface {
	roundCost(s *solution, v int, travelS int32) float64
}

// dayCoster is a term with a cost per carer's day, from what the walk over
// the day gathered.
type dayCoster interface {
	dayCost(d *dayTally) float64
}

// carerCoster is a term with a cost per carer over the period, from their
// timed rounds, after the walk over their days (the contract's hours).
type carerCoster interface {
	carerCost(s *solution, c int, d *dayTally) float64
}

// planCoster is a term with a cost over the whole plan, from the cached
// tallies of every carer's day.
type planCoster interface {
	planCost(days []dayTally) float64
}

// clientCoster is a term with a cost per client over the period: the cost
// of client cl's visits as the plan serves them. The solution caches it
// per client until a leg of the client's changes carer.
type clientCoster interface {
	clientCost(s *solution, cl int32) float64
}

// dayTally is what one walk over a carer's day gathers, cached per carer
// until the carer's rounds change.
type dayTally struct {
	cost    float64 // the day's parts of every term
	travelS int64   // travel of all the carer's rounds
	used    bool    // the carer has a visit
	worstS  int32   // the longest any soft visit of the day starts late
	// weekPaidS is the carer's paid time in each week of the period, when
	// a term reads it (contractTerm); kept for insertion's estimates.
	weekPaidS [maxWeeks]int32
}

// maxWeeks is the most weeks a period can have (roster.MaxPeriodDays).
const maxWeeks = (roster.MaxPeriodDays + 6) / 7

// insertion is one leg put at one place, as insertion sees it before
// trying it: what the terms' estimates read.
type insertion struct {
	vi           *visitInfo
	visit        int32
	carer        int32
	day          int32 // the day of the period of the round
	idle         bool  // the carer has no visit on the day yet
	travelDeltaS int32 // the round's change in travel
	start        int32 // the earliest start the leg can have there
	// clientCarers are the carers already serving the visit's client,
	// when a client term or rule reads them (problem.clientVisits set).
	clientCarers []int32
	// pushS is how far the leg pushes the next visit of the round beyond
	// that visit's slack before lateness; 0 or less when it does not, or
	// when the leg ends the round.
	pushS int32
}

// evaluator owns the objective's terms and weights. The day's terms sit
// in fixed fields and are called directly, so that insertion's inner loop
// (six estimates per place) and the walk over a day (two parts per visit)
// make no interface call and the compiler can inline them.
// Terms added beyond them (extra) are called through their interfaces,
// after the fixed ones at each level.
type evaluator struct {
	w             Weights
	lateness      latenessTerm
	preferences   preferenceTerm
	waiting       waitingTerm
	carersUsed    carersUsedTerm
	travel        travelTerm
	worstLateness worstLatenessTerm

	extra   []costTerm
	visits  []visitCoster
	rounds  []roundCoster
	days    []dayCoster
	carers  []carerCoster
	plans   []planCoster
	clients []clientCoster
}

// newEvaluator is the objective under weights w, with extra terms after
// the day's own.
func newEvaluator(w Weights, extra ...costTerm) *evaluator {
	e := &evaluator{
		w:             w,
		lateness:      latenessTerm{perMin: w.Lateness},
		preferences:   preferenceTerm{},
		waiting:       waitingTerm{perS: w.Waiting},
		carersUsed:    carersUsedTerm{perCarer: w.CarerUsed},
		travel:        travelTerm{perS: w.Travel},
		worstLateness: worstLatenessTerm{perMin: w.MaxLateness},
		extra:         extra,
	}
	for _, t := range extra {
		if h, ok := t.(visitCoster); ok {
			e.visits = append(e.visits, h)
		}
		if h, ok := t.(roundCoster); ok {
			e.rounds = append(e.rounds, h)
		}
		if h, ok := t.(dayCoster); ok {
			e.days = append(e.days, h)
		}
		if h, ok := t.(carerCoster); ok {
			e.carers = append(e.carers, h)
		}
		if h, ok := t.(planCoster); ok {
			e.plans = append(e.plans, h)
		}
		if h, ok := t.(clientCoster); ok {
			e.clients = append(e.clients, h)
		}
	}
	return e
}

// terms lists every term in the order their parts are added.
func (e *evaluator) terms() []costTerm {
	return append([]costTerm{e.lateness, e.preferences, e.waiting, e.carersUsed, e.travel, e.worstLateness}, e.extra...)
}

// estimate is the sum of the terms' estimates of insertion at.
func (e *evaluator) estimate(s *solution, at *insertion) float64 {
	d := e.lateness.estimate(s, at)
	d += e.preferences.estimate(s, at)
	d += e.waiting.estimate(s, at)
	d += e.carersUsed.estimate(s, at)
	d += e.travel.estimate(s, at)
	d += e.worstLateness.estimate(s, at)
	for _, t := range e.extra {
		d += t.estimate(s, at)
	}
	return d
}

// objective is a plan's cost: unserved priority first, then the rest.
type objective struct {
	unserved int
	rest     float64
}

func (o objective) scalar() float64 { return float64(o.unserved)*unservedPenalty + o.rest }

// cost evaluates the solution, working out again only the days of carers
// whose rounds changed since it was last called.
func (s *solution) cost() objective {
	e := s.p.eval
	o := objective{unserved: s.unserved}
	for c := range s.days {
		if s.cdirty[c] {
			if s.p.startsCosted {
				s.dirtyClientsOf(c)
			}
			e.tallyDay(s, c, &s.days[c])
			s.cdirty[c] = false
		}
		o.rest += s.days[c].cost
	}
	o.rest += e.worstLateness.planCost(s.days)
	for _, t := range e.plans {
		o.rest += t.planCost(s.days)
	}
	for cl := range s.clientCost {
		if s.clientDirty[cl] {
			c := 0.0
			for _, t := range e.clients {
				c += t.clientCost(s, int32(cl))
			}
			s.clientCost[cl], s.clientDirty[cl] = c, false
		}
		o.rest += s.clientCost[cl]
	}
	return o
}

// tallyDay walks carer c's day into d: its travel, use and worst lateness,
// and the per-visit, per-round and per-day parts of every term.
func (e *evaluator) tallyDay(s *solution, c int, d *dayTally) {
	p := s.p
	// The walk sums into locals, not through d, which the compiler would
	// otherwise store to memory at every step; the order of the additions
	// is the objective's (see above).
	cost, travelS, worstS, used := 0.0, int64(0), int32(0), false
	for _, v := range p.carers[c].vehicles {
		r := s.routes[v]
		if len(r) == 0 {
			continue
		}
		used = true
		rt := s.routeTravel(int(v))
		travelS += int64(rt)
		for _, k := range r {
			// The lateness is worked out once, for the worst lateness and
			// for the lateness term.
			if vi := &p.visits[p.tasks[k].visit]; vi.soft {
				late := vi.lateness(s.start[k])
				worstS = max(worstS, late)
				cost += e.lateness.cost(vi, late)
			}
			cost += e.preferences.visitCost(s, c, k)
			for _, t := range e.visits {
				cost += t.visitCost(s, c, k)
			}
		}
		cost += e.waiting.roundCost(s, int(v), rt)
		for _, t := range e.rounds {
			cost += t.roundCost(s, int(v), rt)
		}
	}
	*d = dayTally{travelS: travelS, used: used, worstS: worstS}
	cost += e.carersUsed.dayCost(d)
	cost += e.travel.dayCost(d)
	for _, t := range e.days {
		cost += t.dayCost(d)
	}
	for _, t := range e.carers {
		cost += t.carerCost(s, c, d)
	}
	d.cost = cost
}
