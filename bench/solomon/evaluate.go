package solomon

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Solution is a set of routes. Each route lists customer numbers as in the
// instance file (1..n), in visiting order, without the depot at either end.
type Solution struct {
	Routes [][]int
}

// Result is what Evaluate finds.
type Result struct {
	// Vehicles is the number of non-empty routes.
	Vehicles int
	// Distance is the total distance of the non-empty routes, depot to
	// depot, under the convention Evaluate was asked for. Under the DIMACS
	// convention the arcs are summed in whole tenths, so Distance is the
	// float64 nearest to a one-decimal value (827.3, not 827.2999…).
	Distance float64
	// Violations describes every broken rule, one sentence each; it is
	// empty when the solution is feasible.
	Violations []string
}

// Feasible reports whether the solution broke no rule.
func (r Result) Feasible() bool {
	return len(r.Violations) == 0
}

// TimeTolerance is the slack Evaluate allows when comparing a time with a
// due time, to absorb floating-point rounding in sums of travel and service
// times. Solomon data are whole numbers, so under the DIMACS convention
// every time is a multiple of 0.1 and the tolerance never decides a case.
const TimeTolerance = 1e-6

// Evaluate checks a solution against an instance, independently of any
// optimiser, with distances and travel times from Dist(·, ·, dimacs):
//
//   - every customer 1..n is visited exactly once, and nothing else is
//     visited (the depot must not appear inside a route);
//   - the demand on each route is at most in.Capacity;
//   - each route leaves the depot at the depot's ready time (0 in every
//     Solomon instance); service at a customer starts at max(arrival,
//     ready), that is waiting is allowed, and must start no later than the
//     customer's due time; the vehicle leaves after the service time;
//   - each route is back at the depot no later than the depot's due time;
//   - the number of non-empty routes is at most in.Vehicles.
//
// Empty routes are ignored: they use no vehicle and travel no distance.
// Times are compared with TimeTolerance. A broken rule is reported in
// Result.Violations, never as an error; the simulation of a route carries on
// past a late customer from its late start. Visits to numbers that are not
// customers are reported and skipped in the distance and time sums.
//
// The error is for an instance Evaluate cannot work with: nil, without a
// depot, or with Customers[i].ID != i.
func Evaluate(in *Instance, s Solution, dimacs bool) (Result, error) {
	if in == nil || len(in.Customers) == 0 {
		return Result{}, errors.New("solomon: evaluate: the instance has no depot")
	}
	for i, c := range in.Customers {
		if c.ID != i {
			return Result{}, fmt.Errorf("solomon: evaluate: %s: Customers[%d] has id %d, want %d", in.Name, i, c.ID, i)
		}
	}
	var res Result
	bad := func(format string, args ...any) {
		res.Violations = append(res.Violations, fmt.Sprintf(format, args...))
	}
	arc := func(i, j int) float64 {
		if dimacs {
			return in.tenths(i, j)
		}
		return in.Dist(i, j, false)
	}
	scale := 1.0 // arc returns tenths under the DIMACS convention
	if dimacs {
		scale = 10
	}
	n := len(in.Customers)
	depot := in.Customers[0]
	onRoute := make([]int, n) // route number (1-based) that visits each customer
	var total float64
	for r, route := range s.Routes {
		if len(route) == 0 {
			continue
		}
		rn := r + 1
		res.Vehicles++
		t := depot.Ready
		load, prev := 0, 0
		for k, c := range route {
			if c < 1 || c >= n {
				bad("route #%d, stop %d: %d is not a customer (customers are 1..%d)", rn, k+1, c, n-1)
				continue
			}
			if onRoute[c] != 0 {
				bad("customer %d is visited more than once (routes #%d and #%d)", c, onRoute[c], rn)
			} else {
				onRoute[c] = rn
			}
			d := arc(prev, c)
			total += d
			cu := &in.Customers[c]
			start := max(t+d/scale, cu.Ready)
			if start > cu.Due+TimeTolerance {
				bad("route #%d: service at customer %d starts at %s, after its due time %s", rn, c, num(start), num(cu.Due))
			}
			load += cu.Demand
			t = start + cu.Service
			prev = c
		}
		d := arc(prev, 0)
		total += d
		if back := t + d/scale; back > depot.Due+TimeTolerance {
			bad("route #%d: back at the depot at %s, after its due time %s", rn, num(back), num(depot.Due))
		}
		if load > in.Capacity {
			bad("route #%d: load %d exceeds the capacity %d", rn, load, in.Capacity)
		}
	}
	var missing []string
	for c := 1; c < n; c++ {
		if onRoute[c] == 0 {
			missing = append(missing, strconv.Itoa(c))
		}
	}
	if len(missing) > 0 {
		bad("%d customers not visited: %s", len(missing), strings.Join(missing, " "))
	}
	if res.Vehicles > in.Vehicles {
		bad("%d routes, more than the %d vehicles of the fleet", res.Vehicles, in.Vehicles)
	}
	res.Distance = total / scale
	return res, nil
}

// num formats a time for a violation message, to ten significant digits so
// that float noise (2.4000000000000004) does not show.
func num(v float64) string {
	return strconv.FormatFloat(v, 'g', 10, 64)
}
