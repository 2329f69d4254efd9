package matrixcache

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/geo/road"
	"github.com/rounds-dev/rounds/internal/redistest"
	"github.com/rounds-dev/rounds/roster"
)

var osmDir = flag.String("osm", "", "folder holding rutland-latest.osm.pbf and reference/rutland300_points.txt (../shared/osm), for BenchmarkMatrix300Road")

// rutland loads the Rutland network and the reference's 300 places, or
// skips when -osm is not given.
func rutland(b testing.TB) (*road.Network, []roster.Location) {
	b.Helper()
	if *osmDir == "" {
		b.Skip("needs the OpenStreetMap extracts: run with -osm DIR (the repository's ../shared/osm)")
	}
	n, err := road.LoadFile(context.Background(), filepath.Join(*osmDir, "rutland-latest.osm.pbf"), road.Options{MaxSnapM: 10_000})
	if err != nil {
		b.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(*osmDir, "reference", "rutland300_points.txt"))
	if err != nil {
		b.Fatal(err)
	}
	pts, err := geo.ParseLonLatList(string(raw))
	if err != nil {
		b.Fatal(err)
	}
	return n, pts
}

// TestRedisHitTwentyTimesFaster is the service's promise for a road
// network: a second process asking for the same 300-place matrix is served
// from Redis (the metric counts it) at least 20 times faster than the
// first, which computed it. Medians of several runs each, so one slow run
// does not decide; opt-in, since it needs the Rutland extract:
//
//	go test ./geo/matrixcache -osm ../../../shared/osm -run TwentyTimes -v
func TestRedisHitTwentyTimesFaster(t *testing.T) {
	n, ps := rutland(t)
	rc := redistest.Client(t)
	ctx := context.Background()
	median := func(ds []time.Duration) time.Duration {
		slices.Sort(ds)
		return ds[len(ds)/2]
	}
	var first, second []time.Duration
	for run := range 5 {
		prefix := redistest.Prefix(t, rc) + strconv.Itoa(run) + ":"
		c1 := New(n, Config{Redis: NewRedisStore(rc, time.Hour), Registerer: prometheus.NewRegistry(), KeyPrefix: prefix})
		start := time.Now()
		if _, res, err := c1.Lookup(ctx, ps, roster.Drive); err != nil || res != Computed {
			t.Fatalf("first request: %s, %v; want computed", res, err)
		}
		first = append(first, time.Since(start))
		for range 3 {
			c2 := New(n, Config{Redis: NewRedisStore(rc, time.Hour), Registerer: prometheus.NewRegistry(), KeyPrefix: prefix})
			start = time.Now()
			_, res, err := c2.Lookup(ctx, ps, roster.Drive)
			second = append(second, time.Since(start))
			if err != nil || res != FromRedis {
				t.Fatalf("second request: %s, %v; want redis", res, err)
			}
			if got := testutil.ToFloat64(c2.requests.WithLabelValues(string(FromRedis))); got != 1 {
				t.Fatalf("redis hits metric %v, want 1", got)
			}
		}
	}
	f, s := median(first), median(second)
	t.Logf("300-place driving matrix on Rutland: first (computed) median %s, second (Redis) median %s: %.1f×", f, s, float64(f)/float64(s))
	if f < 20*s {
		t.Errorf("the Redis hit (%s) is not 20 times faster than computing (%s)", s, f)
	}
}

// BenchmarkMatrix300Road times a 300-place driving matrix on the Rutland
// road network three ways: computed (cold), read from Redis by a process
// whose memory is empty, and from the memory of the process that has it.
//
//	go test ./geo/matrixcache -osm ../../../shared/osm -run '^$' -bench Matrix300Road -count 6
func BenchmarkMatrix300Road(b *testing.B) {
	n, ps := rutland(b)
	rc := redistest.Client(b)
	prefix := redistest.Prefix(b, rc)
	ctx := context.Background()
	b.Run("computed", func(b *testing.B) {
		for b.Loop() {
			if _, err := n.Matrix(ctx, ps, roster.Drive); err != nil {
				b.Fatal(err)
			}
		}
	})
	warm := New(n, Config{Redis: NewRedisStore(rc, time.Hour), Registerer: prometheus.NewRegistry(), KeyPrefix: prefix})
	if _, err := warm.Matrix(ctx, ps, roster.Drive); err != nil {
		b.Fatal(err)
	}
	b.Run("redis", func(b *testing.B) {
		for b.Loop() {
			c := New(n, Config{Redis: NewRedisStore(rc, time.Hour), Registerer: prometheus.NewRegistry(), KeyPrefix: prefix})
			if _, res, err := c.Lookup(ctx, ps, roster.Drive); err != nil || res != FromRedis {
				b.Fatalf("got %s, %v; want redis", res, err)
			}
		}
	})
	b.Run("memory", func(b *testing.B) {
		for b.Loop() {
			if _, res, _ := warm.Lookup(ctx, ps, roster.Drive); res != FromMemory {
				b.Fatalf("got %s, want memory", res)
			}
		}
	})
}
