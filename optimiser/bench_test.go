package optimiser

import (
	"context"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/roster"
)

// benchProblem loads a testdata day into a frozen problem and a solution
// built by one construction pass.
func benchProblem(tb testing.TB, path string) (*run, *solution) {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	in, err := roster.DecodeInstance(f)
	if err != nil {
		tb.Fatal(err)
	}
	prov, err := geo.NewStraightLine(in.Travel)
	if err != nil {
		tb.Fatal(err)
	}
	travel, err := geo.ForInstance(context.Background(), prov, in)
	if err != nil {
		tb.Fatal(err)
	}
	p, err := newProblem(in, travel, DefaultWeights)
	if err != nil {
		tb.Fatal(err)
	}
	r := newRun(p, p.triage(), Options{Seed: 1})
	s := newSolution(p)
	r.recreate(newInserter(s, r.rng), append([]int32(nil), r.tri.open...), 0)
	return r, s
}

// BenchmarkInsertBest times taking one assigned job out and putting it back
// where it costs least: the step ruin and recreate repeats.
func BenchmarkInsertBest(b *testing.B) {
	r, s := benchProblem(b, "../testdata/locality_day.json")
	ins := newInserter(s, rand.New(rand.NewPCG(1, 2)))
	var jobs []int32
	for _, j := range r.tri.open {
		if s.assigned(j) {
			jobs = append(jobs, j)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		j := jobs[i%len(jobs)]
		for _, t := range r.p.jobs[j].tasks {
			s.removeTask(t)
		}
		s.reschedule()
		s.refreshLatest()
		ins.insertBest(j)
	}
}

// BenchmarkReschedule times re-timing the whole day from nothing, as after a
// ruin.
func BenchmarkReschedule(b *testing.B) {
	_, s := benchProblem(b, "../testdata/locality_day.json")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if !s.reschedule() {
			b.Fatal("a feasible day became infeasible")
		}
	}
}

// TestRescheduleAllocations pins the hot path's allocations: re-timing a
// day reuses the solution's scratch space and allocates nothing.
func TestRescheduleAllocations(t *testing.T) {
	_, s := benchProblem(t, "../testdata/locality_day.json")
	allocs := testing.AllocsPerRun(20, func() {
		if !s.reschedule() {
			t.Fatal("a feasible day became infeasible")
		}
	})
	if allocs != 0 {
		t.Errorf("reschedule allocates %.1f times a run, want 0", allocs)
	}
}
