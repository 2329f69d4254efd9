package road_test

import (
	"bytes"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"

	"github.com/rounds-dev/rounds/geo/road"
	"github.com/rounds-dev/rounds/roster"
)

// Turnham is the turns fixture: a grid of two-way residential streets
// 100 m apart, x = 0..4 and y = 0..4 (at(x, y) as in the test town), every
// 100 m block a way of its own, with:
//   - (a) no left turn at (2,2) from the block below it onto the block to
//     its west;
//   - (c) only straight on at (3,2) from the block to its west;
//   - (d) no right turn at (3,1) from the block below it onto the block to
//     its east, except for bicycles;
//   - (e) a one-way street east from (4,4) to (5,4), a two-way dead end on
//     east to (6,4), and Dock Lane south from (5,4) by (5,3) back to
//     (4,3); no right turn from the one-way street into Dock Lane, so a car
//     on the one-way street must turn round at the dead end;
//   - (f) a ladder east of the grid, joined by a road from (4,0) to (7,0):
//     from (8,0) one way runs north to (8,1) and east to (9,1) (a stub at
//     (8,1) makes it a junction), the other east to (9,0), bent 15 m south
//     at half way, and north to (9,1); a dead end runs on north from
//     (9,1) to (9,2);
//   - a no-left-turn via a way at the top of the grid, which rounds reads
//     but does not obey;
//   - a ferry, tagged as a road too, from (0,4) to (9,2), which no carer
//     takes.
//
// The times worked out below use the turn costs of OSRM's car profile for
// traffic on the left (turns.go), in seconds: a right turn (across
// traffic) of 90° costs 5.395, a left turn of 90° 2.105, straight on
// 0.018 and a U-turn 27.497; residential streets are driven at 25 km/h
// (14.4 s a block) and cycled at 15 km/h.
const (
	right90  = 5.395
	left90   = 2.105
	straight = 0.018
	uTurn    = 27.497
	blockS   = 14.4
)

type turnhamPlan struct {
	ways []townWay
	rels []townRelation
}

func turnham() turnhamPlan {
	res := [2]string{"highway", "residential"}
	var p turnhamPlan
	index := map[string]int{}
	add := func(name string, pts [][2]float64, tags ...[2]string) {
		index[name] = len(p.ways)
		p.ways = append(p.ways, townWay{pts: pts, tags: append([][2]string{res}, tags...)})
	}
	for y := 0.0; y <= 4; y++ {
		for x := 0.0; x < 4; x++ {
			add(fmt.Sprintf("h%g,%g", x, y), [][2]float64{{x, y}, {x + 1, y}})
		}
	}
	for x := 0.0; x <= 4; x++ {
		for y := 0.0; y < 4; y++ {
			add(fmt.Sprintf("v%g,%g", x, y), [][2]float64{{x, y}, {x, y + 1}})
		}
	}
	add("one way", [][2]float64{{4, 4}, {5, 4}}, [2]string{"oneway", "yes"})
	add("dead end", [][2]float64{{5, 4}, {6, 4}})
	add("dock lane", [][2]float64{{5, 4}, {5, 3}, {4, 3}})
	add("link", [][2]float64{{4, 0}, {7, 0}})
	add("ladder south", [][2]float64{{7, 0}, {8, 0}})
	add("rung west", [][2]float64{{8, 0}, {8, 1}})
	add("ladder north", [][2]float64{{8, 1}, {9, 1}})
	add("stub", [][2]float64{{8, 1}, {8, 1.3}})
	add("bent", [][2]float64{{8, 0}, {8.5, -0.15}, {9, 0}})
	add("rung east", [][2]float64{{9, 0}, {9, 1}})
	add("top", [][2]float64{{9, 1}, {9, 2}})
	add("ferry", [][2]float64{{0, 4}, {9, 2}}, [2]string{"route", "ferry"}, [2]string{"foot", "yes"}, [2]string{"motor_vehicle", "yes"})
	pt := func(x, y float64) *[2]float64 { return &[2]float64{x, y} }
	rel := func(from, to string, via *[2]float64, tags ...[2]string) {
		p.rels = append(p.rels, townRelation{from: index[from], to: index[to], via: via,
			tags: append([][2]string{{"type", "restriction"}}, tags...)})
	}
	rel("v2,1", "h1,2", pt(2, 2), [2]string{"restriction", "no_left_turn"})
	rel("h2,2", "h3,2", pt(3, 2), [2]string{"restriction", "only_straight_on"})
	rel("v3,0", "h3,1", pt(3, 1), [2]string{"restriction", "no_right_turn"}, [2]string{"except", "bicycle"})
	rel("one way", "dock lane", pt(5, 4), [2]string{"restriction", "no_right_turn"})
	p.rels = append(p.rels, townRelation{from: index["v1,3"], viaWays: []int{index["h1,4"]}, to: index["v2,3"],
		tags: [][2]string{{"type", "restriction"}, {"restriction", "no_u_turn"}}})
	return p
}

var (
	turnhamPath    = filepath.Join("testdata", "turnham.osm")
	turnhamPBFPath = filepath.Join("testdata", "turnham.osm.pbf")
)

// TestTurnhamFixture keeps testdata/turnham.osm and turnham.osm.pbf in
// step with the plan above.
func TestTurnhamFixture(t *testing.T) {
	p := turnham()
	checkFixtures(t, map[string][]byte{
		turnhamPath:    planOSM(p.ways, p.rels, "geo/road/turns_test.go (go test ./geo/road -run TestTurnhamFixture -update)", "rounds turns fixture"),
		turnhamPBFPath: planPBF(t, p.ways, p.rels, "rounds turns fixture"),
	}, "TestTurnhamFixture")
}

// TestTurns checks each journey of Turnham against the time and length
// worked out by hand, on the XML and the PBF fixture alike.
func TestTurns(t *testing.T) {
	cases := []struct {
		name     string
		mode     roster.Mode
		from, to roster.Location
		wantM    float64
		// wantS is the time; -1 leaves it unchecked (walking's pace is
		// tested elsewhere).
		wantS float64
	}{
		// (a) North up x = 2 and left at (2,2) would be 100 m. The left
		// turn is banned, so back south, right at (2,1), (1,1) and
		// (1,2): 300 m; the way round the other side, three lefts, is
		// 400 m and 63.9 s.
		{"no left turn", roster.Drive, at(2, 1.5), at(1.5, 2), 300, 3*blockS + 3*right90},
		{"no left turn binds cyclists", roster.Cycle, at(2, 1.5), at(1.5, 2), 300, 300 / (15 / 3.6)},
		{"walkers turn freely", roster.Walk, at(2, 1.5), at(1.5, 2), 100, -1},
		// (c) Only straight on at (3,2) eastbound: west first, and right
		// at (2,2), (2,3) and (3,3): 300 m.
		{"only straight on", roster.Drive, at(2.5, 2), at(3, 2.5), 300, 3*blockS + 3*right90},
		// (d) No right turn at (3,1) northbound, except for bicycles:
		// cars go south, and left at (3,0), (4,0) and (4,1): 300 m.
		{"no right turn for cars", roster.Drive, at(3, 0.5), at(3.5, 1), 300, 3*blockS + 3*left90},
		{"but bicycles may", roster.Cycle, at(3, 0.5), at(3.5, 1), 100, 100 / (15 / 3.6)},
		// (e) On the one-way street, no right into Dock Lane: straight
		// on at (5,4), round at the dead end, back, and left into Dock
		// Lane: 50 + 100 + 100 + 50 m.
		{"U-turn at a dead end", roster.Drive, at(4.5, 4), at(5, 3.5), 300, 3*blockS + straight + uTurn + left90},
		{"walkers cut the corner", roster.Walk, at(4.5, 4), at(5, 3.5), 100, -1},
		// (f) By the rungs, 400 m with a left, a right and a left (9.6 s
		// of turns); by the bent road, 404.4 m with a slight right of
		// 16.7° (0.064 s) and straight on (0.018 s). Driving takes the
		// bent road; cycling, which pays no turn costs, the rungs.
		{"turn costs change the way", roster.Drive, at(6.5, 0), at(9, 1.5), 404.4, 404.4/(25/3.6) + 0.064 + straight},
		{"without them the shorter way", roster.Cycle, at(6.5, 0), at(9, 1.5), 400, 400 / (15 / 3.6)},
		// The ferry would take a walker from (0,4) to (9,2) in 922 m;
		// by road it is 350 + 400 + 300 + 100 + 100 + 100 + 50 m.
		{"no ferry", roster.Walk, at(0.5, 4), at(9, 1.5), 1400, -1},
	}
	for _, path := range []string{turnhamPath, turnhamPBFPath} {
		n, err := road.LoadFile(t.Context(), path, road.Options{})
		if err != nil {
			t.Fatal(err)
		}
		st := n.Stats()
		if st.Restrictions != 4 || st.RestrictionsSkipped != 1 {
			t.Errorf("%s: %d restrictions obeyed and %d skipped, want 4 and 1 (the via way)", path, st.Restrictions, st.RestrictionsSkipped)
		}
		for _, c := range cases {
			t.Run(filepath.Base(path)+"/"+c.name, func(t *testing.T) {
				durS, distM := leg(t, n, c.mode, c.from, c.to)
				if !near(float64(distM), c.wantM, 2) {
					t.Errorf("%d m, want %.0f m", distM, c.wantM)
				}
				if c.wantS >= 0 && math.Abs(float64(durS)-c.wantS) > 1 {
					t.Errorf("%d s, want %.1f s", durS, c.wantS)
				}
				line, err := n.Path(c.mode, orb.Point{c.from.Lon, c.from.Lat}, orb.Point{c.to.Lon, c.to.Lat})
				if err != nil {
					t.Fatal(err)
				}
				if l := geo.LengthHaversine(line); !near(l, float64(distM), 3) {
					t.Errorf("the path is %.0f m long, the table says %d m", l, distM)
				}
			})
		}
	}
}

// TestTurnsOnTheRight checks DriveOnRight: there right turns are the
// cheap ones, so the detour of (a) costs three of those, and the data
// version says which side.
func TestTurnsOnTheRight(t *testing.T) {
	left, err := road.LoadFile(t.Context(), turnhamPath, road.Options{})
	if err != nil {
		t.Fatal(err)
	}
	right, err := road.LoadFile(t.Context(), turnhamPath, road.Options{DriveOnRight: true})
	if err != nil {
		t.Fatal(err)
	}
	durS, distM := leg(t, right, roster.Drive, at(2, 1.5), at(1.5, 2))
	if want := 3*blockS + 3*left90; distM != 300 || math.Abs(float64(durS)-want) > 1 {
		t.Errorf("on the right: %d m in %d s, want 300 m in %.1f s", distM, durS, want)
	}
	lv, rv := left.Source().Version, right.Source().Version
	if lv == rv || !strings.Contains(lv, "turns=osrm-car-left") || !strings.Contains(rv, "turns=osrm-car-right") {
		t.Errorf("versions %q and %q: want the side of the road named", lv, rv)
	}
}

// TestTurnTrapNotSnapped builds a one-way street into a junction whose
// every way on is banned, a trap, and checks that a place beside it is
// snapped to a road a car can leave (and a table answers) rather than to
// the trap.
func TestTurnTrapNotSnapped(t *testing.T) {
	p := turnhamPlan{}
	add := func(pts [][2]float64, tags ...[2]string) int {
		p.ways = append(p.ways, townWay{pts: pts, tags: append([][2]string{{"highway", "residential"}}, tags...)})
		return len(p.ways) - 1
	}
	// A square of two-way streets, and the trap: one way from (0,1) to
	// (0.5,1.5), then on to (1,1) and (0.5,2) as two ways, each banned.
	for _, w := range [][][2]float64{{{0, 0}, {1, 0}}, {{1, 0}, {1, 1}}, {{1, 1}, {0, 1}}, {{0, 1}, {0, 0}}} {
		add(w)
	}
	trap := add([][2]float64{{0, 1}, {0.5, 1.5}}, [2]string{"oneway", "yes"})
	east := add([][2]float64{{0.5, 1.5}, {1, 1}})
	north := add([][2]float64{{0.5, 1.5}, {0.5, 2}, {1, 2}, {1, 1}})
	for _, to := range []int{east, north} {
		p.rels = append(p.rels, townRelation{from: trap, to: to, via: &[2]float64{0.5, 1.5},
			tags: [][2]string{{"type", "restriction"}, {"restriction", "no_straight_on"}}})
	}
	n, err := road.Load(t.Context(), bytes.NewReader(planOSM(p.ways, p.rels, "TestTurnTrapNotSnapped", "test")), road.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if st := n.Stats(); st.Restrictions != 2 {
		t.Fatalf("%d restrictions obeyed, want 2", st.Restrictions)
	}
	// Beside the trap, 10 m from it and 35 m from the square's corner.
	beside := at(0.2, 1.3)
	durS, distM := leg(t, n, roster.Drive, beside, at(0.5, 0))
	if distM < 50 {
		t.Fatalf("%d m in %d s: want the way from the square's corner, not from the trap", distM, durS)
	}
	// Walkers may use the trap's street.
	if _, distM := leg(t, n, roster.Walk, beside, at(0.5, 1.5)); distM > 60 {
		t.Errorf("walking: %d m, want along the trap's street", distM)
	}
}
