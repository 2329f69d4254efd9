package road_test

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"

	"github.com/rounds-dev/rounds/geo/road"
)

// box is the bound from town square (x0, y0) to (x1, y1).
func box(x0, y0, x1, y1 float64) orb.Bound {
	return orb.Bound{Min: pt(at(x0, y0)), Max: pt(at(x1, y1))}
}

// TestStreets reads the town's streets back. The whole town gives its
// ways as lines of their class, 4,900 m in all (town_test.go's plan: five
// 400 m streets across, five 300 m up, the 200 m bridge, 20 m of steps,
// the 180 m footbridge, the 800 m motorway loop and the 200 m dead end;
// not the private drive, which no one may use, nor the lone lane far
// off): 14 lines, as the bridge carries on from the street up x = 4 in
// the extract's order and so joins its line. A box on one block of Middle
// Street gives that block alone; a box away from the town nothing.
func TestStreets(t *testing.T) {
	n := loadTown(t, road.Options{})
	all, err := n.Streets(box(-1, -3, 7, 6), 1000)
	if err != nil {
		t.Fatal(err)
	}
	total := 0.0
	classes := map[string]int{}
	for _, s := range all {
		total += geo.LengthHaversine(s.Line)
		classes[s.Highway]++
		if len(s.Line) < 2 {
			t.Errorf("street %v of fewer than two points", s)
		}
	}
	if len(all) != 14 || !near(total, 4900, 1) {
		t.Errorf("%d streets of %.1f m in all, want 14 of 4900 m", len(all), total)
	}
	want := map[string]int{"residential": 11, "steps": 1, "footway": 1, "motorway": 1}
	for k, v := range classes {
		if want[k] != v {
			t.Errorf("classes %v, want %v", classes, want)
			break
		}
	}

	block, err := n.Streets(box(1.2, 1.9, 1.8, 2.1), 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(block) != 1 || block[0].Highway != "residential" || !near(geo.LengthHaversine(block[0].Line), 100, 0.5) {
		t.Errorf("one block of Middle Street gave %v", block)
	}

	none, err := n.Streets(box(10, 10, 20, 20), 1000)
	if err != nil || len(none) != 0 {
		t.Errorf("a box away from the town gave %v, %v", none, err)
	}
}

// TestStreetsSimplified: a box a degree across takes the town's streets
// (and the lone lane) with no more points than a box on the town alone,
// every one on the globe.
func TestStreetsSimplified(t *testing.T) {
	n := loadTown(t, road.Options{})
	c := pt(at(2, 2))
	wide, err := n.Streets(orb.Bound{Min: orb.Point{c[0] - 0.5, c[1] - 0.5}, Max: orb.Point{c[0] + 0.5, c[1] + 0.5}}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	fine, err := n.Streets(box(-1, -3, 7, 6), 1000)
	if err != nil {
		t.Fatal(err)
	}
	count := func(ss []road.Street) (pts int) {
		for _, s := range ss {
			pts += len(s.Line)
		}
		return pts
	}
	// The motorway loop's corners are 200 m and more apart: they stay at
	// either scale; the wide box also holds the lone lane.
	if count(wide) > count(fine)+2 || len(wide) != 15 {
		t.Errorf("a degree across: %d streets of %d points; the town alone: %d of %d", len(wide), count(wide), len(fine), count(fine))
	}
	for _, s := range wide {
		if slices.ContainsFunc(s.Line, func(p orb.Point) bool { return math.IsNaN(p[0]) }) {
			t.Errorf("street %v has a point off the globe", s)
		}
	}
}

// TestStreetsTooMany: a box whose streets take more points than allowed
// is an error saying how many are.
func TestStreetsTooMany(t *testing.T) {
	n := loadTown(t, road.Options{})
	_, err := n.Streets(box(-1, -3, 7, 6), 10)
	var tm *road.TooManyPointsError
	if !errors.As(err, &tm) || tm.Max != 10 {
		t.Fatalf("got %v, want a *road.TooManyPointsError", err)
	}
}
