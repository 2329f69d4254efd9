package api

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/rounds-dev/rounds/api/jobs"
)

// TestOpenAPIDescribesAnswers sends real requests, good and bad, and
// validates each request and answer (status, content type, body) against
// the OpenAPI document.
func TestOpenAPIDescribesAnswers(t *testing.T) {
	ctx := context.Background()
	doc, err := openapi3.NewLoader().LoadFromData(openapiDoc)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(ctx); err != nil {
		t.Fatalf("the OpenAPI document is invalid: %v", err)
	}
	doc.Servers = openapi3.Servers{{URL: "http://rounds.test"}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, jobs.NewMemory(8, time.Hour), false)
	day := readFile(t, "../testdata/small_day.json")
	_, h, _ := f.do(t, "POST", "/v1/jobs?time_limit=300ms", aliceKey, day)
	job := h.Get("Location")
	f.waitDone(t, job, aliceKey, 20*time.Second)
	cases := []struct {
		method, path, key string
		body              []byte
	}{
		{"GET", "/healthz", "", nil},
		{"GET", "/readyz", "", nil},
		{"GET", "/metrics", aliceKey, nil},
		{"POST", "/v1/validate", aliceKey, day},
		{"POST", "/v1/validate", aliceKey, []byte(`{"visits": 3}`)},
		{"POST", "/v1/validate", "", day},
		{"POST", "/v1/jobs?time_limit=300ms&wait=20s", aliceKey, day},
		{"POST", "/v1/jobs?time_limit=forever", aliceKey, day},
		{"GET", job, aliceKey, nil},
		{"GET", job, bobKey, nil},
		{"DELETE", job, aliceKey, nil},
		{"POST", "/v1/matrix", aliceKey, []byte(`{"mode":"drive","locations":[{"lat":53.8,"lon":-1.9},{"lat":53.9,"lon":-1.8}]}`)},
		{"POST", "/v1/matrix", aliceKey, []byte(`{"mode":"fly","locations":[]}`)},
		{"POST", "/v1/check", aliceKey, []byte(`{"instance":{},"plan":{}}`)},
	}
	for _, c := range cases {
		code, hdr, body := f.do(t, c.method, c.path, c.key, c.body)
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
