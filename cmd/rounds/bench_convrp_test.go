package main

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/bench/convrp"
)

// TestBenchConvrp: the bench solves the hand-made instances of
// testdata/benchdata/convrp, tiny_3 (optimum 32 without a cap on spread,
// 34 at L = 0, where the order that is cheapest on the first day puts
// customer 2 an hour later than on the second) and tiny_p07, checks every
// plan, and writes tables whose figures Evaluate gives again from the
// solutions written.
func TestBenchConvrp(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, "bench", "convrp", "--data", "testdata/benchdata", "--iterations", "300", "--workers", "1", "--out", out)
	if code != exitOK {
		t.Fatalf("bench exit %d:\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "convrp small: 2 of 2 optima reached within 0.1%") || !strings.Contains(stdout, "convrp p07: 1 instances") {
		t.Errorf("summary:\n%s", stdout)
	}
	dir := filepath.Join(out, "convrp")
	in, err := convrp.ReadFile("testdata/benchdata/convrp/small/tiny_3.vrp")
	if err != nil {
		t.Fatal(err)
	}
	h, rows := readCSV(t, filepath.Join(dir, "convrp-small.csv"))
	if len(rows) != 2 {
		t.Fatalf("%d rows in convrp-small.csv, want 2 (L unlimited and 0)", len(rows))
	}
	for i, row := range rows {
		L := math.Inf(1)
		if l := column(t, h, row, "L"); l != "unlimited" {
			L, _ = strconv.ParseFloat(l, 64)
		}
		dist, _ := strconv.ParseFloat(column(t, h, row, "distance"), 64)
		opt, _ := strconv.ParseFloat(column(t, h, row, "optimum"), 64)
		if math.Abs(dist-opt) > 1e-3*opt || column(t, h, row, "violations") != "0" || column(t, h, row, "broken") != "0" {
			t.Errorf("row %d: %v", i, row)
		}
		sol, err := convrp.ReadSolutionFile(filepath.Join(dir, "solutions", "tiny_3-L"+lText(L)+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		res, err := convrp.Evaluate(in, sol, L)
		if err != nil || !res.Feasible() || math.Abs(res.Distance-dist) > 1e-6 {
			t.Errorf("row %d: the solution written evaluates to %v (%v, %v), the table says %v", i, res.Distance, res.Violations, err, dist)
		}
	}
	h, rows = readCSV(t, filepath.Join(dir, "convrp-p07.csv"))
	if len(rows) != 3 {
		t.Fatalf("%d rows in convrp-p07.csv, want 3", len(rows))
	}
	var free, capped []float64
	for _, row := range rows {
		d, _ := strconv.ParseFloat(column(t, h, row, "distance"), 64)
		if column(t, h, row, "consistency") == "no" {
			free = append(free, d)
		} else {
			capped = append(capped, d)
		}
		if column(t, h, row, "violations") != "0" || column(t, h, row, "broken") != "0" || column(t, h, row, "unserved") != "0" {
			t.Errorf("p07 row %v", row)
		}
	}
	if len(free) != 1 || len(capped) != 2 {
		t.Fatalf("p07 rows: %d without consistency, %d with; want 1 and 2", len(free), len(capped))
	}
	md, err := os.ReadFile(filepath.Join(dir, "convrp-p07.md"))
	if err != nil || !strings.Contains(string(md), "| tiny_p07 | 3 | 5 |") {
		t.Errorf("convrp-p07.md (%v):\n%s", err, md)
	}
	for _, f := range []string{"instances/tiny_3-L0.json", "plans/tiny_3-L0.json", "solutions/tiny_p07-free.txt"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s not written: %v", f, err)
		}
	}
}

// TestBenchConvrpBadInput: a missing data directory, an unknown set or
// instance is exit 2 with a message naming it.
func TestBenchConvrpBadInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no data", []string{"--data", t.TempDir()}, "the ConVRP benchmark is not readable at"},
		{"unknown set", []string{"--data", "testdata/benchdata", "--set", "p09"}, `--set: "p09"`},
		{"unknown instance", []string{"--data", "testdata/benchdata", "--instances", "tiny_9"}, `no instance "tiny_9"`},
		{"tight L", []string{"--data", "testdata/benchdata", "--tight-l", "0"}, "--tight-l must be a positive number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, append([]string{"bench", "convrp", "--out", t.TempDir()}, tc.args...)...)
			if code != exitUsage || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 naming %q", code, stderr, tc.want)
			}
		})
	}
}
