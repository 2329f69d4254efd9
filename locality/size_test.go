package locality

import (
	"context"
	"fmt"
	"math"
	"sync"
	"testing"

	"github.com/rounds-dev/rounds/optimiser"
	"github.com/rounds-dev/rounds/roster"
)

// quick are solves short enough for the package's tests.
var quick = SizeOptions{Planner: solve, Seed: 1, Iterations: 120, Workers: 1}

// solve is the optimiser as a Planner. (locality/planner.Optimiser is the
// same; this package's own tests cannot import a package built on it.)
func solve(ctx context.Context, day *roster.Instance, travel roster.Travel, req PlanRequest) (*roster.Plan, error) {
	w := optimiser.DefaultWeights
	if req.CarerUsed > 0 {
		w.CarerUsed = req.CarerUsed
	}
	w.Moved = 0
	opts := optimiser.Options{Seed: req.Seed, Iterations: req.Iterations, TimeLimit: req.TimeLimit, Workers: req.Workers, Weights: &w, Previous: req.Previous}
	return optimiser.Solve(ctx, day, travel, opts)
}

// checked fails the test on any violation of the plan.
func checked(t testing.TB, what string, in *roster.Instance, travel roster.Travel, p *roster.Plan) {
	t.Helper()
	if in == nil || travel == nil || p == nil {
		t.Fatalf("%s: no day, travel or plan", what)
	}
	for _, v := range roster.Check(in, travel, p) {
		t.Errorf("%s: violation %s at %s: %s", what, v.Code, v.Path, v.Message)
	}
}

// town is the sizing of a town locality of 45 clients, made once for the
// tests that read it.
var town struct {
	once    sync.Once
	clients []Client
	sizing  *Sizing
	reports int
	err     error
	// polishFrom is the plan the one solve with a previous plan started
	// from, polished what it returned; polishes counts such solves.
	polishFrom, polished *roster.Plan
	polishes             int
}

func townSizing(t *testing.T) ([]Client, *Sizing) {
	t.Helper()
	town.once.Do(func() {
		town.clients = clientsAround(11, 45, keighley, 1.5)
		opts := quick
		opts.WalkFactor = -1
		opts.Planner = func(ctx context.Context, day *roster.Instance, travel roster.Travel, req PlanRequest) (*roster.Plan, error) {
			p, err := solve(ctx, day, travel, req)
			if req.Previous != nil {
				town.polishFrom, town.polished = req.Previous, p
				town.polishes++
			}
			return p, err
		}
		opts.Progress = func(done, total int, what string) {
			town.reports++
			if done > total || done < 0 {
				town.err = fmt.Errorf("progress %d of %d", done, total)
			}
		}
		town.sizing, town.err = Size(context.Background(), town.clients, DefaultSupply, nil, opts)
	})
	if town.err != nil {
		t.Fatal(town.err)
	}
	return town.clients, town.sizing
}

// TestSizeCarersNeededIsChecked checks the answer the commissioner is
// shown: a plan with CarersNeeded carers serving every visit, and one
// with a pool of one fewer leaving some unserved.
func TestSizeCarersNeededIsChecked(t *testing.T) {
	_, s := townSizing(t)
	t.Logf("estimate %d, carers needed %d, one fewer leaves %d unserved, %d solves", s.Estimate, s.CarersNeeded, s.OneFewerUnserved, s.Solves)
	checked(t, "answer", s.Day, s.Travel, s.Plan)
	if n := len(s.Plan.Unassigned); n != 0 {
		t.Errorf("the answer leaves %d visits unserved", n)
	}
	if got := s.Plan.KPIs.CarersUsed; got != s.CarersNeeded {
		t.Errorf("the answer's plan uses %d carers, CarersNeeded %d", got, s.CarersNeeded)
	}
	if s.CarersNeeded < 2 {
		t.Fatalf("%d carers needed: too few for the test to say anything", s.CarersNeeded)
	}
	checked(t, "one fewer", s.OneFewerDay, s.OneFewerTravel, s.OneFewer)
	if got := len(s.OneFewerDay.Carers); got != s.CarersNeeded-1 {
		t.Errorf("the one-fewer day has %d carers, want %d", got, s.CarersNeeded-1)
	}
	if got := len(s.OneFewer.Unassigned); got == 0 || got != s.OneFewerUnserved {
		t.Errorf("the one-fewer plan leaves %d unserved, OneFewerUnserved %d; want some", got, s.OneFewerUnserved)
	}
	if s.Walk != nil {
		t.Error("walking searched though WalkFactor is negative")
	}
	if town.reports != s.Solves+1 {
		t.Errorf("%d progress reports for %d solves, want one each and a last", town.reports, s.Solves)
	}
}

// TestSizePolishesTravel checks that the answer's rounds are planned
// again for travel with only the carers they use, and that the sizing
// keeps the plan that travels less.
func TestSizePolishesTravel(t *testing.T) {
	_, s := townSizing(t)
	if town.polishes != 1 {
		t.Fatalf("%d solves started from a previous plan, want 1 (the driving answer's)", town.polishes)
	}
	from, got := town.polishFrom.KPIs, town.polished.KPIs
	t.Logf("travel %d s before, %d s after; carers %d and %d", from.TravelS, got.TravelS, from.CarersUsed, got.CarersUsed)
	if len(s.Day.Carers) != s.CarersNeeded {
		t.Errorf("the answer's day has %d carers, want the %d it needs", len(s.Day.Carers), s.CarersNeeded)
	}
	better := len(town.polished.Unassigned) == 0 && got.CarersUsed == from.CarersUsed && got.TravelS < from.TravelS
	switch {
	case better && s.Plan != town.polished:
		t.Error("the polished plan serves everyone with the same carers and less travel, and was not kept")
	case !better && s.Plan != town.polishFrom:
		t.Error("the polished plan is no better, and replaced the answer")
	}
	if s.Plan.KPIs.TravelS > from.TravelS {
		t.Errorf("the answer travels %d s, more than the %d s it started from", s.Plan.KPIs.TravelS, from.TravelS)
	}
}

// TestSizeFigures checks that the figures agree with the answer's plan
// and the clients.
func TestSizeFigures(t *testing.T) {
	clients, s := townSizing(t)
	sup := DefaultSupply
	k := s.Plan.KPIs
	near := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	near("travel share", s.TravelShare, float64(k.TravelS)/float64(k.PaidS))
	near("paid hours a day", s.PaidHoursADay, float64(k.PaidS)/3600)
	near("km a week", s.DrivenKMAWeek, 7*float64(k.TravelByMode[roster.Drive].DistanceM)/1000)
	near("CO2 a week", s.CO2KgAWeek, s.DrivenKMAWeek*sup.CO2KgPerKM)
	if want := int(math.Ceil(7 * s.PaidHoursADay / sup.ContractHours)); s.Headcount != want {
		t.Errorf("headcount %d, want %d", s.Headcount, want)
	}
	calls, double, hours, byBand := 0, 0, 0.0, 0.0
	for i := range clients {
		calls += clients[i].CallsADay()
		if clients[i].Double {
			double += clients[i].CallsADay()
		}
		hours += clients[i].WeeklyHours
	}
	for _, h := range s.WeeklyHoursByBand {
		byBand += h
	}
	if s.VisitsADay != calls || s.VisitsADay != k.Visits {
		t.Errorf("%d visits a day, want %d (the plan has %d)", s.VisitsADay, calls, k.Visits)
	}
	near("double share", s.DoubleShare, float64(double)/float64(calls))
	near("weekly hours", s.WeeklyHours, hours)
	near("weekly hours by band", byBand, hours)
	if s.TravelShare <= 0 || s.TravelShare >= 0.6 {
		t.Errorf("travel share %.2f, want a town's: above 0 and well under 0.6", s.TravelShare)
	}
}

// TestSizeWalkability checks that a tight cluster is walkable and a
// spread-out rural locality is not, at 4.7 km/h on foot.
func TestSizeWalkability(t *testing.T) {
	for _, tc := range []struct {
		name     string
		radiusKM float64
		walkable bool
	}{
		{"tight cluster", 0.4, true},
		{"rural", 12, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clients := clientsAround(13, 24, keighley, tc.radiusKM)
			opts := quick
			opts.Progress = func(done, total int, what string) { t.Logf("%d/%d %s", done, total, what) }
			s, err := Size(context.Background(), clients, DefaultSupply, nil, opts)
			if err != nil {
				t.Fatal(err)
			}
			w := s.Walk
			if w == nil {
				t.Fatal("no walking search")
			}
			t.Logf("%d carers needed; walkers: walkable %v, %d needed of at most %d, %d unserved, walking %.0f%% of paid time",
				s.CarersNeeded, w.Walkable, w.WalkersNeeded, w.MaxWalkers, w.Unserved, 100*w.TravelShare)
			checked(t, "walkers", w.Day, w.Travel, w.Plan)
			if w.Walkable != tc.walkable {
				t.Fatalf("walkable %v, want %v", w.Walkable, tc.walkable)
			}
			for _, c := range w.Day.Carers {
				if c.Mode != roster.Walk {
					t.Fatalf("carer %s %s in the walkers' day", c.ID, c.Mode)
				}
			}
			if w.Walkable {
				if len(w.Plan.Unassigned) != 0 || w.Plan.KPIs.CarersUsed != w.WalkersNeeded {
					t.Errorf("walkers' plan: %d unserved, %d carers used, WalkersNeeded %d", len(w.Plan.Unassigned), w.Plan.KPIs.CarersUsed, w.WalkersNeeded)
				}
				// The walkers' answer was re-planned for travel on the day
				// of the walkers it uses.
				if len(w.Day.Carers) != w.WalkersNeeded {
					t.Errorf("the walkers' day has %d carers, want the %d it needs", len(w.Day.Carers), w.WalkersNeeded)
				}
			} else if w.Unserved == 0 || len(w.Plan.Unassigned) != w.Unserved {
				t.Errorf("not walkable, yet %d unserved (plan %d)", w.Unserved, len(w.Plan.Unassigned))
			}
		})
	}
}

// BenchmarkSize sizes a town locality of about 300 visits a day, walking
// search included, at 1,000 iterations a solve.
func BenchmarkSize(b *testing.B) {
	clients := clientsAround(21, 120, keighley, 2)
	visits := 0
	for i := range clients {
		visits += clients[i].CallsADay()
	}
	opts := SizeOptions{Planner: solve, Seed: 1, Iterations: 1000, Workers: 1}
	b.ReportAllocs()
	var s *Sizing
	for b.Loop() {
		var err error
		if s, err = Size(context.Background(), clients, DefaultSupply, nil, opts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(visits), "visits")
	b.ReportMetric(float64(s.CarersNeeded), "carers")
	b.ReportMetric(float64(s.Solves), "solves")
}
