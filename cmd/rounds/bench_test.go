package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// readCSV reads a bench table as a header and rows.
func readCSV(t *testing.T, path string) ([]string, [][]string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil || len(records) < 2 {
		t.Fatalf("%s: %d records, %v", path, len(records), err)
	}
	return records[0], records[1:]
}

// column is the value of the named column in row.
func column(t *testing.T, header, row []string, name string) string {
	t.Helper()
	i := slices.Index(header, name)
	if i < 0 {
		t.Fatalf("no column %q in %v", name, header)
	}
	return row[i]
}

// TestBenchIterationsRepeatable: two bench runs with the same --iterations,
// seed and workers write the same solutions and the same figures (all but
// the time taken), and every table records the budget that repeats it.
func TestBenchIterationsRepeatable(t *testing.T) {
	cases := []struct {
		name     string
		args     []string
		csv      string
		solution string
	}{
		{"mankowska", []string{"mankowska"}, "mankowska.csv", "solutions/A1.json"},
		{"solomon", []string{"solomon", "--convention", "dimacs"}, "solomon-dimacs/solomon.csv", "solomon-dimacs/solutions/TINY10.sol"},
		{"convrp", []string{"convrp", "--set", "small"}, "convrp/convrp-small.csv", "convrp/solutions/tiny_3-L0.txt"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var outs []string
			for range 2 {
				out := t.TempDir()
				args := append([]string{"bench"}, tc.args...)
				args = append(args, "--data", "testdata/benchdata", "--iterations", "400", "--seed", "7", "--workers", "2", "--out", out)
				code, stdout, stderr := runCLI(t, args...)
				if code != exitOK {
					t.Fatalf("bench exit %d:\n%s%s", code, stdout, stderr)
				}
				if !strings.Contains(stdout, "budget: --iterations 400 --seed 7 --workers 2") || !strings.Contains(stderr, "solving for 400 iterations") {
					t.Errorf("the budget is not printed:\n%s%s", stdout, stderr)
				}
				outs = append(outs, out)
			}
			a, _ := os.ReadFile(filepath.Join(outs[0], tc.solution))
			b, _ := os.ReadFile(filepath.Join(outs[1], tc.solution))
			if len(a) == 0 || string(a) != string(b) {
				t.Errorf("two runs wrote different solutions:\n%s\n---\n%s", a, b)
			}
			h1, r1 := readCSV(t, filepath.Join(outs[0], tc.csv))
			h2, r2 := readCSV(t, filepath.Join(outs[1], tc.csv))
			if !slices.Equal(h1, h2) || len(r1) != len(r2) {
				t.Fatalf("tables differ in shape: %v %v", h1, h2)
			}
			for i := range r1 {
				for j, name := range h1 {
					if name != "time_s" && r1[i][j] != r2[i][j] {
						t.Errorf("row %d, %s: %s then %s", i, name, r1[i][j], r2[i][j])
					}
				}
				for name, want := range map[string]string{"iterations": "400", "iterations_done": "400", "seed": "7", "workers": "2", "time_limit_s": ""} {
					if got := column(t, h1, r1[i], name); got != want {
						t.Errorf("row %d: %s is %q, want %q", i, name, got, want)
					}
				}
			}
			md, err := os.ReadFile(strings.TrimSuffix(filepath.Join(outs[0], tc.csv), ".csv") + ".md")
			if err != nil || !strings.Contains(string(md), "--iterations 400 --seed 7 --workers 2`. Repeat exactly with the same flags") {
				t.Errorf("the Markdown table does not record its budget (%v):\n%s", err, md)
			}
		})
	}
}

// TestBenchTimeBudgetRecorded: a run bounded by time alone records its time
// limit, and the Markdown table says such a figure may not repeat.
func TestBenchTimeBudgetRecorded(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, "bench", "mankowska", "--data", "testdata/benchdata", "--time", "200ms", "--workers", "1", "--out", out)
	if code != exitOK {
		t.Fatalf("bench exit %d:\n%s%s", code, stdout, stderr)
	}
	h, rows := readCSV(t, filepath.Join(out, "mankowska.csv"))
	for name, want := range map[string]string{"time_limit_s": "0.200", "iterations": "0", "seed": "1", "workers": "1"} {
		if got := column(t, h, rows[0], name); got != want {
			t.Errorf("%s is %q, want %q", name, got, want)
		}
	}
	md, _ := os.ReadFile(filepath.Join(out, "mankowska.md"))
	if !strings.Contains(string(md), "`rounds bench mankowska --time 200ms --seed 1 --workers 1`") || !strings.Contains(string(md), "may differ") {
		t.Errorf("table:\n%s", md)
	}
	if code, _, stderr := runCLI(t, "bench", "mankowska", "--data", "testdata/benchdata", "--iterations", "-1"); code != exitUsage || !strings.Contains(stderr, "--iterations") {
		t.Errorf("--iterations -1: exit %d, stderr %q", code, stderr)
	}
}
