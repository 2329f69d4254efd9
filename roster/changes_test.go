package roster_test

import (
	"bytes"
	"errors"
	"os"
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

// TestChangesKeepACarer: taking every carer off the day is refused by
// name, not left to fail as a day without carers.
func TestChangesKeepACarer(t *testing.T) {
	in := dvExample(t)
	var all []string
	for _, c := range in.Carers {
		all = append(all, c.ID)
	}
	_, err := (&roster.Changes{RemoveCarers: all}).Apply(in)
	var es roster.FieldErrors
	if !errors.As(err, &es) || len(es) != 1 || es[0].Path != "changes.remove_carers" {
		t.Fatalf("got %v, want one error at changes.remove_carers", err)
	}
}

// TestPlanBelongsTo: a plan re-planned from must be one of this instance:
// its name, carers, visits and clients are the instance's.
func TestPlanBelongsTo(t *testing.T) {
	stop := func(visit, client string) roster.Stop { return roster.Stop{Visit: visit, Client: client} }
	own := roster.Plan{
		Instance: "Otley 2026-11-24",
		Rounds: []roster.Round{{Carer: "ruth", Stops: []roster.Stop{stop("OT101-am", "OT101")}},
			{Carer: "tomasz", Stops: []roster.Stop{stop("OT102-am", "OT102"), {Visit: "OT103-am", Client: "OT103", Partner: "ruth"}}}},
		Unassigned: []roster.Unassigned{{Visit: "OT104-am"}},
	}
	tests := []struct {
		name  string
		edit  func(p *roster.Plan)
		paths []string
	}{
		{"its own", func(*roster.Plan) {}, nil},
		// The checker's rule: the names agree exactly.
		{"unnamed", func(p *roster.Plan) { p.Instance = "" }, []string{"instance"}},
		{"empty but for the name", func(p *roster.Plan) { *p = roster.Plan{Instance: p.Instance} }, nil},
		{"another day's", func(p *roster.Plan) { p.Instance = "Otley 2026-11-25" }, []string{"instance"}},
		{"a stranger carer", func(p *roster.Plan) { p.Rounds[1].Carer = "ghost" }, []string{"rounds[1].carer"}},
		{"a stranger partner", func(p *roster.Plan) { p.Rounds[1].Stops[1].Partner = "ghost" }, []string{"rounds[1].stops[1].partner"}},
		{"a stranger visit and client", func(p *roster.Plan) { p.Rounds[0].Stops[0] = stop("X1", "Y1") },
			[]string{"rounds[0].stops[0].visit", "rounds[0].stops[0].client"}},
		{"a stranger unassigned", func(p *roster.Plan) { p.Unassigned[0].Visit = "X2" }, []string{"unassigned[0].visit"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := own
			p.Rounds = slices.Clone(own.Rounds)
			for i := range p.Rounds {
				p.Rounds[i].Stops = slices.Clone(own.Rounds[i].Stops)
			}
			p.Unassigned = slices.Clone(own.Unassigned)
			tc.edit(&p)
			err := p.BelongsTo(dvExample(t))
			var es roster.FieldErrors
			if err != nil && !errors.As(err, &es) {
				t.Fatalf("error %v is not FieldErrors", err)
			}
			var paths []string
			for _, e := range es {
				paths = append(paths, e.Path)
			}
			if !slices.Equal(paths, tc.paths) {
				t.Errorf("problems %v, want at %q", err, tc.paths)
			}
		})
	}
}

// TestChangesPeriod: a carer taken off a week leaves the clients' teams
// and the history too, so the changed week is valid, and a plan of the
// week names the visits its care expands to.
func TestChangesPeriod(t *testing.T) {
	b, err := os.ReadFile("../testdata/week_small.json")
	if err != nil {
		t.Fatal(err)
	}
	in, err := roster.DecodeInstance(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	in.History = append(in.History, roster.HistoryEntry{Client: "C1", Carer: "K4", Date: "2026-11-20", Visits: 1})
	out, err := (&roster.Changes{RemoveCarers: []string{"K4"}}).Apply(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := out.Validate(); err != nil {
		t.Fatalf("the changed week is invalid: %v", err)
	}
	if got := out.Clients[0].Team; slices.Contains(got, "K4") {
		t.Errorf("team %v keeps the carer taken off", got)
	}
	if !slices.Contains(in.Clients[0].Team, "K4") || len(in.History) == len(out.History) {
		t.Error("Apply changed its input, or kept the carer's history")
	}
	plan := roster.Plan{Instance: in.Name, Rounds: []roster.Round{{Carer: "K1", Date: "2026-11-23",
		Stops: []roster.Stop{{Visit: "C1-breakfast@2026-11-23", Client: "C1"}, {Visit: "C2-gp-escort", Client: "C2"}}}},
		Unassigned: []roster.Unassigned{{Visit: "C1-bed@2026-11-29"}, {Visit: "C1-bed@2026-11-30"}}}
	err = plan.BelongsTo(in)
	var es roster.FieldErrors
	if !errors.As(err, &es) || len(es) != 1 || es[0].Path != "unassigned[1].visit" {
		t.Errorf("BelongsTo = %v, want only unassigned[1].visit, a date after the period", err)
	}
}
