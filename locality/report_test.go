package locality

import (
	"bytes"
	"encoding/csv"
	"math"
	"strings"
	"testing"
)

func TestBalance(t *testing.T) {
	for _, tc := range []struct {
		name       string
		hours      []float64
		maxMin, cv float64
	}{
		{"none", nil, 0, 0},
		{"one", []float64{900}, 1, 0},
		{"even", []float64{800, 800, 800}, 1, 0},
		// mean 1,000, deviations ±500: population SD 500.
		{"uneven", []float64{500, 1500}, 3, 0.5},
		{"an empty locality", []float64{0, 1000}, math.Inf(1), 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var rows []Row
			for _, h := range tc.hours {
				rows = append(rows, Row{WeeklyHours: h})
			}
			// The unallocated row never counts.
			rows = append(rows, Row{Unallocated: true, WeeklyHours: 1e6})
			maxMin, cv := Balance(rows)
			if maxMin != tc.maxMin || math.Abs(cv-tc.cv) > 1e-12 {
				t.Errorf("Balance = %v, %v; want %v, %v", maxMin, cv, tc.maxMin, tc.cv)
			}
		})
	}
}

// TestRowOf checks that a row carries the sizing's figures and the
// clients' demand.
func TestRowOf(t *testing.T) {
	clients, s := townSizing(t)
	r := RowOf("Keighley", clients, s, Viability{MinHours: 100, MaxHours: 2000})
	if r.Clients != len(clients) || r.CarersNeeded != s.CarersNeeded || r.Headcount != s.Headcount ||
		r.VisitsADay != s.VisitsADay || r.KMAWeek != s.DrivenKMAWeek || r.TravelShare != s.TravelShare {
		t.Errorf("row %+v does not carry the sizing's figures", r)
	}
	if math.Abs(r.WeeklyHours-s.WeeklyHours) > 1e-9 || math.Abs(r.DoubleShare-s.DoubleShare) > 1e-12 || r.HoursByBand != s.WeeklyHoursByBand {
		t.Errorf("row's demand %v h (%v), double %v; sizing's %v h (%v), double %v",
			r.WeeklyHours, r.HoursByBand, r.DoubleShare, s.WeeklyHours, s.WeeklyHoursByBand, s.DoubleShare)
	}
	if want := r.WeeklyHours >= 100; r.Viable != want {
		t.Errorf("viable %v at %.0f h a week", r.Viable, r.WeeklyHours)
	}
	if r.Walkable {
		t.Error("walkable without a walking search")
	}
	if u := RowOf("unallocated", clients[:2], nil, DefaultViability); u.CarersNeeded != 0 || u.Clients != 2 || u.Viable {
		t.Errorf("unsized row %+v", u)
	}
}

func reportOptions() []Option {
	return []Option{
		{Name: "current", Rows: []Row{
			{Name: "North", Clients: 80, WeeklyHours: 1200, VisitsADay: 250, DoubleShare: 0.4, CarersNeeded: 40,
				Headcount: 95, PaidHoursAWeek: 2800, TravelShare: 0.2, KMAWeek: 4200, CO2KgAWeek: 714, Viable: true, Compactness: 0.61},
			{Name: "South", Clients: 40, WeeklyHours: 600, VisitsADay: 120, CarersNeeded: 20, Headcount: 45,
				PaidHoursAWeek: 1200, TravelShare: 0.1, Walkable: true, WalkersNeeded: 22},
			{Name: "unallocated", Unallocated: true, Clients: 3, WeeklyHours: 30},
		}},
		{Name: "proposed", Rows: []Row{
			{Name: "A", Clients: 60, WeeklyHours: 900, CarersNeeded: 30, Headcount: 70, Viable: true},
			{Name: "B", Clients: 63, WeeklyHours: 930, CarersNeeded: 31, Headcount: 72, Viable: true},
		}},
	}
}

func TestWriteTable(t *testing.T) {
	var b bytes.Buffer
	if err := WriteTable(&b, reportOptions()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	t.Log("\n" + out)
	for _, want := range []string{
		"current  proposed",
		"weekly hours       1,800     1,830",
		"carers needed a day          60        61",
		"travel share of paid time         17%         -",
		"walkable localities      1 of 2    0 of 2",
		"balance max/min hours        2.00      1.03",
		"unallocated clients           3         0",
		"unallocated 3 30 0 0 0 0 0 0% - - - - - - - -",
		"yes (22)",
	} {
		if !strings.Contains(strings.Join(strings.Fields(out), " "), strings.Join(strings.Fields(want), " ")) {
			t.Errorf("table lacks %q", want)
		}
	}
}

func TestWriteCSV(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCSV(&b, reportOptions()); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 6 {
		t.Fatalf("%d records, want a header and 5 localities", len(recs))
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	south := recs[2]
	for name, want := range map[string]string{
		"option": "current", "locality": "South", "weekly_hours": "600.0", "walkable": "true",
		"walkers_needed": "22", "travel_share": "0.100", "viable": "false",
	} {
		if got := south[col[name]]; got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if got := recs[3][col["unallocated"]]; got != "true" {
		t.Errorf("unallocated row marked %q", got)
	}
}

// TestSpreadOf checks the spread of four sizings: medians and ranges as
// the table counts them (travel share weighted by paid hours), and the
// sizing shown is the lower middle by travel share.
func TestSpreadOf(t *testing.T) {
	sizing := func(share1, share2 float64, km float64, carers int) Option {
		return Option{Name: "map", Rows: []Row{
			{Name: "A", CarersNeeded: carers, PaidHoursAWeek: 300, TravelShare: share1, KMAWeek: km / 2},
			{Name: "B", CarersNeeded: 10, PaidHoursAWeek: 100, TravelShare: share2, KMAWeek: km / 2},
			{Name: UnallocatedName, Unallocated: true, Clients: 2},
		}}
	}
	// Travel shares (300 a + 100 b) / 400: 0.0625, 0.05, 0.08, 0.07.
	options := []Option{sizing(0.05, 0.1, 1000, 30), sizing(0.05, 0.05, 800, 31), sizing(0.08, 0.08, 1200, 33), sizing(0.06, 0.1, 900, 32)}
	s := SpreadOf("map", []int64{5, 6, 7, 8}, options)
	near := func(what string, got, want [3]float64) {
		t.Helper()
		for i := range got {
			if math.Abs(got[i]-want[i]) > 1e-9 {
				t.Errorf("%s = %v, want %v", what, got, want)
				return
			}
		}
	}
	near("travel share", s.TravelShare, [3]float64{(0.0625 + 0.07) / 2, 0.05, 0.08})
	near("km", s.KMAWeek, [3]float64{950, 800, 1200})
	near("carers", s.Carers, [3]float64{41.5, 40, 43})
	if s.Shown != 0 {
		t.Errorf("shown %d, want 0 (0.0625, the lower middle of 0.05, 0.0625, 0.07, 0.08)", s.Shown)
	}
	want := "map over 4 sizing seeds (5 to 8): travel share 6.6% (5.0%-8.0%), km driven a week 950 (800-1,200), carers needed a day 41.5 (40-43), medians and ranges; the tables show sizing seed 5 (travel share 6.2%), the lower of the middle two by travel share"
	if got := s.String(); got != want {
		t.Errorf("String() = %q\nwant        %q", got, want)
	}
	odd := SpreadOf("map", []int64{1, 2, 3}, options[1:])
	if odd.Shown != 2 || !strings.HasSuffix(odd.String(), "the tables show sizing seed 3 (travel share 7.0%), the median by travel share") {
		t.Errorf("three sizings: shown %d, want 2 (0.07, between 0.05 and 0.08): %s", odd.Shown, odd)
	}
	if got := SpreadOf("map", nil, nil).String(); got != "map: no sizings" {
		t.Errorf("no sizings: %q", got)
	}
}
