package mankowska_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/bench/mankowska"
	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/optimiser"
	"github.com/rounds-dev/rounds/roster"
)

// TestConvertRefusesCaregiverDurations: times that depend on the caregiver
// are refused with the patient named, not silently averaged.
func TestConvertRefusesCaregiverDurations(t *testing.T) {
	bi, err := mankowska.ReadFile("testdata/tiny.txt")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mankowska.ToInstance(bi); err == nil || !strings.Contains(err.Error(), "patient p1") {
		t.Errorf("error %v, want one naming patient p1", err)
	}
}

// TestConvertSolveEvaluate: the small instance converts into a valid day,
// the optimiser's plan for it passes the project's checker, and the same
// plan in the benchmark's form passes the benchmark's own evaluator, with
// the travel and tardiness it reports.
func TestConvertSolveEvaluate(t *testing.T) {
	// uniform.txt is tiny.txt with every service taking the same time
	// whoever gives it, as in all published instances.
	bi, err := mankowska.ReadFile("testdata/uniform.txt")
	if err != nil {
		t.Fatal(err)
	}
	in, err := mankowska.ToInstance(bi)
	if err != nil {
		t.Fatal(err)
	}
	travel, err := geo.TravelFor(context.Background(), nil, in)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := optimiser.Solve(context.Background(), in, travel, optimiser.Options{Seed: 1, Iterations: 300, Weights: &mankowska.Weights})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range roster.Check(in, travel, plan) {
		t.Errorf("violation %s at %s: %s", v.Code, v.Path, v.Message)
	}
	if len(plan.Unassigned) != 0 {
		t.Fatalf("unassigned: %v", plan.Unassigned)
	}
	sol, err := mankowska.FromPlan(bi, plan)
	if err != nil {
		t.Fatal(err)
	}
	res, err := mankowska.Evaluate(bi, sol)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Feasible() {
		t.Fatalf("benchmark evaluator finds the plan infeasible: %v", res.Violations)
	}
	// Travel in seconds is each leg rounded up, so it bounds the true
	// travel from above by at most a second a leg.
	legs := len(in.Visits) + len(plan.Rounds)
	if got, max := res.Travel*mankowska.SecondsPerUnit, float64(plan.KPIs.TravelS); got > max || got < max-float64(legs) {
		t.Errorf("evaluator travel %.3f units (%.1f s); plan says %d s over %d legs", res.Travel, got, plan.KPIs.TravelS, legs)
	}
	if tard := float64(plan.KPIs.LatenessS) / mankowska.SecondsPerUnit; abs(tard-res.TotalTardiness) > 1e-6 {
		t.Errorf("evaluator total tardiness %.3f; plan says %.3f", res.TotalTardiness, tard)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
