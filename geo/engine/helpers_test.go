package engine_test

import (
	"context"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rounds-dev/rounds/geo/engine"
	"github.com/rounds-dev/rounds/roster"
)

// leeds are the three points the recorded answers in testdata are for:
// the city centre, Headingley and Kirkgate.
var leeds = []roster.Location{
	{Lat: 53.8008, Lon: -1.5491},
	{Lat: 53.8175, Lon: -1.572},
	{Lat: 53.796, Lon: -1.5247},
}

// The matrix every recorded answer over leeds comes to: OSRM's fractional
// seconds and metres rounded, Valhalla's kilometres times 1,000.
var (
	leedsDurS  = []int32{0, 412, 305, 398, 0, 611, 297, 640, 0}
	leedsDistM = []int32{0, 2870, 1804, 2911, 0, 4400, 1790, 4520, 0}
)

// seen is one request a test server received.
type seen struct {
	Method, Path, RawQuery, ContentType string
	Body                                []byte
}

// recorder keeps the requests a test server receives.
type recorder struct {
	mu   sync.Mutex
	reqs []seen
}

func (rec *recorder) add(r *http.Request) seen {
	body, _ := io.ReadAll(r.Body)
	s := seen{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, ContentType: r.Header.Get("Content-Type"), Body: body}
	rec.mu.Lock()
	rec.reqs = append(rec.reqs, s)
	rec.mu.Unlock()
	return s
}

func (rec *recorder) all() []seen {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]seen(nil), rec.reqs...)
}

// fixture reads a file from testdata.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// serveFixture starts a server that answers every request with status and
// the named testdata file.
func serveFixture(t *testing.T, status int, name string) (*httptest.Server, *recorder) {
	t.Helper()
	body := fixture(t, name)
	rec := &recorder{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.add(r)
		if strings.HasSuffix(name, ".json") {
			w.Header().Set("Content-Type", "application/json")
		} else {
			w.Header().Set("Content-Type", "text/html")
		}
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv, rec
}

// newClient makes a client or fails the test.
func newClient(t *testing.T, cfg engine.Config) *engine.Client {
	t.Helper()
	c, err := engine.New(cfg)
	if err != nil {
		t.Fatalf("New(%+v): %v", cfg, err)
	}
	return c
}

// jsonEqual reports whether two JSON texts hold the same value.
func jsonEqual(t *testing.T, got, want []byte) bool {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("request body %s: %v", got, err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	return reflect.DeepEqual(g, w)
}

// synthDur and synthDist are the fake engines' travel between two points:
// proportional to the Manhattan distance in degrees, with fractions so that
// rounding is exercised.
func synthDur(a, b roster.Location) float64 {
	if a == b {
		return 0
	}
	return (math.Abs(a.Lat-b.Lat)+math.Abs(a.Lon-b.Lon))*36000 + 0.4
}

func synthDist(a, b roster.Location) float64 {
	if a == b {
		return 0
	}
	return (math.Abs(a.Lat-b.Lat)+math.Abs(a.Lon-b.Lon))*100000 + 0.3
}

// grid5 are five points a few kilometres apart.
var grid5 = []roster.Location{
	{Lat: 53.80, Lon: -1.55}, {Lat: 53.81, Lon: -1.57}, {Lat: 53.79, Lon: -1.52},
	{Lat: 53.83, Lon: -1.54}, {Lat: 53.77, Lon: -1.60},
}

// wantSynth is the matrix the fake engines give from each of from to each
// of to.
func wantSynth(from, to []roster.Location) (durS, distM []int32) {
	for _, a := range from {
		for _, b := range to {
			durS = append(durS, int32(math.Round(synthDur(a, b))))
			distM = append(distM, int32(math.Round(synthDist(a, b))))
		}
	}
	return durS, distM
}

// fake is an engine that computes its answers from the requests, in the
// real engine's format, so that split requests can be checked against one
// request for the whole matrix.
type fake struct {
	kind engine.Kind
	// island, when set, is a point no other point reaches or is reached
	// from.
	island *roster.Location
	// delay holds each answer back, so that requests overlap.
	delay time.Duration

	rec         recorder
	inFlight    atomic.Int32
	maxInFlight atomic.Int32
	// maxSide is the most sources or destinations any request carried.
	maxSide atomic.Int32
}

func (f *fake) reachable(a, b roster.Location) bool {
	return f.island == nil || (a == *f.island) == (b == *f.island)
}

func (f *fake) note(from, to []roster.Location) {
	for _, n := range []int{len(from), len(to)} {
		for {
			m := f.maxSide.Load()
			if int32(n) <= m || f.maxSide.CompareAndSwap(m, int32(n)) {
				break
			}
		}
	}
}

func (f *fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := f.inFlight.Add(1)
	defer f.inFlight.Add(-1)
	for {
		m := f.maxInFlight.Load()
		if n <= m || f.maxInFlight.CompareAndSwap(m, n) {
			break
		}
	}
	req := f.rec.add(r)
	if f.delay > 0 {
		time.Sleep(f.delay)
	}
	w.Header().Set("Content-Type", "application/json")
	var status int
	var answer any
	switch f.kind {
	case engine.OSRM:
		status, answer = f.osrm(req)
	case engine.Valhalla:
		status, answer = f.valhalla(req)
	case engine.GraphHopper:
		status, answer = f.graphHopper(req)
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(answer)
}

// rows fills duration and distance rows, nil where no route.
func (f *fake) rows(from, to []roster.Location, distScale float64) (dur, dist [][]*float64, all bool) {
	all = true
	for _, a := range from {
		var dr, mr []*float64
		for _, b := range to {
			if !f.reachable(a, b) {
				dr, mr = append(dr, nil), append(mr, nil)
				continue
			}
			all = false
			d, m := synthDur(a, b), synthDist(a, b)/distScale
			dr, mr = append(dr, &d), append(mr, &m)
		}
		dur, dist = append(dur, dr), append(dist, mr)
	}
	return dur, dist, all
}

func (f *fake) osrm(req seen) (int, any) {
	rest, ok := strings.CutPrefix(req.Path, "/table/v1/")
	_, coords, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 {
		return 400, map[string]string{"code": "InvalidUrl", "message": "URL string malformed close to position 1: \"/\""}
	}
	var locs []roster.Location
	for _, c := range strings.Split(coords, ";") {
		lon, lat, _ := strings.Cut(c, ",")
		lo, _ := strconv.ParseFloat(lon, 64)
		la, _ := strconv.ParseFloat(lat, 64)
		locs = append(locs, roster.Location{Lat: la, Lon: lo})
	}
	from, to := locs, locs
	for _, kv := range strings.Split(req.RawQuery, "&") {
		k, v, _ := strings.Cut(kv, "=")
		var pick []roster.Location
		for _, s := range strings.Split(v, ";") {
			i, err := strconv.Atoi(s)
			if err != nil || i < 0 || i >= len(locs) {
				continue
			}
			pick = append(pick, locs[i])
		}
		switch k {
		case "sources":
			from = pick
		case "destinations":
			to = pick
		}
	}
	f.note(from, to)
	dur, dist, _ := f.rows(from, to, 1)
	return 200, map[string]any{"code": "Ok", "durations": dur, "distances": dist}
}

func (f *fake) valhalla(req seen) (int, any) {
	var body struct {
		Sources, Targets []roster.Location
	}
	if err := json.Unmarshal(req.Body, &body); err != nil {
		return 400, map[string]any{"error_code": 100, "error": "Failed to parse json request", "status_code": 400, "status": "Bad Request"}
	}
	f.note(body.Sources, body.Targets)
	dur, dist, all := f.rows(body.Sources, body.Targets, 1000)
	if all {
		// Valhalla refuses a matrix with no route at all.
		return 400, map[string]any{"error_code": 442, "error": "No path could be found for input", "status_code": 400, "status": "Bad Request"}
	}
	var rows [][]map[string]any
	for i := range dur {
		var row []map[string]any
		for j := range dur[i] {
			row = append(row, map[string]any{"from_index": i, "to_index": j, "time": dur[i][j], "distance": dist[i][j]})
		}
		rows = append(rows, row)
	}
	return 200, map[string]any{"sources_to_targets": rows, "units": "kilometers"}
}

func (f *fake) graphHopper(req seen) (int, any) {
	var body struct {
		Points     [][2]float64 `json:"points"`
		FromPoints [][2]float64 `json:"from_points"`
		ToPoints   [][2]float64 `json:"to_points"`
	}
	if err := json.Unmarshal(req.Body, &body); err != nil {
		return 400, map[string]any{"message": "Unrecognized field", "hints": []any{}}
	}
	locs := func(ps [][2]float64) []roster.Location {
		var out []roster.Location
		for _, p := range ps {
			out = append(out, roster.Location{Lat: p[1], Lon: p[0]})
		}
		return out
	}
	from, to := locs(body.FromPoints), locs(body.ToPoints)
	if body.Points != nil {
		from, to = locs(body.Points), locs(body.Points)
	}
	f.note(from, to)
	dur, dist, _ := f.rows(from, to, 1)
	return 200, map[string]any{"times": dur, "distances": dist}
}

// serveFake starts a fake engine.
func serveFake(t *testing.T, f *fake) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return srv
}

// onlyRequest serves the answer file, asks a client configured by cfg (given
// the server's URL) for the legs from the first two places of leeds to the
// rest, or for their whole matrix, and returns the one request it sent.
func onlyRequest(t *testing.T, answer string, cfg func(url string) engine.Config, legs bool, mode roster.Mode) seen {
	t.Helper()
	srv, rec := serveFixture(t, 200, answer)
	c := newClient(t, cfg(srv.URL))
	var err error
	if legs {
		_, _, err = c.Legs(context.Background(), leeds[:2], leeds[2:], mode)
	} else {
		_, err = c.Matrix(context.Background(), leeds, mode)
	}
	if err != nil {
		t.Fatal(err)
	}
	reqs := rec.all()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	return reqs[0]
}
