package geo

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"

	"github.com/rounds-dev/rounds/roster"
)

// TestStraightLineArithmetic: a leg's distance is the great-circle distance
// times the detour, and its time that distance at the mode's speed.
func TestStraightLineArithmetic(t *testing.T) {
	a := roster.Location{Lat: 53.8679, Lon: -1.9064}
	b := roster.Location{Lat: 53.8779, Lon: -1.9064} // about 1.11 km north
	gc := orbgeo.Distance(orb.Point{a.Lon, a.Lat}, orb.Point{b.Lon, b.Lat})
	s, err := NewStraightLine(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		mode          roster.Mode
		speed, detour float64
	}{
		{roster.Walk, 4.7, 1.35},
		{roster.Drive, 30, 1.3},
	} {
		t.Run(string(tc.mode), func(t *testing.T) {
			m, err := s.Matrix(context.Background(), []roster.Location{a, b}, tc.mode)
			if err != nil {
				t.Fatal(err)
			}
			d := gc * tc.detour
			wantS, wantM := int(math.Round(d/(tc.speed/3.6))), int(math.Round(d))
			for _, leg := range [][2]int{{0, 1}, {1, 0}} {
				gotS, gotM := m.Leg(leg[0], leg[1])
				if gotS != wantS || gotM != wantM {
					t.Errorf("leg %v = %d s, %d m; want %d s, %d m", leg, gotS, gotM, wantS, wantM)
				}
			}
			if s, m := m.Leg(0, 0); s != 0 || m != 0 {
				t.Errorf("leg to itself = %d s, %d m; want 0", s, m)
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
