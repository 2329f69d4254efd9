package geo

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

// TestStraightLineHandComputed pins the documented formula (docs/FORMAT.md,
// "Travel") to legs worked out by hand, metre and second, so that a change
// to it cannot pass unseen and another tool can check its own arithmetic
// against the same figures. r = π/180 and R = 6,378,137 m; one degree of
// arc is R·r = 111,319.4908 m.
func TestStraightLineHandComputed(t *testing.T) {
	tests := []struct {
		name       string
		a, b       roster.Location
		mode       roster.Mode
		wantS      int
		wantM      int
		arithmetic string
	}{
		{"due north on foot", roster.Location{Lat: 53.86, Lon: -1.9}, roster.Location{Lat: 53.87, Lon: -1.9}, roster.Walk, 1151, 1503,
			"d = 0.01° = 1,113.1949 m; ×1.35 = 1,502.8131 m → 1503 m; ÷ (4.7/3.6 m/s) = 1,151.09 s → 1151 s"},
		{"due east at 60° by bicycle", roster.Location{Lat: 60, Lon: -1.01}, roster.Location{Lat: 60, Lon: -0.99}, roster.Cycle, 372, 1447,
			"x = 0.02° × cos 60° = 0.01° = 1,113.1949 m; ×1.3 = 1,447.1534 m → 1447 m; ÷ (14/3.6 m/s) = 372.13 s → 372 s"},
		{"across the antimeridian by car", roster.Location{Lat: 0, Lon: 179.5}, roster.Location{Lat: 0, Lon: -179.5}, roster.Drive, 17366, 144715,
			"Δλ = 359° → 360° − 359° = 1° = 111,319.4908 m; ×1.3 = 144,715.3380 m → 144715 m; ÷ (30/3.6 m/s) = 17,365.84 s → 17366 s"},
		{"across Otley by car", roster.Location{Lat: 53.9086, Lon: -1.6976}, roster.Location{Lat: 53.9031, Lon: -1.6889}, roster.Drive, 131, 1088,
			"Δφ = 0.0055° = 612.2572 m; x = 0.0087° × cos 53.90585° = 0.0051253° = 570.5447 m; d = √(612.2572² + 570.5447²) = 836.8872 m; " +
				"×1.3 = 1,087.9534 m → 1088 m; ÷ (30/3.6 m/s) = 130.55 s → 131 s"},
	}
	s, err := NewStraightLine(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := s.Matrix(context.Background(), []roster.Location{tc.a, tc.b}, tc.mode)
			if err != nil {
				t.Fatal(err)
			}
			durS, distM, err := s.Legs(context.Background(), []roster.Location{tc.a, tc.b}, []roster.Location{tc.b, tc.a}, tc.mode)
			if err != nil {
				t.Fatal(err)
			}
			for _, leg := range []struct {
				what string
				gotS int
				gotM int
			}{
				{"matrix, there", int(m.DurS[1]), int(m.DistM[1])},
				{"matrix, back", int(m.DurS[2]), int(m.DistM[2])},
				{"legs, there", int(durS[0]), int(distM[0])},
				{"legs, back", int(durS[3]), int(distM[3])},
			} {
				if leg.gotS != tc.wantS || leg.gotM != tc.wantM {
					t.Errorf("%s: %d s, %d m; want %d s, %d m (%s)", leg.what, leg.gotS, leg.gotM, tc.wantS, tc.wantM, tc.arithmetic)
				}
			}
		})
	}
}

// TestStraightDistanceM: the formula's distance, before detour and
// rounding, for a degree of arc and across the antimeridian.
func TestStraightDistanceM(t *testing.T) {
	tests := []struct {
		name string
		a, b roster.Location
		want float64
	}{
		{"a degree of latitude", roster.Location{Lat: 10}, roster.Location{Lat: 11}, EarthRadiusM * math.Pi / 180},
		{"a degree of longitude at the equator", roster.Location{Lon: 10}, roster.Location{Lon: 11}, EarthRadiusM * math.Pi / 180},
		{"the short way round", roster.Location{Lon: -179.5}, roster.Location{Lon: 179.5}, EarthRadiusM * math.Pi / 180},
		{"the same place", roster.Location{Lat: 53.9, Lon: -1.7}, roster.Location{Lat: 53.9, Lon: -1.7}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := StraightDistanceM(tc.a, tc.b); math.Abs(got-tc.want) > 1e-6 {
				t.Errorf("%.6f m, want %.6f m", got, tc.want)
			}
		})
	}
}

// TestStraightLineConfig: the instance's travel settings override the
// defaults, and bad ones are refused with the field named.
func TestStraightLineConfig(t *testing.T) {
	cfg := &roster.TravelConfig{Modes: map[roster.Mode]roster.ModeSpeed{roster.Walk: {SpeedKMH: 3, Detour: 1.5}}}
	s, err := NewStraightLine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(s.Source().Version, "walk=3kmh*1.5") {
		t.Errorf("source %q does not record the walking speed", s.Source().Version)
	}
	for _, tc := range []struct {
		name string
		sp   roster.ModeSpeed
		want string
	}{
		{"zero speed", roster.ModeSpeed{SpeedKMH: 0, Detour: 1.2}, "speed_kmh"},
		{"NaN speed", roster.ModeSpeed{SpeedKMH: math.NaN(), Detour: 1.2}, "speed_kmh"},
		{"detour below one", roster.ModeSpeed{SpeedKMH: 5, Detour: 0.9}, "detour"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewStraightLine(&roster.TravelConfig{Modes: map[roster.Mode]roster.ModeSpeed{roster.Drive: tc.sp}})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one naming %s", err, tc.want)
			}
		})
	}
}

// TestForInstance builds a matrix for each mode the carers use, over every
// point of the instance, and none for modes nobody uses.
func TestForInstance(t *testing.T) {
	in := &roster.Instance{
		Carers: []roster.Carer{
			{ID: "K1", Mode: roster.Walk, Start: roster.Location{Lat: 53.86, Lon: -1.90}},
			{ID: "K2", Mode: roster.Drive, Start: roster.Location{Lat: 53.87, Lon: -1.91}},
		},
		Clients: []roster.Client{{ID: "C1", Location: roster.Location{Lat: 53.865, Lon: -1.905}}},
	}
	s, _ := NewStraightLine(nil)
	ms, err := ForInstance(context.Background(), s, in)
	if err != nil {
		t.Fatal(err)
	}
	if ms.Mode(roster.Cycle) != nil {
		t.Error("built a cycling matrix nobody needs")
	}
	walk, drive := ms.Mode(roster.Walk), ms.Mode(roster.Drive)
	if walk == nil || drive == nil || walk.N != 5 {
		t.Fatalf("matrices: walk %v, drive %v; want both over 5 points", walk, drive)
	}
	ws, _ := ms.Leg(roster.Walk, in.CarerStartPoint(0), in.ClientPoint(0))
	ds, _ := ms.Leg(roster.Drive, in.CarerStartPoint(0), in.ClientPoint(0))
	if !(ws > 5*ds) {
		t.Errorf("walking %d s is not much slower than driving %d s", ws, ds)
	}
}

// TestMatrixCancelled: a cancelled context stops the computation.
func TestMatrixCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s, _ := NewStraightLine(nil)
	if _, err := s.Matrix(ctx, make([]roster.Location, 10), roster.Walk); err == nil {
		t.Error("no error from a cancelled context")
	}
}
