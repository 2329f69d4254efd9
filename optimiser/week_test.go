package optimiser_test

import (
	"context"
	"testing"
	"time"

	"github.com/rounds-dev/rounds/optimiser"
	"github.com/rounds-dev/rounds/roster"
	"github.com/rounds-dev/rounds/synth"
)

// generatedWeek is a small synthetic week: recurring care, rotas with the
// split shift 07:00-14:00 and 16:00-22:00 (whose 9 hours between days the
// daily rest must shorten), contracts, teams and the caps of
// synth.DefaultWeekConfig.
func generatedWeek(t testing.TB, seed int64, visitsPerDay int) *roster.Instance {
	t.Helper()
	cfg := synth.DefaultWeekConfig()
	cfg.Seed = seed
	cfg.VisitsPerDay = visitsPerDay
	in, err := synth.GenerateWeek(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// solveWeek solves a period document with a fixed seed and iterations and
// fails the test on any rule the plan breaks, as roster.Check finds them.
func solveWeek(t *testing.T, in *roster.Instance, seed int64, iterations int) *roster.Plan {
	t.Helper()
	travel := straightLine(t, in)
	began := time.Now()
	plan, err := optimiser.Solve(context.Background(), in, travel, optimiser.Options{Seed: seed, Iterations: iterations})
	if err != nil {
		t.Fatalf("%s: %v", in.Name, err)
	}
	for _, v := range roster.Check(in, travel, plan) {
		t.Errorf("%s: violation %s at %s: %s", in.Name, v.Code, v.Path, v.Message)
	}
	if plan.PeriodKPIs == nil {
		t.Fatalf("%s: the plan for a period has no period_kpis", in.Name)
	}
	distinct := 0
	for _, c := range plan.PeriodKPIs.Clients {
		distinct = max(distinct, c.DistinctCarers)
	}
	t.Logf("%s: %d served, %d unassigned, at most %d distinct carers a client, %v",
		in.Name, plan.KPIs.VisitsServed, plan.KPIs.VisitsUnassigned, distinct, time.Since(began).Round(time.Millisecond))
	return plan
}

// TestSolveWeekSmall: the small hand-written week plans with every round
// dated and passes the checker.
func TestSolveWeekSmall(t *testing.T) {
	in := loadDay(t, "../testdata/week_small.json")
	plan := solveWeek(t, in, 1, 500)
	for i, r := range plan.Rounds {
		if r.Date == "" {
			t.Errorf("rounds[%d] has no date", i)
		}
	}
	if plan.KPIs.VisitsServed == 0 {
		t.Error("no visit served")
	}
}

// TestSolveGeneratedWeek: a generated week of about 30 visits a day passes
// the checker.
func TestSolveGeneratedWeek(t *testing.T) {
	in := generatedWeek(t, 3, 30)
	plan := solveWeek(t, in, 1, 300)
	if plan.KPIs.VisitsServed == 0 {
		t.Error("no visit served")
	}
}
