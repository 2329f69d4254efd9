package api

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/rounds-dev/rounds/api/jobs"
	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/geo/matrixcache"
	"github.com/rounds-dev/rounds/internal/redistest"
)

// faultRun turns the fault suite on: -faults, or ROUNDS_FAULTS=1 in the
// environment, as scripts/test sets it so that CI runs the suite too.
var faultRun = flag.Bool("faults", os.Getenv("ROUNDS_FAULTS") == "1", "run the fault suite (go test ./api -run TestFaults -faults -v)")

// faultWorkerEnv, when set to "ADDR PREFIX", makes the test binary a bare
// worker process on that Redis instead of running tests, so that the fault
// suite can kill a worker outright (SIGKILL) in the middle of a job.
const faultWorkerEnv = "ROUNDS_FAULT_WORKER"

func TestMain(m *testing.M) {
	if spec := os.Getenv(faultWorkerEnv); spec != "" {
		os.Exit(faultWorker(spec))
	}
	os.Exit(m.Run())
}

func faultWorker(spec string) int {
	addr, prefix, _ := strings.Cut(spec, " ")
	ctx := context.Background()
	rc := redis.NewClient(&redis.Options{Addr: addr})
	store, err := jobs.NewRedis(ctx, rc, jobs.RedisConfig{Prefix: prefix, MaxQueue: 16, ResultTTL: time.Hour, Visibility: time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	sl, _ := geo.NewStraightLine(nil)
	w := &Worker{Name: "doomed", Jobs: store, Matrices: matrixcache.New(sl, matrixcache.Config{}), Touch: 100 * time.Millisecond}
	w.Run(ctx) // until killed
	return 0
}

// TestFaults is the fault suite: each case injects a fault into a service
// running against a redis-server of its own on loopback, then checks that
// every job is answered (done, or not found where Redis truly lost it)
// and no result is lost, and logs how long that took after the fault. It
// runs only with -faults; docs/BENCHMARKS.md has its timings.
func TestFaults(t *testing.T) {
	if !*faultRun {
		t.Skip("the fault suite runs with -faults or ROUNDS_FAULTS=1")
	}
	// The Redis client logs every failed dial while a server is down on
	// purpose; the cases check what matters.
	redis.SetLogger(quietRedis{})
	t.Run("redis restarted empty", faultRedisRestartedEmpty)
	t.Run("worker killed mid-job", faultWorkerKilled)
	t.Run("redis fails during a result save", faultRedisFailsDuringSave)
	t.Run("shutdown with running jobs", faultShutdown)
	t.Run("oversized instance on every endpoint", faultOversized)
}

type quietRedis struct{}

func (quietRedis) Printf(context.Context, string, ...any) {}

// Days for the suite: a small one solved in well under a second, and the
// locality day, which runs for its whole time limit, for jobs that must be
// caught running.
const (
	shortJob = "/v1/jobs?time_limit=300ms"
	longJob  = "/v1/jobs?time_limit=3s"
)

// service is the API and an in-process worker, as rounds serve runs them.
type service struct {
	t      *testing.T
	http   *httptest.Server
	cancel context.CancelFunc
	done   chan struct{}
	once   sync.Once
}

func faultStore(t *testing.T, rc *redis.Client, visibility time.Duration) *jobs.Redis {
	t.Helper()
	s, err := jobs.NewRedis(context.Background(), rc, jobs.RedisConfig{Prefix: "rounds-fault:", MaxQueue: 16, ResultTTL: time.Hour, Visibility: visibility})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// startService serves store with Redis rc behind the matrix cache, and
// runs workers jobs at once (none if 0).
func startService(t *testing.T, store jobs.Store, rc *redis.Client, workers int, grace time.Duration) *service {
	t.Helper()
	sl, _ := geo.NewStraightLine(nil)
	reg := prometheus.NewRegistry()
	cache := matrixcache.New(sl, matrixcache.Config{Redis: matrixcache.NewRedisStore(rc, time.Hour), KeyPrefix: "rounds-fault:", Registerer: reg})
	srv, err := New(Config{Jobs: store, Matrices: cache, Redis: rc, Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &service{t: t, http: httptest.NewServer(srv.Handler()), cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		if workers > 0 {
			w := &Worker{Name: fmt.Sprintf("w%p", s), Jobs: store, Matrices: cache, Concurrency: workers, SolverWorkers: 1,
				Touch: 100 * time.Millisecond, Grace: grace}
			w.Run(ctx)
		}
	}()
	t.Cleanup(s.stop)
	return s
}

// stop shuts the service down as rounds serve does: no new requests, then
// running jobs have the grace period and are handed back.
func (s *service) stop() {
	s.once.Do(func() {
		s.http.Close()
		s.cancel()
		<-s.done
	})
}

var faultClient = &http.Client{Timeout: 10 * time.Second}

func (s *service) call(method, path string, body []byte) (int, []byte) {
	s.t.Helper()
	req, _ := http.NewRequest(method, s.http.URL+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	res, err := faultClient.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

// submit queues a day at path and returns the job's id.
func (s *service) submit(path string, day []byte) string {
	s.t.Helper()
	code, b := s.call("POST", path, day)
	var j jobs.Job
	if code != http.StatusAccepted || json.Unmarshal(b, &j) != nil || j.ID == "" {
		s.t.Fatalf("submit: %d %s", code, b)
	}
	return j.ID
}

// job reads a job: the status code and, with 200, the job.
func (s *service) job(id string) (int, jobs.Job) {
	s.t.Helper()
	code, b := s.call("GET", "/v1/jobs/"+id, nil)
	var j jobs.Job
	if code == http.StatusOK {
		if err := json.Unmarshal(b, &j); err != nil {
			s.t.Fatalf("job %s: %v: %s", id, err, b)
		}
	}
	return code, j
}

// waitFor polls until ok holds for job id, for up to limit.
func (s *service) waitFor(id string, limit time.Duration, what string, ok func(code int, j jobs.Job) bool) jobs.Job {
	s.t.Helper()
	deadline := time.Now().Add(limit)
	for {
		code, j := s.job(id)
		if ok(code, j) {
			return j
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("job %s not %s within %s: %d %+v", id, what, limit, code, j)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

func isDone(code int, j jobs.Job) bool {
	return code == http.StatusOK && j.Status == jobs.Done && len(j.Plan) > 0
}

func isRunning(code int, j jobs.Job) bool { return code == http.StatusOK && j.Status == jobs.Running }

// settled fails the test if the job ended other than done.
func settled(t *testing.T, s *service, id string, limit time.Duration) jobs.Job {
	t.Helper()
	return s.waitFor(id, limit, "done", func(code int, j jobs.Job) bool {
		if code == http.StatusOK && j.Status.Finished() && j.Status != jobs.Done {
			t.Fatalf("job %s ended %s: %s", id, j.Status, j.Error)
		}
		return isDone(code, j)
	})
}

// faultRedisRestartedEmpty: with one job running and two queued, Redis is
// killed. While it is down, job routes answer 503 and the rest work; once
// it is back empty, the three jobs are gone with its data and answer 404,
// the running job's worker drops it, and jobs submitted afterwards run.
func faultRedisRestartedEmpty(t *testing.T) {
	rs := redistest.Start(t, false)
	rc := rs.Client()
	svc := startService(t, faultStore(t, rc, time.Second), rc, 1, time.Second)
	small, long := readFile(t, "../testdata/small_day.json"), readFile(t, "../testdata/locality_day.json")
	running := svc.submit(longJob, long)
	lost := []string{running, svc.submit(shortJob, small), svc.submit(shortJob, small)}
	svc.waitFor(running, 10*time.Second, "running", isRunning)

	rs.Kill()
	killed := time.Now()
	matrix := []byte(`{"mode":"drive","locations":[{"lat":53.8,"lon":-1.9},{"lat":53.9,"lon":-1.8}]}`)
	routes := []struct {
		method, path string
		body         []byte
		want         int
	}{
		{"POST", shortJob, small, http.StatusServiceUnavailable},
		{"GET", "/v1/jobs/" + running, nil, http.StatusServiceUnavailable},
		{"DELETE", "/v1/jobs/" + running, nil, http.StatusServiceUnavailable},
		{"POST", "/v1/matrix", matrix, http.StatusOK},
		{"POST", "/v1/validate", small, http.StatusOK},
		{"GET", "/readyz", nil, http.StatusOK},
		{"GET", "/healthz", nil, http.StatusOK},
	}
	for _, r := range routes {
		start := time.Now()
		code, b := svc.call(r.method, r.path, r.body)
		t.Logf("Redis down: %s %s answers %d in %s: %.120s", r.method, r.path, code, time.Since(start).Round(time.Millisecond), b)
		if code != r.want {
			t.Errorf("Redis down: %s %s answered %d, want %d: %s", r.method, r.path, code, r.want, b)
		}
	}
	if _, b := svc.call("GET", "/readyz", nil); !bytes.Contains(b, []byte(`"degraded"`)) {
		t.Errorf("readyz with Redis down: %s", b)
	}
	// A matrix miss no longer waits on Redis once the breaker is open.
	start := time.Now()
	svc.call("POST", "/v1/matrix", []byte(`{"mode":"walk","locations":[{"lat":53.81,"lon":-1.91},{"lat":53.9,"lon":-1.8}]}`))
	t.Logf("Redis down: a matrix miss with the breaker open takes %s", time.Since(start).Round(time.Millisecond))

	rs.Restart()
	restarted := time.Now()
	for _, id := range lost {
		svc.waitFor(id, 5*time.Second, "not found", func(code int, _ jobs.Job) bool { return code == http.StatusNotFound })
	}
	lostAnswered := time.Since(restarted)
	// readyz recovers by itself: the queue is re-created and the matrix
	// cache's breaker closed by its probe.
	for deadline := time.Now().Add(5 * time.Second); ; {
		if _, b := svc.call("GET", "/readyz", nil); bytes.Contains(b, []byte(`"status":"ready"`)) {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("readyz 5 s after Redis came back: %s", b)
		}
		time.Sleep(50 * time.Millisecond)
	}
	fresh := []string{svc.submit(shortJob, small), svc.submit(shortJob, small)}
	for _, id := range fresh {
		settled(t, svc, id, 20*time.Second)
	}
	t.Logf("TIMING redis restarted empty: down %s; the 3 lost jobs answered 404 %s after the restart; 2 jobs submitted after it done %s after the restart",
		restarted.Sub(killed).Round(time.Millisecond), lostAnswered.Round(time.Millisecond), time.Since(restarted).Round(time.Millisecond))
}

// faultWorkerKilled: a worker process is killed (SIGKILL) in the middle of
// a job, with another job queued; a worker elsewhere takes the job over
// after the visibility timeout (1 s here) and both are done.
func faultWorkerKilled(t *testing.T) {
	rs := redistest.Start(t, false)
	rc := rs.Client()
	store := faultStore(t, rc, time.Second)
	front := startService(t, store, rc, 0, time.Second) // takes jobs, runs none
	small, long := readFile(t, "../testdata/small_day.json"), readFile(t, "../testdata/locality_day.json")
	doomed := exec.Command(os.Args[0])
	doomed.Env = append(os.Environ(), faultWorkerEnv+"="+rs.Addr()+" rounds-fault:")
	if err := doomed.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { doomed.Wait(); close(exited) }() //nolint:errcheck // it is killed
	t.Cleanup(func() { doomed.Process.Kill(); <-exited })
	held := front.submit(longJob, long)
	queued := front.submit(shortJob, small)
	front.waitFor(held, 20*time.Second, "running", func(code int, j jobs.Job) bool { return isRunning(code, j) && j.Progress != nil })

	doomed.Process.Kill() //nolint:errcheck
	<-exited
	killed := time.Now()
	startService(t, store, rc, 1, time.Second)
	front.waitFor(held, 10*time.Second, "taken over", func(code int, j jobs.Job) bool { return isRunning(code, j) && j.Attempts == 2 })
	takenAfter := time.Since(killed)
	if j := settled(t, front, held, 20*time.Second); j.Attempts != 2 {
		t.Fatalf("the killed worker's job was done at attempt %d, want 2", j.Attempts)
	}
	heldDone := time.Since(killed)
	if j := settled(t, front, queued, 20*time.Second); j.Attempts != 1 {
		t.Fatalf("the queued job was done at attempt %d, want 1", j.Attempts)
	}
	t.Logf("TIMING worker killed mid-job (visibility 1 s): taken over %s after the kill; its job (3 s limit) done %s, the queued one %s after the kill",
		takenAfter.Round(time.Millisecond), heldDone.Round(time.Millisecond), time.Since(killed).Round(time.Millisecond))
}

// saveFault is a job store that kills Redis as the first result is being
// recorded, and starts it again (with its data) after down.
type saveFault struct {
	jobs.Store
	rs     *redistest.Server
	down   time.Duration
	once   sync.Once
	killed time.Time
	back   chan struct{}
	// attempted closes when the save Redis was killed under has answered.
	attempted chan struct{}
	mu        sync.Mutex
	claimed   map[string]int
	first     error // what the save Redis was killed under answered
}

func (f *saveFault) Claim(ctx context.Context, consumer string, wait time.Duration) (*jobs.Claim, error) {
	cl, err := f.Store.Claim(ctx, consumer, wait)
	if err == nil {
		f.mu.Lock()
		f.claimed[cl.ID]++
		f.mu.Unlock()
	}
	return cl, err
}

func (f *saveFault) Finish(ctx context.Context, id string, plan []byte, failure string) error {
	first := false
	f.once.Do(func() {
		first = true
		f.rs.Kill()
		f.killed = time.Now()
		go func() {
			// Down for f.down, and at least until the save it was killed
			// under has had its answer: on a loaded machine that save can
			// start late.
			time.Sleep(f.down)
			<-f.attempted
			f.rs.Restart()
			close(f.back)
		}()
	})
	err := f.Store.Finish(ctx, id, plan, failure)
	if first {
		f.mu.Lock()
		f.first = err
		f.mu.Unlock()
		close(f.attempted)
	}
	return err
}

// faultRedisFailsDuringSave: Redis is killed as a worker records a result
// and comes back (with its data) 1.5 s later; the worker keeps the result
// and records it then, without solving the job again, and the job queued
// behind it is done too. Two workers run, so that a needless re-run would
// show.
func faultRedisFailsDuringSave(t *testing.T) {
	rs := redistest.Start(t, true)
	rc := rs.Client()
	fault := &saveFault{Store: faultStore(t, rc, 5*time.Second), rs: rs, down: 1500 * time.Millisecond, back: make(chan struct{}), attempted: make(chan struct{}), claimed: map[string]int{}}
	svc := startService(t, fault, rc, 1, time.Second)
	startService(t, fault, rc, 1, time.Second)
	small := readFile(t, "../testdata/small_day.json")
	ids := []string{svc.submit(shortJob, small), svc.submit(shortJob, small), svc.submit(shortJob, small)}
	select {
	case <-fault.back:
	case <-time.After(20 * time.Second):
		t.Fatal("no result was recorded within 20 s")
	}
	for _, id := range ids {
		if j := settled(t, svc, id, 20*time.Second); j.Attempts != 1 {
			t.Errorf("job %s done at attempt %d, want 1", id, j.Attempts)
		}
	}
	fault.mu.Lock()
	defer fault.mu.Unlock()
	if fault.first == nil {
		t.Fatal("the save made as Redis was killed succeeded; the fault was not injected")
	}
	for id, n := range fault.claimed {
		if n != 1 {
			t.Errorf("job %s was solved %d times, want once", id, n)
		}
	}
	t.Logf("TIMING redis fails during a result save: down 1.5 s; every job done %s after the kill",
		time.Since(fault.killed).Round(time.Millisecond))
}

// faultShutdown: a service shuts down with two jobs running and one
// queued; the running ones are handed back after the grace period (300 ms
// here) and another service's workers do all three, each at its first
// attempt.
func faultShutdown(t *testing.T) {
	rs := redistest.Start(t, false)
	rc := rs.Client()
	store := faultStore(t, rc, time.Second)
	first := startService(t, store, rc, 2, 300*time.Millisecond)
	long := readFile(t, "../testdata/locality_day.json")
	ids := []string{first.submit(longJob, long), first.submit(longJob, long), first.submit(longJob, long)}
	for _, id := range ids[:2] {
		first.waitFor(id, 20*time.Second, "running", isRunning)
	}
	start := time.Now()
	first.stop()
	stopped := time.Since(start)
	second := startService(t, store, rc, 2, time.Second)
	for _, id := range ids {
		code, j := second.job(id)
		if code != http.StatusOK || j.Status.Finished() {
			t.Fatalf("after shutdown job %s reads %d %+v; want it queued or taken again", id, code, j)
		}
	}
	for _, id := range ids {
		if j := settled(t, second, id, 30*time.Second); j.Attempts != 1 {
			t.Errorf("job %s done at attempt %d, want 1 (a handed-back attempt does not count)", id, j.Attempts)
		}
	}
	t.Logf("TIMING shutdown with running jobs (grace 300 ms): stopped in %s; all 3 jobs (3 s limit, 2 at once) done %s after shutdown began",
		stopped.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
}

// faultOversized: while a job runs, the 20,000-client request (1.3 MB,
// 3 GiB of matrices had it been built) is sent to every endpoint that
// takes an instance, four at once to each; every one is a 413 naming the
// field, the heap does not grow by the matrices, and the running job
// finishes.
func faultOversized(t *testing.T) {
	rs := redistest.Start(t, false)
	rc := rs.Client()
	store := faultStore(t, rc, time.Second)
	svc := startService(t, store, rc, 1, time.Second)
	id := svc.submit(longJob, readFile(t, "../testdata/locality_day.json"))
	svc.waitFor(id, 20*time.Second, "running", isRunning)

	big := crowd(20000)
	plan := []byte(`{"rounds":[]}`)
	check, _ := json.Marshal(map[string]json.RawMessage{"instance": big, "plan": plan})
	replan, _ := json.Marshal(map[string]json.RawMessage{"instance": big, "plan": plan, "changes": []byte(`{}`)})
	var many bytes.Buffer
	many.WriteString(`{"mode":"walk","locations":[`)
	for i := range 2001 {
		if i > 0 {
			many.WriteByte(',')
		}
		fmt.Fprintf(&many, `{"lat":%.4f,"lon":-1.9}`, 53.8+float64(i)*0.0001)
	}
	many.WriteString(`]}`)
	requests := []struct {
		path, field string
		body        []byte
	}{
		{"/v1/jobs", "clients", big},
		{"/v1/validate", "clients", big},
		{"/v1/check", "instance.clients", check},
		{"/v1/replan", "instance.clients", replan},
		{"/v1/matrix", "locations", many.Bytes()},
	}
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	var wg sync.WaitGroup
	var peak atomic.Uint64
	for _, r := range requests {
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				code, b, err := postSlow(svc.http.URL+r.path, r.body)
				if err != nil {
					t.Errorf("%s: %v", r.path, err)
					return
				}
				var p Problem
				if code != http.StatusRequestEntityTooLarge || json.Unmarshal(b, &p) != nil || len(p.Errors) == 0 || p.Errors[0].Path != r.field {
					t.Errorf("%s: %d %.200s; want 413 naming %s", r.path, code, b, r.field)
				}
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				for {
					old := peak.Load()
					if m.HeapInuse <= old || peak.CompareAndSwap(old, m.HeapInuse) {
						break
					}
				}
			}()
		}
	}
	wg.Wait()
	refused := time.Since(start)
	grew := int64(peak.Load()) - int64(before.HeapInuse)
	// One 20,000-place walking matrix is 3.2 GB; the decoded requests
	// themselves take a few MB each.
	if grew > 512<<20 {
		t.Errorf("the heap grew by %d MB while refusing", grew>>20)
	}
	if j := settled(t, svc, id, 30*time.Second); j.Status != jobs.Done {
		t.Errorf("the running job ended %s", j.Status)
	}
	t.Logf("TIMING oversized instance on every endpoint: 20 requests (4 at once to each of 5 endpoints) all 413 in %s; heap in use grew by at most %d MB; the running job done",
		refused.Round(time.Millisecond), max(grew, 0)>>20)
}

// postSlow posts a JSON body with a patient client: decoding a 1.3 MB
// instance under the race detector, on a machine running other tests,
// takes seconds.
func postSlow(url string, body []byte) (int, []byte, error) {
	c := &http.Client{Timeout: time.Minute}
	res, err := c.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, b, err
}
