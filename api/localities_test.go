package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/rounds-dev/rounds/api/jobs"
	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/geo/matrixcache"
	"github.com/rounds-dev/rounds/internal/redistest"
	"github.com/rounds-dev/rounds/locality"
	"github.com/rounds-dev/rounds/locality/planner"
	"github.com/rounds-dev/rounds/roster"
)

var keighley = roster.Location{Lat: 53.8679, Lon: -1.9064}

// offset moves l east and north by metres.
func offset(l roster.Location, east, north float64) roster.Location {
	const m = 111320.0
	return roster.Location{Lat: l.Lat + north/m, Lon: l.Lon + east/(m*math.Cos(l.Lat*math.Pi/180))}
}

// townClients are n clients within radiusKM of centre, drawn with seed,
// ids from prefix: one to four calls a day of 20 to 45 minutes.
func townClients(seed uint64, prefix string, n int, centre roster.Location, radiusKM float64) []locality.Client {
	r := rand.New(rand.NewPCG(seed, 2))
	patterns := [][]locality.Band{
		{locality.Morning}, {locality.Morning, locality.Bed}, {locality.Morning, locality.Tea},
		{locality.Morning, locality.Lunch, locality.Tea, locality.Bed}, {locality.Lunch},
	}
	out := make([]locality.Client, n)
	for i := range out {
		d, a := radiusKM*1000*math.Sqrt(r.Float64()), 2*math.Pi*r.Float64()
		bands := patterns[r.IntN(len(patterns))]
		out[i] = locality.Client{
			ID:          fmt.Sprintf("%s%02d", prefix, i+1),
			Location:    offset(centre, d*math.Sin(a), d*math.Cos(a)),
			Bands:       bands,
			WeeklyHours: math.Round((20+25*r.Float64())*7*float64(len(bands))/60*10) / 10,
		}
	}
	return out
}

// squareFeature is a square locality of side sideM around c, as GeoJSON.
func squareFeature(name string, c roster.Location, sideM float64) string {
	h := sideM / 2
	pt := func(e, n float64) string { l := offset(c, e, n); return fmt.Sprintf("[%.6f,%.6f]", l.Lon, l.Lat) }
	ring := strings.Join([]string{pt(-h, -h), pt(h, -h), pt(h, h), pt(-h, h), pt(-h, -h)}, ",")
	return fmt.Sprintf(`{"type":"Feature","properties":{"name":%q},"geometry":{"type":"Polygon","coordinates":[[%s]]}}`, name, ring)
}

// smallDistrict is two towns 6 km apart, each in its own square, and a
// third square of empty ground, as an evaluate body's parts.
func smallDistrict(t *testing.T) (*locality.District, json.RawMessage) {
	t.Helper()
	east := offset(keighley, 6000, 0)
	d := &locality.District{Name: "two towns"}
	d.Clients = append(townClients(1, "W", 9, keighley, 0.8), townClients(2, "E", 7, east, 0.8)...)
	fc := `{"type":"FeatureCollection","features":[` + strings.Join([]string{
		squareFeature("West", keighley, 3000), squareFeature("East", east, 3000), squareFeature("Moor", offset(keighley, 3000, -6000), 2000),
	}, ",") + `]}`
	return d, json.RawMessage(fc)
}

// countingSolves counts the solves each worker claims.
type countingSolves struct {
	jobs.Store
	mu sync.Mutex
	by map[string]int
}

func (c *countingSolves) Claim(ctx context.Context, consumer string, wait time.Duration) (*jobs.Claim, error) {
	cl, err := c.Store.Claim(ctx, consumer, wait)
	if err == nil {
		c.mu.Lock()
		c.by[consumer]++
		c.mu.Unlock()
	}
	return cl, err
}

func (c *countingSolves) counts() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]int{}
	for k, v := range c.by {
		out[k] = v
	}
	return out
}

// newLocalitiesFixture starts the API over the two stores with workers
// workers ("w1", "w2", ...), each running one job at a time.
func newLocalitiesFixture(t *testing.T, js, solves jobs.Store, workers int) (*fixture, *countingSolves, *matrixcache.Cache) {
	t.Helper()
	sl, err := geo.NewStraightLine(nil)
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	cache := matrixcache.New(sl, matrixcache.Config{Registerer: reg})
	srv, err := New(Config{Keys: []Key{{Name: "alice", Hash: HashKey(aliceKey)}}, Jobs: js, Matrices: cache, Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{srv: srv, http: httptestServer(t, srv), jobs: js}
	counting := &countingSolves{Store: solves, by: map[string]int{}}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i := range workers {
		w := &Worker{Name: fmt.Sprintf("w%d", i+1), Jobs: js, Solves: counting, Matrices: cache, Touch: 50 * time.Millisecond, Grace: time.Second}
		wg.Add(1)
		go func() { defer wg.Done(); w.Run(ctx) }()
	}
	t.Cleanup(func() { cancel(); wg.Wait() })
	return f, counting, cache
}

// evaluateBody is an evaluate request for the small district.
func evaluateBody(t *testing.T, d *locality.District, fc json.RawMessage, iterations int) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{"district": d, "options": []any{map[string]any{"name": "squares", "boundaries": fc}},
		"iterations": iterations, "seed": 3})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// inProcess evaluates the small district as rounds localities evaluate
// does, with the optimiser in this process.
func inProcess(t *testing.T, d *locality.District, fc json.RawMessage, iterations int, travel geo.Provider) *locality.Evaluation {
	t.Helper()
	b, err := locality.ReadBoundaries(strings.NewReader(string(fc)))
	if err != nil {
		t.Fatal(err)
	}
	ev, err := locality.Evaluate(context.Background(), d, b, locality.DefaultSupply, travel, locality.EvaluateOptions{
		Name: "squares", Size: locality.SizeOptions{Planner: planner.Optimiser, Seed: 3, Iterations: iterations}, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// runEvaluate submits the evaluation and waits for its job.
func runEvaluate(t *testing.T, f *fixture, body []byte, limit time.Duration) jobs.Job {
	t.Helper()
	code, h, b := f.do(t, "POST", "/v1/localities/evaluate", aliceKey, body)
	if code != http.StatusAccepted {
		t.Fatalf("submit: %d %s", code, b)
	}
	return f.waitDone(t, h.Get("Location"), aliceKey, limit)
}

// checkAgainst checks a finished evaluate job's result against the
// in-process evaluation: the same localities, clients and carers needed.
func checkAgainst(t *testing.T, j jobs.Job, want *locality.Evaluation) {
	t.Helper()
	if j.Status != jobs.Done || len(j.Result) == 0 || j.Plan != nil {
		t.Fatalf("job ended %s (%s) with result %.200s", j.Status, j.Error, j.Result)
	}
	var res evaluateResult
	if err := json.Unmarshal(j.Result, &res); err != nil {
		t.Fatal(err)
	}
	if res.Kind != kindEvaluate || len(res.Options) != 1 {
		t.Fatalf("result %.300s", j.Result)
	}
	o := res.Options[0]
	if len(o.Rows) != len(want.Rows) {
		t.Fatalf("%d rows, want %d", len(o.Rows), len(want.Rows))
	}
	for i, r := range o.Rows {
		w := want.Rows[i]
		if r.Name != w.Name || r.Clients != w.Clients || r.CarersNeeded != w.CarersNeeded || r.Walkable != w.Walkable {
			t.Errorf("row %d: %s, %d clients, %d carers (walkable %v); in process %s, %d clients, %d carers (walkable %v)",
				i, r.Name, r.Clients, r.CarersNeeded, r.Walkable, w.Name, w.Clients, w.CarersNeeded, w.Walkable)
		}
		// The same plans, the re-plan for travel included: the same km.
		if math.Abs(r.KMAWeek-w.KMAWeek) > 1e-6 || math.Abs(r.TravelShare-w.TravelShare) > 1e-9 {
			t.Errorf("row %d (%s): %.3f km a week and travel share %.4f; in process %.3f and %.4f", i, r.Name, r.KMAWeek, r.TravelShare, w.KMAWeek, w.TravelShare)
		}
	}
	if o.MaxOverMin != nil || len(o.Warnings) != 1 {
		t.Errorf("an empty locality: max_over_min %v (want null), warnings %q", o.MaxOverMin, o.Warnings)
	}
	var fc struct {
		Features []struct {
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(o.Boundaries, &fc); err != nil || len(fc.Features) != 3 {
		t.Fatalf("boundaries %v: %.200s", err, o.Boundaries)
	}
	if p := fc.Features[0].Properties; p["name"] != "West" || p["carers_needed"] != float64(o.Rows[0].CarersNeeded) || p["option"] != "squares" {
		t.Errorf("West's properties %v", p)
	}
}

// TestLocalitiesEvaluateOneWorker: with one worker, the job and every
// representative day's solve run on it, and the figures are those of the
// evaluation in process with the same seed; the progress counts the
// localities.
func TestLocalitiesEvaluateOneWorker(t *testing.T) {
	f, counting, cache := newLocalitiesFixture(t, jobs.NewMemory(4, time.Hour), jobs.NewMemory(64, time.Hour), 1)
	d, fc := smallDistrict(t)
	j := runEvaluate(t, f, evaluateBody(t, d, fc, 300), 2*time.Minute)
	checkAgainst(t, j, inProcess(t, d, fc, 300, cache))
	if n := counting.counts()["w1"]; n < 4 {
		t.Errorf("the worker ran %d solves", n)
	}
	if p := j.Progress; p == nil || p.Localities == nil || p.Localities.Total != 3 {
		t.Errorf("progress %+v, want 3 localities in all", p)
	}
}

// TestLocalitiesEvaluateTwoWorkers: with two workers, the solves of one
// job are run by both.
func TestLocalitiesEvaluateTwoWorkers(t *testing.T) {
	f, counting, cache := newLocalitiesFixture(t, jobs.NewMemory(4, time.Hour), jobs.NewMemory(64, time.Hour), 2)
	d, fc := smallDistrict(t)
	j := runEvaluate(t, f, evaluateBody(t, d, fc, 1500), 3*time.Minute)
	checkAgainst(t, j, inProcess(t, d, fc, 1500, cache))
	c := counting.counts()
	if c["w1"] == 0 || c["w2"] == 0 {
		t.Errorf("solves by worker %v; want both to run some", c)
	}
	t.Logf("solves by worker: %v", c)
}

// TestLocalitiesEvaluateCancel: cancelling a running job stops it, and its
// solves with it: the queue of solves empties.
func TestLocalitiesEvaluateCancel(t *testing.T) {
	solves := jobs.NewMemory(64, time.Hour)
	f, counting, _ := newLocalitiesFixture(t, jobs.NewMemory(4, time.Hour), solves, 1)
	d, fc := smallDistrict(t)
	code, h, b := f.do(t, "POST", "/v1/localities/evaluate", aliceKey, evaluateBody(t, d, fc, 50000))
	if code != http.StatusAccepted {
		t.Fatalf("submit: %d %s", code, b)
	}
	loc := h.Get("Location")
	deadline := time.Now().Add(30 * time.Second)
	for counting.counts()["w1"] == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no solve started")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if code, _, b := f.do(t, "DELETE", loc, aliceKey, nil); code != http.StatusOK {
		t.Fatalf("cancel: %d %s", code, b)
	}
	j := f.waitDone(t, loc, aliceKey, 30*time.Second)
	if j.Status != jobs.Cancelled || j.Result != nil {
		t.Fatalf("job %s with result %.100s", j.Status, j.Result)
	}
	for {
		n, _ := solves.Depth(context.Background())
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d solves still queued or running after the cancel", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	before := counting.counts()["w1"]
	time.Sleep(300 * time.Millisecond)
	if after := counting.counts()["w1"]; after != before {
		t.Errorf("%d solves started after the job was cancelled", after-before)
	}
}

// TestLocalitiesEvaluateRedis: the same job through Redis, the job and
// its solves on queues of their own, run by two workers.
func TestLocalitiesEvaluateRedis(t *testing.T) {
	rc := redistest.Client(t)
	prefix := redistest.Prefix(t, rc)
	ctx := context.Background()
	js, err := jobs.NewRedis(ctx, rc, jobs.RedisConfig{Prefix: prefix + "jobs:", MaxQueue: 4, ResultTTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	solves, err := jobs.NewRedis(ctx, rc, jobs.RedisConfig{Prefix: prefix + "solves:", MaxQueue: 64, ResultTTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	f, counting, cache := newLocalitiesFixture(t, js, solves, 2)
	d, fc := smallDistrict(t)
	j := runEvaluate(t, f, evaluateBody(t, d, fc, 1500), 3*time.Minute)
	checkAgainst(t, j, inProcess(t, d, fc, 1500, cache))
	t.Logf("solves by worker: %v", counting.counts())
	if c := counting.counts(); c["w1"] == 0 || c["w2"] == 0 {
		t.Errorf("solves by worker %v", c)
	}
}

// TestLocalitiesPropose: a proposal job answers each k and method with
// its boundaries and figures, and the k questions.
func TestLocalitiesPropose(t *testing.T) {
	f, _, _ := newLocalitiesFixture(t, jobs.NewMemory(4, time.Hour), jobs.NewMemory(64, time.Hour), 1)
	d, _ := smallDistrict(t)
	body, err := json.Marshal(map[string]any{"district": d, "k": []int{1, 2}, "method": "both", "iterations": 200})
	if err != nil {
		t.Fatal(err)
	}
	code, h, b := f.do(t, "POST", "/v1/localities/propose", aliceKey, body)
	if code != http.StatusAccepted {
		t.Fatalf("submit: %d %s", code, b)
	}
	j := f.waitDone(t, h.Get("Location"), aliceKey, 2*time.Minute)
	if j.Status != jobs.Done {
		t.Fatalf("job %s: %s", j.Status, j.Error)
	}
	var res proposeResult
	if err := json.Unmarshal(j.Result, &res); err != nil {
		t.Fatal(err)
	}
	if res.Kind != kindPropose || len(res.Proposals) != 4 {
		t.Fatalf("result %.300s", j.Result)
	}
	allViable := map[int]bool{}
	for _, p := range res.Proposals {
		if len(p.Rows) < p.K || len(p.Boundaries) == 0 {
			t.Errorf("k %d %s: %d rows", p.K, p.Method, len(p.Rows))
		}
		all := true
		for _, r := range p.Rows {
			if !r.Unallocated && r.Clients > 0 && r.CarersNeeded < 1 {
				t.Errorf("k %d %s: %s needs %d carers", p.K, p.Method, r.Name, r.CarersNeeded)
			}
			all = all && (r.Unallocated || r.Viable)
		}
		allViable[p.K] = allViable[p.K] || all
	}
	// viable_k lists exactly the k whose proposal by either method is
	// viable throughout, ascending.
	var want []int
	for _, k := range []int{1, 2} {
		if allViable[k] {
			want = append(want, k)
		}
	}
	if !slices.Equal(res.ViableK, want) {
		t.Errorf("viable_k %v, want %v", res.ViableK, want)
	}
	for _, p := range res.Proposals {
		if want := fmt.Sprintf("k%02d-%s", p.K, p.Method); p.Name != want || p.Tolerance != locality.DefaultTolerance {
			t.Errorf("k %d %s: named %q within %v, want %q within the default band", p.K, p.Method, p.Name, p.Tolerance, want)
		}
	}
}

// TestLocalitiesProposeBands: a list of bands proposes once a band by
// region growing, beside one k-means split judged by the first band, each
// named by its band in the result and in its boundaries.
func TestLocalitiesProposeBands(t *testing.T) {
	f, _, _ := newLocalitiesFixture(t, jobs.NewMemory(4, time.Hour), jobs.NewMemory(64, time.Hour), 1)
	d, _ := smallDistrict(t)
	body, err := json.Marshal(map[string]any{"district": d, "k": []int{2}, "method": "both", "evaluate": false, "tolerance": []float64{0.05, 1}})
	if err != nil {
		t.Fatal(err)
	}
	code, _, b := f.do(t, "POST", "/v1/localities/propose?wait=30s", aliceKey, body)
	if code != http.StatusOK {
		t.Fatalf("submit: %d %s", code, b)
	}
	var j struct {
		Status string        `json:"status"`
		Result proposeResult `json:"result"`
	}
	if err := json.Unmarshal(b, &j); err != nil || j.Status != "done" {
		t.Fatalf("%v: %.300s", err, b)
	}
	type named struct {
		name   string
		method string
		tol    float64
	}
	var got []named
	for _, p := range j.Result.Proposals {
		got = append(got, named{p.Name, p.Method, p.Tolerance})
		var fc struct {
			Features []struct {
				Properties map[string]any `json:"properties"`
			} `json:"features"`
		}
		if err := json.Unmarshal(p.Boundaries, &fc); err != nil || len(fc.Features) != 2 || fc.Features[0].Properties["option"] != p.Name {
			t.Errorf("%s: boundaries %v %.200s", p.Name, err, p.Boundaries)
		}
	}
	want := []named{{"k02-azp-t5", "azp", 0.05}, {"k02-azp-t100", "azp", 1}, {"k02-kmeans", "kmeans", 0.05}}
	if !slices.Equal(got, want) {
		t.Errorf("proposals %v, want %v", got, want)
	}
	// Six k, each proposed three ways, are 18 proposals: over the 16 one
	// job may hold.
	body, err = json.Marshal(map[string]any{"district": d, "k": []int{1, 2, 3, 4, 5, 6}, "method": "both", "tolerance": []float64{0.1, 0.3}})
	if err != nil {
		t.Fatal(err)
	}
	code, _, b = f.do(t, "POST", "/v1/localities/propose", aliceKey, body)
	if code != http.StatusBadRequest || !strings.Contains(string(b), `"path":"tolerance","reason":"6 numbers of localities, each proposed 3 ways, make 18 proposals; at most 16 in one job"`) {
		t.Errorf("18 proposals: %d %s", code, b)
	}
}

// TestLocalitiesDemand: a demand CSV comes back as the district, bands by
// name; a bad row is a 400 at its file, line and column.
func TestLocalitiesDemand(t *testing.T) {
	f := newFixture(t, jobs.NewMemory(1, time.Hour), true)
	csv := "id,lat,lon,weekly_hours,bands,double_handed\nP1,53.86,-1.90,7,morning;bed,no\nP2,53.87,-1.91,14,morning;lunch;tea;bed,yes\n"
	form, ct := multipartForm(t, map[string]string{"demand": csv})
	code, _, b := f.send(t, "POST", "/v1/localities/demand", ct, aliceKey, form)
	if code != http.StatusOK {
		t.Fatalf("%d %s", code, b)
	}
	var d locality.District
	if err := roster.DecodeStrict(b, &d); err != nil || len(d.Clients) != 2 || !d.Clients[1].Double || d.Clients[0].Bands[1] != locality.Bed {
		t.Fatalf("%v: %s", err, b)
	}
	if !strings.Contains(string(b), `"bands":["morning","bed"]`) {
		t.Errorf("bands not by name: %s", b)
	}
	bad, ct := multipartForm(t, map[string]string{"demand": strings.Replace(csv, ",14,", ",0,", 1)})
	code, h, b := f.send(t, "POST", "/v1/localities/demand", ct, aliceKey, bad)
	p := problem(t, h, b, http.StatusBadRequest)
	if code != 400 || len(p.Errors) != 1 || p.Errors[0].Path != "demand.csv[3].weekly_hours" {
		t.Errorf("%d %s", code, b)
	}
}

func httptestServer(t *testing.T, srv *Server) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(srv.Handler())
	t.Cleanup(s.Close)
	return s
}

// TestLocalitiesOpenAPI validates the localities endpoints' requests and
// answers, and a finished job's result, against the OpenAPI document.
func TestLocalitiesOpenAPI(t *testing.T) {
	ctx := context.Background()
	doc := loadOpenAPI(t)
	doc.Servers = openapi3.Servers{{URL: "http://rounds.test"}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	f, _, _ := newLocalitiesFixture(t, jobs.NewMemory(4, time.Hour), jobs.NewMemory(64, time.Hour), 1)
	d, fc := smallDistrict(t)
	propose, err := json.Marshal(map[string]any{"district": d, "k": []int{1, 2}, "evaluate": false})
	if err != nil {
		t.Fatal(err)
	}
	demand, demandType := multipartForm(t, map[string]string{"demand": "id,lat,lon,weekly_hours,bands\nP1,53.86,-1.9,7,morning;bed\n"})
	validate := func(method, path, ct string, body []byte, want int) []byte {
		t.Helper()
		code, hdr, b := f.send(t, method, path, ct, aliceKey, body)
		if code != want {
			t.Fatalf("%s %s: %d, want %d: %s", method, path, code, want, b)
		}
		req, _ := http.NewRequest(method, "http://rounds.test"+path, bytes.NewReader(body))
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		req.Header.Set("Authorization", "Bearer "+aliceKey)
		route, params, err := router.FindRoute(req)
		if err != nil {
			t.Fatalf("%s %s: not in the document: %v", method, path, err)
		}
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
		if code < 400 {
			if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
				t.Errorf("%s %s: the request does not match the document: %v", method, path, err)
			}
		}
		out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: code, Header: hdr,
			Options: &openapi3filter.Options{IncludeResponseStatus: true}}
		out.SetBodyBytes(b)
		if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
			t.Errorf("%s %s: answer %d does not match the document: %v", method, path, code, err)
		}
		return b
	}
	validate("POST", "/v1/localities/demand", demandType, demand, 200)
	b := validate("POST", "/v1/localities/evaluate", "application/json", evaluateBody(t, d, fc, 200), 202)
	var j jobs.Job
	if err := json.Unmarshal(b, &j); err != nil {
		t.Fatal(err)
	}
	if done := f.waitDone(t, "/v1/jobs/"+j.ID, aliceKey, time.Minute); done.Status != jobs.Done {
		t.Fatalf("job %s: %s", done.Status, done.Error)
	}
	validate("GET", "/v1/jobs/"+j.ID, "", nil, 200)
	validate("POST", "/v1/localities/propose?wait=20s", "application/json", propose, 200)
	validate("POST", "/v1/localities/propose", "application/json", []byte(`{"district": {"clients": []}, "k": [0]}`), 400)
}
