package roster_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

// TestChangesApplyPeriod: each change of a period becomes what the
// document can say (days off, except dates, new care) and the changed
// week is valid and expands as meant.
func TestChangesApplyPeriod(t *testing.T) {
	in := wkSmall(t)
	pkg := roster.Care{ID: "C5-lunch", Client: "C5", DurationMin: 30, Days: roster.Days{"mon", "tue", "wed", "thu", "fri", "sat", "sun"},
		Windows: []roster.Window{{Start: dvHM(12, 0), End: dvHM(13, 0)}}, From: "2026-11-27"}
	ch := roster.Changes{
		CarersOff:    []roster.CarerOff{{Carer: "K3", From: "2026-11-25"}},
		ClientsAway:  []roster.ClientAway{{Client: "C1", From: "2026-11-24", To: "2026-11-26"}, {Client: "C2", From: "2026-11-26", To: "2026-11-26"}},
		AddCare:      []roster.Care{pkg},
		RemoveVisits: []string{"C4-tea@2026-11-28"},
	}
	out, err := ch.Apply(in)
	if err != nil {
		t.Fatal(err)
	}
	if got := out.Carers[2].DaysOff; !slices.Equal(got, []string{"2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28", "2026-11-29"}) {
		t.Errorf("K3's days off %v", got)
	}
	x, err := roster.Expand(out)
	if err != nil {
		t.Fatalf("the changed week does not expand: %v", err)
	}
	ids := map[string]bool{}
	for _, v := range x.Instance.Visits {
		ids[v.ID] = true
	}
	for _, id := range []string{"C1-breakfast@2026-11-24", "C1-bed@2026-11-25", "C1-breakfast@2026-11-26", "C2-gp-escort", "C4-tea@2026-11-28", "C5-lunch@2026-11-26"} {
		if ids[id] {
			t.Errorf("visit %s is still there", id)
		}
	}
	for _, id := range []string{"C1-breakfast@2026-11-23", "C1-bed@2026-11-27", "C2-lunch@2026-11-25", "C4-tea@2026-11-27", "C5-lunch@2026-11-27", "C5-lunch@2026-11-29"} {
		if !ids[id] {
			t.Errorf("visit %s is missing", id)
		}
	}
	for k, sh := range x.ShiftDay {
		if x.Instance.Carers[k].ID == "K3" && slices.Max(sh) > 1 {
			t.Errorf("K3 still has shifts on days %v", sh)
		}
	}
	if len(out.Dependencies) != 0 {
		t.Errorf("the dependency on C1's Tuesday visits is still there: %v", out.Dependencies)
	}
	if len(in.Care) != 6 || in.Care[0].Except != nil || in.Carers[2].DaysOff[0] != "2026-11-28" {
		t.Error("Apply changed its input")
	}
}

// TestChangesApplyPeriodRejects: each bad change is named by its path.
func TestChangesApplyPeriodRejects(t *testing.T) {
	tests := []struct {
		name   string
		ch     roster.Changes
		path   string
		reason string
	}{
		{"unknown carer off", roster.Changes{CarersOff: []roster.CarerOff{{Carer: "K9", From: "2026-11-25"}}}, "changes.carers_off[0].carer", `no carer "K9"`},
		{"carer off without from", roster.Changes{CarersOff: []roster.CarerOff{{Carer: "K1"}}}, "changes.carers_off[0].from", "missing"},
		{"carer off outside the period", roster.Changes{CarersOff: []roster.CarerOff{{Carer: "K1", From: "2026-11-30"}}}, "changes.carers_off[0].from", "outside the period"},
		{"carer back before off", roster.Changes{CarersOff: []roster.CarerOff{{Carer: "K1", From: "2026-11-26", To: "2026-11-24"}}}, "changes.carers_off[0].to", "before from"},
		{"unknown client away", roster.Changes{ClientsAway: []roster.ClientAway{{Client: "C9", From: "2026-11-24", To: "2026-11-25"}}}, "changes.clients_away[0].client", `no client "C9"`},
		{"client away to no date", roster.Changes{ClientsAway: []roster.ClientAway{{Client: "C1", From: "2026-11-24", To: "Thursday"}}}, "changes.clients_away[0].to", "YYYY-MM-DD"},
		{"no such occurrence", roster.Changes{RemoveVisits: []string{"C2-lunch@2026-11-24"}}, "changes.remove_visits[0]", `care "C2-lunch" does not occur on 2026-11-24`},
		{"freeze not a time", roster.Changes{FreezeBefore: "Wednesday 10:00"}, "changes.freeze_before", "not a time"},
		{"freeze outside the period", roster.Changes{FreezeBefore: "2026-12-01T10:00"}, "changes.freeze_before", "outside the period"},
		{"freeze in RFC 3339 outside the period", roster.Changes{FreezeBefore: "2026-11-22T10:00:00Z"}, "changes.freeze_before", "outside the period"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.ch.Apply(wkSmall(t))
			var es roster.FieldErrors
			if !errors.As(err, &es) {
				t.Fatalf("want field errors, got %v", err)
			}
			for _, e := range es {
				if e.Path == tc.path && strings.Contains(e.Reason, tc.reason) {
					return
				}
			}
			t.Errorf("no problem at %q with %q; got %v", tc.path, tc.reason, err)
		})
	}
}

// TestParseFreeze: a wall-clock time reads in the instance's zone, an RFC
// 3339 time as written, and a time the clocks skip is refused.
func TestParseFreeze(t *testing.T) {
	in := wkSmall(t)
	a, err := roster.ParseFreeze(in, "2026-11-25T10:00")
	if err != nil {
		t.Fatal(err)
	}
	b, err := roster.ParseFreeze(in, "2026-11-25T10:00:00Z") // London is on GMT in November
	if err != nil {
		t.Fatal(err)
	}
	if !a.Equal(b) {
		t.Errorf("wall-clock %v and RFC 3339 %v differ", a, b)
	}
	in.Period.Start = "2026-03-23"
	in.Care, in.Visits, in.Dependencies = nil, nil, nil
	for i := range in.Carers {
		in.Carers[i].DaysOff, in.Carers[i].Availability = nil, nil
	}
	if _, err := roster.ParseFreeze(in, "2026-03-29T01:30"); err == nil || !strings.Contains(err.Error(), "clocks go forward") {
		t.Errorf("a time the clocks skip: %v", err)
	}
}

// TestFreezeConflicts: a change that would undo a visit the earlier plan
// started before the freeze is refused at its field; one from the next
// date is not.
func TestFreezeConflicts(t *testing.T) {
	in := wkSmall(t)
	prev := &roster.Plan{Instance: in.Name, Rounds: []roster.Round{{Carer: "K1", Date: "2026-11-24", Mode: "drive",
		Departure: dvHM(7, 20), Return: dvHM(8, 30),
		Stops: []roster.Stop{{Visit: "C1-breakfast@2026-11-24", Client: "C1", Arrival: dvHM(7, 30), Start: dvHM(7, 30), End: dvHM(8, 15)}}}}}
	freeze := "2026-11-24T10:00"
	tests := []struct {
		name string
		ch   roster.Changes
		path string
	}{
		{"carer off that day", roster.Changes{CarersOff: []roster.CarerOff{{Carer: "K1", From: "2026-11-24"}}}, "changes.carers_off[0].from"},
		{"carer taken off", roster.Changes{RemoveCarers: []string{"K1"}}, "changes.remove_carers[0]"},
		{"client away that day", roster.Changes{ClientsAway: []roster.ClientAway{{Client: "C1", From: "2026-11-23", To: "2026-11-24"}}}, "changes.clients_away[0].from"},
		{"visit cancelled", roster.Changes{RemoveVisits: []string{"C1-breakfast@2026-11-24"}}, "changes.remove_visits[0]"},
		{"carer off from the next day", roster.Changes{CarersOff: []roster.CarerOff{{Carer: "K1", From: "2026-11-25"}}}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.ch.FreezeBefore = freeze
			err := tc.ch.FreezeConflicts(in, prev)
			if tc.path == "" {
				if err != nil {
					t.Errorf("refused: %v", err)
				}
				return
			}
			var es roster.FieldErrors
			if !errors.As(err, &es) || es[0].Path != tc.path || !strings.Contains(es[0].Reason, "before freeze_before") {
				t.Errorf("want a problem at %s, got %v", tc.path, err)
			}
		})
	}
}
