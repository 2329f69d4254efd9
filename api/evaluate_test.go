package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/rounds-dev/rounds/api/jobs"
	"github.com/rounds-dev/rounds/roster"
)

// evaluateAnswer is /v1/evaluate's answer.
type evaluateAnswer struct {
	Plan       roster.Plan        `json:"plan"`
	Violations []roster.Violation `json:"violations"`
}

// solvedSmallDay solves testdata/small_day.json through the API and
// returns the instance's JSON and the plan.
func solvedSmallDay(t *testing.T, f *fixture) ([]byte, *roster.Plan) {
	t.Helper()
	day := readFile(t, "../testdata/small_day.json")
	code, _, b := f.do(t, "POST", "/v1/jobs?time_limit=1s&wait=20s", aliceKey, day)
	if code != http.StatusOK {
		t.Fatalf("solve: %d %s", code, b)
	}
	var job jobs.Job
	if err := json.Unmarshal(b, &job); err != nil || job.Status != jobs.Done {
		t.Fatalf("solve: %v, %s", err, b)
	}
	plan, err := roster.DecodePlan(bytes.NewReader(job.Plan))
	if err != nil {
		t.Fatal(err)
	}
	return day, plan
}

// rotaOf is plan's rounds as the board sends them: carer, date, shift and
// visits in order.
func rotaOf(plan *roster.Plan) []roster.SkeletonRound {
	var out []roster.SkeletonRound
	for _, r := range plan.Rounds {
		sr := roster.SkeletonRound{Carer: r.Carer, Date: r.Date, Shift: r.Shift, Visits: []roster.SkeletonStop{}}
		for _, st := range r.Stops {
			sr.Visits = append(sr.Visits, roster.SkeletonStop{Visit: st.Visit})
		}
		out = append(out, sr)
	}
	return out
}

func (f *fixture) evaluate(t *testing.T, day []byte, rounds any) (int, http.Header, []byte) {
	t.Helper()
	r, err := json.Marshal(rounds)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := json.Marshal(map[string]json.RawMessage{"instance": day, "rounds": r})
	return f.do(t, "POST", "/v1/evaluate", aliceKey, req)
}

// TestEvaluateUnchangedPlan: a solved plan sent back as it stands comes
// back with the solve's times and figures and no violation.
func TestEvaluateUnchangedPlan(t *testing.T) {
	f := newFixture(t, jobs.NewMemory(8, time.Hour), false)
	day, solved := solvedSmallDay(t, f)
	code, _, b := f.evaluate(t, day, rotaOf(solved))
	if code != http.StatusOK {
		t.Fatalf("evaluate: %d %s", code, b)
	}
	var ans evaluateAnswer
	if err := json.Unmarshal(b, &ans); err != nil {
		t.Fatal(err)
	}
	if len(ans.Violations) > 0 {
		t.Fatalf("%d violations: %v", len(ans.Violations), ans.Violations)
	}
	for _, part := range []struct {
		name      string
		want, got any
	}{{"rounds", solved.Rounds, ans.Plan.Rounds}, {"kpis", solved.KPIs, ans.Plan.KPIs}, {"travel", solved.Travel, ans.Plan.Travel}} {
		w, _ := json.Marshal(part.want)
		g, _ := json.Marshal(part.got)
		if !bytes.Equal(w, g) {
			t.Errorf("%s differ:\nsolve    %s\nevaluate %s", part.name, w, g)
		}
	}
}

// TestEvaluateDragWithoutSkill: a visit dragged to a carer without the
// skill it needs is timed, and the violation is at its stop in the round
// as the request orders them.
func TestEvaluateDragWithoutSkill(t *testing.T) {
	f := newFixture(t, jobs.NewMemory(8, time.Hour), false)
	day, solved := solvedSmallDay(t, f)
	rota := rotaOf(solved)
	// V01 needs medication, which K3 lacks.
	for i := range rota {
		rota[i].Visits = slices.DeleteFunc(rota[i].Visits, func(s roster.SkeletonStop) bool { return s.Visit == "V01" })
	}
	slices.Reverse(rota)
	k3 := slices.IndexFunc(rota, func(r roster.SkeletonRound) bool { return r.Carer == "K3" })
	if k3 < 0 {
		rota = append(rota, roster.SkeletonRound{Carer: "K3"})
		k3 = len(rota) - 1
	}
	rota[k3].Visits = append([]roster.SkeletonStop{{Visit: "V01"}}, rota[k3].Visits...)
	code, _, b := f.evaluate(t, day, rota)
	if code != http.StatusOK {
		t.Fatalf("evaluate: %d %s", code, b)
	}
	var ans evaluateAnswer
	if err := json.Unmarshal(b, &ans); err != nil {
		t.Fatal(err)
	}
	if got := ans.Plan.Rounds[k3]; got.Carer != "K3" || got.Stops[0].Visit != "V01" {
		t.Fatalf("rounds[%d] is %s starting with %s; want K3's with V01 first", k3, got.Carer, got.Stops[0].Visit)
	}
	want := fmt.Sprintf("rounds[%d].stops[0]", k3)
	found := false
	for _, v := range ans.Violations {
		found = found || (v.Code == "skill" && v.Path == want)
	}
	if !found {
		t.Fatalf("no skill violation at %s: %v", want, ans.Violations)
	}
}

// TestEvaluateMalformedRota: a rota that cannot be read against the
// instance is a 400 naming the field in the request.
func TestEvaluateMalformedRota(t *testing.T) {
	f := newFixture(t, jobs.NewMemory(8, time.Hour), true)
	day := readFile(t, "../testdata/small_day.json")
	visits := func(ids ...string) []map[string]string {
		var out []map[string]string
		for _, id := range ids {
			out = append(out, map[string]string{"visit": id})
		}
		return out
	}
	for _, c := range []struct {
		name   string
		rounds any
		path   string
	}{
		{"unknown visit", []map[string]any{{"carer": "K1", "shift": 0, "visits": visits("V02")}, {"carer": "K2", "shift": 0, "visits": visits("V04")}, {"carer": "K3", "shift": 0, "visits": visits("V03", "V99")}}, "rounds[2].visits[1].visit"},
		{"visit twice", []map[string]any{{"carer": "K1", "shift": 0, "visits": visits("V02")}, {"carer": "K2", "shift": 0, "visits": visits("V02")}}, "rounds[1].visits[0].visit"},
		{"unknown carer", []map[string]any{{"carer": "K9", "shift": 0, "visits": visits("V02")}}, "rounds[0].carer"},
		{"no such shift", []map[string]any{{"carer": "K1", "shift": 1, "visits": visits("V02")}}, "rounds[0].shift"},
		{"a time that is not one", []map[string]any{{"carer": "K1", "shift": 0, "visits": []map[string]string{{"visit": "V02", "start": "25:99"}}}}, "rounds[0].visits[0].start"},
		{"an unknown field", []map[string]any{{"carer": "K1", "shift": 0, "visits": visits("V02"), "colour": "red"}}, "rounds[0].colour"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, h, b := f.evaluate(t, day, c.rounds)
			p := problem(t, h, b, http.StatusBadRequest)
			if code != http.StatusBadRequest || len(p.Errors) == 0 || p.Errors[0].Path != c.path {
				t.Fatalf("%d %s; want a 400 at %s", code, b, c.path)
			}
		})
	}
}
