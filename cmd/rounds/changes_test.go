package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

// TestSolveChanges: a week is planned, then re-planned with --previous and
// --changes (a carer off from Thursday, a client away Tuesday and
// Wednesday, a new package from Friday, Monday frozen): the new plan is
// written with who it affects, it passes the re-plan check, and the
// summary lists the affected carers and clients.
func TestSolveChanges(t *testing.T) {
	dir := t.TempDir()
	week := "../../testdata/week_small.json"
	prev := filepath.Join(dir, "prev.json")
	if code, _, errOut := runCLI(t, "solve", week, "--iterations", "500", "--workers", "1", "--quiet", "-o", prev); code != exitOK {
		t.Fatalf("solve: exit %d: %s", code, errOut)
	}
	changes := writeFile(t, "changes.json", `{
		"carers_off": [{"carer": "K1", "from": "2026-11-26"}],
		"clients_away": [{"client": "C3", "from": "2026-11-24", "to": "2026-11-25"}],
		"add_care": [{"id": "C5-lunch", "client": "C5", "duration_min": 30, "days": "daily",
			"windows": [{"start": "12:00", "end": "13:30"}], "from": "2026-11-27"}],
		"freeze_before": "2026-11-24T06:00"}`)
	next := filepath.Join(dir, "next.json")
	code, out, errOut := runCLI(t, "solve", week, "--previous", prev, "--changes", changes, "--iterations", "300", "--workers", "1", "-o", next)
	if code != exitOK {
		t.Fatalf("re-plan: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"affected: ", "  carer  gained  lost  moved  dates", "  K1 ", "  C3 ", "  C5 "} {
		if !strings.Contains(out, want) {
			t.Errorf("the summary lacks %q:\n%s", want, out)
		}
	}
	b, err := os.ReadFile(next)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := roster.DecodePlan(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if plan.Affected == nil || len(plan.Affected.Carers) == 0 {
		t.Fatalf("the written plan lists no one affected")
	}
	for _, r := range plan.Rounds {
		if r.Carer == "K1" && r.Date >= "2026-11-26" {
			t.Errorf("K1, off from Thursday, has a round on %s", r.Date)
		}
	}
}

// TestSolveChangesPins: a re-plan with pins keeps each pinned visit's
// carers, and its start where asked; rounds solve checks the pins and
// would exit 1 on a plan that broke one.
func TestSolveChangesPins(t *testing.T) {
	dir := t.TempDir()
	week := "../../testdata/week_small.json"
	prev := filepath.Join(dir, "prev.json")
	if code, _, errOut := runCLI(t, "solve", week, "--iterations", "300", "--workers", "1", "--quiet", "-o", prev); code != exitOK {
		t.Fatalf("solve: exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(prev)
	if err != nil {
		t.Fatal(err)
	}
	before, err := roster.DecodePlan(bytes.NewReader(b))
	if err != nil || len(before.Rounds) < 2 {
		t.Fatalf("the first plan: %v", err)
	}
	first, last := before.Rounds[0], before.Rounds[len(before.Rounds)-1]
	pinned, timed := first.Stops[0], last.Stops[len(last.Stops)-1]
	changes := writeFile(t, "changes.json", `{"pins": [{"visit": "`+pinned.Visit+`"}, {"visit": "`+timed.Visit+`", "keep_time": true}]}`)
	next := filepath.Join(dir, "next.json")
	if code, _, errOut := runCLI(t, "solve", week, "--previous", prev, "--changes", changes, "--iterations", "300", "--seed", "7", "--workers", "1", "--quiet", "-o", next); code != exitOK {
		t.Fatalf("re-plan: exit %d: %s", code, errOut)
	}
	if b, err = os.ReadFile(next); err != nil {
		t.Fatal(err)
	}
	after, err := roster.DecodePlan(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	in, err := roster.DecodeInstance(bytes.NewReader(mustRead(t, week)))
	if err != nil {
		t.Fatal(err)
	}
	pins := []roster.Pin{{Visit: pinned.Visit}, {Visit: timed.Visit, KeepTime: true}}
	if vs := roster.CheckPins(in, before, after, pins); len(vs) > 0 {
		t.Fatalf("pins broken: %v", vs)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSolveChangesRejects: bad changes, or changes without the plan they
// change, exit 2 naming the field.
func TestSolveChangesRejects(t *testing.T) {
	week := "../../testdata/week_small.json"
	prev := writeFile(t, "prev.json", `{"instance": "Small hand-made week", "rounds": [], "unassigned": []}`)
	for _, tt := range []struct {
		name, changes string
		args          []string
		want          string
	}{
		{"unknown carer off", `{"carers_off": [{"carer": "K9", "from": "2026-11-25"}]}`, nil, `changes.carers_off[0].carer: no carer "K9"`},
		{"date outside the period", `{"clients_away": [{"client": "C1", "from": "2026-12-24"}]}`, nil, "changes.clients_away[0].from: 2026-12-24 is outside the period"},
		{"freeze not a time", `{"freeze_before": "10am"}`, nil, "changes.freeze_before: \"10am\" is not a time"},
		{"unknown field", `{"carers_off": [{"carer": "K1", "date": "2026-11-25"}]}`, nil, "changes.carers_off[0].date"},
		{"bad new care", `{"add_care": [{"id": "N", "client": "C9", "duration_min": 30, "days": "daily", "time": "12:00"}]}`, nil, `changes.add_care[0].client: unknown client "C9"`},
		{"no previous plan", `{}`, []string{"--previous", ""}, "--changes needs --previous"},
		{"pin of a visit the plan does not serve", `{"pins": [{"visit": "C1-bed@2026-11-24"}]}`, nil, "changes.pins[0].visit: the plan does not serve visit C1-bed@2026-11-24"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ch := writeFile(t, "changes.json", tt.changes)
			args := append([]string{"solve", week, "--previous", prev, "--changes", ch, "--iterations", "10", "--quiet"}, tt.args...)
			code, _, errOut := runCLI(t, args...)
			if code != exitUsage || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 naming %q", code, errOut, tt.want)
			}
		})
	}
}
