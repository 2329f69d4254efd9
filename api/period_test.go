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
// (testdata/invalid/periods.json) gets a 400 problem naming its field, from
// the jobs and validate endpoints alike.
func TestBadPeriods(t *testing.T) {
	cases, err := badperiods.Read("../testdata/invalid/periods.json")
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

// TestPeriodReplanChanges: a planned week re-planned through /v1/replan
// after a week's changes (a carer off from Thursday, a client away Tuesday
// and Wednesday, a new package from Friday) with Monday frozen: the job's
// plan passes the checker and the re-plan check, keeps the changes, and
// lists who it affects.
func TestPeriodReplanChanges(t *testing.T) {
	f := newFixture(t, jobs.NewMemory(8, time.Hour), false)
	week := readFile(t, "../testdata/week_small.json")
	in, err := roster.DecodeInstance(bytes.NewReader(week))
	if err != nil {
		t.Fatal(err)
	}
	code, _, b := f.do(t, "POST", "/v1/jobs?time_limit=500ms&wait=20s&seed=1", aliceKey, week)
	var job jobs.Job
	if json.Unmarshal(b, &job); code != http.StatusOK || job.Status != jobs.Done {
		t.Fatalf("job: %d %s", code, b)
	}
	prev, err := roster.DecodePlan(bytes.NewReader(job.Plan))
	if err != nil {
		t.Fatal(err)
	}
	changes := []byte(`{
		"carers_off": [{"carer": "K1", "from": "2026-11-26"}],
		"clients_away": [{"client": "C3", "from": "2026-11-24", "to": "2026-11-25"}],
		"add_care": [{"id": "C5-lunch", "client": "C5", "duration_min": 30, "days": "daily",
			"windows": [{"start": "12:00", "end": "13:30"}], "from": "2026-11-27"}],
		"freeze_before": "2026-11-24T06:00"}`)
	var ch roster.Changes
	if err := roster.DecodeStrict(changes, &ch); err != nil {
		t.Fatal(err)
	}
	req, _ := json.Marshal(map[string]json.RawMessage{"instance": week, "plan": job.Plan, "changes": changes})
	code, _, b = f.do(t, "POST", "/v1/replan?time_limit=500ms&wait=20s", aliceKey, req)
	var re jobs.Job
	if json.Unmarshal(b, &re); code != http.StatusOK || re.Status != jobs.Done {
		t.Fatalf("re-plan: %d %s", code, b)
	}
	plan, err := roster.DecodePlan(bytes.NewReader(re.Plan))
	if err != nil {
		t.Fatal(err)
	}
	changed, err := ch.Apply(in)
	if err != nil {
		t.Fatal(err)
	}
	freeze, _ := ch.Freeze(in)
	travel, _ := geo.TravelFor(context.Background(), nil, changed)
	if vs := roster.Check(changed, travel, plan); len(vs) > 0 {
		t.Fatalf("the re-plan breaks %d rules: %v", len(vs), vs[0])
	}
	if vs := roster.CheckReplan(changed, prev, plan, freeze); len(vs) > 0 {
		t.Fatalf("the re-plan breaks %d re-plan rules: %v", len(vs), vs[0])
	}
	lunches := 0
	for _, r := range plan.Rounds {
		if r.Carer == "K1" && r.Date >= "2026-11-26" {
			t.Errorf("K1, off from Thursday, has a round on %s", r.Date)
		}
		for _, st := range r.Stops {
			if st.Client == "C3" && (r.Date == "2026-11-24" || r.Date == "2026-11-25") {
				t.Errorf("C3, away, has %s", st.Visit)
			}
			if strings.HasPrefix(st.Visit, "C5-lunch@") {
				lunches++
			}
		}
	}
	if lunches == 0 {
		t.Error("the new package is not served")
	}
	if plan.Affected == nil || len(plan.Affected.Clients) == 0 {
		t.Fatalf("the re-plan lists no one affected: %s", re.Plan)
	}
	hasClient := func(id string) bool {
		for _, c := range plan.Affected.Clients {
			if c.Client == id {
				return true
			}
		}
		return false
	}
	if !hasClient("C3") || !hasClient("C5") {
		t.Errorf("C3 (away) and C5 (new package) are not both among the affected: %+v", plan.Affected.Clients)
	}
}

// TestPeriodReplanBadChanges: a change at fault is a 400 naming its field.
func TestPeriodReplanBadChanges(t *testing.T) {
	f := newFixture(t, jobs.NewMemory(8, time.Hour), false)
	week := readFile(t, "../testdata/week_small.json")
	// A plan of the week with K1 at C1's Monday breakfast, which a freeze
	// on Monday at 10:00 keeps.
	plan := []byte(`{"instance": "Small hand-made week", "rounds": [{"carer": "K1", "date": "2026-11-23", "shift": 0, "mode": "drive",
		"departure": "07:20", "stops": [{"visit": "C1-breakfast@2026-11-23", "client": "C1", "arrival": "07:30", "start": "07:30", "end": "08:15",
		"travel_s": 0, "distance_m": 0, "waiting_s": 0}], "return": "08:30", "return_travel_s": 0, "return_distance_m": 0}], "unassigned": []}`)
	for _, tt := range []struct {
		name, changes, path, reason string
	}{
		{"unknown carer off", `{"carers_off": [{"carer": "K9", "from": "2026-11-25"}]}`, "changes.carers_off[0].carer", `no carer "K9"`},
		{"carer off outside the period", `{"carers_off": [{"carer": "K1", "from": "2026-12-02"}]}`, "changes.carers_off[0].from", "outside the period"},
		{"client away outside the period", `{"clients_away": [{"client": "C1", "from": "2026-11-24", "to": "2026-12-02"}]}`, "changes.clients_away[0].to", "outside the period"},
		{"freeze not a time", `{"freeze_before": "Monday morning"}`, "changes.freeze_before", "not a time"},
		{"unknown field", `{"carers_off": [{"carer": "K1", "date": "2026-11-25"}]}`, "changes.carers_off[0].date", "unknown field"},
		{"package starting outside the period", `{"add_care": [{"id": "N", "client": "C5", "duration_min": 30, "days": "daily", "time": "12:00", "from": "2026-12-01"}]}`,
			"changes.add_care[0].from", "outside the period"},
		{"carer off on a frozen day", `{"carers_off": [{"carer": "K1", "from": "2026-11-23"}], "freeze_before": "2026-11-23T10:00"}`,
			"changes.carers_off[0].from", "before freeze_before"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := json.Marshal(map[string]json.RawMessage{"instance": week, "plan": plan, "changes": json.RawMessage(tt.changes)})
			code, h, b := f.do(t, "POST", "/v1/replan", aliceKey, req)
			p := problem(t, h, b, http.StatusBadRequest)
			if code != http.StatusBadRequest {
				t.Fatalf("%d %s", code, b)
			}
			for _, e := range p.Errors {
				if e.Path == tt.path && strings.Contains(e.Reason, tt.reason) {
					return
				}
			}
			t.Errorf("no problem at %s with %q: %+v", tt.path, tt.reason, p.Errors)
		})
	}
}
