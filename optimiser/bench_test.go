package optimiser

import (
	"context"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/roster"
	"github.com/rounds-dev/rounds/synth"
)

// benchProblem loads a testdata day into a frozen problem and a solution
// built by one construction pass.
func benchProblem(tb testing.TB, path string) (*run, *solution) {
	tb.Helper()
	return constructed(tb, readDay(tb, path))
}

// readDay reads an instance from testdata.
func readDay(tb testing.TB, path string) *roster.Instance {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	in, err := roster.DecodeInstance(f)
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	return in
}

// largeDay is a generated day of n visits, large enough for insertion to
// use its granular lists.
func largeDay(tb testing.TB, n int) (*run, *solution) {
	tb.Helper()
	cfg := synth.DefaultConfig()
	cfg.Visits = n
	in, err := synth.Generate(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	r, s := constructed(tb, in)
	if r.tri.gran == nil {
		tb.Fatalf("a day of %d visits has %d rounds, too few for granular insertion", n, len(r.p.vehicles))
	}
	return r, s
}

// constructed freezes in with straight-line travel and builds a solution by
// one construction pass.
func constructed(tb testing.TB, in *roster.Instance) (*run, *solution) {
	tb.Helper()
	r, s, _, _ := constructedWith(tb, in, DefaultWeights)
	return r, s
}

// constructedWith is constructed under weights w; it returns besides the
// inserter that built the solution and the travel.
func constructedWith(tb testing.TB, in *roster.Instance, w Weights) (*run, *solution, *inserter, roster.Travel) {
	tb.Helper()
	travel := straightTravel(tb, in)
	p, err := newProblem(in, travel, w)
	if err != nil {
		tb.Fatal(err)
	}
	r := newRun(p, p.triage(), Options{Seed: 1})
	s := newSolution(p)
	ins := newInserter(s, r.rng)
	ins.gran = r.tri.gran
	r.recreate(ins, append([]int32(nil), r.tri.open...), 0)
	return r, s, ins, travel
}

// testDays are the locality and small test days and eight more that gen
// makes from seeds 1 to 8, by name.
func testDays(tb testing.TB, gen func(seed int) (string, *roster.Instance)) map[string]*roster.Instance {
	tb.Helper()
	days := map[string]*roster.Instance{
		"locality_day": readDay(tb, "../testdata/locality_day.json"),
		"small_day":    readDay(tb, "../testdata/small_day.json"),
	}
	for seed := 1; seed <= 8; seed++ {
		name, in := gen(seed)
		days[name] = in
	}
	return days
}

// straightTravel is in's travel in straight lines.
func straightTravel(tb testing.TB, in *roster.Instance) roster.Travel {
	tb.Helper()
	prov, err := geo.NewStraightLine(in.Travel)
	if err != nil {
		tb.Fatal(err)
	}
	travel, err := geo.ForInstance(context.Background(), prov, in)
	if err != nil {
		tb.Fatal(err)
	}
	return travel
}

// assignedJobs lists the jobs s serves.
func assignedJobs(r *run, s *solution) []int32 {
	var jobs []int32
	for _, j := range r.tri.open {
		if s.assigned(j) {
			jobs = append(jobs, j)
		}
	}
	return jobs
}

// benchInsert times taking one assigned job out and putting it back where
// it costs least: the step ruin and recreate repeats.
func benchInsert(b *testing.B, r *run, s *solution) {
	ins := newInserter(s, rand.New(rand.NewPCG(1, 2)))
	ins.gran = r.tri.gran
	jobs := assignedJobs(r, s)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		reinsert(r, s, ins, jobs[i%len(jobs)])
	}
}

// reinsert takes job j out of s, re-times the day and puts j back where it
// costs least.
func reinsert(r *run, s *solution, ins *inserter, j int32) {
	for _, t := range r.p.jobs[j].tasks {
		s.removeTask(t)
	}
	s.reschedule()
	s.refreshLatest()
	ins.insertBest(j)
}

// benchLegPlaces times evaluating every place of one leg: the move
// evaluation under insertion, a few operations per place.
func benchLegPlaces(b *testing.B, r *run, s *solution) {
	ins := newInserter(s, rand.New(rand.NewPCG(1, 2)))
	ins.gran = r.tri.gran
	s.refreshLatest()
	tasks := r.p.tasks
	var out []place
	places := 0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out = ins.legPlaces(int32(i%len(tasks)), out)
		places += len(out)
	}
	if places == 0 {
		b.Fatal("no leg found a place")
	}
}

// BenchmarkInsertBest re-inserts jobs of the 150-visit locality day.
func BenchmarkInsertBest(b *testing.B) {
	r, s := benchProblem(b, "../testdata/locality_day.json")
	benchInsert(b, r, s)
}

// BenchmarkInsertBest2000 re-inserts jobs of a generated 2,000-visit day,
// where insertion looks first at nearby rounds.
func BenchmarkInsertBest2000(b *testing.B) {
	r, s := largeDay(b, 2000)
	benchInsert(b, r, s)
}

// BenchmarkLegPlaces evaluates the places of one leg on the locality day.
func BenchmarkLegPlaces(b *testing.B) {
	r, s := benchProblem(b, "../testdata/locality_day.json")
	benchLegPlaces(b, r, s)
}

// BenchmarkLegPlaces2000 evaluates the places of one leg on a generated
// 2,000-visit day: with granular lists its cost should stay near the
// 150-visit day's, not grow with the visits.
func BenchmarkLegPlaces2000(b *testing.B) {
	r, s := largeDay(b, 2000)
	benchLegPlaces(b, r, s)
}

// BenchmarkCost evaluates the plan after one round changed, as each trial
// insertion does: only the changed carer's day is worked out again.
func BenchmarkCost(b *testing.B) {
	_, s := benchProblem(b, "../testdata/locality_day.json")
	v := int32(0)
	for len(s.routes[v]) == 0 {
		v++
	}
	s.cost()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.mark(v)
		s.cost()
	}
}

// TestInsertAllocations pins insertion's allocations: once its scratch
// space has grown, taking a job out and putting it back allocates nothing.
func TestInsertAllocations(t *testing.T) {
	r, s := benchProblem(t, "../testdata/locality_day.json")
	ins := newInserter(s, rand.New(rand.NewPCG(1, 2)))
	jobs := assignedJobs(r, s)
	i := 0
	step := func() {
		reinsert(r, s, ins, jobs[i%len(jobs)])
		i++
	}
	for range 2 * len(jobs) {
		step() // grow the scratch space
	}
	if allocs := testing.AllocsPerRun(50, step); allocs != 0 {
		t.Errorf("re-inserting a job allocates %.1f times, want 0", allocs)
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
