package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/rounds-dev/rounds/api/jobs"
	"github.com/rounds-dev/rounds/geo"
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

// TestReplanWithPins: a visit dragged to another carer and pinned there
// stays with them when the rest is re-optimised, and the re-plan checks;
// a pin no plan could honour is a 400 naming it.
func TestReplanWithPins(t *testing.T) {
	f := newFixture(t, jobs.NewMemory(8, time.Hour), false)
	day, solved := solvedSmallDay(t, f)
	moved := func(visit, carer string) *roster.Plan {
		t.Helper()
		rota := rotaOf(solved)
		for i := range rota {
			rota[i].Visits = slices.DeleteFunc(rota[i].Visits, func(s roster.SkeletonStop) bool { return s.Visit == visit })
		}
		k := slices.IndexFunc(rota, func(r roster.SkeletonRound) bool { return r.Carer == carer })
		if k < 0 {
			rota = append(rota, roster.SkeletonRound{Carer: carer})
			k = len(rota) - 1
		}
		rota[k].Visits = append(rota[k].Visits, roster.SkeletonStop{Visit: visit})
		code, _, b := f.evaluate(t, day, rota)
		var ans evaluateAnswer
		if code != http.StatusOK || json.Unmarshal(b, &ans) != nil {
			t.Fatalf("evaluate: %d %s", code, b)
		}
		return &ans.Plan
	}
	replan := func(plan *roster.Plan, pins []roster.Pin, query string) (int, http.Header, []byte) {
		pb, _ := json.Marshal(plan)
		cb, _ := json.Marshal(roster.Changes{Pins: pins})
		req, _ := json.Marshal(map[string]json.RawMessage{"instance": day, "plan": pb, "changes": cb})
		return f.do(t, "POST", "/v1/replan"+query, aliceKey, req)
	}
	// V02 (no skill asked for) to whichever carer the solve did not give it.
	from := carersOf(solved)["V02"][0]
	to := "K1"
	if from == to {
		to = "K2"
	}
	byHand := moved("V02", to)
	pins := []roster.Pin{{Visit: "V02"}}
	code, _, b := replan(byHand, pins, "?time_limit=500ms&wait=20s")
	if code != http.StatusOK {
		t.Fatalf("re-plan: %d %s", code, b)
	}
	var job jobs.Job
	if err := json.Unmarshal(b, &job); err != nil || job.Status != jobs.Done {
		t.Fatalf("re-plan: %v %s", err, b)
	}
	plan, err := roster.DecodePlan(bytes.NewReader(job.Plan))
	if err != nil {
		t.Fatal(err)
	}
	in, _ := roster.DecodeInstance(bytes.NewReader(day))
	if got := carersOf(plan)["V02"]; !slices.Equal(got, []string{to}) {
		t.Fatalf("V02 went to %v; it is pinned to %s", got, to)
	}
	if vs := roster.CheckPins(in, byHand, plan, pins); len(vs) > 0 {
		t.Fatalf("pins broken: %v", vs)
	}
	travel := travelOf(t, in)
	if vs := roster.Check(in, travel, plan); len(vs) > 0 {
		t.Fatalf("the re-plan breaks %d rules: %v", len(vs), vs[0])
	}

	// V01 needs medication, which K3 lacks: pinned there, no plan can keep it.
	unskilled := moved("V01", "K3")
	for _, c := range []struct {
		name string
		plan *roster.Plan
		pins []roster.Pin
		path string
	}{
		{"unknown visit", byHand, []roster.Pin{{Visit: "V99"}}, "changes.pins[0].visit"},
		{"pinned twice", byHand, []roster.Pin{{Visit: "V02"}, {Visit: "V02", KeepTime: true}}, "changes.pins[1].visit"},
		{"a carer without the skill", unskilled, []roster.Pin{{Visit: "V02"}, {Visit: "V01"}}, "changes.pins[1]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, h, b := replan(c.plan, c.pins, "")
			p := problem(t, h, b, http.StatusBadRequest)
			if code != http.StatusBadRequest || len(p.Errors) == 0 || p.Errors[0].Path != c.path {
				t.Fatalf("%d %s; want a 400 at %s", code, b, c.path)
			}
		})
	}
}

// carersOf maps each visit plan serves to its carers, sorted.
func carersOf(plan *roster.Plan) map[string][]string {
	out := map[string][]string{}
	for _, r := range plan.Rounds {
		for _, st := range r.Stops {
			out[st.Visit] = append(out[st.Visit], r.Carer)
		}
	}
	for _, cs := range out {
		slices.Sort(cs)
	}
	return out
}

// travelOf is the travel the fixture's service gives in: straight lines.
func travelOf(t *testing.T, in *roster.Instance) roster.Travel {
	t.Helper()
	tr, err := geo.TravelFor(context.Background(), nil, in)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}
