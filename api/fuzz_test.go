package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/rounds-dev/rounds/api/jobs"
	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/geo/matrixcache"
)

// FuzzRequests drives the request decoders of every endpoint that takes a
// body: whatever arrives, the answer is a success or a 4xx problem, never
// a panic or a 500.
func FuzzRequests(f *testing.F) {
	for _, s := range []string{
		`{}`, `[]`, `null`, ``, `{"visits":[{"id":"V1"}]}`, `{"mode":"walk","locations":[{"lat":1,"lon":2}]}`,
		`{"instance":{},"plan":{}}`, `{"instance":{},"plan":{},"changes":{"add_clients":[{"id":"C"}]}}`, `{"instance":{"carers":[{"id":"K1","shifts":[{"start":"25:00","end":"07:00"}]}]},"plan":{"rounds":[{}]}}`,
		`{"mode":"drive","locations":[{"lat":"x"}]}`, `{"date":"2026-11-24","time_zone":"Europe/London","carers":[],"clients":[],"visits":[]}`,
	} {
		f.Add(s)
	}
	sl, err := geo.NewStraightLine(nil)
	if err != nil {
		f.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	srv, err := New(Config{Jobs: jobs.NewMemory(4, time.Minute), Matrices: matrixcache.New(sl, matrixcache.Config{}), Registry: reg, MaxMatrixPoints: 50})
	if err != nil {
		f.Fatal(err)
	}
	h := srv.Handler()
	f.Fuzz(func(t *testing.T, body string) {
		for _, path := range []string{"/v1/validate", "/v1/check", "/v1/matrix", "/v1/jobs", "/v1/replan", "/v1/evaluate"} {
			req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			switch {
			case rec.Code >= 500:
				t.Fatalf("%s answered %d to %q: %s", path, rec.Code, body, rec.Body)
			case rec.Code >= 400 && rec.Header().Get("Content-Type") != "application/problem+json":
				t.Fatalf("%s answered %d without a problem body to %q", path, rec.Code, body)
			}
		}
	})
}
