package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/rounds-dev/rounds/api/jobs"
	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/optimiser"
	"github.com/rounds-dev/rounds/roster"
)

// TestOpenAPIDescribesAnswers sends real requests, good and bad, and
// validates each request and answer (status, content type, body) against
// the OpenAPI document.
func TestOpenAPIDescribesAnswers(t *testing.T) {
	ctx := context.Background()
	doc := loadOpenAPI(t)
	doc.Servers = openapi3.Servers{{URL: "http://rounds.test"}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, jobs.NewMemory(8, time.Hour), false)
	day := readFile(t, "../testdata/small_day.json")
	week := readFile(t, "../testdata/week_small.json")
	_, h, _ := f.do(t, "POST", "/v1/jobs?time_limit=300ms", aliceKey, day)
	job := h.Get("Location")
	done := f.waitDone(t, job, aliceKey, 20*time.Second)
	if done.Status != jobs.Done || len(done.Plan) == 0 {
		t.Fatalf("the job ended %s without a plan: %s", done.Status, done.Error)
	}
	// The plan the service wrote goes back as a request body: to the
	// checker, and to a re-plan with a visit cancelled.
	checkBody, err := json.Marshal(map[string]json.RawMessage{"instance": day, "plan": done.Plan})
	if err != nil {
		t.Fatal(err)
	}
	replanBody, err := json.Marshal(map[string]any{"instance": json.RawMessage(day), "plan": done.Plan,
		"changes": map[string]any{"remove_visits": []string{"V01"}}})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := roster.DecodePlan(bytes.NewReader(done.Plan))
	if err != nil {
		t.Fatal(err)
	}
	evaluateBody, err := json.Marshal(map[string]any{"instance": json.RawMessage(day), "rounds": rotaOf(plan)})
	if err != nil {
		t.Fatal(err)
	}
	pinsBody, err := json.Marshal(map[string]any{"instance": json.RawMessage(day), "plan": done.Plan,
		"changes": map[string]any{"pins": []roster.Pin{{Visit: plan.Rounds[0].Stops[0].Visit, KeepTime: true}}}})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		method, path, key string
		body              []byte
		want              int
	}{
		{"GET", "/healthz", "", nil, 200},
		{"GET", "/readyz", "", nil, 200},
		{"GET", "/openapi.json", "", nil, 200},
		{"GET", "/metrics", aliceKey, nil, 403},
		{"GET", "/metrics", opsKey, nil, 200},
		{"POST", "/v1/validate", aliceKey, day, 200},
		{"POST", "/v1/validate", aliceKey, week, 200},
		{"POST", "/v1/jobs?time_limit=300ms&wait=20s", aliceKey, week, 200},
		{"POST", "/v1/validate", aliceKey, []byte(`{"visits": 3}`), 400},
		{"POST", "/v1/validate", "", day, 401},
		{"POST", "/v1/jobs?time_limit=300ms&wait=20s", aliceKey, day, 200},
		{"POST", "/v1/jobs?time_limit=forever", aliceKey, day, 400},
		{"GET", job, aliceKey, nil, 200},
		{"GET", job, bobKey, nil, 404},
		{"DELETE", job, aliceKey, nil, 200},
		{"POST", "/v1/matrix", aliceKey, []byte(`{"mode":"drive","locations":[{"lat":53.8,"lon":-1.9},{"lat":53.9,"lon":-1.8}]}`), 200},
		{"POST", "/v1/matrix", aliceKey, []byte(`{"mode":"fly","locations":[]}`), 400},
		{"POST", "/v1/check", aliceKey, []byte(`{"instance":{},"plan":{}}`), 400},
		{"POST", "/v1/check", aliceKey, checkBody, 200},
		{"POST", "/v1/replan?time_limit=300ms&wait=20s", aliceKey, replanBody, 200},
		{"POST", "/v1/replan?time_limit=300ms&wait=20s", aliceKey, pinsBody, 200},
		{"POST", "/v1/evaluate", aliceKey, evaluateBody, 200},
		{"POST", "/v1/evaluate", aliceKey, []byte(`{"instance":{},"rounds":[]}`), 400},
	}
	for _, c := range cases {
		code, hdr, body := f.do(t, c.method, c.path, c.key, c.body)
		if code != c.want {
			t.Errorf("%s %s: answer %d, want %d: %s", c.method, c.path, code, c.want, body)
		}
		req, _ := http.NewRequest(c.method, "http://rounds.test"+c.path, bytes.NewReader(c.body))
		req.Header.Set("Content-Type", "application/json")
		if c.key != "" {
			req.Header.Set("Authorization", "Bearer "+c.key)
		}
		route, params, err := router.FindRoute(req)
		if err != nil {
			t.Errorf("%s %s: not in the document: %v", c.method, c.path, err)
			continue
		}
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
		if code < 400 {
			if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
				t.Errorf("%s %s: request does not match the document: %v", c.method, c.path, err)
			}
		}
		out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: code, Header: hdr,
			Options: &openapi3filter.Options{IncludeResponseStatus: true}}
		out.SetBodyBytes(body)
		if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
			t.Errorf("%s %s: answer %d does not match the document: %v", c.method, c.path, code, err)
		}
	}
}

// loadOpenAPI parses the served OpenAPI document and checks it against
// the OpenAPI 3 specification.
func loadOpenAPI(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(openapiDoc)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the OpenAPI document is invalid: %v", err)
	}
	return doc
}

// openapiSchema returns the named component schema of the document.
func openapiSchema(t *testing.T, doc *openapi3.T, name string) *openapi3.Schema {
	t.Helper()
	ref, ok := doc.Components.Schemas[name]
	if !ok || ref.Value == nil {
		t.Fatalf("the OpenAPI document has no schema %s", name)
	}
	return ref.Value
}

// jsonValue decodes JSON as the schema validator reads it.
func jsonValue(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// testdataInstances lists the repository's instances, testdata/*.json,
// days and periods alike: the service plans them all.
func testdataInstances(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../testdata/*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no instances in ../testdata")
	}
	return files
}

// TestOpenAPIInstanceSchemaAcceptsTestdata validates every instance in
// testdata, and the schema's own example, each one the decoder accepts,
// against the Instance schema, so that a client generated from the
// document can send them.
func TestOpenAPIInstanceSchemaAcceptsTestdata(t *testing.T) {
	schema := openapiSchema(t, loadOpenAPI(t), "Instance")
	example, err := json.Marshal(schema.Example)
	if err != nil || schema.Example == nil {
		t.Fatalf("the Instance schema has no example to check (%v)", err)
	}
	type instance struct {
		name string
		json []byte
	}
	instances := []instance{{"the schema's example", example}}
	for _, file := range testdataInstances(t) {
		instances = append(instances, instance{filepath.Base(file), readFile(t, file)})
	}
	for _, in := range instances {
		b := in.json
		t.Run(in.name, func(t *testing.T) {
			if _, err := roster.DecodeInstance(bytes.NewReader(b)); err != nil {
				t.Fatalf("the decoder refuses a testdata instance: %v", err)
			}
			if err := schema.VisitJSON(jsonValue(t, b), openapi3.MultiErrors()); err != nil {
				t.Errorf("does not match the Instance schema: %v", err)
			}
		})
	}
}

// TestOpenAPIInstanceSchemaRefusesWhatTheDecoderRefuses changes one field
// of the example day at a time in a way the decoder refuses, and expects
// the Instance schema to refuse it too: the schema's required fields,
// enums, patterns and ranges are the decoder's.
func TestOpenAPIInstanceSchemaRefusesWhatTheDecoderRefuses(t *testing.T) {
	schema := openapiSchema(t, loadOpenAPI(t), "Instance")
	example := readFile(t, "../testdata/example_day.json")
	cases := []struct {
		name   string
		change func(in map[string]any)
	}{
		{"date missing", func(in map[string]any) { delete(in, "date") }},
		{"date not YYYY-MM-DD", func(in map[string]any) { in["date"] = "24/11/2026" }},
		{"timezone missing", func(in map[string]any) { delete(in, "timezone") }},
		{"date and period", func(in map[string]any) { in["period"] = map[string]any{"start": "2026-11-24", "days": 7.0} }},
		{"period of 29 days", func(in map[string]any) {
			delete(in, "date")
			in["period"] = map[string]any{"start": "2026-11-24", "days": 29.0}
		}},
		{"shifts and pattern", func(in map[string]any) {
			carer(in, 0)["pattern"] = map[string]any{"mon": []any{map[string]any{"start": "07:00", "end": "12:00"}}}
		}},
		{"unknown weekday in a pattern", func(in map[string]any) {
			delete(carer(in, 0), "shifts")
			carer(in, 0)["pattern"] = map[string]any{"monday": []any{}}
		}},
		{"contract past a week", func(in map[string]any) { carer(in, 0)["contract"] = map[string]any{"max_hours": 170.0} }},
		{"max_carers negative", func(in map[string]any) { list(in, "clients", 0)["max_carers"] = -1.0 }},
		{"rules.min_daily_rest_h of a day", func(in map[string]any) { in["rules"] = map[string]any{"min_daily_rest_h": 24.0} }},
		{"no carers", func(in map[string]any) { in["carers"] = []any{} }},
		{"unknown top-level field", func(in map[string]any) { in["notes"] = "x" }},
		{"unknown carer field", func(in map[string]any) { carer(in, 0)["van"] = true }},
		{"unknown travel mode", func(in map[string]any) { carer(in, 0)["mode"] = "bike" }},
		{"carer without shifts", func(in map[string]any) { carer(in, 0)["shifts"] = []any{} }},
		{"shift end past 48:00", func(in map[string]any) { shift(in, 0, 0)["end"] = "48:01" }},
		{"shift start not a time", func(in map[string]any) { shift(in, 0, 0)["start"] = "7am" }},
		{"minutes past 59", func(in map[string]any) { shift(in, 0, 0)["start"] = "07:60" }},
		{"latitude past 90", func(in map[string]any) { carer(in, 0)["start"].(map[string]any)["lat"] = 91.0 }},
		{"longitude missing", func(in map[string]any) { delete(carer(in, 0)["start"].(map[string]any), "lon") }},
		{"gender unknown", func(in map[string]any) { carer(in, 0)["gender"] = "f" }},
		{"empty skill", func(in map[string]any) { carer(in, 0)["skills"] = []any{" "} }},
		{"max_working_min past 48 hours", func(in map[string]any) { carer(in, 0)["max_working_min"] = 2881.0 }},
		{"break of 0 minutes", func(in map[string]any) { carer(in, 0)["break"].(map[string]any)["duration_min"] = 0.0 }},
		{"capacity negative", func(in map[string]any) { carer(in, 0)["capacity"] = -1.0 }},
		{"client without location", func(in map[string]any) { delete(list(in, "clients", 0), "location") }},
		{"carer_gender other", func(in map[string]any) {
			list(in, "clients", 0)["preferences"] = map[string]any{"carer_gender": "other"}
		}},
		{"visit id blank", func(in map[string]any) { list(in, "visits", 0)["id"] = "  " }},
		{"duration_min not whole", func(in map[string]any) { list(in, "visits", 0)["duration_min"] = 30.5 }},
		{"duration_min a string", func(in map[string]any) { list(in, "visits", 0)["duration_min"] = "30" }},
		{"duration_min 0", func(in map[string]any) { list(in, "visits", 0)["duration_min"] = 0.0 }},
		{"duration_min past a day", func(in map[string]any) { list(in, "visits", 0)["duration_min"] = 1441.0 }},
		{"visit without windows", func(in map[string]any) { list(in, "visits", 0)["windows"] = []any{} }},
		{"window_type unknown", func(in map[string]any) { list(in, "visits", 0)["window_type"] = "firm" }},
		{"three carers", func(in map[string]any) { list(in, "visits", 0)["carers"] = 3.0 }},
		{"priority past 1000", func(in map[string]any) { list(in, "visits", 0)["priority"] = 1001.0 }},
		{"lateness_cost negative", func(in map[string]any) { list(in, "visits", 0)["lateness_cost"] = -1.0 }},
		{"dependency type unknown", func(in map[string]any) { list(in, "dependencies", 0)["type"] = "after" }},
		{"dependency without second", func(in map[string]any) { delete(list(in, "dependencies", 0), "second") }},
		{"travel speed 0", func(in map[string]any) {
			in["travel"] = map[string]any{"modes": map[string]any{"walk": map[string]any{"speed_kmh": 0.0, "detour": 1.3}}}
		}},
		{"detour under 1", func(in map[string]any) {
			in["travel"] = map[string]any{"modes": map[string]any{"walk": map[string]any{"speed_kmh": 4.5, "detour": 0.9}}}
		}},
		{"travel mode key unknown", func(in map[string]any) {
			in["travel"] = map[string]any{"modes": map[string]any{"bike": map[string]any{"speed_kmh": 14.0, "detour": 1.3}}}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := jsonValue(t, example).(map[string]any)
			c.change(in)
			b, err := json.Marshal(in)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := roster.DecodeInstance(bytes.NewReader(b)); err == nil {
				t.Fatal("the decoder accepts the changed instance; the case tests nothing")
			}
			if err := schema.VisitJSON(jsonValue(t, b)); err == nil {
				t.Error("the Instance schema accepts an instance the decoder refuses")
			}
		})
	}
}

// list returns element i of the array field of in.
func list(in map[string]any, field string, i int) map[string]any {
	return in[field].([]any)[i].(map[string]any)
}

// carer returns carer i of in.
func carer(in map[string]any, i int) map[string]any { return list(in, "carers", i) }

// shift returns shift j of carer i of in.
func shift(in map[string]any, i, j int) map[string]any {
	return carer(in, i)["shifts"].([]any)[j].(map[string]any)
}

// TestOpenAPIPlanSchemaAcceptsOptimiserPlans solves every testdata
// instance briefly and validates the plan the optimiser writes against the
// Plan schema, then checks that the schema refuses broken copies of it.
func TestOpenAPIPlanSchemaAcceptsOptimiserPlans(t *testing.T) {
	schema := openapiSchema(t, loadOpenAPI(t), "Plan")
	var sample []byte
	for _, file := range testdataInstances(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			in, err := roster.DecodeInstance(bytes.NewReader(readFile(t, file)))
			if err != nil {
				t.Fatal(err)
			}
			travel, err := geo.TravelFor(context.Background(), nil, in)
			if err != nil {
				t.Fatal(err)
			}
			// A few hundred iterations give rounds, stops and, on the
			// larger days, unassigned visits: every part of a plan.
			plan, err := optimiser.Solve(context.Background(), in, travel, optimiser.Options{Seed: 1, Iterations: 200, Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.Marshal(plan)
			if err != nil {
				t.Fatal(err)
			}
			if err := schema.VisitJSON(jsonValue(t, b), openapi3.MultiErrors()); err != nil {
				t.Errorf("the optimiser's plan does not match the Plan schema: %v", err)
			}
			if filepath.Base(file) == "example_day.json" {
				sample = b
			}
		})
	}
	if sample == nil {
		t.Fatal("no plan of testdata/example_day.json to break")
	}
	broken := []struct {
		name   string
		change func(p map[string]any)
	}{
		{"rounds not a list", func(p map[string]any) { p["rounds"] = "none" }},
		{"unknown field", func(p map[string]any) { p["score"] = 1.0 }},
		{"reason not a code", func(p map[string]any) {
			p["unassigned"] = []any{map[string]any{"visit": "OT101-am", "reason": "busy", "detail": "x"}}
		}},
		{"round without stops", func(p map[string]any) { p["rounds"].([]any)[0].(map[string]any)["stops"] = []any{} }},
		{"departure not a time", func(p map[string]any) { p["rounds"].([]any)[0].(map[string]any)["departure"] = 25200.0 }},
		{"negative travel", func(p map[string]any) {
			p["rounds"].([]any)[0].(map[string]any)["stops"].([]any)[0].(map[string]any)["travel_s"] = -1.0
		}},
		{"travel share above 1", func(p map[string]any) { p["kpis"].(map[string]any)["travel_share"] = 1.5 }},
	}
	for _, c := range broken {
		t.Run(c.name, func(t *testing.T) {
			p := jsonValue(t, sample).(map[string]any)
			c.change(p)
			if err := schema.VisitJSON(p); err == nil {
				t.Error("the Plan schema accepts a broken plan")
			}
		})
	}
}

// openapiLintDir holds the npm manifest that pins the linter; .ci/run
// installs it there with npm ci.
const openapiLintDir = "openapi-lint"

// lintReport is the part of Redocly's --format json output the test reads.
type lintReport struct {
	Totals struct {
		Errors   int `json:"errors"`
		Warnings int `json:"warnings"`
	} `json:"totals"`
	Problems []struct {
		RuleID   string `json:"ruleId"`
		Severity string `json:"severity"`
		Message  string `json:"message"`
		Location []struct {
			Pointer string `json:"pointer"`
		} `json:"location"`
	} `json:"problems"`
}

// TestOpenAPILint runs an independent linter, Redocly's CLI with its
// recommended rules (openapi-lint/redocly.yaml), on the document and wants
// neither errors nor warnings. It first lints a copy with a known fault,
// so that a linter which reports nothing cannot pass. Without the linter
// installed the test fails under CI=true and is skipped, loudly, elsewhere.
func TestOpenAPILint(t *testing.T) {
	bin, err := filepath.Abs(filepath.Join(openapiLintDir, "node_modules", ".bin", "redocly"))
	if err != nil {
		t.Fatal(err)
	}
	_, nodeErr := exec.LookPath("node")
	if _, err := os.Stat(bin); err != nil || nodeErr != nil {
		msg := "the OpenAPI linter is not installed: api/openapi.json was NOT linted. " +
			"Install it with `npm ci --prefix api/openapi-lint` (node 20.19 or later); .ci/run does."
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip("SKIPPED: " + msg)
	}
	faulty := jsonValue(t, openapiDoc).(map[string]any)
	delete(faulty["info"].(map[string]any), "license")
	delete(faulty["paths"].(map[string]any)["/healthz"].(map[string]any)["get"].(map[string]any), "security")
	fb, err := json.Marshal(faulty)
	if err != nil {
		t.Fatal(err)
	}
	faultyFile := filepath.Join(t.TempDir(), "openapi.json")
	if err := os.WriteFile(faultyFile, fb, 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name      string
		file      string
		wantRules []string
	}{
		{"the served document", "openapi.json", nil},
		{"a copy without licence or public security", faultyFile, []string{"info-license", "security-defined"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep := runLinter(t, bin, c.file)
			var got []string
			for _, p := range rep.Problems {
				got = append(got, p.RuleID)
				if c.wantRules == nil {
					where := ""
					if len(p.Location) > 0 {
						where = p.Location[0].Pointer
					}
					t.Errorf("%s %s at %s: %s", p.Severity, p.RuleID, where, p.Message)
				}
			}
			if c.wantRules == nil {
				if rep.Totals.Errors+rep.Totals.Warnings != 0 {
					t.Errorf("the linter counts %d errors and %d warnings", rep.Totals.Errors, rep.Totals.Warnings)
				}
				return
			}
			slices.Sort(got)
			if !slices.Equal(got, c.wantRules) {
				t.Errorf("the linter reports %v, want %v", got, c.wantRules)
			}
		})
	}
}

// runLinter lints file with the Redocly CLI at bin and returns its report.
func runLinter(t *testing.T, bin, file string) lintReport {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "lint", "--config", filepath.Join(openapiLintDir, "redocly.yaml"), "--format", "json", file)
	// No telemetry and no update check: tests run without the network.
	cmd.Env = append(os.Environ(), "REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true", "NO_COLOR=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// The linter exits 1 when it finds errors; the report says which.
	runErr := cmd.Run()
	var rep lintReport
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("the linter gave no report (%v): %v\n%s", runErr, err, stderr.String())
	}
	return rep
}

// publicRoutes answer without an API key.
var publicRoutes = map[string]bool{"/healthz": true, "/readyz": true, "/openapi.json": true}

// TestOpenAPIDocumentsRefusals holds the document to the refusals the
// service makes, operation by operation: problems for a wrong method,
// media type, size, rate, or an unreachable job store, and which routes
// need a key.
func TestOpenAPIDocumentsRefusals(t *testing.T) {
	doc := loadOpenAPI(t)
	type operation struct {
		path, method string
		op           *openapi3.Operation
	}
	var ops []operation
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			ops = append(ops, operation{path, method, op})
		}
	}
	if len(ops) == 0 {
		t.Fatal("the document has no operations")
	}
	authed := func(o operation) bool { return !publicRoutes[o.path] }
	post := func(o operation) bool { return o.method == http.MethodPost }
	jobRoute := func(o operation) bool {
		return o.path == "/v1/jobs" || o.path == "/v1/jobs/{id}" || o.path == "/v1/replan" ||
			o.path == "/v1/localities/evaluate" || o.path == "/v1/localities/propose"
	}
	cases := []struct {
		name    string
		applies func(operation) bool
		status  int
		header  string // a header the answer always carries
		mention string // what the description must name
	}{
		{"a wrong method is a 405 with Allow", func(operation) bool { return true }, 405, "Allow", ""},
		{"a body that is not JSON is a 415", post, 415, "", "/problems/unsupported-media-type"},
		{"an instance over the size limits is a 413", post, 413, "", "/problems/too-large"},
		{"a missing or unknown key is a 401", authed, 401, "", ""},
		{"too many requests or failed keys is a 429 with Retry-After", authed, 429, "Retry-After", "failed authentication"},
		{"an unreachable job store is a 503", jobRoute, 503, "", "job store"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := 0
			for _, o := range ops {
				if !c.applies(o) {
					continue
				}
				n++
				r := o.op.Responses.Status(c.status)
				if r == nil || r.Value == nil {
					t.Errorf("%s %s: no %d answer", o.method, o.path, c.status)
					continue
				}
				if r.Value.Content.Get("application/problem+json") == nil {
					t.Errorf("%s %s: the %d answer is not a problem", o.method, o.path, c.status)
				}
				if c.header != "" {
					if h := r.Value.Headers[c.header]; h == nil || h.Value == nil || !h.Value.Required {
						t.Errorf("%s %s: the %d answer does not always carry %s", o.method, o.path, c.status, c.header)
					}
				}
				if c.mention != "" && !strings.Contains(*r.Value.Description, c.mention) {
					t.Errorf("%s %s: the %d answer does not mention %q: %s", o.method, o.path, c.status, c.mention, *r.Value.Description)
				}
			}
			if n == 0 {
				t.Error("no operation to hold to the rule")
			}
		})
	}
	t.Run("public routes need no key, the others one", func(t *testing.T) {
		for _, o := range ops {
			switch {
			case publicRoutes[o.path] && (o.op.Security == nil || len(*o.op.Security) != 0):
				t.Errorf("%s %s: public, but not declared security: []", o.method, o.path)
			case !publicRoutes[o.path] && (o.op.Security == nil || len(*o.op.Security) == 0):
				t.Errorf("%s %s: needs a key, but declares no security", o.method, o.path)
			}
		}
	})
	t.Run("the licence is Apache-2.0", func(t *testing.T) {
		if l := doc.Info.License; l == nil || l.Name != "Apache-2.0" || l.URL == "" {
			t.Errorf("licence %+v, want Apache-2.0 (its SPDX identifier) with its URL", l)
		}
	})
	t.Run("readyz does not promise work from memory", func(t *testing.T) {
		op := doc.Paths.Value("/readyz").Get
		if text := op.Summary + " " + op.Description; strings.Contains(text, "works from memory") || !strings.Contains(text, "503") {
			t.Errorf("readyz says %q; want job routes answering 503 while Redis is down", text)
		}
	})
}
