package optimiser_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
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
	// Reasons speak of a visit's windows as the document gives them:
	// wall-clock times on its date, not the period's instants.
	outside := 0
	for _, u := range plan.Unassigned {
		if u.Reason != roster.ReasonOutsideShifts {
			continue
		}
		outside++
		date := u.Visit[strings.LastIndex(u.Visit, "@")+1:]
		if !strings.Contains(u.Detail, "-08:00 on "+date) {
			t.Errorf("visit %s: the reason does not give its 07:00-08:00 window on %s: %s", u.Visit, date, u.Detail)
		}
	}
	if outside == 0 {
		t.Error("no visit left outside the shifts; the test of reasons' times tests nothing")
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

// randomWeek is a small generated period with its rules tightened at
// random, so that every rule of the period binds somewhere: few distinct
// carers, a narrow call-time spread, a longer daily rest and a short
// working week, over periods of a few days to two weeks, some across the
// clocks going back on 25 October 2026.
func randomWeek(t testing.TB, seed uint64) *roster.Instance {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 11))
	cfg := synth.DefaultWeekConfig()
	cfg.Seed = int64(seed)
	cfg.VisitsPerDay = 10 + rng.IntN(20)
	cfg.Days = []int{3, 7, 7, 10, 14}[rng.IntN(5)]
	if rng.IntN(2) == 0 {
		cfg.Start = "2026-10-21" // the clocks go back on the 25th
	}
	in, err := synth.GenerateWeek(cfg)
	if err != nil {
		t.Fatalf("seed %d: %v", seed, err)
	}
	in.Name = fmt.Sprintf("random week %d", seed)
	pick := func(xs ...int) *int { x := xs[rng.IntN(len(xs))]; return &x }
	r := roster.Rules{}
	if in.Rules != nil {
		r = *in.Rules
	}
	r.MaxDistinctCarers = pick(2, 3, 4, 6)
	r.CallTimeSpreadMaxMin = pick(0, 15, 30, 60)
	r.MinDailyRestH = pick(11, 12, 13)
	r.MinWeeklyRestH = pick(24, 36, 48)
	in.Rules = &r
	tight := *pick(16, 24, 30)
	r.MaxWeekHours = &tight
	if in.Validate() != nil {
		// A contract asks for more than the short week; keep the 48 hours.
		r.MaxWeekHours = nil
	}
	for k := range in.Carers {
		if c := in.Carers[k].Contract; c != nil && rng.IntN(3) == 0 {
			cc := *c
			cc.MinHours, cc.TargetHours, cc.MaxHours = 0, 0, float64(4+rng.IntN(12))
			in.Carers[k].Contract = &cc
		}
	}
	if err := in.Validate(); err != nil {
		t.Fatalf("seed %d: the tightened week is invalid: %v", seed, err)
	}
	return in
}

// TestSolveRandomWeeksPassChecker: every plan the optimiser returns for a
// random small period, its rules tightened, passes the independent checker.
func TestSolveRandomWeeksPassChecker(t *testing.T) {
	n := uint64(12)
	if testing.Short() {
		n = 4
	}
	for seed := uint64(1); seed <= n; seed++ {
		in := randomWeek(t, seed)
		plan := solveWeek(t, in, int64(seed), 150)
		for _, u := range plan.Unassigned {
			if u.Reason == "" || u.Detail == "" {
				t.Errorf("seed %d: visit %s unassigned without a reason", seed, u.Visit)
			}
		}
	}
}
