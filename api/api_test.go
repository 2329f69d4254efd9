package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/rounds-dev/rounds/api/jobs"
	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/geo/matrixcache"
	"github.com/rounds-dev/rounds/internal/redistest"
	"github.com/rounds-dev/rounds/roster"
)

const (
	aliceKey = "alice-secret"
	bobKey   = "bob-secret"
	opsKey   = "ops-secret"
)

type fixture struct {
	srv  *Server
	http *httptest.Server
	jobs jobs.Store
}

// newFixture starts the API over store with three keys and, unless
// noWorker, an in-process worker.
func newFixture(t *testing.T, store jobs.Store, noWorker bool) *fixture {
	t.Helper()
	sl, err := geo.NewStraightLine(nil)
	if err != nil {
		t.Fatal(err)
	}
	return newFixtureOn(t, store, noWorker, sl)
}

// newFixtureOn is newFixture with travel from sl.
func newFixtureOn(t *testing.T, store jobs.Store, noWorker bool, sl geo.Provider) *fixture {
	t.Helper()
	return newFixtureWith(t, store, noWorker, sl, nil)
}

// newFixtureWith is newFixtureOn with the configuration changed by tweak
// (when not nil) before the server is built.
func newFixtureWith(t *testing.T, store jobs.Store, noWorker bool, sl geo.Provider, tweak func(*Config)) *fixture {
	t.Helper()
	reg := prometheus.NewRegistry()
	cache := matrixcache.New(sl, matrixcache.Config{Registerer: reg})
	cfg := Config{
		Keys: []Key{{Name: "alice", Hash: HashKey(aliceKey)}, {Name: "bob", Hash: HashKey(bobKey)}, {Name: "ops", Hash: HashKey(opsKey), Admin: true}},
		Jobs: store, Matrices: cache, MaxBody: "256K", MaxMatrixPoints: 500, Registry: reg,
	}
	if tweak != nil {
		tweak(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{srv: srv, http: httptest.NewServer(srv.Handler()), jobs: store}
	t.Cleanup(f.http.Close)
	if !noWorker {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		w := &Worker{Name: "test", Jobs: store, Matrices: cache, Touch: 50 * time.Millisecond, Grace: time.Second}
		go func() { w.Run(ctx); close(done) }()
		t.Cleanup(func() { cancel(); <-done })
	}
	return f
}

// do sends a request with key (none if empty) and returns the status, the
// headers and the body.
func (f *fixture) do(t *testing.T, method, path, key string, body []byte) (int, http.Header, []byte) {
	t.Helper()
	return f.send(t, method, path, "application/json", key, body)
}

// waitDone polls the job at loc until it has finished, for up to limit.
func (f *fixture) waitDone(t *testing.T, loc, key string, limit time.Duration) jobs.Job {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		_, _, b := f.do(t, "GET", loc, key, nil)
		var j jobs.Job
		json.Unmarshal(b, &j)
		if j.Status.Finished() && j.Finished != nil {
			return j
		}
		if time.Now().After(deadline) {
			t.Fatalf("job not finished in %s: %s", limit, b)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// problem decodes a problem+json answer and checks its shape.
func problem(t *testing.T, h http.Header, b []byte, status int) Problem {
	t.Helper()
	if ct := h.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q, want application/problem+json; body %s", ct, b)
	}
	var p Problem
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatalf("problem body: %v: %s", err, b)
	}
	if p.Status != status || p.Title == "" || p.Type == "" {
		t.Fatalf("problem %+v, want status %d with a type and title", p, status)
	}
	return p
}

// TestSolveJobEndToEnd: a submitted day comes back, within the wait, as a
// plan the independent checker passes.
func TestSolveJobEndToEnd(t *testing.T) {
	f := newFixture(t, jobs.NewMemory(8, time.Hour), false)
	day := readFile(t, "../testdata/small_day.json")
	code, h, b := f.do(t, "POST", "/v1/jobs?time_limit=1s&wait=20s", aliceKey, day)
	if code != http.StatusOK {
		t.Fatalf("submit with wait: %d %s", code, b)
	}
	if !strings.HasPrefix(h.Get("Location"), "/v1/jobs/") {
		t.Errorf("Location %q", h.Get("Location"))
	}
	var job jobs.Job
	if err := json.Unmarshal(b, &job); err != nil {
		t.Fatal(err)
	}
	if job.Status != jobs.Done || len(job.Plan) == 0 {
		t.Fatalf("job %s, plan %d bytes", job.Status, len(job.Plan))
	}
	in, err := roster.DecodeInstance(bytes.NewReader(day))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := roster.DecodePlan(bytes.NewReader(job.Plan))
	if err != nil {
		t.Fatal(err)
	}
	travel, err := geo.TravelFor(context.Background(), nil, in)
	if err != nil {
		t.Fatal(err)
	}
	if vs := roster.Check(in, travel, plan); len(vs) > 0 {
		t.Fatalf("the API's plan breaks %d rules: %v", len(vs), vs[0])
	}
	// The same plan checks through the API too.
	req, _ := json.Marshal(map[string]json.RawMessage{"instance": day, "plan": job.Plan})
	code, _, b = f.do(t, "POST", "/v1/check", aliceKey, req)
	if code != http.StatusOK || !bytes.Contains(b, []byte(`"ok":true`)) {
		t.Fatalf("check: %d %s", code, b)
	}
	// Another key cannot see the job.
	code, h, b = f.do(t, "GET", "/v1/jobs/"+job.ID, bobKey, nil)
	problem(t, h, b, http.StatusNotFound)
	if code != http.StatusNotFound {
		t.Fatalf("bob read alice's job: %d", code)
	}
}

// TestSubmitCancel: a long job is accepted with 202 and cancelled.
func TestSubmitCancel(t *testing.T) {
	f := newFixture(t, jobs.NewMemory(8, time.Hour), false)
	code, h, b := f.do(t, "POST", "/v1/jobs?time_limit=5m", aliceKey, readFile(t, "../testdata/locality_day.json"))
	if code != http.StatusAccepted {
		t.Fatalf("submit: %d %s", code, b)
	}
	loc := h.Get("Location")
	code, _, b = f.do(t, "DELETE", loc, aliceKey, nil)
	if code != http.StatusOK {
		t.Fatalf("cancel: %d %s", code, b)
	}
	if j := f.waitDone(t, loc, aliceKey, 10*time.Second); j.Status != jobs.Cancelled {
		t.Fatalf("cancelled job ended %s", j.Status)
	}
}

// TestBadRequests: every kind of bad request gets its status and a
// problem+json body that says what is wrong, by field path where there is
// one.
func TestBadRequests(t *testing.T) {
	f := newFixture(t, jobs.NewMemory(1, time.Hour), true)
	day := readFile(t, "../testdata/small_day.json")
	wrongType := bytes.Replace(day, []byte(`"duration_min": 30`), []byte(`"duration_min": "30"`), 1)
	if bytes.Equal(wrongType, day) {
		t.Fatal("fixture lacks a 30-minute visit to break")
	}
	unknown := bytes.Replace(day, []byte(`"visits": [`), []byte(`"visitz": 1, "visits": [`), 1)
	cases := []struct {
		name, method, path, key string
		body                    []byte
		status                  int
		path0                   string // the first error's field path, if any
	}{
		{"no key", "POST", "/v1/validate", "", day, 401, ""},
		{"unknown key", "POST", "/v1/validate", "nope", day, 401, ""},
		{"malformed", "POST", "/v1/validate", aliceKey, []byte(`{"visits": [`), 400, ""},
		{"wrong type", "POST", "/v1/validate", aliceKey, wrongType, 400, "visits[0].duration_min"},
		{"unknown field", "POST", "/v1/validate", aliceKey, unknown, 400, "visitz"},
		{"oversize", "POST", "/v1/validate", aliceKey, bytes.Repeat([]byte(" "), 300<<10), 413, ""},
		{"unknown job", "GET", "/v1/jobs/0123456789abcdef01234567", aliceKey, nil, 404, ""},
		{"odd job id", "GET", "/v1/jobs/..%2f..%2fetc", aliceKey, nil, 404, ""},
		{"bad time limit", "POST", "/v1/jobs?time_limit=forever", aliceKey, day, 400, "query.time_limit"},
		{"bad mode", "POST", "/v1/matrix", aliceKey, []byte(`{"mode":"fly","locations":[{"lat":53.8,"lon":-1.9}]}`), 400, "mode"},
		{"bad location", "POST", "/v1/matrix", aliceKey, []byte(`{"mode":"walk","locations":[{"lat":153.8,"lon":-1.9}]}`), 400, "locations[0].lat"},
		{"huge matrix", "POST", "/v1/matrix", aliceKey, hugeMatrix(501), 413, "locations"},
		{"check without plan", "POST", "/v1/check", aliceKey, []byte(`{"instance":{}}`), 400, ""},
		{"check bad plan", "POST", "/v1/check", aliceKey, []byte(`{"instance":` + string(day) + `,"plan":{"rounds":7}}`), 400, "plan.rounds"},
		{"check with changes", "POST", "/v1/check", aliceKey, []byte(`{"instance":` + string(day) + `,"plan":{},"changes":{}}`), 400, "changes"},
		{"metrics without admin", "GET", "/metrics", aliceKey, nil, 403, ""},
		{"no route", "GET", "/v1/nothing", aliceKey, nil, 404, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, h, b := f.do(t, c.method, c.path, c.key, c.body)
			if code != c.status {
				t.Fatalf("status %d, want %d: %s", code, c.status, b)
			}
			p := problem(t, h, b, c.status)
			if p.Detail == "" {
				t.Errorf("no detail: %s", b)
			}
			if c.path0 != "" && (len(p.Errors) == 0 || p.Errors[0].Path != c.path0) {
				t.Errorf("errors %+v, want the first at %q", p.Errors, c.path0)
			}
		})
	}
	// A full queue answers 429 with Retry-After.
	if code, _, b := f.do(t, "POST", "/v1/jobs", aliceKey, day); code != http.StatusAccepted {
		t.Fatalf("first submit: %d %s", code, b)
	}
	code, h, b := f.do(t, "POST", "/v1/jobs", aliceKey, day)
	problem(t, h, b, http.StatusTooManyRequests)
	if code != 429 || h.Get("Retry-After") == "" {
		t.Fatalf("full queue: %d, Retry-After %q", code, h.Get("Retry-After"))
	}
	// The admin key reads the metrics, which count the refusal.
	code, _, b = f.do(t, "GET", "/metrics", opsKey, nil)
	if code != 200 || !bytes.Contains(b, []byte(`rounds_jobs_submitted_total{result="queue_full"} 1`)) {
		t.Fatalf("metrics: %d\n%s", code, b)
	}
}

func hugeMatrix(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"mode":"walk","locations":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"lat":53.8,"lon":-1.9}`)
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

func TestMatrixEndpoint(t *testing.T) {
	f := newFixture(t, jobs.NewMemory(1, time.Hour), true)
	body := []byte(`{"mode":"walk","locations":[{"lat":53.8679,"lon":-1.9064},{"lat":53.8700,"lon":-1.9000}]}`)
	for i, want := range []string{"computed", "memory"} {
		code, h, b := f.do(t, "POST", "/v1/matrix", aliceKey, body)
		if code != 200 || h.Get("X-Matrix-Cache") != want {
			t.Fatalf("request %d: %d cache %q, want %q: %s", i+1, code, h.Get("X-Matrix-Cache"), want, b)
		}
		var out struct {
			Durations [][]int32 `json:"durations_s"`
		}
		json.Unmarshal(b, &out)
		if len(out.Durations) != 2 || out.Durations[0][1] <= 0 || out.Durations[0][0] != 0 {
			t.Fatalf("durations %v", out.Durations)
		}
	}
}

// TestOpenAPIMatchesRoutes: the OpenAPI document lists exactly the routes
// the server registers, with their methods.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	f := newFixture(t, jobs.NewMemory(1, time.Hour), true)
	code, _, b := f.do(t, "GET", "/openapi.json", "", nil)
	if code != 200 {
		t.Fatalf("openapi: %d", code)
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(b, &doc); err != nil || !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("not an OpenAPI 3 document: %v", err)
	}
	var documented, served []string
	for path, ops := range doc.Paths {
		for m := range ops {
			if m != "parameters" {
				documented = append(documented, strings.ToUpper(m)+" "+path)
			}
		}
	}
	for _, r := range f.srv.e.Routes() {
		path := r.Path
		for _, seg := range strings.Split(path, "/") {
			if strings.HasPrefix(seg, ":") {
				path = strings.Replace(path, seg, "{"+seg[1:]+"}", 1)
			}
		}
		// The board's pages (/, /localities, /assets/*) are for people,
		// not operations of the API.
		if !strings.HasPrefix(r.Method, "echo_route_not_found") && !strings.HasSuffix(path, "/*") && path != "/" && path != "/localities" {
			served = append(served, r.Method+" "+path)
		}
	}
	slices.Sort(documented)
	slices.Sort(served)
	served = slices.Compact(served)
	if !slices.Equal(documented, served) {
		t.Fatalf("OpenAPI paths and routes differ:\ndocumented %v\nserved     %v", documented, served)
	}
}

func TestHealthAndReady(t *testing.T) {
	f := newFixture(t, jobs.NewMemory(1, time.Hour), true)
	for _, p := range []string{"/healthz", "/readyz"} {
		if code, _, b := f.do(t, "GET", p, "", nil); code != 200 {
			t.Errorf("%s: %d %s", p, code, b)
		}
	}
}

// TestRedisJobsAcrossProcesses: two API servers share one Redis; a job
// submitted to one is run by the other's worker and read back from the
// first, and another key cannot read it from either.
func TestRedisJobsAcrossProcesses(t *testing.T) {
	rc := redistest.Client(t)
	prefix := redistest.Prefix(t, rc)
	store := func() jobs.Store {
		s, err := jobs.NewRedis(context.Background(), rc, jobs.RedisConfig{Prefix: prefix, MaxQueue: 8, ResultTTL: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	front := newFixture(t, store(), true) // accepts jobs, runs none
	back := newFixture(t, store(), false) // runs them
	code, h, b := front.do(t, "POST", "/v1/jobs?time_limit=500ms", aliceKey, readFile(t, "../testdata/small_day.json"))
	if code != http.StatusAccepted {
		t.Fatalf("submit: %d %s", code, b)
	}
	loc := h.Get("Location")
	if j := front.waitDone(t, loc, aliceKey, 20*time.Second); j.Status != jobs.Done || len(j.Plan) == 0 {
		t.Fatalf("job ended %s with %d bytes of plan", j.Status, len(j.Plan))
	}
	for _, f := range []*fixture{front, back} {
		if code, _, _ := f.do(t, "GET", loc, bobKey, nil); code != http.StatusNotFound {
			t.Fatalf("bob read alice's job: %d", code)
		}
	}
}

// TestReadyzDegraded: with Redis configured but down, /readyz says
// degraded and matrices are still served.
func TestReadyzDegraded(t *testing.T) {
	down := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 100 * time.Millisecond, MaxRetries: -1})
	defer down.Close()
	sl, _ := geo.NewStraightLine(nil)
	reg := prometheus.NewRegistry()
	cache := matrixcache.New(sl, matrixcache.Config{Redis: matrixcache.NewRedisStore(down, time.Hour), Registerer: reg})
	srv, err := New(Config{Jobs: jobs.NewMemory(1, time.Hour), Matrices: cache, Redis: down, Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	res, err := http.Post(hs.URL+"/v1/matrix", "application/json", strings.NewReader(`{"mode":"drive","locations":[{"lat":53.8,"lon":-1.9},{"lat":53.9,"lon":-1.8}]}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("matrix with Redis down: %d", res.StatusCode)
	}
	res, err = http.Get(hs.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !bytes.Contains(b, []byte(`"status":"degraded"`)) {
		t.Fatalf("readyz with Redis down: %d %s", res.StatusCode, b)
	}
}

// TestReplan: a carer off and a visit added; the re-plan comes back
// checked, serving the new visit, and a bad added visit is named by its
// place under changes.
func TestReplan(t *testing.T) {
	f := newFixture(t, jobs.NewMemory(8, time.Hour), false)
	day := readFile(t, "../testdata/small_day.json")
	code, _, b := f.do(t, "POST", "/v1/jobs?time_limit=500ms&wait=20s", aliceKey, day)
	if code != http.StatusOK {
		t.Fatalf("first plan: %d %s", code, b)
	}
	var first jobs.Job
	json.Unmarshal(b, &first)
	in, err := roster.DecodeInstance(bytes.NewReader(day))
	if err != nil {
		t.Fatal(err)
	}
	extra := in.Visits[len(in.Visits)-1]
	extra.ID = "EXTRA"
	extra.Carers = 1
	changes := roster.Changes{AddVisits: []roster.Visit{extra}}
	req := func(ch roster.Changes) []byte {
		cb, _ := json.Marshal(ch)
		b, _ := json.Marshal(map[string]json.RawMessage{"instance": day, "plan": first.Plan, "changes": cb})
		return b
	}
	code, _, b = f.do(t, "POST", "/v1/replan?time_limit=500ms&wait=20s", aliceKey, req(changes))
	if code != http.StatusOK {
		t.Fatalf("re-plan: %d %s", code, b)
	}
	var job jobs.Job
	json.Unmarshal(b, &job)
	plan, err := roster.DecodePlan(bytes.NewReader(job.Plan))
	if err != nil {
		t.Fatal(err)
	}
	in2, _ := changes.Apply(in)
	travel, _ := geo.TravelFor(context.Background(), nil, in2)
	if vs := roster.Check(in2, travel, plan); len(vs) > 0 {
		t.Fatalf("re-plan breaks %d rules: %v", len(vs), vs[0])
	}
	served := false
	for _, r := range plan.Rounds {
		for _, st := range r.Stops {
			served = served || st.Visit == "EXTRA"
		}
	}
	if !served {
		t.Error("the added visit is not served")
	}
	bad := extra
	bad.Client = "nobody"
	code, h, b := f.do(t, "POST", "/v1/replan", aliceKey, req(roster.Changes{AddVisits: []roster.Visit{bad}}))
	p := problem(t, h, b, http.StatusBadRequest)
	if code != 400 || len(p.Errors) == 0 || p.Errors[0].Path != "changes.add_visits[0].client" {
		t.Fatalf("bad added visit: %d %+v", code, p.Errors)
	}
}

// TestReadyzAfterRedisLosesJobs: when Redis has lost the job queue and its
// consumer group (restarted empty, or flushed), /readyz answers ready only
// once the group is back, so that a job submitted then is claimed.
func TestReadyzAfterRedisLosesJobs(t *testing.T) {
	rc := redistest.Client(t)
	prefix := redistest.Prefix(t, rc)
	ctx := context.Background()
	store, err := jobs.NewRedis(ctx, rc, jobs.RedisConfig{Prefix: prefix, MaxQueue: 8, ResultTTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	sl, _ := geo.NewStraightLine(nil)
	reg := prometheus.NewRegistry()
	srv, err := New(Config{Jobs: store, Matrices: matrixcache.New(sl, matrixcache.Config{Registerer: reg}), Redis: rc, Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	if err := rc.Del(ctx, prefix+"queue").Err(); err != nil { // the queue and its group
		t.Fatal(err)
	}
	res, err := http.Get(hs.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	groups, _ := rc.XInfoGroups(ctx, prefix+"queue").Result()
	if bytes.Contains(b, []byte(`"status":"ready"`)) && len(groups) != 1 {
		t.Fatalf("readyz says %s while the queue has %d consumer groups", b, len(groups))
	}
	if !bytes.Contains(b, []byte(`"jobs":"ok"`)) {
		t.Fatalf("readyz says %s; want the job store reported ok once repaired", b)
	}
}

// switchStore is a matrix store that fails while down, as Redis does.
type switchStore struct {
	matrixcache.Store
	down atomic.Bool
}

var errDown = errors.New("dial tcp 127.0.0.1:6379: connect: connection refused")

func (s *switchStore) Get(ctx context.Context, key string) ([]byte, bool, error) {
	if s.down.Load() {
		return nil, false, errDown
	}
	return s.Store.Get(ctx, key)
}

func (s *switchStore) Set(ctx context.Context, key string, val []byte, ttl time.Duration) error {
	if s.down.Load() {
		return errDown
	}
	return s.Store.Set(ctx, key, val, ttl)
}

func (s *switchStore) Remember(ctx context.Context, index, key string, keep int) error {
	if s.down.Load() {
		return errDown
	}
	return s.Store.Remember(ctx, index, key, keep)
}

func (s *switchStore) Recent(ctx context.Context, index string, n int) ([]string, error) {
	if s.down.Load() {
		return nil, errDown
	}
	return s.Store.Recent(ctx, index, n)
}

// TestReadyzRecoversByItself: after Redis comes back, /readyz says ready
// again without waiting for a matrix request to find it back.
func TestReadyzRecoversByItself(t *testing.T) {
	st := &switchStore{Store: matrixcache.NewMemoryStore(1 << 20)}
	st.down.Store(true)
	sl, _ := geo.NewStraightLine(nil)
	reg := prometheus.NewRegistry()
	cache := matrixcache.New(sl, matrixcache.Config{Redis: st, Registerer: reg})
	srv, err := New(Config{Jobs: jobs.NewMemory(1, time.Hour), Matrices: cache, Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	get := func(path string, body string) string {
		t.Helper()
		var res *http.Response
		var err error
		if body == "" {
			res, err = http.Get(hs.URL + path)
		} else {
			res, err = http.Post(hs.URL+path, "application/json", strings.NewReader(body))
		}
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, res.StatusCode, b)
		}
		return string(b)
	}
	get("/v1/matrix", `{"mode":"drive","locations":[{"lat":53.8,"lon":-1.9},{"lat":53.9,"lon":-1.8}]}`)
	if b := get("/readyz", ""); !strings.Contains(b, `"status":"degraded"`) {
		t.Fatalf("readyz with the matrix store down: %s", b)
	}
	st.down.Store(false)
	if b := get("/readyz", ""); !strings.Contains(b, `"status":"ready"`) {
		t.Fatalf("readyz with the matrix store back and no matrix request since: %s", b)
	}
}
