package road_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"

	"github.com/rounds-dev/rounds/geo/road"
	"github.com/rounds-dev/rounds/roster"
)

func pt(l roster.Location) orb.Point { return orb.Point{l.Lon, l.Lat} }

// checkPath checks the path from a to b by mode: it starts at a and ends
// at b, its length less the two legs to and from the road is the tables'
// distance (to the metre the tables round to, and a little for the
// decimetres each edge is rounded to), and every point between the snap
// legs lies on a road the mode can use.
func checkPath(t *testing.T, n *road.Network, mode roster.Mode, a, b roster.Location) orb.LineString {
	t.Helper()
	line, err := n.Path(mode, pt(a), pt(b))
	if err != nil {
		t.Fatal(err)
	}
	if len(line) < 2 || line[0] != pt(a) || line[len(line)-1] != pt(b) {
		t.Fatalf("path %v does not run from %v to %v", line, pt(a), pt(b))
	}
	_, distM := leg(t, n, mode, a, b)
	snaps, err := n.Snap(mode, []roster.Location{a, b})
	if err != nil {
		t.Fatal(err)
	}
	want := float64(distM) + snaps[0].DistanceM + snaps[1].DistanceM
	if got := geo.LengthHaversine(line); !near(got, want, 1.5) {
		t.Errorf("path of %.1f m, want the table's %d m and snap legs of %.1f and %.1f m", got, distM, snaps[0].DistanceM, snaps[1].DistanceM)
	}
	for i := 1; i < len(line)-1; i++ {
		on, err := n.Snap(mode, []roster.Location{{Lat: line[i].Lat(), Lon: line[i].Lon()}})
		if err != nil {
			t.Fatal(err)
		}
		if on[0].DistanceM > 0.5 {
			t.Errorf("point %d %v of the path is %.1f m off the road", i, line[i], on[0].DistanceM)
		}
	}
	return line
}

// TestPath follows the ways the town's hand-worked legs take (TestTownLegs)
// and checks each path against the tables.
func TestPath(t *testing.T) {
	n := loadTown(t, road.Options{})
	cases := []struct {
		name      string
		mode      roster.Mode
		from, to  roster.Location
		wantDistM float64
	}{
		{"along one edge", roster.Drive, at(0.2, 1.05), at(0.8, 1.05), 60},
		{"one way, against the flow", roster.Drive, at(0.8, 1.05), at(0.2, 1.05), 340},
		{"walkers ignore one way", roster.Walk, at(0.8, 1.05), at(0.2, 1.05), 60},
		{"across edges", roster.Drive, at(0.5, 1.05), at(1.5, 1.05), 100},
		{"round the bollard", roster.Drive, at(1.5, 0), at(3.5, 0), 0},
		{"over the footbridge", roster.Walk, at(1, 2), at(0.5, 5), 0},
		{"over the car bridge", roster.Drive, at(1, 2), at(0.5, 5), 0},
		{"a place to itself", roster.Walk, at(1.5, 1.3), at(1.5, 1.3), 0},
		{"off the road", roster.Cycle, at(1.5, 1.3), at(3.2, 2.6), 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			line := checkPath(t, n, c.mode, c.from, c.to)
			if c.wantDistM > 0 {
				// Both places lie 5 m from the street.
				if got := geo.LengthHaversine(line); !near(got, c.wantDistM+10, 1.5) {
					t.Errorf("path of %.1f m, want %.0f m", got, c.wantDistM+10)
				}
			}
		})
	}
}

// TestPathRandom checks paths between random places in the town, by every
// mode, against the tables.
func TestPathRandom(t *testing.T) {
	n := loadTown(t, road.Options{})
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 30 {
		a := at(rng.Float64()*4, rng.Float64()*5)
		b := at(rng.Float64()*4, rng.Float64()*5)
		for _, mode := range []roster.Mode{roster.Walk, roster.Drive, roster.Cycle} {
			t.Run(fmt.Sprintf("%d/%s", i, mode), func(t *testing.T) { checkPath(t, n, mode, a, b) })
		}
	}
}

// TestPathErrors: a place off the network and a mode it does not route
// are the errors the tables give.
func TestPathErrors(t *testing.T) {
	n := loadTown(t, road.Options{})
	_, err := n.Path(roster.Walk, pt(at(1, 1)), pt(at(30.5, 30)))
	var fe *road.FarError
	if !errors.As(err, &fe) || len(fe.Far) != 1 || fe.Far[0].List != "to" {
		t.Errorf("to a place 3 km from the town: %v, want a *road.FarError naming to", err)
	}
	_, err = n.Path(roster.Public, pt(at(1, 1)), pt(at(2, 2)))
	var ue *road.UnsupportedModeError
	if !errors.As(err, &ue) {
		t.Errorf("by public transport: %v, want a *road.UnsupportedModeError", err)
	}
}
