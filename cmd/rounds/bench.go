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
	if len(args) > 0 && args[0] == "week" {
		return runBenchWeek(ctx, args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "localities" {
		return runBenchLocalities(ctx, args[1:], stdout, stderr)
	}
	if len(args) == 0 || (args[0] != "mankowska" && args[0] != "solomon" && args[0] != "convrp") {
		fmt.Fprintln(stderr, "usage: rounds bench mankowska|solomon|convrp [--data DIR] [--time 10s] [--iterations N] [--seed N] [--workers N] [--instances A1,B2] [--out DIR]\n"+
			"       rounds bench week [--seeds 1,2,3] [--visits 150,250] [--carers N] [--days 7] [--time 10s | --iterations N] [--scale] [--out DIR]\n"+
			"       rounds bench localities [--scale F] [--k 6,10,35] [--grow 0.25,0.5,1] [--iterations N] [--seed N] [--workers N] [--out DIR]")
		return exitUsage
	}
	bf := benchFlags{name: args[0]}
	fs := bf.flagSet(stderr)
	if err := fs.Parse(reorder(fs, args[1:])); err != nil {
		return flagExit(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "rounds bench: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	if bf.limit <= 0 || bf.workers < 1 || bf.workers > 64 || bf.iterations < 0 {
		fmt.Fprintln(stderr, "rounds bench: --time must be positive, --iterations not negative and --workers from 1 to 64")
		return exitUsage
	}
	if _, err := optimiser.ParseLocalSearch(bf.localSearch); err != nil {
		fmt.Fprintf(stderr, "rounds bench: --local-search: %v\n", err)
		return exitUsage
	}
	if bf.iterations > 0 && !flagGiven(fs, "time") {
		bf.limit = iterationsTimeLimit
	}
	switch bf.name {
	case "solomon":
		return benchSolomon(ctx, &bf, stdout, stderr)
	case "convrp":
		return benchConvrp(ctx, &bf, stdout, stderr)
	}
	return benchMankowska(ctx, &bf, stdout, stderr)
}

// benchFlags are the flags both benchmarks take.
type benchFlags struct {
	name, data, only, out, convention string
	sets                              string  // convrp: the sets to run
	tightL                            float64 // convrp: the tight cap on spread for p07
	limit                             time.Duration
	iterations                        int
	seed                              int64
	workers                           int
	localSearch                       string
}

// iterationsTimeLimit is the time limit when an iteration budget is given
// without --time: the iterations end the run, so that it is repeatable.
const iterationsTimeLimit = 1000 * time.Hour

// flagGiven reports whether the command line set the flag name.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

// budget is the search budget behind a benchmark figure: with the same
// iterations, seed and workers (and the time limit not reached first) a
// figure is repeated exactly.
type budget struct {
	timeLimit  time.Duration
	iterations int // 0: none, the time limit alone
	seed       int64
	workers    int
}

func (bf *benchFlags) budget() budget {
	return budget{timeLimit: bf.limit, iterations: bf.iterations, seed: bf.seed, workers: bf.workers}
}

// String writes the budget as the flags that repeat it.
func (b budget) String() string {
	s := fmt.Sprintf("--seed %d --workers %d", b.seed, b.workers)
	if b.iterations > 0 {
		s = fmt.Sprintf("--iterations %d ", b.iterations) + s
		if b.timeLimit != iterationsTimeLimit {
			s += " --time " + b.timeLimit.String()
		}
		return s
	}
	return "--time " + b.timeLimit.String() + " " + s
}

// describe is the budget in words for progress lines.
func (b budget) describe() string {
	if b.iterations > 0 {
		return fmt.Sprintf("%d iterations", b.iterations)
	}
	return b.timeLimit.String()
}

// csvHeader and csvFields are the budget's columns in the CSV tables:
// time_limit_s is empty when the iterations alone bound the run.
func (b budget) csvHeader() []string {
	return []string{"time_limit_s", "iterations", "iterations_done", "seed", "workers"}
}

func (b budget) csvFields(done int) []string {
	limit := ff(b.timeLimit.Seconds())
	if b.timeLimit == iterationsTimeLimit {
		limit = ""
	}
	return []string{limit, strconv.Itoa(b.iterations), strconv.Itoa(done), strconv.FormatInt(b.seed, 10), strconv.Itoa(b.workers)}
}

// markdown is the line above a Markdown table that says how to repeat it.
func (b budget) markdown(command string) string {
	note := "Repeat exactly with the same flags, rounds version and CPU architecture, however loaded the machine."
	if b.iterations == 0 {
		note = "Bounded by time alone, so a run elsewhere (or under other load) may differ; give --iterations to repeat a figure exactly."
	}
	return fmt.Sprintf("Budget: `rounds bench %s %s`. %s\n\n", command, b, note)
}

// shortOfBudget reports a run that the time limit ended before its
// iteration budget: its figure is not repeatable.
func shortOfBudget(stderr io.Writer, b budget, name string, done int) {
	if b.iterations > 0 && done < b.iterations {
		fmt.Fprintf(stderr, "rounds bench: %s: the time limit ended the run after %d of %d iterations; this figure is not repeatable (give a longer --time, or none)\n", name, done, b.iterations)
	}
}

func (bf *benchFlags) flagSet(stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("bench "+bf.name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&bf.data, "data", filepath.Join("..", "shared", "benchdata"), "benchmark data `DIR` holding hhc_mankowska2014/, solomon100/ and convrp/")
	fs.DurationVar(&bf.limit, "time", 10*time.Second, "time limit per instance (with --iterations: none unless given)")
	fs.IntVar(&bf.iterations, "iterations", 0, "stop each instance's search after N iterations (0: the time limit alone); with --seed and --workers this repeats a figure exactly, which --time alone does not")
	fs.StringVar(&bf.only, "instances", "", "comma-separated instances to run, e.g. A1,B2, C101,R205 or convrp_10_test_1 (default: all)")
	fs.StringVar(&bf.out, "out", "bench-out", "`DIR` for the tables, converted instances, plans and solutions")
	fs.Int64Var(&bf.seed, "seed", 1, "random seed")
	fs.IntVar(&bf.workers, "workers", runtime.GOMAXPROCS(0), "independent searches per instance")
	fs.StringVar(&bf.localSearch, "local-search", "auto", "end each iteration with local search: auto (where no visit has a soft window), on or off")
	if bf.name == "solomon" {
		fs.StringVar(&bf.convention, "convention", "both", "objective convention: dimacs (distance only, arcs truncated to one decimal), hierarchical (vehicles, then exact distance) or both")
		fs.StringVar(&bf.sets, "set", "solomon100", "the instances: solomon100 (Solomon's 56 of 100 customers) or gh400 (Gehring & Homberger's 60 of 400, DIMACS only)")
	}
	if bf.name == "convrp" {
		fs.StringVar(&bf.sets, "set", "small,p07", "sets to run, comma-separated: small (against known_optima.csv) and p07 (the price of consistency)")
		fs.Float64Var(&bf.tightL, "tight-l", DefaultTightL, "the tight cap L on a customer's spread of arrival times the p07 set is solved at, in the instances' units")
	}
	return fs
}

func (bf *benchFlags) options() optimiser.Options {
	m, _ := optimiser.ParseLocalSearch(bf.localSearch) // checked with the flags
	return optimiser.Options{Seed: bf.seed, TimeLimit: bf.limit, Iterations: bf.iterations, Workers: bf.workers, StallIterations: -1, LocalSearch: m}
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
		fmt.Fprintf(stderr, "[%d/%d] %s: solving for %s\n", i+1, len(labels), label, bf.budget().describe())
		row, err := benchOne(ctx, dir, *out, bks[label], bf.options())
		if ctx.Err() != nil {
			// The interrupt cut this instance's search short: its figure
			// is not of the budget, so it stays out of the tables.
			break
		}
		if err != nil {
			fmt.Fprintf(stderr, "rounds bench: %s: %v\n", label, err)
			return exitCodeFor(err)
		}
		shortOfBudget(stderr, bf.budget(), label, row.iterations)
		fmt.Fprintf(stderr, "[%d/%d] %s: cost %.2f, best known %.2f, gap %.2f%%, %d violations\n", i+1, len(labels), label, row.cost, row.bks, row.gap(), row.violations)
		rows = append(rows, row)
	}
	if err := writeBenchTables(*out, rows, bf.budget()); err != nil {
		fmt.Fprintf(stderr, "rounds bench: %v\n", err)
		return exitFailure
	}
	printBenchSummary(stdout, rows)
	fmt.Fprintf(stdout, "budget: %s\n", bf.budget())
	if len(rows) < len(labels) {
		interruptedBench(stderr, len(rows), len(labels))
		return exitFailure
	}
	for _, r := range rows {
		if r.violations > 0 || !r.feasible {
			return exitViolations
		}
	}
	return exitOK
}

// interruptedBench says that an interrupt left a benchmark's tables
// incomplete: they hold the instances finished before it, and the run
// exits 3, as the figures are not the benchmark's.
func interruptedBench(stderr io.Writer, done, all int) {
	fmt.Fprintf(stderr, "rounds bench: interrupted after %d of %d instances; the tables hold those %d only\n", done, all, done)
}

// benchRow is one instance's result.
type benchRow struct {
	label                          string
	patients, caregivers           int
	cost, travel, totTard, maxTard float64
	bks                            float64
	seconds                        float64
	iterations                     int // done by the search whose plan won
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
		return row, inputError{err}
	}
	in, err := mankowska.ToInstance(bi)
	if err != nil {
		return row, inputError{err}
	}
	row.patients, row.caregivers = len(bi.Patients), len(bi.Caregivers)
	w := mankowska.Weights
	plan, run, err := solveChecked(ctx, in, w, opts, out, b.Label)
	if err != nil {
		return row, err
	}
	row.seconds, row.violations, row.unserved = run.seconds, run.violations, len(plan.Unassigned)
	if plan.Solver != nil {
		row.iterations = plan.Solver.Iterations
	}
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

// writeBenchTables writes mankowska.csv and mankowska.md in out, each with
// the budget that repeats its figures.
func writeBenchTables(out string, rows []benchRow, bud budget) error {
	records := [][]string{append([]string{"instance", "patients", "caregivers", "cost", "travel", "total_tardiness", "max_tardiness", "best_known", "gap_pct", "time_s", "unserved", "violations", "feasible"}, bud.csvHeader()...)}
	for _, r := range rows {
		records = append(records, append([]string{r.label, strconv.Itoa(r.patients), strconv.Itoa(r.caregivers), ff(r.cost), ff(r.travel), ff(r.totTard), ff(r.maxTard),
			ff(r.bks), ff(r.gap()), ff(r.seconds), strconv.Itoa(r.unserved), strconv.Itoa(r.violations), strconv.FormatBool(r.feasible)}, bud.csvFields(r.iterations)...))
	}
	if err := writeCSV(filepath.Join(out, "mankowska.csv"), records); err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(bud.markdown("mankowska"))
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
