package optimiser

import (
	"math"
	"math/rand/v2"
	"testing"
)

// termValue is term t's exact value over s, from its own hooks alone.
func termValue(s *solution, t costTerm) float64 {
	p := s.p
	total := 0.0
	days := make([]dayTally, len(p.carers))
	for c := range p.carers {
		d := &days[c]
		for _, v := range p.carers[c].vehicles {
			r := s.routes[v]
			if len(r) == 0 {
				continue
			}
			d.used = true
			rt := s.routeTravel(int(v))
			d.travelS += int64(rt)
			for _, k := range r {
				if vi := &p.visits[p.tasks[k].visit]; vi.soft {
					d.worstS = max(d.worstS, vi.lateness(s.start[k]))
				}
				if h, ok := t.(visitCoster); ok {
					total += h.visitCost(s, c, k)
				}
			}
			if h, ok := t.(roundCoster); ok {
				total += h.roundCost(s, int(v), rt)
			}
		}
		if h, ok := t.(dayCoster); ok {
			total += h.dayCost(d)
		}
	}
	if h, ok := t.(planCoster); ok {
		total += h.planCost(days)
	}
	return total
}

// TestTermsAddUpToCost: every term has an exact part, and the terms'
// values, each worked out alone, add up to the cost the evaluator keeps
// incrementally (to rounding: the evaluator adds the parts interleaved).
func TestTermsAddUpToCost(t *testing.T) {
	_, s := benchProblem(t, "../testdata/locality_day.json")
	sum := 0.0
	for _, term := range s.p.eval.terms() {
		_, v := term.(visitCoster)
		_, r := term.(roundCoster)
		_, d := term.(dayCoster)
		_, pl := term.(planCoster)
		if !v && !r && !d && !pl {
			t.Errorf("term %s has no exact part", term.name())
		}
		sum += termValue(s, term)
	}
	if got := s.cost().rest; math.Abs(got-sum) > 1e-9*math.Abs(got) {
		t.Errorf("cost %v, terms add up to %v", got, sum)
	}
}

// TestTermEstimates puts single-leg visits back at every place insertion
// offers and compares each term's estimate with its exact change: travel,
// carers used and preferences estimate exactly; lateness's estimate is a
// lower bound on a day whose visits all cost at least one per minute late;
// worst lateness and waiting estimate 0, and worst lateness never falls
// when a visit is added.
func TestTermEstimates(t *testing.T) {
	r, s := benchProblem(t, "../testdata/locality_day.json")
	p := r.p
	e := p.eval
	rng := rand.New(rand.NewPCG(5, 6))
	ins := newInserter(s, rng)
	ins.maxLeg = 1 << 20 // every place, unranked by granular lists
	var single []int32
	for _, j := range assignedJobs(r, s) {
		if k := p.jobs[j].tasks[0]; len(p.jobs[j].tasks) == 1 && !p.linked(k) {
			single = append(single, j)
		}
	}
	if len(single) < 20 {
		t.Fatalf("only %d single-leg untied jobs", len(single))
	}
	type named struct {
		term costTerm
		rule string
	}
	checks := []named{{e.travel, "exact"}, {e.carersUsed, "exact"}, {e.preferences, "exact"}, {e.lateness, "lower"}, {e.worstLateness, "zero-rising"}, {e.waiting, "zero"}}
	places := 0
	for it := 0; it < 20; it++ {
		j := single[rng.IntN(len(single))]
		k := p.jobs[j].tasks[0]
		whole := s.clone()
		s.removeTask(k)
		if !s.reschedule() {
			// As in the search: a day that cannot be timed without the
			// visit (a break placed around it) is left as it was.
			s.copyFrom(whole)
			continue
		}
		s.refreshLatest()
		before := make([]float64, len(checks))
		for i, c := range checks {
			before[i] = termValue(s, c.term)
		}
		saved := s.clone()
		for _, pl := range ins.legPlaces(k, nil) {
			at := insertionAt(s, k, pl)
			if !s.apply(j, &combo{places: []place{pl}}) {
				s.copyFrom(saved)
				continue
			}
			places++
			for i, c := range checks {
				est, delta := c.term.estimate(s, &at), termValue(s, c.term)-before[i]
				ok := true
				switch c.rule {
				case "exact":
					ok = math.Abs(est-delta) <= 1e-9*max(1, math.Abs(delta))
				case "lower":
					ok = est <= delta+1e-9
				case "zero-rising":
					ok = est == 0 && delta >= -1e-9
				case "zero":
					ok = est == 0
				}
				if !ok {
					t.Errorf("%s: task %d at round %d position %d: estimate %v, exact change %v (%s)", c.term.name(), k, pl.v, pl.pos, est, delta, c.rule)
				}
			}
			s.copyFrom(saved)
		}
		if !ins.insertBest(j) {
			t.Fatal("a visit just taken out fits nowhere")
		}
	}
	if places < 100 {
		t.Fatalf("only %d places tried", places)
	}
}

// insertionAt re-derives, independently of legPlaces, what the estimates
// read of task k put at place pl of solution s.
func insertionAt(s *solution, k int32, pl place) insertion {
	p := s.p
	veh := &p.vehicles[pl.v]
	vi := &p.visits[p.tasks[k].visit]
	r := s.routes[pl.v]
	prev, next := veh.startPt, veh.endPt
	if pl.pos > 0 {
		prev = p.visits[p.tasks[r[pl.pos-1]].visit].pt
	}
	if int(pl.pos) < len(r) {
		next = p.visits[p.tasks[r[pl.pos]].visit].pt
	}
	at := insertion{vi: vi, visit: p.tasks[k].visit, carer: veh.carer, start: pl.arr, idle: s.carerIdle(veh.carer)}
	at.travelDeltaS = p.travel(veh, prev, vi.pt) + p.travel(veh, vi.pt, next)
	if len(r) > 0 {
		at.travelDeltaS -= p.travel(veh, prev, next)
	}
	if int(pl.pos) < len(r) {
		nk := r[pl.pos]
		at.pushS = pl.arr + vi.durS + p.travel(veh, vi.pt, next) - s.start[nk] - s.slack[nk]
	}
	return at
}
