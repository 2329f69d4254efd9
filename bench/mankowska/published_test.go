package mankowska_test

import (
	"math"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/rounds-dev/rounds/bench/mankowska"
)

// costTolerance is the largest difference accepted between Evaluate's cost
// of a published solution and the cost in bks.csv. The published times are
// rounded to 3 decimals and bks.csv gives costs to 3 decimals (sets A–E) or
// 6 significant digits (sets F and G), so a difference of up to about 0.005
// is rounding alone.
const costTolerance = 0.01

// dataDir returns the published data's directory, or skips t when it is
// not there.
func dataDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("MANKOWSKA_DATA")
	if dir == "" {
		t.Skip("opt-in: set MANKOWSKA_DATA to the hhc_mankowska2014 benchmark directory (e.g. ../shared/benchdata/hhc_mankowska2014) to check every instance and published solution")
	}
	if _, err := os.Stat(filepath.Join(dir, "bks.csv")); err != nil {
		t.Skipf("published Mankowska data not available (%v); set MANKOWSKA_DATA to the directory holding bks.csv, instances/ and solutions_ceschia2024/ to run this test", err)
	}
	return dir
}

// sortedLabels returns the labels of m in set and number order.
func sortedLabels(m map[string]mankowska.BKS) []string {
	labels := make([]string, 0, len(m))
	for l := range m {
		labels = append(labels, l)
	}
	sort.Slice(labels, func(i, j int) bool {
		a, b := labels[i], labels[j]
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		return len(a) < len(b) || len(a) == len(b) && a < b
	})
	return labels
}

// TestPublishedSolutions evaluates the Ceschia et al. (2024) solution of
// every instance and compares it with bks.csv.
func TestPublishedSolutions(t *testing.T) {
	dir := dataDir(t)
	bks, err := mankowska.ReadBKS(filepath.Join(dir, "bks.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(bks) != 70 {
		t.Errorf("bks.csv has %d rows, want 70", len(bks))
	}
	var worst struct {
		cost, travel, total, maxT float64
		costAt                    string
	}
	lateReturns, routes := 0, 0
	latestReturn, latestStart := 0.0, 0.0
	for _, label := range sortedLabels(bks) {
		b := bks[label]
		t.Run(label, func(t *testing.T) {
			in, err := mankowska.ReadFile(filepath.Join(dir, b.File))
			if err != nil {
				t.Fatal(err)
			}
			if len(in.Patients) != b.Patients || len(in.Caregivers) != b.Caregivers || in.NumServices != b.Services {
				t.Errorf("size %d patients, %d caregivers, %d services; bks.csv says %d, %d, %d",
					len(in.Patients), len(in.Caregivers), in.NumServices, b.Patients, b.Caregivers, b.Services)
			}
			var sim, seq int
			for _, p := range in.Patients {
				switch p.Kind {
				case mankowska.Simultaneous:
					sim++
				case mankowska.Sequential:
					seq++
				}
			}
			if sim != b.Simultaneous || seq != b.Precedence || sim+seq != b.DoubleService {
				t.Errorf("%d simultaneous and %d sequential patients; bks.csv says %d and %d of %d", sim, seq, b.Simultaneous, b.Precedence, b.DoubleService)
			}
			sol, err := mankowska.ReadSolutionFile(filepath.Join(dir, b.Ceschia2024Solution))
			if err != nil {
				t.Fatal(err)
			}
			res, err := mankowska.Evaluate(in, sol)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range res.Violations {
				t.Errorf("violation: %s", v)
			}
			d := math.Abs(res.Cost - b.Ceschia2024Cost)
			if d > costTolerance {
				t.Errorf("cost %.4f, bks.csv ceschia2024_cost %.3f (difference %.4f > %g)", res.Cost, b.Ceschia2024Cost, d, costTolerance)
			}
			if d > worst.cost {
				worst.cost, worst.costAt = d, label
			}
			worst.travel = max(worst.travel, math.Abs(res.Travel-b.Ceschia2024Travel))
			worst.total = max(worst.total, math.Abs(res.TotalTardiness-b.Ceschia2024TotalTardiness))
			worst.maxT = max(worst.maxT, math.Abs(res.MaxTardiness-b.Ceschia2024MaxTardiness))
			latestReturn = max(latestReturn, res.LatestReturn)
			for _, r := range sol.Routes {
				if len(r.Locations) == 0 {
					continue
				}
				routes++
				last := r.Locations[len(r.Locations)-1]
				node, _ := mankowska.ParsePatientID(last.Patient)
				if last.DepartureTime+in.Travel[node][in.EndNode()] > in.Depot.End.Latest+mankowska.Tolerance {
					lateReturns++
				}
				for _, v := range r.Locations {
					latestStart = max(latestStart, v.ArrivalTime)
				}
			}
		})
	}
	t.Logf("largest differences from bks.csv: cost %.4f (%s), travel %.4f, total tardiness %.4f, max tardiness %.4f",
		worst.cost, worst.costAt, worst.travel, worst.total, worst.maxT)
	t.Logf("%d of %d routes return after the depot's latest end; latest return %.3f, latest service start %.3f",
		lateReturns, routes, latestReturn, latestStart)
}

// TestPublishedInstanceFacts checks, over all 70 instances, the facts the
// package documentation states for integrators.
func TestPublishedInstanceFacts(t *testing.T) {
	if testing.Short() {
		t.Skip("the triangle check over all 70 instances is slow under -race; run without -short")
	}
	dir := dataDir(t)
	files, err := filepath.Glob(filepath.Join(dir, "instances", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 70 {
		t.Errorf("%d instance files, want 70", len(files))
	}
	var (
		horizon, maxPatientLatest, maxDist, maxEuclid, maxAsym, maxTri float64
		maxTriSeconds, maxTriCeil, triViolations, colocated            int
		minProc, maxProc                                               = math.Inf(1), 0.0
		fractional                                                     int
	)
	for _, f := range files {
		in, err := mankowska.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		horizon = max(horizon, in.Horizon())
		n := in.NumNodes()
		xy := func(i int) (float64, float64) {
			switch {
			case i == 0 || i == n-1:
				return in.Depot.X, in.Depot.Y
			default:
				return in.Patients[i-1].X, in.Patients[i-1].Y
			}
		}
		if in.Depot.Start != (mankowska.Window{Earliest: 0, Latest: 600}) {
			t.Errorf("%s: depot start window %v, want [0, 600]", in.Name, in.Depot.Start)
		}
		for _, p := range in.Patients {
			maxPatientLatest = max(maxPatientLatest, p.Window.Latest)
			if w := p.Window.Latest - p.Window.Earliest; w != 120 {
				t.Errorf("%s: p%d: window %g wide, the documentation says 120", in.Name, p.Node, w)
			}
			if p.X != math.Trunc(p.X) || p.Y != math.Trunc(p.Y) || min(p.X, p.Y) < 0 || max(p.X, p.Y) > 99 {
				t.Errorf("%s: p%d: coordinates (%g, %g), the documentation says integers from 0 to 99", in.Name, p.Node, p.X, p.Y)
			}
			for _, w := range []float64{p.Window.Earliest, p.Window.Latest, p.MinGap, p.MaxGap} {
				if w != math.Trunc(w) {
					fractional++
				}
			}
			for _, r := range p.Services {
				for _, d := range r.Duration {
					minProc, maxProc = min(minProc, d), max(maxProc, d)
					if d != r.Duration[0] {
						t.Errorf("%s: p%d %s: processing time depends on the caregiver", in.Name, p.Node, mankowska.ServiceID(r.Service))
					}
					if d != math.Trunc(d) {
						fractional++
					}
				}
			}
		}
		sec := make([][]int, n)
		ceil := make([][]int, n)
		for i := range n {
			xi, yi := xy(i)
			sec[i] = make([]int, n)
			ceil[i] = make([]int, n)
			for j := range n {
				d := in.Travel[i][j]
				xj, yj := xy(j)
				maxDist = max(maxDist, d)
				if d == 0 && i < j && !(i == 0 && j == n-1) {
					colocated++
				}
				maxEuclid = max(maxEuclid, math.Abs(d-math.Hypot(xi-xj, yi-yj)))
				maxAsym = max(maxAsym, math.Abs(d-in.Travel[j][i]))
				sec[i][j] = int(math.Round(60 * d))
				ceil[i][j] = int(math.Ceil(60 * d))
			}
			if in.Travel[i][i] != 0 {
				t.Errorf("%s: node %d: distance to itself %g", in.Name, i, in.Travel[i][i])
			}
			if in.Travel[0][i] != in.Travel[n-1][i] || in.Travel[i][0] != in.Travel[i][n-1] {
				t.Errorf("%s: node %d: the depot's start and end rows differ", in.Name, i)
			}
		}
		for k := range n {
			dk, sk, ck := in.Travel[k], sec[k], ceil[k]
			for i := range n {
				dik, sik, cik := in.Travel[i][k], sec[i][k], ceil[i][k]
				di, si, ci := in.Travel[i], sec[i], ceil[i]
				for j := range n {
					if x := di[j] - dik - dk[j]; x > 0 {
						maxTri = max(maxTri, x)
						triViolations++
					}
					maxTriSeconds = max(maxTriSeconds, si[j]-sik-sk[j])
					maxTriCeil = max(maxTriCeil, ci[j]-cik-ck[j])
				}
			}
		}
	}
	t.Logf("horizon %g (largest patient latest start %g); largest distance %.3f; %d pairs of distinct nodes at distance 0", horizon, maxPatientLatest, maxDist, colocated)
	t.Logf("matrix: largest |d - euclidean| %.3g, largest asymmetry %.3g, largest triangle excess %.3g in %d triples (%d s after rounding 60·d to whole seconds, %d s rounding up)",
		maxEuclid, maxAsym, maxTri, triViolations, maxTriSeconds, maxTriCeil)
	t.Logf("processing times from %g to %g; %d fractional window, gap or processing values", minProc, maxProc, fractional)

	if minProc != 10 || maxProc != 19 || fractional != 0 {
		t.Errorf("processing times from %g to %g and %d fractional values; the documentation says integers from 10 to 19", minProc, maxProc, fractional)
	}
	if horizon != 1000 || maxPatientLatest != 599 {
		t.Errorf("horizon %g and largest patient latest start %g, the documentation says 1000 and 599", horizon, maxPatientLatest)
	}
	if maxAsym != 0 {
		t.Errorf("largest asymmetry %g, the documentation says the matrices are symmetric", maxAsym)
	}
	if maxTri > 2e-5 || maxTriCeil > 0 {
		t.Errorf("triangle inequality broken by %g (%d s with distances rounded up to seconds), the documentation says by at most 1e-5 and never once rounded up", maxTri, maxTriCeil)
	}
	if maxEuclid > 1e-5 {
		t.Errorf("distances differ from the Euclidean distance by up to %g", maxEuclid)
	}
}
