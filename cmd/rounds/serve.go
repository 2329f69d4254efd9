package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/redis/go-redis/v9"

	"github.com/rounds-dev/rounds/api"
	"github.com/rounds-dev/rounds/api/jobs"
	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/geo/matrixcache"
	"github.com/rounds-dev/rounds/geo/road"
	"github.com/rounds-dev/rounds/roster"
)

// serviceFlags are the settings serve and worker share.
type serviceFlags struct {
	redisURL      string
	workers       int
	solverWorkers int
	queue         int
	resultTTL     time.Duration
	grace         time.Duration
	travel        *travelFlags
	limits        roster.Limits
	maxMatrixMiB  int64
}

func (sf *serviceFlags) register(fs *flag.FlagSet, workersDefault int) {
	fs.StringVar(&sf.redisURL, "redis", os.Getenv("REDIS_URL"), "Redis `URL`, e.g. redis://127.0.0.1:6379/0, for shared jobs and matrices (default $REDIS_URL; empty: in this process)")
	fs.IntVar(&sf.workers, "workers", workersDefault, "solve jobs run at once by this process")
	fs.IntVar(&sf.solverWorkers, "solver-workers", runtime.GOMAXPROCS(0), "independent searches per solve job")
	fs.IntVar(&sf.queue, "queue", 64, "jobs queued and running at most; a submit beyond it gets 429")
	fs.DurationVar(&sf.resultTTL, "result-ttl", 24*time.Hour, "how long a finished job and its plan are kept")
	fs.DurationVar(&sf.grace, "grace", 10*time.Second, "at shutdown, how long running jobs may go on before they are handed back to the queue")
	sf.travel = addTravelFlags(fs)
	defaults := roster.DefaultLimits()
	fs.IntVar(&sf.limits.MaxPlaces, "max-places", defaults.MaxPlaces, "most places in one instance (clients' homes, carers' starts and ends); more is a 413")
	fs.IntVar(&sf.limits.MaxVisits, "max-visits", defaults.MaxVisits, "most visits in one instance")
	fs.IntVar(&sf.limits.MaxCarers, "max-carers", defaults.MaxCarers, "most carers in one instance")
	fs.Int64Var(&sf.maxMatrixMiB, "max-matrix-mib", defaults.MaxMatrixBytes>>20, "most memory, in MiB, one instance's travel matrices may take (8 bytes a leg a mode); checks, matrix requests and solve jobs in flight share a memory budget of twice this")
}

func (sf *serviceFlags) check() error {
	switch {
	case sf.workers < 0 || sf.workers > 256:
		return errors.New("--workers: must be from 0 to 256")
	case sf.solverWorkers < 1 || sf.solverWorkers > 64:
		return errors.New("--solver-workers: must be from 1 to 64")
	case sf.queue < 1:
		return errors.New("--queue: must be at least 1")
	case sf.resultTTL < time.Second:
		return errors.New("--result-ttl: must be at least 1s")
	case sf.limits.MaxPlaces < 1 || sf.limits.MaxVisits < 1 || sf.limits.MaxCarers < 1:
		return errors.New("--max-places, --max-visits and --max-carers: must be at least 1")
	case sf.maxMatrixMiB < 1 || sf.maxMatrixMiB > 1<<20:
		return errors.New("--max-matrix-mib: must be from 1 to 1048576")
	}
	sf.limits.MaxMatrixBytes = sf.maxMatrixMiB << 20
	return nil
}

// backends connects the job store, the queue of solves that localities
// jobs spread their representative days over, and the matrix cache: to
// Redis when a URL is given (the solves under keys of their own), in this
// process otherwise.
// Travel comes from the road network or routing engine the travel flags
// name, or the straight-line estimate. Errors in the flags are inputErrors;
// a Redis that does not answer is not.
func (sf *serviceFlags) backends(ctx context.Context, reg prometheus.Registerer, log *slog.Logger, logw io.Writer) (*backends, error) {
	sl, err := sf.travel.provider(ctx, logw)
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		return nil, inputError{err}
	}
	if sl == nil {
		if sl, err = geo.NewStraightLine(nil); err != nil {
			return nil, err
		}
	}
	if sf.redisURL == "" {
		cache := matrixcache.New(sl, matrixcache.Config{Registerer: reg, Logger: log})
		return &backends{jobs: jobs.NewMemory(sf.queue, sf.resultTTL), solves: jobs.NewMemory(solvesQueue(sf.queue), solvesTTL), cache: cache}, nil
	}
	opt, err := redis.ParseURL(sf.redisURL)
	if err != nil {
		return nil, inputError{fmt.Errorf("--redis: %v", err)}
	}
	rc := redis.NewClient(opt)
	js, err := jobs.NewRedis(ctx, rc, jobs.RedisConfig{MaxQueue: sf.queue, ResultTTL: sf.resultTTL})
	var solves *jobs.Redis
	if err == nil {
		solves, err = jobs.NewRedis(ctx, rc, jobs.RedisConfig{Prefix: solvesPrefix, MaxQueue: solvesQueue(sf.queue), ResultTTL: solvesTTL})
	}
	if err != nil {
		rc.Close()
		return nil, fmt.Errorf("--redis %s: %v", opt.Addr, err)
	}
	ttl := 7 * 24 * time.Hour
	cache := matrixcache.New(sl, matrixcache.Config{Redis: matrixcache.NewRedisStore(rc, ttl), TTL: ttl, Registerer: reg, Logger: log})
	return &backends{jobs: js, solves: solves, cache: cache, redis: rc}, nil
}

// backends are what serve and worker connect to.
type backends struct {
	jobs, solves jobs.Store
	cache        *matrixcache.Cache
	redis        redis.UniversalClient
}

// The queue of solves: its own keys in Redis; room for every job of the
// main queue to have a few localities' days queued at once; a day's plan
// is read by its job within moments, so it is kept an hour.
const (
	solvesPrefix = "rounds:v1:solves:"
	solvesTTL    = time.Hour
)

func solvesQueue(queue int) int { return max(256, 8*queue) }

// workerName names this process to the job store.
func workerName() string {
	h, _ := os.Hostname()
	return fmt.Sprintf("%s-%d", h, os.Getpid())
}

// runServe serves the HTTP API until interrupted, then stops accepting,
// lets running jobs finish within the grace period and hands back the rest.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen `address`")
	keysFile := fs.String("keys", "", "API keys `FILE`: lines \"NAME SHA256HEX [admin]\" (rounds key new makes a key and its line); none: the API is open")
	maxBody := fs.String("max-body", "8M", "largest request body, e.g. 8M")
	var proxies proxyRanges
	fs.Var(&proxies, "trusted-proxy", "a reverse proxy's address `CIDR` (or address), repeatable: from it, the client is the address it adds to X-Forwarded-For; none: the connection's address")
	var sf serviceFlags
	sf.register(fs, 1)
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() != 0 {
		fmt.Fprintln(stderr, "usage: rounds serve [flags]")
		return exitUsage
	}
	if err := sf.check(); err != nil {
		fmt.Fprintf(stderr, "rounds serve: %v\n", err)
		return exitUsage
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	var keys []api.Key
	if *keysFile != "" {
		var err error
		if keys, err = readKeys(*keysFile); err != nil {
			fmt.Fprintf(stderr, "rounds serve: --keys: %v\n", err)
			return exitUsage
		}
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	be, err := sf.backends(ctx, reg, log, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "rounds serve: %v\n", err)
		return exitCodeFor(err)
	}
	js, cache, rc := be.jobs, be.cache, be.redis
	if rc != nil {
		defer rc.Close()
	}
	// The API's checks and matrices and this process's solve jobs share one
	// memory budget.
	budget := api.BudgetFor(sf.limits)
	// With --osm the network also draws exported rounds and the board's map,
	// and imports find addresses in the extract's addr:* tags.
	cfg := api.Config{Keys: keys, Jobs: js, Matrices: cache, Redis: rc, MaxBody: *maxBody, Limits: sf.limits, Budget: budget, Registry: reg, Logger: log,
		TrustedProxies: proxies}
	if n, ok := sf.travel.loaded.(*road.Network); ok {
		cfg.Streets = n
		cfg.Addresses = n.Addresses()
	}
	srv, err := api.New(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "rounds serve: %v\n", err)
		return exitUsage
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "rounds serve: %v\n", err)
		return exitFailure
	}
	hs := srv.HTTPServer(*addr)
	if len(keys) == 0 {
		log.Warn("no API keys configured: the API is open to anyone who can reach " + ln.Addr().String())
	}
	store := "in this process"
	if rc != nil {
		store = "in Redis"
	}
	log.Info("serving", "addr", ln.Addr().String(), "jobs", store, "workers", sf.workers)
	fmt.Fprintf(stdout, "rounds: serving on http://%s\n", ln.Addr())

	workCtx, stopWork := context.WithCancel(context.Background())
	workersDone := make(chan struct{})
	go func() {
		defer close(workersDone)
		if sf.workers > 0 {
			w := &api.Worker{Name: workerName(), Jobs: js, Solves: be.solves, Matrices: cache, Limits: sf.limits, Budget: budget, Concurrency: sf.workers,
				SolverWorkers: sf.solverWorkers, Grace: sf.grace, Logger: log}
			w.Run(workCtx)
		}
	}()
	serveErr := make(chan error, 1)
	go func() { serveErr <- hs.Serve(ln) }()
	select {
	case <-ctx.Done():
	case err := <-serveErr:
		if !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintf(stderr, "rounds serve: %v\n", err)
			stopWork()
			<-workersDone
			return exitFailure
		}
	}
	log.Info("shutting down: no new requests; running jobs have the grace period to finish")
	shutCtx, cancel := context.WithTimeout(context.Background(), sf.grace+5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutCtx); err != nil {
		log.Warn("requests were still open at shutdown", "err", err)
	}
	stopWork()
	<-workersDone
	log.Info("stopped")
	return exitOK
}

// runWorker runs solve jobs from the shared Redis queue until interrupted.
func runWorker(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("worker", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sf serviceFlags
	sf.register(fs, 1)
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if err := sf.check(); err != nil {
		fmt.Fprintf(stderr, "rounds worker: %v\n", err)
		return exitUsage
	}
	if sf.redisURL == "" || sf.workers < 1 {
		fmt.Fprintln(stderr, "rounds worker: needs --redis URL (or REDIS_URL) and --workers of at least 1: a worker takes its jobs from the Redis queue that rounds serve fills")
		return exitUsage
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	be, err := sf.backends(ctx, prometheus.NewRegistry(), log, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "rounds worker: %v\n", err)
		return exitCodeFor(err)
	}
	defer be.redis.Close()
	fmt.Fprintf(stdout, "rounds: worker %s taking jobs\n", workerName())
	w := &api.Worker{Name: workerName(), Jobs: be.jobs, Solves: be.solves, Matrices: be.cache, Limits: sf.limits, Concurrency: sf.workers,
		SolverWorkers: sf.solverWorkers, Grace: sf.grace, Logger: log}
	w.Run(ctx)
	return exitOK
}

// readKeys reads an API keys file: one key a line, "NAME SHA256HEX" with
// "admin" after it for keys that may read /metrics; # starts a comment.
func readKeys(path string) ([]api.Key, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var keys []api.Key
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if line == "" {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 2 || len(f) > 3 || (len(f) == 3 && f[2] != "admin") {
			return nil, fmt.Errorf("%s:%d: want \"NAME SHA256HEX [admin]\"", path, n)
		}
		keys = append(keys, api.Key{Name: f[0], Hash: f[1], Admin: len(f) == 3})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%s: no keys", path)
	}
	return keys, nil
}
