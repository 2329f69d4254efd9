package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/rounds-dev/rounds/api/jobs"
	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/geo/matrixcache"
	"github.com/rounds-dev/rounds/geo/road"
	"github.com/rounds-dev/rounds/importer"
	"github.com/rounds-dev/rounds/internal/badimports"
	"github.com/rounds-dev/rounds/roster"
)

const exampleImport = "../testdata/import/"

// newImportFixture starts the API with the three test keys, an in-process
// worker, travel on straight lines, imports placed by addresses when they
// are given, and the service's and the worker's logs written to logs.
func newImportFixture(t *testing.T, addresses importer.Addresses, logs *bytes.Buffer) *fixture {
	t.Helper()
	sl, err := geo.NewStraightLine(nil)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	if logs != nil {
		log = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	reg := prometheus.NewRegistry()
	store := jobs.NewMemory(8, time.Hour)
	cache := matrixcache.New(sl, matrixcache.Config{Registerer: reg, Logger: log})
	srv, err := New(Config{
		Keys: []Key{{Name: "alice", Hash: HashKey(aliceKey)}, {Name: "ops", Hash: HashKey(opsKey), Admin: true}},
		Jobs: store, Matrices: cache, MaxBody: "1M", Registry: reg, Logger: log, Addresses: addresses,
	})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{srv: srv, http: httptest.NewServer(srv.Handler()), jobs: store}
	t.Cleanup(f.http.Close)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	w := &Worker{Name: "test", Jobs: store, Matrices: cache, Touch: 50 * time.Millisecond, Grace: time.Second, Logger: log}
	go func() { w.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return f
}

// form writes a multipart form of CSV files (named NAME.csv) and fields.
func form(t *testing.T, files, fields map[string]string) (contentType string, body []byte) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for _, name := range sortedKeys(files) {
		fw, err := w.CreateFormFile(name, name+".csv")
		if err != nil {
			t.Fatal(err)
		}
		fw.Write([]byte(files[name])) //nolint:errcheck // a bytes.Buffer does not fail
	}
	for _, name := range sortedKeys(fields) {
		if err := w.WriteField(name, fields[name]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return w.FormDataContentType(), b.Bytes()
}

func sortedKeys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// exampleFiles reads the example town's files.
func exampleFiles(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, name := range []string{"carers", "clients", "care", "postcodes"} {
		out[name] = string(readFile(t, exampleImport+name+".csv"))
	}
	return out
}

// townAddresses is the example town's map's address index.
func townAddresses(t *testing.T) *road.AddressIndex {
	t.Helper()
	n, err := road.LoadFile(context.Background(), exampleImport+"town.osm", road.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return n.Addresses()
}

// problemPaths returns the paths of a problem answer's errors.
func problemPaths(t *testing.T, body []byte) []string {
	t.Helper()
	var p Problem
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("not a problem: %s", body)
	}
	var paths []string
	for _, e := range p.Errors {
		paths = append(paths, e.Path)
	}
	return paths
}

// TestImportExample: the example town's files, sent as a form to a service
// that has the town's map, come back as the week's instance, which the
// service validates; without the map, the rows placed by address are each
// refused by path.
func TestImportExample(t *testing.T) {
	f := newImportFixture(t, townAddresses(t), nil)
	ct, body := form(t, exampleFiles(t), map[string]string{"start": "2026-11-23", "days": "7", "name": "Rutham week 48"})
	code, hdr, b := f.send(t, "POST", "/v1/import", ct, aliceKey, body)
	if code != http.StatusOK || !strings.HasPrefix(hdr.Get("Content-Type"), "application/json") {
		t.Fatalf("import: %d %s", code, b)
	}
	in, err := roster.DecodeInstance(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the answer is not an instance: %v", err)
	}
	if in.Name != "Rutham week 48" || len(in.Carers) != 25 || len(in.Clients) != 50 || in.Period == nil {
		t.Errorf("imported %q: %d carers, %d clients, period %+v", in.Name, len(in.Carers), len(in.Clients), in.Period)
	}
	if code, _, vb := f.do(t, "POST", "/v1/validate", aliceKey, b); code != http.StatusOK {
		t.Errorf("the imported instance does not validate: %d %s", code, vb)
	}

	bare := newImportFixture(t, nil, nil)
	code, _, b = bare.send(t, "POST", "/v1/import", ct, aliceKey, body)
	paths := problemPaths(t, b)
	if code != http.StatusBadRequest || len(paths) != 8 || !slices.Contains(paths, "clients.csv[7].address") {
		t.Errorf("without a map: %d, paths %v; want 400 naming the eight rows placed by address", code, paths)
	}
}

// TestImportBadRows: each bad import of testdata/invalid/import.json is a
// 400 whose errors name file[line].column.
func TestImportBadRows(t *testing.T) {
	cases, err := badimports.Read("../testdata/invalid/import.json")
	if err != nil {
		t.Fatal(err)
	}
	f := newImportFixture(t, nil, nil)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range c.Files {
				if v != "" {
					files[k] = v
				}
			}
			ct, body := form(t, files, map[string]string{"start": c.Start, "days": fmt.Sprint(c.Days)})
			code, hdr, b := f.send(t, "POST", "/v1/import", ct, aliceKey, body)
			want := fmt.Sprintf("%s[%d].%s", c.File, c.Row, c.Column)
			if code != http.StatusBadRequest || hdr.Get("Content-Type") != "application/problem+json" || !slices.Contains(problemPaths(t, b), want) {
				t.Errorf("%d %s; want 400 naming %s", code, b, want)
			}
		})
	}
}

// TestImportForm: the form's own faults are each a 400 naming the field,
// and a body that is not a form a 415.
func TestImportForm(t *testing.T) {
	f := newImportFixture(t, nil, nil)
	base, start, days, err := badimports.Base("../testdata/invalid/import.json")
	if err != nil {
		t.Fatal(err)
	}
	without := func(name string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			if k != name {
				m[k] = v
			}
		}
		return m
	}
	period := map[string]string{"start": start, "days": fmt.Sprint(days)}
	cases := []struct {
		name   string
		files  map[string]string
		fields map[string]string
		want   string
	}{
		{"no care file", without("care"), period, "care"},
		{"an unknown field", base, map[string]string{"start": start, "days": "7", "colour": "blue"}, "colour"},
		{"days not a number", base, map[string]string{"start": start, "days": "seven"}, "days"},
		{"days out of range", base, map[string]string{"start": start, "days": "40"}, "days"},
		{"a bad start", base, map[string]string{"start": "23/11/2026", "days": "7"}, "start"},
		{"a bad time zone", base, map[string]string{"start": start, "days": "7", "time_zone": "Mars/Olympus"}, "time_zone"},
	}
	for _, c := range cases {
		ct, body := form(t, c.files, c.fields)
		code, _, b := f.send(t, "POST", "/v1/import", ct, aliceKey, body)
		if code != http.StatusBadRequest || !slices.Contains(problemPaths(t, b), c.want) {
			t.Errorf("%s: %d %s; want 400 naming %s", c.name, code, b, c.want)
		}
	}
	for _, ct := range []string{"application/json", "", "multipart/form-data", "text/csv"} {
		code, _, b := f.send(t, "POST", "/v1/import", ct, aliceKey, []byte(`{}`))
		if code != http.StatusUnsupportedMediaType || !slices.Contains(problemPaths(t, b), "header.Content-Type") {
			t.Errorf("Content-Type %q: %d %s; want 415", ct, code, b)
		}
	}
	ct, body := form(t, base, period)
	if code, _, _ := f.send(t, "POST", "/v1/import", ct, "", body); code != http.StatusUnauthorized {
		t.Errorf("no key: %d, want 401", code)
	}
	big := map[string]string{"carers": base["carers"] + strings.Repeat("x", 2<<20)}
	ct, body = form(t, big, nil)
	if code, _, b := f.send(t, "POST", "/v1/import", ct, aliceKey, body); code != http.StatusRequestEntityTooLarge {
		t.Errorf("a body over the limit: %d %s; want 413", code, b)
	}
}

// TestImportOpenAPI: the import's answers, good and bad, are as the
// OpenAPI document describes them.
func TestImportOpenAPI(t *testing.T) {
	ctx := context.Background()
	doc := loadOpenAPI(t)
	doc.Servers = openapi3.Servers{{URL: "http://rounds.test"}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	f := newImportFixture(t, townAddresses(t), nil)
	base, start, days, err := badimports.Base("../testdata/invalid/import.json")
	if err != nil {
		t.Fatal(err)
	}
	bad := map[string]string{}
	for k, v := range base {
		bad[k] = strings.Replace(v, "08:00,30,30", "25:99,30,30", 1)
	}
	for _, c := range []struct {
		files map[string]string
		ct    string
		want  int
	}{
		{exampleFiles(t), "", 200},
		{bad, "", 400},
		{base, "application/json", 415},
	} {
		ct, body := form(t, c.files, map[string]string{"start": start, "days": fmt.Sprint(days)})
		if c.ct != "" {
			ct = c.ct
		}
		code, hdr, b := f.send(t, "POST", "/v1/import", ct, aliceKey, body)
		if code != c.want {
			t.Errorf("answer %d, want %d: %s", code, c.want, b)
		}
		req, _ := http.NewRequest("POST", "http://rounds.test/v1/import", bytes.NewReader(body))
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Authorization", "Bearer "+aliceKey)
		route, params, err := router.FindRoute(req)
		if err != nil {
			t.Fatalf("not in the document: %v", err)
		}
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
		if code == 200 {
			if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
				t.Errorf("the request does not match the document: %v", err)
			}
		}
		out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: code, Header: hdr,
			Options: &openapi3filter.Options{IncludeResponseStatus: true}}
		out.SetBodyBytes(b)
		if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
			t.Errorf("answer %d does not match the document: %v", code, err)
		}
	}
}

// TestNoNamesInLogsOrMetrics: names and addresses are for people's eyes
// only. A solve, a check, a validation and an import, good and bad, of
// documents carrying clients' and carers' names and addresses leave none
// of them in the service's logs (at debug level) or its metrics, nor in
// the problems it answers.
func TestNoNamesInLogsOrMetrics(t *testing.T) {
	var logs bytes.Buffer
	f := newImportFixture(t, townAddresses(t), &logs)
	files := exampleFiles(t)
	ct, body := form(t, files, map[string]string{"start": "2026-11-23", "days": "7"})
	code, _, week := f.send(t, "POST", "/v1/import", ct, aliceKey, body)
	if code != http.StatusOK {
		t.Fatalf("import: %d %s", code, week)
	}
	in, err := roster.DecodeInstance(bytes.NewReader(week))
	if err != nil {
		t.Fatal(err)
	}
	var secrets []string
	for _, k := range in.Carers {
		secrets = append(secrets, k.Name)
		if k.Address != "" {
			secrets = append(secrets, k.Address)
		}
	}
	for _, c := range in.Clients {
		secrets = append(secrets, c.Name, c.Address)
	}
	if len(secrets) < 100 {
		t.Fatalf("only %d names and addresses to look for", len(secrets))
	}
	// A solve, and a check of its plan.
	code, _, jb := f.do(t, "POST", "/v1/jobs?time_limit=300ms&wait=30s", aliceKey, week)
	if code != http.StatusOK {
		t.Fatalf("solve: %d %s", code, jb)
	}
	var job jobs.Job
	if err := json.Unmarshal(jb, &job); err != nil || len(job.Plan) == 0 {
		t.Fatalf("solve answered no plan: %v %s", err, jb)
	}
	check, _ := json.Marshal(map[string]json.RawMessage{"instance": week, "plan": job.Plan})
	if code, _, b := f.do(t, "POST", "/v1/check", aliceKey, check); code != http.StatusOK {
		t.Fatalf("check: %d %s", code, b)
	}
	// A plan that breaks rules, checked; an instance that is wrong,
	// validated: their problems name ids and fields.
	var plan roster.Plan
	if err := json.Unmarshal(job.Plan, &plan); err != nil {
		t.Fatal(err)
	}
	if len(plan.Rounds) > 1 {
		plan.Rounds[1].Carer = plan.Rounds[0].Carer
	}
	pb, _ := json.Marshal(plan)
	check, _ = json.Marshal(map[string]json.RawMessage{"instance": week, "plan": pb})
	_, _, answers := f.do(t, "POST", "/v1/check", aliceKey, check)
	broken := strings.Replace(string(week), `"mode": "walk"`, `"mode": "bike"`, 1)
	broken = strings.Replace(broken, `"mode":"walk"`, `"mode":"bike"`, 1)
	code, _, vb := f.do(t, "POST", "/v1/validate", aliceKey, []byte(broken))
	if code != http.StatusBadRequest {
		t.Errorf("a wrong instance validated: %d", code)
	}
	answers = append(answers, vb...)
	// Bad imports: a time that is not one, a postcode not in the file, an
	// address not on the map.
	bad := map[string]string{}
	for k, v := range files {
		bad[k] = v
	}
	bad["care"] = strings.Replace(bad["care"], "07:30,45", "25:99,45", 1)
	rows, err := csv.NewReader(strings.NewReader(files["clients"])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows[1:] {
		if r[3] != "" {
			secrets = append(secrets, r[3]) // the postcode
		}
		switch {
		case r[3] != "" && !strings.Contains(bad["clients"], "RU8 8XX"):
			// A postcode not in the file.
			bad["clients"] = strings.Replace(bad["clients"], r[3], "RU8 8XX", 1)
			secrets = append(secrets, "RU8 8XX")
		case r[4] == "" && r[3] == "" && !strings.Contains(bad["clients"], "999 "):
			// An address not on the map.
			bad["clients"] = strings.Replace(bad["clients"], r[2], "999 "+r[2][strings.Index(r[2], " ")+1:], 1)
		}
	}
	ct, body = form(t, bad, map[string]string{"start": "2026-11-23", "days": "7"})
	code, _, ib := f.send(t, "POST", "/v1/import", ct, aliceKey, body)
	if code != http.StatusBadRequest {
		t.Fatalf("a bad import: %d %s", code, ib)
	}
	answers = append(answers, ib...)
	_, _, metrics := f.do(t, "GET", "/metrics", opsKey, nil)
	if !bytes.Contains(metrics, []byte("rounds_http_request_duration_seconds")) || !bytes.Contains(logs.Bytes(), []byte("/v1/import")) {
		t.Fatalf("no metrics or no logs to look in:\n%s\n%s", metrics, logs.String())
	}
	for _, where := range []struct {
		name string
		text []byte
	}{{"the logs", logs.Bytes()}, {"the metrics", metrics}, {"the problems answered", answers}} {
		for _, s := range secrets {
			if bytes.Contains(where.text, []byte(s)) {
				t.Errorf("%s hold %q", where.name, s)
			}
		}
		if bytes.Contains(where.text, []byte("Rutham")) {
			t.Errorf("%s hold the town's name", where.name)
		}
	}
}
