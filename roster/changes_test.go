package roster_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

func TestChangesApply(t *testing.T) {
	in := dvExample(t)
	dep := in.Dependencies[0]
	in.Clients[0].Preferences.PreferredCarers = []string{"ruth", "dan"}
	newVisit := in.Visits[1]
	newVisit.ID = "NEW1"
	ch := roster.Changes{
		RemoveVisits: []string{dep.First},
		RemoveCarers: []string{"ruth"},
		AddVisits:    []roster.Visit{newVisit},
	}
	out, err := ch.Apply(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := out.Validate(); err != nil {
		t.Fatalf("changed day is invalid: %v", err)
	}
	ix := roster.NewIndex(out)
	if _, ok := ix.Visit[dep.First]; ok {
		t.Error("the cancelled visit is still there")
	}
	if _, ok := ix.Visit["NEW1"]; !ok {
		t.Error("the added visit is missing")
	}
	if _, ok := ix.Carer["ruth"]; ok {
		t.Error("the carer who is off is still there")
	}
	for _, d := range out.Dependencies {
		if d.First == dep.First || d.Second == dep.First {
			t.Error("a dependency on the cancelled visit is still there")
		}
	}
	if got := out.Clients[0].Preferences.PreferredCarers; !slices.Equal(got, []string{"dan"}) {
		t.Errorf("preferred carers %v, want [dan]", got)
	}
	if len(in.Carers) != 4 || len(in.Clients[0].Preferences.PreferredCarers) != 2 {
		t.Error("Apply changed its input")
	}
}

func TestChangesDropMatrixRows(t *testing.T) {
	in := dvExample(t)
	n := len(in.Points())
	mk := func(base int) [][]int {
		m := make([][]int, n)
		for i := range m {
			m[i] = make([]int, n)
			for j := range m[i] {
				if i != j {
					m[i][j] = base + 100*i + j
				}
			}
		}
		return m
	}
	in.Travel = &roster.TravelConfig{Matrices: map[roster.Mode]roster.TravelMatrix{}}
	for _, c := range in.Carers {
		in.Travel.Matrices[c.Mode] = roster.TravelMatrix{DurationsS: mk(1), DistancesM: mk(7)}
	}
	k := roster.NewIndex(in).Carer["tomasz"]
	out, err := (&roster.Changes{RemoveCarers: []string{"tomasz"}}).Apply(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := out.Validate(); err != nil {
		t.Fatalf("changed day is invalid: %v", err)
	}
	for m, tm := range out.Travel.Matrices {
		if len(tm.DurationsS) != n-2 {
			t.Fatalf("%s matrix has %d rows, want %d", m, len(tm.DurationsS), n-2)
		}
		// The point after the dropped carer's pair moved up by two.
		after := in.CarerEndPoint(k) + 1
		if after < n && tm.DurationsS[0][after-2] != in.Travel.Matrices[m].DurationsS[0][after] {
			t.Errorf("%s matrix: column of point %d not moved up", m, after)
		}
	}
	if _, err := (&roster.Changes{AddClients: []roster.Client{{ID: "X"}}}).Apply(in); err == nil {
		t.Error("a new client was accepted into a day with given matrices")
	}
}

func TestChangesUnknownIDs(t *testing.T) {
	_, err := (&roster.Changes{RemoveVisits: []string{"nope"}, RemoveCarers: []string{"ruth", "ghost"}}).Apply(dvExample(t))
	var es roster.FieldErrors
	if !errors.As(err, &es) || len(es) != 2 || es[0].Path != "changes.remove_visits[0]" || es[1].Path != "changes.remove_carers[1]" {
		t.Fatalf("got %v, want errors at changes.remove_visits[0] and changes.remove_carers[1]", err)
	}
}
