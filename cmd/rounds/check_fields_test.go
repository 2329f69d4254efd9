package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestCheckWorksOutLeftOutFields: a plan from another tool may leave out
// the fields that follow from the rest (travel, kpis, solver, a round's
// mode, a stop's client); `rounds check` works them out and passes the
// plan. Given and wrong, the travel is still refused.
func TestCheckWorksOutLeftOutFields(t *testing.T) {
	p := solvedSmallDay(t)
	delete(p, "travel")
	delete(p, "kpis")
	delete(p, "solver")
	for _, r := range p["rounds"].([]any) {
		round := r.(map[string]any)
		delete(round, "mode")
		for _, s := range round["stops"].([]any) {
			delete(s.(map[string]any), "client")
		}
	}
	b, _ := json.Marshal(p)
	code, out, errOut := runCLI(t, "check", "../../testdata/small_day.json", writeFile(t, "lean.json", string(b)))
	if code != exitOK || !strings.Contains(out, "plan OK") {
		t.Fatalf("check of a plan without derived fields: exit %d, want %d:\n%s%s", code, exitOK, out, errOut)
	}

	p["travel"] = map[string]any{"provider": "osm-road", "version": "elsewhere"}
	b, _ = json.Marshal(p)
	code, _, errOut = runCLI(t, "check", "../../testdata/small_day.json", writeFile(t, "other.json", string(b)))
	if code != exitUsage || !strings.Contains(errOut, "osm-road") {
		t.Errorf("check of a plan made with other travel: exit %d, stderr %q; want %d naming its travel", code, errOut, exitUsage)
	}
}
