package convrp

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// dataDir returns the ConVRP data directory named by CONVRP_DATA, or skips
// the test: it is opt-in, and the unit tests never need the data.
func dataDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("CONVRP_DATA")
	if dir == "" {
		t.Skip("opt-in: set CONVRP_DATA to the convrp benchmark directory (e.g. ../shared/benchdata/convrp) to read every instance and known_optima.csv")
	}
	if _, err := os.Stat(filepath.Join(dir, "known_optima.csv")); err != nil {
		t.Skipf("%s: ConVRP data not present (set CONVRP_DATA to the directory holding known_optima.csv, small/ and p07/ to run this test)", dir)
	}
	return dir
}

// neverVisited gives the files with customers that need no visit on any
// day, as PROVENANCE.md lists them, and how many.
var neverVisited = map[string]int{
	"Christofides_4_5_0.7.vrp": 1, "Christofides_5_5_0.7.vrp": 1, "Christofides_6_5_0.7.vrp": 1,
	"Christofides_10_5_0.7.vrp": 1, "Christofides_11_5_0.7.vrp": 1,
}

// TestBenchmarkData reads every instance of small/ and p07/ and checks the
// facts PROVENANCE.md states about them.
func TestBenchmarkData(t *testing.T) {
	dir := dataDir(t)
	for _, set := range []struct {
		glob                string
		files, days         int
		capacities          []float64
		minCustomers, maxCu int
	}{
		{"small/*.vrp", 10, 3, []float64{15}, 10, 12},
		{"p07/*.vrp", 12, 5, []float64{140, 160, 200}, 50, 199},
	} {
		paths, err := filepath.Glob(filepath.Join(dir, set.glob))
		if err != nil {
			t.Fatal(err)
		}
		if len(paths) != set.files {
			t.Errorf("%s: %d files, want %d", set.glob, len(paths), set.files)
		}
		for _, path := range paths {
			t.Run(filepath.Base(path), func(t *testing.T) {
				in, err := ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				n := len(in.Customers)
				if in.Days != set.days || n < set.minCustomers || n > set.maxCu {
					t.Errorf("%d days, %d customers; want %d days, %d to %d customers", in.Days, n, set.days, set.minCustomers, set.maxCu)
				}
				okQ := false
				for _, q := range set.capacities {
					okQ = okQ || in.Capacity == q
				}
				if !okQ {
					t.Errorf("capacity %v, want one of %v", in.Capacity, set.capacities)
				}
				if in.Depot != (Point{}) {
					t.Errorf("depot at %v, want the origin", in.Depot)
				}
				if in.Visits() == 0 {
					t.Error("no visits")
				}
				never := 0
				for _, c := range in.Customers {
					if len(c.Days()) == 0 {
						never++
					}
				}
				if want := neverVisited[filepath.Base(path)]; never != want {
					t.Errorf("%d customers never visited, want %d (PROVENANCE.md)", never, want)
				}
				t.Logf("%d customers, %d visits, Q %v, D %v (limited %v)", n, in.Visits(), in.Capacity, in.MaxDuration, in.DurationLimited())
			})
		}
	}
}

// TestKnownOptima reads known_optima.csv and checks that every instance it
// names exists in small/. For L unlimited it solves each instance with the
// exact oracle and requires the oracle's solution, evaluated by Evaluate
// with exact unrounded Euclidean distances, to be feasible and to equal the
// listed optimum to its six decimals, with the listed number of vehicles:
// this is what fixes the distance convention in the package documentation.
// For L = 5 and 2 the listed optimum must be no less than the unlimited one.
func TestKnownOptima(t *testing.T) {
	dir := dataDir(t)
	opts, err := ReadOptimaFile(filepath.Join(dir, "known_optima.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(opts) != 30 {
		t.Errorf("%d optima, want 30 (10 instances at 3 values of L)", len(opts))
	}
	unlimited := map[string]float64{}
	for _, o := range opts {
		if math.IsInf(o.L, 1) {
			unlimited[o.Instance] = o.Distance
		}
	}
	for _, o := range opts {
		if u, ok := unlimited[o.Instance]; !ok || o.Distance < u-Tolerance {
			t.Errorf("%s: optimum at L = %v is %v, below the unlimited %v", o.Instance, o.L, o.Distance, u)
		}
		t.Run(fmt.Sprintf("%s/L=%v", o.Instance, o.L), func(t *testing.T) {
			in, err := ReadFile(filepath.Join(dir, "small", o.Instance+".vrp"))
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			var sol *Solution
			if math.IsInf(o.L, 1) {
				sol = exactOptimum(in)
			} else {
				sol = exactOptimumL(in, o.L)
			}
			if sol == nil {
				t.Fatal("the oracle found no solution")
			}
			res, err := Evaluate(in, sol, o.L)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%.6f with %d drivers, max spread %.3f, in %v", res.Distance, res.Drivers, res.MaxSpread, time.Since(start).Round(time.Millisecond))
			if !res.Feasible() {
				t.Errorf("oracle's solution infeasible: %v", res.Violations)
			}
			if math.Abs(res.Distance-o.Distance) > 5e-7 {
				t.Errorf("exact optimum %.6f, known_optima.csv says %.6f", res.Distance, o.Distance)
			}
			if res.Drivers != o.Vehicles {
				t.Errorf("%d drivers, known_optima.csv says %d", res.Drivers, o.Vehicles)
			}
		})
	}
}
