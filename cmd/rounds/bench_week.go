package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/optimiser"
	"github.com/rounds-dev/rounds/roster"
	"github.com/rounds-dev/rounds/synth"
)

// The week benchmark (issue 11): generated locality weeks planned as a
// week, and the same days planned one by one as a one-day planner would,
// judged on the same figures; and, with --scale, how a week's solve grows
// with days and visits.

// weekRuleCodes are the checker's codes for the rules that span days: a
// plan made a day at a time cannot see them.
var weekRuleCodes = []string{"daily_rest", "weekly_rest", "week_hours", "contract_hours", "distinct_carers", "call_time_spread"}

// Targets of issue 11 for a week's plan.
const (
	targetMedianCOC    = 0.6
	targetShareFew     = 0.9 // of clients with at most fewCalls carer-visits ...
	fewCalls           = 14
	fewCarers          = 4 // ... at most this many distinct carers
	targetSpreadMin    = 30.0
	targetTravelRatio  = 1.10
	dayHoursRunning    = "running"
	dayHoursProRated   = "prorate"
	weekProgressEvery  = 50 * time.Millisecond
	defaultScaleVisits = 1500
	defaultScaleCarers = 45
)

// weekFlags are the flags of rounds bench week.
type weekFlags struct {
	seeds, visits, dayHours, start, out string
	carers, days, workers, iterations   int
	growthIterations                    int
	scaleVisits, scaleCarers            int
	limit                               time.Duration
	seed                                int64
	history, scale                      bool
}

func (wf *weekFlags) flagSet(stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("bench week", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&wf.seeds, "seeds", "1,2,3", "comma-separated generator seeds: one week each")
	fs.StringVar(&wf.visits, "visits", "150,250", "comma-separated visits a day (the generator's mean): each seed's week at each")
	fs.IntVar(&wf.carers, "carers", 0, "carers of each week (0: as many as the generator's sizing rule gives for the demand)")
	fs.IntVar(&wf.days, "days", 7, fmt.Sprintf("days of each generated period, 1 to %d", roster.MaxPeriodDays))
	fs.StringVar(&wf.start, "start", synth.DefaultWeekStart, "the period's first date, YYYY-MM-DD")
	fs.BoolVar(&wf.history, "history", true, "generate last week's visits to each client, for continuity")
	fs.StringVar(&wf.dayHours, "day-hours", dayHoursRunning, "how each day planned alone holds carers to their weekly hours: running (the week's hours less those already planned, as a coordinator keeps a running total) or prorate (a seventh of the week, as roster reads a one-day period)")
	fs.DurationVar(&wf.limit, "time", 10*time.Second, "time limit per day planned alone; the week gets days × this, the same total (with --scale: the scale run's limit)")
	fs.IntVar(&wf.iterations, "iterations", 0, "iterations per day planned alone instead of --time; the week gets days × this (the same count, not the same time)")
	fs.Int64Var(&wf.seed, "seed", 1, "search seed")
	fs.IntVar(&wf.workers, "workers", runtime.GOMAXPROCS(0), "independent searches per solve")
	fs.StringVar(&wf.out, "out", "bench-out", "`DIR` for the tables, instances and plans (under DIR/week)")
	fs.BoolVar(&wf.scale, "scale", false, "the scale run instead: one week of --scale-visits visits and --scale-carers carers, then how time and memory grow with days and visits")
	fs.IntVar(&wf.scaleVisits, "scale-visits", defaultScaleVisits, "with --scale: visits in the week")
	fs.IntVar(&wf.scaleCarers, "scale-carers", defaultScaleCarers, "with --scale: carers")
	fs.IntVar(&wf.growthIterations, "growth-iterations", 1000, "with --scale: iterations of each growth run (0: no growth runs)")
	return fs
}

// parseInts reads a comma-separated list of positive integers.
func parseInts(s string, lo, hi int64) ([]int64, error) {
	var out []int64
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64)
		if err != nil || n < lo || n > hi {
			return nil, fmt.Errorf("want comma-separated whole numbers from %d to %d, got %q", lo, hi, s)
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out, nil
}

// runBenchWeek parses the flags of rounds bench week and runs it.
func runBenchWeek(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var wf weekFlags
	fs := wf.flagSet(stderr)
	if err := fs.Parse(reorder(fs, args)); err != nil {
		return flagExit(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "rounds bench week: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	var bad []string
	seeds, err := parseInts(wf.seeds, 0, math.MaxInt32)
	if err != nil {
		bad = append(bad, "--seeds: "+err.Error())
	}
	visits, err := parseInts(wf.visits, 1, synth.MaxVisits)
	if err != nil {
		bad = append(bad, "--visits: "+err.Error())
	}
	if wf.carers < 0 || wf.carers > synth.MaxCarers {
		bad = append(bad, fmt.Sprintf("--carers: must be from 0 (sized for the demand) to %d, got %d", synth.MaxCarers, wf.carers))
	}
	if wf.days < 1 || wf.days > roster.MaxPeriodDays {
		bad = append(bad, fmt.Sprintf("--days: must be from 1 to %d, got %d", roster.MaxPeriodDays, wf.days))
	}
	if !validDate(wf.start) {
		bad = append(bad, fmt.Sprintf("--start: want a date as YYYY-MM-DD, got %q", wf.start))
	}
	if wf.dayHours != dayHoursRunning && wf.dayHours != dayHoursProRated {
		bad = append(bad, fmt.Sprintf("--day-hours: want running or prorate, got %q", wf.dayHours))
	}
	if wf.limit <= 0 || wf.iterations < 0 || wf.workers < 1 || wf.workers > 64 || wf.growthIterations < 0 {
		bad = append(bad, "--time must be positive, --iterations and --growth-iterations not negative and --workers from 1 to 64")
	}
	if wf.scale && (wf.scaleVisits < 1 || wf.scaleVisits > synth.MaxVisits*7 || wf.scaleCarers < 1 || wf.scaleCarers > synth.MaxCarers) {
		bad = append(bad, fmt.Sprintf("--scale-visits must be from 1 to %d and --scale-carers from 1 to %d", synth.MaxVisits*7, synth.MaxCarers))
	}
	if len(bad) > 0 {
		for _, b := range bad {
			fmt.Fprintf(stderr, "rounds bench week: %s\n", b)
		}
		return exitUsage
	}
	if wf.iterations > 0 && !flagGiven(fs, "time") {
		wf.limit = iterationsTimeLimit
	}
	dir := filepath.Join(wf.out, "week")
	for _, sub := range []string{"instances", "plans"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			fmt.Fprintf(stderr, "rounds bench week: %v\n", err)
			return exitFailure
		}
	}
	if wf.scale {
		return benchScale(ctx, &wf, dir, stdout, stderr)
	}
	return benchWeeks(ctx, &wf, dir, seeds, visits, stdout, stderr)
}

// weekCommand is the command line that repeats a table's figures.
func (wf *weekFlags) command(scale bool) string {
	var b strings.Builder
	b.WriteString("rounds bench week")
	if scale {
		fmt.Fprintf(&b, " --scale --scale-visits %d --scale-carers %d --growth-iterations %d", wf.scaleVisits, wf.scaleCarers, wf.growthIterations)
	} else {
		fmt.Fprintf(&b, " --seeds %s --visits %s --carers %d --days %d --day-hours %s", wf.seeds, wf.visits, wf.carers, wf.days, wf.dayHours)
	}
	fmt.Fprintf(&b, " --start %s --history=%t", wf.start, wf.history)
	if wf.iterations > 0 {
		fmt.Fprintf(&b, " --iterations %d", wf.iterations)
	}
	if wf.limit != iterationsTimeLimit {
		fmt.Fprintf(&b, " --time %s", wf.limit)
	}
	fmt.Fprintf(&b, " --seed %d --workers %d", wf.seed, wf.workers)
	return b.String()
}

// generateWeek makes the period of one seed.
func generateWeek(wf *weekFlags, seed int64, perDay, carers, days int) (*roster.Instance, error) {
	cfg := synth.DefaultWeekConfig()
	cfg.Seed, cfg.Start, cfg.Days, cfg.VisitsPerDay, cfg.Carers, cfg.History = seed, wf.start, days, perDay, carers, wf.history
	return synth.GenerateWeek(cfg)
}

// solveRun is one solve as measured.
type solveRun struct {
	plan        *roster.Plan
	violations  []roster.Violation
	seconds     float64 // the whole Solve call
	firstPlanS  float64 // until the search's first plan (its first progress report)
	peakMiB     float64 // the process's peak resident memory during the solve; -1 unknown
	peakIsSolve bool    // false when the peak could not be reset before the solve
	iterations  int
}

// measuredSolve solves in with opts, timing it, watching its first plan
// and its peak memory, and checks the plan.
func measuredSolve(ctx context.Context, in *roster.Instance, opts optimiser.Options) (solveRun, error) {
	var run solveRun
	travel, err := geo.TravelFor(ctx, nil, in)
	if err != nil {
		return run, err
	}
	run.peakIsSolve = resetPeakRSS()
	began := time.Now()
	first := time.Duration(-1)
	opts.StallIterations = -1
	opts.ProgressEvery = weekProgressEvery
	opts.Progress = func(optimiser.Progress) {
		if first < 0 {
			first = time.Since(began)
		}
	}
	plan, err := optimiser.Solve(ctx, in, travel, opts)
	if err != nil {
		return run, err
	}
	run.seconds = time.Since(began).Seconds()
	run.peakMiB = peakRSSMiB()
	if first < 0 {
		first = time.Since(began)
	}
	run.firstPlanS = first.Seconds()
	run.plan = plan
	if plan.Solver != nil {
		run.iterations = plan.Solver.Iterations
	}
	run.violations = roster.Check(in, travel, plan)
	return run, nil
}

// resetPeakRSS frees what the heap can give back and resets the process's
// peak resident memory (Linux), reporting whether it could.
func resetPeakRSS() bool {
	runtime.GC()
	debug.FreeOSMemory()
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// peakRSSMiB is the process's peak resident memory (VmHWM) in MiB, or -1
// where /proc does not say.
func peakRSSMiB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 64)
			if err != nil {
				return -1
			}
			return kb / 1024
		}
	}
	return -1
}

// planFigures are the figures one plan of a week is judged by.
type planFigures struct {
	visits, served int
	violations     int
	byCode         map[string]int
	medianCOC      float64 // NaN: no client with two carer-visits
	fewClients     int     // clients with at most fewCalls carer-visits
	fewWithin      int     // of those, with at most fewCarers distinct carers
	medianSpread   float64 // over care entries served at least twice; NaN: none
	widestSpread   float64
	carerWeeks     int
	belowMin       int
	aboveMax       int
	travelS        int
	distanceM      int
	seconds        float64
	firstPlanS     float64
	peakMiB        float64
	iterations     int
}

// shareFew is the share of clients with at most fewCalls carer-visits who
// see at most fewCarers carers; NaN when there are none.
func (f planFigures) shareFew() float64 {
	if f.fewClients == 0 {
		return math.NaN()
	}
	return float64(f.fewWithin) / float64(f.fewClients)
}

// codes writes the violations by code, e.g. "daily_rest 3, weekly_rest 1".
func (f planFigures) codes() string {
	var keys []string
	for k := range f.byCode {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, f.byCode[k]))
	}
	return strings.Join(parts, ", ")
}

// medianOf is the median of xs (xs is not changed), NaN when empty.
func medianOf(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// figuresOf works out plan p's figures over the period document in, with
// the checker's violations vs.
func figuresOf(in *roster.Instance, p *roster.Plan, vs []roster.Violation) (planFigures, error) {
	f := planFigures{byCode: map[string]int{}, violations: len(vs)}
	for _, v := range vs {
		f.byCode[v.Code]++
	}
	x, err := roster.Expand(in)
	if err != nil {
		return f, err
	}
	f.visits = len(x.Instance.Visits)
	served := map[string]bool{}
	for _, r := range p.Rounds {
		for _, s := range r.Stops {
			served[s.Visit] = true
		}
	}
	f.served = len(served)
	k, err := roster.ComputePeriodKPIs(in, p, roster.DefaultPaySettings())
	if err != nil {
		return f, err
	}
	var cocs, spreads []float64
	for _, c := range k.Clients {
		if c.COC != nil {
			cocs = append(cocs, *c.COC)
		}
		if c.CarerVisits > 0 && c.CarerVisits <= fewCalls {
			f.fewClients++
			if c.DistinctCarers <= fewCarers {
				f.fewWithin++
			}
		}
	}
	for _, c := range k.Care {
		if c.SpreadMin != nil && c.VisitsServed >= 2 {
			spreads = append(spreads, *c.SpreadMin)
			f.widestSpread = max(f.widestSpread, *c.SpreadMin)
		}
	}
	f.medianCOC, f.medianSpread = medianOf(cocs), medianOf(spreads)
	for _, cw := range k.CarerWeeks {
		f.carerWeeks++
		h := float64(cw.PaidS) / 3600
		if cw.ContractMinH != nil && h < *cw.ContractMinH-1e-9 {
			f.belowMin++
		}
		if cw.ContractMaxH != nil && h > *cw.ContractMaxH+1e-9 {
			f.aboveMax++
		}
		f.travelS += cw.TravelS
		f.distanceM += cw.DistanceM
	}
	return f, nil
}

// weekRow is one seed's week at one size, planned both ways.
type weekRow struct {
	seed                    int64
	perDay, carers, clients int
	week, days              planFigures
	// dayFailures counts violations of the day plans against their own
	// one-day documents: the optimiser's own rules, which must be 0.
	dayFailures int
	// restated counts the days' unserved visits whose reason was restated
	// for the week (restateReasons).
	restated int
}

// travelRatio is the week's travel over the day-by-day plans'.
func (r weekRow) travelRatio() float64 {
	if r.days.travelS == 0 {
		return math.NaN()
	}
	return float64(r.week.travelS) / float64(r.days.travelS)
}

// benchWeeks plans each seed's week at each size both ways and writes
// week.csv and week.md.
func benchWeeks(ctx context.Context, wf *weekFlags, dir string, seeds, visits []int64, stdout, stderr io.Writer) int {
	var rows []weekRow
	total := len(seeds) * len(visits)
	n := 0
	peakKnown := true
	for _, v := range visits {
		for _, seed := range seeds {
			n++
			if ctx.Err() != nil {
				break
			}
			row, known, err := benchOneWeek(ctx, wf, dir, seed, int(v), fmt.Sprintf("[%d/%d]", n, total), stderr)
			if ctx.Err() != nil {
				break
			}
			if err != nil {
				fmt.Fprintf(stderr, "rounds bench week: seed %d, %d visits a day: %v\n", seed, v, err)
				return exitCodeFor(err)
			}
			peakKnown = peakKnown && known
			rows = append(rows, row)
		}
	}
	if err := writeWeekTables(dir, wf, rows, peakKnown); err != nil {
		fmt.Fprintf(stderr, "rounds bench week: %v\n", err)
		return exitFailure
	}
	printWeekSummary(stdout, rows)
	fmt.Fprintf(stdout, "repeat: %s\n", wf.command(false))
	if len(rows) < total {
		interruptedBench(stderr, len(rows), total)
		return exitFailure
	}
	for _, r := range rows {
		if r.week.violations > 0 || r.dayFailures > 0 {
			return exitViolations
		}
	}
	return exitOK
}

// dayOptions and weekOptions are the budgets: each day alone gets the
// flags' budget, the week days times it, so that both take the same total.
func (wf *weekFlags) dayOptions() optimiser.Options {
	return optimiser.Options{Seed: wf.seed, TimeLimit: wf.limit, Iterations: wf.iterations, Workers: wf.workers}
}

func (wf *weekFlags) weekOptions(days int) optimiser.Options {
	o := wf.dayOptions()
	if o.TimeLimit != iterationsTimeLimit {
		o.TimeLimit *= time.Duration(days)
	}
	o.Iterations *= days
	return o
}

func (wf *weekFlags) describe(o optimiser.Options) string {
	if o.Iterations > 0 {
		return fmt.Sprintf("%d iterations", o.Iterations)
	}
	return o.TimeLimit.String()
}

// benchOneWeek generates one seed's week, plans it as a week and day by
// day, and works out both plans' figures.
func benchOneWeek(ctx context.Context, wf *weekFlags, dir string, seed int64, perDay int, tag string, stderr io.Writer) (weekRow, bool, error) {
	row := weekRow{seed: seed, perDay: perDay}
	in, err := generateWeek(wf, seed, perDay, wf.carers, wf.days)
	if err != nil {
		return row, true, inputError{err}
	}
	row.carers, row.clients = len(in.Carers), len(in.Clients)
	name := fmt.Sprintf("s%d-v%d", seed, perDay)
	if err := writeJSON(filepath.Join(dir, "instances", name+".json"), in); err != nil {
		return row, true, err
	}
	wo := wf.weekOptions(wf.days)
	fmt.Fprintf(stderr, "%s seed %d, %d visits a day, %d carers: the week, solving for %s\n", tag, seed, perDay, row.carers, wf.describe(wo))
	wr, err := measuredSolve(ctx, in, wo)
	if err != nil {
		return row, true, err
	}
	known := wr.peakIsSolve
	if row.week, err = figuresOf(in, wr.plan, wr.violations); err != nil {
		return row, known, err
	}
	row.week.seconds, row.week.firstPlanS, row.week.peakMiB, row.week.iterations = wr.seconds, wr.firstPlanS, wr.peakMiB, wr.iterations
	if err := writeJSON(filepath.Join(dir, "plans", name+"-week.json"), wr.plan); err != nil {
		return row, known, err
	}
	fmt.Fprintf(stderr, "%s the week: served %d of %d, %d violations, %.1f s\n", tag, row.week.served, row.week.visits, row.week.violations, wr.seconds)

	x, err := roster.Expand(in)
	if err != nil {
		return row, known, err
	}
	history := slices.Clone(in.History)
	paid := map[[2]int]int64{} // carer index and week of the period: paid seconds planned so far
	var plans []*roster.Plan
	var dayS, firstS, peak float64
	iters := 0
	for d := 0; d < wf.days; d++ {
		if ctx.Err() != nil {
			return row, known, ctx.Err()
		}
		date := x.Date(d)
		day, err := roster.SliceDays(in, d, 1)
		if err != nil {
			return row, known, err
		}
		day.History = slices.Clone(history)
		if wf.dayHours == dayHoursRunning {
			holdToRunningHours(day, in, paid, d)
		}
		fmt.Fprintf(stderr, "%s %s alone, solving for %s\n", tag, date, wf.describe(wf.dayOptions()))
		dr, err := measuredSolve(ctx, day, wf.dayOptions())
		if err != nil {
			return row, known, err
		}
		known = known && dr.peakIsSolve
		row.dayFailures += len(dr.violations)
		for _, v := range dr.violations {
			fmt.Fprintf(stderr, "rounds bench week: %s: the day's plan breaks its own rules: %s: %s\n", date, v.Path, v.Message)
		}
		if firstS == 0 {
			firstS = dr.firstPlanS
		}
		dayS += dr.seconds
		peak = max(peak, dr.peakMiB)
		iters += dr.iterations
		for _, f := range []struct {
			name string
			v    any
		}{{name + "-" + date + ".json", day}} {
			if err := writeJSON(filepath.Join(dir, "instances", f.name), f.v); err != nil {
				return row, known, err
			}
		}
		if err := writeJSON(filepath.Join(dir, "plans", name+"-"+date+".json"), dr.plan); err != nil {
			return row, known, err
		}
		plans = append(plans, dr.plan)
		// What a coordinator knows the next day: who went where, and the
		// hours each carer has been given this week.
		history = append(history, dayHistory(dr.plan, date)...)
		k, err := roster.ComputePeriodKPIs(day, dr.plan, roster.DefaultPaySettings())
		if err != nil {
			return row, known, err
		}
		ix := roster.NewIndex(in)
		for _, cw := range k.CarerWeeks {
			paid[[2]int{ix.Carer[cw.Carer], d / 7}] += int64(cw.PaidS)
		}
	}
	joined := joinDayPlans(in.Name, plans)
	travel, err := geo.TravelFor(ctx, nil, in)
	if err != nil {
		return row, known, err
	}
	vs := roster.Check(in, travel, joined)
	if row.restated = restateReasons(joined, vs); row.restated > 0 {
		vs = roster.Check(in, travel, joined)
	}
	if row.days, err = figuresOf(in, joined, vs); err != nil {
		return row, known, err
	}
	row.days.seconds, row.days.firstPlanS, row.days.peakMiB, row.days.iterations = dayS, firstS, peak, iters
	if err := writeJSON(filepath.Join(dir, "plans", name+"-days.json"), joined); err != nil {
		return row, known, err
	}
	fmt.Fprintf(stderr, "%s day by day: served %d of %d, %d violations of the week's rules (%s), %.1f s\n",
		tag, row.days.served, row.days.visits, row.days.violations, row.days.codes(), dayS)
	return row, known, nil
}

// holdToRunningHours holds each carer, on day d planned alone, to what is
// left of their week's hours: their contract's max_hours for the week
// (pro-rated for a short last week), and the 48-hour cap unless they have
// opted out, less the paid time already planned on the week's earlier
// days. The day's document gives it as the carer's maximum working time
// (or a day off when nothing is left) in place of the contract, which a
// one-day document would pro-rate to a seventh of the week.
func holdToRunningHours(day, week *roster.Instance, paid map[[2]int]int64, d int) {
	w := d / 7
	daysInWeek := min(7, week.PeriodOf().Days-7*w)
	date := day.Period.Start
	for k := range day.Carers {
		c := &day.Carers[k]
		limitS := int64(-1)
		if ct := c.Contract; ct != nil && ct.MaxHours > 0 {
			limitS = int64(math.Floor(ct.MaxHours * float64(daysInWeek) / 7 * 3600))
		}
		if !c.WTROptOut {
			capS := int64(week.Rules.WeekHoursCap()) * 3600
			if limitS < 0 || capS < limitS {
				limitS = capS
			}
		}
		c.Contract = nil
		if limitS < 0 {
			continue
		}
		leftMin := int((limitS - paid[[2]int{k, w}]) / 60)
		if leftMin <= 0 {
			c.DaysOff = append(c.DaysOff, date)
			continue
		}
		// A day holds no more than roster.MaxDayMin of work: a larger
		// remainder sets no cap.
		if leftMin < roster.MaxDayMin && (c.MaxWorkingMin == 0 || leftMin < c.MaxWorkingMin) {
			c.MaxWorkingMin = leftMin
		}
	}
}

// dayHistory is a day plan's visits as history: carer-visits to each
// client by each carer on date.
func dayHistory(p *roster.Plan, date string) []roster.HistoryEntry {
	n := map[[2]string]int{}
	var order [][2]string
	for _, r := range p.Rounds {
		for _, s := range r.Stops {
			key := [2]string{s.Client, r.Carer}
			if n[key] == 0 {
				order = append(order, key)
			}
			n[key]++
		}
	}
	out := make([]roster.HistoryEntry, 0, len(order))
	for _, key := range order {
		out = append(out, roster.HistoryEntry{Client: key[0], Carer: key[1], Date: date, Visits: min(n[key], roster.MaxHistoryVisits)})
	}
	return out
}

// joinDayPlans puts the plans of days planned alone together as one plan
// for the period: every day's dated rounds and unserved visits.
func joinDayPlans(name string, plans []*roster.Plan) *roster.Plan {
	out := &roster.Plan{Instance: name, Rounds: []roster.Round{}, Unassigned: []roster.Unassigned{}}
	for _, p := range plans {
		out.Travel = p.Travel
		out.Rounds = append(out.Rounds, p.Rounds...)
		out.Unassigned = append(out.Unassigned, p.Unassigned...)
	}
	return out
}

// restateReasons restates, as carers_busy, the reason of each unserved
// visit of the days put together that the checker refutes against the
// week (vs), and returns how many. A day planned alone explains an
// unserved visit by its own document, whose caps and days off stand for
// the hours the week's earlier days took (holdToRunningHours); the week's
// document has no such caps, and what kept the visit out there is the
// time the week's other visits take. A restated reason the checker still
// refutes stays a violation.
func restateReasons(p *roster.Plan, vs []roster.Violation) int {
	n := 0
	for _, v := range vs {
		var i int
		if v.Code != "reason" || !strings.HasSuffix(v.Path, "].reason") {
			continue
		}
		if _, err := fmt.Sscanf(v.Path, "unassigned[%d]", &i); err != nil || i < 0 || i >= len(p.Unassigned) {
			continue
		}
		u := &p.Unassigned[i]
		u.Detail = fmt.Sprintf("Left unserved when its day was planned alone (%s there); over the week, the carers' time and hours go to the week's other visits.", u.Reason)
		u.Reason = roster.ReasonCarersBusy
		n++
	}
	return n
}

// fmtNum writes x with prec decimals, or "-" for NaN.
func fmtNum(x float64, prec int) string {
	if math.IsNaN(x) {
		return "-"
	}
	return strconv.FormatFloat(x, 'f', prec, 64)
}

// csvNum writes x for a CSV cell: empty for NaN.
func csvNum(x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	return ff(x)
}

// writeWeekTables writes week.csv and week.md in dir.
func writeWeekTables(dir string, wf *weekFlags, rows []weekRow, peakKnown bool) error {
	records := [][]string{{"seed", "visits_per_day", "carers", "clients", "plan", "visits", "served", "hard_violations", "violations_by_code",
		"median_coc", "clients_le14_calls", "share_le4_carers", "median_spread_min", "widest_spread_min", "carer_weeks", "below_min", "above_max",
		"travel_h", "distance_km", "travel_ratio_week_to_days", "time_s", "first_plan_s", "peak_rss_mib", "iterations", "day_plan_violations", "reasons_restated",
		"time_limit_s", "iterations_budget", "search_seed", "workers", "day_hours"}}
	for _, r := range rows {
		for _, p := range []struct {
			name string
			f    planFigures
			bud  optimiser.Options
		}{{"week", r.week, wf.weekOptions(wf.days)}, {"days", r.days, wf.dayOptions()}} {
			limit := ""
			if p.bud.TimeLimit != iterationsTimeLimit {
				limit = ff(p.bud.TimeLimit.Seconds())
			}
			f := p.f
			records = append(records, []string{strconv.FormatInt(r.seed, 10), strconv.Itoa(r.perDay), strconv.Itoa(r.carers), strconv.Itoa(r.clients),
				p.name, strconv.Itoa(f.visits), strconv.Itoa(f.served), strconv.Itoa(f.violations), f.codes(),
				csvNum(f.medianCOC), strconv.Itoa(f.fewClients), csvNum(f.shareFew()), csvNum(f.medianSpread), ff(f.widestSpread),
				strconv.Itoa(f.carerWeeks), strconv.Itoa(f.belowMin), strconv.Itoa(f.aboveMax),
				ff(float64(f.travelS) / 3600), ff(float64(f.distanceM) / 1000), csvNum(r.travelRatio()),
				ff(f.seconds), ff(f.firstPlanS), ff(f.peakMiB), strconv.Itoa(f.iterations), strconv.Itoa(r.dayFailures), strconv.Itoa(r.restated),
				limit, strconv.Itoa(p.bud.Iterations), strconv.FormatInt(wf.seed, 10), strconv.Itoa(wf.workers), wf.dayHours})
		}
	}
	if err := writeCSV(filepath.Join(dir, "week.csv"), records); err != nil {
		return err
	}

	var b strings.Builder
	fmt.Fprintf(&b, "Command: `%s`. The week is solved with %d times each day's budget, so both take the same total; ", wf.command(false), wf.days)
	fmt.Fprintf(&b, "each day alone is held to the carers' weekly hours by %s and knows the days before it as history. ", map[string]string{
		dayHoursRunning:  "a running total (the week's max_hours and 48 h less what the earlier days planned)",
		dayHoursProRated: "a seventh of the week (roster's pro-rating of a one-day period)"}[wf.dayHours])
	b.WriteString("Day by day is checked against the week's document: its violations are of the rules that span days. ")
	restated := 0
	for _, r := range rows {
		restated += r.restated
	}
	if restated > 0 {
		fmt.Fprintf(&b, "%d unserved visits of the days put together had their reason restated as carers_busy: the day's own caps, which stand for the week's hours, are not in the week's document. ", restated)
	}
	b.WriteString("A day alone is a period of one day, which the contract term (hours short of a minimum or away from a target) does not price: only the week is planned against contracts' minimum and target hours.")
	if !peakKnown {
		b.WriteString(" Peak memory could not be reset between solves: it is the process's peak so far.")
	}
	b.WriteString("\n\n| seed | visits a day | carers | plan | served | hard violations | median COC | ≤4 carers (clients ≤14 calls) | spread median / widest min | below min / above max (carer weeks) | travel h | ratio week:days | time s | peak MiB |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		for _, p := range []struct {
			name string
			f    planFigures
		}{{"week", r.week}, {"day by day", r.days}} {
			f := p.f
			viol := strconv.Itoa(f.violations)
			if f.violations > 0 {
				viol += " (" + f.codes() + ")"
			}
			ratio := ""
			if p.name == "week" {
				ratio = fmtNum(r.travelRatio(), 3)
			}
			fmt.Fprintf(&b, "| %d | %d | %d | %s | %d of %d | %s | %s | %s of %d | %s / %s | %d / %d of %d | %.1f | %s | %.1f | %.0f |\n",
				r.seed, r.perDay, r.carers, p.name, f.served, f.visits, viol, fmtNum(f.medianCOC, 2), pct(f.shareFew()), f.fewClients,
				fmtNum(f.medianSpread, 1), fmtNum(f.widestSpread, 1), f.belowMin, f.aboveMax, f.carerWeeks,
				float64(f.travelS)/3600, ratio, f.seconds, f.peakMiB)
		}
	}
	b.WriteString("\n")
	writeWeekTargets(&b, rows)
	return os.WriteFile(filepath.Join(dir, "week.md"), []byte(b.String()), 0o644)
}

// pct writes a share as a percentage, "-" for NaN.
func pct(x float64) string {
	if math.IsNaN(x) {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", 100*x)
}

// weekTarget is one of issue 11's targets for the week's plan.
type weekTarget struct {
	name  string
	value func(r weekRow, f planFigures) float64
	met   func(x float64) bool
	prec  int
	share bool
}

var weekTargets = []weekTarget{
	{"hard violations: 0", func(_ weekRow, f planFigures) float64 { return float64(f.violations) }, func(x float64) bool { return x == 0 }, 0, false},
	{"median COC at least 0.6", func(_ weekRow, f planFigures) float64 { return f.medianCOC }, func(x float64) bool { return x >= targetMedianCOC }, 2, false},
	{"clients with ≤14 calls at ≤4 carers: at least 90%", func(_ weekRow, f planFigures) float64 { return f.shareFew() }, func(x float64) bool { return x >= targetShareFew }, 0, true},
	{"median call-time spread at most 30 min", func(_ weekRow, f planFigures) float64 { return f.medianSpread }, func(x float64) bool { return x <= targetSpreadMin }, 1, false},
	{"carer weeks outside contract (below min or above max): 0", func(_ weekRow, f planFigures) float64 { return float64(f.belowMin + f.aboveMax) }, func(x float64) bool { return x == 0 }, 0, false},
	{"travel at most 10% above day by day (ratio)", func(r weekRow, _ planFigures) float64 { return r.travelRatio() }, func(x float64) bool { return x <= targetTravelRatio }, 3, false},
}

// writeWeekTargets writes, for each size, the week's figures against the
// targets: the median over the seeds, each plan, and in how many seeds
// the week meets the target.
func writeWeekTargets(b *strings.Builder, rows []weekRow) {
	var sizes []int
	for _, r := range rows {
		if !slices.Contains(sizes, r.perDay) {
			sizes = append(sizes, r.perDay)
		}
	}
	for _, size := range sizes {
		var rs []weekRow
		for _, r := range rows {
			if r.perDay == size {
				rs = append(rs, r)
			}
		}
		fmt.Fprintf(b, "Targets, %d visits a day (median of %d seeds):\n\n| target | week | day by day | week meets it |\n|---|---|---|---|\n", size, len(rs))
		for _, t := range weekTargets {
			var wk, dy []float64
			met := 0
			for _, r := range rs {
				w := t.value(r, r.week)
				wk = append(wk, w)
				dy = append(dy, t.value(r, r.days))
				if !math.IsNaN(w) && t.met(w) {
					met++
				}
			}
			show := func(x float64) string {
				if t.share {
					return pct(x)
				}
				return fmtNum(x, t.prec)
			}
			dayCol := show(medianOf(dy))
			if t.name == weekTargets[len(weekTargets)-1].name {
				dayCol = "1 (the base)"
			}
			fmt.Fprintf(b, "| %s | %s | %s | %d of %d seeds |\n", t.name, show(medianOf(wk)), dayCol, met, len(rs))
		}
		b.WriteString("\n")
	}
}

// printWeekSummary prints a line per size: the medians of both plans.
func printWeekSummary(w io.Writer, rows []weekRow) {
	for _, r := range rows {
		fmt.Fprintf(w, "seed %d, %d visits a day: week served %d/%d, %d violations, median COC %s, spread %s min, travel %.1f h; day by day served %d/%d, %d violations of the week's rules, median COC %s, spread %s min, travel %.1f h; ratio %s\n",
			r.seed, r.perDay, r.week.served, r.week.visits, r.week.violations, fmtNum(r.week.medianCOC, 2), fmtNum(r.week.medianSpread, 1), float64(r.week.travelS)/3600,
			r.days.served, r.days.visits, r.days.violations, fmtNum(r.days.medianCOC, 2), fmtNum(r.days.medianSpread, 1), float64(r.days.travelS)/3600, fmtNum(r.travelRatio(), 3))
	}
}

// scaleRow is one solve of the scale run or of its growth steps.
type scaleRow struct {
	what                         string // "scale", "days" or "visits"
	days, perDay, carers, visits int
	served, violations           int
	seconds, firstPlanS, peakMiB float64
	iterations                   int
	limit                        time.Duration
	iterBudget                   int
}

// secondsPer1000 is the search's time per 1,000 iterations, after its
// first plan.
func (r scaleRow) secondsPer1000() float64 {
	if r.iterations == 0 {
		return math.NaN()
	}
	return 1000 * (r.seconds - r.firstPlanS) / float64(r.iterations)
}

// benchScale runs the scale week under the time limit, then the growth
// steps at a fixed iteration budget: 1, 2, 4 and 7 days at the scale's
// visits a day, and 7 days at half and twice them with carers in
// proportion.
func benchScale(ctx context.Context, wf *weekFlags, dir string, stdout, stderr io.Writer) int {
	perDay := max(1, int(math.Round(float64(wf.scaleVisits)/7)))
	main := scaleStep{what: "scale", days: 7, perDay: perDay, carers: wf.scaleCarers,
		opts: optimiser.Options{Seed: wf.seed, TimeLimit: wf.limit, Iterations: wf.iterations, Workers: wf.workers}}
	steps := []scaleStep{main}
	if wf.growthIterations > 0 {
		g := optimiser.Options{Seed: wf.seed, TimeLimit: iterationsTimeLimit, Iterations: wf.growthIterations, Workers: wf.workers}
		for _, d := range []int{1, 2, 4, 7} {
			steps = append(steps, scaleStep{what: "days", days: d, perDay: perDay, carers: wf.scaleCarers, opts: g})
		}
		for _, f := range []float64{0.5, 2} {
			steps = append(steps, scaleStep{what: "visits", days: 7, perDay: max(1, int(math.Round(f*float64(perDay)))),
				carers: max(2, int(math.Round(f*float64(wf.scaleCarers)))), opts: g})
		}
	}
	var rows []scaleRow
	peakKnown := true
	for i, st := range steps {
		if ctx.Err() != nil {
			break
		}
		in, err := generateWeek(wf, 1, st.perDay, st.carers, st.days)
		if err != nil {
			fmt.Fprintf(stderr, "rounds bench week: %v\n", err)
			return exitUsage
		}
		x, err := roster.Expand(in)
		if err != nil {
			fmt.Fprintf(stderr, "rounds bench week: %v\n", err)
			return exitFailure
		}
		name := fmt.Sprintf("scale-%s-d%d-v%d-c%d", st.what, st.days, st.perDay, st.carers)
		if err := writeJSON(filepath.Join(dir, "instances", name+".json"), in); err != nil {
			fmt.Fprintf(stderr, "rounds bench week: %v\n", err)
			return exitFailure
		}
		fmt.Fprintf(stderr, "[%d/%d] %s: %d days, %d visits, %d carers: solving for %s\n", i+1, len(steps), st.what, st.days, len(x.Instance.Visits), len(in.Carers), wf.describe(st.opts))
		run, err := measuredSolve(ctx, in, st.opts)
		if ctx.Err() != nil {
			break
		}
		if err != nil {
			fmt.Fprintf(stderr, "rounds bench week: %s: %v\n", name, err)
			return exitCodeFor(err)
		}
		peakKnown = peakKnown && run.peakIsSolve
		served := map[string]bool{}
		for _, r := range run.plan.Rounds {
			for _, s := range r.Stops {
				served[s.Visit] = true
			}
		}
		row := scaleRow{what: st.what, days: st.days, perDay: st.perDay, carers: len(in.Carers), visits: len(x.Instance.Visits),
			served: len(served), violations: len(run.violations), seconds: run.seconds, firstPlanS: run.firstPlanS, peakMiB: run.peakMiB,
			iterations: run.iterations, limit: st.opts.TimeLimit, iterBudget: st.opts.Iterations}
		if err := writeJSON(filepath.Join(dir, "plans", name+".json"), run.plan); err != nil {
			fmt.Fprintf(stderr, "rounds bench week: %v\n", err)
			return exitFailure
		}
		fmt.Fprintf(stderr, "[%d/%d] %s: first plan %.1f s, served %d of %d, %d violations, %.1f s, peak %.0f MiB\n",
			i+1, len(steps), st.what, row.firstPlanS, row.served, row.visits, row.violations, row.seconds, row.peakMiB)
		rows = append(rows, row)
	}
	if err := writeScaleTables(dir, wf, rows, peakKnown); err != nil {
		fmt.Fprintf(stderr, "rounds bench week: %v\n", err)
		return exitFailure
	}
	for _, r := range rows {
		fmt.Fprintf(stdout, "%s: %d days, %d visits, %d carers: first plan %.1f s, served %d, %d violations, %.1f s, peak %.0f MiB\n",
			r.what, r.days, r.visits, r.carers, r.firstPlanS, r.served, r.violations, r.seconds, r.peakMiB)
	}
	fmt.Fprintf(stdout, "repeat: %s\n", wf.command(true))
	if len(rows) < len(steps) {
		interruptedBench(stderr, len(rows), len(steps))
		return exitFailure
	}
	for _, r := range rows {
		if r.violations > 0 {
			return exitViolations
		}
	}
	return exitOK
}

// scaleStep is one solve to make for the scale run.
type scaleStep struct {
	what                 string
	days, perDay, carers int
	opts                 optimiser.Options
}

// writeScaleTables writes scale.csv and scale.md in dir.
func writeScaleTables(dir string, wf *weekFlags, rows []scaleRow, peakKnown bool) error {
	records := [][]string{{"run", "days", "visits_per_day", "carers", "visits", "served", "hard_violations", "time_s", "first_plan_s",
		"s_per_1000_iterations", "peak_rss_mib", "iterations", "time_limit_s", "iterations_budget", "search_seed", "workers"}}
	for _, r := range rows {
		limit := ""
		if r.limit != iterationsTimeLimit {
			limit = ff(r.limit.Seconds())
		}
		records = append(records, []string{r.what, strconv.Itoa(r.days), strconv.Itoa(r.perDay), strconv.Itoa(r.carers), strconv.Itoa(r.visits),
			strconv.Itoa(r.served), strconv.Itoa(r.violations), ff(r.seconds), ff(r.firstPlanS), csvNum(r.secondsPer1000()), ff(r.peakMiB),
			strconv.Itoa(r.iterations), limit, strconv.Itoa(r.iterBudget), strconv.FormatInt(wf.seed, 10), strconv.Itoa(wf.workers)})
	}
	if err := writeCSV(filepath.Join(dir, "scale.csv"), records); err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Command: `%s`. Generator seed 1. \"First plan\" is the time from the start of the solve to the search's first complete plan (its first progress report, at most %s late); every plan is checked.", wf.command(true), weekProgressEvery)
	if !peakKnown {
		b.WriteString(" Peak memory could not be reset between solves: it is the process's peak so far.")
	}
	b.WriteString("\n\n| run | days | visits a day | carers | visits | served | hard violations | first plan s | s per 1,000 iterations | time s | peak MiB |\n|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d | %d | %.2f | %s | %.1f | %.0f |\n",
			r.what, r.days, r.perDay, r.carers, r.visits, r.served, r.violations, r.firstPlanS, fmtNum(r.secondsPer1000(), 2), r.seconds, r.peakMiB)
	}
	return os.WriteFile(filepath.Join(dir, "scale.md"), []byte(b.String()), 0o644)
}
