package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBenchLocalities: on a small district, each k is proposed by region
// growing at each band of hours and by k-means, both evaluated, the verdict given for each k,
// and the growth run timed; the tables are written.
func TestBenchLocalities(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := runCLI(t, "bench", "localities", "--clients", "120", "--hours", "1600", "--k", "2,3", "--tolerance", "0.1,0.3",
		"--grow", "0.5", "--grow-k", "2", "--iterations", "40", "--workers", "2", "--out", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"k=2: region growing within ±10% beats k-means on balance at no worse travel:", "k=3: region growing within ±30%", "growth:", "repeat: rounds bench localities"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "localities", "compare.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rows []locBenchRow
	if err := json.Unmarshal(b, &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 6 {
		t.Fatalf("%d rows, want k=2 and 3 by region growing at two bands and by k-means", len(rows))
	}
	for i, want := range []float64{0.1, 0.3, 0.1} {
		if rows[i].Tolerance != want || rows[i+3].Tolerance != want {
			t.Errorf("rows %d and %d: tolerance %v and %v, want %v", i, i+3, rows[i].Tolerance, rows[i+3].Tolerance, want)
		}
	}
	for _, r := range rows {
		if r.CarersNeeded < r.K || r.Localities != r.K || r.Solves == 0 || r.MeanCompactness <= 0 || r.VisitsAWeek == 0 {
			t.Errorf("row %+v lacks its figures", r)
		}
	}
	for _, name := range []string{"compare.csv", "compare.md", "growth.csv", "growth.md"} {
		if _, err := os.Stat(filepath.Join(dir, "localities", name)); err != nil {
			t.Error(err)
		}
	}
	if code, _, stderr := runCLI(t, "bench", "localities", "--k", "0"); code != exitUsage || !strings.Contains(stderr, "--k:") {
		t.Errorf("--k 0: exit %d, %s", code, stderr)
	}
}
