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
// Which carer drops out, and how hard their visits are to place, depends
// on the earlier plan, so three earlier plans are tried: each re-plan must
// move under half as many visits as planning afresh, and all three
// together under a third.
func TestReplanKeepsRounds(t *testing.T) {
	in := loadDay(t, "../testdata/locality_day.json")
	ctx := context.Background()
	travel, err := geo.TravelFor(ctx, nil, in)
	if err != nil {
		t.Fatal(err)
	}
	sumR, sumF := 0, 0
	for seed := int64(1); seed <= 3; seed++ {
		mr, mf := replanAfterDropOut(t, ctx, in, travel, seed)
		if mr*2 > mf {
			t.Errorf("seed %d: re-plan moved %d visits, afresh %d: want under a half", seed, mr, mf)
		}
		sumR, sumF = sumR+mr, sumF+mf
	}
	if sumR*3 > sumF {
		t.Errorf("re-plans moved %d visits in all, afresh %d: want under a third", sumR, sumF)
	}
}

// replanAfterDropOut solves in with seed, drops the busiest carer and three
// visits, and re-plans from the plan and afresh: the visits each moves.
func replanAfterDropOut(t *testing.T, ctx context.Context, in *roster.Instance, travel roster.Travel, seed int64) (mr, mf int) {
	t.Helper()
	opts := optimiser.Options{Seed: seed, Iterations: 2000, Workers: 1}
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
		t.Fatalf("seed %d: re-plan breaks %d rules: %v", seed, len(vs), vs[0])
	}
	fresh, err := optimiser.Solve(ctx, in2, travel2, optimiser.Options{Seed: seed, Iterations: 1000, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	mr, mf = moved(before, replanned), moved(before, fresh)
	t.Logf("seed %d: carer %s (%d visits) off: re-plan serves %d and moves %d visits; afresh serves %d and moves %d",
		seed, busiest, most, replanned.KPIs.VisitsServed, mr, fresh.KPIs.VisitsServed, mf)
	if replanned.KPIs.VisitsServed < fresh.KPIs.VisitsServed {
		t.Errorf("seed %d: re-plan serves %d visits, afresh %d", seed, replanned.KPIs.VisitsServed, fresh.KPIs.VisitsServed)
	}
	return mr, mf
}
