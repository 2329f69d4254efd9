package optimiser_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/rounds-dev/rounds/optimiser"
	"github.com/rounds-dev/rounds/roster"
)

// randomDay makes a small random day that exercises every rule the
// optimiser keeps: double-handed visits, simultaneous and sequential
// dependencies, soft and multiple windows, split shifts, skills, gender and
// excluded carers, working-time caps and rest breaks, walkers and drivers.
func randomDay(seed uint64) *roster.Instance {
	rng := rand.New(rand.NewPCG(seed, 7))
	in := &roster.Instance{Name: fmt.Sprintf("random %d", seed), Date: "2026-11-24", TimeZone: "Europe/London"}
	near := func() roster.Location {
		return roster.Location{Lat: 53.86 + rng.Float64()*0.02, Lon: -1.92 + rng.Float64()*0.03}
	}
	clock := func(h, m int) roster.Clock { return roster.Clock(h*3600 + m*60) }
	nCarers := 2 + rng.IntN(3)
	for k := 0; k < nCarers; k++ {
		c := roster.Carer{ID: fmt.Sprintf("K%d", k+1), Start: near(), Mode: roster.Drive, Gender: "female"}
		if rng.IntN(3) == 0 {
			c.Mode = roster.Walk
		}
		if rng.IntN(4) == 0 {
			c.Gender = "male"
		}
		if rng.IntN(4) != 0 {
			c.Skills = append(c.Skills, "hoist")
		}
		if rng.IntN(2) == 0 {
			c.Skills = append(c.Skills, "medication")
		}
		switch rng.IntN(3) {
		case 0:
			c.Shifts = []roster.Shift{{Start: clock(7, 0), End: clock(15, 0)}}
		default:
			c.Shifts = []roster.Shift{{Start: clock(7, 0), End: clock(13, 0)}, {Start: clock(16, 0), End: clock(22, 0)}}
		}
		if rng.IntN(3) == 0 {
			c.MaxWorkingMin = 240 + rng.IntN(240)
		}
		if rng.IntN(3) == 0 {
			c.Break = &roster.BreakRule{AfterWorkingMin: 120 + rng.IntN(120), DurationMin: 20}
		}
		if rng.IntN(4) == 0 {
			c.Capacity = 2 + rng.IntN(4)
		}
		in.Carers = append(in.Carers, c)
	}
	nClients := 3 + rng.IntN(4)
	for i := 0; i < nClients; i++ {
		cl := roster.Client{ID: fmt.Sprintf("C%d", i+1), Location: near()}
		switch rng.IntN(6) {
		case 0:
			cl.Preferences.CarerGender = "female"
		case 1:
			cl.Preferences.ExcludedCarers = []string{in.Carers[rng.IntN(nCarers)].ID}
		case 2:
			cl.Preferences.PreferredCarers = []string{in.Carers[rng.IntN(nCarers)].ID}
		}
		in.Clients = append(in.Clients, cl)
	}
	bands := [][2]int{{7 * 60, 10 * 60}, {12 * 60, 14 * 60}, {16*60 + 30, 18 * 60}, {19*60 + 30, 21 * 60}}
	nVisits := 4 + rng.IntN(8)
	for i := 0; i < nVisits; i++ {
		b := bands[rng.IntN(len(bands))]
		open := b[0] + rng.IntN(b[1]-b[0]-30)
		v := roster.Visit{
			ID: fmt.Sprintf("V%02d", i+1), Client: in.Clients[rng.IntN(nClients)].ID,
			DurationMin: []int{15, 30, 45, 60}[rng.IntN(4)],
			Windows:     []roster.Window{{Start: clock(0, open), End: clock(0, open+30+rng.IntN(90))}},
		}
		if rng.IntN(5) == 0 {
			// A second window later in the day.
			w := v.Windows[0].End + roster.Clock(3600*(1+rng.IntN(3)))
			v.Windows = append(v.Windows, roster.Window{Start: w, End: w + 3600})
		}
		if rng.IntN(4) == 0 {
			v.WindowType, v.LatenessCost = roster.Soft, float64(1+rng.IntN(3))
		}
		if rng.IntN(3) == 0 {
			v.Carers = 2
			v.RequiredSkills = []string{"hoist"}
		} else if rng.IntN(3) == 0 {
			v.RequiredSkills = []string{"medication"}
		}
		if rng.IntN(4) == 0 {
			v.Priority = 1 + rng.IntN(5)
		}
		if rng.IntN(3) == 0 {
			v.Load = 1 + rng.IntN(2)
		}
		in.Visits = append(in.Visits, v)
	}
	for d := 0; d < rng.IntN(3); d++ {
		a, b := rng.IntN(nVisits), rng.IntN(nVisits)
		if a == b {
			continue
		}
		dep := roster.Dependency{Type: roster.Sequential, First: in.Visits[a].ID, Second: in.Visits[b].ID, MinGapMin: rng.IntN(120), DistinctCarers: rng.IntN(2) == 0}
		if rng.IntN(2) == 0 {
			mx := dep.MinGapMin + 30 + rng.IntN(240)
			dep.MaxGapMin = &mx
		}
		if rng.IntN(3) == 0 {
			dep = roster.Dependency{Type: roster.Simultaneous, First: in.Visits[a].ID, Second: in.Visits[b].ID}
		}
		dup := false
		for _, e := range in.Dependencies {
			if (e.First == dep.First && e.Second == dep.Second) || (e.First == dep.Second && e.Second == dep.First) {
				dup = true
			}
		}
		if !dup {
			in.Dependencies = append(in.Dependencies, dep)
		}
	}
	return in
}

// TestSolveRandomDaysPassChecker: every plan the optimiser returns for a
// random small day passes the independent checker, and every visit it leaves
// out has a reason.
func TestSolveRandomDaysPassChecker(t *testing.T) {
	n := 150
	if testing.Short() {
		n = 40
	}
	for seed := uint64(1); seed <= uint64(n); seed++ {
		in := randomDay(seed)
		if err := in.Validate(); err != nil {
			t.Fatalf("seed %d: generator made an invalid day: %v", seed, err)
		}
		plan := solveRandomDay(t, in, seed)
		for _, u := range plan.Unassigned {
			if u.Reason == "" || u.Detail == "" {
				t.Errorf("seed %d: visit %s unassigned without a reason", seed, u.Visit)
			}
		}
	}
}

// solveRandomDay solves a random day in 150 iterations on straight lines
// and fails the test on any rule the plan breaks.
func solveRandomDay(t *testing.T, in *roster.Instance, seed uint64) *roster.Plan {
	t.Helper()
	travel := straightLine(t, in)
	plan, err := optimiser.Solve(context.Background(), in, travel, optimiser.Options{Seed: int64(seed), Iterations: 150})
	if err != nil {
		t.Fatalf("seed %d: %v", seed, err)
	}
	for _, v := range roster.Check(in, travel, plan) {
		t.Errorf("seed %d: violation %s at %s: %s", seed, v.Code, v.Path, v.Message)
	}
	return plan
}

// TestSolveIsDeterministic: the same seed and iteration bound give the same
// plan, under the default weights and where carers are dear enough for
// fleet minimisation to run first.
func TestSolveIsDeterministic(t *testing.T) {
	dear := optimiser.Weights{Travel: 1, CarerUsed: 1e6}
	for _, in := range []*roster.Instance{randomDay(11), loadDay(t, "../testdata/locality_day.json")} {
		deterministic(t, in, nil)
		deterministic(t, in, &dear)
	}
}

func deterministic(t *testing.T, in *roster.Instance, w *optimiser.Weights) {
	travel := straightLine(t, in)
	for _, workers := range []int{1, 2} {
		opts := optimiser.Options{Seed: 5, Iterations: 200, Workers: workers, Weights: w}
		a, err := optimiser.Solve(context.Background(), in, travel, opts)
		if err != nil {
			t.Fatal(err)
		}
		b, err := optimiser.Solve(context.Background(), in, travel, opts)
		if err != nil {
			t.Fatal(err)
		}
		a.Solver, b.Solver = nil, nil // run-dependent: elapsed time
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if !bytes.Equal(ja, jb) {
			t.Errorf("%s, %d workers: two runs with one seed differ:\n%s\n%s", in.Name, workers, ja, jb)
		}
	}
}

// TestSolveCancelled: a cancelled context ends the search at once with a
// checked plan, and the progress callback hears that it is done.
func TestSolveCancelled(t *testing.T) {
	in := loadDay(t, "../testdata/locality_day.json")
	travel := straightLine(t, in)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	done := false
	plan, err := optimiser.Solve(ctx, in, travel, optimiser.Options{Seed: 1, Progress: func(p optimiser.Progress) { done = done || p.Done }})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Solver.Iterations != 0 {
		t.Errorf("ran %d iterations after cancellation", plan.Solver.Iterations)
	}
	if !done {
		t.Error("progress never reported the end")
	}
	checked(t, in, travel, plan)
	if got := plan.KPIs.VisitsServed + plan.KPIs.VisitsUnassigned; got != len(in.Visits) {
		t.Errorf("served plus unassigned = %d, want %d", got, len(in.Visits))
	}
}
