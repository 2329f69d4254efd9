package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/internal/badperiods"
)

var updateSummary = flag.Bool("update", false, "rewrite testdata/week_small.summary from the current solve")

// TestWeekEndToEnd: a generated week is solved, written and checked as the
// README tells a coordinator to, and the check counts the period's
// expanded visits.
func TestWeekEndToEnd(t *testing.T) {
	dir := t.TempDir()
	w, p := filepath.Join(dir, "w.json"), filepath.Join(dir, "p.json")
	if code, _, errOut := runCLI(t, "gen", "--days", "7", "--visits", "12", "--seed", "2", "--start", "2026-11-23", "-o", w); code != exitOK {
		t.Fatalf("gen: exit %d: %s", code, errOut)
	}
	code, out, errOut := runCLI(t, "solve", w, "--iterations", "2000", "-o", p)
	if code != exitOK {
		t.Fatalf("solve: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"carers' weeks", "clients' continuity", "call-time spread", "Mon 2026-11-23"} {
		if !strings.Contains(out, want) {
			t.Errorf("solve's summary lacks %q:\n%s", want, out)
		}
	}
	code, out, errOut = runCLI(t, "check", w, p)
	if code != exitOK || !strings.HasPrefix(out, "plan OK: ") {
		t.Fatalf("check: exit %d: %s%s", code, out, errOut)
	}
	if strings.Contains(out, " of 0 visits") {
		t.Errorf("check counts the dated visits only: %s", out)
	}
}

// TestWeekSummary: the summary of a small week at a fixed seed and
// iterations, against testdata/week_small.summary (go test -run
// TestWeekSummary -update rewrites it). Nothing that depends on the run
// (elapsed time) is in the summary; progress goes to stderr.
func TestWeekSummary(t *testing.T) {
	code, out, errOut := runCLI(t, "solve", "../../testdata/week_small.json", "--iterations", "2000", "--seed", "1", "--workers", "2")
	if code != exitOK {
		t.Fatalf("solve: exit %d: %s", code, errOut)
	}
	const golden = "testdata/week_small.summary"
	if *updateSummary {
		if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if out != string(want) {
		t.Errorf("summary differs from %s:\n%s", golden, out)
	}
}

// TestPeriodNotPlanned: what neither the optimiser nor the checker keeps
// is refused by its field, exit 2, rather than planned without it.
func TestPeriodNotPlanned(t *testing.T) {
	day := `{"date": "2026-11-23", "timezone": "Europe/London",
	  "carers": [{"id": "K1", "start": {"lat": 53.87, "lon": -1.91}, "mode": "walk", "shifts": [{"start": "07:00", "end": "14:00"}]}],
	  "clients": [{"id": "C1", "location": {"lat": 53.871, "lon": -1.912}}],
	  "visits": [], %s}`
	for _, tt := range []struct{ name, extra, want string }{
		{"care in a one-day document", `"care": [{"id": "C1-am", "client": "C1", "duration_min": 30, "days": "daily", "time": "08:00"}]`,
			`care: recurring care needs a period`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, "day.json", strings.Replace(day, "%s", tt.extra, 1))
			for _, cmd := range [][]string{{"solve", path, "--iterations", "10", "--quiet"}, {"check", path, writeFile(t, "plan.json", `{"rounds": []}`)}} {
				code, _, errOut := runCLI(t, cmd...)
				if code != exitUsage || !strings.Contains(errOut, tt.want) {
					t.Errorf("%s: exit %d, stderr %q; want 2 naming %q", cmd[0], code, errOut, tt.want)
				}
			}
		})
	}
}

// TestBadPeriods: each of the bad inputs to a period is refused
// by rounds solve and rounds check with exit 2, naming the field.
func TestBadPeriods(t *testing.T) {
	cases, err := badperiods.Read("../../testdata/invalid/periods.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range cases {
		t.Run(tt.Name, func(t *testing.T) {
			path := writeFile(t, "week.json", string(tt.Document))
			for _, cmd := range [][]string{{"solve", path, "--iterations", "10", "--quiet"}, {"check", path, writeFile(t, "plan.json", `{"rounds": []}`)}} {
				code, _, errOut := runCLI(t, cmd...)
				if code != exitUsage || !strings.Contains(errOut, tt.Path+":") {
					t.Errorf("%s: exit %d, stderr %q; want 2 naming %s", cmd[0], code, errOut, tt.Path)
				}
			}
		})
	}
}
