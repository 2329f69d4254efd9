package road_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/geo/road"
	"github.com/rounds-dev/rounds/roster"
)

func loadTown(t testing.TB, opts road.Options) *road.Network {
	t.Helper()
	n, err := road.LoadFile(context.Background(), townPath, opts)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// leg returns the travel from a to b by mode.
func leg(t *testing.T, n *road.Network, mode roster.Mode, a, b roster.Location) (durS, distM int) {
	t.Helper()
	d, m, err := n.Legs(context.Background(), []roster.Location{a}, []roster.Location{b}, mode)
	if err != nil {
		t.Fatal(err)
	}
	return int(d[0]), int(m[0])
}

// near reports whether got is within tol of want.
func near(got, want, tol float64) bool { return math.Abs(got-want) <= tol }

// TestTownLegs checks journeys across the test town whose lengths can be
// worked out by hand on its 100 m grid: each mode's rules about one-way
// streets, bollards, footbridges and steps decide the way taken.
func TestTownLegs(t *testing.T) {
	n := loadTown(t, road.Options{})
	cases := []struct {
		name      string
		mode      roster.Mode
		from, to  roster.Location
		wantDistM float64
	}{
		// Both points sit 5 m off One Way Street, 60 m apart on one edge.
		{"one way, with the flow", roster.Drive, at(0.2, 1.05), at(0.8, 1.05), 60},
		// Against the flow: on to x = 1, up to Middle Street, back along
		// it and down x = 0 to rejoin One Way Street.
		{"one way, against the flow", roster.Drive, at(0.8, 1.05), at(0.2, 1.05), 20 + 100 + 100 + 100 + 20},
		{"one way does not bind walkers", roster.Walk, at(0.8, 1.05), at(0.2, 1.05), 60},
		// Across two edges of One Way Street, with the flow.
		{"one way, two edges", roster.Drive, at(0.5, 1.05), at(1.5, 1.05), 100},
		// The bollard on South Street: cars go round by One Way Street.
		{"bollard stops cars", roster.Drive, at(2, 0), at(3, 0), 300},
		{"bollard lets walkers by", roster.Walk, at(2, 0), at(3, 0), 100},
		// Over the river: the footbridge and its steps, or the road
		// bridge at x = 4.
		{"footbridge for walkers", roster.Walk, at(0, 3), at(0, 5), 200},
		{"road bridge for cars", roster.Drive, at(0, 3), at(0, 5), 400 + 200 + 400},
		{"bikes are pushed over the footbridge", roster.Cycle, at(0, 3), at(0, 5), 200},
		{"same place", roster.Walk, at(1, 2), at(1, 2), 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			durS, distM := leg(t, n, c.mode, c.from, c.to)
			if !near(float64(distM), c.wantDistM, 2) {
				t.Fatalf("distance %d m, want %.0f m", distM, c.wantDistM)
			}
			if distM > 0 && durS <= 0 {
				t.Fatalf("%d m in %d s", distM, durS)
			}
		})
	}
}

// TestTownSpeeds checks the times that go with distances: residential
// streets at 25 km/h by car, walking at the configured pace. The drive is
// straight on along Middle Street, over three crossroads, which cost a
// car 0.01 s each (turns_test.go prices the turns).
func TestTownSpeeds(t *testing.T) {
	n := loadTown(t, road.Options{WalkKMH: 4.5})
	durS, distM := leg(t, n, roster.Drive, at(0.5, 2), at(3.5, 2))
	if want := float64(distM) / (25 / 3.6); !near(float64(durS), want, 1) {
		t.Errorf("driving %d m took %d s, want %.0f s at 25 km/h", distM, durS, want)
	}
	durS, distM = leg(t, n, roster.Walk, at(0, 2), at(4, 2))
	if want := float64(distM) / (4.5 / 3.6); !near(float64(durS), want, 1) {
		t.Errorf("walking %d m took %d s, want %.0f s at 4.5 km/h", distM, durS, want)
	}
}

// TestSnapPerMode checks that each mode places a location on a road it may
// use: the motorway is for cars, the one-way dead end is cut from the car
// network (a car could not leave it), and the private drive is for nobody.
func TestSnapPerMode(t *testing.T) {
	n := loadTown(t, road.Options{})
	cases := []struct {
		name  string
		mode  roster.Mode
		where roster.Location
		wantM float64
	}{
		{"on the motorway by car", roster.Drive, at(2, -2), 0},
		{"beside the motorway on foot", roster.Walk, at(2, -2), 200},
		{"beside the motorway by bike", roster.Cycle, at(2, -2), 200},
		{"dead end on foot", roster.Walk, at(6, 2), 0},
		{"dead end by car", roster.Drive, at(6, 2), 200},
		{"private drive on foot", roster.Walk, at(6, 3), 100},
		{"between streets", roster.Walk, at(1.5, 1.3), 30},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := n.Snap(c.mode, []roster.Location{c.where})
			if err != nil {
				t.Fatal(err)
			}
			if !near(s[0].DistanceM, c.wantM, 1.5) {
				t.Fatalf("snapped %.1f m away, want %.0f m", s[0].DistanceM, c.wantM)
			}
		})
	}
}

// TestFarLocations checks that a location far from every usable road is an
// error naming it and its distance, for the matrix and for legs alike.
func TestFarLocations(t *testing.T) {
	n := loadTown(t, road.Options{})
	pts := []roster.Location{at(1, 1), at(30.5, 30), at(2, 2), at(6, 3)}
	_, err := n.Matrix(context.Background(), pts, roster.Drive)
	var fe *road.FarError
	if !errors.As(err, &fe) {
		t.Fatalf("got %v, want a *road.FarError", err)
	}
	// The lone lane is cut off, so (30.5, 30) is about 3.6 km from the
	// town; the private drive's end is 100 m from the river bridge, within
	// the default 500 m.
	if len(fe.Far) != 1 || fe.Far[0].Index != 1 || fe.Far[0].List != "points" || fe.Far[0].DistanceM < 3000 {
		t.Fatalf("far locations %+v, want only points[1], over 3 km away", fe.Far)
	}
	if !strings.Contains(err.Error(), "points[1]") || !strings.Contains(err.Error(), "m away") {
		t.Errorf("message %q does not name the location and its distance", err)
	}

	_, _, err = n.Legs(context.Background(), pts[:1], []roster.Location{{Lat: math.NaN(), Lon: 0}}, roster.Walk)
	if !errors.As(err, &fe) || fe.Far[0].List != "to" || fe.Far[0].Index != 0 {
		t.Fatalf("a NaN location gave %v, want a *road.FarError for to[0]", err)
	}

	tight := loadTown(t, road.Options{MaxSnapM: 50})
	_, err = tight.Matrix(context.Background(), []roster.Location{at(1, 1), at(6, 3)}, roster.Walk)
	if !errors.As(err, &fe) || len(fe.Far) != 1 || !near(fe.Far[0].DistanceM, 100, 1.5) {
		t.Fatalf("with a 50 m limit got %v, want (6,3) reported 100 m from the road", err)
	}
}

func TestUnsupportedMode(t *testing.T) {
	n := loadTown(t, road.Options{})
	_, err := n.Matrix(context.Background(), []roster.Location{at(1, 1)}, roster.Public)
	var ue *road.UnsupportedModeError
	if !errors.As(err, &ue) || ue.Mode != roster.Public {
		t.Fatalf("got %v, want *road.UnsupportedModeError for public", err)
	}
}

// TestBadExtracts checks that missing, empty, corrupt and roadless input
// each give an error saying so.
func TestBadExtracts(t *testing.T) {
	ctx := context.Background()
	if _, err := road.LoadFile(ctx, "testdata/missing.osm.pbf", road.Options{}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: got %v, want fs.ErrNotExist", err)
	}
	cases := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, road.ErrNotExtract},
		{"text", []byte("this is not a map at all"), road.ErrNotExtract},
		// A PBF block header that promises more than follows.
		{"truncated pbf", []byte("\x00\x00\x00\x0d\x0a\x09OSMHeader\x18\xff\xff\x01"), nil},
		{"garbled pbf", append([]byte("\x00\x00\x00\x0d\x0a\x09OSMHeader\x18\x10"), bytes.Repeat([]byte{0x55}, 64)...), nil},
		{"broken xml", []byte(`<osm><node id="1" lat="52" lon="0"><way`), nil},
		{"no roads", []byte(`<osm><node id="1" lat="52" lon="0"/><node id="2" lat="52.1" lon="0"/><way id="1"><nd ref="1"/><nd ref="2"/><tag k="waterway" v="river"/></way></osm>`), road.ErrNoRoads},
		{"roads whose nodes are missing", []byte(`<osm><way id="1"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/></way></osm>`), road.ErrNoRoads},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := road.Load(ctx, bytes.NewReader(c.data), road.Options{})
			if err == nil {
				t.Fatal("loaded without error")
			}
			if c.want != nil && !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
		})
	}
}

func TestBadOptions(t *testing.T) {
	for _, o := range []road.Options{{WalkKMH: -1}, {CycleKMH: math.NaN()}, {MaxSnapM: math.Inf(1)}} {
		if _, err := road.LoadFile(context.Background(), townPath, o); err == nil {
			t.Errorf("options %+v accepted", o)
		}
	}
}

// TestMatrixProperties checks, over random places in the town, that a
// place's leg to itself is zero, walking is symmetric, no leg beats a
// detour through a third place (to within rounding), and Legs agrees with
// Matrix.
func TestMatrixProperties(t *testing.T) {
	n := loadTown(t, road.Options{})
	r := rand.New(rand.NewPCG(1, 2))
	var pts []roster.Location
	for range 25 {
		pts = append(pts, at(r.Float64()*4, r.Float64()*5))
	}
	ctx := context.Background()
	for _, mode := range []roster.Mode{roster.Walk, roster.Drive, roster.Cycle} {
		m, err := n.Matrix(ctx, pts, mode)
		if err != nil {
			t.Fatal(err)
		}
		for i := range pts {
			if d, l := m.Leg(i, i); d != 0 || l != 0 {
				t.Fatalf("%s: leg %d to itself is %d s, %d m", mode, i, d, l)
			}
			for j := range pts {
				dij, lij := m.Leg(i, j)
				if mode == roster.Walk {
					if dji, _ := m.Leg(j, i); dji != dij {
						t.Fatalf("walk: %d→%d takes %d s but back %d s", i, j, dij, dji)
					}
				}
				// Short legs may round to 0 s, but distinct places are
				// some metres apart.
				if i != j && (dij < 0 || lij <= 0) {
					t.Fatalf("%s: %d→%d is %d s, %d m", mode, i, j, dij, lij)
				}
				// A car that stops on the way may turn round there, or
				// take a turn it would pay for going through, so only a
				// walk keeps to the triangle inequality.
				for k := range pts {
					dik, _ := m.Leg(i, k)
					dkj, _ := m.Leg(k, j)
					if mode == roster.Walk && dij > dik+dkj+1 {
						t.Fatalf("%s: %d→%d takes %d s, but via %d only %d s", mode, i, j, dij, k, dik+dkj)
					}
				}
			}
		}
		from, to := pts[3:9], pts[10:22]
		d, l, err := n.Legs(ctx, from, to, mode)
		if err != nil {
			t.Fatal(err)
		}
		for i := range from {
			for j := range to {
				wd, wl := m.Leg(3+i, 10+j)
				if int(d[i*len(to)+j]) != wd || int(l[i*len(to)+j]) != wl {
					t.Fatalf("%s: Legs gives %d s %d m for %d→%d, Matrix %d s %d m", mode, d[i*len(to)+j], l[i*len(to)+j], i, j, wd, wl)
				}
			}
		}
	}
}

func TestCancelled(t *testing.T) {
	n := loadTown(t, road.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := n.Matrix(ctx, []roster.Location{at(1, 1), at(2, 2)}, roster.Walk); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

func TestSource(t *testing.T) {
	n := loadTown(t, road.Options{WalkKMH: 4.5})
	src := n.Source()
	data, err := os.ReadFile(townPath)
	if err != nil {
		t.Fatal(err)
	}
	again, err := road.Load(context.Background(), bytes.NewReader(data), road.Options{WalkKMH: 4.5})
	if err != nil {
		t.Fatal(err)
	}
	if src.Provider != "osm-road" || !strings.HasPrefix(src.Version, "town.osm;") || !strings.Contains(src.Version, "walk=4.5kmh") || !strings.Contains(src.Version, "sha256:") {
		t.Fatalf("source %+v lacks the file, speeds or hash", src)
	}
	if strings.Contains(again.Source().Version, "sha256:") {
		t.Errorf("a network read from a stream claims a file hash: %+v", again.Source())
	}
}

// TestPBFMatchesXML: the town read from its .osm.pbf is the town read from
// its .osm XML, leg for leg, in every mode.
func TestPBFMatchesXML(t *testing.T) {
	xml := loadTown(t, road.Options{})
	pbf, err := road.LoadFile(context.Background(), townPBFPath, road.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if xml.Stats().Junctions != pbf.Stats().Junctions || xml.Stats().Edges != pbf.Stats().Edges {
		t.Fatalf("XML %+v, PBF %+v", xml.Stats(), pbf.Stats())
	}
	r := rand.New(rand.NewPCG(5, 6))
	var pts []roster.Location
	for range 30 {
		pts = append(pts, at(r.Float64()*4, r.Float64()*5))
	}
	for _, mode := range []roster.Mode{roster.Walk, roster.Drive, roster.Cycle} {
		a, err := xml.Matrix(context.Background(), pts, mode)
		if err != nil {
			t.Fatal(err)
		}
		b, err := pbf.Matrix(context.Background(), pts, mode)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(a.DurS, b.DurS) || !slices.Equal(a.DistM, b.DistM) {
			t.Fatalf("%s: the PBF's matrix differs from the XML's", mode)
		}
	}
}

// TestCorruptPBF cuts the town's PBF short at every length and flips each
// byte in turn: each gives an error or a network, never a panic.
func TestCorruptPBF(t *testing.T) {
	data, err := os.ReadFile(townPBFPath)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for n := 0; n < len(data); n++ {
		if _, err := road.Load(ctx, bytes.NewReader(data[:n]), road.Options{}); err == nil {
			t.Fatalf("the first %d of %d bytes loaded without error", n, len(data))
		}
	}
	for i := range data {
		bad := slices.Clone(data)
		bad[i] ^= 0xff
		_, _ = road.Load(ctx, bytes.NewReader(bad), road.Options{})
	}
}

func FuzzLoad(f *testing.F) {
	town, err := os.ReadFile(townPath)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(town)
	pbf, err := os.ReadFile(townPBFPath)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(pbf)
	f.Add([]byte("\x00\x00\x00\x0d\x0a\x09OSMHeader\x18\x10"))
	f.Add([]byte(`<osm><node id="1" lat="52" lon="0"/></osm>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := road.Load(context.Background(), bytes.NewReader(data), road.Options{Workers: 1})
		if err != nil {
			return
		}
		// Whatever loads must answer or refuse, never panic.
		_, _ = n.Matrix(context.Background(), []roster.Location{at(1, 1), at(3, 2)}, roster.Walk)
	})
}

// TestBollardCulDeSac: a home on the stretch of South Street up to the
// bollard is reached and left by car, round the block; no car passes the
// bollard.
func TestBollardCulDeSac(t *testing.T) {
	n := loadTown(t, road.Options{})
	home := at(2.2, 0.05)
	s, err := n.Snap(roster.Drive, []roster.Location{home})
	if err != nil {
		t.Fatal(err)
	}
	if !near(s[0].DistanceM, 5, 1) {
		t.Fatalf("the home snaps %.1f m away by car, want 5 m (onto South Street)", s[0].DistanceM)
	}
	// West to (2,0), then (1,0) and north to (1,1): One Way Street runs
	// east, so the way back is (1,1) east to (2,1) and down x = 2.
	if _, d := leg(t, n, roster.Drive, home, at(1, 1)); !near(float64(d), 220, 2) {
		t.Errorf("home to (1,1) by car: %d m, want 220 m", d)
	}
	if _, d := leg(t, n, roster.Drive, at(1, 1), home); !near(float64(d), 220, 2) {
		t.Errorf("(1,1) to home by car: %d m, want 220 m", d)
	}
	if _, d := leg(t, n, roster.Drive, home, at(3, 0)); !near(float64(d), 20+100+100+100, 2) {
		t.Errorf("home to (3,0) by car: %d m, want 320 m round the bollard", d)
	}
}
