package geo

import (
	"context"
	"fmt"
	"math"

	"github.com/rounds-dev/rounds/roster"
)

// DefaultSpeeds are the straight-line model's speeds and detour factors.
// Walking is 4.7 km/h on the ground, and straight lines underestimate walking
// routes by 25-40%; urban driving averages 20-40 km/h. Cycling and public
// transport are rough town averages (public includes waiting for the bus).
var DefaultSpeeds = map[roster.Mode]roster.ModeSpeed{
	roster.Walk:   {SpeedKMH: 4.7, Detour: 1.35},
	roster.Drive:  {SpeedKMH: 30, Detour: 1.3},
	roster.Cycle:  {SpeedKMH: 14, Detour: 1.3},
	roster.Public: {SpeedKMH: 12, Detour: 1.4},
}

// StraightLineProvider names the straight-line estimate in plans.
const StraightLineProvider = "straight-line"

// EarthRadiusM is the radius, in metres, of the sphere on which the
// straight-line estimate measures: WGS84's equatorial radius, as
// github.com/paulmach/orb uses.
const EarthRadiusM = 6378137.0

// StraightLine estimates travel from the straight-line distance between two
// places (StraightDistanceM): a leg's distance is that times the mode's
// detour factor, rounded to the metre, and its time the unrounded distance
// at the mode's speed, rounded to the second (see straightLeg).
// docs/FORMAT.md gives the same formula step by step, so that another tool
// can reproduce every leg.
type StraightLine struct {
	speeds map[roster.Mode]roster.ModeSpeed
}

var _ Provider = (*StraightLine)(nil)

// NewStraightLine returns the straight-line provider with DefaultSpeeds, each
// mode overridden by cfg where cfg sets it. cfg may be nil.
func NewStraightLine(cfg *roster.TravelConfig) (*StraightLine, error) {
	s := &StraightLine{speeds: make(map[roster.Mode]roster.ModeSpeed, len(DefaultSpeeds))}
	for m, v := range DefaultSpeeds {
		s.speeds[m] = v
	}
	if cfg != nil {
		for m, v := range cfg.Modes {
			if !m.Valid() {
				return nil, fmt.Errorf("geo: travel.modes: unknown mode %q", m)
			}
			if !(v.SpeedKMH > 0) || math.IsInf(v.SpeedKMH, 0) {
				return nil, fmt.Errorf("geo: travel.modes.%s.speed_kmh: must be a positive number", m)
			}
			if !(v.Detour >= 1) || math.IsInf(v.Detour, 0) {
				return nil, fmt.Errorf("geo: travel.modes.%s.detour: must be at least 1", m)
			}
			s.speeds[m] = v
		}
	}
	return s, nil
}

// Source names the provider; the version records the speeds in use, so two
// plans made with different speeds are told apart. Cached matrices are kept
// by source (geo/matrixcache), so a change to the formula or its rounding
// must change the version's form too, or old matrices would be reused.
func (s *StraightLine) Source() roster.TravelSource {
	v := ""
	for _, m := range roster.Modes {
		sp := s.speeds[m]
		v += fmt.Sprintf("%s=%gkmh*%g;", m, sp.SpeedKMH, sp.Detour)
	}
	return roster.TravelSource{Provider: StraightLineProvider, Version: v[:len(v)-1]}
}

// StraightDistanceM is the straight-line distance in metres between a and
// b, before any detour: Pythagoras on an equirectangular projection
// centred on the two places' mean latitude, scaled by EarthRadiusM. With
// latitudes φ and longitudes λ in degrees, and r = π/180:
//
//	Δφ = (φa − φb)·r
//	Δλ = |λa − λb|·r, and 2π − Δλ when that is more than π
//	x  = Δλ · cos((φa + φb)/2 · r)
//	d  = √(Δφ² + x²) · EarthRadiusM
//
// For places up to 50 km apart, below 70° of latitude, it is within 0.01%
// of the great-circle distance on the same sphere; it is cheaper than
// haversine,
// and is written out here rather than taken from a library so that it
// cannot change underneath the plans and cached matrices made with it.
func StraightDistanceM(a, b roster.Location) float64 {
	const r = math.Pi / 180
	dLat := (a.Lat - b.Lat) * r
	dLon := math.Abs(a.Lon-b.Lon) * r
	if dLon > math.Pi {
		dLon = 2*math.Pi - dLon
	}
	x := dLon * math.Cos((a.Lat+b.Lat)/2*r)
	return math.Sqrt(dLat*dLat+x*x) * EarthRadiusM
}

// straightLeg is the leg from a to b at speed sp: the distance times the
// detour, rounded half away from zero to the metre, and that unrounded
// distance divided by the speed in metres a second (km/h divided by 3.6),
// rounded likewise to the second. A place to itself is 0 s and 0 m.
func straightLeg(a, b roster.Location, sp roster.ModeSpeed) (durS, distM int32) {
	if a == b {
		return 0, 0
	}
	d := StraightDistanceM(a, b) * sp.Detour
	return int32(math.Round(d / (sp.SpeedKMH / 3.6))), int32(math.Round(d))
}

// Legs computes the straight-line travel from each of from to each of to by
// mode, row-major: the leg from from[i] to to[j] is at i*len(to)+j.
func (s *StraightLine) Legs(ctx context.Context, from, to []roster.Location, mode roster.Mode) (durS, distM []int32, err error) {
	sp, ok := s.speeds[mode]
	if !ok {
		return nil, nil, fmt.Errorf("geo: straight line: unknown mode %q", mode)
	}
	durS, distM = make([]int32, len(from)*len(to)), make([]int32, len(from)*len(to))
	for i, a := range from {
		if i%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, nil, err
			}
		}
		for j, b := range to {
			k := i*len(to) + j
			durS[k], distM[k] = straightLeg(a, b, sp)
		}
	}
	return durS, distM, nil
}

// Matrix computes the straight-line matrix for mode.
func (s *StraightLine) Matrix(ctx context.Context, points []roster.Location, mode roster.Mode) (*Matrix, error) {
	sp, ok := s.speeds[mode]
	if !ok {
		return nil, fmt.Errorf("geo: straight line: unknown mode %q", mode)
	}
	n := len(points)
	m := NewMatrix(n)
	for i := 0; i < n; i++ {
		if i%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		for j := 0; j < n; j++ {
			if i == j {
				continue
			}
			k := i*n + j
			m.DurS[k], m.DistM[k] = straightLeg(points[i], points[j], sp)
		}
	}
	return m, nil
}
