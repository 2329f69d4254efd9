package convrp

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
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
	dayMask, needed := visitMasks(in)
	cost, order := unlimitedParts(in, dayMask, needed)
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

// visitMasks returns, per day, the set of customers (bit k for customer
// k+1) visited that day, and the set of customers visited on any day.
func visitMasks(in *Instance) ([]int, int) {
	dayMask := make([]int, in.Days)
	needed := 0
	for ci, c := range in.Customers {
		for _, d := range c.Days() {
			dayMask[d] |= 1 << ci
			needed |= 1 << ci
		}
	}
	return dayMask, needed
}

// unlimitedParts returns the cost of every customer set as one driver's
// for L unlimited (+Inf when infeasible) and a function giving the
// shortest order of a set of customers.
func unlimitedParts(in *Instance, dayMask []int, needed int) ([]float64, func(m int) []int) {
	n := len(in.Customers)
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
	return cost, order
}

// dayOrder is one feasible order of a driver's customers on one day.
type dayOrder struct {
	length float64
	seq    []int              // customer IDs
	arr    [maxOracle]float64 // arrival by customer index; unused where not in seq
}

// exactOptimumL solves in exactly for a finite L, as a test oracle for the
// small instances. It is the set partition of exactOptimum with each
// driver's cost raised to honour the spread: a driver's customers T cost
// the cheapest choice of one order per day (every feasible order of each
// day's customers enumerated) whose arrivals spread by at most L. That cost
// is expensive, so it is computed only for the parts a branch and bound
// needs, bounded below by the unlimited cost. It returns nil when in is too
// large or infeasible.
func exactOptimumL(in *Instance, L float64) *Solution {
	n := len(in.Customers)
	if n > maxOracle {
		return nil
	}
	full := 1<<n - 1
	inf := math.Inf(1)
	dayMask, needed := visitMasks(in)
	lower, _ := unlimitedParts(in, dayMask, needed) // cost of each part for L unlimited

	// orders enumerates the feasible orders of customer set m on day d,
	// shortest first.
	orders := func(d, m int) []dayOrder {
		if m == 0 {
			return []dayOrder{{}}
		}
		var out []dayOrder
		var cur dayOrder
		var svcLeft float64
		for r := m; r != 0; r &= r - 1 {
			svcLeft += in.Customers[bits.TrailingZeros(uint(r))].Service[d]
		}
		var walk func(left int, at int, t, travel, svc float64)
		walk = func(left int, at int, t, travel, svc float64) {
			if left == 0 {
				back := in.Dist(at, 0)
				if t+back <= in.MaxDuration+Tolerance {
					o := cur
					o.length = travel + back
					o.seq = append([]int(nil), cur.seq...)
					out = append(out, o)
				}
				return
			}
			for r := left; r != 0; r &= r - 1 {
				k := bits.TrailingZeros(uint(r))
				leg := in.Dist(at, k+1)
				s := in.Customers[k].Service[d]
				// The rest of the tour is at least the service left plus
				// the way back (triangle inequality).
				if t+leg+svc+in.Dist(k+1, 0) > in.MaxDuration+Tolerance {
					continue
				}
				cur.arr[k] = t + leg
				cur.seq = append(cur.seq, k+1)
				walk(left&^(1<<k), k+1, t+leg+s, travel+leg, svc-s)
				cur.seq = cur.seq[:len(cur.seq)-1]
			}
		}
		walk(m, 0, 0, 0, svcLeft)
		slices.SortFunc(out, func(a, b dayOrder) int { return cmp.Compare(a.length, b.length) })
		return out
	}

	type partCost struct {
		value float64
		pick  []dayOrder
	}
	memo := map[int]partCost{}
	// cost returns the cost of customer set t at L, with its orders.
	cost := func(t int) partCost {
		if pc, ok := memo[t]; ok {
			return pc
		}
		lists := make([][]dayOrder, in.Days)
		suffix := make([]float64, in.Days+1)
		for d := range in.Days {
			lists[d] = orders(d, t&dayMask[d])
		}
		for d := in.Days - 1; d >= 0; d-- {
			if len(lists[d]) == 0 {
				memo[t] = partCost{value: inf}
				return memo[t]
			}
			suffix[d] = suffix[d+1] + lists[d][0].length
		}
		best := partCost{value: inf}
		chosen := make([]dayOrder, in.Days)
		var lo, hi [maxOracle]float64
		for k := range n {
			lo[k], hi[k] = inf, -inf
		}
		var search func(d int, sum float64)
		search = func(d int, sum float64) {
			if d == in.Days {
				best = partCost{value: sum, pick: slices.Clone(chosen)}
				return
			}
			m := t & dayMask[d]
			for _, o := range lists[d] {
				if sum+o.length+suffix[d+1] >= best.value {
					return // the lists are sorted: no later order is cheaper
				}
				saveLo, saveHi, ok := lo, hi, true
				for r := m; r != 0; r &= r - 1 {
					k := bits.TrailingZeros(uint(r))
					lo[k], hi[k] = min(lo[k], o.arr[k]), max(hi[k], o.arr[k])
					if hi[k]-lo[k] > L+Tolerance {
						ok = false
						break
					}
				}
				if ok {
					chosen[d] = o
					search(d+1, sum+o.length)
				}
				lo, hi = saveLo, saveHi
			}
		}
		search(0, 0)
		memo[t] = best
		return best
	}

	best := make([]float64, full+1)
	pick := make([]int, full+1)
	type cand struct {
		t     int
		bound float64
	}
	var cands []cand
	for s := 1; s <= full; s++ {
		best[s] = inf
		if s&^needed != 0 {
			continue
		}
		low := s & -s
		rest := s &^ low
		cands = cands[:0]
		for sub := rest; ; sub = (sub - 1) & rest {
			t := sub | low
			if b := lower[t] + best[s&^t]; !math.IsInf(b, 1) {
				cands = append(cands, cand{t, b})
			}
			if sub == 0 {
				break
			}
		}
		slices.SortFunc(cands, func(a, b cand) int { return cmp.Compare(a.bound, b.bound) })
		for _, c := range cands {
			if c.bound >= best[s] {
				break
			}
			if v := cost(c.t).value + best[s&^c.t]; v < best[s] {
				best[s], pick[s] = v, c.t
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
		for d, o := range cost(pick[s]).pick {
			if len(o.seq) > 0 {
				sol.Routes = append(sol.Routes, Route{Day: d, Driver: driver, Customers: o.seq})
			}
		}
	}
	return sol
}
