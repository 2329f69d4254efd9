package roster_test

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

// sliceWeek reads testdata/week_small.json: Monday 23 to Sunday 29
// November 2026, with care on some weekdays only, a dated visit, days off,
// availability, a dependency within Tuesday and history.
func sliceWeek(t *testing.T) *roster.Instance {
	t.Helper()
	f, err := os.Open("../testdata/week_small.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	in, err := roster.DecodeInstance(f)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// dayVisits maps the ids of the expanded visits on day d to their windows
// as offsets from the start of that day.
func dayVisits(x *roster.Expanded, d int) map[string][]roster.Window {
	out := map[string][]roster.Window{}
	for i, v := range x.Instance.Visits {
		if x.VisitDay[i] != d {
			continue
		}
		var ws []roster.Window
		for _, w := range v.Windows {
			ws = append(ws, roster.Window{Start: w.Start - x.DayStart[d], End: w.End - x.DayStart[d]})
		}
		out[v.ID] = ws
	}
	return out
}

// dayShifts is carer k's shifts on day d as offsets from the start of that
// day.
func dayShifts(x *roster.Expanded, k, d int) []roster.Shift {
	var out []roster.Shift
	for s, sd := range x.ShiftDay[k] {
		if sd == d {
			sh := x.Instance.Carers[k].Shifts[s]
			out = append(out, roster.Shift{Start: sh.Start - x.DayStart[d], End: sh.End - x.DayStart[d]})
		}
	}
	return out
}

// TestSliceDaysEachDayAsInTheWeek: each one-day slice of the week expands
// to exactly the visits and carers' shifts that the whole week has on that
// day, at the same times of day.
func TestSliceDaysEachDayAsInTheWeek(t *testing.T) {
	in := sliceWeek(t)
	before, _ := json.Marshal(in)
	x := wkExpand(t, in)
	total := 0
	for d := 0; d < 7; d++ {
		one, err := roster.SliceDays(in, d, 1)
		if err != nil {
			t.Fatalf("day %d: %v", d, err)
		}
		if one.Period == nil || one.Period.Start != x.Date(d) || one.Period.Days != 1 || one.Date != "" {
			t.Fatalf("day %d: period %+v, date %q; want %s for 1 day", d, one.Period, one.Date, x.Date(d))
		}
		y := wkExpand(t, one)
		want, got := dayVisits(x, d), dayVisits(y, 0)
		if len(want) == 0 {
			t.Fatalf("day %d: the week has no visits that day; the fixture has changed", d)
		}
		if len(got) != len(want) {
			t.Errorf("day %d: %d visits, want %d", d, len(got), len(want))
		}
		for id, ws := range want {
			if !slices.Equal(got[id], ws) {
				t.Errorf("day %d, visit %s: windows %v, want %v", d, id, got[id], ws)
			}
		}
		total += len(got)
		for k := range in.Carers {
			if w, g := dayShifts(x, k, d), dayShifts(y, k, 0); !slices.Equal(w, g) {
				t.Errorf("day %d, carer %s: shifts %v, want %v", d, in.Carers[k].ID, g, w)
			}
		}
		if !slices.Equal(one.History, in.History) {
			t.Errorf("day %d: history %v, want the week's %v", d, one.History, in.History)
		}
	}
	if total != len(x.Instance.Visits) {
		t.Errorf("the days hold %d visits, the week %d", total, len(x.Instance.Visits))
	}
	after, _ := json.Marshal(in)
	if string(before) != string(after) {
		t.Error("slicing changed the week's document")
	}
}

// TestSliceDaysWholePeriod: a slice of every day is the same period.
func TestSliceDaysWholePeriod(t *testing.T) {
	in := sliceWeek(t)
	all, err := roster.SliceDays(in, 0, 7)
	if err != nil {
		t.Fatal(err)
	}
	x, y := wkExpand(t, in), wkExpand(t, all)
	for d := 0; d < 7; d++ {
		if w, g := dayVisits(x, d), dayVisits(y, d); len(w) != len(g) {
			t.Errorf("day %d: %d visits, want %d", d, len(g), len(w))
		}
	}
	if len(all.Care) != len(in.Care) || len(all.Visits) != len(in.Visits) || len(all.Dependencies) != len(in.Dependencies) {
		t.Errorf("care %d, visits %d, dependencies %d; want %d, %d, %d",
			len(all.Care), len(all.Visits), len(all.Dependencies), len(in.Care), len(in.Visits), len(in.Dependencies))
	}
}

// TestSliceDaysKeepsWhatFallsInside: care that does not occur, dates
// outside the slice and dependencies reaching outside are left out; what
// falls inside is kept.
func TestSliceDaysKeepsWhatFallsInside(t *testing.T) {
	in := sliceWeek(t)
	careIDs := func(s *roster.Instance) []string {
		var ids []string
		for _, c := range s.Care {
			ids = append(ids, c.ID)
		}
		return ids
	}
	carer := func(s *roster.Instance, id string) roster.Carer {
		for _, c := range s.Carers {
			if c.ID == id {
				return c
			}
		}
		t.Fatalf("no carer %s", id)
		return roster.Carer{}
	}
	mon, _ := roster.SliceDays(in, 0, 1)
	tue, _ := roster.SliceDays(in, 1, 1)
	wedThu, _ := roster.SliceDays(in, 2, 2)
	sat, _ := roster.SliceDays(in, 5, 1)
	if slices.Contains(careIDs(mon), "C5-check") || !slices.Contains(careIDs(sat), "C5-check") {
		t.Errorf("the weekend care C5-check: Monday has %v, Saturday %v", careIDs(mon), careIDs(sat))
	}
	if len(mon.Dependencies) != 0 || len(tue.Dependencies) != 1 {
		t.Errorf("the dependency within Tuesday: Monday has %d, Tuesday %d", len(mon.Dependencies), len(tue.Dependencies))
	}
	if len(mon.Visits) != 0 || len(wedThu.Visits) != 1 || wedThu.Visits[0].ID != "C2-gp-escort" {
		t.Errorf("the dated visit of Thursday: Monday has %v, Wednesday-Thursday %v", mon.Visits, wedThu.Visits)
	}
	if k := carer(mon, "K1"); len(k.DaysOff) != 0 {
		t.Errorf("K1 on Monday: days off %v, want none", k.DaysOff)
	}
	if k := carer(wedThu, "K1"); !slices.Equal(k.DaysOff, []string{"2026-11-25"}) {
		t.Errorf("K1 on Wednesday-Thursday: days off %v, want [2026-11-25]", k.DaysOff)
	}
	if k := carer(sat, "K2"); len(k.Availability) != 1 || len(carer(mon, "K2").Availability) != 0 {
		t.Errorf("K2's Saturday availability: Saturday has %v, Monday %v", k.Availability, carer(mon, "K2").Availability)
	}
	if !strings.Contains(mon.Name, "2026-11-23") || !strings.Contains(wedThu.Name, "2026-11-26") {
		t.Errorf("names %q and %q do not say which days", mon.Name, wedThu.Name)
	}
}

// TestSliceDaysProRatesContracts: a one-day slice holds a carer to a
// seventh of their weekly contract, as roster reads a short period.
func TestSliceDaysProRatesContracts(t *testing.T) {
	in := sliceWeek(t)
	mon, err := roster.SliceDays(in, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	k, err := roster.ComputePeriodKPIs(mon, nil, roster.DefaultPaySettings())
	if err != nil {
		t.Fatal(err)
	}
	for _, cw := range k.CarerWeeks {
		if cw.Carer != "K1" {
			continue
		}
		if cw.Days != 1 || cw.ContractMaxH == nil || *cw.ContractMaxH != 5 || *cw.ContractMinH != 20.0/7 {
			t.Errorf("K1's Monday: %d days, contract %v to %v h; want 1 day, 20/7 to 5 h", cw.Days, cw.ContractMinH, cw.ContractMaxH)
		}
		return
	}
	t.Error("no carer week for K1")
}

// TestSliceDaysOneDayDocument: a one-day document slices to a period of
// its one day whose visits are dated.
func TestSliceDaysOneDayDocument(t *testing.T) {
	in := smallDay(t)
	s, err := roster.SliceDays(in, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	if s.Period == nil || s.Period.Start != in.Date || len(s.Visits) != len(in.Visits) {
		t.Fatalf("period %+v with %d visits; want %s with %d", s.Period, len(s.Visits), in.Date, len(in.Visits))
	}
	for _, v := range s.Visits {
		if v.Date != in.Date {
			t.Errorf("visit %s dated %q, want %s", v.ID, v.Date, in.Date)
		}
	}
	if in.Visits[0].Date != "" && in.Visits[0].Date != in.Date {
		t.Error("slicing changed the day's visits")
	}
}

// TestSliceDaysErrors: days outside the period, and an invalid document,
// are errors that say so.
func TestSliceDaysErrors(t *testing.T) {
	in := sliceWeek(t)
	for _, c := range [][2]int{{-1, 1}, {0, 0}, {6, 2}, {7, 1}} {
		if _, err := roster.SliceDays(in, c[0], c[1]); err == nil || !strings.Contains(err.Error(), "not within the period of 7 days") {
			t.Errorf("SliceDays(%d, %d): %v", c[0], c[1], err)
		}
	}
	bad := *in
	bad.TimeZone = ""
	if _, err := roster.SliceDays(&bad, 0, 1); err == nil || !strings.Contains(err.Error(), "timezone") {
		t.Errorf("an instance without a time zone: %v", err)
	}
}
