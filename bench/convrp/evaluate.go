package convrp

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// Tolerance is the slack Evaluate allows when comparing a route's load and
// duration with Q and D and a spread with L: distances are sums of square
// roots, so a limit met exactly can be missed by rounding.
const Tolerance = 1e-9

// Kind says which constraint a Violation breaks.
type Kind int

// The kinds of violation.
const (
	// Missed is a visit the instance asks for that no route makes.
	Missed Kind = iota
	// Unasked is a visit to a customer on a day it needs none.
	Unasked
	// Repeated is a customer served more than once on one day.
	Repeated
	// Capacity is a route whose load exceeds Q.
	Capacity
	// Duration is a route whose travel plus service exceeds D.
	Duration
	// DriverChange is a customer served by more than one driver over its
	// days.
	DriverChange
	// Spread is a customer whose arrival times over its days spread by
	// more than L.
	Spread
	// TwoRoutes is a driver with more than one route on a day.
	TwoRoutes
)

// String returns the kind's name.
func (k Kind) String() string {
	switch k {
	case Missed:
		return "missed"
	case Unasked:
		return "unasked"
	case Repeated:
		return "repeated"
	case Capacity:
		return "capacity"
	case Duration:
		return "duration"
	case DriverChange:
		return "driver-change"
	case Spread:
		return "spread"
	case TwoRoutes:
		return "two-routes"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Violation is one broken constraint.
type Violation struct {
	// Kind is the constraint broken.
	Kind Kind
	// Day is the day concerned (from 0), or -1 for a violation over days.
	Day int
	// Driver is the driver concerned, or 0.
	Driver int
	// Customer is the customer concerned, or 0.
	Customer int
	// Reason says what is wrong, with the figures.
	Reason string
}

// String returns the violation's kind and reason.
func (v Violation) String() string { return v.Kind.String() + ": " + v.Reason }

// Result is the evaluation of a solution.
type Result struct {
	// Distance is the total travel distance of all routes, depot legs
	// included: the ConVRP objective.
	Distance float64
	// DayDistance is the travel distance of each day.
	DayDistance []float64
	// Routes counts the routes that visit at least one customer.
	Routes int
	// Drivers counts the distinct drivers with at least one such route
	// (the "vehicles" of known_optima.csv).
	Drivers int
	// Arrival[c-1][d] is when customer c is reached on day d, counted from
	// the route's departure from the depot at 0 with no waiting; NaN when
	// the customer is not served that day (the first visit counts when it
	// is served more than once).
	Arrival [][]float64
	// MaxSpread is the largest spread of arrival times of any customer over
	// its served days.
	MaxSpread float64
	// Violations lists every broken constraint; the solution is feasible
	// when it is empty. The figures above are computed all the same.
	Violations []Violation
}

// Feasible reports whether the solution broke no constraint.
func (r Result) Feasible() bool { return len(r.Violations) == 0 }

// Evaluate computes the total distance of s on in and checks it against the
// ConVRP's constraints, with L the largest allowed spread of a customer's
// arrival times (math.Inf(1) for none):
//
//   - every customer is served on exactly the days it needs a visit, once
//     each (Missed, Unasked, Repeated);
//   - each route's load, the sum of its customers' demands that day, is at
//     most Q (Capacity);
//   - each route's duration, its travel plus the service times of its
//     customers that day, is at most D (Duration);
//   - each customer is served by one driver on all its days
//     (DriverChange), and a driver drives at most one route a day
//     (TwoRoutes);
//   - each customer's arrival times over its days, with every route
//     leaving the depot at time 0 and reaching each stop at the previous
//     stop's arrival plus its service plus the travel (no waiting), spread
//     by at most L (Spread).
//
// Limits are compared with Tolerance. Evaluate returns an error only when
// s cannot be read against in: nil arguments, an instance whose customers
// are not numbered 1..n with one demand and service time a day, a day
// outside the horizon, a
// driver below 1, a customer ID outside the instance, or L NaN or negative.
func Evaluate(in *Instance, s *Solution, L float64) (Result, error) {
	if in == nil || s == nil {
		return Result{}, errors.New("convrp: evaluate: nil instance or solution")
	}
	if math.IsNaN(L) || L < 0 {
		return Result{}, fmt.Errorf("convrp: evaluate: L = %v, want ≥ 0 (+Inf for no limit)", L)
	}
	for k, c := range in.Customers {
		if c.ID != k+1 || len(c.Demand) != in.Days || len(c.Service) != in.Days {
			return Result{}, fmt.Errorf("convrp: evaluate: instance %s: customers[%d] has ID %d and %d demands and %d service times, want ID %d and %d of each", in.Name, k, c.ID, len(c.Demand), len(c.Service), k+1, in.Days)
		}
	}
	for i, rt := range s.Routes {
		if rt.Day < 0 || rt.Day >= in.Days {
			return Result{}, fmt.Errorf("convrp: evaluate: routes[%d]: day index %d, but instance %s has days 0 to %d", i, rt.Day, in.Name, in.Days-1)
		}
		if rt.Driver < 1 {
			return Result{}, fmt.Errorf("convrp: evaluate: routes[%d]: driver %d, want ≥ 1", i, rt.Driver)
		}
		for j, c := range rt.Customers {
			if c < 1 || c > len(in.Customers) {
				return Result{}, fmt.Errorf("convrp: evaluate: routes[%d].customers[%d]: customer %d, but instance %s has customers 1 to %d", i, j, c, in.Name, len(in.Customers))
			}
		}
	}
	n := len(in.Customers)
	res := Result{DayDistance: make([]float64, in.Days), Arrival: make([][]float64, n)}
	for c := range res.Arrival {
		res.Arrival[c] = make([]float64, in.Days)
		for d := range res.Arrival[c] {
			res.Arrival[c][d] = math.NaN()
		}
	}
	violate := func(k Kind, day, driver, customer int, format string, args ...any) {
		res.Violations = append(res.Violations, Violation{Kind: k, Day: day, Driver: driver, Customer: customer, Reason: fmt.Sprintf(format, args...)})
	}

	drivers := map[int]bool{}
	routeOf := map[[2]int]int{}         // (day, driver) → first route index
	drivenBy := make([]map[int]bool, n) // customer-1 → drivers
	served := make([][]int, n)          // customer-1 → visits per day
	for c := range served {
		served[c] = make([]int, in.Days)
	}
	for i, rt := range s.Routes {
		d, k := rt.Day, rt.Driver
		if first, ok := routeOf[[2]int{d, k}]; ok {
			violate(TwoRoutes, d, k, 0, "day %d: driver %d has two routes (routes[%d] and routes[%d])", d+1, k, first, i)
		} else {
			routeOf[[2]int{d, k}] = i
		}
		if len(rt.Customers) == 0 {
			continue
		}
		res.Routes++
		drivers[k] = true
		var t, travel, load, service float64
		at := 0
		for _, c := range rt.Customers {
			cu := in.Customers[c-1]
			leg := in.Dist(at, c)
			travel += leg
			t += leg
			served[c-1][d]++
			if served[c-1][d] == 1 {
				res.Arrival[c-1][d] = t
			}
			if drivenBy[c-1] == nil {
				drivenBy[c-1] = map[int]bool{}
			}
			drivenBy[c-1][k] = true
			if cu.Visited(d) {
				load += cu.Demand[d]
				service += cu.Service[d]
				t += cu.Service[d]
			}
			at = c
		}
		back := in.Dist(at, 0)
		travel += back
		t += back
		res.DayDistance[d] += travel
		if load > in.Capacity+Tolerance {
			violate(Capacity, d, k, 0, "day %d, driver %d: load %g exceeds the capacity %g", d+1, k, load, in.Capacity)
		}
		if t > in.MaxDuration+Tolerance {
			violate(Duration, d, k, 0, "day %d, driver %d: duration %.6f (travel %.6f + service %g) exceeds D = %g", d+1, k, t, travel, service, in.MaxDuration)
		}
	}
	for _, dd := range res.DayDistance {
		res.Distance += dd
	}
	res.Drivers = len(drivers)

	for ci, cu := range in.Customers {
		c := ci + 1
		lo, hi := math.Inf(1), math.Inf(-1)
		var loDay, hiDay int
		for d := range in.Days {
			switch v := served[ci][d]; {
			case v == 0 && cu.Visited(d):
				violate(Missed, d, 0, c, "day %d: customer %d is not served", d+1, c)
			case v > 0 && !cu.Visited(d):
				violate(Unasked, d, 0, c, "day %d: customer %d is served but needs no visit that day", d+1, c)
			case v > 1:
				violate(Repeated, d, 0, c, "day %d: customer %d is served %d times", d+1, c, v)
			}
			if a := res.Arrival[ci][d]; !math.IsNaN(a) {
				if a < lo {
					lo, loDay = a, d
				}
				if a > hi {
					hi, hiDay = a, d
				}
			}
		}
		if len(drivenBy[ci]) > 1 {
			ks := make([]int, 0, len(drivenBy[ci]))
			for k := range drivenBy[ci] {
				ks = append(ks, k)
			}
			slices.Sort(ks)
			violate(DriverChange, -1, 0, c, "customer %d is served by drivers %v, want one", c, ks)
		}
		if hi > lo {
			spread := hi - lo
			res.MaxSpread = max(res.MaxSpread, spread)
			if spread > L+Tolerance {
				violate(Spread, -1, 0, c, "customer %d: arrivals spread %.6f (day %d at %.6f, day %d at %.6f), more than L = %g", c, spread, loDay+1, lo, hiDay+1, hi, L)
			}
		}
	}
	return res, nil
}
