package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rounds-dev/rounds/optimiser"
)

// solverIterations reads the iterations a written plan records.
func solverIterations(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var p struct {
		Solver struct {
			Iterations int `json:"iterations"`
		} `json:"solver"`
	}
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	return p.Solver.Iterations
}

// TestSolveStall: by default solve searches for its whole budget, however
// long it goes without a better plan (the small day's best plan is found
// within a few hundred iterations, so optimiser.DefaultStall would end the
// search long before 30,000); --stall N ends it after N iterations without
// one.
func TestSolveStall(t *testing.T) {
	budget := optimiser.DefaultStall + 10000
	cases := []struct {
		name string
		args []string
		want func(int) bool
		says string
	}{
		{"no stall limit by default", nil, func(n int) bool { return n == budget }, "every iteration of the budget"},
		{"--stall 0 is no stall limit", []string{"--stall", "0"}, func(n int) bool { return n == budget }, "every iteration of the budget"},
		{"--stall 500 ends early", []string{"--stall", "500"}, func(n int) bool { return n < budget/2 }, "fewer than half the budget"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			plan := filepath.Join(t.TempDir(), "plan.json")
			args := append([]string{"solve", "../../testdata/small_day.json", "-o", plan, "--quiet", "--workers", "1", "--iterations", strconv.Itoa(budget)}, tc.args...)
			if code, _, errOut := runCLI(t, args...); code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if n := solverIterations(t, plan); !tc.want(n) {
				t.Errorf("the search ran %d iterations; want %s (%d)", n, tc.says, budget)
			}
		})
	}
	if code, _, errOut := runCLI(t, "solve", "../../testdata/small_day.json", "--local-search", "sometimes"); code != exitUsage || !strings.Contains(errOut, "--local-search: want auto, on or off") {
		t.Errorf("--local-search sometimes: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, "bench", "solomon", "--local-search", "sometimes"); code != exitUsage || !strings.Contains(errOut, "--local-search: want auto, on or off") {
		t.Errorf("bench --local-search sometimes: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, "bench", "solomon", "--set", "gh400", "--convention", "both"); code != exitUsage || !strings.Contains(errOut, "DIMACS convention only") {
		t.Errorf("bench --set gh400 --convention both: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, "bench", "solomon", "--set", "gh1000"); code != exitUsage || !strings.Contains(errOut, "want solomon100 or gh400") {
		t.Errorf("bench --set gh1000: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, "solve", "../../testdata/small_day.json", "--stall", "-1"); code != exitUsage || !strings.Contains(errOut, "--stall") {
		t.Errorf("--stall -1: exit %d, stderr %q", code, errOut)
	}
}

var (
	progressTravelRE = regexp.MustCompile(`solving: .* travel (\d+h\d\dm)`)
	summaryTravelRE  = regexp.MustCompile(`paid time .*; travel (\d+h\d\dm)`)
)

// TestProgressAgreesWithSummary: the last progress line's travel is the
// plan's, also when several searches run and the first is not the one
// whose plan wins (on the locality day with 4 workers and 100 iterations
// seed 1's search loses to another).
func TestProgressAgreesWithSummary(t *testing.T) {
	for _, workers := range []string{"1", "4"} {
		t.Run("workers "+workers, func(t *testing.T) {
			code, out, errOut := runCLI(t, "solve", "../../testdata/locality_day.json", "--iterations", "100", "--workers", workers)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			lines := progressTravelRE.FindAllStringSubmatch(errOut, -1)
			sum := summaryTravelRE.FindStringSubmatch(out)
			if len(lines) == 0 || sum == nil {
				t.Fatalf("no progress line or no summary travel:\n%s\n%s", errOut, out)
			}
			if last := lines[len(lines)-1][1]; last != sum[1] {
				t.Errorf("the last progress line says travel %s, the summary %s", last, sum[1])
			}
		})
	}
}

// TestProgressLines: off a terminal (a log, a pipe) each report is a line
// of its own with no carriage return, at a lower rate; on a terminal one
// line is redrawn in place.
func TestProgressLines(t *testing.T) {
	reports := []optimiser.Progress{
		{Iteration: 10, Elapsed: time.Second, Served: 5, Unserved: 5, TravelS: 3600},
		{Iteration: 20, Elapsed: 2 * time.Second, Served: 10, TravelS: 3000},
		{Iteration: 30, Elapsed: 3 * time.Second, Served: 10, TravelS: 2940, Done: true},
	}
	cases := []struct {
		name     string
		terminal bool
		want     string
		every    time.Duration
	}{
		{"log", false, "solving:   1.0s  iteration 10       served 5/10  travel 1h00m\n" +
			"solving:   2.0s  iteration 20       served 10/10  travel 0h50m\n" +
			"solving:   3.0s  iteration 30       served 10/10  travel 0h49m\n", logProgressEvery},
		{"terminal", true, "\rsolving:   1.0s  iteration 10       served 5/10  travel 1h00m " +
			"\rsolving:   2.0s  iteration 20       served 10/10  travel 0h50m " +
			"\rsolving:   3.0s  iteration 30       served 10/10  travel 0h49m \n", terminalProgressEvery},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			report, every := progressPrinterFor(&b, tc.terminal)
			for _, p := range reports {
				report(p)
			}
			if b.String() != tc.want {
				t.Errorf("wrote %q, want %q", b.String(), tc.want)
			}
			if every != tc.every {
				t.Errorf("every %s, want %s", every, tc.every)
			}
		})
	}
	if logProgressEvery <= terminalProgressEvery {
		t.Errorf("a log gets reports every %s, no less often than a terminal (%s)", logProgressEvery, terminalProgressEvery)
	}
	t.Run("a pipe is not a terminal", func(t *testing.T) {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		defer w.Close()
		if isTerminal(w) {
			t.Error("a pipe counts as a terminal")
		}
		f, err := os.Create(filepath.Join(t.TempDir(), "log"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if isTerminal(f) || isTerminal(&bytes.Buffer{}) {
			t.Error("a file or a buffer counts as a terminal")
		}
	})
	t.Run("solve writes lines to a log", func(t *testing.T) {
		code, _, errOut := runCLI(t, "solve", "../../testdata/small_day.json", "--iterations", "200", "--workers", "1")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if strings.Contains(errOut, "\r") || !strings.Contains(errOut, "solving:") {
			t.Errorf("progress to a log: %q", errOut)
		}
	})
}
