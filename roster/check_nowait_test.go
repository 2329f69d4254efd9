package roster_test

import (
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

// The no-waiting fixture: two days in UTC on checkDay's grid. ann walks
// (12 min a km) from the origin, 08:00-12:00 each day. C1 is 1 km north,
// C2 1 km east (2 km from C1). C1 has a dated call each day, C1-am@DATE, a
// series of two; C2 one on the first day. Every window is the whole shift,
// so no call need wait.

const (
	nwDay1 = "2026-11-23"
	nwDay2 = "2026-11-24"
)

func noWaitWeek() *roster.Instance {
	shift := []roster.Shift{{Start: tod(8, 0, 0), End: tod(12, 0, 0)}}
	whole := win(8, 0, 12, 0)
	return &roster.Instance{
		Name: "No waiting", Period: &roster.Period{Start: nwDay1, Days: 2}, TimeZone: "UTC",
		Rules:   &roster.Rules{NoWaiting: true, CallTimeSpreadMaxMin: ptrTo(5)},
		Carers:  []roster.Carer{{ID: "ann", Mode: roster.Walk, Shifts: shift}},
		Clients: []roster.Client{{ID: "C1", Location: roster.Location{Lat: 1}}, {ID: "C2", Location: roster.Location{Lon: 1}}},
		Visits: []roster.Visit{
			{ID: "C1-am@" + nwDay1, Date: nwDay1, Client: "C1", DurationMin: 30, Windows: whole},
			{ID: "C2-am@" + nwDay1, Date: nwDay1, Client: "C2", DurationMin: 30, Windows: whole},
			{ID: "C1-am@" + nwDay2, Date: nwDay2, Client: "C1", DurationMin: 30, Windows: whole},
		},
	}
}

// noWaitPlan is a correct plan for noWaitWeek, worked out by hand: out at
// 08:00, C1 08:12-08:42, C2 09:06-09:36, home 09:48; the next day C1
// 08:12-08:42 again, home 08:54.
func noWaitPlan() *roster.Plan {
	return &roster.Plan{Instance: "No waiting", Travel: roster.TravelSource{Provider: "grid"}, Unassigned: []roster.Unassigned{},
		Rounds: []roster.Round{
			{Carer: "ann", Date: nwDay1, Mode: roster.Walk, Departure: tod(8, 0, 0),
				Stops: []roster.Stop{
					{Visit: "C1-am@" + nwDay1, Client: "C1", Arrival: tod(8, 12, 0), Start: tod(8, 12, 0), End: tod(8, 42, 0), TravelS: 720, DistanceM: 1000},
					{Visit: "C2-am@" + nwDay1, Client: "C2", Arrival: tod(9, 6, 0), Start: tod(9, 6, 0), End: tod(9, 36, 0), TravelS: 1440, DistanceM: 2000},
				},
				Return: tod(9, 48, 0), ReturnTravelS: 720, ReturnDistanceM: 1000},
			{Carer: "ann", Date: nwDay2, Mode: roster.Walk, Departure: tod(8, 0, 0),
				Stops:  []roster.Stop{{Visit: "C1-am@" + nwDay2, Client: "C1", Arrival: tod(8, 12, 0), Start: tod(8, 12, 0), End: tod(8, 42, 0), TravelS: 720, DistanceM: 1000}},
				Return: tod(8, 54, 0), ReturnTravelS: 720, ReturnDistanceM: 1000},
		}}
}

// shiftStop moves stop j of round r, and everything after it in the
// round, by d.
func shiftStop(r *roster.Round, j int, d roster.Clock) {
	for k := j; k < len(r.Stops); k++ {
		s := &r.Stops[k]
		s.Arrival, s.Start, s.End = s.Arrival+d, s.Start+d, s.End+d
	}
	r.Return += d
}

// c1Second puts C1 second on the first day: out at 08:00, C2 08:12-08:42,
// C1 09:06-09:36, 54 minutes later than on the next day.
func c1Second(p *roster.Plan) {
	r := &p.Rounds[0]
	r.Stops[0], r.Stops[1] = r.Stops[1], r.Stops[0]
	a, b := &r.Stops[0], &r.Stops[1]
	a.Arrival, a.Start, a.End, a.TravelS, a.DistanceM = tod(8, 12, 0), tod(8, 12, 0), tod(8, 42, 0), 720, 1000
	b.Arrival, b.Start, b.End, b.TravelS, b.DistanceM = tod(9, 6, 0), tod(9, 6, 0), tod(9, 36, 0), 1440, 2000
}

// TestCheckNoWaitingAccepts: plans that never idle before a call pass
// under rules.no_waiting, a rest break between two calls included; a plan
// that waits passes once the rule is off.
func TestCheckNoWaitingAccepts(t *testing.T) {
	type (
		I = roster.Instance
		P = roster.Plan
	)
	tests := []struct {
		name   string
		mutate func(in *I, p *P)
	}{
		{"as planned", func(in *I, p *P) {}},
		{"a rest break before a journey", func(in *I, p *P) {
			in.Carers[0].Break = &roster.BreakRule{AfterWorkingMin: 60, DurationMin: 20}
			r := &p.Rounds[0]
			r.Break = &roster.Break{Start: tod(8, 42, 0), End: tod(9, 2, 0)}
			shiftStop(r, 1, 20*60)
		}},
		{"waiting allowed without the rule", func(in *I, p *P) {
			in.Rules.NoWaiting = false
			r := &p.Rounds[0]
			r.Departure = tod(8, 10, 0)
			shiftStop(r, 0, 10*60)
			s := &r.Stops[1]
			s.Start, s.End, s.WaitingS = s.Start+300, s.End+300, 300
			r.Return += 300
			in.Rules.CallTimeSpreadMaxMin = nil
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in, p := noWaitWeek(), noWaitPlan()
			tc.mutate(in, p)
			if err := in.Validate(); err != nil {
				t.Fatalf("the fixture is not valid: %v", err)
			}
			withFigures(t, in, p)
			if vs := roster.Check(in, newGridTravel(in), p); len(vs) != 0 {
				t.Fatalf("violations:\n%s", violationsText(vs))
			}
		})
	}
}

// TestCheckNoWaitingCatchesMutations: each way of idling before a call is
// a waiting violation at the field where the idle time shows, and a
// series of dated visits keeps its spread cap.
func TestCheckNoWaitingCatchesMutations(t *testing.T) {
	type P = roster.Plan
	tests := []struct {
		name       string
		mutate     func(p *P)
		code, path string
	}{
		{"leaving after the shift opens", func(p *P) {
			r := &p.Rounds[1]
			r.Departure = tod(8, 2, 0)
			shiftStop(r, 0, 2*60)
		}, "waiting", "rounds[1].departure"},
		{"waiting at the client", func(p *P) {
			r := &p.Rounds[0]
			s := &r.Stops[1]
			s.Start, s.End, s.WaitingS = s.Start+240, s.End+240, 240
			r.Return += 240
		}, "waiting", "rounds[0].stops[1].start"},
		{"lingering before a journey", func(p *P) {
			shiftStop(&p.Rounds[0], 1, 240)
		}, "waiting", "rounds[0].stops[1].arrival"},
		{"waiting at the first call", func(p *P) {
			r := &p.Rounds[1]
			s := &r.Stops[0]
			s.Start, s.End, s.WaitingS = s.Start+60, s.End+60, 60
			r.Return += 60
		}, "waiting", "rounds[1].stops[0].start"},
		{"a series of dated calls spread over the cap", func(p *P) {
			c1Second(p)
		}, "call_time_spread", "rounds[1].stops[0].start"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in, p := noWaitWeek(), noWaitPlan()
			tc.mutate(p)
			withFigures(t, in, p)
			vs := roster.Check(in, newGridTravel(in), p)
			wellFormed(t, vs)
			expectViolation(t, vs, tc.code, tc.path)
			for _, v := range vs {
				if v.Code != tc.code {
					t.Errorf("another fault than the one made: %s", v)
				}
			}
		})
	}
}

// TestDatedSeries: dated visits of one client whose ids share a stem for
// their own dates are one recurring call in the expansion and the figures;
// a lone one, one dated otherwise, and another client's visits with the
// same stem are not of it, and a care entry's id as the stem joins the
// entry.
func TestDatedSeries(t *testing.T) {
	in := noWaitWeek()
	whole := win(8, 0, 12, 0)
	in.Visits = append(in.Visits,
		roster.Visit{ID: "C1-am@" + nwDay1 + "x", Date: nwDay2, Client: "C1", DurationMin: 30, Windows: whole},
		roster.Visit{ID: "pm@" + nwDay1, Date: nwDay1, Client: "C1", DurationMin: 30, Windows: whole},
		roster.Visit{ID: "pm@" + nwDay2, Date: nwDay2, Client: "C2", DurationMin: 30, Windows: whole},
		roster.Visit{ID: "tea@" + nwDay2, Date: nwDay2, Client: "C2", DurationMin: 30, Windows: whole},
	)
	in.Care = []roster.Care{{ID: "tea", Client: "C2", DurationMin: 30, Days: roster.Days{"mon"}, Windows: whole}}
	x, err := roster.Expand(in)
	if err != nil {
		t.Fatal(err)
	}
	want := []roster.Series{{ID: "tea", Client: "C2", Care: 0}, {ID: "C1-am", Client: "C1", Care: -1}}
	if len(x.Series) != len(want) {
		t.Fatalf("series = %+v, want %+v", x.Series, want)
	}
	for i := range want {
		if x.Series[i] != want[i] {
			t.Errorf("series[%d] = %+v, want %+v", i, x.Series[i], want[i])
		}
	}
	of := map[string]int{}
	for i, v := range x.Instance.Visits {
		of[v.ID] = x.VisitSeries[i]
	}
	for id, s := range map[string]int{
		"C1-am@" + nwDay1: 1, "C1-am@" + nwDay2: 1, "C2-am@" + nwDay1: -1, "C1-am@" + nwDay1 + "x": -1,
		"pm@" + nwDay1: -1, "pm@" + nwDay2: -1, "tea@" + nwDay2: 0, "tea@" + nwDay1: 0,
	} {
		if of[id] != s {
			t.Errorf("visit %s in series %d, want %d", id, of[id], s)
		}
	}

	// The figures: one row for the care entry, one for the dated series,
	// whose spread is the C1 calls' (08:12 and 09:06: 54 minutes).
	p := noWaitPlan()
	c1Second(p)
	pk, err := roster.ComputePeriodKPIs(noWaitWeek(), p, roster.DefaultPaySettings())
	if err != nil {
		t.Fatal(err)
	}
	if len(pk.Care) != 1 || pk.Care[0].Care != "C1-am" || pk.Care[0].Client != "C1" || pk.Care[0].VisitsServed != 2 ||
		pk.Care[0].SpreadMin == nil || *pk.Care[0].SpreadMin != 54 {
		t.Errorf("period_kpis.care = %+v, want C1-am of C1, 2 served, spread 54", pk.Care)
	}
	vs := roster.Check(noWaitWeek(), newGridTravel(noWaitWeek()), p)
	if len(vs) != 1 || !strings.Contains(vs[0].Message, "Client C1's dated calls C1-am@") {
		t.Errorf("violations:\n%s\nwant the series' spread named", violationsText(vs))
	}
}
