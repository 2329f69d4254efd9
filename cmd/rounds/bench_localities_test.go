package main

import (
	"encoding/json"
	"math"
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
	rows := readLocBench(t, dir)
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
	if code, _, stderr := runCLI(t, "bench", "localities", "--sizing-seeds", "0"); code != exitUsage || !strings.Contains(stderr, "--sizing-seeds") {
		t.Errorf("--sizing-seeds 0: exit %d, %s", code, stderr)
	}
}

// TestBenchLocalitiesSizingSeeds: with --sizing-seeds 2 each proposal is
// sized with seeds 1 and 2, and its figures are the medians of the two
// (their mean) within their range; the sizing that --sizing-seeds 1 gives
// with the same seed is one end of that range.
func TestBenchLocalitiesSizingSeeds(t *testing.T) {
	read := func(seeds string) []locBenchRow {
		t.Helper()
		dir := t.TempDir()
		code, stdout, stderr := runCLI(t, "bench", "localities", "--clients", "120", "--hours", "1600", "--k", "2", "--iterations", "40",
			"--workers", "2", "--sizing-seeds", seeds, "--out", dir)
		if code != exitOK {
			t.Fatalf("--sizing-seeds %s: exit %d: %s", seeds, code, stderr)
		}
		if seeds != "1" && !strings.Contains(stdout, "medians of "+seeds+" sizings") {
			t.Errorf("--sizing-seeds %s: the verdict does not say it compares medians:\n%s", seeds, stdout)
		}
		rows := readLocBench(t, dir)
		if len(rows) != 2 {
			t.Fatalf("--sizing-seeds %s: %d rows, want region growing and k-means", seeds, len(rows))
		}
		return rows
	}
	one, two := read("1"), read("2")
	varied := false
	for i, r := range two {
		varied = varied || r.KMRange[0] < r.KMRange[1]
		if r.SizingSeeds != 2 || one[i].SizingSeeds != 1 {
			t.Errorf("row %d: sizing seeds %d and %d, want 2 and 1", i, r.SizingSeeds, one[i].SizingSeeds)
		}
		lo, hi := r.TravelShareRange[0], r.TravelShareRange[1]
		if !(lo <= r.TravelShare && r.TravelShare <= hi) || math.Abs(r.TravelShare-(lo+hi)/2) > 1e-12 {
			t.Errorf("row %d: travel share %v, range %v: want the middle of two sizings", i, r.TravelShare, r.TravelShareRange)
		}
		if math.Abs(r.KMAWeek-(r.KMRange[0]+r.KMRange[1])/2) > 1e-9 {
			t.Errorf("row %d: km %v, range %v: want the middle of two sizings", i, r.KMAWeek, r.KMRange)
		}
		if s := one[i].TravelShare; s != lo && s != hi {
			t.Errorf("row %d: seed 1 alone gives travel share %v, not an end of the two seeds' range %v", i, s, r.TravelShareRange)
		}
		if c := one[i].CarersNeeded; c != r.CarersRange[0] && c != r.CarersRange[1] {
			t.Errorf("row %d: seed 1 alone needs %d carers, not an end of the two seeds' range %v", i, c, r.CarersRange)
		}
		if one[i].MaxOverMin != r.MaxOverMin {
			t.Errorf("row %d: the proposal changed with the sizing seeds: max/min %v and %v", i, one[i].MaxOverMin, r.MaxOverMin)
		}
	}
	if !varied {
		t.Error("both sizings of every proposal drove the same km: the second seed was not used")
	}
}

// readLocBench reads the rows of compare.json that rounds bench
// localities wrote under dir.
func readLocBench(t *testing.T, dir string) []locBenchRow {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "localities", "compare.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rows []locBenchRow
	if err := json.Unmarshal(b, &rows); err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestBenchLocalitiesVerdict: region growing beats k-means only when
// both measures of balance, max/min and CV, are lower and the travel
// share is no higher.
func TestBenchLocalitiesVerdict(t *testing.T) {
	km := locBenchRow{K: 6, Method: "kmeans", MaxOverMin: 9.25, CV: 0.69, TravelShare: 0.057}
	for _, tc := range []struct {
		name       string
		mm, cv, tr float64
		want       string
	}{
		{"better balance, same travel", 1.16, 0.05, 0.057, "yes"},
		{"better balance, less travel", 7.0, 0.5, 0.050, "yes"},
		{"better balance, more travel", 1.16, 0.05, 0.058, "no"},
		{"a lower CV but a higher max/min", 10.76, 0.55, 0.056, "no"},
		{"a lower max/min but a higher CV", 8.0, 0.70, 0.056, "no"},
	} {
		azp := locBenchRow{K: 6, Method: "azp", Tolerance: 0.1, MaxOverMin: tc.mm, CV: tc.cv, TravelShare: tc.tr}
		var b strings.Builder
		printLocBench(&b, []locBenchRow{azp, km}, nil)
		if want := "at no worse travel: " + tc.want + " ("; !strings.Contains(b.String(), want) {
			t.Errorf("%s: the verdict lacks %q:\n%s", tc.name, want, b.String())
		}
	}
}
