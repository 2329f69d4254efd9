package solomon_test

import (
	"context"
	"math"
	"testing"

	"github.com/rounds-dev/rounds/bench/solomon"
	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/optimiser"
	"github.com/rounds-dev/rounds/roster"
)

// TestConvertSolveEvaluate: in both conventions the small instance converts
// into a valid day, the optimiser's plan passes the project's checker, and
// the same routes pass the benchmark's own evaluator with the distance the
// plan's travel implies.
func TestConvertSolveEvaluate(t *testing.T) {
	bi, err := solomon.ReadFile("testdata/tiny10.txt") // Solomon service times: 10 units
	if err != nil {
		t.Fatal(err)
	}
	for _, dimacs := range []bool{true, false} {
		in, err := solomon.ToInstance(bi, dimacs)
		if err != nil {
			t.Fatal(err)
		}
		travel, err := geo.TravelFor(context.Background(), nil, in)
		if err != nil {
			t.Fatal(err)
		}
		w := solomon.Weights(dimacs)
		plan, err := optimiser.Solve(context.Background(), in, travel, optimiser.Options{Seed: 1, Iterations: 300, Weights: &w})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range roster.Check(in, travel, plan) {
			t.Errorf("dimacs=%v: violation %s at %s: %s", dimacs, v.Code, v.Path, v.Message)
		}
		if len(plan.Unassigned) != 0 {
			t.Fatalf("dimacs=%v: unassigned %v", dimacs, plan.Unassigned)
		}
		sol, err := solomon.FromPlan(plan)
		if err != nil {
			t.Fatal(err)
		}
		res, err := solomon.Evaluate(bi, sol, dimacs)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Feasible() {
			t.Fatalf("dimacs=%v: evaluator: %v", dimacs, res.Violations)
		}
		got := res.Distance * solomon.SecondsPerUnit
		legs := float64(len(in.Visits) + len(plan.Rounds))
		if dimacs && math.Abs(got-float64(plan.KPIs.TravelS)) > 1e-6 {
			t.Errorf("DIMACS distance %.1f is %.3f s; the plan travels %d s", res.Distance, got, plan.KPIs.TravelS)
		}
		if !dimacs && (got > float64(plan.KPIs.TravelS) || got < float64(plan.KPIs.TravelS)-legs) {
			t.Errorf("exact distance %.3f is %.3f s; the plan travels %d s, rounded up over %v legs", res.Distance, got, plan.KPIs.TravelS, legs)
		}
	}
}
