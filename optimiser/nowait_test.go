package optimiser_test

import (
	"context"
	"testing"

	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/optimiser"
	"github.com/rounds-dev/rounds/roster"
)

// Hand-made instances for rules.no_waiting and for a series of dated
// visits: travel is given as matrices, so every time below can be worked
// out by hand.

// hm is h:m as a clock time.
func hm(h, m int) roster.Clock { return roster.Clock(h*3600 + m*60) }

// legsMatrix is a travel matrix over n points in which every leg between
// two different points takes legS[i][j] seconds (and as many metres).
func legsMatrix(legS [][]int) *roster.TravelConfig {
	m := roster.TravelMatrix{DurationsS: legS, DistancesM: legS}
	return &roster.TravelConfig{Matrices: map[roster.Mode]roster.TravelMatrix{roster.Drive: m}}
}

// uniform is an n-point matrix whose legs all take legS.
func uniform(n, legS int) [][]int {
	out := make([][]int, n)
	for i := range out {
		out[i] = make([]int, n)
		for j := range out[i] {
			if i != j {
				out[i][j] = legS
			}
		}
	}
	return out
}

// solveChecked solves in with weights w and a fixed seed and iteration
// budget, and fails the test on any fault roster.Check finds.
func solveNoWait(t *testing.T, in *roster.Instance, w optimiser.Weights) *roster.Plan {
	t.Helper()
	if err := in.Validate(); err != nil {
		t.Fatalf("the instance is not valid: %v", err)
	}
	travel, err := geo.TravelFor(context.Background(), nil, in)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := optimiser.Solve(context.Background(), in, travel, optimiser.Options{Seed: 1, Iterations: 300, Weights: &w})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range roster.Check(in, travel, plan) {
		t.Errorf("violation %s at %s: %s", v.Code, v.Path, v.Message)
	}
	return plan
}

// assertNoIdle checks that every round of p leaves at its shift's opening
// (open) and starts each call on arrival.
func assertNoIdle(t *testing.T, p *roster.Plan, open roster.Clock) {
	t.Helper()
	for i, r := range p.Rounds {
		if r.Departure != open {
			t.Errorf("rounds[%d] leaves at %s, want %s", i, r.Departure, open)
		}
		for j, s := range r.Stops {
			if s.Start != s.Arrival || s.WaitingS != 0 {
				t.Errorf("rounds[%d].stops[%d] arrives %s, starts %s, waits %d s", i, j, s.Arrival, s.Start, s.WaitingS)
			}
		}
	}
}

// noWaitDay is one carer on 08:00-12:00 and two calls 10 minutes' drive
// from each other and from the carer's start: A any time in the shift, B
// from bOpen. Done A then B without waiting, B is reached at 08:50.
func noWaitDay(bOpen roster.Clock, noWait bool) *roster.Instance {
	return &roster.Instance{
		Name: "no waiting day", Date: "2026-11-23", TimeZone: "UTC",
		Rules:   &roster.Rules{NoWaiting: noWait},
		Carers:  []roster.Carer{{ID: "K1", Mode: roster.Drive, Shifts: []roster.Shift{{Start: hm(8, 0), End: hm(12, 0)}}}},
		Clients: []roster.Client{{ID: "CA"}, {ID: "CB"}},
		Visits: []roster.Visit{
			{ID: "A", Client: "CA", DurationMin: 30, Windows: []roster.Window{{Start: hm(8, 0), End: hm(12, 0)}}},
			{ID: "B", Client: "CB", DurationMin: 30, Windows: []roster.Window{{Start: bOpen, End: hm(12, 0)}}},
		},
		Travel: legsMatrix(uniform(4, 600)),
	}
}

// TestNoWaitingSchedule: under no_waiting a round leaves at its shift's
// opening and starts every call on arrival; a call whose window opens
// after the carer could first be there, on every order, is left unserved
// rather than waited for, and is served once waiting is allowed.
func TestNoWaitingSchedule(t *testing.T) {
	w := optimiser.Weights{Travel: 1}
	t.Run("reachable without waiting", func(t *testing.T) {
		p := solveNoWait(t, noWaitDay(hm(8, 50), true), w)
		if p.KPIs.VisitsServed != 2 {
			t.Fatalf("%d served, want 2", p.KPIs.VisitsServed)
		}
		assertNoIdle(t, p, hm(8, 0))
		if s := p.Rounds[0].Stops[1]; s.Visit != "B" || s.Start != hm(8, 50) {
			t.Errorf("second stop %s at %s, want B at 08:50", s.Visit, s.Start)
		}
	})
	t.Run("too early on every order", func(t *testing.T) {
		p := solveNoWait(t, noWaitDay(hm(9, 0), true), w)
		if p.KPIs.VisitsServed != 1 || len(p.Unassigned) != 1 || p.Unassigned[0].Visit != "B" {
			t.Fatalf("served %d, unassigned %+v; want A served and B not", p.KPIs.VisitsServed, p.Unassigned)
		}
		assertNoIdle(t, p, hm(8, 0))
	})
	t.Run("waiting allowed", func(t *testing.T) {
		p := solveNoWait(t, noWaitDay(hm(9, 0), false), w)
		if p.KPIs.VisitsServed != 2 {
			t.Fatalf("%d served, want 2", p.KPIs.VisitsServed)
		}
	})
}

// TestNoWaitingDoubleHanded: two carers can start a double-handed call
// together without waiting only if they arrive together; from starts 10
// and 15 minutes away they cannot, from starts 10 minutes away both they
// can.
func TestNoWaitingDoubleHanded(t *testing.T) {
	shift := []roster.Shift{{Start: hm(8, 0), End: hm(12, 0)}}
	doc := func(secondLegS int) *roster.Instance {
		// Points: client D, then K1's start and end, K2's start and end.
		m := uniform(5, 600)
		m[3][0], m[0][4] = secondLegS, secondLegS
		return &roster.Instance{
			Name: "double-handed without waiting", Date: "2026-11-23", TimeZone: "UTC",
			Rules:   &roster.Rules{NoWaiting: true},
			Carers:  []roster.Carer{{ID: "K1", Mode: roster.Drive, Shifts: shift}, {ID: "K2", Mode: roster.Drive, Shifts: shift}},
			Clients: []roster.Client{{ID: "CD"}},
			Visits:  []roster.Visit{{ID: "D", Client: "CD", DurationMin: 30, Carers: 2, Windows: []roster.Window{{Start: hm(8, 0), End: hm(12, 0)}}}},
			Travel:  legsMatrix(m),
		}
	}
	w := optimiser.Weights{Travel: 1}
	if p := solveNoWait(t, doc(900), w); p.KPIs.VisitsServed != 0 || len(p.Unassigned) != 1 {
		t.Errorf("arriving 5 minutes apart: %d served, unassigned %+v; want D unserved", p.KPIs.VisitsServed, p.Unassigned)
	}
	p := solveNoWait(t, doc(600), w)
	if p.KPIs.VisitsServed != 1 {
		t.Fatalf("arriving together: %d served, want D served", p.KPIs.VisitsServed)
	}
	assertNoIdle(t, p, hm(8, 0))
}

// spreadWeek is two days and two carers on 08:00-12:00 each day, all
// places 10 minutes' drive apart. Client C1 has a call each day,
// C1-am@DATE, a series of dated visits; on the second day client X has a
// call that must start by 08:30. One carer doing both on the second day
// reaches C1 at 08:50, 40 minutes later than on the first day.
func spreadWeek(capMin *int) *roster.Instance {
	shift := []roster.Shift{{Start: hm(8, 0), End: hm(12, 0)}}
	whole := []roster.Window{{Start: hm(8, 0), End: hm(12, 0)}}
	return &roster.Instance{
		Name: "series spread", Period: &roster.Period{Start: "2026-11-23", Days: 2}, TimeZone: "UTC",
		Rules:   &roster.Rules{NoWaiting: true, CallTimeSpreadMaxMin: capMin},
		Carers:  []roster.Carer{{ID: "K1", Mode: roster.Drive, Shifts: shift}, {ID: "K2", Mode: roster.Drive, Shifts: shift}},
		Clients: []roster.Client{{ID: "C1"}, {ID: "X"}},
		Visits: []roster.Visit{
			{ID: "C1-am@2026-11-23", Date: "2026-11-23", Client: "C1", DurationMin: 30, Windows: whole},
			{ID: "C1-am@2026-11-24", Date: "2026-11-24", Client: "C1", DurationMin: 30, Windows: whole},
			{ID: "X-early@2026-11-24", Date: "2026-11-24", Client: "X", DurationMin: 30, Windows: []roster.Window{{Start: hm(8, 0), End: hm(8, 30)}}},
		},
		Travel: legsMatrix(uniform(6, 600)),
	}
}

// TestSeriesSpreadCap: dated visits sharing a stem are capped like a care
// entry. A second carer costs more than the 40 minutes of spread one carer
// would give C1-am, so without a cap one carer does everything; with a cap
// of 15 minutes the second carer takes X's call and C1-am starts at 08:10
// both days. Each plan reports the series' spread in period_kpis.care.
func TestSeriesSpreadCap(t *testing.T) {
	w := optimiser.Weights{Travel: 1, CarerUsed: 1000}
	spread := func(p *roster.Plan) float64 {
		t.Helper()
		if p.KPIs.VisitsServed != 3 {
			t.Fatalf("%d served, want 3", p.KPIs.VisitsServed)
		}
		if p.PeriodKPIs == nil || len(p.PeriodKPIs.Care) != 1 || p.PeriodKPIs.Care[0].Care != "C1-am" || p.PeriodKPIs.Care[0].Client != "C1" || p.PeriodKPIs.Care[0].SpreadMin == nil {
			t.Fatalf("period_kpis.care = %+v, want the series C1-am of C1", p.PeriodKPIs)
		}
		return *p.PeriodKPIs.Care[0].SpreadMin
	}
	if got := spread(solveNoWait(t, spreadWeek(nil), w)); got != 40 {
		t.Errorf("without a cap, spread %v min, want 40 (one carer)", got)
	}
	cap := 15
	p := solveNoWait(t, spreadWeek(&cap), w)
	if got := spread(p); got != 0 {
		t.Errorf("with a cap of 15 min, spread %v min, want 0 (C1-am at 08:10 both days)", got)
	}
	assertNoIdle(t, p, hm(8, 0))
}
