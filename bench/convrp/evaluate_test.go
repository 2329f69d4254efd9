package convrp

import (
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// tinySolution returns the hand-made feasible (not optimal) solution of
// testdata/tiny.sol:
//
//	day 1: driver 1: 0→1→2→0 = 5+4+3 = 12, driver 2: 0→4→0 = 4+4 = 8
//	day 2: driver 1: 0→1→3→0 = 5+3+4 = 12
//	day 3: driver 1: 0→1→3→2→0 = 5+3+5+3 = 16
//
// 48 in all. Arrivals, no waiting, one unit of service except customer 2 on
// day 3 (two): customer 1 at 5 every day; customer 2 at 5+1+4 = 10 on day 1
// and 5+1+3+1+5 = 15 on day 3 (spread 5); customer 3 at 9 on days 2 and 3;
// customer 4 at 4. Day 3 loads 2+4+3 = 9 of 10 and takes 16+1+1+2 = 20 of 30.
func tinySolution() *Solution {
	return &Solution{Instance: "tiny", Routes: []Route{
		{Day: 0, Driver: 1, Customers: []int{1, 2}},
		{Day: 0, Driver: 2, Customers: []int{4}},
		{Day: 1, Driver: 1, Customers: []int{1, 3}},
		{Day: 2, Driver: 1, Customers: []int{1, 3, 2}},
	}}
}

func TestEvaluateFeasible(t *testing.T) {
	in := readTiny(t)
	res, err := Evaluate(in, tinySolution(), 5)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Feasible() {
		t.Errorf("violations %v, want none", res.Violations)
	}
	if res.Distance != 48 || !reflect.DeepEqual(res.DayDistance, []float64{20, 12, 16}) {
		t.Errorf("distance %v by day %v, want 48 by day [20 12 16]", res.Distance, res.DayDistance)
	}
	if res.Routes != 4 || res.Drivers != 2 {
		t.Errorf("%d routes, %d drivers, want 4 and 2", res.Routes, res.Drivers)
	}
	nan := math.NaN()
	want := [][]float64{{5, 5, 5}, {10, nan, 15}, {nan, 9, 9}, {4, nan, nan}}
	for c := range want {
		for d := range want[c] {
			g, w := res.Arrival[c][d], want[c][d]
			if g != w && !(math.IsNaN(g) && math.IsNaN(w)) {
				t.Errorf("arrival of customer %d on day %d = %v, want %v", c+1, d+1, g, w)
			}
		}
	}
	if res.MaxSpread != 5 {
		t.Errorf("max spread %v, want 5", res.MaxSpread)
	}
}

func TestEvaluateViolations(t *testing.T) {
	for _, tc := range []struct {
		name     string
		change   func(in *Instance, s *Solution)
		L        float64
		want     []Violation
		distance float64
	}{
		{
			name: "missed visit",
			change: func(_ *Instance, s *Solution) {
				s.Routes = slices.Delete(s.Routes, 1, 2) // driver 2, customer 4 on day 1
			},
			L: math.Inf(1), distance: 40,
			want: []Violation{{Kind: Missed, Day: 0, Customer: 4, Reason: "day 1: customer 4 is not served"}},
		},
		{
			name:   "visit on a day without need",
			change: func(_ *Instance, s *Solution) { s.Routes[2].Customers = []int{1, 3, 4} },
			L:      math.Inf(1), distance: 5 + 3 + 8 + 4 + 20 + 16,
			want: []Violation{
				{Kind: Unasked, Day: 1, Customer: 4, Reason: "day 2: customer 4 is served but needs no visit that day"},
				{Kind: DriverChange, Day: -1, Customer: 4, Reason: "customer 4 is served by drivers [1 2], want one"},
			},
		},
		{
			name:   "served twice on a day",
			change: func(_ *Instance, s *Solution) { s.Routes[2].Customers = []int{1, 3, 1} },
			L:      math.Inf(1), distance: 5 + 3 + 3 + 5 + 20 + 16,
			want: []Violation{{Kind: Repeated, Day: 1, Customer: 1, Reason: "day 2: customer 1 is served 2 times"}},
		},
		{
			name:   "capacity",
			change: func(in *Instance, _ *Solution) { in.Capacity = 8 },
			L:      math.Inf(1), distance: 48,
			want: []Violation{{Kind: Capacity, Day: 2, Driver: 1, Reason: "day 3, driver 1: load 9 exceeds the capacity 8"}},
		},
		{
			name:   "duration counts service",
			change: func(in *Instance, _ *Solution) { in.MaxDuration = 19.5 },
			L:      math.Inf(1), distance: 48,
			want: []Violation{{Kind: Duration, Day: 2, Driver: 1, Reason: "day 3, driver 1: duration 20.000000 (travel 16.000000 + service 4) exceeds D = 19.5"}},
		},
		{
			name:   "duration met exactly",
			change: func(in *Instance, _ *Solution) { in.MaxDuration = 20 },
			L:      math.Inf(1), distance: 48,
		},
		{
			name: "different drivers",
			change: func(_ *Instance, s *Solution) {
				s.Routes[2].Driver = 2 // customers 1 and 3 on day 2
			},
			L: math.Inf(1), distance: 48,
			want: []Violation{
				{Kind: DriverChange, Day: -1, Customer: 1, Reason: "customer 1 is served by drivers [1 2], want one"},
				{Kind: DriverChange, Day: -1, Customer: 3, Reason: "customer 3 is served by drivers [1 2], want one"},
			},
		},
		{
			name:   "two routes for a driver on a day",
			change: func(_ *Instance, s *Solution) { s.Routes[1].Driver = 1 },
			L:      math.Inf(1), distance: 48,
			want: []Violation{{Kind: TwoRoutes, Day: 0, Driver: 1, Reason: "day 1: driver 1 has two routes (routes[0] and routes[1])"}},
		},
		{
			name:   "spread above L",
			change: func(*Instance, *Solution) {},
			L:      4.5, distance: 48,
			want: []Violation{{Kind: Spread, Day: -1, Customer: 2, Reason: "customer 2: arrivals spread 5.000000 (day 1 at 10.000000, day 3 at 15.000000), more than L = 4.5"}},
		},
		{
			// Visiting customer 2 first on day 3 would arrive at 3, a spread
			// of 7 against day 1's 10; a vehicle that could wait 7 before
			// leaving would close it, but ConVRP allows no waiting.
			name:   "spread with no waiting",
			change: func(_ *Instance, s *Solution) { s.Routes[3].Customers = []int{2, 1, 3} },
			L:      5, distance: 20 + 12 + 3 + 4 + 3 + 4,
			want: []Violation{{Kind: Spread, Day: -1, Customer: 2, Reason: "customer 2: arrivals spread 7.000000 (day 3 at 3.000000, day 1 at 10.000000), more than L = 5"}},
		},
		{
			name:   "empty route is idle",
			change: func(_ *Instance, s *Solution) { s.Routes = append(s.Routes, Route{Day: 1, Driver: 3}) },
			L:      5, distance: 48,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := readTiny(t)
			s := tinySolution()
			tc.change(in, s)
			res, err := Evaluate(in, s, tc.L)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(res.Violations, tc.want) {
				t.Errorf("violations\n%+v\nwant\n%+v", res.Violations, tc.want)
			}
			if math.Abs(res.Distance-tc.distance) > 1e-12 {
				t.Errorf("distance %v, want %v", res.Distance, tc.distance)
			}
			if res.Feasible() != (len(tc.want) == 0) {
				t.Errorf("Feasible() = %v with %d violations", res.Feasible(), len(tc.want))
			}
		})
	}
}

func TestEvaluateErrors(t *testing.T) {
	in := readTiny(t)
	short := readTiny(t)
	short.Customers[1].Service = short.Customers[1].Service[:2]
	for _, tc := range []struct {
		name string
		in   *Instance
		s    *Solution
		L    float64
		want string
	}{
		{"service times missing", short, tinySolution(), 1, "customers[1] has ID 2 and 3 demands and 2 service times"},
		{"nil solution", in, nil, 1, "nil instance or solution"},
		{"negative L", in, tinySolution(), -1, "L = -1"},
		{"NaN L", in, tinySolution(), math.NaN(), "L = NaN"},
		{"day outside", in, &Solution{Routes: []Route{{Day: 3, Driver: 1, Customers: []int{1}}}}, 1, "routes[0]: day index 3, but instance tiny has days 0 to 2"},
		{"driver zero", in, &Solution{Routes: []Route{{Day: 0, Driver: 0}}}, 1, "routes[0]: driver 0"},
		{"unknown customer", in, &Solution{Routes: []Route{{Day: 0, Driver: 1, Customers: []int{1, 5}}}}, 1, "routes[0].customers[1]: customer 5, but instance tiny has customers 1 to 4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Evaluate(tc.in, tc.s, tc.L)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{Missed: "missed", Unasked: "unasked", Repeated: "repeated", Capacity: "capacity",
		Duration: "duration", DriverChange: "driver-change", Spread: "spread", TwoRoutes: "two-routes", Kind(99): "Kind(99)"} {
		if got := k.String(); got != want {
			t.Errorf("%d: %q, want %q", int(k), got, want)
		}
	}
}

// TestOracleTiny solves the tiny instance exactly. One driver serving
// everyone is cheapest: day 1 0→1→2→4→0 = 5+4+5+4 = 18 (load 10 of 10),
// day 2 0→3→1→0 = 4+3+5 = 12, day 3 0→3→1→2→0 = 4+3+4+3 = 14, 44 in all
// (every customer is on every day's tour, and each tour is the shortest
// through its customers). Served 1, 2, 4 on day 1 (arrivals 5, 10, 16),
// 3, 1 on day 2 (4, 8) and 3, 1, 2 on day 3 (4, 8, 13), the spreads are 3
// for customers 1 and 2 and 0 for 3, so 44 holds down to L = 3. At L = 2
// the oracle must pay more; its plan must still pass Evaluate.
func TestOracleTiny(t *testing.T) {
	in := readTiny(t)
	for _, tc := range []struct {
		L      float64
		want   float64
		better bool // want is a strict lower bound, not the value
	}{
		{math.Inf(1), 44, false},
		{5, 44, false},
		{3, 44, false},
		{2, 44, true},
	} {
		var sol *Solution
		if math.IsInf(tc.L, 1) {
			sol = exactOptimum(in)
		} else {
			sol = exactOptimumL(in, tc.L)
		}
		if sol == nil {
			t.Fatalf("L = %v: no solution", tc.L)
		}
		res, err := Evaluate(in, sol, tc.L)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Feasible() {
			t.Errorf("L = %v: violations %v", tc.L, res.Violations)
		}
		if tc.better && res.Distance <= tc.want+1e-9 || !tc.better && math.Abs(res.Distance-tc.want) > 1e-9 {
			t.Errorf("L = %v: distance %v, want %v (strictly more: %v)", tc.L, res.Distance, tc.want, tc.better)
		}
	}
}
