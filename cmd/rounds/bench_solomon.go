package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/rounds-dev/rounds/bench/solomon"
	"github.com/rounds-dev/rounds/optimiser"
)

// solomonRow is one instance's result under one convention.
type solomonRow struct {
	name                 string
	vehicles, bksVehicle int
	distance, bksDist    float64
	seconds              float64
	iterations           int // done by the search whose plan won
	unserved, violations int
	feasible             bool
}

func (r solomonRow) gap() float64 { return 100 * (r.distance - r.bksDist) / r.bksDist }

// benchSolomon runs the Solomon VRPTW instances under one or both
// conventions.
func benchSolomon(ctx context.Context, bf *benchFlags, stdout, stderr io.Writer) int {
	var conventions []bool // dimacs or not
	switch bf.convention {
	case "dimacs":
		conventions = []bool{true}
	case "hierarchical":
		conventions = []bool{false}
	case "both":
		conventions = []bool{true, false}
	default:
		fmt.Fprintf(stderr, "rounds bench: --convention: %q; want dimacs, hierarchical or both\n", bf.convention)
		return exitUsage
	}
	set := bf.sets
	// How the set's table and instances are read; tag names the output
	// directories.
	readBKS, read, ext, tag := solomon.ReadBKS, solomon.ReadFile, ".txt", "solomon"
	switch set {
	case "solomon100":
	case "gh400":
		if slices.Contains(conventions, false) {
			fmt.Fprintln(stderr, "rounds bench: --set gh400: its best-known values are under the DIMACS convention only; give --convention dimacs")
			return exitUsage
		}
		readBKS, read, ext, tag = solomon.ReadDIMACSBKS, solomon.ReadVRPLIBFile, ".vrp", "gh400"
	default:
		fmt.Fprintf(stderr, "rounds bench: --set: %q; want solomon100 or gh400\n", set)
		return exitUsage
	}
	dir := filepath.Join(bf.data, set)
	bks, err := readBKS(filepath.Join(dir, "bks.csv"))
	if err != nil {
		fmt.Fprintf(stderr, "rounds bench: the %s benchmark is not readable at %s: %v\n", set, dir, err)
		return exitUsage
	}
	var names []string
	if bf.only == "" {
		for n := range bks {
			names = append(names, n)
		}
		slices.Sort(names)
	} else {
		for _, n := range strings.Split(bf.only, ",") {
			n = strings.TrimSpace(n)
			if _, ok := bks[n]; !ok {
				fmt.Fprintf(stderr, "rounds bench: --instances: no instance %q in bks.csv\n", n)
				return exitUsage
			}
			names = append(names, n)
		}
	}
	code := exitOK
	for _, dimacs := range conventions {
		conv := conventionName(dimacs)
		for _, sub := range []string{"instances", "plans", "solutions"} {
			if err := os.MkdirAll(filepath.Join(bf.out, tag+"-"+conv, sub), 0o755); err != nil {
				fmt.Fprintf(stderr, "rounds bench: %v\n", err)
				return exitFailure
			}
		}
		var rows []solomonRow
		for i, name := range names {
			if ctx.Err() != nil {
				break
			}
			fmt.Fprintf(stderr, "[%s %d/%d] %s: solving for %s\n", conv, i+1, len(names), name, bf.budget().describe())
			row, err := solomonOne(ctx, read, filepath.Join(dir, "instances", name+ext), filepath.Join(bf.out, tag+"-"+conv), name, bks[name].For(dimacs), dimacs, bf.options())
			if ctx.Err() != nil {
				// Cut short by the interrupt: not a figure of the budget.
				break
			}
			if err != nil {
				fmt.Fprintf(stderr, "rounds bench: %s: %v\n", name, err)
				return exitCodeFor(err)
			}
			shortOfBudget(stderr, bf.budget(), name, row.iterations)
			fmt.Fprintf(stderr, "[%s %d/%d] %s: %d vehicles, distance %.2f; best known %d, %.2f; gap %.2f%%; %d violations\n",
				conv, i+1, len(names), name, row.vehicles, row.distance, row.bksVehicle, row.bksDist, row.gap(), row.violations)
			rows = append(rows, row)
			if row.violations > 0 || !row.feasible || row.unserved > 0 {
				code = exitViolations
			}
		}
		if err := writeSolomonTables(filepath.Join(bf.out, tag+"-"+conv), rows, dimacs, bf.budget()); err != nil {
			fmt.Fprintf(stderr, "rounds bench: %v\n", err)
			return exitFailure
		}
		printSolomonSummary(stdout, conv, rows)
		fmt.Fprintf(stdout, "budget: %s\n", bf.budget())
		if len(rows) < len(names) {
			// Later conventions are not begun.
			interruptedBench(stderr, len(rows), len(names))
			return exitFailure
		}
	}
	return code
}

func conventionName(dimacs bool) string {
	if dimacs {
		return "dimacs"
	}
	return "hierarchical"
}

// solomonOne reads (with read), converts, solves, checks and scores one
// instance.
func solomonOne(ctx context.Context, read func(string) (*solomon.Instance, error), path, out, name string, best solomon.Best, dimacs bool, opts optimiser.Options) (solomonRow, error) {
	row := solomonRow{name: name, bksVehicle: best.Vehicles, bksDist: best.Distance}
	bi, err := read(path)
	if err != nil {
		return row, inputError{err}
	}
	in, err := solomon.ToInstance(bi, dimacs)
	if err != nil {
		return row, inputError{err}
	}
	plan, run, err := solveChecked(ctx, in, solomon.Weights(dimacs), opts, out, name)
	if err != nil {
		return row, err
	}
	row.seconds, row.violations, row.unserved = run.seconds, run.violations, len(plan.Unassigned)
	if plan.Solver != nil {
		row.iterations = plan.Solver.Iterations
	}
	sol, err := solomon.FromPlan(plan)
	if err != nil {
		return row, err
	}
	res, err := solomon.Evaluate(bi, sol, dimacs)
	if err != nil {
		return row, err
	}
	row.vehicles, row.distance, row.feasible = res.Vehicles, res.Distance, res.Feasible()
	f, err := os.Create(filepath.Join(out, "solutions", name+".sol"))
	if err != nil {
		return row, err
	}
	if err := solomon.WriteSol(f, sol, res.Distance); err != nil {
		f.Close()
		return row, err
	}
	return row, f.Close()
}

// writeSolomonTables writes solomon.csv and solomon.md in out, each with
// the budget that repeats its figures.
func writeSolomonTables(out string, rows []solomonRow, dimacs bool, bud budget) error {
	records := [][]string{append([]string{"instance", "vehicles", "distance", "best_vehicles", "best_distance", "gap_pct", "time_s", "unserved", "violations", "feasible"}, bud.csvHeader()...)}
	for _, r := range rows {
		records = append(records, append([]string{r.name, strconv.Itoa(r.vehicles), ff(r.distance), strconv.Itoa(r.bksVehicle), ff(r.bksDist), ff(r.gap()), ff(r.seconds),
			strconv.Itoa(r.unserved), strconv.Itoa(r.violations), strconv.FormatBool(r.feasible)}, bud.csvFields(r.iterations)...))
	}
	if err := writeCSV(filepath.Join(out, "solomon.csv"), records); err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Convention: %s. %s| instance | vehicles | distance | best vehicles | best distance | gap %% | time s | checked |\n|---|---|---|---|---|---|---|---|\n", conventionName(dimacs), bud.markdown("solomon --convention "+conventionName(dimacs)))
	for _, r := range rows {
		ok := "yes"
		if r.violations > 0 || !r.feasible || r.unserved > 0 {
			ok = fmt.Sprintf("NO (%d violations, %d unserved)", r.violations, r.unserved)
		}
		fmt.Fprintf(&b, "| %s | %d | %.2f | %d | %.2f | %.2f | %.1f | %s |\n", r.name, r.vehicles, r.distance, r.bksVehicle, r.bksDist, r.gap(), r.seconds, ok)
	}
	return os.WriteFile(filepath.Join(out, "solomon.md"), []byte(b.String()), 0o644)
}

// printSolomonSummary writes the mean and worst gap and the vehicle count
// matches.
func printSolomonSummary(w io.Writer, conv string, rows []solomonRow) {
	if len(rows) == 0 {
		return
	}
	sum, worst, sameVeh := 0.0, rows[0], 0
	for _, r := range rows {
		sum += r.gap()
		if r.gap() > worst.gap() {
			worst = r
		}
		if r.vehicles <= r.bksVehicle {
			sameVeh++
		}
	}
	fmt.Fprintf(w, "solomon %s: %d instances, mean gap %.2f%%, worst %.2f%% (%s), best-known vehicles or fewer on %d\n",
		conv, len(rows), sum/float64(len(rows)), worst.gap(), worst.name, sameVeh)
}
