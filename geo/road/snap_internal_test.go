package road

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

// TestNearestMatchesBruteForce: the ring search finds the same distance as
// measuring every segment, for places inside the network's grid and up to
// 3 km outside it, for each mode.
func TestNearestMatchesBruteForce(t *testing.T) {
	n, err := LoadFile(context.Background(), "testdata/town.osm", Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	for _, mode := range []roster.Mode{roster.Walk, roster.Drive, roster.Cycle} {
		mg := n.modes[mode]
		for i := range 2000 {
			// The town spans about 0.004° by 0.006°; reach well beyond.
			lat := 52.6 + (r.Float64()*2-0.5)*0.03
			lon := -0.6 + (r.Float64()*2-0.5)*0.05
			got, ok := n.grid.nearest(mg, lat, lon)
			if !ok {
				t.Fatalf("%s: no road found", mode)
			}
			want := math.Inf(1)
			cos := math.Cos(lat * math.Pi / 180)
			for k := range n.grid.segEdge {
				if mg.usable(n.grid.segEdge[k]) {
					d, _ := n.grid.segmentDistance(n.grid.segAt[k], lat, lon, cos)
					want = math.Min(want, d)
				}
			}
			if math.Abs(got.distM-want) > 1e-6 {
				t.Fatalf("%s, place %d (%.5f, %.5f): ring search %.2f m, every segment %.2f m", mode, i, lat, lon, got.distM, want)
			}
		}
	}
}
