package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/rounds-dev/rounds/api/jobs"
	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/geo/matrixcache"
	"github.com/rounds-dev/rounds/geo/road"
	"github.com/rounds-dev/rounds/optimiser"
	"github.com/rounds-dev/rounds/roster"
)

// newStreetsFixture starts the API, without a worker, with travel from
// travel and streets (nil for none).
func newStreetsFixture(t *testing.T, travel geo.Provider, streets StreetMap) *fixture {
	t.Helper()
	reg := prometheus.NewRegistry()
	store := jobs.NewMemory(1, time.Hour)
	srv, err := New(Config{
		Keys: []Key{{Name: "alice", Hash: HashKey(aliceKey)}},
		Jobs: store, Matrices: matrixcache.New(travel, matrixcache.Config{Registerer: reg}), MaxBody: "256K", Registry: reg,
		Streets: streets,
	})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{srv: srv, http: httptest.NewServer(srv.Handler()), jobs: store}
	t.Cleanup(f.http.Close)
	return f
}

// solved plans an instance document briefly on travel and checks the plan.
func solved(t *testing.T, doc []byte, travel geo.Provider) []byte {
	t.Helper()
	in, err := roster.DecodeInstance(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	ms, err := geo.TravelFor(context.Background(), travel, in)
	if err != nil {
		t.Fatal(err)
	}
	p, err := optimiser.Solve(context.Background(), in, ms, optimiser.Options{Seed: 1, Iterations: 200, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if vs := roster.Check(in, ms, p); len(vs) > 0 {
		t.Fatalf("the plan breaks %d rules: %v", len(vs), vs[0])
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// matchesDocument checks a request and its answer against the OpenAPI
// document; non-JSON bodies are checked for their media type only.
func matchesDocument(t *testing.T, method, path string, body []byte, code int, hdr http.Header, answer []byte) {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(openapiDoc)
	if err != nil {
		t.Fatal(err)
	}
	doc.Servers = openapi3.Servers{{URL: "http://rounds.test"}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(method, "http://rounds.test"+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+aliceKey)
	route, params, err := router.FindRoute(req)
	if err != nil {
		t.Fatalf("%s %s: not in the document: %v", method, path, err)
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	if code < 400 {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			t.Errorf("%s %s: the request does not match the document: %v", method, path, err)
		}
	}
	ct := hdr.Get("Content-Type")
	opts := &openapi3filter.Options{IncludeResponseStatus: true}
	if !strings.Contains(ct, "json") {
		opts.ExcludeResponseBody = true
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: code, Header: hdr, Options: opts}
	out.SetBodyBytes(answer)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("%s %s: answer %d does not match the document: %v", method, path, code, err)
	}
	if r := route.Operation.Responses.Status(code); r == nil || r.Value.Content.Get(strings.Split(ct, ";")[0]) == nil {
		t.Errorf("%s %s: answer %d of %s is not in the document", method, path, code, ct)
	}
}

// TestExportEndpoint: each format comes back as a file to save, the same
// as the export package writes it; bad formats, dates and plans are 400s
// naming the field.
func TestExportEndpoint(t *testing.T) {
	sl, err := geo.NewStraightLine(nil)
	if err != nil {
		t.Fatal(err)
	}
	f := newStreetsFixture(t, sl, nil)
	day := readFile(t, "../testdata/small_day.json")
	plan := solved(t, day, sl)
	body, _ := json.Marshal(map[string]json.RawMessage{"instance": day, "plan": plan})
	var p roster.Plan
	if err := json.Unmarshal(plan, &p); err != nil {
		t.Fatal(err)
	}
	stops := 0
	for _, r := range p.Rounds {
		stops += len(r.Stops)
	}
	for _, tt := range []struct {
		query, media, file string
		check              func(t *testing.T, b []byte)
	}{
		{"format=csv", "text/csv; charset=utf-8", "stops-2026-11-24.csv", func(t *testing.T, b []byte) {
			rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
			if err != nil || len(rows) != stops+1 {
				t.Errorf("%d rows (%v), want a header and %d stops", len(rows), err, stops)
			}
		}},
		{"format=geojson", "application/geo+json", "rounds-2026-11-24.geojson", func(t *testing.T, b []byte) {
			fc, err := geojson.UnmarshalFeatureCollection(b)
			if err != nil || len(fc.Features) < len(p.Rounds)+stops {
				t.Fatalf("%v: %s", err, b)
			}
			for _, ft := range fc.Features {
				if ft.Properties["kind"] == "round" && ft.Properties["path"] != "straight" {
					t.Errorf("round %v: without a road network the lines are straight", ft.Properties)
				}
			}
		}},
		{"format=runsheets-csv", "text/csv; charset=utf-8", "runsheets-2026-11-24.csv", func(t *testing.T, b []byte) {
			rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, row := range rows[1:] {
				if row[5] == "visit" {
					n++
				}
			}
			if n != stops {
				t.Errorf("%d visit lines, want %d", n, stops)
			}
		}},
		{"format=runsheets-html&date=2026-11-24", "text/html; charset=utf-8", "runsheets-2026-11-24.html", func(t *testing.T, b []byte) {
			if n := strings.Count(string(b), `<tr class="visit"`); !bytes.HasPrefix(b, []byte("<!DOCTYPE html>")) || n != stops {
				t.Errorf("a page of %d visit rows, want %d", n, stops)
			}
		}},
	} {
		t.Run(tt.query, func(t *testing.T) {
			code, h, b := f.do(t, "POST", "/v1/export?"+tt.query, aliceKey, body)
			if code != http.StatusOK || h.Get("Content-Type") != tt.media {
				t.Fatalf("%d %s: %s", code, h.Get("Content-Type"), b)
			}
			if cd := h.Get("Content-Disposition"); cd != `attachment; filename="`+tt.file+`"` {
				t.Errorf("Content-Disposition %q, want a file %s", cd, tt.file)
			}
			tt.check(t, b)
			matchesDocument(t, "POST", "/v1/export?"+tt.query, body, code, h, b)
		})
	}

	other := readFile(t, "../testdata/example_day.json")
	otherBody, _ := json.Marshal(map[string]json.RawMessage{"instance": other, "plan": plan})
	for _, tt := range []struct {
		query string
		body  []byte
		path  string
	}{
		{"", body, "query.format"},
		{"format=kml", body, "query.format"},
		{"format=csv&date=2026-11-24", body, "query.date"},
		{"format=runsheets-csv&date=2026-11-25", body, "query.date"},
		{"format=runsheets-html&date=tuesday", body, "query.date"},
		{"format=csv&colour=red", body, "query.colour"},
		{"format=csv", otherBody, "plan.instance"},
	} {
		t.Run("bad "+tt.query, func(t *testing.T) {
			code, h, b := f.do(t, "POST", "/v1/export?"+tt.query, aliceKey, tt.body)
			p := problem(t, h, b, http.StatusBadRequest)
			if code != http.StatusBadRequest || len(p.Errors) == 0 || p.Errors[0].Path != tt.path {
				t.Errorf("%d %s; want 400 naming %s", code, b, tt.path)
			}
			matchesDocument(t, "POST", "/v1/export?"+tt.query, tt.body, code, h, b)
		})
	}
}

// TestExportPeriodRunSheets: a week's run sheets need one of its dates.
func TestExportPeriodRunSheets(t *testing.T) {
	sl, err := geo.NewStraightLine(nil)
	if err != nil {
		t.Fatal(err)
	}
	f := newStreetsFixture(t, sl, nil)
	week := readFile(t, "../testdata/week_small.json")
	body, _ := json.Marshal(map[string]json.RawMessage{"instance": week, "plan": solved(t, week, sl)})
	code, h, b := f.do(t, "POST", "/v1/export?format=runsheets-csv", aliceKey, body)
	if p := problem(t, h, b, http.StatusBadRequest); code != http.StatusBadRequest || p.Errors[0].Path != "query.date" || !strings.Contains(p.Detail, "7 days") {
		t.Errorf("a week's run sheets without a date: %d %s", code, b)
	}
	code, h, b = f.do(t, "POST", "/v1/export?format=runsheets-csv&date=2026-11-25", aliceKey, body)
	if code != http.StatusOK || h.Get("Content-Disposition") != `attachment; filename="runsheets-2026-11-25.csv"` {
		t.Fatalf("%d %v %s", code, h, b)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n")[1:] {
		if !strings.HasPrefix(line, "2026-11-25,") {
			t.Errorf("line %q of another day", line)
		}
	}
}

// townDoc is a morning in the road package's test town: a driver and a
// walker, four clients 5 m from their streets.
func townDoc() []byte {
	loc := func(x, y float64) string {
		l := townAt(x, y)
		return fmt.Sprintf(`{"lat":%v,"lon":%v}`, l.Lat, l.Lon)
	}
	return fmt.Appendf(nil, `{"date":"2026-11-24","timezone":"Europe/London",
	"carers":[{"id":"K1","start":%s,"shifts":[{"start":"08:00","end":"13:00"}],"mode":"drive"},
	          {"id":"K2","start":%s,"shifts":[{"start":"08:00","end":"13:00"}],"mode":"walk"}],
	"clients":[{"id":"C1","location":%s},{"id":"C2","location":%s},{"id":"C3","location":%s},{"id":"C4","location":%s}],
	"visits":[{"id":"V1","client":"C1","duration_min":30,"windows":[{"start":"08:00","end":"09:00"}]},
	          {"id":"V2","client":"C2","duration_min":30,"windows":[{"start":"08:00","end":"10:00"}]},
	          {"id":"V3","client":"C3","duration_min":30,"windows":[{"start":"08:00","end":"09:00"}]},
	          {"id":"V4","client":"C4","duration_min":30,"windows":[{"start":"08:00","end":"10:00"}]}]}`,
		loc(0.1, 0.05), loc(2.9, 2.05), loc(3.5, 1.05), loc(1.5, 5.05), loc(0.5, 2.95), loc(2.3, 0.05))
}

// TestExportAlongStreets: with a road network, a plan made on it exports
// with rounds along its streets, each through its stops; a plan made on
// straight lines keeps straight lines.
func TestExportAlongStreets(t *testing.T) {
	n, err := road.LoadFile(context.Background(), "../geo/road/testdata/town.osm", road.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := newStreetsFixture(t, n, n)
	doc := townDoc()
	sl, err := geo.NewStraightLine(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		travel geo.Provider
		want   string
	}{{n, "streets"}, {sl, "straight"}} {
		t.Run(tt.want, func(t *testing.T) {
			plan := solved(t, doc, tt.travel)
			body, _ := json.Marshal(map[string]json.RawMessage{"instance": doc, "plan": plan})
			code, h, b := f.do(t, "POST", "/v1/export?format=geojson", aliceKey, body)
			if code != http.StatusOK {
				t.Fatalf("%d %s", code, b)
			}
			fc, err := geojson.UnmarshalFeatureCollection(b)
			if err != nil {
				t.Fatal(err)
			}
			rounds := 0
			for _, ft := range fc.Features {
				if ft.Properties["kind"] != "round" {
					continue
				}
				rounds++
				line := ft.Geometry.(orb.LineString)
				if ft.Properties["path"] != tt.want || (tt.want == "streets") != (len(line) > ft.Properties.MustInt("stops")+2) {
					t.Errorf("round %v of %d points, want %s", ft.Properties, len(line), tt.want)
				}
			}
			if rounds == 0 {
				t.Error("no rounds")
			}
			matchesDocument(t, "POST", "/v1/export?format=geojson", body, code, h, b)
		})
	}
}

// TestStreetsEndpoint: the town's streets in a box come back as lines
// with their highway class; a bad box, or one whose streets take too many
// points, is a 400 naming query.bbox; without a network the answer is
// empty and says so.
func TestStreetsEndpoint(t *testing.T) {
	n, err := road.LoadFile(context.Background(), "../geo/road/testdata/town.osm", road.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sw, ne := townAt(-1, -3), townAt(7, 6)
	box := fmt.Sprintf("%v,%v,%v,%v", sw.Lon, sw.Lat, ne.Lon, ne.Lat)
	f := newStreetsFixture(t, n, n)
	code, h, b := f.do(t, "GET", "/v1/streets?bbox="+box, aliceKey, nil)
	if code != http.StatusOK || h.Get("Content-Type") != "application/geo+json" || h.Get("X-Rounds-Streets") != "" {
		t.Fatalf("%d %v %s", code, h, b)
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		t.Fatal(err)
	}
	classes := map[string]int{}
	bound := orb.Bound{Min: orb.Point{sw.Lon, sw.Lat}, Max: orb.Point{ne.Lon, ne.Lat}}
	for _, ft := range fc.Features {
		line, ok := ft.Geometry.(orb.LineString)
		if !ok || !line.Bound().Intersects(bound) {
			t.Errorf("feature %v outside the box", ft.Geometry)
		}
		classes[ft.Properties.MustString("highway")]++
	}
	// geo/road's TestStreets counts the town's streets.
	if len(fc.Features) != 14 || classes["residential"] != 11 || classes["motorway"] != 1 {
		t.Errorf("%d streets of classes %v", len(fc.Features), classes)
	}
	matchesDocument(t, "GET", "/v1/streets?bbox="+box, nil, code, h, b)

	for _, bad := range []string{"", "1,2,3", "a,b,c,d", "-0.59,52.61,-0.6,52.6", "-200,52,-0.5,53", "0,-91,1,1", "NaN,1,2,3"} {
		code, h, b := f.do(t, "GET", "/v1/streets?bbox="+bad, aliceKey, nil)
		if p := problem(t, h, b, http.StatusBadRequest); p.Errors[0].Path != "query.bbox" {
			t.Errorf("bbox %q: %d %s", bad, code, b)
		}
		matchesDocument(t, "GET", "/v1/streets?bbox="+bad, nil, code, h, b)
	}

	capped := newStreetsFixture(t, n, cappedStreets{n, 10})
	code, h, b = capped.do(t, "GET", "/v1/streets?bbox="+box, aliceKey, nil)
	if p := problem(t, h, b, http.StatusBadRequest); p.Errors[0].Path != "query.bbox" || !strings.Contains(p.Detail, "smaller box") {
		t.Errorf("too many points: %d %s", code, b)
	}

	sl, err := geo.NewStraightLine(nil)
	if err != nil {
		t.Fatal(err)
	}
	none := newStreetsFixture(t, sl, nil)
	code, h, b = none.do(t, "GET", "/v1/streets?bbox="+box, aliceKey, nil)
	if code != http.StatusOK || h.Get("X-Rounds-Streets") != "none" || !bytes.Contains(b, []byte(`"features":[]`)) {
		t.Errorf("without a network: %d %v %s", code, h, b)
	}
	matchesDocument(t, "GET", "/v1/streets?bbox="+box, nil, code, h, b)
}

// cappedStreets is a network whose streets answers hold at most max points.
type cappedStreets struct {
	*road.Network
	max int
}

func (c cappedStreets) Streets(b orb.Bound, _ int) ([]road.Street, error) {
	return c.Network.Streets(b, c.max)
}
