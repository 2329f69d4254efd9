package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFarPlaceWarning: solve and check warn on stderr about a client whose
// latitude and longitude are swapped, naming the file and field, and still
// do their work; a day without such a place gets no warning.
func TestFarPlaceWarning(t *testing.T) {
	base, err := os.ReadFile("../../testdata/small_day.json")
	if err != nil {
		t.Fatal(err)
	}
	swapped := strings.Replace(string(base), `{"lat": 53.8590, "lon": -1.8950}`, `{"lat": -1.8950, "lon": 53.8590}`, 1)
	if swapped == string(base) {
		t.Fatal("fixture lacks the place to swap")
	}
	const warning = "clients[3].location: lies "
	for _, tc := range []struct {
		name, body string
		warn       bool
	}{{"swapped", swapped, true}, {"as it is", string(base), false}} {
		t.Run(tc.name, func(t *testing.T) {
			day := writeFile(t, "day.json", tc.body)
			plan := filepath.Join(t.TempDir(), "plan.json")
			code, _, errOut := runCLI(t, "solve", day, "-o", plan, "--iterations", "200", "--workers", "1", "--quiet")
			if code != exitOK {
				t.Fatalf("solve exit %d:\n%s", code, errOut)
			}
			if got := strings.Contains(errOut, "rounds: warning: "+day+": "+warning); got != tc.warn {
				t.Errorf("solve warned %v, want %v:\n%s", got, tc.warn, errOut)
			}
			_, _, errOut = runCLI(t, "check", day, plan)
			if got := strings.Contains(errOut, warning) && strings.Contains(errOut, "lat and lon swapped?"); got != tc.warn {
				t.Errorf("check warned %v, want %v:\n%s", got, tc.warn, errOut)
			}
		})
	}
}
