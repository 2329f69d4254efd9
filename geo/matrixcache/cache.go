// Package matrixcache keeps travel matrices computed by a geo.Provider, in
// Redis when one is configured and in memory otherwise or while Redis is
// down, so that asking again for the same points costs a lookup, and asking
// for a set that differs by a few points computes only their rows and
// columns.
package matrixcache

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/singleflight"

	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/roster"
)

// SchemaVersion is part of every key: bump it when the stored form or the
// meaning of a matrix changes, and old entries are simply never read.
const SchemaVersion = "v2"

// Config sets up a Cache.
type Config struct {
	// Redis is the shared store; nil keeps matrices in memory only.
	Redis Store
	// MemoryBytes bounds the in-memory store (default 256 MiB).
	MemoryBytes int
	// TTL is how long a matrix is kept (default 7 days).
	TTL time.Duration
	// Registerer receives the cache's metrics; nil registers none.
	Registerer prometheus.Registerer
	// Logger receives warnings when Redis fails; nil discards them.
	Logger *slog.Logger
	// KeyPrefix starts every key (default "rounds:").
	KeyPrefix string
	// BreakerFailures is how many Redis calls in a row may fail before the
	// cache stops calling Redis for a while (default 2: one may be a blip,
	// two at a few seconds each are an outage).
	BreakerFailures int
	// BreakerCoolDown is how long the cache leaves Redis alone before one
	// request tries it again (default 5 s); Probe may try it sooner.
	BreakerCoolDown time.Duration
}

// Result says where a matrix came from.
type Result string

const (
	FromRedis  Result = "redis"
	FromMemory Result = "memory"
	Partial    Result = "partial" // most of it reused, the rest computed
	Computed   Result = "computed"
)

// Cache is a geo.Provider that keeps what its provider computes.
type Cache struct {
	prov   geo.Provider
	redis  Store
	mem    *MemoryStore
	ttl    time.Duration
	log    *slog.Logger
	flight singleflight.Group
	source roster.TravelSource
	prefix string

	breaker  *breaker
	requests *prometheus.CounterVec
	pairs    prometheus.Counter
	errors   prometheus.Counter
}

var _ geo.Provider = (*Cache)(nil)

// New returns a cache in front of prov.
func New(prov geo.Provider, cfg Config) *Cache {
	if cfg.MemoryBytes <= 0 {
		cfg.MemoryBytes = 256 << 20
	}
	if cfg.TTL <= 0 {
		cfg.TTL = 7 * 24 * time.Hour
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.KeyPrefix == "" {
		cfg.KeyPrefix = "rounds:"
	}
	if cfg.BreakerFailures <= 0 {
		cfg.BreakerFailures = 2
	}
	if cfg.BreakerCoolDown <= 0 {
		cfg.BreakerCoolDown = 5 * time.Second
	}
	src := prov.Source()
	vh := sha256.Sum256([]byte(src.Version))
	c := &Cache{
		prov: prov, mem: NewMemoryStore(cfg.MemoryBytes), ttl: cfg.TTL, log: cfg.Logger, source: src,
		prefix: fmt.Sprintf("%s%s:matrix:%s:%s:", cfg.KeyPrefix, SchemaVersion, src.Provider, hex.EncodeToString(vh[:6])),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rounds_matrix_requests_total",
			Help: "Travel matrix requests by where the matrix came from: redis, memory, partial (mostly reused) or computed.",
		}, []string{"result"}),
		pairs: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "rounds_matrix_pairs_computed_total",
			Help: "Point pairs whose travel the provider computed because no cached matrix held them.",
		}),
		errors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "rounds_matrix_cache_errors_total",
			Help: "Failed reads and writes of the shared matrix cache; the in-memory cache answered instead.",
		}),
	}
	c.breaker = &breaker{threshold: cfg.BreakerFailures, coolDown: cfg.BreakerCoolDown, now: time.Now,
		onOpen: func() {
			c.log.Warn("matrix cache: Redis failed; keeping matrices in memory and leaving Redis alone for a while",
				"cool_down", cfg.BreakerCoolDown.String())
		}}
	if cfg.Redis != nil {
		c.redis = guarded{st: cfg.Redis, c: c}
	}
	if cfg.Registerer != nil {
		cfg.Registerer.MustRegister(c.requests, c.pairs, c.errors)
		if cfg.Redis != nil {
			cfg.Registerer.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "rounds_matrix_cache_breaker_state",
				Help: "The matrix cache's circuit breaker in front of Redis: 0 closed (Redis in use), 1 half-open (one request is trying Redis), 2 open (Redis left alone; matrices kept in memory).",
			}, func() float64 { return float64(c.breaker.current()) }))
		}
	}
	return c
}

// errBreakerOpen is what a guarded store answers while the breaker keeps
// calls from Redis.
var errBreakerOpen = errors.New("matrixcache: Redis left alone after failures")

// guarded is the Redis store behind the circuit breaker: every call is
// allowed by it or refused at once, and every outcome reported to it, so
// that failures are counted and logged in one place.
type guarded struct {
	st Store
	c  *Cache
}

func (g guarded) call(ctx context.Context, op string, f func() error) error {
	if !g.c.breaker.allow() {
		return errBreakerOpen
	}
	err := f()
	g.c.report(ctx, op, err)
	return err
}

func (g guarded) Get(ctx context.Context, key string) (val []byte, ok bool, err error) {
	err = g.call(ctx, "get", func() error { val, ok, err = g.st.Get(ctx, key); return err })
	return val, ok, err
}

func (g guarded) Set(ctx context.Context, key string, val []byte, ttl time.Duration) error {
	return g.call(ctx, "store", func() error { return g.st.Set(ctx, key, val, ttl) })
}

func (g guarded) Remember(ctx context.Context, index, key string, keep int) error {
	return g.call(ctx, "index", func() error { return g.st.Remember(ctx, index, key, keep) })
}

func (g guarded) Recent(ctx context.Context, index string, n int) (keys []string, err error) {
	err = g.call(ctx, "recent", func() error { keys, err = g.st.Recent(ctx, index, n); return err })
	return keys, err
}

// report records the outcome of a call to Redis with the breaker.
func (c *Cache) report(ctx context.Context, op string, err error) {
	if err != nil && errors.Is(err, context.Canceled) && errors.Is(ctx.Err(), context.Canceled) {
		// The caller went away mid-call: that says nothing of Redis.
		c.breaker.abandon()
		return
	}
	was := c.breaker.current()
	c.breaker.done(err == nil)
	if err != nil {
		c.errors.Inc()
		c.log.Debug("matrix cache: Redis call failed", "op", op, "err", err)
		return
	}
	if was != BreakerClosed {
		c.log.Info("matrix cache: Redis is back")
	}
}

// Probe tries Redis with a read of a key that is never written, whatever
// the breaker's state, and records the outcome: a success closes the
// breaker at once. Readiness checks call it, so that the cache returns to
// Redis without waiting for a matrix request to find it back.
func (c *Cache) Probe(ctx context.Context) error {
	g, ok := c.redis.(guarded)
	if !ok {
		return nil
	}
	_, _, err := g.st.Get(ctx, c.prefix+"probe")
	c.report(ctx, "probe", err)
	return err
}

// Breaker returns the state of the circuit breaker in front of Redis;
// closed when no Redis is configured.
func (c *Cache) Breaker() BreakerState { return c.breaker.current() }

// Source names the provider behind the cache.
func (c *Cache) Source() roster.TravelSource { return c.source }

// Degraded reports whether Redis is configured but left alone after
// failures, so that matrices are being kept in this process only.
func (c *Cache) Degraded() bool { return c.redis != nil && c.breaker.current() != BreakerClosed }

// Matrix returns the matrix over points by mode, from the cache when it can.
func (c *Cache) Matrix(ctx context.Context, points []roster.Location, mode roster.Mode) (*geo.Matrix, error) {
	m, _, err := c.Lookup(ctx, points, mode)
	return m, err
}

// Lookup is Matrix that also says where the matrix came from. Identical
// requests made at once are computed once.
func (c *Cache) Lookup(ctx context.Context, points []roster.Location, mode roster.Mode) (*geo.Matrix, Result, error) {
	q := make([][2]int32, len(points))
	h := sha256.New()
	var buf [8]byte
	for i, p := range points {
		q[i] = quantise(p)
		binary.LittleEndian.PutUint32(buf[:4], uint32(q[i][0]))
		binary.LittleEndian.PutUint32(buf[4:], uint32(q[i][1]))
		h.Write(buf[:])
	}
	key := c.prefix + string(mode) + ":" + hex.EncodeToString(h.Sum(nil)[:16])
	type answer struct {
		m   *geo.Matrix
		res Result
	}
	v, err, _ := c.flight.Do(key, func() (any, error) {
		m, res, err := c.lookup(context.WithoutCancel(ctx), key, q, points, mode)
		return answer{m, res}, err
	})
	if err != nil {
		return nil, "", err
	}
	a := v.(answer)
	c.requests.WithLabelValues(string(a.res)).Inc()
	// Callers share the matrix a flight returned; each gets its own copy
	// so that none can change another's.
	return clone(a.m), a.res, nil
}

func clone(m *geo.Matrix) *geo.Matrix {
	return &geo.Matrix{N: m.N, DurS: append([]int32(nil), m.DurS...), DistM: append([]int32(nil), m.DistM...)}
}

func (c *Cache) lookup(ctx context.Context, key string, q [][2]int32, points []roster.Location, mode roster.Mode) (*geo.Matrix, Result, error) {
	if e, _ := c.get(ctx, c.mem, key, q); e != nil {
		return e, FromMemory, nil
	}
	if e, data := c.get(ctx, c.redis, key, q); e != nil {
		c.mem.Set(ctx, key, data, c.ttl) //nolint:errcheck // the memory store does not fail
		return e, FromRedis, nil
	}
	m, res, err := c.build(ctx, q, points, mode)
	if err != nil {
		return nil, "", err
	}
	if m.N != len(points) {
		return nil, "", fmt.Errorf("matrixcache: provider returned %d points, want %d", m.N, len(points))
	}
	data, err := encode(q, m)
	if err != nil {
		return nil, "", err
	}
	index := c.prefix + string(mode) + ":recent"
	pts := encodePoints(q)
	c.mem.Set(ctx, key, data, c.ttl)             //nolint:errcheck // the memory store does not fail
	c.mem.Set(ctx, key+pointsSuffix, pts, c.ttl) //nolint:errcheck
	c.mem.Remember(ctx, index, key, recent)      //nolint:errcheck
	if st := c.redis; st != nil {
		// Stop at the first failure; the guard has counted it.
		if st.Set(ctx, key, data, c.ttl) == nil && st.Set(ctx, key+pointsSuffix, pts, c.ttl) == nil {
			st.Remember(ctx, index, key, recent) //nolint:errcheck // counted by the guard
		}
	}
	return m, res, nil
}

// recent is how many recently stored matrices a request for new points
// looks through for ones it shares.
const recent = 8

// get reads key from st and checks that it holds the points asked for. It
// returns the matrix and its stored form.
func (c *Cache) get(ctx context.Context, st Store, key string, q [][2]int32) (*geo.Matrix, []byte) {
	if st == nil {
		return nil, nil
	}
	data, ok, err := st.Get(ctx, key)
	if err != nil || !ok {
		return nil, nil
	}
	e, err := decode(data)
	if err != nil || !samePoints(e.points, q) {
		return nil, nil
	}
	return e.m, data
}

func samePoints(a, b [][2]int32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// build computes the matrix, reusing the recently stored matrix that shares
// most of the points when the provider can compute rows and columns alone.
func (c *Cache) build(ctx context.Context, q [][2]int32, points []roster.Location, mode roster.Mode) (*geo.Matrix, Result, error) {
	n := len(points)
	lp, canLegs := c.prov.(geo.LegsProvider)
	var base *entry
	shared := 0
	if canLegs && n >= 2 {
		base, shared = c.bestOverlap(ctx, q, mode)
	}
	if base == nil || shared < n/2 {
		m, err := c.prov.Matrix(ctx, points, mode)
		if err != nil {
			return nil, "", err
		}
		c.pairs.Add(float64(n * n))
		return m, Computed, nil
	}
	at := make(map[[2]int32]int, len(base.points))
	for i, p := range base.points {
		at[p] = i
	}
	from := make([]int, n) // index in base, or -1
	var fresh []roster.Location
	var freshIdx []int
	for i, p := range q {
		if k, ok := at[p]; ok {
			from[i] = k
		} else {
			from[i] = -1
			fresh = append(fresh, points[i])
			freshIdx = append(freshIdx, i)
		}
	}
	m := geo.NewMatrix(n)
	bn := base.m.N
	for i := 0; i < n; i++ {
		if from[i] < 0 {
			continue
		}
		for j := 0; j < n; j++ {
			if from[j] >= 0 {
				k := from[i]*bn + from[j]
				m.DurS[i*n+j], m.DistM[i*n+j] = base.m.DurS[k], base.m.DistM[k]
			}
		}
	}
	if len(fresh) > 0 {
		rowD, rowM, err := lp.Legs(ctx, fresh, points, mode)
		if err != nil {
			return nil, "", err
		}
		colD, colM, err := lp.Legs(ctx, points, fresh, mode)
		if err != nil {
			return nil, "", err
		}
		if len(rowD) != len(fresh)*n || len(colD) != n*len(fresh) || len(rowM) != len(rowD) || len(colM) != len(colD) {
			return nil, "", errors.New("matrixcache: provider returned legs of the wrong size")
		}
		for a, i := range freshIdx {
			copy(m.DurS[i*n:(i+1)*n], rowD[a*n:(a+1)*n])
			copy(m.DistM[i*n:(i+1)*n], rowM[a*n:(a+1)*n])
		}
		for j := 0; j < n; j++ {
			for a, i := range freshIdx {
				m.DurS[j*n+i], m.DistM[j*n+i] = colD[j*len(fresh)+a], colM[j*len(fresh)+a]
			}
		}
		c.pairs.Add(float64(2*len(fresh)*n - len(fresh)*len(fresh)))
	}
	return m, Partial, nil
}

// pointsSuffix names the key holding a matrix's points alone.
const pointsSuffix = ":points"

// bestOverlap looks through the points of the recently stored matrices of
// mode for the matrix holding most of the points q, and reads that one.
func (c *Cache) bestOverlap(ctx context.Context, q [][2]int32, mode roster.Mode) (*entry, int) {
	want := make(map[[2]int32]bool, len(q))
	for _, p := range q {
		want[p] = true
	}
	index := c.prefix + string(mode) + ":recent"
	for _, st := range []Store{c.redis, c.mem} {
		if st == nil {
			continue
		}
		keys, err := st.Recent(ctx, index, recent)
		if err != nil {
			continue
		}
		bestKey, bestShared := "", 0
		for _, k := range keys {
			data, ok, err := st.Get(ctx, k+pointsSuffix)
			if errors.Is(err, errBreakerOpen) {
				break
			}
			if err != nil || !ok {
				continue
			}
			points, err := decodePoints(data)
			if err != nil {
				continue
			}
			shared := 0
			for _, p := range points {
				if want[p] {
					shared++
				}
			}
			if shared > bestShared {
				bestKey, bestShared = k, shared
			}
		}
		if bestKey == "" {
			continue
		}
		data, ok, err := st.Get(ctx, bestKey)
		if err != nil || !ok {
			continue
		}
		if e, err := decode(data); err == nil {
			return e, bestShared
		}
	}
	return nil, 0
}
