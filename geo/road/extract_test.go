package road_test

// Tests and benchmarks on the real extracts in ../shared/osm. They are
// opt-in: give the folder with -osm, e.g.
//
//	go test ./geo/road -osm ../../../shared/osm -run 'Agreement|Monaco' -v
//	go test ./geo/road -osm ../../../shared/osm -run '^$' -bench . -benchtime 10x -count 6

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/geo/road"
	"github.com/rounds-dev/rounds/optimiser"
	"github.com/rounds-dev/rounds/roster"
)

var osmDir = flag.String("osm", "", "folder holding rutland-latest.osm.pbf, monaco.osm.pbf and reference/ (../shared/osm); the tests that need it skip without it")

// extract returns the path of a file in the -osm folder, skipping the test
// when the flag is not given and failing when the file is not there.
func extract(tb testing.TB, name string) string {
	tb.Helper()
	if *osmDir == "" {
		tb.Skipf("needs the OpenStreetMap extracts: run with -osm DIR (the repository's ../shared/osm) to include it")
	}
	path := filepath.Join(*osmDir, name)
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			tb.Fatalf("-osm %s: %s is missing", *osmDir, name)
		}
		tb.Fatal(err)
	}
	return path
}

// referencePoints reads the reference's "lon,lat;lon,lat;..." list.
func referencePoints(tb testing.TB) []roster.Location {
	raw, err := os.ReadFile(extract(tb, "reference/rutland300_points.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	pts, err := geo.ParseLonLatList(string(raw))
	if err != nil {
		tb.Fatal(err)
	}
	return pts
}

// The reference profiles' paces and snapping: OSRM's foot profile walks at
// 5 km/h, and the reference's points lie up to 7 km from a road.
var referenceOptions = road.Options{WalkKMH: 5, MaxSnapM: 10_000}

// quantiles returns the given quantiles of xs (sorted in place).
func quantiles(xs []float64, qs ...float64) []float64 {
	slices.Sort(xs)
	out := make([]float64, len(qs))
	for i, q := range qs {
		out[i] = xs[int(q*float64(len(xs)-1)+0.5)]
	}
	return out
}

// TestAgreementWithOSRM compares the Rutland matrices with a real routing
// engine's answers for the same 300 places on the same extract: the median
// ratio of our time to the engine's must lie within 0.95-1.05 and the 10th
// and 90th percentiles within 0.85-1.15, for driving and walking. Pairs the
// engine puts under a minute apart are left out: there a second of rounding
// is a large ratio. The distribution is logged for docs/BENCHMARKS.md.
func TestAgreementWithOSRM(t *testing.T) {
	pbf := extract(t, "rutland-latest.osm.pbf")
	pts := referencePoints(t)
	n, err := road.LoadFile(context.Background(), pbf, referenceOptions)
	if err != nil {
		t.Fatal(err)
	}
	qs := []float64{0.01, 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 0.99}
	for _, c := range []struct {
		mode roster.Mode
		file string
	}{{roster.Drive, "car"}, {roster.Walk, "foot"}} {
		var ref struct {
			Durations [][]*float64 `json:"durations"`
			Distances [][]*float64 `json:"distances"`
		}
		b, err := os.ReadFile(extract(t, "reference/rutland300_"+c.file+".json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &ref); err != nil {
			t.Fatal(err)
		}
		m, err := n.Matrix(context.Background(), pts, c.mode)
		if err != nil {
			t.Fatal(err)
		}
		var times, dists []float64
		for i := range pts {
			for j := range pts {
				rd, rl := ref.Durations[i][j], ref.Distances[i][j]
				if i == j || rd == nil || rl == nil || *rd < 60 {
					continue
				}
				d, l := m.Leg(i, j)
				times = append(times, float64(d) / *rd)
				dists = append(dists, float64(l) / *rl)
			}
		}
		tq, dq := quantiles(times, qs...), quantiles(dists, qs...)
		t.Logf("%s: %d pairs; time ratio p1 %.3f p5 %.3f p10 %.3f p25 %.3f p50 %.3f p75 %.3f p90 %.3f p95 %.3f p99 %.3f",
			c.mode, len(times), tq[0], tq[1], tq[2], tq[3], tq[4], tq[5], tq[6], tq[7], tq[8])
		t.Logf("%s: distance ratio p1 %.3f p5 %.3f p10 %.3f p25 %.3f p50 %.3f p75 %.3f p90 %.3f p95 %.3f p99 %.3f",
			c.mode, dq[0], dq[1], dq[2], dq[3], dq[4], dq[5], dq[6], dq[7], dq[8])
		if med := tq[4]; med < 0.95 || med > 1.05 {
			t.Errorf("%s: median time ratio %.3f, want 0.95-1.05", c.mode, med)
		}
		if tq[2] < 0.85 || tq[6] > 1.15 {
			t.Errorf("%s: 10th-90th percentile time ratios %.3f-%.3f, want within 0.85-1.15", c.mode, tq[2], tq[6])
		}
	}
}

// TestMonacoWalkingDiffersFromDriving shows, on Monaco's streets, that a
// walking carer's round differs from a driving carer's where it should.
// Among places on the street network it finds three clients whose best
// order from a carer's home is one on foot and another by car, because
// the walker takes stairs and footpaths (a leg of the walking round is
// much shorter on foot than by road) and the driver keeps to one-way
// streets. It then solves the same day twice, once with the carer walking
// and once driving, checks both plans, and requires each to follow its
// mode's best order.
func TestMonacoWalkingDiffersFromDriving(t *testing.T) {
	ctx := context.Background()
	n, err := road.LoadFile(ctx, extract(t, "monaco.osm.pbf"), road.Options{})
	if err != nil {
		t.Fatal(err)
	}
	centre, reachKM := n.Extent()
	r := rand.New(rand.NewPCG(7, 11))
	var pts []roster.Location
	for len(pts) < 40 {
		l := roster.Location{Lat: centre.Lat + (r.Float64()*2-1)*reachKM/111, Lon: centre.Lon + (r.Float64()*2-1)*reachKM/80}
		if n.Near(roster.Walk, l, 20) && n.Near(roster.Drive, l, 20) {
			pts = append(pts, l)
		}
	}
	walk, err := n.Matrix(ctx, pts, roster.Walk)
	if err != nil {
		t.Fatal(err)
	}
	drive, err := n.Matrix(ctx, pts, roster.Drive)
	if err != nil {
		t.Fatal(err)
	}
	// One-way streets bind cars, not walkers: driving there and back can
	// differ, walking cannot.
	oneWay := 0
	for i := range pts {
		for j := range pts {
			wij, _ := walk.Leg(i, j)
			wji, _ := walk.Leg(j, i)
			if wij != wji {
				t.Fatalf("walking %d→%d takes %d s, back %d s", i, j, wij, wji)
			}
			dij, _ := drive.Leg(i, j)
			dji, _ := drive.Leg(j, i)
			if float64(dij) > 1.2*float64(dji) {
				oneWay++
			}
		}
	}
	if oneWay == 0 {
		t.Error("no pair of places where driving one way takes over 20% longer than the other: are one-way streets kept?")
	}
	t.Logf("%d of %d ordered pairs take over 20%% longer to drive one way than back", oneWay, len(pts)*len(pts))

	// Find a home and three clients and three clients whose best orders differ
	// clearly: each mode's best order beats the other's by over 10%.
	orders := [][3]int{{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}}
	tour := func(m *geo.Matrix, home int, cl [3]int, o [3]int) int {
		total, at := 0, home
		for _, k := range o {
			d, _ := m.Leg(at, cl[k])
			total, at = total+d, cl[k]
		}
		d, _ := m.Leg(at, home)
		return total + d
	}
	best := func(m *geo.Matrix, home int, cl [3]int) (bo [3]int, cost, second int) {
		cost, second = 1<<30, 1<<30
		for _, o := range orders {
			c := tour(m, home, cl, o)
			// An order and its reverse cost the same on symmetric travel;
			// count only orders that differ as sets of legs.
			if c < cost {
				second, cost, bo = cost, c, o
			} else if c < second && o != [3]int{bo[2], bo[1], bo[0]} {
				second = c
			}
		}
		return bo, cost, second
	}
	home, clients := -1, [3]int{}
	var walkOrder, driveOrder [3]int
search:
	for h := 0; h < len(pts); h++ {
		for a := 0; a < len(pts); a++ {
			for b := a + 1; b < len(pts); b++ {
				for c := b + 1; c < len(pts); c++ {
					if h == a || h == b || h == c {
						continue
					}
					cl := [3]int{a, b, c}
					wo, wc, _ := best(walk, h, cl)
					do, dc, _ := best(drive, h, cl)
					if wo == do || wo == [3]int{do[2], do[1], do[0]} {
						continue
					}
					if float64(tour(walk, h, cl, do)) < 1.1*float64(wc) || float64(tour(drive, h, cl, wo)) < 1.1*float64(dc) {
						continue
					}
					home, clients, walkOrder, driveOrder = h, cl, wo, do
					break search
				}
			}
		}
	}
	if home < 0 {
		t.Fatal("no home and three clients found whose best walking and driving orders differ")
	}
	// Where walking should differ: some leg of the walking round is far
	// shorter on foot than by road.
	shortcut := false
	at := home
	for _, k := range append(walkOrder[:], -1) {
		next := home
		if k >= 0 {
			next = clients[k]
		}
		_, wl := walk.Leg(at, next)
		_, dl := drive.Leg(at, next)
		if float64(wl) < 0.7*float64(dl) {
			shortcut = true
			t.Logf("leg %v -> %v: %d m on foot, %d m by road", pts[at], pts[next], wl, dl)
		}
		at = next
	}
	if !shortcut {
		t.Errorf("the walking round has no leg much shorter on foot than by road")
	}

	for _, c := range []struct {
		mode  roster.Mode
		order [3]int
	}{{roster.Walk, walkOrder}, {roster.Drive, driveOrder}} {
		in := monacoDay(t, pts[home], [3]roster.Location{pts[clients[0]], pts[clients[1]], pts[clients[2]]}, c.mode)
		travel, err := geo.ForInstance(ctx, n, in)
		if err != nil {
			t.Fatal(err)
		}
		plan, err := optimiser.Solve(ctx, in, travel, optimiser.Options{Seed: 1, Iterations: 300, Workers: 1, TimeLimit: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if vs := roster.Check(in, travel, plan); len(vs) > 0 {
			t.Fatalf("%s: the plan breaks %d rules, first %s: %s", c.mode, len(vs), vs[0].Path, vs[0].Message)
		}
		if len(plan.Rounds) != 1 || len(plan.Rounds[0].Stops) != 3 {
			t.Fatalf("%s: want one round of three visits, got %+v", c.mode, plan.Rounds)
		}
		var got []string
		for _, s := range plan.Rounds[0].Stops {
			got = append(got, s.Client)
		}
		want := []string{fmt.Sprint("C", c.order[0]), fmt.Sprint("C", c.order[1]), fmt.Sprint("C", c.order[2])}
		rev := []string{want[2], want[1], want[0]}
		if !slices.Equal(got, want) && !(c.mode == roster.Walk && slices.Equal(got, rev)) {
			t.Errorf("%s: the round visits %v, want the mode's best order %v", c.mode, got, want)
		}
		t.Logf("%s: round %v, travel %d s", c.mode, got, plan.KPIs.TravelS)
	}
}

// monacoDay is a morning of three 20-minute visits to three clients, any
// time from 08:00 to 12:00, for one carer travelling by mode.
func monacoDay(t *testing.T, home roster.Location, clients [3]roster.Location, mode roster.Mode) *roster.Instance {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, `{"date":"2026-11-24","timezone":"Europe/Monaco","carers":[{"id":"K1","start":{"lat":%v,"lon":%v},"shifts":[{"start":"08:00","end":"12:00"}],"mode":%q}],"clients":[`, home.Lat, home.Lon, mode)
	for i, c := range clients {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"id":"C%d","location":{"lat":%v,"lon":%v}}`, i, c.Lat, c.Lon)
	}
	b.WriteString(`],"visits":[`)
	for i := range clients {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"id":"V%d","client":"C%d","duration_min":20,"windows":[{"start":"08:00","end":"12:00"}]}`, i, i)
	}
	b.WriteString(`]}`)
	in, err := roster.DecodeInstance(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if err := in.Validate(); err != nil {
		t.Fatal(err)
	}
	return in
}

// BenchmarkLoadRutland reads the Rutland extract and builds every mode's
// graph.
func BenchmarkLoadRutland(b *testing.B) {
	pbf := extract(b, "rutland-latest.osm.pbf")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := road.LoadFile(context.Background(), pbf, referenceOptions); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMatrixRutland300 computes the 300×300 matrix of the reference
// places on a loaded network (cold: no cache of earlier answers).
func BenchmarkMatrixRutland300(b *testing.B) {
	pts := referencePoints(b)
	n, err := road.LoadFile(context.Background(), extract(b, "rutland-latest.osm.pbf"), referenceOptions)
	if err != nil {
		b.Fatal(err)
	}
	for _, mode := range []roster.Mode{roster.Drive, roster.Walk} {
		b.Run(string(mode), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := n.Matrix(context.Background(), pts, mode); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
