// Package api serves the optimiser to care management software over HTTP:
// solve jobs, validation, plan checks and travel matrices, with API keys,
// problem+json errors, Prometheus metrics and an OpenAPI document.
package api

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"

	"github.com/rounds-dev/rounds/api/jobs"
	"github.com/rounds-dev/rounds/geo/matrixcache"
	"github.com/rounds-dev/rounds/importer"
	"github.com/rounds-dev/rounds/roster"
	"github.com/rounds-dev/rounds/web"
)

// Key is an API key as configured: a name for logs and job ownership, and
// the SHA-256 of the secret in hex; the secret itself is never stored.
type Key struct {
	Name  string
	Hash  string
	Admin bool // may read /metrics
}

// HashKey returns the hex SHA-256 of an API key's secret, the form Config
// holds.
func HashKey(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// Config sets up a Server.
type Config struct {
	// Keys are the accepted API keys; none leaves the API open, every
	// caller one anonymous owner (for a service on loopback only).
	Keys []Key
	// Jobs stores solve jobs.
	Jobs jobs.Store
	// Matrices answers travel matrix requests and feeds solves.
	Matrices *matrixcache.Cache
	// Streets, when set, is the road network travel comes from: exports of
	// plans made on it follow its streets, and /v1/streets maps them.
	Streets StreetMap
	// Redis, when set, is what /readyz checks.
	Redis redis.UniversalClient
	// MaxBody bounds request bodies, e.g. "8M".
	MaxBody string
	// MaxMatrixPoints bounds the locations of one matrix request.
	MaxMatrixPoints int
	// Limits bound each instance (places, visits, carers, matrix memory);
	// an instance over them is a 413. The zero value means
	// roster.DefaultLimits.
	Limits roster.Limits
	// Budget bounds the memory, by estimate, of the expensive requests
	// (checks and matrices) running at once; others wait for their share,
	// and after WorkWait answer 503. Share one with the Worker in the same
	// process; nil means BudgetFor(Limits).
	Budget   *Budget
	WorkWait time.Duration
	// MaxWait bounds how long a submit may wait for its job to finish.
	MaxWait time.Duration
	// MaxTimeLimit bounds the solve time a job may ask for.
	MaxTimeLimit time.Duration
	// MaxDistrictClients bounds the clients of a district sent to the
	// localities endpoints (default 50,000); MaxLocalityIterations the
	// iterations a localities job may ask of each solve (default 50,000).
	MaxDistrictClients    int
	MaxLocalityIterations int
	// RatePerSecond and Burst bound each key's requests.
	RatePerSecond float64
	Burst         int
	// FailedAuthPerSecond and FailedAuthBurst bound the requests with a
	// missing or unknown key that one client address (an IPv6 /64) may
	// make; past them every request from the address is answered 429 until
	// it slows down. Defaults 1 a second, burst 20.
	FailedAuthPerSecond float64
	FailedAuthBurst     int
	// TrustedProxies are the reverse proxies in front of the service. A
	// request whose connection comes from one of them is counted by the
	// client address the proxies add to X-Forwarded-For (the nearest not
	// within these ranges); any other request by its connection's address,
	// whatever it sends. None: X-Forwarded-For is ignored.
	TrustedProxies []netip.Prefix
	// Registry receives the service's metrics; it is what /metrics shows.
	Registry *prometheus.Registry
	// Logger receives request and error logs: methods, routes, statuses,
	// key names and job ids, never the content of instances or plans.
	Logger *slog.Logger
	// Addresses, when set, places the rows of an import by their address
	// (the addr:* tags of the extract rounds serve --osm loads).
	Addresses importer.Addresses
}

// Server is the HTTP API.
type Server struct {
	cfg  Config
	e    *echo.Echo
	log  *slog.Logger
	keys map[string]Key // by hash
	work *Budget

	failures *authFailures

	requests *prometheus.HistogramVec
	submits  *prometheus.CounterVec
}

// anonymous owns every job when no keys are configured.
const anonymous = "anonymous"

// New builds the server and its routes.
func New(cfg Config) (*Server, error) {
	if cfg.Jobs == nil || cfg.Matrices == nil || cfg.Registry == nil {
		return nil, fmt.Errorf("api: Jobs, Matrices and Registry are required")
	}
	if cfg.MaxBody == "" {
		cfg.MaxBody = "8M"
	}
	if cfg.MaxMatrixPoints <= 0 {
		cfg.MaxMatrixPoints = 2000
	}
	if cfg.Limits == (roster.Limits{}) {
		cfg.Limits = roster.DefaultLimits()
	}
	if cfg.Budget == nil {
		cfg.Budget = BudgetFor(cfg.Limits)
	}
	if cfg.WorkWait <= 0 {
		cfg.WorkWait = 30 * time.Second
	}
	if cfg.MaxWait <= 0 {
		cfg.MaxWait = 30 * time.Second
	}
	if cfg.MaxTimeLimit <= 0 {
		cfg.MaxTimeLimit = 10 * time.Minute
	}
	if cfg.MaxDistrictClients <= 0 {
		cfg.MaxDistrictClients = 50_000
	}
	if cfg.MaxLocalityIterations <= 0 {
		cfg.MaxLocalityIterations = 50_000
	}
	if cfg.RatePerSecond <= 0 {
		cfg.RatePerSecond = 50
	}
	if cfg.Burst <= 0 {
		cfg.Burst = 100
	}
	if cfg.FailedAuthPerSecond <= 0 {
		cfg.FailedAuthPerSecond = defaultFailedAuthPerSecond
	}
	if cfg.FailedAuthBurst <= 0 {
		cfg.FailedAuthBurst = defaultFailedAuthBurst
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg, log: cfg.Logger, keys: map[string]Key{}, work: cfg.Budget,
		failures: newAuthFailures(rate.Limit(cfg.FailedAuthPerSecond), cfg.FailedAuthBurst, maxFailingAddresses)}
	for _, k := range cfg.Keys {
		h := strings.ToLower(k.Hash)
		if b, err := hex.DecodeString(h); err != nil || len(b) != sha256.Size {
			return nil, fmt.Errorf("api: key %q: want the hex SHA-256 of the secret", k.Name)
		}
		if k.Name == "" || k.Name == anonymous {
			return nil, fmt.Errorf("api: key %q: a key needs a name other than %q", k.Name, anonymous)
		}
		k.Hash = h
		s.keys[h] = k
	}
	s.requests = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "rounds_http_request_duration_seconds",
		Help:    "HTTP requests by route, method and status.",
		Buckets: []float64{.001, .005, .01, .05, .1, .5, 1, 5, 30},
	}, []string{"route", "method", "status"})
	s.submits = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "rounds_jobs_submitted_total",
		Help: "Solve job submissions by result: accepted, or refused because the queue was full.",
	}, []string{"result"})
	cfg.Registry.MustRegister(s.requests, s.submits)

	ipExtractor, err := clientAddress(cfg.TrustedProxies)
	if err != nil {
		return nil, err
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.IPExtractor = ipExtractor
	e.HTTPErrorHandler = s.errorHandler
	e.Use(s.observe)
	e.Use(middleware.Recover())
	e.Use(middleware.BodyLimit(cfg.MaxBody))
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/openapi.json", s.openapi)
	// The coordinator's board and the commissioner's localities: the pages
	// and their assets, with their own CSP and cache headers (package web).
	// They call the /v1 endpoints below.
	board := echo.WrapHandler(web.Handler())
	for _, path := range []string{"/", "/localities", "/assets/*"} {
		e.GET(path, board)
		e.HEAD(path, board) // as the web handler answers it
	}
	e.GET("/metrics", echo.WrapHandler(promhttp.HandlerFor(cfg.Registry, promhttp.HandlerOpts{})), s.auth, s.adminOnly)

	// The /v1 middleware goes on each route, not on the group: a group's
	// middleware makes Echo add a catch-all route, which turns a wrong
	// method into a 404 where it should be a 405 with Allow.
	perKey := middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Store: middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
			Rate: rate.Limit(cfg.RatePerSecond), Burst: cfg.Burst, ExpiresIn: 3 * time.Minute,
		}),
		IdentifierExtractor: func(c echo.Context) (string, error) { return owner(c), nil },
	})
	v1 := e.Group("/v1")
	post := func(path string, h echo.HandlerFunc, params ...string) {
		v1.POST(path, h, s.auth, perKey, jsonBody, onlyParams(params...))
	}
	post("/jobs", s.submit, jobParams...)
	post("/replan", s.replan, jobParams...)
	post("/validate", s.validate)
	post("/check", s.check)
	post("/evaluate", s.evaluate)
	post("/matrix", s.matrix)
	post("/export", s.exportPlan, "format", "date")
	v1.GET("/streets", s.streets, s.auth, perKey, onlyParams("bbox"))
	v1.POST("/import", s.importCSV, s.auth, perKey, multipartBody, onlyParams())
	v1.POST("/localities/demand", s.localitiesDemand, s.auth, perKey, multipartBody, onlyParams())
	post("/localities/evaluate", s.evaluateLocalities, "wait")
	post("/localities/propose", s.proposeLocalities, "wait")
	v1.GET("/jobs/:id", s.getJob, s.auth, perKey, onlyParams())
	v1.DELETE("/jobs/:id", s.cancelJob, s.auth, perKey, onlyParams())
	s.e = e
	return s, nil
}

// clientAddress returns how a request's client address is found. With no
// trusted proxies it is the connection's: X-Forwarded-For and X-Real-IP
// are whatever a client chooses to send. Behind trusted proxies it is the
// nearest address in X-Forwarded-For outside their ranges, read only when
// the connection comes from one of them; nothing else is trusted (Echo
// trusts loopback and private addresses unless told not to).
func clientAddress(trusted []netip.Prefix) (echo.IPExtractor, error) {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect(), nil
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for i, p := range trusted {
		if !p.IsValid() {
			return nil, fmt.Errorf("api: TrustedProxies[%d]: not a valid address range", i)
		}
		p = p.Masked()
		opts = append(opts, echo.TrustIPRange(&net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}))
	}
	return echo.ExtractIPFromXFFHeader(opts...), nil
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.e }

// HTTPServer returns an http.Server for the handler on addr with timeouts
// that bound slow clients: headers in 10 s, bodies in 60 s, answers in
// the longest a submit may wait plus a minute.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr: addr, Handler: s.e,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      s.cfg.MaxWait + time.Minute,
		IdleTimeout:       2 * time.Minute,
	}
}

// observe logs each request and records its duration. It logs the route
// template, not the path, and the key's name, never a body.
func (s *Server) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		status := c.Response().Status
		d := time.Since(start)
		s.requests.WithLabelValues(route, c.Request().Method, fmt.Sprint(status)).Observe(d.Seconds())
		key, _ := c.Get(ownerKey).(string)
		if key == "" {
			key = "-"
		}
		s.log.Info("request", "method", c.Request().Method, "route", route, "status", status,
			"ms", d.Milliseconds(), "key", key)
		return nil
	}
}

const ownerKey = "rounds.owner"
const adminKey = "rounds.admin"

func owner(c echo.Context) string {
	if o, ok := c.Get(ownerKey).(string); ok {
		return o
	}
	return anonymous
}

// auth accepts "Authorization: Bearer KEY" or "X-API-Key: KEY" and records
// the key's name as the owner of what the request creates. Requests with a
// missing or unknown key are counted by client address, and an address
// past its own allowance is answered 429 before its key is looked at, so
// that keys cannot be guessed at speed; a known key then has its own
// limit. Failures beyond the addresses held share an overflow allowance
// (see authFailures), which refuses failures only, never a good key.
func (s *Server) auth(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if len(s.keys) == 0 {
			c.Set(ownerKey, anonymous)
			c.Set(adminKey, true)
			return next(c)
		}
		addr := c.RealIP()
		now := time.Now()
		if wait, blocked := s.failures.blocked(addr, now); blocked {
			return tooManyFailures(wait)
		}
		secret := c.Request().Header.Get("X-API-Key")
		if a := c.Request().Header.Get("Authorization"); secret == "" && strings.HasPrefix(a, "Bearer ") {
			secret = strings.TrimPrefix(a, "Bearer ")
		}
		var found *Key
		if secret != "" {
			h := HashKey(secret)
			for hash, k := range s.keys {
				if subtle.ConstantTimeCompare([]byte(hash), []byte(h)) == 1 {
					found = &k
				}
			}
		}
		if found == nil {
			if wait, over := s.failures.fail(addr, now); over {
				return tooManyFailures(wait)
			}
			if secret == "" {
				c.Response().Header().Set("WWW-Authenticate", `Bearer realm="rounds"`)
				return newProblem(http.StatusUnauthorized, typeUnauth, "Unauthorised", "send an API key as Authorization: Bearer KEY or X-API-Key: KEY")
			}
			c.Response().Header().Set("WWW-Authenticate", `Bearer realm="rounds", error="invalid_token"`)
			return newProblem(http.StatusUnauthorized, typeUnauth, "Unauthorised", "the API key is not known to this service")
		}
		c.Set(ownerKey, found.Name)
		c.Set(adminKey, found.Admin)
		return next(c)
	}
}

// tooManyFailures is the 429 for an address that has failed to
// authenticate too often.
func tooManyFailures(wait time.Duration) *Problem {
	p := newProblem(http.StatusTooManyRequests, typeRateLimited, "Too many failed attempts",
		"too many requests with a missing or unknown API key from this address; wait before trying again")
	p.retryAfter = strconv.Itoa(int(max(1, math.Ceil(wait.Seconds()))))
	return p
}

func (s *Server) adminOnly(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if admin, _ := c.Get(adminKey).(bool); !admin {
			return newProblem(http.StatusForbidden, typeForbidden, "Forbidden", "this endpoint needs an admin key")
		}
		return next(c)
	}
}

func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// readyz reports ready, or degraded when Redis is configured but does not
// answer: matrices are then kept in this process alone and jobs can be
// neither submitted nor read (503). A job queue Redis lost with its data
// is re-created here before the answer, so that ready means a job
// submitted now is run, and the matrix cache is probed, so that it returns
// to Redis as soon as Redis is back. The checks run at once under one
// deadline, so that with Redis down the answer comes in about
// readyTimeout, not in that much for each check in turn.
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), readyTimeout)
	defer cancel()
	// A check that ignores its context is counted as failed a little after
	// the deadline, so that the answer never waits on it.
	late, cancelLate := context.WithTimeout(c.Request().Context(), readyTimeout+readyGrace)
	defer cancelLate()
	start := func(f func(context.Context) error) func() error {
		// Buffered, so that a check still running when the answer has
		// gone can end without a reader.
		done := make(chan error, 1)
		go func() { done <- f(ctx) }()
		return func() error {
			select {
			case err := <-done:
				return err
			case <-late.Done():
				return late.Err()
			}
		}
	}
	var pingRedis, checkJobs func() error
	if s.cfg.Redis != nil {
		pingRedis = start(func(ctx context.Context) error { return s.cfg.Redis.Ping(ctx).Err() })
	}
	if ch, ok := s.cfg.Jobs.(jobs.Checker); ok {
		checkJobs = start(ch.Check)
	}
	// The probe closes the matrix cache's breaker as soon as Redis is back.
	probeMatrices := start(s.cfg.Matrices.Probe)

	out := map[string]string{"status": "ready"}
	if pingRedis != nil {
		if err := pingRedis(); err != nil {
			out["status"], out["redis"] = "degraded", "unreachable"
		} else {
			out["redis"] = "ok"
		}
	}
	if checkJobs != nil {
		if err := checkJobs(); err != nil {
			out["status"], out["jobs"] = "degraded", "unavailable"
		} else {
			out["jobs"] = "ok"
		}
	}
	probeMatrices() //nolint:errcheck // Degraded says
	if s.cfg.Matrices.Degraded() {
		out["status"], out["matrix_cache"] = "degraded", "memory only"
	}
	return c.JSON(http.StatusOK, out)
}

// readyTimeout bounds /readyz's checks together; readyGrace is how much
// longer it waits for a check that does not stop at its deadline.
const (
	readyTimeout = time.Second
	readyGrace   = 100 * time.Millisecond
)

// The limits on failed authentication, by client address.
const (
	defaultFailedAuthPerSecond = 1
	defaultFailedAuthBurst     = 20
	// maxFailingAddresses bounds the addresses remembered, about 200 bytes
	// each.
	maxFailingAddresses = 10000
)

// authFailures throttles failed authentication by client address, with
// bounded memory: it holds at most max addresses. When it is full it
// forgets the addresses whose allowance has refilled (they are then no
// different from new ones), at most once a second; if none has, the
// failures of addresses it does not hold draw on one shared overflow
// allowance, so that an attack from more addresses than it can hold is
// still throttled. Only an address's own allowance is checked before its
// key: a good key from an address not held is never refused, so that an
// attacker who drains the overflow locks out no one with a key.
type authFailures struct {
	mu        sync.Mutex
	every     rate.Limit
	burst     int
	max       int
	by        map[string]*rate.Limiter
	overflow  *rate.Limiter
	lastSweep time.Time
}

func newAuthFailures(every rate.Limit, burst, max int) *authFailures {
	return &authFailures{every: every, burst: burst, max: max, by: map[string]*rate.Limiter{},
		overflow: rate.NewLimiter(every, burst)}
}

// addressKey is the key an address is counted under: an IPv4 address
// itself, an IPv6 address's /64 (one subscriber's, usually).
func addressKey(host string) string {
	a, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	a = a.Unmap()
	if a.Is4() {
		return a.String()
	}
	p, _ := a.WithZone("").Prefix(64)
	return p.String()
}

// limiter returns the limiter a failure from the address draws on: its
// own, a new one when there is room, else the overflow.
func (a *authFailures) limiter(key string, now time.Time) *rate.Limiter {
	if l, ok := a.by[key]; ok {
		return l
	}
	if len(a.by) >= a.max && now.Sub(a.lastSweep) >= time.Second {
		a.lastSweep = now
		for k, l := range a.by {
			if l.TokensAt(now) >= float64(a.burst) {
				delete(a.by, k)
			}
		}
	}
	if len(a.by) >= a.max {
		return a.overflow
	}
	l := rate.NewLimiter(a.every, a.burst)
	a.by[key] = l
	return l
}

// blocked reports whether the address's own allowance is used up, and how
// long until it has one again. An address not held is never blocked: the
// overflow is shared, and refusing on it would refuse good keys.
func (a *authFailures) blocked(host string, now time.Time) (time.Duration, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	l, ok := a.by[addressKey(host)]
	if !ok {
		return 0, false
	}
	if t := l.TokensAt(now); t < 1 {
		return a.wait(t), true
	}
	return 0, false
}

// fail counts a failure from the address and reports whether it was over
// the allowance it draws on, and how long until the next is allowed.
func (a *authFailures) fail(host string, now time.Time) (time.Duration, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	l := a.limiter(addressKey(host), now)
	if l.AllowN(now, 1) {
		return 0, false
	}
	return a.wait(l.TokensAt(now)), true
}

// wait is how long a limiter holding tokens takes to hold one.
func (a *authFailures) wait(tokens float64) time.Duration {
	return time.Duration((1 - tokens) / float64(a.every) * float64(time.Second))
}

// len is the number of addresses held.
func (a *authFailures) len() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.by)
}
