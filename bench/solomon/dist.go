package solomon

import "math"

// Dist is the distance, and equally the travel time, from node i to node j
// (IDs, that is indices into Customers). There is no speed factor: one unit
// of distance takes one unit of time.
//
// With dimacs false it is the exact Euclidean distance in double precision,
// sqrt(dx² + dy²): the convention of the hierarchical best-known solutions
// (SINTEF table, bks.csv columns sintef_vehicles and sintef_distance).
//
// With dimacs true it is that distance truncated to one decimal,
// floor(10·d)/10, for every arc separately (travel times too), so that a
// route's cost is the sum of its truncated arcs: the DIMACS 2021 / CVRPLIB /
// PyVRP convention of the distance-only best-known solutions (bks.csv
// columns dimacs_vehicles and dimacs_distance). For integer coordinates, as
// in every Solomon instance, floor(10·d) is computed exactly, whatever the
// rounding of the square root.
//
// Dist panics if i or j is out of range, like a slice index.
func (in *Instance) Dist(i, j int, dimacs bool) float64 {
	if dimacs {
		return in.tenths(i, j) / 10
	}
	a, b := &in.Customers[i], &in.Customers[j]
	dx, dy := a.X-b.X, a.Y-b.Y
	return math.Sqrt(dx*dx + dy*dy)
}

// tenths is floor(10·d) for the arc from i to j: the DIMACS distance in
// tenths, a whole number held in a float64.
func (in *Instance) tenths(i, j int) float64 {
	a, b := &in.Customers[i], &in.Customers[j]
	dx, dy := a.X-b.X, a.Y-b.Y
	s := 100 * (dx*dx + dy*dy) // (10·d)²
	f := math.Floor(math.Sqrt(s))
	// Below 2^52, s, f and (f+1)² are exact when the coordinates are
	// integers, so f can be corrected to the exact floor(sqrt(s)) if the
	// square root was rounded across a whole number. Above it (or for
	// infinite s) there is nothing to correct and the loops would not end.
	if s < 1<<52 {
		for f > 0 && f*f > s {
			f--
		}
		for (f+1)*(f+1) <= s {
			f++
		}
	}
	return f
}
