package roster_test

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

// wkDecode decodes a JSON document, failing the test on any error.
func wkDecode(t *testing.T, doc string) *roster.Instance {
	t.Helper()
	in, err := roster.DecodeInstance(strings.NewReader(doc))
	if err != nil {
		t.Fatalf("decoding: %v", err)
	}
	return in
}

// wkExpand expands in, failing the test on any error.
func wkExpand(t *testing.T, in *roster.Instance) *roster.Expanded {
	t.Helper()
	x, err := roster.Expand(in)
	if err != nil {
		t.Fatalf("Expand: %v", err)
	}
	if err := x.Instance.Validate(); err != nil {
		t.Fatalf("the expanded instance does not validate: %v", err)
	}
	return x
}

// wkWeek is a small period document around a body of carers, clients and
// care: start and days set the period.
func wkWeek(start string, days int, tz, body string) string {
	return `{"period": {"start": "` + start + `", "days": ` + strconv.Itoa(days) + `}, "timezone": "` + tz + `",
		"clients": [{"id": "C1", "location": {"lat": 53.87, "lon": -1.91}, "preferences": {}}], ` + body + `}`
}

// reflectOf is reflect.ValueOf, for dvSameValue.
func reflectOf(v any) reflect.Value { return reflect.ValueOf(v) }

// hm is h hours and m minutes as a Clock.
func hm(h, m int) roster.Clock { return roster.Clock(h*3600 + m*60) }

const day = roster.Clock(24 * 3600)

// TestExpandOneDayIsIdentity: every one-day document in testdata expands
// to itself (its date has no clock change): the same windows and shifts.
func TestExpandOneDayIsIdentity(t *testing.T) {
	files, err := filepath.Glob("../testdata/*.json")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		in, err := roster.DecodeInstance(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if in.IsPeriod() {
			continue
		}
		n++
		t.Run(filepath.Base(f), func(t *testing.T) {
			x := wkExpand(t, in)
			out := x.Instance
			if out.Horizon != roster.MaxClock {
				t.Errorf("horizon %v, want 48:00", out.Horizon)
			}
			if len(out.Carers) != len(in.Carers) || len(out.Visits) != len(in.Visits) {
				t.Fatalf("%d carers and %d visits, want %d and %d", len(out.Carers), len(out.Visits), len(in.Carers), len(in.Visits))
			}
			for k := range in.Carers {
				if !dvSameValue(reflectOf(out.Carers[k].Shifts), reflectOf(in.Carers[k].Shifts)) {
					t.Errorf("carers[%d] shifts %v, want %v", k, out.Carers[k].Shifts, in.Carers[k].Shifts)
				}
				for s, d := range x.ShiftDay[k] {
					if d != 0 {
						t.Errorf("carers[%d] shift %d on day %d", k, s, d)
					}
				}
			}
			for i := range in.Visits {
				if out.Visits[i].ID != in.Visits[i].ID || !dvSameValue(reflectOf(out.Visits[i].Windows), reflectOf(in.Visits[i].Windows)) {
					t.Errorf("visits[%d] %s %v, want %s %v", i, out.Visits[i].ID, out.Visits[i].Windows, in.Visits[i].ID, in.Visits[i].Windows)
				}
				if x.VisitDay[i] != 0 || x.VisitCare[i] != -1 {
					t.Errorf("visits[%d] on day %d from care %d", i, x.VisitDay[i], x.VisitCare[i])
				}
			}
			// Nothing else changes.
			same := *out
			same.Horizon = 0
			if !dvSameValue(reflectOf(&same), reflectOf(in)) {
				t.Error("the expanded instance differs from the document beyond its horizon")
			}
		})
	}
	if n < 4 {
		t.Fatalf("only %d one-day documents in testdata", n)
	}
}

// TestExpandWeekSmall: the hand-made week expands to the shifts its
// patterns, availability and days off give, and to one visit per day each
// care entry occurs, with stable ids.
func TestExpandWeekSmall(t *testing.T) {
	b, err := os.ReadFile("../testdata/week_small.json")
	if err != nil {
		t.Fatal(err)
	}
	in, err := roster.DecodeInstance(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	x := wkExpand(t, in)
	// 2026-11-23 is a Monday; no clock change that week, so day d starts
	// at d*24h.
	for d, s := range x.DayStart {
		if s != roster.Clock(d)*day {
			t.Errorf("day %d starts at %v, want %v", d, s, roster.Clock(d)*day)
		}
	}
	shiftDays := map[string][]int{
		"K1": {0, 1, 3, 4},                   // Mon-Fri pattern less Wednesday off
		"K2": {0, 0, 2, 2, 4, 4, 5, 6},       // split shifts Mon/Wed/Fri; Sat from availability
		"K3": {0, 0, 1, 1, 2, 2, 3, 3, 4, 4}, // shifts every day less the weekend off
		"K4": {1, 3, 5, 6},
	}
	for k, c := range x.Instance.Carers {
		if got, want := x.ShiftDay[k], shiftDays[c.ID]; !slicesEqual(got, want) {
			t.Errorf("%s works on days %v, want %v", c.ID, got, want)
		}
		if c.Pattern != nil || c.Availability != nil || c.DaysOff != nil {
			t.Errorf("%s keeps its pattern, availability or days off", c.ID)
		}
	}
	// K2's Saturday is the availability's 08:00-12:00, not the pattern's
	// 08:00-13:00.
	k2 := x.Instance.Carers[1]
	if sh := k2.Shifts[6]; sh.Start != 5*day+hm(8, 0) || sh.End != 5*day+hm(12, 0) {
		t.Errorf("K2's Saturday shift %v-%v, want 128:00-132:00", sh.Start, sh.End)
	}
	counts := map[string]int{}
	for i, v := range x.Instance.Visits {
		if x.VisitCare[i] < 0 {
			if v.ID != "C2-gp-escort" || x.VisitDay[i] != 3 || v.Windows[0].Start != 3*day+hm(10, 0) {
				t.Errorf("dated visit %s on day %d at %v", v.ID, x.VisitDay[i], v.Windows[0].Start)
			}
			continue
		}
		c := in.Care[x.VisitCare[i]]
		counts[c.ID]++
		if want := roster.VisitID(c.ID, x.Date(x.VisitDay[i])); v.ID != want {
			t.Errorf("visit %s, want id %s", v.ID, want)
		}
		if v.Date != "" {
			t.Errorf("visit %s keeps its date", v.ID)
		}
	}
	for id, want := range map[string]int{"C1-breakfast": 7, "C1-bed": 7, "C2-lunch": 3, "C3-morning": 5, "C4-tea": 7, "C5-check": 2} {
		if counts[id] != want {
			t.Errorf("%s expands to %d visits, want %d", id, counts[id], want)
		}
	}
	if n := len(x.Instance.Visits); n != 1+7+7+3+5+7+2 {
		t.Errorf("%d visits in all", n)
	}
	first := x.Instance.Visits[1]
	if first.ID != "C1-breakfast@2026-11-23" || first.Carers != 2 || first.Windows[0] != (roster.Window{Start: hm(7, 0), End: hm(8, 0)}) {
		t.Errorf("first expanded visit %+v", first)
	}
	// Expanding twice gives the same instance: ids and order are stable.
	again := wkExpand(t, in)
	if !dvSameValue(reflectOf(again.Instance), reflectOf(x.Instance)) || !dvSameValue(reflectOf(again.VisitCare), reflectOf(x.VisitCare)) ||
		!dvSameValue(reflectOf(again.VisitDay), reflectOf(x.VisitDay)) || !dvSameValue(reflectOf(again.ShiftDay), reflectOf(x.ShiftDay)) {
		t.Error("a second expansion differs")
	}
}

func slicesEqual(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestExpandAutumnClockChange: in the week of 25 October 2026 in
// Europe/London, when 02:00 BST becomes 01:00 GMT, instants count real
// seconds: the 00:00-04:00 shift of the 25th lasts five hours and the
// 07:30 call of the 25th comes 25 hours after the 24th's.
func TestExpandAutumnClockChange(t *testing.T) {
	in := wkDecode(t, wkWeek("2026-10-22", 7, "Europe/London", `
		"carers": [{"id": "K1", "start": {"lat": 53.87, "lon": -1.91}, "mode": "drive",
			"pattern": {"sun": [{"start": "00:00", "end": "04:00"}], "mon": [{"start": "07:00", "end": "14:00"}]}},
			{"id": "K2", "start": {"lat": 53.87, "lon": -1.91}, "mode": "drive",
			"availability": [{"date": "2026-10-24", "shifts": [{"start": "22:00", "end": "26:30"}]}]}],
		"care": [{"id": "B", "client": "C1", "duration_min": 30, "days": "daily", "time": "07:30", "tolerance_min": 0},
		         {"id": "N", "client": "C1", "duration_min": 30, "days": ["sun"], "windows": [{"start": "01:30", "end": "03:00"}]}]`))
	x := wkExpand(t, in)
	// Day 3 is Sunday 25 October.
	if x.DayStart[3] != 3*day || x.DayStart[4] != 4*day+3600 {
		t.Errorf("Sunday starts at %v and Monday at %v, want 72:00 and 97:00", x.DayStart[3], x.DayStart[4])
	}
	k := x.Instance.Carers[0]
	want := []roster.Shift{
		{Start: 3 * day, End: 3*day + hm(5, 0)},           // Sunday 00:00-04:00: five hours
		{Start: 4*day + hm(8, 0), End: 4*day + hm(15, 0)}, // Monday, an hour later in instants
	}
	// Saturday 22:00 to 02:30 GMT on Sunday: five and a half hours.
	if sh := x.Instance.Carers[1].Shifts; len(sh) != 1 || sh[0].Start != 2*day+hm(22, 0) || sh[0].End != 3*day+hm(3, 30) {
		t.Errorf("night shift %v, want 70:00-75:30", sh)
	}
	if !dvSameValue(reflectOf(k.Shifts), reflectOf(want)) {
		t.Errorf("shifts %v, want %v", k.Shifts, want)
	}
	if d := k.Shifts[0].End - k.Shifts[0].Start; d != hm(5, 0) {
		t.Errorf("the 00:00-04:00 shift of 25 October lasts %v, want 5 h", d)
	}
	at := map[string]roster.Window{}
	for _, v := range x.Instance.Visits {
		at[v.ID] = v.Windows[0]
	}
	// The clocks go back at 02:00 on the 25th, so the hour falls between
	// the calls of the 24th and the 25th; the 25th's and 26th's are a
	// day apart.
	b24, b25, b26 := at["B@2026-10-24"].Start, at["B@2026-10-25"].Start, at["B@2026-10-26"].Start
	if b25-b24 != day+3600 || b25 != 3*day+hm(8, 30) {
		t.Errorf("07:30 on the 24th (%v) and on the 25th (%v) are %v apart, want 25 h", b24, b25, b25-b24)
	}
	if b26-b25 != day {
		t.Errorf("07:30 on the 25th (%v) and on the 26th (%v) are %v apart, want 24 h", b25, b26, b26-b25)
	}
	// 01:30 on the 25th happens twice; it means the first, in BST.
	if w := at["N@2026-10-25"]; w.Start != 3*day+hm(1, 30) || w.End != 3*day+hm(4, 0) {
		t.Errorf("01:30-03:00 on the 25th is %v-%v, want 73:30-76:00", w.Start, w.End)
	}
}

// TestExpandSpringClockChange: 01:30 on 29 March 2026 does not exist in
// Europe/London; each field that names it is an error, and the times
// around it count real seconds.
func TestExpandSpringClockChange(t *testing.T) {
	tests := []struct {
		name, body, path string
	}{
		{"care time", `"carers": [{"id": "K1", "start": {"lat": 53.87, "lon": -1.91}, "mode": "drive", "shifts": [{"start": "07:00", "end": "14:00"}]}],
			"care": [{"id": "N", "client": "C1", "duration_min": 30, "days": "daily", "time": "01:30"}]`, "care[0].time"},
		{"care window", `"carers": [{"id": "K1", "start": {"lat": 53.87, "lon": -1.91}, "mode": "drive", "shifts": [{"start": "07:00", "end": "14:00"}]}],
			"care": [{"id": "N", "client": "C1", "duration_min": 30, "days": ["sun"], "windows": [{"start": "00:30", "end": "01:15"}]}]`, "care[0].windows[0].end"},
		{"pattern", `"carers": [{"id": "K1", "start": {"lat": 53.87, "lon": -1.91}, "mode": "drive", "pattern": {"sun": [{"start": "01:00", "end": "06:00"}]}}]`,
			"carers[0].pattern.sun[0].start"},
		{"night shift into the change", `"carers": [{"id": "K1", "start": {"lat": 53.87, "lon": -1.91}, "mode": "drive", "shifts": [{"start": "22:00", "end": "25:30"}]}]`,
			"carers[0].shifts[0].end"},
		{"dated visit", `"carers": [{"id": "K1", "start": {"lat": 53.87, "lon": -1.91}, "mode": "drive", "shifts": [{"start": "07:00", "end": "14:00"}]}],
			"visits": [{"id": "V", "date": "2026-03-29", "client": "C1", "duration_min": 30, "windows": [{"start": "01:10", "end": "05:00"}]}]`, "visits[0].windows[0].start"},
		{"availability", `"carers": [{"id": "K1", "start": {"lat": 53.87, "lon": -1.91}, "mode": "drive", "shifts": [{"start": "07:00", "end": "14:00"}],
			"availability": [{"date": "2026-03-29", "shifts": [{"start": "01:59", "end": "09:00"}]}]}]`, "carers[0].availability[0].shifts[0].start"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := roster.DecodeInstance(strings.NewReader(wkWeek("2026-03-28", 2, "Europe/London", tc.body)))
			wkWantProblem(t, err, tc.path, "does not exist")
		})
	}
	// Around the gap, the day is 23 hours long.
	in := wkDecode(t, wkWeek("2026-03-28", 3, "Europe/London", `"carers": [{"id": "K1", "start": {"lat": 53.87, "lon": -1.91}, "mode": "drive",
		"shifts": [{"start": "00:30", "end": "03:30"}]}]`))
	x := wkExpand(t, in)
	if sh := x.Instance.Carers[0].Shifts[1]; sh.Start != day+hm(0, 30) || sh.End-sh.Start != hm(2, 0) {
		t.Errorf("00:30-03:30 on 29 March is %v-%v, want 24:30 lasting 2 h", sh.Start, sh.End)
	}
	if x.DayStart[2] != 2*day-3600 {
		t.Errorf("30 March starts at %v, want 47:00", x.DayStart[2])
	}
}

// wkWantProblem asserts that err is FieldErrors with a problem at path
// whose reason holds reason.
func wkWantProblem(t *testing.T, err error, path, reason string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want one at %s", path)
	}
	fe, ok := err.(roster.FieldErrors)
	if !ok {
		t.Fatalf("error %T is not FieldErrors: %v", err, err)
	}
	for _, e := range fe {
		if e.Path == path && strings.Contains(e.Reason, reason) {
			return
		}
	}
	t.Fatalf("no problem at %q with reason containing %q; got:\n%v", path, reason, err)
}

// TestExpandDaysOffOverride: a day off empties the day whatever the
// pattern, shifts or availability say, and availability replaces the
// pattern for its date only.
func TestExpandDaysOffOverride(t *testing.T) {
	in := wkDecode(t, wkWeek("2026-11-23", 3, "Europe/London", `"carers": [
		{"id": "P", "start": {"lat": 53.87, "lon": -1.91}, "mode": "drive", "pattern": {"mon": [{"start": "07:00", "end": "14:00"}],
			"tue": [{"start": "07:00", "end": "14:00"}], "wed": [{"start": "07:00", "end": "14:00"}]}, "days_off": ["2026-11-24"]},
		{"id": "S", "start": {"lat": 53.87, "lon": -1.91}, "mode": "drive", "shifts": [{"start": "09:00", "end": "12:00"}],
			"availability": [{"date": "2026-11-23", "shifts": [{"start": "10:00", "end": "11:00"}]}, {"date": "2026-11-25", "shifts": [{"start": "08:00", "end": "09:00"}]}],
			"days_off": ["2026-11-25"]},
		{"id": "A", "start": {"lat": 53.87, "lon": -1.91}, "mode": "drive", "availability": [{"date": "2026-11-24", "shifts": []}]}]`))
	x := wkExpand(t, in)
	want := [][]roster.Shift{
		{{Start: hm(7, 0), End: hm(14, 0)}, {Start: 2*day + hm(7, 0), End: 2*day + hm(14, 0)}},
		{{Start: hm(10, 0), End: hm(11, 0)}, {Start: day + hm(9, 0), End: day + hm(12, 0)}},
		nil,
	}
	for k := range want {
		if got := x.Instance.Carers[k].Shifts; !dvSameValue(reflectOf(got), reflectOf(want[k])) {
			t.Errorf("%s: shifts %v, want %v", x.Instance.Carers[k].ID, got, want[k])
		}
	}
	if !slicesEqual(x.ShiftDay[0], []int{0, 2}) || !slicesEqual(x.ShiftDay[1], []int{0, 1}) {
		t.Errorf("shift days %v", x.ShiftDay)
	}
}

// TestExpandCareDates: a care entry occurs only from its from date to its
// to date, and not on its exceptions; an entry whose every date is an
// exception expands to nothing and is still valid.
func TestExpandCareDates(t *testing.T) {
	in := wkSmall(t)
	in.Dependencies = nil                                       // it names C1-bed on the 24th
	in.Care[1].From, in.Care[1].To = "2026-11-25", "2026-11-28" // C1-bed, daily
	in.Care[1].Except = []string{"2026-11-26"}
	in.Care[2].Except = []string{"2026-11-23", "2026-11-25", "2026-11-27"} // C2-lunch, every date
	x := wkExpand(t, in)
	var bed []string
	for i, v := range x.Instance.Visits {
		switch x.VisitCare[i] {
		case 1:
			bed = append(bed, v.ID)
		case 2:
			t.Errorf("visit %s of care every date of which is an exception", v.ID)
		}
	}
	want := []string{"C1-bed@2026-11-25", "C1-bed@2026-11-27", "C1-bed@2026-11-28"}
	if !slices.Equal(bed, want) {
		t.Errorf("C1-bed expands to %v, want %v", bed, want)
	}
}
