package api

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/rounds-dev/rounds/api/jobs"
)

// TestPeriodNotYetPlanned: a period document is read and validated, but
// until the optimiser plans with its care, patterns and period, every
// endpoint refuses it by those fields rather than plan it without them.
func TestPeriodNotYetPlanned(t *testing.T) {
	f := newFixture(t, jobs.NewMemory(4, time.Hour), true)
	week := readFile(t, "../testdata/week_small.json")
	check, _ := json.Marshal(map[string]json.RawMessage{"instance": week, "plan": []byte(`{"rounds":[]}`)})
	for _, tt := range []struct{ path, first string }{
		{"/v1/validate", "period"}, {"/v1/jobs", "period"}, {"/v1/check", "instance.period"},
	} {
		body := week
		if tt.path == "/v1/check" {
			body = check
		}
		code, h, b := f.do(t, "POST", tt.path, aliceKey, body)
		p := problem(t, h, b, http.StatusBadRequest)
		if code != http.StatusBadRequest || len(p.Errors) == 0 || p.Errors[0].Path != tt.first {
			t.Errorf("%s: %d %+v, want 400 naming %s first", tt.path, code, p.Errors, tt.first)
		}
	}
}
