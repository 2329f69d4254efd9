package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rounds-dev/rounds/bench/mankowska"
	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/optimiser"
	"github.com/rounds-dev/rounds/roster"
)

// runBench solves research benchmark instances and writes tables of the
// results with the solution behind every figure.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "mankowska" && args[0] != "solomon") {
		fmt.Fprintln(stderr, "usage: rounds bench mankowska|solomon [--data DIR] [--time 10s] [--instances A1,B2] [--out DIR]")
		return exitUsage
	}
	bf := benchFlags{name: args[0]}
	fs := bf.flagSet(stderr)
	if err := fs.Parse(args[1:]); err != nil {
		return flagExit(err)
	}
	if bf.limit <= 0 || bf.workers < 1 || bf.workers > 64 {
		fmt.Fprintln(stderr, "rounds bench: --time must be positive and --workers from 1 to 64")
		return exitUsage
	}
	if bf.name == "solomon" {
		return benchSolomon(ctx, &bf, stdout, stderr)
	}
	return benchMankowska(ctx, &bf, stdout, stderr)
}

// benchFlags are the flags both benchmarks take.
type benchFlags struct {
	name, data, only, out, convention string
	limit                             time.Duration
	seed                              int64
	workers                           int
}

func (bf *benchFlags) flagSet(stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("bench "+bf.name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&bf.data, "data", filepath.Join("..", "shared", "benchdata"), "benchmark data `DIR` holding hhc_mankowska2014/ and solomon100/")
	fs.DurationVar(&bf.limit, "time", 10*time.Second, "time limit per instance")
	fs.StringVar(&bf.only, "instances", "", "comma-separated instances to run, e.g. A1,B2 or C101,R205 (default: all)")
	fs.StringVar(&bf.out, "out", "bench-out", "`DIR` for the tables, converted instances, plans and solutions")
	fs.Int64Var(&bf.seed, "seed", 1, "random seed")
	fs.IntVar(&bf.workers, "workers", runtime.GOMAXPROCS(0), "independent searches per instance")
	if bf.name == "solomon" {
		fs.StringVar(&bf.convention, "convention", "both", "objective convention: dimacs (distance only, arcs truncated to one decimal), hierarchical (vehicles, then exact distance) or both")
	}
	return fs
}

func (bf *benchFlags) options() optimiser.Options {
	return optimiser.Options{Seed: bf.seed, TimeLimit: bf.limit, Workers: bf.workers, StallIterations: -1}
}

// benchMankowska runs the Mankowska et al. (2014) instances.
func benchMankowska(ctx context.Context, bf *benchFlags, stdout, stderr io.Writer) int {
	data, only, out := &bf.data, &bf.only, &bf.out
	dir := filepath.Join(*data, "hhc_mankowska2014")
	bks, err := mankowska.ReadBKS(filepath.Join(dir, "bks.csv"))
	if err != nil {
		fmt.Fprintf(stderr, "rounds bench: the Mankowska benchmark is not readable at %s: %v\n", dir, err)
		return exitUsage
	}
	labels, err := pickLabels(bks, *only)
	if err != nil {
		fmt.Fprintf(stderr, "rounds bench: --instances: %v\n", err)
		return exitUsage
	}
	for _, sub := range []string{"instances", "plans", "solutions"} {
		if err := os.MkdirAll(filepath.Join(*out, sub), 0o755); err != nil {
			fmt.Fprintf(stderr, "rounds bench: %v\n", err)
			return exitFailure
		}
	}
	var rows []benchRow
	for i, label := range labels {
		if ctx.Err() != nil {
			break
		}
		fmt.Fprintf(stderr, "[%d/%d] %s: solving for %s\n", i+1, len(labels), label, bf.limit)
		row, err := benchOne(ctx, dir, *out, bks[label], bf.options())
		if err != nil {
			fmt.Fprintf(stderr, "rounds bench: %s: %v\n", label, err)
			return exitUsage
		}
		fmt.Fprintf(stderr, "[%d/%d] %s: cost %.2f, best known %.2f, gap %.2f%%, %d violations\n", i+1, len(labels), label, row.cost, row.bks, row.gap(), row.violations)
		rows = append(rows, row)
	}
	if err := writeBenchTables(*out, rows); err != nil {
		fmt.Fprintf(stderr, "rounds bench: %v\n", err)
		return exitFailure
	}
	printBenchSummary(stdout, rows)
	for _, r := range rows {
		if r.violations > 0 || !r.feasible {
			return exitViolations
		}
	}
	return exitOK
}

// benchRow is one instance's result.
type benchRow struct {
	label                          string
	patients, caregivers           int
	cost, travel, totTard, maxTard float64
	bks                            float64
	seconds                        float64
	unserved, violations           int
	feasible                       bool
}

func (r benchRow) gap() float64 { return 100 * (r.cost - r.bks) / r.bks }

// benchOne converts, solves, checks and scores one instance, writing the
// converted instance, the plan and the solution in the field's form.
func benchOne(ctx context.Context, dir, out string, b mankowska.BKS, opts optimiser.Options) (benchRow, error) {
	row := benchRow{label: b.Label, bks: b.BestKnown}
	bi, err := mankowska.ReadFile(filepath.Join(dir, b.File))
	if err != nil {
		return row, err
	}
	in, err := mankowska.ToInstance(bi)
	if err != nil {
		return row, err
	}
	row.patients, row.caregivers = len(bi.Patients), len(bi.Caregivers)
	w := mankowska.Weights
	plan, run, err := solveChecked(ctx, in, w, opts, out, b.Label)
	if err != nil {
		return row, err
	}
	row.seconds, row.violations, row.unserved = run.seconds, run.violations, len(plan.Unassigned)
	sol, err := mankowska.FromPlan(bi, plan)
	if err != nil {
		return row, err
	}
	res, err := mankowska.Evaluate(bi, sol)
	if err != nil {
		return row, err
	}
	row.cost, row.travel, row.totTard, row.maxTard, row.feasible = res.Cost, res.Travel, res.TotalTardiness, res.MaxTardiness, res.Feasible()
	return row, mankowska.WriteSolutionFile(filepath.Join(out, "solutions", b.Label+".json"), sol)
}

// solvedRun is what solveChecked measured.
type solvedRun struct {
	seconds    float64
	violations int
}

// solveChecked solves a converted benchmark instance with weights w, runs
// the plan through the checker, and writes the instance and the plan under
// out/instances and out/plans as NAME.json, so that `rounds check` can
// re-check them.
func solveChecked(ctx context.Context, in *roster.Instance, w optimiser.Weights, opts optimiser.Options, out, name string) (*roster.Plan, solvedRun, error) {
	var run solvedRun
	travel, err := geo.TravelFor(ctx, nil, in)
	if err != nil {
		return nil, run, err
	}
	opts.Weights = &w
	began := time.Now()
	plan, err := optimiser.Solve(ctx, in, travel, opts)
	if err != nil {
		return nil, run, err
	}
	run.seconds = time.Since(began).Seconds()
	run.violations = len(roster.Check(in, travel, plan))
	if err := writeJSON(filepath.Join(out, "instances", name+".json"), in); err != nil {
		return nil, run, err
	}
	return plan, run, writeJSON(filepath.Join(out, "plans", name+".json"), plan)
}

// pickLabels returns the labels to run in set and number order (A1, A2, ...
// A10, B1, ...), all of them or those named in only.
func pickLabels(bks map[string]mankowska.BKS, only string) ([]string, error) {
	var labels []string
	if only == "" {
		for l := range bks {
			labels = append(labels, l)
		}
	} else {
		for _, l := range strings.Split(only, ",") {
			l = strings.TrimSpace(l)
			if _, ok := bks[l]; !ok {
				return nil, fmt.Errorf("no instance %q in bks.csv", l)
			}
			labels = append(labels, l)
		}
	}
	key := func(l string) (string, int) {
		n, _ := strconv.Atoi(l[1:])
		return l[:1], n
	}
	slices.SortFunc(labels, func(a, b string) int {
		sa, na := key(a)
		sb, nb := key(b)
		if c := strings.Compare(sa, sb); c != 0 {
			return c
		}
		return na - nb
	})
	return slices.Compact(labels), nil
}

// writeBenchTables writes mankowska.csv and mankowska.md in out.
func writeBenchTables(out string, rows []benchRow) error {
	records := [][]string{{"instance", "patients", "caregivers", "cost", "travel", "total_tardiness", "max_tardiness", "best_known", "gap_pct", "time_s", "unserved", "violations", "feasible"}}
	for _, r := range rows {
		records = append(records, []string{r.label, strconv.Itoa(r.patients), strconv.Itoa(r.caregivers), ff(r.cost), ff(r.travel), ff(r.totTard), ff(r.maxTard),
			ff(r.bks), ff(r.gap()), ff(r.seconds), strconv.Itoa(r.unserved), strconv.Itoa(r.violations), strconv.FormatBool(r.feasible)})
	}
	if err := writeCSV(filepath.Join(out, "mankowska.csv"), records); err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("| instance | patients | caregivers | cost | best known | gap % | time s | checked |\n|---|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		ok := "yes"
		if r.violations > 0 || !r.feasible {
			ok = fmt.Sprintf("NO (%d violations)", r.violations)
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %.2f | %.2f | %.2f | %.1f | %s |\n", r.label, r.patients, r.caregivers, r.cost, r.bks, r.gap(), r.seconds, ok)
	}
	return os.WriteFile(filepath.Join(out, "mankowska.md"), []byte(b.String()), 0o644)
}

// writeCSV writes records to path.
func writeCSV(path string, records [][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := csv.NewWriter(f).WriteAll(records); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func ff(x float64) string { return strconv.FormatFloat(x, 'f', 3, 64) }

// printBenchSummary writes the mean gap per set.
func printBenchSummary(w io.Writer, rows []benchRow) {
	sum := map[string][2]float64{}
	var sets []string
	for _, r := range rows {
		s := r.label[:1]
		if _, ok := sum[s]; !ok {
			sets = append(sets, s)
		}
		v := sum[s]
		sum[s] = [2]float64{v[0] + r.gap(), v[1] + 1}
	}
	for _, s := range sets {
		fmt.Fprintf(w, "set %s: %d instances, mean gap %.2f%%\n", s, int(sum[s][1]), sum[s][0]/sum[s][1])
	}
}
