package solomon

import "math"

// MaxHorizon is the largest horizon (depot due time) over the 56 Solomon
// 100-customer instances: 3390, in class C2. The other classes reach 1236
// (C1), 230 (R1), 1000 (R2), 240 (RC1) and 960 (RC2). No time in a feasible
// solution exceeds the horizon.
const MaxHorizon = 3390

// MaxDaySeconds is the optimiser's longest day, 48 hours, in seconds.
const MaxDaySeconds = 48 * 3600

// ScaledDist is the travel time from i to j in whole units of 1/scale
// (seconds, when scale seconds stand for one Solomon unit): scale·Dist(i, j,
// dimacs) rounded up. Under the DIMACS convention with scale a multiple of
// 10 it is exact. Rounding up keeps schedules honest: since Solomon windows
// and service times are whole numbers, they scale exactly, and a route that
// is feasible with the rounded-up times is feasible with the true ones. Each
// arc gains less than one second (1/scale units), so a route feasible with
// the true times but with less slack than that may be lost, and a cost
// summed from scaled times overstates the distance by up to that much per
// arc: report costs from Evaluate, not from scaled times.
//
// ScaledDist panics if i or j is out of range or scale is not positive.
func (in *Instance) ScaledDist(i, j int, dimacs bool, scale int) int64 {
	if scale <= 0 {
		panic("solomon: ScaledDist: scale must be positive")
	}
	if dimacs {
		t := int64(in.tenths(i, j))
		return (t*int64(scale) + 9) / 10
	}
	return int64(math.Ceil(in.Dist(i, j, false) * float64(scale)))
}
