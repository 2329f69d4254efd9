package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rounds-dev/rounds/roster"
)

// interruptOn is a command's standard error that cancels the command's
// context, as an interrupt does, once what it has been written holds
// trigger: the test interrupts at a known point, not after a guessed delay.
type interruptOn struct {
	mu      sync.Mutex
	b       bytes.Buffer
	trigger string
	cancel  context.CancelFunc
}

func (w *interruptOn) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n, err := w.b.Write(p)
	if strings.Contains(w.b.String(), w.trigger) {
		w.cancel()
	}
	return n, err
}

func (w *interruptOn) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// runInterrupted runs the command line and interrupts it when its
// standard error holds trigger.
func runInterrupted(t *testing.T, trigger string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out bytes.Buffer
	errOut := &interruptOn{trigger: trigger, cancel: cancel}
	code := runIO(ctx, args, strings.NewReader(""), &out, errOut)
	return code, out.String(), errOut.String()
}

// TestSolveInterrupted: a coordinator who interrupts solve takes the best
// plan found so far: it is written, passes the checker, and the exit code
// is 0, long before the time limit.
func TestSolveInterrupted(t *testing.T) {
	plan := filepath.Join(t.TempDir(), "plan.json")
	began := time.Now()
	// The first progress line (after 5 s, to a log) shows the search has
	// begun; the interrupt comes then.
	code, out, errOut := runInterrupted(t, "solving:", "solve", "../../testdata/small_day.json", "--time", "1h", "--workers", "1", "-o", plan)
	if code != exitOK {
		t.Fatalf("exit %d, want 0:\n%s%s", code, out, errOut)
	}
	if took := time.Since(began); took > 10*time.Minute {
		t.Errorf("solve took %s after the interrupt", took)
	}
	b, err := os.ReadFile(plan)
	if err != nil {
		t.Fatalf("no plan written: %v", err)
	}
	var p roster.Plan
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	if p.Solver == nil || p.Solver.Iterations == 0 {
		t.Errorf("the plan records no search: %+v", p.Solver)
	}
	if !strings.Contains(out, "visits served") {
		t.Errorf("no summary:\n%s", out)
	}
	if code, o, e := runCLI(t, "check", "../../testdata/small_day.json", plan); code != exitOK {
		t.Errorf("check of the interrupted plan: exit %d\n%s%s", code, o, e)
	}
}

// benchTwoDays lays out the Mankowska test data's one instance twice, as
// A1 and A2, so that a run can be interrupted between or during them.
func benchTwoDays(t *testing.T) string {
	t.Helper()
	src := filepath.Join("testdata", "benchdata", "hhc_mankowska2014")
	dir := filepath.Join(t.TempDir(), "hhc_mankowska2014")
	if err := os.MkdirAll(filepath.Join(dir, "instances"), 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(src, "instances", "InstanzCPLEX_HCSRP_10_1.txt"))
	if err != nil {
		t.Fatal(err)
	}
	bks := "label,file,patients,caregivers,services,best_known,best_known_source\n"
	for k := 1; k <= 2; k++ {
		file := fmt.Sprintf("instances/InstanzCPLEX_HCSRP_10_%d.txt", k)
		if err := os.WriteFile(filepath.Join(dir, file), b, 0o644); err != nil {
			t.Fatal(err)
		}
		bks += fmt.Sprintf("A%d,%s,3,3,3,20,the test day\n", k, file)
	}
	if err := os.WriteFile(filepath.Join(dir, "bks.csv"), []byte(bks), 0o644); err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(dir)
}

// TestBenchInterrupted: an interrupted benchmark writes the tables of the
// instances it finished, leaves out the one the interrupt cut short (its
// figure is not of the budget), and exits 3 when the tables are
// incomplete; an interrupt after the last instance changes nothing.
func TestBenchInterrupted(t *testing.T) {
	data := benchTwoDays(t)
	cases := []struct {
		name    string
		trigger string
		code    int
		rows    []string // the table's instances
	}{
		{"before the first instance", "[1/2] A1: solving", exitFailure, nil},
		{"between instances", "[1/2] A1: cost", exitFailure, []string{"A1"}},
		{"during the second instance", "[2/2] A2: solving", exitFailure, []string{"A1"}},
		{"after the last instance", "[2/2] A2: cost", exitOK, []string{"A1", "A2"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := t.TempDir()
			code, stdout, stderr := runInterrupted(t, c.trigger, "bench", "mankowska", "--data", data, "--iterations", "300", "--workers", "1", "--out", out)
			if code != c.code {
				t.Fatalf("exit %d, want %d:\n%s%s", code, c.code, stdout, stderr)
			}
			if c.code != exitOK && !strings.Contains(stderr, "interrupted") {
				t.Errorf("stderr does not say the run was interrupted:\n%s", stderr)
			}
			f, err := os.Open(filepath.Join(out, "mankowska.csv"))
			if err != nil {
				t.Fatalf("no table: %v", err)
			}
			defer f.Close()
			records, err := csv.NewReader(f).ReadAll()
			if err != nil || len(records) == 0 {
				t.Fatalf("table: %d records, %v", len(records), err)
			}
			var got []string
			for _, r := range records[1:] {
				got = append(got, column(t, records[0], r, "instance"))
			}
			if strings.Join(got, ",") != strings.Join(c.rows, ",") {
				t.Errorf("the table holds %v, want %v", got, c.rows)
			}
		})
	}
}

// TestBenchSolomonInterrupted: an interrupt during the first convention
// leaves its tables incomplete (exit 3) and the second is not begun.
func TestBenchSolomonInterrupted(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runInterrupted(t, "[dimacs 1/1] TINY10: solving", "bench", "solomon", "--data", "testdata/benchdata", "--iterations", "300", "--workers", "1", "--out", out)
	if code != exitFailure || !strings.Contains(stderr, "interrupted after 0 of 1 instances") {
		t.Fatalf("exit %d, want 3 and the interrupt named:\n%s%s", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "solomon-hierarchical")); !os.IsNotExist(err) {
		t.Errorf("the second convention was begun: %v", err)
	}
}

// TestInterruptedBeforeAnswer: a command interrupted before it has an
// answer (solve before its search begins, check and matrix while travel
// is worked out) writes none, says it was interrupted and exits 3.
func TestInterruptedBeforeAnswer(t *testing.T) {
	day := "../../testdata/small_day.json"
	plan := writeFile(t, "plan.json", "{}")
	places := writeFile(t, "places.txt", "-1.9065,53.8676;-1.9121,53.8702")
	cases := []struct {
		name string
		args []string
	}{
		{"solve", []string{"solve", day, "--time", "1h"}},
		{"check", []string{"check", day, plan}},
		{"matrix", []string{"matrix", places}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			var out, errOut bytes.Buffer
			code := runIO(ctx, c.args, strings.NewReader(""), &out, &errOut)
			if code != exitFailure || !strings.Contains(errOut.String(), "rounds: interrupted") {
				t.Errorf("exit %d, want 3 and the interrupt named; stderr %q", code, errOut.String())
			}
			if out.Len() > 0 {
				t.Errorf("an answer was written: %q", out.String())
			}
		})
	}
}
