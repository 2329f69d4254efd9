package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/rounds-dev/rounds/api/jobs"
	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/geo/matrixcache"
	"github.com/rounds-dev/rounds/roster"
)

// crowd is a day of n clients, one walking carer and no visits: the
// request that took a server to 1.5 GB (6,000 clients) and, at 20,000,
// beyond any container.
func crowd(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"date":"2026-11-24","timezone":"Europe/London","carers":[{"id":"K1","start":{"lat":53.87,"lon":-1.91},"mode":"walk","shifts":[{"start":"07:00","end":"14:00"}]}],"clients":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"C%d","location":{"lat":%.5f,"lon":%.5f}}`, i, 53.80+float64(i%100)*0.001, -1.95+float64(i/100)*0.001)
	}
	b.WriteString(`],"visits":[]}`)
	return b.Bytes()
}

// newLimitedServer is a server with default limits unless cfg sets them,
// and no worker.
func newLimitedServer(t *testing.T, cfg Config) *httptest.Server {
	t.Helper()
	sl, err := geo.NewStraightLine(nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Registry = prometheus.NewRegistry()
	cfg.Matrices = matrixcache.New(sl, matrixcache.Config{Registerer: cfg.Registry})
	cfg.Jobs = jobs.NewMemory(4, time.Hour)
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return hs
}

func post(t *testing.T, url string, body []byte) (int, http.Header, []byte) {
	t.Helper()
	f := &fixture{http: &httptest.Server{URL: url}}
	return f.do(t, "POST", "", "", body)
}

// TestOversizedInstances: an instance over the service's limits is a 413
// on every endpoint that takes one, naming the field that makes it too
// large, and nothing is built for it.
func TestOversizedInstances(t *testing.T) {
	big := crowd(6000)
	check, _ := json.Marshal(map[string]json.RawMessage{"instance": big, "plan": []byte(`{"rounds":[]}`)})
	replan, _ := json.Marshal(map[string]json.RawMessage{"instance": big, "plan": []byte(`{"rounds":[]}`), "changes": []byte(`{}`)})
	evaluate, _ := json.Marshal(map[string]json.RawMessage{"instance": big, "rounds": []byte(`[]`)})
	threeVisits := []byte(`{"date":"2026-11-24","timezone":"Europe/London","carers":[{"id":"K1","start":{"lat":53.87,"lon":-1.91},"mode":"drive","shifts":[{"start":"07:00","end":"14:00"}]}],
	"clients":[{"id":"C1","location":{"lat":53.86,"lon":-1.9}}],
	"visits":[{"id":"V1","client":"C1","duration_min":30,"windows":[{"start":"08:00","end":"12:00"}]},
	{"id":"V2","client":"C1","duration_min":30,"windows":[{"start":"08:00","end":"12:00"}]},
	{"id":"V3","client":"C1","duration_min":30,"windows":[{"start":"08:00","end":"12:00"}]}]}`)
	tests := []struct {
		name     string
		cfg      Config
		path     string
		body     []byte
		wantPath string
	}{
		{"validate, places", Config{}, "/v1/validate", big, "clients"},
		{"jobs, places", Config{}, "/v1/jobs", big, "clients"},
		{"check, places", Config{}, "/v1/check", check, "instance.clients"},
		{"replan, places", Config{}, "/v1/replan", replan, "instance.clients"},
		{"evaluate, places", Config{}, "/v1/evaluate", evaluate, "instance.clients"},
		{"visits", Config{Limits: roster.Limits{MaxVisits: 2}}, "/v1/validate", threeVisits, "visits"},
		{"matrix memory", Config{Limits: roster.Limits{MaxMatrixBytes: 1000}}, "/v1/check", check, "instance.clients"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs := newLimitedServer(t, tt.cfg)
			code, h, b := post(t, hs.URL+tt.path, tt.body)
			p := problem(t, h, b, http.StatusRequestEntityTooLarge)
			if code != http.StatusRequestEntityTooLarge || p.Type != typeTooLarge || len(p.Errors) == 0 || p.Errors[0].Path != tt.wantPath {
				t.Fatalf("status %d, problem %+v; want 413 too-large at %q", code, p, tt.wantPath)
			}
		})
	}
}

// TestOversizedCheckBuildsNothing: refusing the 6,000-client check costs
// the decoding, not the 288 MB matrix it would have built.
func TestOversizedCheckBuildsNothing(t *testing.T) {
	hs := newLimitedServer(t, Config{})
	check, _ := json.Marshal(map[string]json.RawMessage{"instance": crowd(6000), "plan": []byte(`{"rounds":[]}`)})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	code, _, b := post(t, hs.URL+"/v1/check", check)
	runtime.ReadMemStats(&after)
	if code != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d: %s", code, b)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 64<<20 {
		t.Errorf("the refused request allocated %d MB", got>>20)
	}
}

// TestWorkQueue: expensive requests share a memory budget; one that cannot
// get its share in time is a 503 with Retry-After, and a share given back
// lets the next one in.
func TestWorkQueue(t *testing.T) {
	q := NewBudget(100)
	wait := 50 * time.Millisecond
	ctx := context.Background()
	release, err := q.acquire(ctx, 80, wait)
	if err != nil {
		t.Fatal(err)
	}
	// More than the budget is capped at the budget, so it waits too.
	for _, n := range []int64{30, 1000} {
		_, err := q.acquire(ctx, n, wait)
		var p *Problem
		if !errors.As(err, &p) || p.Status != http.StatusServiceUnavailable || p.retryAfter == "" {
			t.Fatalf("acquire(%d) with the budget taken: %v, want a 503 problem with Retry-After", n, err)
		}
	}
	if r, err := q.acquire(ctx, 20, wait); err != nil {
		t.Fatalf("acquire(20) within the budget: %v", err)
	} else {
		r()
	}
	release()
	r, err := q.acquire(ctx, 1000, wait)
	if err != nil {
		t.Fatalf("acquire after release: %v", err)
	}
	r()
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	hold, _ := q.acquire(ctx, 100, wait)
	defer hold()
	if _, err := q.acquire(cancelled, 1, wait); !errors.Is(err, context.Canceled) {
		t.Fatalf("acquire on a cancelled request: %v, want context.Canceled", err)
	}
}

// TestMatrixAnswerStreamed: the matrix answer written row by row is the
// JSON document the API describes.
func TestMatrixAnswerStreamed(t *testing.T) {
	hs := newLimitedServer(t, Config{})
	code, h, b := post(t, hs.URL+"/v1/matrix", []byte(`{"mode":"drive","locations":[{"lat":53.8,"lon":-1.9},{"lat":53.81,"lon":-1.91},{"lat":53.82,"lon":-1.9}]}`))
	if code != http.StatusOK || h.Get("Content-Type") != "application/json" {
		t.Fatalf("status %d, content type %q: %s", code, h.Get("Content-Type"), b)
	}
	var out struct {
		Mode      roster.Mode         `json:"mode"`
		Source    roster.TravelSource `json:"source"`
		Cache     string              `json:"cache"`
		Durations [][]int32           `json:"durations_s"`
		Distances [][]int32           `json:"distances_m"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&out); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	sl, _ := geo.NewStraightLine(nil)
	m, _ := sl.Matrix(context.Background(), []roster.Location{{Lat: 53.8, Lon: -1.9}, {Lat: 53.81, Lon: -1.91}, {Lat: 53.82, Lon: -1.9}}, roster.Drive)
	if out.Mode != roster.Drive || out.Source != sl.Source() || out.Cache != "computed" || len(out.Durations) != 3 || len(out.Distances) != 3 {
		t.Fatalf("answer %+v", out)
	}
	for i := range 3 {
		for j := range 3 {
			d, dm := m.Leg(i, j)
			if int(out.Durations[i][j]) != d || int(out.Distances[i][j]) != dm {
				t.Errorf("leg %d→%d: %d s %d m, want %d s %d m", i, j, out.Durations[i][j], out.Distances[i][j], d, dm)
			}
		}
	}
}

// TestCheckAnswerBounded: a plan far larger than any plan of its instance
// is refused unread, and a plan with thousands of faults is answered with
// the first 1,000 and the count.
func TestCheckAnswerBounded(t *testing.T) {
	hs := newLimitedServer(t, Config{})
	day := readFile(t, "../testdata/locality_day_300.json")
	in, err := roster.DecodeInstance(bytes.NewReader(day))
	if err != nil {
		t.Fatal(err)
	}
	checkOf := func(plan roster.Plan) []byte {
		plan.Instance = in.Name
		pb, _ := json.Marshal(plan)
		b, _ := json.Marshal(map[string]json.RawMessage{"instance": day, "plan": pb})
		return b
	}
	var flood roster.Plan
	for range 5000 {
		flood.Rounds = append(flood.Rounds, roster.Round{Carer: in.Carers[0].ID, Stops: []roster.Stop{{Visit: in.Visits[0].ID}}})
	}
	code, h, b := post(t, hs.URL+"/v1/check", checkOf(flood))
	if p := problem(t, h, b, http.StatusRequestEntityTooLarge); code != http.StatusRequestEntityTooLarge || p.Errors[0].Path != "plan.rounds" {
		t.Fatalf("5,000 rounds: %d %s", code, b)
	}

	// Every visit in one round, all at midnight with no travel.
	faults := roster.Plan{Rounds: []roster.Round{{Carer: in.Carers[0].ID}}}
	for _, v := range in.Visits {
		faults.Rounds[0].Stops = append(faults.Rounds[0].Stops, roster.Stop{Visit: v.ID})
	}
	code, _, b = post(t, hs.URL+"/v1/check", checkOf(faults))
	var out struct {
		OK         bool               `json:"ok"`
		Violations []roster.Violation `json:"violations"`
		Total      int                `json:"violations_total"`
	}
	if err := json.Unmarshal(b, &out); err != nil || code != http.StatusOK {
		t.Fatalf("%d %v: %.300s", code, err, b)
	}
	if out.OK || out.Total <= maxListedViolations || len(out.Violations) != maxListedViolations {
		t.Fatalf("ok %v, %d violations listed of %d; want the first %d of more", out.OK, len(out.Violations), out.Total, maxListedViolations)
	}
}
