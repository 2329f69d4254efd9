package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rounds-dev/rounds/api/jobs"
	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/internal/badperiods"
	"github.com/rounds-dev/rounds/roster"
)

// TestPeriodEndpoints: a week is validated (its visits counted expanded),
// planned by a job into a dated plan the checker passes, checked by
// /v1/check, and re-planned from that plan with a carer off.
func TestPeriodEndpoints(t *testing.T) {
	f := newFixture(t, jobs.NewMemory(8, time.Hour), false)
	week := readFile(t, "../testdata/week_small.json")
	in, err := roster.DecodeInstance(bytes.NewReader(week))
	if err != nil {
		t.Fatal(err)
	}
	x, err := roster.Expand(in)
	if err != nil {
		t.Fatal(err)
	}
	travel, err := geo.TravelFor(context.Background(), nil, in)
	if err != nil {
		t.Fatal(err)
	}

	code, _, b := f.do(t, "POST", "/v1/validate", aliceKey, week)
	var v struct {
		Valid  bool `json:"valid"`
		Visits int  `json:"visits"`
	}
	if json.Unmarshal(b, &v); code != http.StatusOK || !v.Valid || v.Visits != len(x.Instance.Visits) {
		t.Fatalf("validate: %d %s; want valid with %d visits", code, b, len(x.Instance.Visits))
	}

	code, _, b = f.do(t, "POST", "/v1/jobs?time_limit=500ms&wait=20s", aliceKey, week)
	var job jobs.Job
	if json.Unmarshal(b, &job); code != http.StatusOK || job.Status != jobs.Done {
		t.Fatalf("job: %d %s", code, b)
	}
	plan, err := roster.DecodePlan(bytes.NewReader(job.Plan))
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Rounds) == 0 || plan.Rounds[0].Date == "" || plan.PeriodKPIs == nil {
		t.Fatalf("the plan is not of the period: %s", job.Plan)
	}
	if vs := roster.Check(in, travel, plan); len(vs) > 0 {
		t.Fatalf("the job's plan breaks %d rules: %v", len(vs), vs[0])
	}

	req, _ := json.Marshal(map[string]json.RawMessage{"instance": week, "plan": job.Plan})
	code, _, b = f.do(t, "POST", "/v1/check", aliceKey, req)
	if code != http.StatusOK || !bytes.Contains(b, []byte(`"ok":true`)) {
		t.Fatalf("check: %d %s", code, b)
	}
	// A round moved to a date outside the period is the checker's to
	// report, not the service's to refuse.
	bad := strings.Replace(string(job.Plan), `"date":"2026-11-2`, `"date":"2026-12-2`, 1)
	req, _ = json.Marshal(map[string]json.RawMessage{"instance": week, "plan": json.RawMessage(bad)})
	code, _, b = f.do(t, "POST", "/v1/check", aliceKey, req)
	if code != http.StatusOK || !bytes.Contains(b, []byte(`"code":"date"`)) {
		t.Fatalf("check of a round dated outside the period: %d %s", code, b)
	}

	changes, _ := json.Marshal(roster.Changes{RemoveCarers: []string{"K4"}})
	req, _ = json.Marshal(map[string]json.RawMessage{"instance": week, "plan": job.Plan, "changes": changes})
	code, _, b = f.do(t, "POST", "/v1/replan?time_limit=500ms&wait=20s", aliceKey, req)
	var re jobs.Job
	if json.Unmarshal(b, &re); code != http.StatusOK || re.Status != jobs.Done {
		t.Fatalf("re-plan: %d %s", code, b)
	}
	replanned, err := roster.DecodePlan(bytes.NewReader(re.Plan))
	if err != nil {
		t.Fatal(err)
	}
	changed, _ := (&roster.Changes{RemoveCarers: []string{"K4"}}).Apply(in)
	travel2, _ := geo.TravelFor(context.Background(), nil, changed)
	if vs := roster.Check(changed, travel2, replanned); len(vs) > 0 {
		t.Fatalf("the re-plan breaks %d rules: %v", len(vs), vs[0])
	}
	for _, r := range replanned.Rounds {
		if r.Carer == "K4" {
			t.Fatal("the re-plan keeps the removed carer's rounds")
		}
	}
}

// TestPeriodNotPlanned: what neither the optimiser nor the checker keeps
// (recurring care in a one-day document) is a 400 at its field on every
// endpoint that reads an instance; no_waiting, which both keep, is taken.
func TestPeriodNotPlanned(t *testing.T) {
	f := newFixture(t, jobs.NewMemory(4, time.Hour), true)
	day := readFile(t, "../testdata/small_day.json")
	care := bytes.Replace(day, []byte(`"clients": [`),
		[]byte(`"care": [{"id": "C1-am", "client": "C1", "duration_min": 30, "days": "daily", "time": "08:00"}], "clients": [`), 1)
	if bytes.Equal(care, day) {
		t.Fatal("small_day.json has changed; the test cannot add care")
	}
	check, _ := json.Marshal(map[string]json.RawMessage{"instance": care, "plan": []byte(`{"rounds":[]}`)})
	for _, tt := range []struct {
		path string
		body []byte
		want string
	}{
		{"/v1/validate", care, "care"},
		{"/v1/jobs", care, "care"},
		{"/v1/check", check, "instance.care"},
	} {
		code, h, b := f.do(t, "POST", tt.path, aliceKey, tt.body)
		p := problem(t, h, b, http.StatusBadRequest)
		if code != http.StatusBadRequest || len(p.Errors) != 1 || p.Errors[0].Path != tt.want {
			t.Errorf("%s: %d %+v, want 400 naming %s", tt.path, code, p.Errors, tt.want)
		}
	}
	week := readFile(t, "../testdata/week_small.json")
	noWait := bytes.Replace(week, []byte(`"max_distinct_carers": 4,`), []byte(`"max_distinct_carers": 4, "no_waiting": true,`), 1)
	if bytes.Equal(noWait, week) {
		t.Fatal("week_small.json has changed; the test cannot set no_waiting")
	}
	if code, _, b := f.do(t, "POST", "/v1/validate", aliceKey, noWait); code != http.StatusOK {
		t.Errorf("/v1/validate with no_waiting: %d %s, want 200", code, b)
	}
}

// TestBadPeriods: each of the bad inputs to a period
// (testdata/bad_periods.json) gets a 400 problem naming its field, from
// the jobs and validate endpoints alike.
func TestBadPeriods(t *testing.T) {
	cases, err := badperiods.Read("../testdata/bad_periods.json")
	if err != nil {
		t.Fatal(err)
	}
	fx := newFixture(t, jobs.NewMemory(8, time.Hour), false)
	for _, tt := range cases {
		t.Run(tt.Name, func(t *testing.T) {
			for _, path := range []string{"/v1/jobs", "/v1/validate"} {
				code, h, b := fx.do(t, "POST", path, aliceKey, tt.Document)
				var p Problem
				if err := json.Unmarshal(b, &p); err != nil || code != http.StatusBadRequest || h.Get("Content-Type") != "application/problem+json" {
					t.Fatalf("%s: %d %s %s; want a 400 problem", path, code, h.Get("Content-Type"), b)
				}
				named := false
				for _, e := range p.Errors {
					named = named || e.Path == tt.Path
				}
				if !named {
					t.Errorf("%s: errors %v, want one at %s", path, p.Errors, tt.Path)
				}
			}
		})
	}
}
