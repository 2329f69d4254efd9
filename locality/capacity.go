package locality

import (
	"math"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"

	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/roster"
)

// The capacity estimate: the carer time each band of a day takes (each
// call's length plus a travel allowance, for each carer a double-handed
// call needs) against the time carers on shift bring to it, scaled by the
// share of their time that can be care. It is crude, and meant to be: it
// is where the search for the carers a day needs starts (docs/DESIGN-
// localities.md), and how package synth staffs a generated day.

// BandMinutes is minutes of carer time in each band of a day.
type BandMinutes [NBands]float64

// Covers reports whether have is at least need in every band that needs
// any time.
func (have BandMinutes) Covers(need BandMinutes) bool {
	for b := range have {
		if need[b] > 0 && have[b] < need[b] {
			return false
		}
	}
	return true
}

// HomeLegMin is the time a round loses to travelling from home and back,
// charged to the band each shift starts and ends in.
const HomeLegMin = 10

// MinAllowanceMin is the least travel allowed for each carer-visit.
const MinAllowanceMin = 5

// stretches are the bands' stretches of the day, one after another
// without gaps or overlaps: 07:00-11:30, 11:30-15:30, 15:30-19:15 and
// 19:15-23:00.
var stretches = [NBands][2]roster.Clock{
	{hm(7, 0), hm(11, 30)}, {hm(11, 30), hm(15, 30)}, {hm(15, 30), hm(19, 15)}, {hm(19, 15), hm(23, 0)},
}

// hm is a time of day.
func hm(h, m int) roster.Clock { return roster.Clock(h*3600 + m*60) }

// Stretch is the stretch of the day whose carer time serves the band's
// calls: wider than the band's windows, for the travel and the calls that
// run on.
func (b Band) Stretch() (from, to roster.Clock) {
	if b < 0 || b >= NBands {
		return 0, 0
	}
	return stretches[b][0], stretches[b][1]
}

// ShiftSupply is the carer time one carer on shifts brings to each band,
// in minutes: the overlap of their shifts with the band's stretch, scaled
// down where a working-time cap of maxWorkingMin (0: none) bites, less
// HomeLegMin for each shift that starts or ends in the band.
func ShiftSupply(shifts []roster.Shift, maxWorkingMin int) BandMinutes {
	var out BandMinutes
	f, total := 1.0, 0.0
	for _, s := range shifts {
		total += float64(s.End-s.Start) / 60
	}
	if maxWorkingMin > 0 && float64(maxWorkingMin) < total {
		f = float64(maxWorkingMin) / total
	}
	for b, st := range stretches {
		from, to := st[0], st[1]
		m := 0.0
		for _, s := range shifts {
			lo, hi := max(s.Start, from), min(s.End, to)
			if hi > lo {
				m += float64(hi-lo) / 60 * f
			}
			if s.Start >= from && s.Start < to {
				m -= HomeLegMin
			}
			if s.End > from && s.End <= to {
				m -= HomeLegMin
			}
		}
		out[b] = max(m, 0)
	}
	return out
}

// MeanNearestM is the mean distance, in metres, from each place to the
// nearest other one; ok is false for fewer than two places.
func MeanNearestM(locs []roster.Location) (mean float64, ok bool) {
	if len(locs) < 2 {
		return 0, false
	}
	for i, a := range locs {
		nearest := math.Inf(1)
		for j, c := range locs {
			if i != j {
				nearest = min(nearest, distanceM(a, c))
			}
		}
		mean += nearest
	}
	return mean / float64(len(locs)), true
}

// distanceM is the distance in metres, as package geo's straight-line
// estimate measures it.
func distanceM(a, b roster.Location) float64 {
	return orbgeo.Distance(orb.Point{a.Lon, a.Lat}, orb.Point{b.Lon, b.Lat})
}

// TravelAllowanceMin is the travel a carer-visit costs, in minutes, for a
// leg of legM metres in a straight line: walked by walkShare of the
// carers and driven by the rest at package geo's default speeds and
// detours, and never under MinAllowanceMin.
func TravelAllowanceMin(legM, walkShare float64) float64 {
	legMin := func(m roster.Mode) float64 {
		sp := geo.DefaultSpeeds[m]
		return legM * sp.Detour / (sp.SpeedKMH / 3.6) / 60
	}
	return max(MinAllowanceMin, walkShare*legMin(roster.Walk)+(1-walkShare)*legMin(roster.Drive))
}

// LegFactor is how much longer a leg between visits is taken to be than
// the mean distance from a client to the nearest other client with a call
// in the same band: a carer seldom goes to the nearest.
const LegFactor = 1.5

// TravelAllowance is the travel allowance of each band (TravelAllowanceMin
// of LegFactor times the mean distance between neighbouring clients with a
// call in the band); a band with fewer than two such clients has the
// least allowance.
func TravelAllowance(clients []Client, walkShare float64) BandMinutes {
	var out BandMinutes
	for b := range NBands {
		var locs []roster.Location
		for i := range clients {
			for _, cb := range clients[i].Bands {
				if cb == b {
					locs = append(locs, clients[i].Location)
					break
				}
			}
		}
		out[b] = MinAllowanceMin
		if mean, ok := MeanNearestM(locs); ok {
			out[b] = TravelAllowanceMin(LegFactor*mean, walkShare)
		}
	}
	return out
}

// DayNeed is the carer time the clients' calls of a day take in each
// band, in minutes: each call's length plus the band's allowance, twice
// for a double-handed call.
func DayNeed(clients []Client, allowance BandMinutes) BandMinutes {
	var out BandMinutes
	for i := range clients {
		c := &clients[i]
		carers := 1.0
		if c.Double {
			carers = 2
		}
		for _, b := range c.Bands {
			if b >= 0 && b < NBands {
				out[b] += carers * (c.CallMin() + allowance[b])
			}
		}
	}
	return out
}

// splitShifts are the usual split shifts, 07:00-14:00 and 16:00-22:00.
var splitShifts = []roster.Shift{{Start: hm(7, 0), End: hm(14, 0)}, {Start: hm(16, 0), End: hm(22, 0)}}

// EstimateCarers is the crude estimate of the carers a day of the clients
// needs, each working shifts (nil: the usual split shifts, 07:00-14:00 and
// 16:00-22:00): the fewest whose time, at s.Utilisation, covers DayNeed
// with TravelAllowance at s.WalkShare in every band. ok is false when the
// utilisation is not in (0, 1] or the shifts miss a band that has calls.
func EstimateCarers(clients []Client, s Supply, shifts []roster.Shift) (n int, ok bool) {
	if !(s.Utilisation > 0 && s.Utilisation <= 1) {
		return 0, false
	}
	if shifts == nil {
		shifts = splitShifts
	}
	need := DayNeed(clients, TravelAllowance(clients, s.WalkShare))
	per := ShiftSupply(shifts, 0)
	for b := range need {
		if need[b] == 0 {
			continue
		}
		if per[b] == 0 {
			return 0, false
		}
		// A hair's breadth over a whole number is that number.
		n = max(n, int(math.Ceil(need[b]/s.Utilisation/per[b]-1e-9)))
	}
	return n, true
}
