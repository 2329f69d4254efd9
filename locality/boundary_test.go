package locality

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/rounds-dev/rounds/roster"
)

// square is a closed anticlockwise ring of a square with its south-west
// corner at (x, y), side d degrees.
func square(x, y, d float64) string {
	return fmt.Sprintf("[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]", x, y, x+d, y, x+d, y+d, x, y+d, x, y)
}

func feature(props, geomType, coords string) string {
	return fmt.Sprintf(`{"type":"Feature","properties":%s,"geometry":{"type":%q,"coordinates":%s}}`, props, geomType, coords)
}

func collection(fs ...string) string {
	return `{"type":"FeatureCollection","features":[` + strings.Join(fs, ",") + `]}`
}

// twoTowns are two localities that share a border along x = -1.7, the
// first with a hole (a park with no homes), and a third, separate, made
// of two islands.
var twoTowns = collection(
	feature(`{"name":"West"}`, "Polygon", "["+square(-1.8, 53.7, 0.1)+","+"[[-1.78,53.72],[-1.78,53.74],[-1.76,53.74],[-1.76,53.72],[-1.78,53.72]]"+"]"),
	feature(`{"id":"East"}`, "Polygon", "["+square(-1.7, 53.7, 0.1)+"]"),
	feature(`{"name":"Islands"}`, "MultiPolygon", "[["+square(-1.5, 53.7, 0.02)+"],["+square(-1.45, 53.7, 0.02)+"]]"),
)

func TestReadBoundaries(t *testing.T) {
	b, err := ReadBoundaries(strings.NewReader(twoTowns))
	if err != nil {
		t.Fatalf("ReadBoundaries: %v", err)
	}
	if got := strings.Join(b.Names, ","); got != "West,East,Islands" {
		t.Errorf("names %s", got)
	}
	if len(b.Shapes[2]) != 2 || len(b.Shapes[0][0]) != 2 {
		t.Errorf("shapes: islands have %d parts, West %d rings", len(b.Shapes[2]), len(b.Shapes[0][0]))
	}
}

func TestReadBoundariesRefuses(t *testing.T) {
	west := feature(`{"name":"West"}`, "Polygon", "["+square(-1.8, 53.7, 0.1)+"]")
	for _, tc := range []struct {
		name, in, path, reason string
	}{
		{"not a polygon", collection(west, feature(`{"name":"P"}`, "Point", "[-1,53]")), "features[1].geometry.type", "is Point"},
		{"no geometry", collection(west, `{"type":"Feature","properties":{"name":"N"},"geometry":null}`), "features[1].geometry", "is missing"},
		{"no name", collection(west, feature(`{"colour":"red"}`, "Polygon", "["+square(0, 50, 1)+"]")), "features[1].properties.name", "no name"},
		{"duplicate name", collection(west, feature(`{"name":"West"}`, "Polygon", "["+square(0, 50, 1)+"]")), "features[1].properties.name", "also the name of features[0]"},
		{"ring not closed", collection(west, feature(`{"name":"O"}`, "Polygon", "[[[0,50],[1,50],[1,51],[0,51]]]")), "features[1].geometry.coordinates[0]", "not closed"},
		{"too few points", collection(west, feature(`{"name":"O"}`, "Polygon", "[[[0,50],[1,50],[0,50]]]")), "features[1].geometry.coordinates[0]", "has 3 points"},
		{"bow tie", collection(west, feature(`{"name":"B"}`, "Polygon", "[[[0,50],[1,51],[1,50],[0,51],[0,50]]]")), "features[1].geometry.coordinates[0]", "crosses itself"},
		{"spike", collection(west, feature(`{"name":"S"}`, "Polygon", "[[[0,50],[2,50],[1,50],[1,51],[0,50]]]")), "features[1].geometry.coordinates[0]", "crosses itself"},
		{"flat", collection(west, feature(`{"name":"F"}`, "Polygon", "[[[0,50],[1,50],[2,50],[0,50]]]")), "features[1].geometry.coordinates[0]", "crosses itself"}, // it doubles back on itself
		{"not lon/lat", collection(west, feature(`{"name":"M"}`, "Polygon", "["+square(400000, 500000, 1000)+"]")), "features[1].geometry.coordinates[0]", "not a longitude"},
		{"hole outside", collection(west, feature(`{"name":"H"}`, "Polygon", "["+square(0, 50, 1)+","+square(3, 50, 0.5)+"]")), "features[1].geometry.coordinates[1]", "outside its polygon"},
		{"hole across shell", collection(west, feature(`{"name":"H"}`, "Polygon", "["+square(0, 50, 1)+","+square(0.5, 50.2, 1)+"]")), "features[1].geometry.coordinates[1]", "crosses its polygon's outer ring"},
		{"multipolygon ring", collection(west, feature(`{"name":"M"}`, "MultiPolygon", "[["+square(0, 50, 1)+"],[[[3,50],[4,50],[3,50]]]]")), "features[1].geometry.coordinates[1][0]", "has 3 points"},
		{"parts overlap", collection(west, feature(`{"name":"M"}`, "MultiPolygon", "[["+square(0, 50, 1)+"],["+square(0.5, 50.5, 1)+"]]")), "features[1].geometry.coordinates[1]", "overlaps polygon 0"},
		{"edges cross", collection(west, feature(`{"name":"X"}`, "Polygon", "["+square(-1.75, 53.75, 0.1)+"]")), "features[1].geometry", "overlaps features[0]"},
		{"one inside another", collection(west, feature(`{"name":"I"}`, "Polygon", "["+square(-1.78, 53.72, 0.02)+"]")), "features[1].geometry", "overlaps features[0]"},
		{"the same shape twice", collection(west, feature(`{"name":"W2"}`, "Polygon", "["+square(-1.8, 53.7, 0.1)+"]")), "features[1].geometry", "overlaps features[0]"},
		{"inside, touching its border", collection(west, feature(`{"name":"T"}`, "Polygon", "["+square(-1.8, 53.7, 0.05)+"]")), "features[1].geometry", "overlaps features[0]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadBoundaries(strings.NewReader(tc.in))
			var fe roster.FieldErrors
			if !errors.As(err, &fe) {
				t.Fatalf("want field errors, got %v", err)
			}
			for _, e := range fe {
				if e.Path == tc.path && strings.Contains(e.Reason, tc.reason) {
					return
				}
			}
			t.Errorf("want %s: ...%s..., got %v", tc.path, tc.reason, err)
		})
	}
}

// TestReadBoundariesCollects checks that every problem is reported at
// once, not just the first.
func TestReadBoundariesCollects(t *testing.T) {
	in := collection(
		feature(`{}`, "Point", "[0,0]"),
		feature(`{"name":"O"}`, "Polygon", "[[[0,50],[1,50],[1,51],[0,51]]]"),
	)
	_, err := ReadBoundaries(strings.NewReader(in))
	var fe roster.FieldErrors
	if !errors.As(err, &fe) || len(fe) != 3 {
		t.Fatalf("want 3 problems, got %v", err)
	}
}

func TestReadBoundariesNotGeoJSON(t *testing.T) {
	for _, in := range []string{"", "{", `{"type":"FeatureCollection","features":[]}`} {
		if _, err := ReadBoundaries(strings.NewReader(in)); err == nil {
			t.Errorf("%q: want an error", in)
		}
	}
}

// TestNeighboursShareBorders checks that localities that share a border,
// even one cut at different points on each side, are accepted.
func TestNeighboursShareBorders(t *testing.T) {
	in := collection(
		feature(`{"name":"A"}`, "Polygon", "[[[0,50],[1,50],[1,50.5],[1,51],[0,51],[0,50]]]"),
		feature(`{"name":"B"}`, "Polygon", "[[[1,50],[2,50],[2,51],[1,51],[1,50.25],[1,50]]]"),
		feature(`{"name":"C"}`, "Polygon", "[[[0,51],[2,51],[1,52],[0,51]]]"),
	)
	if _, err := ReadBoundaries(strings.NewReader(in)); err != nil {
		t.Fatal(err)
	}
}

func loc(lon, lat float64) Client {
	return Client{Location: roster.Location{Lat: lat, Lon: lon}, WeeklyHours: 10}
}

func TestAllocate(t *testing.T) {
	b, err := ReadBoundaries(strings.NewReader(twoTowns))
	if err != nil {
		t.Fatal(err)
	}
	clients := []Client{
		loc(-1.75, 53.75),    // 0: West
		loc(-1.65, 53.75),    // 1: East
		loc(-1.7, 53.75),     // 2: on the shared border: the first, West
		loc(-1.77, 53.73),    // 3: in West's hole
		loc(-1.0, 53.0),      // 4: nowhere
		loc(-1.44, 53.71),    // 5: the second island
		loc(-1.8, 53.7),      // 6: West's corner
		loc(-1.6, 53.800001), // 7: just north of East
	}
	by, un := b.Allocate(clients)
	want := [][]int{{0, 2, 6}, {1}, {5}}
	if fmt.Sprint(by) != fmt.Sprint(want) {
		t.Errorf("by locality %v, want %v", by, want)
	}
	if fmt.Sprint(un) != "[3 4 7]" {
		t.Errorf("unallocated %v, want [3 4 7]", un)
	}
}

func TestWriteGeoJSONRoundTrip(t *testing.T) {
	b, err := ReadBoundaries(strings.NewReader(twoTowns))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	props := []map[string]any{{"hours": 700.0}, {"hours": 1200.0}, {"hours": 90.0, "name": "ignored"}}
	if err := b.WriteGeoJSON(&buf, props); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"hours":1200`) || strings.Contains(buf.String(), "ignored") {
		t.Errorf("properties not written as expected: %s", buf.String())
	}
	c, err := ReadBoundaries(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(c.Names) != fmt.Sprint(b.Names) || fmt.Sprint(c.Shapes) != fmt.Sprint(b.Shapes) {
		t.Errorf("round trip changed the boundaries")
	}
	if err := b.WriteGeoJSON(&buf, props[:1]); err == nil {
		t.Error("too few property sets: want an error")
	}
}

func TestPolsbyPopper(t *testing.T) {
	hex := make(orb.Ring, 7)
	n := 720
	circle := make(orb.Ring, n+1)
	// Shapes a few kilometres across at Bradford's latitude.
	for i := range 6 {
		a := float64(i) * math.Pi / 3
		hex[i] = orb.Point{-1.75 + 0.03*math.Cos(a)/math.Cos(53.8*math.Pi/180), 53.8 + 0.03*math.Sin(a)}
	}
	hex[6] = hex[0]
	for i := range n {
		a := float64(i) * 2 * math.Pi / float64(n)
		circle[i] = orb.Point{-1.75 + 0.03*math.Cos(a)/math.Cos(53.8*math.Pi/180), 53.8 + 0.03*math.Sin(a)}
	}
	circle[n] = circle[0]
	sq := orb.Ring{{0, 0}, {0.001, 0}, {0.001, 0.001}, {0, 0.001}, {0, 0}}
	// A long thin strip, 100 times as long as wide.
	strip := orb.Ring{{0, 0}, {0.1, 0}, {0.1, 0.001}, {0, 0.001}, {0, 0}}
	holed := orb.Polygon{circle, {{-1.751, 53.799}, {-1.751, 53.801}, {-1.749, 53.801}, {-1.749, 53.799}, {-1.751, 53.799}}}
	for _, tc := range []struct {
		name string
		mp   orb.MultiPolygon
		want float64
	}{
		{"circle", orb.MultiPolygon{{circle}}, 1},
		{"hexagon", orb.MultiPolygon{{hex}}, math.Pi / (2 * math.Sqrt(3))},
		{"square on the equator", orb.MultiPolygon{{sq}}, math.Pi / 4},
		{"strip", orb.MultiPolygon{{strip}}, 4 * math.Pi * 100 / (202 * 202)},
		{"empty", nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := PolsbyPopper(tc.mp); math.Abs(got-tc.want) > 1e-3 {
				t.Errorf("got %.4f, want %.4f", got, tc.want)
			}
		})
	}
	if h, c := PolsbyPopper(orb.MultiPolygon{holed}), PolsbyPopper(orb.MultiPolygon{{circle}}); !(h < c) {
		t.Errorf("a hole should make a shape less compact: %.4f vs %.4f", h, c)
	}
}

// TestAllocateByHand checks boundaries made in code, not read, allocate
// too.
func TestAllocateByHand(t *testing.T) {
	b := &Boundaries{Names: []string{"A"}, Shapes: []orb.MultiPolygon{{{{{0, 50}, {1, 50}, {1, 51}, {0, 51}, {0, 50}}}}}}
	by, un := b.Allocate([]Client{loc(0.5, 50.5), loc(2, 50.5)})
	if fmt.Sprint(by, un) != "[[0]] [1]" {
		t.Errorf("got %v %v", by, un)
	}
}
