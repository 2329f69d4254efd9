package convrp

import "math"

// NoVisit is the demand the files give for a day on which a customer needs
// no visit.
const NoVisit = -1

// Unlimited is the DISTANCE the files use for "no limit on a route's
// duration" (the Christofides instances without a drop-time limit).
const Unlimited = 9999999

// Point is a location in the plane.
type Point struct {
	// X and Y are the coordinates.
	X, Y float64
}

// Customer is one customer with its visit pattern over the horizon.
type Customer struct {
	// ID is the customer's number in the file, from 1 to the number of
	// customers; Instance.Customers[ID-1] is this customer.
	ID int
	// At is the customer's location.
	At Point
	// Demand holds the demand on each day, indexed from 0; NoVisit on the
	// days the customer needs no visit.
	Demand []float64
	// Service holds the service time on each day, indexed from 0. It is
	// meaningful only on the days with a visit.
	Service []float64
}

// Visited reports whether the customer needs a visit on day (from 0).
func (c Customer) Visited(day int) bool {
	return day >= 0 && day < len(c.Demand) && c.Demand[day] != NoVisit
}

// Days returns the days (from 0) on which the customer needs a visit, in
// increasing order; none for a customer who is never visited.
func (c Customer) Days() []int {
	var ds []int
	for d := range c.Demand {
		if c.Visited(d) {
			ds = append(ds, d)
		}
	}
	return ds
}

// Instance is one ConVRP instance.
type Instance struct {
	// Name identifies the instance: the file's base name without ".vrp",
	// such as "convrp_10_test_1". The NAME header is not unique across the
	// published files, so it is kept in Title instead.
	Name string
	// Title is the NAME header, such as "CVRP_RAND_10_3".
	Title string
	// Comment is the COMMENT header, or "".
	Comment string
	// Days is the horizon (NUM_DAYS).
	Days int
	// Capacity is Q, the most demand one route may carry (CAPACITY).
	Capacity float64
	// MaxDuration is D, the longest a route may take, travel plus service
	// (DISTANCE). Unlimited (9999999) means no limit.
	MaxDuration float64
	// Depot is where every route starts and ends (node 0).
	Depot Point
	// Customers lists the customers in ID order: Customers[k].ID == k+1.
	Customers []Customer
}

// DurationLimited reports whether D restricts routes, that is whether
// MaxDuration is below Unlimited.
func (in *Instance) DurationLimited() bool { return in.MaxDuration < Unlimited }

// Node returns the location of node k: the depot for 0, customer k for k
// from 1 to len(Customers).
func (in *Instance) Node(k int) Point {
	if k == 0 {
		return in.Depot
	}
	return in.Customers[k-1].At
}

// Dist returns the travel distance, which is also the travel time, between
// nodes a and b (0 the depot, k ≥ 1 customer k): the exact Euclidean
// distance, unrounded. This is the convention that reproduces
// known_optima.csv (see the package documentation).
func (in *Instance) Dist(a, b int) float64 {
	p, q := in.Node(a), in.Node(b)
	return math.Hypot(p.X-q.X, p.Y-q.Y)
}

// Visits returns the number of (customer, day) visits the instance asks
// for.
func (in *Instance) Visits() int {
	n := 0
	for _, c := range in.Customers {
		n += len(c.Days())
	}
	return n
}
