package convrp

import (
	"math"
	"math/bits"
)

// maxOracle is the most customers exactOptimum accepts: its tables have
// 2^n·n entries.
const maxOracle = 14

// exactOptimum solves in exactly for L unlimited, as a test oracle for the
// small instances: an unlimited fleet, one route per driver per day. A
// driver's customers T cost the sum over days of the shortest tour through
// the customers of T visited that day (Held-Karp over all subsets, the same
// for every day since distances do not depend on the day); T is feasible
// when each day's tour meets Q and D, and the shortest tour is also the
// quickest, as the service time of a day's subset is fixed. A set partition
// over the customers then picks the cheapest drivers. It returns the
// solution, or nil when in is too large or infeasible.
func exactOptimum(in *Instance) *Solution {
	n := len(in.Customers)
	if n > maxOracle {
		return nil
	}
	full := 1<<n - 1
	inf := math.Inf(1)
	// path[m][j]: shortest path from the depot through m ending at j ∈ m.
	path := make([][]float64, full+1)
	prev := make([][]int8, full+1)
	for m := range path {
		path[m] = make([]float64, n)
		prev[m] = make([]int8, n)
		for j := range n {
			path[m][j] = inf
		}
	}
	for j := range n {
		path[1<<j][j] = in.Dist(0, j+1)
		prev[1<<j][j] = -1
	}
	for m := 1; m <= full; m++ {
		for j := range n {
			if m&(1<<j) == 0 || math.IsInf(path[m][j], 1) {
				continue
			}
			for k := range n {
				if m&(1<<k) != 0 {
					continue
				}
				if v := path[m][j] + in.Dist(j+1, k+1); v < path[m|1<<k][k] {
					path[m|1<<k][k] = v
					prev[m|1<<k][k] = int8(j)
				}
			}
		}
	}
	tour := make([]float64, full+1)
	last := make([]int, full+1)
	for m := 1; m <= full; m++ {
		tour[m] = inf
		for j := range n {
			if m&(1<<j) != 0 {
				if v := path[m][j] + in.Dist(j+1, 0); v < tour[m] {
					tour[m], last[m] = v, j
				}
			}
		}
	}
	order := func(m int) []int {
		var seq []int
		for j := last[m]; m != 0; {
			seq = append(seq, j+1)
			pj := int(prev[m][j])
			m &^= 1 << j
			j = pj
		}
		for i, k := 0, len(seq)-1; i < k; i, k = i+1, k-1 {
			seq[i], seq[k] = seq[k], seq[i]
		}
		return seq
	}

	dayMask := make([]int, in.Days)
	needed := 0
	for ci, c := range in.Customers {
		for _, d := range c.Days() {
			dayMask[d] |= 1 << ci
			needed |= 1 << ci
		}
	}
	// cost[t]: the driver cost of customer set t, +Inf when infeasible.
	cost := make([]float64, full+1)
	for t := 1; t <= full; t++ {
		if t&^needed != 0 {
			cost[t] = inf
			continue
		}
		for d := range in.Days {
			m := t & dayMask[d]
			if m == 0 {
				continue
			}
			var load, svc float64
			for r := m; r != 0; r &= r - 1 {
				c := in.Customers[bits.TrailingZeros(uint(r))]
				load += c.Demand[d]
				svc += c.Service[d]
			}
			if load > in.Capacity+Tolerance || tour[m]+svc > in.MaxDuration+Tolerance {
				cost[t] = inf
				break
			}
			cost[t] += tour[m]
		}
	}
	// best[s]: cheapest partition of s into drivers; pick[s] the part
	// holding s's lowest customer.
	best := make([]float64, full+1)
	pick := make([]int, full+1)
	for s := 1; s <= full; s++ {
		best[s] = inf
		if s&^needed != 0 {
			continue
		}
		low := s & -s
		rest := s &^ low
		for sub := rest; ; sub = (sub - 1) & rest {
			t := sub | low
			if v := cost[t] + best[s&^t]; v < best[s] {
				best[s], pick[s] = v, t
			}
			if sub == 0 {
				break
			}
		}
	}
	if math.IsInf(best[needed], 1) {
		return nil
	}
	sol := &Solution{Instance: in.Name}
	driver := 0
	for s := needed; s != 0; s &^= pick[s] {
		driver++
		for d := range in.Days {
			if m := pick[s] & dayMask[d]; m != 0 {
				sol.Routes = append(sol.Routes, Route{Day: d, Driver: driver, Customers: order(m)})
			}
		}
	}
	return sol
}
