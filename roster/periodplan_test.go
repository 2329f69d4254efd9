package roster_test

import (
	"reflect"
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

// autumnWeekend is Saturday 24 to Monday 26 October 2026 in
// Europe/London; the clocks go back from 02:00 BST to 01:00 GMT early on
// Sunday 25th. K1 works Saturday night into Sunday (20:00-28:00) and
// Sunday and Monday mornings.
func autumnWeekend(t *testing.T) *roster.Expanded {
	t.Helper()
	return wkExpand(t, wkDecode(t, wkWeek("2026-10-24", 3, "Europe/London", `
		"carers": [{"id": "K1", "start": {"lat": 53.87, "lon": -1.91}, "mode": "walk",
		            "pattern": {"sat": [{"start": "20:00", "end": "28:00"}],
		                        "sun": [{"start": "06:00", "end": "12:00"}],
		                        "mon": [{"start": "06:00", "end": "12:00"}]}}]`)))
}

// TestWallClockRoundTrip: every ten minutes of the weekend, an instant
// written as wall-clock time on its own date, or on the day before (past
// 24:00), reads back as itself; in the second pass of the repeated hour,
// read alone, it reads as the first pass, an hour earlier.
func TestWallClockRoundTrip(t *testing.T) {
	x := autumnWeekend(t)
	if got, want := x.DayStart, []roster.Clock{0, day, 2*day + 3600, 3*day + 3600}; !reflect.DeepEqual(got, want) {
		t.Fatalf("DayStart = %v; want %v (Sunday has 25 hours)", got, want)
	}
	secondPass := [2]roster.Clock{day + 2*3600, day + 3*3600} // 01:00-02:00 GMT
	for tm := roster.Clock(0); tm < x.DayStart[3]; tm += 600 {
		d := 0
		for d+1 < 3 && tm >= x.DayStart[d+1] {
			d++
		}
		want := tm
		if tm >= secondPass[0] && tm < secondPass[1] {
			want = tm - 3600
		}
		for dd := d; dd >= max(0, d-1); dd-- {
			date := x.Date(dd)
			w, err := x.WallClock(date, tm)
			if err != nil {
				t.Fatalf("WallClock(%s, %d): %v", date, tm, err)
			}
			back, err := x.Instant(date, w)
			if err != nil || back != want {
				t.Errorf("instant %d written %v on %s reads back as %d (%v); want %d", tm, w, date, back, err, want)
			}
		}
	}
	// Sunday's 07:30 comes 25 hours after Saturday's.
	sat, _ := x.Instant("2026-10-24", hm(7, 30))
	sun, _ := x.Instant("2026-10-25", hm(7, 30))
	if sun-sat != 25*3600 {
		t.Errorf("Sunday 07:30 is %d s after Saturday's; want %d", sun-sat, 25*3600)
	}
}

// TestPlanDatesRoundTrip: a plan in instants, written with dates and read
// back, is the same plan, for a night round that runs on through the
// repeated hour (its later times are read in the second pass, as they
// come after the earlier ones) and a Sunday round after the change.
func TestPlanDatesRoundTrip(t *testing.T) {
	x := autumnWeekend(t)
	bst := func(h, m int) roster.Clock { return day + hm(h, m) } // Sunday, before the change
	gmt := func(h, m int) roster.Clock { return day + 3600 + hm(h, m) }
	flat := &roster.Plan{Rounds: []roster.Round{
		{Carer: "K1", Shift: 0, Departure: hm(23, 50),
			Stops: []roster.Stop{
				{Visit: "a", Arrival: bst(0, 50), Start: bst(0, 50), End: bst(1, 20)},
				{Visit: "b", Arrival: gmt(1, 10), Start: gmt(1, 20), End: gmt(1, 50)},
			},
			Return: gmt(2, 20), Break: &roster.Break{Start: gmt(1, 0), End: gmt(1, 10)}},
		{Carer: "K1", Shift: 1, Departure: gmt(7, 0), Stops: []roster.Stop{{Visit: "c", Arrival: gmt(7, 30), Start: gmt(7, 30), End: gmt(8, 0)}}, Return: gmt(8, 30)},
	}}
	dated, err := x.PlanDates(flat)
	if err != nil {
		t.Fatalf("PlanDates: %v", err)
	}
	night, sunday := dated.Rounds[0], dated.Rounds[1]
	if night.Date != "2026-10-24" || night.Shift != 0 || night.Departure != hm(23, 50) ||
		night.Stops[0].Start != hm(24, 50) || night.Stops[1].Arrival != hm(25, 10) || night.Return != hm(26, 20) ||
		night.Break.Start != hm(25, 0) {
		t.Errorf("night round written as %+v", night)
	}
	if sunday.Date != "2026-10-25" || sunday.Shift != 0 || sunday.Departure != hm(7, 0) || sunday.Return != hm(8, 30) {
		t.Errorf("Sunday round written as %+v", sunday)
	}
	if flat.Rounds[0].Departure != hm(23, 50) || flat.Rounds[1].Shift != 1 {
		t.Error("PlanDates changed the plan it was given")
	}
	back, vs, days := x.PlanInstants(dated)
	if len(vs) != 0 {
		t.Fatalf("reading the dated plan: %v", vs)
	}
	if !reflect.DeepEqual(back, flat) {
		t.Errorf("read back as\n%+v\nwant\n%+v", back.Rounds, flat.Rounds)
	}
	if !reflect.DeepEqual(days, []int{0, 1}) {
		t.Errorf("days = %v; want [0 1]", days)
	}
}

// TestPlanDatesRefusesALeapOverTheFirstPass: a round whose times jump from
// before the repeated hour to its second pass, with none in the first,
// cannot be written in wall-clock time so that it reads back the same.
func TestPlanDatesRefusesALeapOverTheFirstPass(t *testing.T) {
	x := autumnWeekend(t)
	flat := &roster.Plan{Rounds: []roster.Round{{Carer: "K1", Shift: 0, Departure: day + hm(0, 50),
		Stops:  []roster.Stop{{Visit: "a", Arrival: day + 3600 + hm(1, 10), Start: day + 3600 + hm(1, 10), End: day + 3600 + hm(1, 40)}},
		Return: day + 3600 + hm(2, 0)}}}
	if _, err := x.PlanDates(flat); err == nil {
		t.Fatal("PlanDates wrote a round it cannot read back")
	} else {
		t.Log(err)
	}
}

// TestPlanInstantsFaults: what reading a dated plan reports, by code and
// path.
func TestPlanInstantsFaults(t *testing.T) {
	spring := wkExpand(t, wkDecode(t, wkWeek("2026-03-28", 2, "Europe/London", `
		"carers": [{"id": "K1", "start": {"lat": 53.87, "lon": -1.91}, "mode": "walk",
		            "shifts": [{"start": "00:00", "end": "12:00"}]}]`)))
	round := func(date string, shift int, dep roster.Clock) roster.Round {
		return roster.Round{Carer: "K1", Date: date, Shift: shift, Departure: dep,
			Stops: []roster.Stop{{Visit: "a", Arrival: dep, Start: dep, End: dep + 1800}}, Return: dep + 3600}
	}
	tests := []struct {
		name       string
		r          roster.Round
		code, path string
	}{
		{"a time the clocks skip", round("2026-03-29", 0, hm(1, 30)), "wall_clock", "rounds[0].departure"},
		{"a later time the clocks skip", round("2026-03-29", 0, hm(0, 45)), "wall_clock", "rounds[0].stops[0].end"},
		{"no date", round("", 0, hm(8, 0)), "date", "rounds[0].date"},
		{"a date after the period", round("2026-03-30", 0, hm(8, 0)), "date", "rounds[0].date"},
		{"not a date", round("29.03.2026", 0, hm(8, 0)), "date", "rounds[0].date"},
		{"a shift the day does not have", round("2026-03-29", 1, hm(8, 0)), "shift", "rounds[0].shift"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, vs, _ := spring.PlanInstants(&roster.Plan{Rounds: []roster.Round{tc.r}})
			wellFormed(t, vs)
			expectViolation(t, vs, tc.code, tc.path)
		})
	}
}
