package roster

import (
	"errors"
	"reflect"
	"testing"
)

// TestLimitsCheck names each exceeded limit at the field that makes the
// instance too large, counting places as homes plus carers' starts and ends.
func TestLimitsCheck(t *testing.T) {
	day := func(clients, carers, visits int, modes ...Mode) *Instance {
		in := &Instance{Clients: make([]Client, clients), Carers: make([]Carer, carers), Visits: make([]Visit, visits)}
		for k := range in.Carers {
			in.Carers[k].Mode = modes[k%len(modes)]
		}
		return in
	}
	tests := []struct {
		name  string
		l     Limits
		in    *Instance
		paths []string
	}{
		{"within", Limits{MaxPlaces: 12, MaxVisits: 5, MaxCarers: 1, MaxMatrixBytes: 8 * 12 * 12}, day(10, 1, 5, Walk), nil},
		{"no limits", Limits{}, day(100000, 5000, 100000, Walk), nil},
		{"places, mostly clients", Limits{MaxPlaces: 11}, day(10, 1, 0, Walk), []string{"clients"}},
		{"places, mostly carers", Limits{MaxPlaces: 20}, day(3, 10, 0, Walk), []string{"carers"}},
		{"visits and carers", Limits{MaxVisits: 4, MaxCarers: 1}, day(1, 2, 5, Walk), []string{"visits", "carers"}},
		// Two modes: 2 × 8 × 12² = 2,304 bytes.
		{"matrices, one mode in use", Limits{MaxMatrixBytes: 2303}, day(10, 1, 0, Walk, Drive), nil},
		{"matrices, two modes over", Limits{MaxMatrixBytes: 2303}, day(10, 2, 0, Walk, Drive), []string{"clients"}},
		{"matrices within", Limits{MaxMatrixBytes: 2 * 8 * 14 * 14}, day(10, 2, 0, Walk, Drive), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.l.Check(tt.in)
			if tt.paths == nil {
				if err != nil {
					t.Fatalf("Check = %v, want nil", err)
				}
				return
			}
			var tl *TooLargeError
			if !errors.As(err, &tl) {
				t.Fatalf("Check = %v, want a *TooLargeError", err)
			}
			var got []string
			for _, fe := range tl.FieldErrors {
				got = append(got, fe.Path)
			}
			if !reflect.DeepEqual(got, tt.paths) {
				t.Errorf("paths %v, want %v (%v)", got, tt.paths, err)
			}
		})
	}
}

// TestCheckPlanSize refuses plans far beyond any plan of the instance and
// leaves a plan a little over the exact bounds to the checker.
func TestCheckPlanSize(t *testing.T) {
	in := &Instance{
		Carers: []Carer{{ID: "K1", Shifts: []Shift{{Start: 0, End: 1}, {Start: 2, End: 3}}}, {ID: "K2"}},
		Visits: []Visit{{ID: "V1", Carers: 2}, {ID: "V2"}},
	}
	rounds := func(n, stopsEach int) []Round {
		out := make([]Round, n)
		for i := range out {
			out[i].Stops = make([]Stop, stopsEach)
		}
		return out
	}
	tests := []struct {
		name  string
		plan  *Plan
		paths []string
	}{
		// 3 shifts (K2's day counts as one), 3 legs, 2 visits.
		{"a real plan", &Plan{Rounds: rounds(2, 1), Unassigned: make([]Unassigned, 1)}, nil},
		{"a visit served twice", &Plan{Rounds: rounds(4, 2)}, nil},
		{"at the bound", &Plan{Rounds: rounds(22, 1), Unassigned: make([]Unassigned, 20)}, nil},
		{"rounds", &Plan{Rounds: rounds(23, 0)}, []string{"plan.rounds"}},
		{"stops", &Plan{Rounds: []Round{{Stops: make([]Stop, 23)}}}, []string{"plan.rounds"}},
		{"unassigned", &Plan{Unassigned: make([]Unassigned, 21)}, []string{"plan.unassigned"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckPlanSize(in, tt.plan)
			var tl *TooLargeError
			switch {
			case tt.paths == nil && err != nil:
				t.Fatalf("CheckPlanSize = %v, want nil", err)
			case tt.paths != nil && !errors.As(err, &tl):
				t.Fatalf("CheckPlanSize = %v, want a *TooLargeError at %v", err, tt.paths)
			case tt.paths != nil && tl.FieldErrors[0].Path != tt.paths[0]:
				t.Fatalf("CheckPlanSize = %v, want the first at %s", err, tt.paths[0])
			}
		})
	}
}

// TestPeriodSize: the limits count a period's expanded visits and every
// shift of every day, as the optimiser and the checker will see them, and a
// one-day document as it is.
func TestPeriodSize(t *testing.T) {
	am := []Shift{{Start: 7 * 3600, End: 14 * 3600}}
	split := []Shift{{Start: 7 * 3600, End: 12 * 3600}, {Start: 16 * 3600, End: 21 * 3600}}
	week := &Instance{
		Period: &Period{Start: "2026-11-23", Days: 7}, TimeZone: "Europe/London",
		Carers: []Carer{
			{ID: "K1", Shifts: am, DaysOff: []string{"2026-11-25"}}, // 6 days of 1
			{ID: "K2", Pattern: map[Weekday][]Shift{"mon": split, "sat": am},
				Availability: []DayShifts{{Date: "2026-11-24", Shifts: am}}}, // 2 + 1 + 1
			{ID: "K3", Availability: []DayShifts{{Date: "2026-11-24", Shifts: nil}}}, // none, but counts 1 as a one-day carer does
		},
		Care: []Care{
			{ID: "C1-am", Client: "C1", Days: Days(Weekdays), Carers: 2}, // 7 visits, 14 legs
			{ID: "C1-pm", Client: "C1", Days: Days{"mon", "sun"}},        // 2 visits
		},
		Visits: []Visit{{ID: "V1", Date: "2026-11-26"}},
	}
	day := &Instance{Date: "2026-11-23", TimeZone: "Europe/London",
		Carers: []Carer{{ID: "K1", Shifts: split}}, Visits: []Visit{{ID: "V1", Carers: 2}}}
	for _, tt := range []struct {
		name                 string
		in                   *Instance
		visits, legs, shifts int
	}{
		{"week", week, 10, 17, 11},
		{"day", day, 1, 2, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v, l, s := tt.in.PeriodSize()
			if v != tt.visits || l != tt.legs || s != tt.shifts {
				t.Errorf("PeriodSize = %d visits, %d legs, %d shifts; want %d, %d, %d", v, l, s, tt.visits, tt.legs, tt.shifts)
			}
		})
	}
	if err := (Limits{MaxVisits: 9}).Check(week); err == nil {
		t.Error("Limits.Check lets 10 expanded visits through a limit of 9")
	}
	if err := (Limits{MaxVisits: 10}).Check(week); err != nil {
		t.Errorf("Limits.Check = %v for 10 expanded visits and a limit of 10", err)
	}
	// 11 shifts: up to 2*11+16 rounds; 17 legs: up to 2*17+16 stops.
	over := &Plan{Rounds: make([]Round, 39)}
	if err := CheckPlanSize(week, over); err == nil {
		t.Error("CheckPlanSize lets 39 rounds through for 11 shifts")
	}
	stops := &Plan{Rounds: make([]Round, 38)}
	stops.Rounds[0].Stops = make([]Stop, 50)
	if err := CheckPlanSize(week, stops); err != nil {
		t.Errorf("CheckPlanSize = %v for 38 rounds and 50 stops, within 11 shifts and 17 legs", err)
	}
}
