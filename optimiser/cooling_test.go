package optimiser

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

// TestCoolingFollowsTheLegs: the temperature starts at coolLegs of the
// first plan's average legs and ends coolRatio times lower, re-planning stays
// a hundred times below that floor, and a plan with no travel to measure falls back to the
// fixed temperature.
func TestCoolingFollowsTheLegs(t *testing.T) {
	in := windowDay(2, false)
	for _, travelW := range []float64{1, 3} {
		p, err := newProblem(in, straightTravel(t, in), Weights{Travel: travelW})
		if err != nil {
			t.Fatal(err)
		}
		s := newSolution(p)
		ins := newInserter(s, rand.New(rand.NewPCG(1, 1)))
		tasks, travelS := 0, int32(0)
		for j := range p.jobs {
			if ins.insertBest(int32(j)) {
				tasks += len(p.jobs[j].tasks)
			}
		}
		if tasks == 0 {
			t.Fatal("nothing was inserted")
		}
		// The rounds' travel, leg by leg from each carer's start to end.
		for v, r := range s.routes {
			if len(r) == 0 {
				continue
			}
			veh := &p.vehicles[v]
			at := veh.startPt
			for _, k := range r {
				pt := p.visits[p.tasks[k].visit].pt
				travelS += p.travel(veh, at, pt)
				at = pt
			}
			travelS += p.travel(veh, at, veh.endPt)
		}
		leg := travelW * float64(travelS) / float64(tasks)
		c := newCooling(s, false)
		want0 := coolLegs * leg
		if math.Abs(c.t0-want0) > 1e-9*want0 || math.Abs(c.tf-want0/coolRatio) > 1e-9*want0 {
			t.Errorf("travel weight %v: t0 %v, tf %v; want %v and %v", travelW, c.t0, c.tf, want0, want0/coolRatio)
		}
		if got, want := c.temp(0.5), want0/math.Sqrt(coolRatio); math.Abs(got-want) > 1e-9*want {
			t.Errorf("travel weight %v: half way %v, want %v", travelW, got, want)
		}
		if r := newCooling(s, true); r.t0 != c.tf/coolRatio || r.tf != r.t0 {
			t.Errorf("re-planning: t0 %v, tf %v; want both %v", r.t0, r.tf, c.tf/coolRatio)
		}
		if e := newCooling(newSolution(p), false); e.t0 != fallbackT0 {
			t.Errorf("an empty plan: t0 %v, want %v", e.t0, float64(fallbackT0))
		}
	}
}

// TestPlanIgnoresObjectiveUnits: every weight times eight gives the same
// plan for the same seed and iterations. The temperature follows the
// objective's own scale, so the units the weights are written in do not
// steer the search.
func TestPlanIgnoresObjectiveUnits(t *testing.T) {
	w := DefaultWeights
	scaled := Weights{Travel: 8 * w.Travel, Lateness: 8 * w.Lateness, CarerUsed: 8 * w.CarerUsed,
		NotPreferred: 8 * w.NotPreferred, Language: 8 * w.Language, Waiting: 8 * w.Waiting, Moved: 8 * w.Moved,
		DistinctCarer: 8 * w.DistinctCarer, TeamShare: 8 * w.TeamShare, CallSpread: 8 * w.CallSpread,
		ContractShort: 8 * w.ContractShort, ContractTarget: 8 * w.ContractTarget}
	for _, in := range []*roster.Instance{readDay(t, "../testdata/locality_day.json"), windowDay(4, false)} {
		travel := straightTravel(t, in)
		var plans [2][]byte
		for i, ws := range []*Weights{&w, &scaled} {
			plan, err := Solve(context.Background(), in, travel, Options{Seed: 3, Iterations: 400, Weights: ws})
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range roster.Check(in, travel, plan) {
				t.Errorf("%s: violation %s at %s: %s", in.Name, v.Code, v.Path, v.Message)
			}
			plan.Solver = nil
			plans[i], _ = json.Marshal(plan)
		}
		if !bytes.Equal(plans[0], plans[1]) {
			t.Errorf("%s: the plans differ when every weight is eight times as much", in.Name)
		}
	}
}
