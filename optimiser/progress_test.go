package optimiser_test

import (
	"context"
	"sync"
	"testing"

	"github.com/rounds-dev/rounds/optimiser"
)

// TestProgressReportsThePlanReturned: the last progress report's figures
// are those of the plan Solve returns, however many searches run; before,
// the first search reported its own best, which another search's plan
// could beat (the command line then printed one travel figure in its
// progress line and another in its summary).
func TestProgressReportsThePlanReturned(t *testing.T) {
	in := loadDay(t, "../testdata/locality_day.json")
	travel := straightLine(t, in)
	for _, workers := range []int{1, 4} {
		var mu sync.Mutex
		var reports []optimiser.Progress
		opts := optimiser.Options{Seed: 1, Iterations: 100, Workers: workers, Progress: func(p optimiser.Progress) {
			mu.Lock()
			reports = append(reports, p)
			mu.Unlock()
		}}
		plan, err := optimiser.Solve(context.Background(), in, travel, opts)
		if err != nil {
			t.Fatal(err)
		}
		if len(reports) == 0 {
			t.Fatalf("workers %d: no progress report", workers)
		}
		last := reports[len(reports)-1]
		for i, p := range reports[:len(reports)-1] {
			if p.Done {
				t.Errorf("workers %d: report %d of %d is marked done", workers, i+1, len(reports))
			}
		}
		k := plan.KPIs
		if !last.Done || last.TravelS != k.TravelS || last.Served != k.VisitsServed || last.Unserved != k.VisitsUnassigned ||
			last.Iteration != plan.Solver.Iterations || last.Objective != plan.Solver.Objective {
			t.Errorf("workers %d: last report %+v; the plan has travel %d s, %d served, %d unassigned, %d iterations, objective %v",
				workers, last, k.TravelS, k.VisitsServed, k.VisitsUnassigned, plan.Solver.Iterations, plan.Solver.Objective)
		}
	}
}
