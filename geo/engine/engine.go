package engine

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/roster"
)

// Kind names a routing engine.
type Kind string

// The routing engines a Client can speak to.
const (
	OSRM        Kind = "osrm"
	Valhalla    Kind = "valhalla"
	GraphHopper Kind = "graphhopper"
)

// Kinds lists every engine in a fixed order, for help texts.
var Kinds = []Kind{OSRM, Valhalla, GraphHopper}

// ParseKind reads an engine name such as a command-line flag gives it,
// ignoring case and surrounding space.
func ParseKind(s string) (Kind, error) {
	k := Kind(strings.ToLower(strings.TrimSpace(s)))
	for _, v := range Kinds {
		if k == v {
			return k, nil
		}
	}
	return "", fmt.Errorf("geo: unknown routing engine %q (want %s)", s, kindList())
}

// kindList names the engines for error messages: "osrm, valhalla or
// graphhopper".
func kindList() string {
	names := make([]string, len(Kinds))
	for i, k := range Kinds {
		names[i] = string(k)
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// Defaults shared by every engine.
const (
	// DefaultRequestTimeout bounds one request to the engine.
	DefaultRequestTimeout = 60 * time.Second
	// DefaultHTTPTimeout is the timeout of the HTTP client New makes when
	// Config.HTTPClient is nil; it backs up the per-request timeout.
	DefaultHTTPTimeout = 2 * time.Minute
	// DefaultConcurrency is how many block requests run at once.
	DefaultConcurrency = 4
)

// maxAnswerBytes bounds an engine's answer: a 100×100 OSRM table is about
// 200 KB, so anything near this is not a matrix answer.
const maxAnswerBytes = 64 << 20

// Config configures a Client. Only Kind and BaseURL are required; zero
// values elsewhere take the engine's defaults.
type Config struct {
	// Kind is the engine behind BaseURL.
	Kind Kind
	// BaseURL is where the engine answers, with any path prefix, for
	// example "http://localhost:5000" for OSRM, "http://localhost:8002"
	// for Valhalla or "https://graphhopper.com/api/1" for GraphHopper. It
	// must not carry a query string or a fragment.
	BaseURL string
	// Profiles maps travel modes to the engine's profile (OSRM, GraphHopper)
	// or costing (Valhalla), overriding the defaults: drive, walk and cycle
	// are car, foot and bike for OSRM and GraphHopper, and auto, pedestrian
	// and bicycle for Valhalla. No engine has a default for public
	// transport; map roster.Public here to use one anyway.
	Profiles map[roster.Mode]string
	// HTTPClient sends the requests; nil means a client with
	// DefaultHTTPTimeout.
	HTTPClient *http.Client
	// RequestTimeout bounds each request, one block of the matrix; zero
	// means DefaultRequestTimeout.
	RequestTimeout time.Duration
	// MaxLocations is the most sources and the most destinations one
	// request carries; larger sets are split into blocks. Zero means the
	// engine's default: 100 for OSRM (its default --max-table-size), 50
	// for Valhalla (its classic max_matrix_locations, 2,500 pairs) and 30
	// for GraphHopper (the smallest paid plan's matrix size).
	MaxLocations int
	// Concurrency is how many block requests run at once; zero means
	// DefaultConcurrency.
	Concurrency int
	// Version names the engine's data, for example the OSM extract's date;
	// Source records it in plans.
	Version string
	// APIKey is GraphHopper's key, sent as the key query parameter. It is
	// never recorded in Source or in errors. Other engines take no key.
	APIKey string
}

// Client computes travel matrices with one routing engine. It is safe for
// concurrent use.
type Client struct {
	kind     Kind
	be       backend
	base     *url.URL
	profiles map[roster.Mode]string
	hc       *http.Client
	timeout  time.Duration
	maxLoc   int
	conc     int
	version  string
	apiKey   string
}

var (
	_ geo.Provider     = (*Client)(nil)
	_ geo.LegsProvider = (*Client)(nil)
)

// New checks cfg and returns a Client for the engine it names.
func New(cfg Config) (*Client, error) {
	c := &Client{kind: cfg.Kind, hc: cfg.HTTPClient, timeout: cfg.RequestTimeout,
		maxLoc: cfg.MaxLocations, conc: cfg.Concurrency, version: cfg.Version, apiKey: cfg.APIKey}
	var defaults map[roster.Mode]string
	switch cfg.Kind {
	case OSRM:
		c.be, defaults = osrm{}, map[roster.Mode]string{roster.Drive: "car", roster.Walk: "foot", roster.Cycle: "bike"}
		if c.maxLoc == 0 {
			c.maxLoc = 100
		}
	case Valhalla:
		c.be, defaults = valhalla{}, map[roster.Mode]string{roster.Drive: "auto", roster.Walk: "pedestrian", roster.Cycle: "bicycle"}
		if c.maxLoc == 0 {
			c.maxLoc = 50
		}
	case GraphHopper:
		c.be, defaults = graphHopper{}, map[roster.Mode]string{roster.Drive: "car", roster.Walk: "foot", roster.Cycle: "bike"}
		if c.maxLoc == 0 {
			c.maxLoc = 30
		}
	default:
		return nil, fmt.Errorf("geo: engine: unknown kind %q (want %s)", cfg.Kind, kindList())
	}
	prefix := "geo: " + string(cfg.Kind)
	if cfg.APIKey != "" && cfg.Kind != GraphHopper {
		return nil, fmt.Errorf("%s: an API key is only sent to graphhopper", prefix)
	}
	u, err := url.Parse(strings.TrimSpace(cfg.BaseURL))
	if err != nil {
		return nil, fmt.Errorf("%s: base URL: %w", prefix, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%s: base URL %q: want http:// or https:// and a host", prefix, cfg.BaseURL)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("%s: base URL must not carry a query, a fragment or credentials (put a GraphHopper key in APIKey)", prefix)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	c.base = u

	c.profiles = make(map[roster.Mode]string, len(defaults)+len(cfg.Profiles))
	for m, p := range defaults {
		c.profiles[m] = p
	}
	for m, p := range cfg.Profiles {
		if !m.Valid() {
			return nil, fmt.Errorf("%s: profiles: unknown mode %q", prefix, m)
		}
		if !validProfile(p) {
			return nil, fmt.Errorf("%s: profiles.%s: %q is not a profile name (letters, digits, '-', '_' and '.')", prefix, m, p)
		}
		c.profiles[m] = p
	}

	switch {
	case c.timeout == 0:
		c.timeout = DefaultRequestTimeout
	case c.timeout < 0:
		return nil, fmt.Errorf("%s: request timeout %s: must be positive", prefix, c.timeout)
	}
	if c.hc == nil {
		// The client's own timeout is a backstop; it must not cut short a
		// longer per-request timeout the caller chose.
		c.hc = &http.Client{Timeout: max(DefaultHTTPTimeout, c.timeout)}
	}
	if c.maxLoc < 1 {
		return nil, fmt.Errorf("%s: max locations %d: must be at least 1", prefix, c.maxLoc)
	}
	switch {
	case c.conc == 0:
		c.conc = DefaultConcurrency
	case c.conc < 0:
		return nil, fmt.Errorf("%s: concurrency %d: must be at least 1", prefix, c.conc)
	}
	return c, nil
}

// validProfile reports whether p can go into a URL path unescaped.
func validProfile(p string) bool {
	if p == "" {
		return false
	}
	for _, r := range p {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// Kind returns the engine the client speaks to.
func (c *Client) Kind() Kind { return c.kind }

// MaxLocations returns the most sources and destinations one request
// carries.
func (c *Client) MaxLocations() int { return c.maxLoc }

// Profile returns the engine profile (or Valhalla costing) used for mode.
func (c *Client) Profile(mode roster.Mode) (string, error) {
	p, ok := c.profiles[mode]
	if ok {
		return p, nil
	}
	if mode == roster.Public {
		return "", fmt.Errorf("geo: %s: travel mode %q: public transport has no default profile; map it in Config.Profiles if the engine has one", c.kind, mode)
	}
	return "", fmt.Errorf("geo: %s: travel mode %q has no profile", c.kind, mode)
}

// Source names the engine; the version is Config.Version and the engine's
// host, as "version@host", or the host alone when Version is empty.
func (c *Client) Source() roster.TravelSource {
	v := c.base.Host
	if c.version != "" {
		v = c.version + "@" + v
	}
	return roster.TravelSource{Provider: string(c.kind), Version: v}
}

// Matrix asks the engine for the travel between every pair of points by
// mode. Legs the engine finds no route for make it fail with an
// *geo.UnreachableError; a refusal is an *EngineError, an unreadable answer
// wraps ErrBadAnswer and a timeout wraps context.DeadlineExceeded.
func (c *Client) Matrix(ctx context.Context, points []roster.Location, mode roster.Mode) (*geo.Matrix, error) {
	dur, dist, err := c.compute(ctx, points, points, true, mode)
	if err != nil {
		return nil, err
	}
	return &geo.Matrix{N: len(points), DurS: dur, DistM: dist}, nil
}

// Legs asks the engine for the travel from each of from to each of to by
// mode, row-major: the leg from from[i] to to[j] is at i*len(to)+j. It fails
// as Matrix does, its geo.UnreachableError indexing from and to.
func (c *Client) Legs(ctx context.Context, from, to []roster.Location, mode roster.Mode) (durS, distM []int32, err error) {
	return c.compute(ctx, from, to, false, mode)
}

// block is one request's share of the matrix: sources [i0, i1) and
// destinations [j0, j1).
type block struct{ i0, i1, j0, j1 int }

// query is what a backend sends for one block.
type query struct {
	from, to []roster.Location
	// same is true when from and to are the same list, so that an engine
	// that can may send it once.
	same    bool
	profile string
}

// grid is one block's answer, row-major over from×to: durations in seconds
// and distances in metres as the engine gave them, NaN where it gave null.
type grid struct {
	durS, distM []float64
}

// backend speaks one engine's protocol.
type backend interface {
	// operation names the engine's service, for errors.
	operation() string
	// fetch asks the engine for one block.
	fetch(ctx context.Context, c *Client, q query) (grid, error)
}

// compute fills the from×to matrix block by block; same says from and to
// are the same list.
func (c *Client) compute(ctx context.Context, from, to []roster.Location, same bool, mode roster.Mode) (durS, distM []int32, err error) {
	prefix := fmt.Sprintf("geo: %s %s", c.kind, c.be.operation())
	profile, err := c.Profile(mode)
	if err != nil {
		return nil, nil, err
	}
	if err := checkLocations("from", from); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", prefix, err)
	}
	if !same {
		if err := checkLocations("to", to); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", prefix, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", prefix, err)
	}
	n := len(from) * len(to)
	durS, distM = make([]int32, n), make([]int32, n)
	if n == 0 {
		return durS, distM, nil
	}

	var blocks []block
	for i0 := 0; i0 < len(from); i0 += c.maxLoc {
		for j0 := 0; j0 < len(to); j0 += c.maxLoc {
			blocks = append(blocks, block{i0, min(i0+c.maxLoc, len(from)), j0, min(j0+c.maxLoc, len(to))})
		}
	}

	bctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		firstErr error
		pairs    []geo.Pair
		count    int
		wg       sync.WaitGroup
	)
	sem := make(chan struct{}, c.conc)
feed:
	for _, b := range blocks {
		select {
		case sem <- struct{}{}:
		case <-bctx.Done():
			break feed
		}
		wg.Add(1)
		go func(b block) {
			defer func() { <-sem; wg.Done() }()
			q := query{from: from[b.i0:b.i1], to: to[b.j0:b.j1], same: same && b.i0 == b.j0, profile: profile}
			var bp []geo.Pair
			var bc int
			g, err := c.be.fetch(bctx, c, q)
			if err == nil {
				bp, bc, err = place(g, b, len(to), durS, distM)
			}
			if err != nil && len(blocks) > 1 {
				err = fmt.Errorf("sources %d-%d to destinations %d-%d: %w", b.i0, b.i1-1, b.j0, b.j1-1, err)
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if firstErr == nil {
					firstErr = err
					cancel()
				}
				return
			}
			pairs, count = append(pairs, bp...), count+bc
		}(b)
	}
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	if firstErr != nil {
		return nil, nil, fmt.Errorf("%s: %w", prefix, firstErr)
	}
	if count > 0 {
		// Each block lists its first pairs in row-major order, which is the
		// global order restricted to the block, so the global first pairs are
		// among those listed.
		sort.Slice(pairs, func(a, b int) bool {
			if pairs[a].From != pairs[b].From {
				return pairs[a].From < pairs[b].From
			}
			return pairs[a].To < pairs[b].To
		})
		if len(pairs) > geo.MaxListedPairs {
			pairs = pairs[:geo.MaxListedPairs]
		}
		for k := range pairs {
			pairs[k].FromAt, pairs[k].ToAt = from[pairs[k].From], to[pairs[k].To]
		}
		return nil, nil, fmt.Errorf("%s: %w", prefix, &geo.UnreachableError{Mode: mode, Pairs: pairs, Count: count})
	}
	return durS, distM, nil
}

// place writes one block's answer g into the n-column matrices durS and
// distM, converting each value to a whole number; it returns the block's
// first unreachable pairs (global indices) and how many there are.
func place(g grid, b block, n int, durS, distM []int32) (pairs []geo.Pair, count int, err error) {
	rows, cols := b.i1-b.i0, b.j1-b.j0
	if len(g.durS) != rows*cols || len(g.distM) != rows*cols {
		// The decoders check shapes; this guards against a backend bug.
		return nil, 0, fmt.Errorf("%w: %d durations and %d distances for %d×%d legs", ErrBadAnswer, len(g.durS), len(g.distM), rows, cols)
	}
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			d, m := g.durS[i*cols+j], g.distM[i*cols+j]
			gi, gj := b.i0+i, b.j0+j
			if math.IsNaN(d) || math.IsNaN(m) {
				if len(pairs) < geo.MaxListedPairs {
					pairs = append(pairs, geo.Pair{From: gi, To: gj})
				}
				count++
				continue
			}
			ds, err := toInt32(d)
			if err != nil {
				return nil, 0, fmt.Errorf("%w: duration %d→%d: %v", ErrBadAnswer, gi, gj, err)
			}
			dm, err := toInt32(m)
			if err != nil {
				return nil, 0, fmt.Errorf("%w: distance %d→%d: %v", ErrBadAnswer, gi, gj, err)
			}
			durS[gi*n+gj], distM[gi*n+gj] = ds, dm
		}
	}
	return pairs, count, nil
}

// toInt32 rounds v to the nearest whole number, refusing values an int32
// cannot hold and values no travel time or distance can take.
func toInt32(v float64) (int32, error) {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return 0, fmt.Errorf("%v is not a number", v)
	case v < 0:
		return 0, fmt.Errorf("%v is negative", v)
	}
	r := math.Round(v)
	if r > math.MaxInt32 {
		return 0, fmt.Errorf("%v is too large", v)
	}
	return int32(r), nil
}

// checkLocations refuses coordinates no engine can route from.
func checkLocations(name string, locs []roster.Location) error {
	for i, l := range locs {
		if !(l.Lat >= -90 && l.Lat <= 90) || !(l.Lon >= -180 && l.Lon <= 180) {
			return fmt.Errorf("%s[%d]: (%v, %v) is not a latitude and longitude", name, i, l.Lat, l.Lon)
		}
	}
	return nil
}
