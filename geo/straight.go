package geo

import (
	"context"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"

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

// StraightLine estimates travel from great-circle distance: distance is the
// straight line times the mode's detour factor, time is that distance at the
// mode's speed, rounded to the second.
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
// plans made with different speeds are told apart.
func (s *StraightLine) Source() roster.TravelSource {
	v := ""
	for _, m := range roster.Modes {
		sp := s.speeds[m]
		v += fmt.Sprintf("%s=%gkmh*%g;", m, sp.SpeedKMH, sp.Detour)
	}
	return roster.TravelSource{Provider: StraightLineProvider, Version: v[:len(v)-1]}
}

// Legs computes the straight-line travel from each of from to each of to by
// mode, row-major: the leg from from[i] to to[j] is at i*len(to)+j.
func (s *StraightLine) Legs(ctx context.Context, from, to []roster.Location, mode roster.Mode) (durS, distM []int32, err error) {
	sp, ok := s.speeds[mode]
	if !ok {
		return nil, nil, fmt.Errorf("geo: straight line: unknown mode %q", mode)
	}
	durS, distM = make([]int32, len(from)*len(to)), make([]int32, len(from)*len(to))
	mps := sp.SpeedKMH / 3.6
	for i, a := range from {
		if i%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, nil, err
			}
		}
		pa := orb.Point{a.Lon, a.Lat}
		for j, b := range to {
			if a == b {
				continue
			}
			d := orbgeo.Distance(pa, orb.Point{b.Lon, b.Lat}) * sp.Detour
			k := i*len(to) + j
			distM[k] = int32(math.Round(d))
			durS[k] = int32(math.Round(d / mps))
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
	mps := sp.SpeedKMH / 3.6
	for i := 0; i < n; i++ {
		if i%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		pi := orb.Point{points[i].Lon, points[i].Lat}
		for j := 0; j < n; j++ {
			if i == j {
				continue
			}
			d := orbgeo.Distance(pi, orb.Point{points[j].Lon, points[j].Lat}) * sp.Detour
			k := i*n + j
			m.DistM[k] = int32(math.Round(d))
			m.DurS[k] = int32(math.Round(d / mps))
		}
	}
	return m, nil
}
