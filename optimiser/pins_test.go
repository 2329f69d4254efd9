package optimiser_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/rounds-dev/rounds/optimiser"
	"github.com/rounds-dev/rounds/roster"
)

// TestPinsHoldInReplan: a coordinator moves a visit to another carer by
// hand and pins it there, and pins another at its time; re-optimising the
// rest keeps both pins, serves every visit the solve served, and passes
// the checker and the pin check.
func TestPinsHoldInReplan(t *testing.T) {
	in := fromFile("../testdata/locality_day.json")(t)
	travel := travelFor(t, in)
	ctx := context.Background()
	solved, err := optimiser.Solve(ctx, in, travel, optimiser.Options{Seed: 1, Iterations: 500, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	ix := roster.NewIndex(in)
	// A single-handed visit anyone may make, from a round of more than
	// one, moved to the first stop of another carer's round.
	sk := skeletonOf(solved)
	moved, from, to := "", -1, -1
	for i, r := range sk.Rounds {
		if len(r.Visits) < 2 {
			continue
		}
		for _, st := range r.Visits {
			v := &in.Visits[ix.Visit[st.Visit]]
			cl := &in.Clients[ix.Client[v.Client]]
			if v.CarersNeeded() == 1 && len(v.RequiredSkills) == 0 && cl.Preferences.CarerGender == "" && len(cl.Preferences.ExcludedCarers) == 0 {
				moved, from = st.Visit, i
				break
			}
		}
		if moved != "" {
			break
		}
	}
	if moved == "" {
		t.Fatal("the fixture has no visit to move")
	}
	sk.Rounds[from].Visits = slices.DeleteFunc(sk.Rounds[from].Visits, func(s roster.SkeletonStop) bool { return s.Visit == moved })
	// The first other carer's round that takes the visit at its front and
	// still serves its last stop, single-handed, with every rule kept (the
	// stop's window, and the carer's shift, which a late last stop may
	// overrun): that stop is pinned at its time as well.
	var byHand *roster.Plan
	var pins []roster.Pin
	for i, r := range sk.Rounds {
		if r.Carer == sk.Rounds[from].Carer {
			continue
		}
		kept := r.Visits
		sk.Rounds[i].Visits = append([]roster.SkeletonStop{{Visit: moved}}, kept...)
		pl, err := optimiser.Evaluate(ctx, in, travel, sk)
		if err != nil {
			t.Fatal(err)
		}
		last := pl.Rounds[i].Stops[len(pl.Rounds[i].Stops)-1]
		ps := []roster.Pin{{Visit: moved}, {Visit: last.Visit, KeepTime: true}}
		ch := roster.Changes{Pins: ps}
		if last.Partner == "" && ch.PinConflicts(in, pl) == nil && len(roster.Check(in, travel, pl)) == 0 {
			to, byHand, pins = i, pl, ps
			break
		}
		sk.Rounds[i].Visits = kept
	}
	if to < 0 {
		t.Fatal("no other carer's round can take the visit and keep its last stop's time")
	}
	replan, err := optimiser.Solve(ctx, in, travel, optimiser.Options{Seed: 2, Iterations: 1000, Workers: 1, Previous: byHand, Pins: pins})
	if err != nil {
		t.Fatal(err)
	}
	if vs := roster.Check(in, travel, replan); len(vs) > 0 {
		t.Fatalf("the re-plan breaks %d rules: %v", len(vs), vs[0])
	}
	if vs := roster.CheckPins(in, byHand, replan, pins); len(vs) > 0 {
		t.Fatalf("the re-plan breaks %d pins: %v", len(vs), vs)
	}
	if got := carersOf(replan)[moved]; !slices.Equal(got, []string{sk.Rounds[to].Carer}) {
		t.Fatalf("visit %s went to %v; it is pinned to %s", moved, got, sk.Rounds[to].Carer)
	}
	if a, b := len(replan.Unassigned), len(solved.Unassigned); a > b {
		t.Errorf("the re-plan leaves %d visits unserved; the solve left %d", a, b)
	}
	// The pin check sees a plan that does not keep the pin. (Without the
	// pins, this re-plan moves both pinned visits to other carers.)
	if vs := roster.CheckPins(in, byHand, solved, pins[:1]); len(vs) != 1 || vs[0].Code != "pin" {
		t.Fatalf("the pin check passes the solve's plan, which gives %s to another carer: %v", moved, vs)
	}
}

// TestPinsNoPlanCanHonour: a pin of a visit the plan does not serve is an
// error naming it.
func TestPinsNoPlanCanHonour(t *testing.T) {
	in := fromFile("../testdata/small_day.json")(t)
	travel := travelFor(t, in)
	ctx := context.Background()
	prev := &roster.Plan{Instance: in.Name, Rounds: []roster.Round{}, Unassigned: []roster.Unassigned{}}
	_, err := optimiser.Solve(ctx, in, travel, optimiser.Options{Seed: 1, Iterations: 10, Previous: prev, Pins: []roster.Pin{{Visit: in.Visits[0].ID}}})
	var fes roster.FieldErrors
	if !errors.As(err, &fes) || fes[0].Path != "changes.pins[0].visit" {
		t.Fatalf("got %v, want a field error at changes.pins[0].visit", err)
	}
}
