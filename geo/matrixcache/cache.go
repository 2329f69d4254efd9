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
	"sync/atomic"
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

	redisDown atomic.Bool
	requests  *prometheus.CounterVec
	pairs     prometheus.Counter
	errors    prometheus.Counter
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
	src := prov.Source()
	vh := sha256.Sum256([]byte(src.Version))
	c := &Cache{
		prov: prov, redis: cfg.Redis, mem: NewMemoryStore(cfg.MemoryBytes), ttl: cfg.TTL, log: cfg.Logger, source: src,
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
	if cfg.Registerer != nil {
		cfg.Registerer.MustRegister(c.requests, c.pairs, c.errors)
	}
	return c
}

// Source names the provider behind the cache.
func (c *Cache) Source() roster.TravelSource { return c.source }

// Degraded reports whether the last use of Redis failed, so that matrices
// are being kept in this process only.
func (c *Cache) Degraded() bool { return c.redis != nil && c.redisDown.Load() }

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
		if err := st.Set(ctx, key, data, c.ttl); err != nil {
			c.fail("store", err)
		} else if err := st.Set(ctx, key+pointsSuffix, pts, c.ttl); err != nil {
			c.fail("store", err)
		} else if err := st.Remember(ctx, index, key, recent); err != nil {
			c.fail("index", err)
		} else {
			c.redisDown.Store(false)
		}
	}
	return m, res, nil
}

// recent is how many recently stored matrices a request for new points
// looks through for ones it shares.
const recent = 8

func (c *Cache) fail(what string, err error) {
	c.errors.Inc()
	if !c.redisDown.Swap(true) {
		c.log.Warn("matrix cache: Redis failed; keeping matrices in memory", "op", what, "err", err)
	}
}

// get reads key from st and checks that it holds the points asked for. It
// returns the matrix and its stored form.
func (c *Cache) get(ctx context.Context, st Store, key string, q [][2]int32) (*geo.Matrix, []byte) {
	if st == nil {
		return nil, nil
	}
	data, ok, err := st.Get(ctx, key)
	if err != nil {
		if st != Store(c.mem) {
			c.fail("get", err)
		}
		return nil, nil
	}
	if st != Store(c.mem) {
		c.redisDown.Store(false)
	}
	if !ok {
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
			if st != Store(c.mem) {
				c.fail("recent", err)
			}
			continue
		}
		bestKey, bestShared := "", 0
		for _, k := range keys {
			data, ok, err := st.Get(ctx, k+pointsSuffix)
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
