package matrixcache

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/redis/go-redis/v9"

	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/internal/redistest"
	"github.com/rounds-dev/rounds/roster"
)

// points returns n random points around Keighley; seed makes each test's
// sets its own.
func points(seed uint64, n int) []roster.Location {
	rng := rand.New(rand.NewPCG(seed, uint64(time.Now().UnixNano())))
	out := make([]roster.Location, n)
	for i := range out {
		out[i] = roster.Location{Lat: 53.80 + rng.Float64()*0.15, Lon: -2.0 + rng.Float64()*0.2}
	}
	return out
}

func straight(t testing.TB) *geo.StraightLine {
	sl, err := geo.NewStraightLine(nil)
	if err != nil {
		t.Fatal(err)
	}
	return sl
}

func sameMatrix(t *testing.T, got, want *geo.Matrix) {
	t.Helper()
	if got.N != want.N || !slices.Equal(got.DurS, want.DurS) || !slices.Equal(got.DistM, want.DistM) {
		t.Fatalf("cached matrix differs from the provider's (n %d vs %d)", got.N, want.N)
	}
}

func TestCodecRoundTrip(t *testing.T) {
	ps := points(1, 50)
	m, err := straight(t).Matrix(context.Background(), ps, roster.Drive)
	if err != nil {
		t.Fatal(err)
	}
	q := make([][2]int32, len(ps))
	for i, p := range ps {
		q[i] = quantise(p)
	}
	b, err := encode(q, m)
	if err != nil {
		t.Fatal(err)
	}
	raw := 8 * len(m.DurS)
	t.Logf("encoded %d bytes, %.0f%% of the %d of packed int32s", len(b), 100*float64(len(b))/float64(raw), raw)
	if len(b) > raw*6/10 {
		t.Errorf("encoded %d bytes, want under 60%% of the %d of packed int32s", len(b), raw)
	}
	e, err := decode(b)
	if err != nil {
		t.Fatal(err)
	}
	sameMatrix(t, e.m, m)
	if !samePoints(e.points, q) {
		t.Error("points differ after a round trip")
	}
	for _, bad := range [][]byte{nil, []byte("junk"), b[:len(b)/2]} {
		if _, err := decode(bad); err == nil {
			t.Errorf("decode accepted %d corrupt bytes", len(bad))
		}
	}
	pb := encodePoints(q)
	if got, err := decodePoints(pb); err != nil || !samePoints(got, q) {
		t.Errorf("points differ after a round trip: %v", err)
	}
	for _, bad := range [][]byte{nil, []byte("RPT1"), pb[:len(pb)-1], append(slices.Clone(pb), 0)} {
		if _, err := decodePoints(bad); err == nil {
			t.Errorf("decodePoints accepted %d corrupt bytes", len(bad))
		}
	}
}

// TestRedisHitAndSpeed: a second identical request is answered from Redis,
// counted by the metric, and is faster than computing. The ratio is
// logged; docs/BENCHMARKS.md has the benchmark that measures it.
func TestRedisHitAndSpeed(t *testing.T) {
	rc := redistest.Client(t)
	prefix := redistest.Prefix(t, rc)
	reg := prometheus.NewRegistry()
	c := New(straight(t), Config{Redis: NewRedisStore(rc, time.Hour), TTL: time.Hour, Registerer: reg, KeyPrefix: prefix})
	ps := points(2, 300)
	ctx := context.Background()
	m1, res1, err := c.Lookup(ctx, ps, roster.Walk)
	if err != nil || res1 != Computed {
		t.Fatalf("first request: %v, %v; want computed", res1, err)
	}
	// A fresh process shares only Redis: its memory is empty.
	c2 := New(straight(t), Config{Redis: NewRedisStore(rc, time.Hour), TTL: time.Hour, Registerer: prometheus.NewRegistry(), KeyPrefix: prefix})
	m2, res2, err := c2.Lookup(ctx, ps, roster.Walk)
	if err != nil || res2 != FromRedis {
		t.Fatalf("second request: %v, %v; want redis", res2, err)
	}
	sameMatrix(t, m2, m1)
	if got := testutil.ToFloat64(c2.requests.WithLabelValues(string(FromRedis))); got != 1 {
		t.Errorf("redis hits metric %v, want 1", got)
	}
	if got := testutil.ToFloat64(c.pairs); got != 300*300 {
		t.Errorf("pairs computed %v, want %d", got, 300*300)
	}
}

// TestPartialReuse: adding one point to a cached set computes its row and
// column only, and the result equals a full computation.
func TestPartialReuse(t *testing.T) {
	rc := redistest.Client(t)
	prefix := redistest.Prefix(t, rc)
	c := New(straight(t), Config{Redis: NewRedisStore(rc, time.Hour), TTL: time.Hour, Registerer: prometheus.NewRegistry(), KeyPrefix: prefix})
	ctx := context.Background()
	ps := points(3, 200)
	if _, _, err := c.Lookup(ctx, ps, roster.Drive); err != nil {
		t.Fatal(err)
	}
	before := testutil.ToFloat64(c.pairs)
	more := append(slices.Clone(ps[:100]), points(4, 1)[0])
	more = append(more, ps[100:]...)
	got, res, err := c.Lookup(ctx, more, roster.Drive)
	if err != nil || res != Partial {
		t.Fatalf("one more point: %v, %v; want partial", res, err)
	}
	want, _ := straight(t).Matrix(ctx, more, roster.Drive)
	sameMatrix(t, got, want)
	if d := testutil.ToFloat64(c.pairs) - before; d != 2*201-1 {
		t.Errorf("computed %v pairs for one new point among 201, want %d", d, 2*201-1)
	}
}

// TestConcurrentComputedOnce: identical requests made at once are computed
// once.
func TestConcurrentComputedOnce(t *testing.T) {
	c := New(straight(t), Config{Registerer: prometheus.NewRegistry()})
	ps := points(5, 400)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Matrix(context.Background(), ps, roster.Drive); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got := testutil.ToFloat64(c.pairs); got != 400*400 {
		t.Errorf("pairs computed %v for 8 identical requests at once, want %d (once)", got, 400*400)
	}
}

// TestRedisDown: with Redis unreachable every request is still answered,
// from memory the second time, and the cache says it is degraded.
func TestRedisDown(t *testing.T) {
	rc := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 100 * time.Millisecond, MaxRetries: -1})
	defer rc.Close()
	c := New(straight(t), Config{Redis: NewRedisStore(rc, time.Hour), Registerer: prometheus.NewRegistry()})
	ps := points(6, 30)
	ctx := context.Background()
	if _, res, err := c.Lookup(ctx, ps, roster.Cycle); err != nil || res != Computed {
		t.Fatalf("first request with Redis down: %v, %v", res, err)
	}
	if !c.Degraded() {
		t.Error("not degraded with Redis down")
	}
	if _, res, err := c.Lookup(ctx, ps, roster.Cycle); err != nil || res != FromMemory {
		t.Fatalf("second request with Redis down: %v, %v; want memory", res, err)
	}
	if testutil.ToFloat64(c.errors) == 0 {
		t.Error("no cache error counted")
	}
}

func TestMemoryStoreBound(t *testing.T) {
	s := NewMemoryStore(100)
	ctx := context.Background()
	s.Set(ctx, "a", make([]byte, 60), time.Hour)
	s.Set(ctx, "b", make([]byte, 60), time.Hour)
	if _, ok, _ := s.Get(ctx, "a"); ok {
		t.Error("the least recently used entry was kept past the bound")
	}
	if _, ok, _ := s.Get(ctx, "b"); !ok {
		t.Error("the newest entry was dropped")
	}
	now := time.Now()
	s.now = func() time.Time { return now.Add(2 * time.Hour) }
	if _, ok, _ := s.Get(ctx, "b"); ok {
		t.Error("an expired entry was returned")
	}
}

// BenchmarkMatrix300 compares computing a 300-point matrix with reading it
// back from Redis and from memory.
func BenchmarkMatrix300(b *testing.B) {
	rc := redistest.Client(b)
	prefix := redistest.Prefix(b, rc)
	ps := points(7, 300)
	ctx := context.Background()
	b.Run("computed", func(b *testing.B) {
		sl := straight(b)
		for i := 0; i < b.N; i++ {
			sl.Matrix(ctx, ps, roster.Drive)
		}
	})
	warm := New(straight(b), Config{Redis: NewRedisStore(rc, time.Hour), Registerer: prometheus.NewRegistry(), KeyPrefix: prefix})
	warm.Matrix(ctx, ps, roster.Drive)
	b.Run("redis", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			c := New(straight(b), Config{Redis: NewRedisStore(rc, time.Hour), Registerer: prometheus.NewRegistry(), KeyPrefix: prefix})
			if _, res, _ := c.Lookup(ctx, ps, roster.Drive); res != FromRedis {
				b.Fatalf("got %s, want redis", res)
			}
		}
	})
	b.Run("memory", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			warm.Lookup(ctx, ps, roster.Drive)
		}
	})
}

// FuzzDecode: any bytes either decode to an entry whose matrix matches its
// points, or give an error; never a panic or a runaway allocation.
func FuzzDecode(f *testing.F) {
	m := geo.NewMatrix(2)
	m.DurS[1], m.DistM[1] = 60, 500
	good, err := encode([][2]int32{{53_000_000, -1_900_000}, {53_001_000, -1_901_000}}, m)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte("RMX2"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := decode(data)
		if err != nil {
			return
		}
		if e.m.N != len(e.points) || len(e.m.DurS) != e.m.N*e.m.N {
			t.Fatalf("entry of %d points holds a %d-point matrix", len(e.points), e.m.N)
		}
	})
}

// downStore is a store that fails every call while down, after a wait, as
// Redis does when it is unreachable; it counts the calls that reach it.
type downStore struct {
	Store
	down  atomic.Bool
	calls atomic.Int64
}

func (d *downStore) call() error {
	d.calls.Add(1)
	if d.down.Load() {
		time.Sleep(20 * time.Millisecond)
		return errors.New("dial tcp 127.0.0.1:6379: connect: connection refused")
	}
	return nil
}

func (d *downStore) Get(ctx context.Context, key string) ([]byte, bool, error) {
	if err := d.call(); err != nil {
		return nil, false, err
	}
	return d.Store.Get(ctx, key)
}

func (d *downStore) Set(ctx context.Context, key string, val []byte, ttl time.Duration) error {
	if err := d.call(); err != nil {
		return err
	}
	return d.Store.Set(ctx, key, val, ttl)
}

func (d *downStore) Remember(ctx context.Context, index, key string, keep int) error {
	if err := d.call(); err != nil {
		return err
	}
	return d.Store.Remember(ctx, index, key, keep)
}

func (d *downStore) Recent(ctx context.Context, index string, n int) ([]string, error) {
	if err := d.call(); err != nil {
		return nil, err
	}
	return d.Store.Recent(ctx, index, n)
}

// TestMissesSkipRedisWhileDown: once Redis has failed, cache misses go
// straight to the provider instead of each waiting on Redis first, and
// matrices are still answered.
func TestMissesSkipRedisWhileDown(t *testing.T) {
	st := &downStore{Store: NewMemoryStore(1 << 20)}
	st.down.Store(true)
	c := New(straight(t), Config{Redis: st, Registerer: prometheus.NewRegistry(), BreakerCoolDown: time.Minute})
	ctx := context.Background()
	if _, res, err := c.Lookup(ctx, points(40, 20), roster.Drive); err != nil || res != Computed {
		t.Fatalf("first miss with Redis down: %v %v", res, err)
	}
	before := st.calls.Load()
	for i := range 5 {
		if _, res, err := c.Lookup(ctx, points(41+uint64(i), 20), roster.Drive); err != nil || res != Computed {
			t.Fatalf("miss %d with Redis down: %v %v", i, res, err)
		}
	}
	if n := st.calls.Load() - before; n != 0 {
		t.Fatalf("5 misses with Redis down made %d calls to Redis after the first miss found it down; want none", n)
	}
	if !c.Degraded() {
		t.Fatal("the cache is not degraded with Redis down")
	}
}

// TestBreakerRecovers: with Redis back, the cache uses it again after the
// cool-down on the next request, or at once when probed (as readyz does),
// and the breaker metric follows.
func TestBreakerRecovers(t *testing.T) {
	for _, how := range []string{"request after the cool-down", "probe"} {
		t.Run(how, func(t *testing.T) {
			st := &downStore{Store: NewMemoryStore(1 << 20)}
			st.down.Store(true)
			reg := prometheus.NewRegistry()
			coolDown := time.Minute
			if how != "probe" {
				coolDown = 100 * time.Millisecond
			}
			c := New(straight(t), Config{Redis: st, Registerer: reg, BreakerCoolDown: coolDown})
			ctx := context.Background()
			c.Lookup(ctx, points(50, 10), roster.Walk)
			c.Lookup(ctx, points(51, 10), roster.Walk)
			if c.Breaker() != BreakerOpen || gatherGauge(t, reg, "rounds_matrix_cache_breaker_state") != 2 {
				t.Fatalf("breaker %s with Redis down; want open and the metric 2", c.Breaker())
			}
			if err := c.Probe(ctx); err == nil || c.Breaker() != BreakerOpen {
				t.Fatalf("probe with Redis down: %v, breaker %s", err, c.Breaker())
			}
			st.down.Store(false)
			if how == "probe" {
				if err := c.Probe(ctx); err != nil {
					t.Fatal(err)
				}
			} else {
				time.Sleep(150 * time.Millisecond)
				if _, res, err := c.Lookup(ctx, points(52, 10), roster.Walk); err != nil || res != Computed {
					t.Fatalf("miss after the cool-down: %v %v", res, err)
				}
			}
			if c.Degraded() || c.Breaker() != BreakerClosed || gatherGauge(t, reg, "rounds_matrix_cache_breaker_state") != 0 {
				t.Fatalf("after Redis came back: breaker %s, degraded %v", c.Breaker(), c.Degraded())
			}
			ps := points(53, 10)
			c.Lookup(ctx, ps, roster.Walk)
			c2 := New(straight(t), Config{Redis: st, Registerer: prometheus.NewRegistry()})
			if _, res, err := c2.Lookup(ctx, ps, roster.Walk); err != nil || res != FromRedis {
				t.Fatalf("a matrix stored once Redis came back is not in Redis: %v %v", res, err)
			}
		})
	}
}

func gatherGauge(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			return mf.GetMetric()[0].GetGauge().GetValue()
		}
	}
	t.Fatalf("no metric %s", name)
	return 0
}

// leavingStore answers every call with the caller's own cancellation, as a
// Redis client does when the request it serves is abandoned mid-call.
type leavingStore struct{ Store }

func (l leavingStore) Get(ctx context.Context, key string) ([]byte, bool, error) {
	<-ctx.Done()
	return nil, false, ctx.Err()
}

// TestBreakerIgnoresCallersThatLeave: callers that go away while Redis is
// answering say nothing of Redis, so they neither open the breaker nor
// leave its half-open slot taken.
func TestBreakerIgnoresCallersThatLeave(t *testing.T) {
	c := New(straight(t), Config{Redis: leavingStore{NewMemoryStore(1 << 20)}, Registerer: prometheus.NewRegistry()})
	for range 5 {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := c.Probe(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("probe of a caller that left: %v", err)
		}
	}
	if c.Breaker() != BreakerClosed || c.Degraded() {
		t.Fatalf("breaker %s after callers left; want closed", c.Breaker())
	}
	// A deadline of the service's own is an answer: Redis was too slow.
	for range 2 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
		c.Probe(ctx)
		cancel()
	}
	if c.Breaker() != BreakerOpen {
		t.Fatalf("breaker %s after two probes timed out; want open", c.Breaker())
	}
}
