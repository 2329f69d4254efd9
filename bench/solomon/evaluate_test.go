package solomon

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestEvaluate(t *testing.T) {
	sqrt := math.Sqrt
	tests := []struct {
		name   string
		mod    func(*Instance) // changes to tiny.txt, if any
		routes [][]int
		// Violations under each convention; nil means feasible.
		wantExact, wantDIMACS []string
		vehicles              int
		// Distances under each convention, checked when non-zero.
		distExact, distDIMACS float64
	}{
		{
			name:     "feasible",
			routes:   [][]int{{1, 2}, {3, 4}},
			vehicles: 2, distExact: 20 + sqrt(2) + sqrt(5) + sqrt(13), distDIMACS: 27.2,
		},
		{
			name:     "empty route ignored",
			routes:   [][]int{{}, {1, 2}, nil, {3, 4}},
			vehicles: 2, distExact: 20 + sqrt(2) + sqrt(5) + sqrt(13), distDIMACS: 27.2,
		},
		{
			name:       "over capacity",
			routes:     [][]int{{3, 1, 2, 4}},
			wantExact:  []string{"route #1: load 30 exceeds the capacity 20"},
			wantDIMACS: []string{"route #1: load 30 exceeds the capacity 20"},
			vehicles:   1, distExact: sqrt(2) + 2*sqrt(13) + 5 + sqrt(41), distDIMACS: 20,
		},
		{
			name:       "late at a customer",
			routes:     [][]int{{2, 1}, {3, 4}},
			wantExact:  []string{"route #1: service at customer 1 starts at 22, after its due time 20"},
			wantDIMACS: []string{"route #1: service at customer 1 starts at 22, after its due time 20"},
			vehicles:   2,
		},
		{
			name:     "waiting is allowed",
			mod:      func(in *Instance) { in.Customers[1].Ready = 18 },
			routes:   [][]int{{1, 2}, {3, 4}},
			vehicles: 2, distDIMACS: 27.2,
		},
		{
			name:     "service may end after the due time",
			mod:      func(in *Instance) { in.Customers[1].Due = 5 },
			routes:   [][]int{{1, 2}, {3, 4}},
			vehicles: 2, distDIMACS: 27.2,
		},
		{
			name:       "customer missing",
			routes:     [][]int{{1, 2}, {3}},
			wantExact:  []string{"1 customers not visited: 4"},
			wantDIMACS: []string{"1 customers not visited: 4"},
			vehicles:   2,
		},
		{
			name:       "no routes",
			routes:     nil,
			wantExact:  []string{"4 customers not visited: 1 2 3 4"},
			wantDIMACS: []string{"4 customers not visited: 1 2 3 4"},
		},
		{
			name:       "customer twice",
			routes:     [][]int{{1, 2}, {3, 4, 1}},
			wantExact:  []string{"customer 1 is visited more than once (routes #1 and #2)"},
			wantDIMACS: []string{"customer 1 is visited more than once (routes #1 and #2)"},
			vehicles:   2,
		},
		{
			name:       "not a customer",
			routes:     [][]int{{1, 2, 9}, {3, 4}},
			wantExact:  []string{"route #1, stop 3: 9 is not a customer (customers are 1..4)"},
			wantDIMACS: []string{"route #1, stop 3: 9 is not a customer (customers are 1..4)"},
			vehicles:   2, distDIMACS: 27.2,
		},
		{
			name:       "depot inside a route",
			routes:     [][]int{{1, 0, 2}, {3, 4}},
			wantExact:  []string{"route #1, stop 2: 0 is not a customer (customers are 1..4)"},
			wantDIMACS: []string{"route #1, stop 2: 0 is not a customer (customers are 1..4)"},
			vehicles:   2,
		},
		{
			name:       "more routes than vehicles",
			routes:     [][]int{{1}, {2}, {3, 4}},
			wantExact:  []string{"3 routes, more than the 2 vehicles of the fleet"},
			wantDIMACS: []string{"3 routes, more than the 2 vehicles of the fleet"},
			vehicles:   3, distExact: 30 + sqrt(2) + sqrt(5) + sqrt(13), distDIMACS: 37.2,
		},
		{
			name:       "late back at the depot",
			mod:        func(in *Instance) { in.Customers[0].Due = 20 },
			routes:     [][]int{{1, 2}, {3, 4}},
			wantExact:  []string{"route #1: back at the depot at 27, after its due time 20"},
			wantDIMACS: []string{"route #1: back at the depot at 27, after its due time 20"},
			vehicles:   2,
		},
		{
			name:      "feasible only with truncated distances",
			mod:       func(in *Instance) { in.Customers[3].Due = 1.4 },
			routes:    [][]int{{1, 2}, {3, 4}},
			wantExact: []string{"route #2: service at customer 3 starts at 1.414213562, after its due time 1.4"},
			vehicles:  2, distDIMACS: 27.2,
		},
		{
			name:   "several violations in order",
			mod:    func(in *Instance) { in.Capacity = 15 },
			routes: [][]int{{2, 1, 7}, {3}, {3}},
			wantExact: []string{
				"route #1: service at customer 1 starts at 22, after its due time 20",
				"route #1, stop 3: 7 is not a customer (customers are 1..4)",
				"route #1: load 20 exceeds the capacity 15",
				"customer 3 is visited more than once (routes #2 and #3)",
				"1 customers not visited: 4",
				"3 routes, more than the 2 vehicles of the fleet",
			},
			wantDIMACS: []string{
				"route #1: service at customer 1 starts at 22, after its due time 20",
				"route #1, stop 3: 7 is not a customer (customers are 1..4)",
				"route #1: load 20 exceeds the capacity 15",
				"customer 3 is visited more than once (routes #2 and #3)",
				"1 customers not visited: 4",
				"3 routes, more than the 2 vehicles of the fleet",
			},
			vehicles: 3, distExact: 20 + 4*sqrt(2), distDIMACS: 25.6,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := readTiny(t)
			if tc.mod != nil {
				tc.mod(in)
			}
			for _, c := range []struct {
				dimacs bool
				want   []string
				dist   float64
			}{{false, tc.wantExact, tc.distExact}, {true, tc.wantDIMACS, tc.distDIMACS}} {
				res, err := Evaluate(in, Solution{Routes: tc.routes}, c.dimacs)
				if err != nil {
					t.Fatalf("Evaluate(dimacs=%v): %v", c.dimacs, err)
				}
				if !reflect.DeepEqual(res.Violations, c.want) {
					t.Errorf("dimacs=%v: violations\n%s\nwant\n%s", c.dimacs, strings.Join(res.Violations, "\n"), strings.Join(c.want, "\n"))
				}
				if res.Feasible() != (c.want == nil) {
					t.Errorf("dimacs=%v: Feasible() = %v", c.dimacs, res.Feasible())
				}
				if res.Vehicles != tc.vehicles {
					t.Errorf("dimacs=%v: Vehicles = %d, want %d", c.dimacs, res.Vehicles, tc.vehicles)
				}
				// Under DIMACS the distance is summed in tenths, so it must
				// be the float64 nearest the one-decimal value exactly.
				if c.dimacs && c.dist != 0 && res.Distance != c.dist {
					t.Errorf("dimacs=%v: Distance = %v, want exactly %v", c.dimacs, res.Distance, c.dist)
				}
				if !c.dimacs && c.dist != 0 && math.Abs(res.Distance-c.dist) > 1e-9 {
					t.Errorf("dimacs=%v: Distance = %v, want %v", c.dimacs, res.Distance, c.dist)
				}
			}
		})
	}
}

func TestEvaluateBadInstance(t *testing.T) {
	swapped := tinyWant()
	swapped.Customers[1], swapped.Customers[2] = swapped.Customers[2], swapped.Customers[1]
	tests := []struct {
		name string
		in   *Instance
		want string
	}{
		{"nil", nil, "solomon: evaluate: the instance has no depot"},
		{"no customers", &Instance{Name: "E"}, "solomon: evaluate: the instance has no depot"},
		{"ids out of place", swapped, "solomon: evaluate: TINY4: Customers[1] has id 2, want 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Evaluate(tc.in, Solution{Routes: [][]int{{1}}}, false)
			if err == nil || err.Error() != tc.want {
				t.Errorf("Evaluate error = %v, want %q", err, tc.want)
			}
		})
	}
}
