package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/rounds-dev/rounds/bench/convrp"
	"github.com/rounds-dev/rounds/optimiser"
)

// DefaultTightL is the tight cap on a customer's spread of arrival times
// that `rounds bench convrp` solves the p07 set at, in the instances' units
// (--tight-l): a tenth of the commonest duration limit of the set's routes
// (D = 200 on Christofides 6, 9 and 10), so that a customer is reached
// within a tenth of a working day of the same time on each of its days.
// It is a choice, not a value taken from the literature (no published
// table of ConVRP results could be read when it was made). It is a whole
// number of minutes at every scale Convert picks for the set.
const DefaultTightL = 20

// convrpWeights is the ConVRP objective in rounds' terms: travel alone, as
// the fleet is unlimited, a unit of distance priced as convrpUnitCost
// whatever the conversion's scale (seconds a unit).
func convrpWeights(scale int) optimiser.Weights {
	return optimiser.Weights{Travel: convrpUnitCost / float64(scale)}
}

// convrpUnitCost is the cost of a unit of distance: the cost of two
// minutes' travel in rounds' own weights (DefaultWeights.Travel is 1 a
// second). The search's acceptance of a worse plan (its temperature) is
// in cost, set for home-care days whose legs take minutes; the conversion
// stretches a unit to 41 minutes on the small set (DefaultScale) so that
// rounding to the second is negligible, which left the search unable to
// accept any worse plan and stuck in the first consistent templates it
// built. Pricing a unit as two minutes restores the scale the search was
// set for and changes no comparison between plans.
const convrpUnitCost = 120

// convrpSets are the sets `rounds bench convrp` knows, in the order run.
var convrpSets = []string{"small", "p07"}

// convrpRow is one solve of one instance: at one L, or (free) without
// consistency.
type convrpRow struct {
	name      string
	customers int
	visits    int
	L         float64 // +Inf: no cap
	free      bool    // solved without max_distinct_carers and the spread cap
	distance  float64
	drivers   int
	maxSpread float64
	optimum   float64 // the known optimum; NaN when none is known
	optDriver int
	seconds   float64
	iters     int
	unserved  int
	// violations counts roster.Check's findings; broken counts the
	// ConVRP constraints Evaluate finds broken (for a free solve, those
	// other than one driver a customer and the spread).
	violations, broken int
}

func (r convrpRow) gap() float64 { return 100 * (r.distance - r.optimum) / r.optimum }

func (r convrpRow) ok() bool { return r.violations == 0 && r.broken == 0 && r.unserved == 0 }

// lText writes L for tables and file names.
func lText(L float64) string {
	if math.IsInf(L, 1) {
		return "unlimited"
	}
	return strconv.FormatFloat(L, 'f', -1, 64)
}

// benchConvrp runs the consistent VRP sets: small against its known
// optima at each L the table gives, p07 at L unlimited and at the tight L
// and without consistency, for the price of consistency.
func benchConvrp(ctx context.Context, bf *benchFlags, stdout, stderr io.Writer) int {
	dir := filepath.Join(bf.data, "convrp")
	if _, err := os.Stat(dir); err != nil {
		fmt.Fprintf(stderr, "rounds bench: the ConVRP benchmark is not readable at %s: %v (give --data, the directory holding convrp/)\n", dir, err)
		return exitUsage
	}
	var sets []string
	for _, s := range strings.Split(bf.sets, ",") {
		s = strings.TrimSpace(s)
		if !slices.Contains(convrpSets, s) {
			fmt.Fprintf(stderr, "rounds bench: --set: %q; want small, p07 or both, comma-separated\n", s)
			return exitUsage
		}
		sets = append(sets, s)
	}
	if !(bf.tightL > 0) || math.IsInf(bf.tightL, 0) {
		fmt.Fprintf(stderr, "rounds bench: --tight-l must be a positive number, got %v\n", bf.tightL)
		return exitUsage
	}
	var only []string
	if bf.only != "" {
		for _, n := range strings.Split(bf.only, ",") {
			only = append(only, strings.TrimSpace(n))
		}
	}
	type job struct {
		set   string
		in    *convrp.Instance
		L     float64
		free  bool
		opt   convrp.Optimum
		known bool
	}
	var jobs []job
	seen := map[string]bool{}
	for _, set := range sets {
		ins, err := readConvrpSet(filepath.Join(dir, set))
		if err != nil {
			fmt.Fprintf(stderr, "rounds bench: the ConVRP %s set is not readable: %v\n", set, err)
			return exitUsage
		}
		var optima []convrp.Optimum
		if set == "small" {
			optima, err = convrp.ReadOptimaFile(filepath.Join(dir, "known_optima.csv"))
			if err != nil {
				fmt.Fprintf(stderr, "rounds bench: the ConVRP optima are not readable: %v\n", err)
				return exitUsage
			}
		}
		for _, in := range ins {
			if only != nil && !slices.Contains(only, in.Name) {
				continue
			}
			seen[in.Name] = true
			if set == "small" {
				n := 0
				for _, o := range optima {
					if o.Instance == in.Name {
						jobs = append(jobs, job{set: set, in: in, L: o.L, opt: o, known: true})
						n++
					}
				}
				if n == 0 {
					fmt.Fprintf(stderr, "rounds bench: %s: no known optimum in known_optima.csv\n", in.Name)
					return exitUsage
				}
				continue
			}
			jobs = append(jobs, job{set: set, in: in, L: math.Inf(1)}, job{set: set, in: in, L: bf.tightL},
				job{set: set, in: in, L: math.Inf(1), free: true})
		}
	}
	for _, n := range only {
		if !seen[n] {
			fmt.Fprintf(stderr, "rounds bench: --instances: no instance %q in the sets %s\n", n, strings.Join(sets, ", "))
			return exitUsage
		}
	}
	out := filepath.Join(bf.out, "convrp")
	for _, sub := range []string{"instances", "plans", "solutions"} {
		if err := os.MkdirAll(filepath.Join(out, sub), 0o755); err != nil {
			fmt.Fprintf(stderr, "rounds bench: %v\n", err)
			return exitFailure
		}
	}
	rows := map[string][]convrpRow{}
	code := exitOK
	for i, j := range jobs {
		if ctx.Err() != nil {
			break
		}
		what := "L " + lText(j.L)
		if j.free {
			what = "without consistency"
		}
		fmt.Fprintf(stderr, "[%d/%d] %s %s: solving for %s\n", i+1, len(jobs), j.in.Name, what, bf.budget().describe())
		row, err := convrpOne(ctx, j.in, j.L, j.free, bf.options(), out)
		if ctx.Err() != nil {
			break
		}
		if err != nil {
			fmt.Fprintf(stderr, "rounds bench: %s: %v\n", j.in.Name, err)
			return exitCodeFor(err)
		}
		row.optimum, row.optDriver = math.NaN(), 0
		if j.known {
			row.optimum, row.optDriver = j.opt.Distance, j.opt.Vehicles
		}
		shortOfBudget(stderr, bf.budget(), j.in.Name, row.iters)
		line := fmt.Sprintf("[%d/%d] %s %s: distance %.3f, %d drivers", i+1, len(jobs), j.in.Name, what, row.distance, row.drivers)
		if j.known {
			line += fmt.Sprintf("; optimum %.3f, gap %.3f%%", row.optimum, row.gap())
		}
		fmt.Fprintf(stderr, "%s; %d violations, %d broken, %d unserved\n", line, row.violations, row.broken, row.unserved)
		rows[j.set] = append(rows[j.set], row)
		if !row.ok() {
			code = exitViolations
		}
	}
	done := 0
	for _, set := range sets {
		done += len(rows[set])
		var err error
		if set == "small" {
			err = writeConvrpSmall(out, rows[set], bf.budget())
			printConvrpSmall(stdout, rows[set])
		} else {
			err = writeConvrpP07(out, rows[set], bf.tightL, bf.budget())
			printConvrpP07(stdout, rows[set], bf.tightL)
		}
		if err != nil {
			fmt.Fprintf(stderr, "rounds bench: %v\n", err)
			return exitFailure
		}
	}
	fmt.Fprintf(stdout, "budget: %s\n", bf.budget())
	if done < len(jobs) {
		interruptedBench(stderr, done, len(jobs))
		return exitFailure
	}
	return code
}

// readConvrpSet reads every .vrp file of dir, in the order of the numbers
// in their names (Christofides_2 before Christofides_10).
func readConvrpSet(dir string) ([]*convrp.Instance, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.vrp"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no .vrp files in %s", dir)
	}
	var out []*convrp.Instance
	for _, f := range files {
		in, err := convrp.ReadFile(f)
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	slices.SortFunc(out, func(a, b *convrp.Instance) int { return compareNatural(a.Name, b.Name) })
	return out, nil
}

// compareNatural orders names by their text with runs of digits compared
// as numbers.
func compareNatural(a, b string) int {
	for a != "" && b != "" {
		da, db := digitsPrefix(a), digitsPrefix(b)
		if da > 0 && db > 0 {
			na, _ := strconv.Atoi(a[:da])
			nb, _ := strconv.Atoi(b[:db])
			if c := cmp.Compare(na, nb); c != 0 {
				return c
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return cmp.Compare(a[0], b[0])
		}
		a, b = a[1:], b[1:]
	}
	return cmp.Compare(len(a), len(b))
}

func digitsPrefix(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// convrpOne converts in at cap L (free: without the consistency rules),
// solves, checks, maps the plan back and evaluates it, writing the
// converted instance, the plan and the solution under out.
func convrpOne(ctx context.Context, in *convrp.Instance, L float64, free bool, opts optimiser.Options, out string) (convrpRow, error) {
	row := convrpRow{name: in.Name, customers: len(in.Customers), visits: in.Visits(), L: L, free: free}
	scale := convrp.DefaultScale(in)
	conv, err := convrp.Convert(in, convrp.Config{L: L, Scale: scale})
	if err != nil {
		return row, inputError{err}
	}
	name := in.Name + "-L" + lText(L)
	if free {
		conv.Rules.MaxDistinctCarers, conv.Rules.CallTimeSpreadMaxMin = nil, nil
		name = in.Name + "-free"
	}
	plan, run, err := solveChecked(ctx, conv, convrpWeights(scale), opts, out, name)
	if err != nil {
		return row, err
	}
	row.seconds, row.violations, row.unserved = run.seconds, run.violations, len(plan.Unassigned)
	if plan.Solver != nil {
		row.iters = plan.Solver.Iterations
	}
	sol, err := convrp.Back(in, conv, plan)
	if err != nil {
		return row, err
	}
	res, err := convrp.Evaluate(in, sol, L)
	if err != nil {
		return row, err
	}
	row.distance, row.drivers, row.maxSpread = res.Distance, res.Drivers, res.MaxSpread
	for _, v := range res.Violations {
		if free && (v.Kind == convrp.DriverChange || v.Kind == convrp.Spread) {
			continue
		}
		row.broken++
	}
	sol.Instance = in.Name
	return row, convrp.WriteSolutionFile(filepath.Join(out, "solutions", name+".txt"), sol)
}

// writeConvrpSmall writes convrp-small.csv and convrp-small.md in out.
func writeConvrpSmall(out string, rows []convrpRow, bud budget) error {
	if len(rows) == 0 {
		return nil
	}
	records := [][]string{append([]string{"instance", "L", "distance", "optimum", "gap_pct", "drivers", "optimum_drivers", "max_spread", "time_s", "unserved", "violations", "broken"}, bud.csvHeader()...)}
	for _, r := range rows {
		records = append(records, append([]string{r.name, lText(r.L), ff6(r.distance), ff6(r.optimum), ff(r.gap()), strconv.Itoa(r.drivers), strconv.Itoa(r.optDriver),
			ff(r.maxSpread), ff(r.seconds), strconv.Itoa(r.unserved), strconv.Itoa(r.violations), strconv.Itoa(r.broken)}, bud.csvFields(r.iters)...))
	}
	if err := writeCSV(filepath.Join(out, "convrp-small.csv"), records); err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(bud.markdown("convrp --set small"))
	b.WriteString("| instance | L | distance | optimum | gap % | drivers | time s | checked |\n|---|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s | %.3f | %.3f | %.3f | %d | %.1f | %s |\n", r.name, lText(r.L), r.distance, r.optimum, r.gap(), r.drivers, r.seconds, r.checked())
	}
	return os.WriteFile(filepath.Join(out, "convrp-small.md"), []byte(b.String()), 0o644)
}

// checked is a row's verdict for the Markdown tables.
func (r convrpRow) checked() string {
	if r.ok() {
		return "yes"
	}
	return fmt.Sprintf("NO (%d violations, %d broken, %d unserved)", r.violations, r.broken, r.unserved)
}

func ff6(x float64) string { return strconv.FormatFloat(x, 'f', 6, 64) }

// p07Line is one instance's three solves of the p07 set.
type p07Line struct {
	name             string
	customers        int
	visits           int
	unlimited, tight *convrpRow
	free             *convrpRow
}

// price is the extra distance of r over the free solve, in per cent.
func (l p07Line) price(r *convrpRow) float64 {
	if r == nil || l.free == nil {
		return math.NaN()
	}
	return 100 * (r.distance - l.free.distance) / l.free.distance
}

// p07Lines gathers the rows of each instance, in the order run.
func p07Lines(rows []convrpRow) []p07Line {
	var out []p07Line
	at := map[string]int{}
	for i := range rows {
		r := &rows[i]
		k, ok := at[r.name]
		if !ok {
			k = len(out)
			at[r.name] = k
			out = append(out, p07Line{name: r.name, customers: r.customers, visits: r.visits})
		}
		switch {
		case r.free:
			out[k].free = r
		case math.IsInf(r.L, 1):
			out[k].unlimited = r
		default:
			out[k].tight = r
		}
	}
	return out
}

// writeConvrpP07 writes convrp-p07.csv (a row per solve) and
// convrp-p07.md (a line per instance, with the price of consistency) in
// out.
func writeConvrpP07(out string, rows []convrpRow, tightL float64, bud budget) error {
	if len(rows) == 0 {
		return nil
	}
	records := [][]string{append([]string{"instance", "customers", "visits", "consistency", "L", "distance", "drivers", "max_spread", "time_s", "unserved", "violations", "broken"}, bud.csvHeader()...)}
	for _, r := range rows {
		cons := "yes"
		if r.free {
			cons = "no"
		}
		records = append(records, append([]string{r.name, strconv.Itoa(r.customers), strconv.Itoa(r.visits), cons, lText(r.L), ff6(r.distance), strconv.Itoa(r.drivers),
			ff(r.maxSpread), ff(r.seconds), strconv.Itoa(r.unserved), strconv.Itoa(r.violations), strconv.Itoa(r.broken)}, bud.csvFields(r.iters)...))
	}
	if err := writeCSV(filepath.Join(out, "convrp-p07.csv"), records); err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(bud.markdown(fmt.Sprintf("convrp --set p07 --tight-l %s", lText(tightL))))
	fmt.Fprintf(&b, "| instance | customers | visits | without consistency | L unlimited | price %% | L %s | price %% | checked |\n|---|---|---|---|---|---|---|---|---|\n", lText(tightL))
	dist := func(r *convrpRow) string {
		if r == nil {
			return "-"
		}
		return fmt.Sprintf("%.2f", r.distance)
	}
	pct := func(x float64) string {
		if math.IsNaN(x) {
			return "-"
		}
		return fmt.Sprintf("%.2f", x)
	}
	for _, l := range p07Lines(rows) {
		ok := "yes"
		for _, r := range []*convrpRow{l.free, l.unlimited, l.tight} {
			if r != nil && !r.ok() {
				ok = r.checked()
			}
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %s | %s | %s | %s | %s | %s |\n", l.name, l.customers, l.visits,
			dist(l.free), dist(l.unlimited), pct(l.price(l.unlimited)), dist(l.tight), pct(l.price(l.tight)), ok)
	}
	return os.WriteFile(filepath.Join(out, "convrp-p07.md"), []byte(b.String()), 0o644)
}

// printConvrpSmall writes how many of the small set's optima were reached
// within 0.1% and the worst gap.
func printConvrpSmall(w io.Writer, rows []convrpRow) {
	if len(rows) == 0 {
		return
	}
	reached, worst := 0, rows[0]
	for _, r := range rows {
		if r.ok() && r.gap() <= 0.1 {
			reached++
		}
		if r.gap() > worst.gap() {
			worst = r
		}
	}
	fmt.Fprintf(w, "convrp small: %d of %d optima reached within 0.1%%; worst gap %.3f%% (%s at L %s)\n", reached, len(rows), worst.gap(), worst.name, lText(worst.L))
}

// printConvrpP07 writes the mean price of consistency at each L.
func printConvrpP07(w io.Writer, rows []convrpRow, tightL float64) {
	lines := p07Lines(rows)
	if len(lines) == 0 {
		return
	}
	var sumU, sumT float64
	var nU, nT int
	for _, l := range lines {
		if p := l.price(l.unlimited); !math.IsNaN(p) {
			sumU, nU = sumU+p, nU+1
		}
		if p := l.price(l.tight); !math.IsNaN(p) {
			sumT, nT = sumT+p, nT+1
		}
	}
	mean := func(s float64, n int) string {
		if n == 0 {
			return "-"
		}
		return fmt.Sprintf("%.2f%%", s/float64(n))
	}
	fmt.Fprintf(w, "convrp p07: %d instances; mean price of consistency %s at L unlimited, %s at L %s\n", len(lines), mean(sumU, nU), mean(sumT, nT), lText(tightL))
}
