package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/importer"
	"github.com/rounds-dev/rounds/locality"
	"github.com/rounds-dev/rounds/locality/planner"
	"github.com/rounds-dev/rounds/roster"
)

// runLocalities evaluates and proposes the localities a council buys home
// care in (docs/DESIGN-localities.md).
func runLocalities(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "evaluate":
			return runLocalitiesEvaluate(ctx, args[1:], stdout, stderr)
		case "propose":
			return runLocalitiesPropose(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprint(stderr, localitiesUsage)
	return exitUsage
}

const localitiesUsage = `usage: rounds localities evaluate DEMAND.csv BOUNDARIES.geojson [MORE.geojson...] [flags]
       rounds localities propose DEMAND.csv --k 6,10,35|4-40 [--method azp|kmeans|both] [flags]
Run "rounds localities evaluate -h" or "rounds localities propose -h" for the flags.
`

// locFlags are the flags evaluate and propose share: the demand's
// postcodes, travel, the supply, the search's budget and the outputs.
type locFlags struct {
	cmd            string
	postcodes      string
	travel         *travelFlags
	supply         locality.Supply
	minH, maxH     float64
	timePerSolve   time.Duration
	iterations     int
	workers        int
	seed           int64
	csvOut, out    string
	progress, quit bool
	// sizingSeeds sizes each option this many times; spreads are the
	// lines that say how its figures moved, printed under the table.
	sizingSeeds int
	spreads     []string
}

func newLocFlags(cmd string, stderr io.Writer) (*locFlags, *flag.FlagSet) {
	lf := &locFlags{cmd: cmd}
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	def := locality.DefaultSupply
	fs.StringVar(&lf.postcodes, "postcodes", "", "the ONS Postcode Directory (`FILE`, CSV with pcds, lat, long) for demand rows given by postcode")
	lf.travel = addTravelFlags(fs)
	fs.Float64Var(&lf.supply.WalkShare, "walk-share", def.WalkShare, "share of carers who walk, 0 to 1")
	fs.Float64Var(&lf.supply.ContractHours, "contract-hours", def.ContractHours, "a carer's contracted hours a week, for the headcount")
	fs.Float64Var(&lf.supply.Utilisation, "utilisation", def.Utilisation, "share of paid time that can be care, for the estimate the search starts from")
	fs.Float64Var(&lf.supply.CO2KgPerKM, "co2", def.CO2KgPerKM, "CO2 per driven km, `KG` (the order of the UK government's factor for an average car)")
	fs.Float64Var(&lf.minH, "min-hours", locality.DefaultViability.MinHours, "least weekly hours a provider can run a locality on")
	fs.Float64Var(&lf.maxH, "max-hours", locality.DefaultViability.MaxHours, "most weekly hours one provider should run in a locality")
	fs.DurationVar(&lf.timePerSolve, "time-per-solve", 0, "bound each solve of a representative day by time (default: by --iterations)")
	fs.IntVar(&lf.iterations, "iterations", 0, fmt.Sprintf("iterations of each solve (default %d when --time-per-solve is not given)", locality.DefaultSizeIterations))
	fs.IntVar(&lf.workers, "workers", runtime.NumCPU(), "localities sized at once, each solve on one core")
	fs.Int64Var(&lf.seed, "seed", 1, "random seed: the same seed, flags and files give the same figures (with --iterations)")
	fs.IntVar(&lf.sizingSeeds, "sizing-seeds", 1, "size each option this many times, with seeds --seed, --seed+1 and so on, and say how its figures move: one sizing's travel can move by a tenth between seeds; the tables show the median sizing by travel share")
	fs.StringVar(&lf.csvOut, "csv", "", "also write every locality's figures as CSV to `FILE`")
	fs.BoolVar(&lf.progress, "progress", false, "show progress on standard error even when it is not a terminal")
	fs.BoolVar(&lf.quit, "quiet", false, "no progress display")
	return lf, fs
}

// check returns the problems with the shared flags, each naming its flag.
func (lf *locFlags) check() []string {
	var bad []string
	rng := func(name string, v, lo, hi float64) {
		if !(v >= lo && v <= hi) {
			bad = append(bad, fmt.Sprintf("--%s: must be from %g to %g, got %v", name, lo, hi, v))
		}
	}
	rng("walk-share", lf.supply.WalkShare, 0, 1)
	rng("contract-hours", lf.supply.ContractHours, 1, 168)
	rng("utilisation", lf.supply.Utilisation, 0.05, 1)
	rng("co2", lf.supply.CO2KgPerKM, 0, 10)
	if !(lf.minH >= 0 && lf.maxH > lf.minH) || math.IsInf(lf.maxH, 0) {
		bad = append(bad, fmt.Sprintf("--min-hours and --max-hours: want 0 <= min < max, got %v and %v", lf.minH, lf.maxH))
	}
	if lf.iterations < 0 || lf.timePerSolve < 0 {
		bad = append(bad, "--iterations and --time-per-solve: must not be negative")
	}
	if lf.sizingSeeds < 1 || lf.sizingSeeds > maxSizingSeeds {
		bad = append(bad, fmt.Sprintf("--sizing-seeds: must be from 1 to %d, got %d", maxSizingSeeds, lf.sizingSeeds))
	}
	if lf.workers < 1 || lf.workers > 256 {
		bad = append(bad, fmt.Sprintf("--workers: must be from 1 to 256, got %d", lf.workers))
	}
	return bad
}

// evaluateOptions are the options of Evaluate the flags give.
func (lf *locFlags) evaluateOptions(name string) locality.EvaluateOptions {
	return locality.EvaluateOptions{
		Name:      name,
		Size:      locality.SizeOptions{Planner: planner.Optimiser, Seed: lf.seed, Iterations: lf.iterations, TimeLimit: lf.timePerSolve},
		Workers:   lf.workers,
		Viability: locality.Viability{MinHours: lf.minH, MaxHours: lf.maxH},
	}
}

// fail prints the problems and returns exit 2.
func (lf *locFlags) fail(stderr io.Writer, problems ...string) int {
	for _, p := range problems {
		fmt.Fprintf(stderr, "rounds %s: %s\n", lf.cmd, p)
	}
	return exitUsage
}

// readDemand reads the demand CSV, printing its problems (file:line:column)
// on failure.
func (lf *locFlags) readDemand(path string, stderr io.Writer) (*locality.District, int) {
	f, err := os.Open(path)
	if err != nil {
		return nil, lf.fail(stderr, err.Error())
	}
	defer f.Close()
	opts := locality.DemandOptions{Name: strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))}
	if lf.postcodes != "" {
		pf, err := os.Open(lf.postcodes)
		if err != nil {
			return nil, lf.fail(stderr, "--postcodes: "+err.Error())
		}
		defer pf.Close()
		opts.Postcodes = importer.File{Name: filepath.Base(lf.postcodes), R: pf}
	}
	d, err := locality.ReadDemand(importer.File{Name: filepath.Base(path), R: f}, opts)
	if err != nil {
		var es importer.Errors
		if !errors.As(err, &es) {
			return nil, lf.fail(stderr, fmt.Sprintf("%s: %v", path, err))
		}
		for _, e := range es {
			fmt.Fprintln(stderr, e.Error())
		}
		return nil, lf.fail(stderr, fmt.Sprintf("%d problem(s) in the demand; nothing evaluated", len(es)))
	}
	return d, exitOK
}

// readBoundaries reads a boundaries GeoJSON, naming the file in its
// problems.
func (lf *locFlags) readBoundaries(path string, stderr io.Writer) (*locality.Boundaries, int) {
	f, err := os.Open(path)
	if err != nil {
		return nil, lf.fail(stderr, err.Error())
	}
	defer f.Close()
	b, err := locality.ReadBoundaries(f)
	if err != nil {
		return nil, lf.fail(stderr, fieldProblems(path, err)...)
	}
	return b, exitOK
}

// fieldProblems are err's problems, each after the file at path: one a
// field, or err itself when it names none.
func fieldProblems(path string, err error) []string {
	fes, ok := roster.FieldErrorsOf(err)
	if !ok {
		return []string{fmt.Sprintf("%s: %v", path, err)}
	}
	ps := make([]string, len(fes))
	for i, e := range fes {
		ps[i] = fmt.Sprintf("%s: %v", path, e)
	}
	return ps
}

// evaluate runs Evaluate with the progress display, --sizing-seeds times
// with seeds --seed, --seed+1 and so on. With several, the sizing whose
// travel share is the median stands for the option, and a line saying
// how the figures moved joins lf.spreads. It prints a failure and returns
// its exit code: 2 for a field of the demand at fault.
func (lf *locFlags) evaluate(ctx context.Context, d *locality.District, b *locality.Boundaries, travel geo.Provider, name, demandPath string, stderr io.Writer) (*locality.Evaluation, int) {
	var evs []*locality.Evaluation
	var options []locality.Option
	var seeds []int64
	for i := range max(1, lf.sizingSeeds) {
		seed := lf.seed + int64(i)
		label := name
		if lf.sizingSeeds > 1 {
			label = fmt.Sprintf("%s, sizing seed %d", name, seed)
		}
		ev, code := lf.evaluateOnce(ctx, d, b, travel, name, seed, label, demandPath, stderr)
		if code != exitOK {
			return nil, code
		}
		evs, options, seeds = append(evs, ev), append(options, ev.Option), append(seeds, seed)
	}
	ev := evs[0]
	if len(evs) > 1 {
		spread := locality.SpreadOf(name, seeds, options)
		lf.spreads = append(lf.spreads, spread.String())
		ev = evs[spread.Shown]
	}
	// The warnings are the boundaries', the same whatever the seed.
	for _, w := range ev.Warnings {
		fmt.Fprintf(stderr, "rounds %s: warning: %s: %s\n", lf.cmd, name, w)
	}
	return ev, exitOK
}

// evaluateOnce runs Evaluate once with the sizing seed, its progress shown
// as label, and prints a failure.
func (lf *locFlags) evaluateOnce(ctx context.Context, d *locality.District, b *locality.Boundaries, travel geo.Provider, name string, seed int64, label, demandPath string, stderr io.Writer) (*locality.Evaluation, int) {
	opts := lf.evaluateOptions(name)
	opts.Size.Seed = seed
	pr := lf.progressFor(stderr, label)
	opts.Progress = pr.report
	ev, err := locality.Evaluate(ctx, d, b, lf.supply, travel, opts)
	pr.finish()
	if err != nil {
		switch {
		case errors.As(err, new(roster.FieldErrors)) || errors.As(err, new(roster.FieldError)):
			return nil, lf.fail(stderr, fieldProblems(demandPath, err)...)
		case ctx.Err() != nil:
			fmt.Fprintf(stderr, "rounds %s: interrupted while evaluating %s\n", lf.cmd, name)
			return nil, exitFailure
		}
		fmt.Fprintf(stderr, "rounds %s: %s: %v\n", lf.cmd, name, err)
		return nil, exitCodeFor(err)
	}
	return ev, exitOK
}

// locProgress draws an evaluation's progress on standard error: on a
// terminal one line redrawn in place twice a second, elsewhere (with
// --progress) a line every few seconds.
type locProgress struct {
	mu       sync.Mutex
	w        io.Writer
	on, term bool
	name     string
	last     time.Time
	drawn    bool
	line     string
}

func (lf *locFlags) progressFor(stderr io.Writer, name string) *locProgress {
	term := isTerminal(stderr)
	return &locProgress{w: stderr, name: name, term: term, on: !lf.quit && (term || lf.progress)}
}

func (p *locProgress) report(e locality.EvaluateProgress) {
	if !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.line = fmt.Sprintf("%s: localities %d/%d  solves %d  %5.0fs", p.name, e.Done, e.Total, e.Solves, e.Elapsed.Seconds())
	every := logProgressEvery
	if p.term {
		every = terminalProgressEvery
	}
	if time.Since(p.last) < every && e.Done < e.Total {
		return
	}
	p.draw()
}

func (p *locProgress) draw() {
	p.last = time.Now()
	if p.term {
		fmt.Fprintf(p.w, "\r%s ", p.line)
		p.drawn = true
		return
	}
	fmt.Fprintln(p.w, p.line)
}

// finish ends a terminal's line.
func (p *locProgress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.on && p.term && p.drawn {
		fmt.Fprintln(p.w)
	}
}

// figureProps are each locality's figures as GeoJSON feature properties,

// writeBoundaries writes boundaries with their properties to path.
func writeBoundaries(path string, b *locality.Boundaries, props []map[string]any) error {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := b.WriteGeoJSON(f, props); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeReportCSV writes the options' rows as CSV to path.
func writeReportCSV(path string, options []locality.Option) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := locality.WriteCSV(f, options); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// runLocalitiesEvaluate: rounds localities evaluate DEMAND.csv
// BOUNDARIES.geojson [MORE.geojson...]: each boundaries file is an option,
// evaluated and compared side by side.
func runLocalitiesEvaluate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	lf, fs := newLocFlags("localities evaluate", stderr)
	fs.StringVar(&lf.out, "o", "", "write the boundaries with each locality's figures as GeoJSON to `OUT.geojson` (several options: OUT-NAME.geojson)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: rounds localities evaluate DEMAND.csv BOUNDARIES.geojson [MORE.geojson...] [--postcodes FILE] [--osm FILE]\n"+
			"         [--walk-share F --contract-hours H --utilisation U --co2 KG] [--time-per-solve D | --iterations N]\n"+
			"         [--workers N] [--seed N] [--csv FILE] [-o OUT.geojson] [--progress]\n"+
			"Each locality's care, carers needed (by planning a representative day), travel, mileage, CO2,\n"+
			"walkability, viability and compactness, and the balance of each option; one table compares them.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(reorder(fs, args)); err != nil {
		return flagExit(err)
	}
	if fs.NArg() < 2 {
		fs.Usage()
		return lf.fail(stderr, "want a demand CSV and at least one boundaries GeoJSON")
	}
	if bad := lf.check(); len(bad) > 0 {
		return lf.fail(stderr, bad...)
	}
	demandPath := fs.Arg(0)
	d, code := lf.readDemand(demandPath, stderr)
	if code != exitOK {
		return code
	}
	paths := fs.Args()[1:]
	bs := make([]*locality.Boundaries, len(paths))
	names := make([]string, len(paths))
	seen := map[string]bool{}
	for i, p := range paths {
		if bs[i], code = lf.readBoundaries(p, stderr); code != exitOK {
			return code
		}
		names[i] = strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))
		if seen[names[i]] {
			names[i] = fmt.Sprintf("%s (%d)", names[i], i+1)
		}
		seen[names[i]] = true
	}
	travel, err := lf.travel.provider(ctx, stderr)
	if err != nil {
		return lf.fail(stderr, err.Error())
	}
	var options []locality.Option
	for i, b := range bs {
		ev, code := lf.evaluate(ctx, d, b, travel, names[i], demandPath, stderr)
		if code != exitOK {
			return code
		}
		options = append(options, ev.Option)
		if lf.out != "" {
			path := lf.out
			if len(bs) > 1 {
				ext := filepath.Ext(path)
				path = strings.TrimSuffix(path, ext) + "-" + fileSafe(names[i]) + ext
			}
			props, err := locality.FigureProperties(names[i], ev.Rows, b.Len())
			if err == nil {
				err = writeBoundaries(path, b, props)
			}
			if err != nil {
				fmt.Fprintf(stderr, "rounds %s: -o: %v\n", lf.cmd, err)
				return exitFailure
			}
		}
	}
	if err := locality.WriteTable(stdout, options); err != nil {
		fmt.Fprintf(stderr, "rounds %s: %v\n", lf.cmd, err)
		return exitFailure
	}
	fmt.Fprintf(stdout, "\nsupply: %.0f%% of carers walk, %g-hour contracts, %.0f%% utilisation; CO2 %g kg a driven km; viable %g-%g h a week\n",
		100*lf.supply.WalkShare, lf.supply.ContractHours, 100*lf.supply.Utilisation, lf.supply.CO2KgPerKM, lf.minH, lf.maxH)
	lf.printSpreads(stdout)
	if lf.csvOut != "" {
		if err := writeReportCSV(lf.csvOut, options); err != nil {
			fmt.Fprintf(stderr, "rounds %s: --csv: %v\n", lf.cmd, err)
			return exitFailure
		}
	}
	return exitOK
}

// printSpreads prints, after a blank line, how each option's figures
// moved over its sizing seeds; nothing with one seed.
func (lf *locFlags) printSpreads(w io.Writer) {
	if len(lf.spreads) == 0 {
		return
	}
	fmt.Fprintln(w)
	for _, s := range lf.spreads {
		fmt.Fprintln(w, s)
	}
}

// fileSafe makes a name safe in a file name.
func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' {
			return r
		}
		return '_'
	}, s)
}

// parseKs reads --k: a list such as 6,10,35, a range such as 4-40, or
// both (4-8,10).
func parseKs(s string) ([]int, error) {
	var out []int
	seen := map[int]bool{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		lo, hi, isRange := strings.Cut(part, "-")
		if !isRange {
			lo, hi, isRange = strings.Cut(part, "..")
		}
		a, err1 := strconv.Atoi(strings.TrimSpace(lo))
		b := a
		var err2 error
		if isRange {
			b, err2 = strconv.Atoi(strings.TrimSpace(hi))
		}
		if err1 != nil || err2 != nil || a < 1 || b < a || b > 1000 {
			return nil, fmt.Errorf("%q: want numbers of localities from 1 to 1000, e.g. 6,10,35 or 4-40", part)
		}
		for k := a; k <= b; k++ {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	return out, nil
}

// proposal is one k proposed, and evaluated unless --no-evaluate.
type proposal struct {
	locality.Proposal
	k    int
	part *locality.Partition
	ev   *locality.Evaluation
}

// parseTolerances reads a list of bands of hours, shares of the mean,
// in the order given; a band given twice is a problem.
func parseTolerances(s string) (tols []float64, bad []string) {
	for _, part := range strings.Split(s, ",") {
		t, err := strconv.ParseFloat(strings.TrimSpace(part), 64)
		if err != nil || !(t >= locality.MinTolerance && t <= locality.MaxTolerance) {
			bad = append(bad, fmt.Sprintf("--tolerance: %q: want shares of the mean from %g to %g (0.1 is ±10%%)", part, locality.MinTolerance, locality.MaxTolerance))
			continue
		}
		if slices.Contains(tols, t) {
			bad = append(bad, fmt.Sprintf("--tolerance: %v is given twice", t))
			continue
		}
		tols = append(tols, t)
	}
	return tols, bad
}

// allViable reports whether every locality's weekly hours lie in v.
func (p proposal) allViable(v locality.Viability) bool {
	if p.ev != nil {
		for _, r := range p.ev.Rows {
			if !r.Unallocated && !r.Viable {
				return false
			}
		}
		return true
	}
	for _, h := range p.part.Hours {
		if !v.Viable(h) {
			return false
		}
	}
	return true
}

// allWalkable reports whether every locality is walkable; false without
// an evaluation.
func (p proposal) allWalkable() bool {
	if p.ev == nil {
		return false
	}
	for _, r := range p.ev.Rows {
		if !r.Unallocated && !r.Walkable {
			return false
		}
	}
	return true
}

// proposeBy proposes k localities on g by method: "azp" (region growing

// runLocalitiesPropose: rounds localities propose DEMAND.csv --k LIST:
// proposals of k localities built from a hexagonal grid (region growing
// and local search, or the k-means baseline), each written as GeoJSON with
// its figures.
func runLocalitiesPropose(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	lf, fs := newLocFlags("localities propose", stderr)
	kFlag := fs.String("k", "", "numbers of localities: a list (6,10,35) or a range (4-40)")
	method := fs.String("method", "azp", "azp (region growing and local search), kmeans (the baseline) or both")
	cellM := fs.Float64("cell-m", 0, "the grid's cell size, metres (default: chosen from k: fine enough that no cell holds 5% of a locality's hours, over an area of about 40 coarser cells a locality)")
	noEval := fs.Bool("no-evaluate", false, "propose without sizing: weekly hours and viability only, fast")
	tol := fs.String("tolerance", strconv.FormatFloat(locality.DefaultTolerance, 'g', -1, 64), "how far from the mean a locality's weekly hours may lie, as a share (0.1 is ±10%); a wider band lets localities follow the towns, for less travel. A list (0.1,0.3,1) proposes once a band, to show what balance costs")
	fs.StringVar(&lf.out, "o", "proposals/", "where the proposals' GeoJSON goes: a `DIR/` (ending in /, or an existing directory) or a file-name prefix")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: rounds localities propose DEMAND.csv --k 6,10,35|4-40 [--method azp|kmeans|both] [--cell-m M] [--tolerance 0.1]\n"+
			"         [--no-evaluate] [-o DIR/|PREFIX] [the sizing flags of evaluate]\n"+
			"Proposes k contiguous, compact localities of balanced hours from a hexagonal grid, evaluates each\n"+
			"(unless --no-evaluate) and writes it as GeoJSON with its figures; over several k it answers the\n"+
			"smallest k with every locality walkable and the k with every locality viable.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(reorder(fs, args)); err != nil {
		return flagExit(err)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return lf.fail(stderr, "want one demand CSV")
	}
	bad := lf.check()
	ks, err := parseKs(*kFlag)
	switch {
	case *kFlag == "":
		bad = append(bad, "--k: give the numbers of localities, e.g. --k 6,10,35 or --k 4-40")
	case err != nil:
		bad = append(bad, "--k: "+err.Error())
	}
	var methods []string
	switch *method {
	case "azp", "kmeans":
		methods = []string{*method}
	case "both":
		methods = []string{"azp", "kmeans"}
	default:
		bad = append(bad, fmt.Sprintf("--method: want azp, kmeans or both, got %q", *method))
	}
	if *cellM < 0 || math.IsNaN(*cellM) || math.IsInf(*cellM, 0) {
		bad = append(bad, fmt.Sprintf("--cell-m: want a positive number of metres, got %v", *cellM))
	}
	tols, tolBad := parseTolerances(*tol)
	bad = append(bad, tolBad...)
	if len(tols) > 1 && len(methods) > 0 && !slices.Contains(methods, "azp") {
		bad = append(bad, "--tolerance: several bands are for region growing; add --method azp or both")
	}
	if *noEval && lf.sizingSeeds > 1 {
		bad = append(bad, "--sizing-seeds: with --no-evaluate nothing is sized; drop one of them")
	}
	if len(bad) > 0 {
		return lf.fail(stderr, bad...)
	}
	demandPath := fs.Arg(0)
	d, code := lf.readDemand(demandPath, stderr)
	if code != exitOK {
		return code
	}
	var travel geo.Provider
	if !*noEval {
		if travel, err = lf.travel.provider(ctx, stderr); err != nil {
			return lf.fail(stderr, err.Error())
		}
	}
	prefix := lf.out
	if st, err := os.Stat(prefix); err == nil && st.IsDir() && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	viab := locality.Viability{MinHours: lf.minH, MaxHours: lf.maxH}
	var props []proposal
	for _, k := range ks {
		g, err := locality.GridFor(d.Clients, k, *cellM)
		if err != nil {
			return lf.fail(stderr, fmt.Sprintf("--k %d: %v", k, err))
		}
		for _, spec := range locality.Proposals(methods, tols) {
			p, err := locality.ProposeBy(g, k, spec.Method, locality.ProposeOptions{Seed: uint64(lf.seed), Tolerance: spec.Tolerance})
			if err != nil {
				return lf.fail(stderr, fmt.Sprintf("--k %d: %v", k, err))
			}
			name := spec.Name(k)
			b := p.Outlines()
			pr := proposal{Proposal: spec, k: k, part: p}
			var fprops []map[string]any
			if *noEval {
				fprops = make([]map[string]any, k)
				for r := range fprops {
					fprops[r] = map[string]any{"option": name, "weekly_hours": p.Hours[r], "viable": viab.Viable(p.Hours[r])}
				}
			} else {
				ev, code := lf.evaluate(ctx, d, b, travel, name, demandPath, stderr)
				if code != exitOK {
					return code
				}
				pr.ev = ev
				if fprops, err = locality.FigureProperties(name, ev.Rows, b.Len()); err != nil {
					fmt.Fprintf(stderr, "rounds %s: %v\n", lf.cmd, err)
					return exitFailure
				}
			}
			path := prefix + name + ".geojson"
			if err := writeBoundaries(path, b, fprops); err != nil {
				fmt.Fprintf(stderr, "rounds %s: -o: %v\n", lf.cmd, err)
				return exitFailure
			}
			props = append(props, pr)
		}
	}
	if !*noEval {
		var options []locality.Option
		for _, p := range props {
			options = append(options, p.ev.Option)
		}
		if err := locality.WriteTable(stdout, options); err != nil {
			fmt.Fprintf(stderr, "rounds %s: %v\n", lf.cmd, err)
			return exitFailure
		}
		if lf.csvOut != "" {
			if err := writeReportCSV(lf.csvOut, options); err != nil {
				fmt.Fprintf(stderr, "rounds %s: --csv: %v\n", lf.cmd, err)
				return exitFailure
			}
		}
		lf.printSpreads(stdout)
		fmt.Fprintln(stdout)
	} else {
		fmt.Fprintln(stdout, "k   method  band     min h/week  max h/week  max/min  CV    within band  all viable")
		for _, p := range props {
			lo, hi := math.Inf(1), 0.0
			for _, h := range p.part.Hours {
				lo, hi = math.Min(lo, h), math.Max(hi, h)
			}
			mm, cv := p.part.Balance()
			fmt.Fprintf(stdout, "%-3d %-7s %-7s %10.0f  %10.0f  %7.2f  %.2f  %-11s  %s\n", p.k, p.Method, "±"+locality.Percent(p.part.Tolerance)+"%", lo, hi, mm, cv, yesNo(p.part.Balanced), yesNo(p.allViable(viab)))
		}
	}
	fmt.Fprintf(stdout, "wrote %d proposals as %s*.geojson\n", len(props), prefix)
	if len(ks) > 1 {
		for _, spec := range locality.Proposals(methods, tols) {
			answerQuestions(stdout, props, spec.Group(), viab, !*noEval)
		}
	}
	return exitOK
}

// answerQuestions says, over the k tried with one method, the smallest k
// at which every locality is walkable and the k at which every locality
// is viable.
func answerQuestions(w io.Writer, props []proposal, method string, v locality.Viability, evaluated bool) {
	var viable []int
	walk := 0
	tried := 0
	for _, p := range props {
		if p.Group() != method {
			continue
		}
		tried++
		if p.allViable(v) {
			viable = append(viable, p.k)
		}
		if walk == 0 && p.allWalkable() {
			walk = p.k
		}
	}
	switch {
	case !evaluated:
		fmt.Fprintf(w, "%s: smallest k with every locality walkable: not asked (--no-evaluate)\n", method)
	case walk == 0:
		fmt.Fprintf(w, "%s: smallest k with every locality walkable: none of the %d k tried\n", method, tried)
	default:
		fmt.Fprintf(w, "%s: smallest k with every locality walkable: %d\n", method, walk)
	}
	ranges := "none of the k tried"
	if len(viable) > 0 {
		ranges = runsOf(viable)
	}
	fmt.Fprintf(w, "%s: k with every locality viable (%g-%g h a week): %s\n", method, v.MinHours, v.MaxHours, ranges)
}

// runsOf writes ascending numbers as runs: 4-9, 12.
func runsOf(ks []int) string {
	var parts []string
	for i := 0; i < len(ks); {
		j := i
		for j+1 < len(ks) && ks[j+1] == ks[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, fmt.Sprintf("%d-%d", ks[i], ks[j]))
		} else {
			parts = append(parts, strconv.Itoa(ks[i]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
