package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/rounds-dev/rounds/optimiser"
	"github.com/rounds-dev/rounds/roster"
)

// runSolve builds rounds for an instance file, writes the plan and prints a
// summary. Every plan is run through the checker before it is written.
func runSolve(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("solve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "write the plan JSON to `FILE` (default: not written)")
	limit := fs.Duration("time", optimiser.DefaultTimeLimit, "time limit (with --iterations: none unless given)")
	seed := fs.Int64("seed", 1, "random seed")
	iters := fs.Int("iterations", 0, "stop after N improvement iterations (0: the time and stall limits only); with a fixed seed and --workers this makes runs repeatable, which --time alone does not")
	stall := fs.Int("stall", 0, "stop after N iterations in a row without a better plan (0: never, so that --time is the time the search gets)")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "independent searches run at once on seeds seed, seed+1, ...; the best plan wins")
	weights := fs.String("weights", "", "objective weights as name=value pairs, e.g. \"lateness=10,carer_used=900\"; names: travel, lateness, carer_used, not_preferred, language, waiting, max_lateness, moved (re-planning), and for a period distinct_carer, team_share, call_spread, contract_short and contract_target")
	lsMode := fs.String("local-search", "auto", "end each iteration with local search: auto (where no visit has a soft window), on or off")
	quiet := fs.Bool("quiet", false, "no progress line and no summary")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the search to `FILE`, for go tool pprof")
	tf := addTravelFlags(fs)
	previous := fs.String("previous", "", "re-plan from this earlier `PLAN` of the day or period: keep its rounds wherever moving a visit does not pay for itself (--weights moved=...); the summary lists who the re-plan affects")
	changesFile := fs.String("changes", "", "with --previous, apply the `CHANGES` (JSON, as /v1/replan's changes: carers_off, clients_away, add_care, remove_visits, freeze_before, ...) to INSTANCE, the instance PLAN was made for, before re-planning")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: rounds solve INSTANCE|- [-o PLAN] [--osm FILE] [flags]\n\nINSTANCE \"-\" reads the instance from standard input. Exit codes: 0 a plan, 2 bad\ninput or usage, 3 a failure at run time (e.g. a routing engine that does not answer).\nAn interrupt (Ctrl-C) ends the search early: the best plan so far is written, exit 0.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(reorder(fs, args)); err != nil {
		return flagExit(err)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitUsage
	}
	if *limit <= 0 {
		fmt.Fprintln(stderr, "rounds: --time: must be positive")
		return exitUsage
	}
	if *iters < 0 {
		fmt.Fprintln(stderr, "rounds: --iterations: must not be negative")
		return exitUsage
	}
	if *iters > 0 && !flagGiven(fs, "time") {
		*limit = iterationsTimeLimit
	}
	lsm, err := optimiser.ParseLocalSearch(*lsMode)
	if err != nil {
		fmt.Fprintf(stderr, "rounds: --local-search: %v\n", err)
		return exitUsage
	}
	if *stall < 0 {
		fmt.Fprintln(stderr, "rounds: --stall: must not be negative (0: never stop for want of progress)")
		return exitUsage
	}
	if n := countStdin(fs.Arg(0), *previous, *changesFile); n > 1 {
		fmt.Fprintln(stderr, "rounds: only one of INSTANCE, --previous and --changes can come from standard input")
		return exitUsage
	}
	if *changesFile != "" && *previous == "" {
		fmt.Fprintln(stderr, "rounds: --changes needs --previous: the plan the changes are made to")
		return exitUsage
	}
	in, err := loadInstance(fs.Arg(0), stdin, stderr)
	if err != nil {
		printInputError(stderr, err)
		return exitCodeFor(err)
	}
	var prev *roster.Plan
	var freeze time.Time
	var pins []roster.Pin
	if *previous != "" {
		if prev, err = loadPlan(*previous, stdin); err != nil {
			printInputError(stderr, err)
			return exitCodeFor(err)
		}
	}
	if *changesFile != "" {
		if in, freeze, pins, err = applyChanges(*changesFile, stdin, in, prev, *previous); err != nil {
			printInputError(stderr, err)
			return exitCodeFor(err)
		}
	}
	var logw io.Writer
	if !*quiet {
		logw = stderr
	}
	travel, code := travelForCLI(ctx, tf, in, logw, stderr)
	if code != exitOK {
		return code
	}
	if *workers < 1 || *workers > 64 {
		fmt.Fprintln(stderr, "rounds: --workers: must be from 1 to 64")
		return exitUsage
	}
	w, err := parseWeights(*weights)
	if err != nil {
		fmt.Fprintf(stderr, "rounds: --weights: %v\n", err)
		return exitUsage
	}
	opts := optimiser.Options{Seed: *seed, TimeLimit: *limit, Iterations: *iters, StallIterations: stallOption(*stall), Workers: *workers, Weights: &w, LocalSearch: lsm,
		Previous: prev, FreezeBefore: freeze, Pins: pins}
	if !*quiet {
		opts.Progress, opts.ProgressEvery = progressPrinter(stderr)
	}
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			fmt.Fprintf(stderr, "rounds: --cpuprofile: %v\n", err)
			return exitFailure
		}
		defer stop()
	}
	plan, err := optimiser.Solve(ctx, in, travel, opts)
	if err != nil {
		fmt.Fprintf(stderr, "rounds: %v\n", err)
		return exitFailure
	}
	vs := roster.Check(in, travel, plan)
	if prev != nil {
		plan.Affected = roster.ComputeAffected(in, prev, plan, roster.DefaultMovedMin)
		vs = append(vs, roster.CheckReplan(in, prev, plan, freeze)...)
		vs = append(vs, roster.CheckPins(in, prev, plan, pins)...)
	}
	if len(vs) > 0 {
		fmt.Fprintf(stderr, "rounds: the optimiser returned a plan that breaks %d rules; this is a bug:\n", len(vs))
		for _, v := range vs {
			fmt.Fprintf(stderr, "  %s: %s\n", v.Path, v.Message)
		}
		return exitFailure
	}
	if *out != "" {
		if err := writeJSON(*out, plan); err != nil {
			fmt.Fprintf(stderr, "rounds: %v\n", err)
			return exitFailure
		}
	}
	if !*quiet {
		printSummary(stdout, in, plan)
	}
	return exitOK
}

// countStdin counts the inputs read from standard input ("-").
func countStdin(paths ...string) int {
	n := 0
	for _, p := range paths {
		if p == "-" {
			n++
		}
	}
	return n
}

// applyChanges reads the changes file (standard input for "-") as strictly
// as /v1/replan reads its changes, checks that prev (read from prevPath)
// is a plan of in and that the changes undo nothing it froze and pin
// nothing no plan could keep, and returns in changed, validated, with the
// freeze (the zero time without one) and the pins. Its
// errors name the file and each field: "changes.carers_off[0].carer" in
// the changes file, "visits[3]" in the instance, "rounds[0].carer" in the
// plan.
func applyChanges(path string, stdin io.Reader, in *roster.Instance, prev *roster.Plan, prevPath string) (*roster.Instance, time.Time, []roster.Pin, error) {
	var none time.Time
	ch, err := decodeFile(path, stdin, func(r io.Reader) (*roster.Changes, error) {
		b, err := io.ReadAll(io.LimitReader(r, roster.MaxInputBytes+1))
		if err != nil {
			return nil, err
		}
		var ch roster.Changes
		if err := roster.DecodeStrict(b, &ch); err != nil {
			var es roster.FieldErrors
			if errors.As(err, &es) {
				for i := range es {
					if es[i].Path != "" {
						es[i].Path = "changes." + es[i].Path
					}
				}
				return nil, es
			}
			return nil, err
		}
		return &ch, nil
	})
	if err != nil {
		return nil, none, nil, err
	}
	if err := prev.BelongsTo(in); err != nil {
		return nil, none, nil, fileError{inputName(prevPath), err}
	}
	changed, err := ch.Apply(in)
	if err != nil {
		return nil, none, nil, fileError{inputName(path), err}
	}
	if err := ch.FreezeConflicts(in, prev); err != nil {
		return nil, none, nil, fileError{inputName(path), err}
	}
	if err := ch.PinConflicts(in, prev); err != nil {
		return nil, none, nil, fileError{inputName(path), err}
	}
	if err := changed.Validate(); err != nil {
		var es roster.FieldErrors
		if errors.As(err, &es) {
			for i := range es {
				es[i].Path = ch.RequestPath(es[i].Path, in, changed, "")
			}
			return nil, none, nil, fileError{"the changed instance", es}
		}
		return nil, none, nil, err
	}
	if es := roster.NotPlanned(changed); len(es) > 0 {
		return nil, none, nil, fileError{"the changed instance", es}
	}
	freeze, err := ch.Freeze(in)
	return changed, freeze, ch.Pins, err
}

// startCPUProfile starts profiling into path and returns the function that
// stops it and closes the file.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// stallOption turns the --stall flag (0: never) into
// optimiser.Options.StallIterations (0 there means the library's default,
// negative never).
func stallOption(n int) int {
	if n == 0 {
		return -1
	}
	return n
}

// writeJSON writes v as indented JSON to path.
func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// hm writes seconds as hours and minutes, e.g. "3h07m".
func hm(s int) string {
	d := time.Duration(s) * time.Second
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}

// reorder moves flags before positional arguments, so that
// "rounds solve day.json -o plan.json" works as people type it. A flag takes
// the next argument as its value unless fs says it is boolean or it is
// written "-o=FILE".
func reorder(fs *flag.FlagSet, args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if len(a) > 1 && a[0] == '-' {
			flags = append(flags, a)
			if !strings.Contains(a, "=") && !isBoolFlag(fs, strings.TrimLeft(a, "-")) && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
			continue
		}
		pos = append(pos, a)
	}
	return append(flags, pos...)
}

// isBoolFlag reports whether fs defines name as a boolean flag; help flags
// count as boolean too.
func isBoolFlag(fs *flag.FlagSet, name string) bool {
	if name == "h" || name == "help" {
		return true
	}
	f := fs.Lookup(name)
	if f == nil {
		return false
	}
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// weightNames are the names --weights takes, in the order help lists them.
var weightNames = []string{"travel", "lateness", "carer_used", "not_preferred", "language", "waiting", "max_lateness", "moved", "distinct_carer", "team_share", "call_spread", "contract_short", "contract_target"}

// parseWeights reads "name=value,..." over the default weights.
func parseWeights(spec string) (optimiser.Weights, error) {
	w := optimiser.DefaultWeights
	if spec == "" {
		return w, nil
	}
	fields := map[string]*float64{
		"travel": &w.Travel, "lateness": &w.Lateness, "carer_used": &w.CarerUsed,
		"not_preferred": &w.NotPreferred, "language": &w.Language, "waiting": &w.Waiting,
		"max_lateness": &w.MaxLateness, "moved": &w.Moved, "distinct_carer": &w.DistinctCarer,
		"team_share": &w.TeamShare, "call_spread": &w.CallSpread,
		"contract_short": &w.ContractShort, "contract_target": &w.ContractTarget,
	}
	for _, part := range strings.Split(spec, ",") {
		name, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		f, known := fields[name]
		if !ok || !known {
			return w, fmt.Errorf("%q: want name=value with a name among %s", part, strings.Join(weightNames, ", "))
		}
		v, err := strconv.ParseFloat(val, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > 1e6 {
			return w, fmt.Errorf("%s: %q is not a number from 0 to 1e6", name, val)
		}
		*f = v
	}
	return w, nil
}
