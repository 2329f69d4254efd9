package solomon

import (
	"bufio"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// wantInstances is the number of instances in the Solomon 100-customer set.
const wantInstances = 56

// exactInfeasible lists the instances whose CVRPLIB (DIMACS) solution breaks
// a time window when recomputed with exact distances, as doc.go says.
var exactInfeasible = []string{"R102", "R105", "R107", "R108", "R112", "R211", "RC101", "RC105"}

// dataDir returns the benchmark data directory named by SOLOMON100_DIR, or
// skips the test: it is opt-in, and the unit tests never need the data.
func dataDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("SOLOMON100_DIR")
	if dir == "" {
		t.Skip("opt-in: set SOLOMON100_DIR to the solomon100 benchmark directory (e.g. ../shared/benchdata/solomon100) to check every instance and published solution")
	}
	if _, err := os.Stat(filepath.Join(dir, "bks.csv")); err != nil {
		t.Skipf("%s: benchmark data not present (set SOLOMON100_DIR to the solomon100 directory to run this test)", dir)
	}
	return dir
}

// TestBenchmarkData reads all 56 Solomon instances and checks the CVRPLIB
// best-known solutions in vrplib/ with Evaluate: each must be feasible under
// the DIMACS convention, and its recomputed cost must match its Cost line
// and bks.csv. It also cross-checks each instance against its VRPLIB copy
// and measures the horizons stated in doc.go.
func TestBenchmarkData(t *testing.T) {
	dir := dataDir(t)
	bks, err := ReadBKS(filepath.Join(dir, "bks.csv"))
	if err != nil {
		t.Fatal(err)
	}
	paths, err := filepath.Glob(filepath.Join(dir, "instances", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != wantInstances || len(bks) != wantInstances {
		t.Fatalf("%d instance files and %d bks.csv rows, want %d of each", len(paths), len(bks), wantInstances)
	}
	horizons := make(map[string]float64) // by class
	maxHorizon := 0.0
	var notExact []string
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".txt")
		t.Run(name, func(t *testing.T) {
			in, err := ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if in.Name != name || len(in.Customers) != 101 || in.Vehicles != 25 {
				t.Errorf("%s: name %q, %d nodes, %d vehicles; want %q, 101, 25", path, in.Name, len(in.Customers), in.Vehicles, name)
			}
			for _, c := range in.Customers {
				for _, v := range []float64{c.X, c.Y, c.Ready, c.Due, c.Service} {
					if v != math.Trunc(v) || v < 0 {
						t.Errorf("customer %d: %v is not a non-negative whole number", c.ID, v)
					}
				}
				if c.ID > 0 && c.Due > in.Horizon() {
					t.Errorf("customer %d: due %v after the horizon %v", c.ID, c.Due, in.Horizon())
				}
			}
			class := name[:len(name)-2] // C101 -> C1, RC205 -> RC2
			horizons[class] = max(horizons[class], in.Horizon())
			maxHorizon = max(maxHorizon, in.Horizon())
			compareVRP(t, in, filepath.Join(dir, "vrplib", name+".vrp"))

			b, ok := bks[name]
			if !ok {
				t.Fatalf("no bks.csv row for %s", name)
			}
			s, cost, err := ReadSolFile(filepath.Join(dir, "vrplib", name+".sol"))
			if err != nil {
				t.Fatal(err)
			}
			res, err := Evaluate(in, s, true)
			if err != nil {
				t.Fatal(err)
			}
			if !res.Feasible() {
				t.Errorf("CVRPLIB solution infeasible under DIMACS:\n%s", strings.Join(res.Violations, "\n"))
			}
			if math.Abs(res.Distance-cost) > 0.01 {
				t.Errorf("recomputed DIMACS distance %v, Cost line %v", res.Distance, cost)
			}
			if math.Abs(res.Distance-b.DIMACS.Distance) > 0.01 || res.Vehicles != b.DIMACS.Vehicles {
				t.Errorf("recomputed %d routes, %v; bks.csv dimacs %d, %v", res.Vehicles, res.Distance, b.DIMACS.Vehicles, b.DIMACS.Distance)
			}
			// The DIMACS optimum cannot exceed the hierarchical best (whose
			// exact distances only grow), nor use fewer routes.
			if b.DIMACS.Distance > b.Hierarchical.Distance || b.DIMACS.Vehicles < b.Hierarchical.Vehicles {
				t.Errorf("bks.csv: DIMACS %+v against hierarchical %+v", b.DIMACS, b.Hierarchical)
			}
			exact, err := Evaluate(in, s, false)
			if err != nil {
				t.Fatal(err)
			}
			if !exact.Feasible() {
				notExact = append(notExact, name)
				t.Logf("with exact distances:\n%s", strings.Join(exact.Violations, "\n"))
			}
			t.Logf("DIMACS %d routes %.1f (bks %.1f); same routes with exact distances %.3f, feasible %v",
				res.Vehicles, res.Distance, b.DIMACS.Distance, exact.Distance, exact.Feasible())
		})
	}
	classes := make([]string, 0, len(horizons))
	for c := range horizons {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	var sb strings.Builder
	for _, c := range classes {
		sb.WriteString(" " + c + "=" + strconv.FormatFloat(horizons[c], 'f', -1, 64))
	}
	t.Logf("horizons by class:%s; max %v", sb.String(), maxHorizon)
	if !reflect.DeepEqual(notExact, exactInfeasible) {
		t.Errorf("CVRPLIB solutions infeasible with exact distances: %v, doc.go says %v", notExact, exactInfeasible)
	}
	if maxHorizon != MaxHorizon {
		t.Errorf("max horizon %v, MaxHorizon says %d", maxHorizon, MaxHorizon)
	}
}

// compareVRP checks that the VRPLIB copy of an instance (nodes 1..101, node
// 1 the depot, one SERVICE_TIME for all customers) says the same as the
// Solomon file.
func compareVRP(t *testing.T, in *Instance, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Error(err)
		return
	}
	defer f.Close()
	n := len(in.Customers)
	coords := make([][2]float64, n)
	demand := make([]int, n)
	tw := make([][2]float64, n)
	var vehicles, capacity int
	service := -1.0
	section := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line == "EOF" {
			continue
		}
		if key, val, ok := strings.Cut(line, ":"); ok {
			key, val = strings.TrimSpace(key), strings.TrimSpace(val)
			switch key {
			case "VEHICLES":
				vehicles, _ = strconv.Atoi(val)
			case "CAPACITY":
				capacity, _ = strconv.Atoi(val)
			case "SERVICE_TIME":
				service, _ = strconv.ParseFloat(val, 64)
			}
			continue
		}
		if strings.HasSuffix(line, "_SECTION") {
			section = line
			continue
		}
		fs := strings.Fields(line)
		id, err := strconv.Atoi(fs[0])
		if section == "DEPOT_SECTION" || err != nil {
			continue
		}
		k := id - 1 // VRPLIB ids are Solomon ids + 1
		if k < 0 || k >= n {
			t.Errorf("%s: node %d out of range", path, id)
			continue
		}
		v := make([]float64, len(fs)-1)
		for i := range v {
			v[i], _ = strconv.ParseFloat(fs[i+1], 64)
		}
		switch {
		case section == "NODE_COORD_SECTION" && len(v) == 2:
			coords[k] = [2]float64{v[0], v[1]}
		case section == "DEMAND_SECTION" && len(v) == 1:
			demand[k] = int(v[0])
		case section == "TIME_WINDOW_SECTION" && len(v) == 2:
			tw[k] = [2]float64{v[0], v[1]}
		}
	}
	if err := sc.Err(); err != nil {
		t.Error(err)
	}
	if vehicles != in.Vehicles || capacity != in.Capacity {
		t.Errorf("%s: %d vehicles of capacity %d; Solomon file %d of %d", path, vehicles, capacity, in.Vehicles, in.Capacity)
	}
	for i, c := range in.Customers {
		wantService := service
		if i == 0 {
			wantService = 0
		}
		if coords[i] != [2]float64{c.X, c.Y} || demand[i] != c.Demand || tw[i] != [2]float64{c.Ready, c.Due} || c.Service != wantService {
			t.Errorf("%s: node %d: coords %v demand %d window %v service %v; Solomon file %+v",
				path, i+1, coords[i], demand[i], tw[i], wantService, c)
		}
	}
}
