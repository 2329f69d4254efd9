package optimiser_test

import (
	"context"
	"slices"
	"testing"

	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/optimiser"
	"github.com/rounds-dev/rounds/roster"
)

// carersOf maps each served visit to its carers, sorted.
func carersOf(p *roster.Plan) map[string][]string {
	out := map[string][]string{}
	for _, r := range p.Rounds {
		for _, st := range r.Stops {
			out[st.Visit] = append(out[st.Visit], r.Carer)
		}
	}
	for _, cs := range out {
		slices.Sort(cs)
	}
	return out
}

// moved counts the visits served in both plans by a different set of
// carers.
func moved(before, after *roster.Plan) int {
	a, b := carersOf(before), carersOf(after)
	n := 0
	for v, cs := range b {
		if old, ok := a[v]; ok && !slices.Equal(old, cs) {
			n++
		}
	}
	return n
}

// TestReplanKeepsRounds: after three visits are cancelled and a carer drops
// out, re-planning from the earlier plan serves as many visits as planning
// afresh, passes the checker, and moves far fewer visits to other carers.
func TestReplanKeepsRounds(t *testing.T) {
	in := loadDay(t, "../testdata/locality_day.json")
	ctx := context.Background()
	travel, err := geo.TravelFor(ctx, nil, in)
	if err != nil {
		t.Fatal(err)
	}
	opts := optimiser.Options{Seed: 1, Iterations: 2000, Workers: 1}
	before, err := optimiser.Solve(ctx, in, travel, opts)
	if err != nil {
		t.Fatal(err)
	}
	// The carer with the most visits drops out; three visits are cancelled.
	busiest, most := "", 0
	visits := map[string]int{}
	for _, r := range before.Rounds {
		visits[r.Carer] += len(r.Stops)
		if visits[r.Carer] > most {
			busiest, most = r.Carer, visits[r.Carer]
		}
	}
	ch := roster.Changes{RemoveCarers: []string{busiest}, RemoveVisits: []string{in.Visits[0].ID, in.Visits[50].ID, in.Visits[100].ID}}
	in2, err := ch.Apply(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := in2.Validate(); err != nil {
		t.Fatal(err)
	}
	travel2, err := geo.TravelFor(ctx, nil, in2)
	if err != nil {
		t.Fatal(err)
	}
	re := opts
	re.Previous = before
	re.Iterations = 1000
	replanned, err := optimiser.Solve(ctx, in2, travel2, re)
	if err != nil {
		t.Fatal(err)
	}
	if vs := roster.Check(in2, travel2, replanned); len(vs) > 0 {
		t.Fatalf("re-plan breaks %d rules: %v", len(vs), vs[0])
	}
	fresh, err := optimiser.Solve(ctx, in2, travel2, optimiser.Options{Seed: 1, Iterations: 1000, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	mr, mf := moved(before, replanned), moved(before, fresh)
	t.Logf("carer %s (%d visits) off: re-plan serves %d and moves %d visits; afresh serves %d and moves %d",
		busiest, most, replanned.KPIs.VisitsServed, mr, fresh.KPIs.VisitsServed, mf)
	if replanned.KPIs.VisitsServed < fresh.KPIs.VisitsServed {
		t.Errorf("re-plan serves %d visits, afresh %d", replanned.KPIs.VisitsServed, fresh.KPIs.VisitsServed)
	}
	if mr*3 > mf {
		t.Errorf("re-plan moved %d visits, afresh %d: want under a third", mr, mf)
	}
}
