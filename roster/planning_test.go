package roster_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

// TestNotPlannedFixtures: every fixture, one-day and week, asks only what
// is planned, so every edge takes it.
func TestNotPlannedFixtures(t *testing.T) {
	files, _ := filepath.Glob("../testdata/*.json")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		in, err := roster.DecodeInstance(strings.NewReader(string(b)))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if es := roster.NotPlanned(in); len(es) > 0 {
			t.Errorf("%s: NotPlanned = %v", f, es)
		}
	}
}

// TestNotPlanned: the fields that only an expanded period plans are
// refused in a one-day document, each at its path, and taken in a period;
// no_waiting is planned in both.
func TestNotPlanned(t *testing.T) {
	day := `{"date": "2026-11-23", "timezone": "Europe/London",
	  "carers": [{"id": "K1", "start": {"lat": 53.87, "lon": -1.91}, "mode": "walk", %s}],
	  "clients": [{"id": "C1", "location": {"lat": 53.871, "lon": -1.912}}],
	  "visits": [], %s}`
	week := strings.Replace(day, `"date": "2026-11-23"`, `"period": {"start": "2026-11-23", "days": 7}`, 1)
	const shifts = `"shifts": [{"start": "07:00", "end": "14:00"}]`
	const care = `"care": [{"id": "C1-am", "client": "C1", "duration_min": 30, "days": "daily", "time": "08:00", "tolerance_min": 30}]`
	for _, tc := range []struct {
		name, doc string
		want      []string
	}{
		{"day of shifts and dated visits", fmt.Sprintf(day, shifts, `"rules": {"max_distinct_carers": 2}`), nil},
		{"care in a day", fmt.Sprintf(day, shifts, care), []string{"care"}},
		{"care in a period", fmt.Sprintf(week, shifts, care), nil},
		{"pattern, availability and days off in a day",
			fmt.Sprintf(day, `"pattern": {"mon": [{"start": "07:00", "end": "14:00"}]}, "availability": [{"date": "2026-11-23", "shifts": []}], "days_off": ["2026-11-23"]`, `"history": []`),
			[]string{"carers[0].pattern", "carers[0].availability", "carers[0].days_off"}},
		{"pattern and days off in a period",
			fmt.Sprintf(week, `"pattern": {"mon": [{"start": "07:00", "end": "14:00"}]}, "days_off": ["2026-11-24"], "contract": {"min_hours": 4, "target_hours": 6}`, care), nil},
		{"no_waiting in a period", fmt.Sprintf(week, shifts, `"rules": {"no_waiting": true}`), nil},
		{"no_waiting false", fmt.Sprintf(week, shifts, `"rules": {"no_waiting": false}`), nil},
		{"no_waiting in a day", fmt.Sprintf(day, shifts, `"rules": {"no_waiting": true}`), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, err := roster.DecodeInstance(strings.NewReader(tc.doc))
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			es := roster.NotPlanned(in)
			var got []string
			for _, e := range es {
				got = append(got, e.Path)
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("NotPlanned paths = %v, want %v (%v)", got, tc.want, es)
			}
			if len(tc.want) > 0 && tc.want[0] == "care" && !strings.Contains(es.Error(), `period {"start": "2026-11-23", "days": 1}`) {
				t.Errorf("reason %q does not say how to plan it", es.Error())
			}
		})
	}
}
