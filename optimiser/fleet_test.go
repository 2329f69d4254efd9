package optimiser

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

// TestFleetPhaseClosesCarers runs fleet minimisation from constructed
// plans, with a carer priced far above travel, and checks that no visit
// ever goes to a closed round, that the best plan never gets worse and
// serves as many visits, that its kept cost is its cost counted afresh,
// that it passes the checker, and that the phase does close carers the
// construction used.
func TestFleetPhaseClosesCarers(t *testing.T) {
	days := testDays(t, func(seed int) (string, *roster.Instance) {
		return fmt.Sprintf("windows %d", seed), windowDay(uint64(seed), false)
	})
	w := Weights{Travel: 1, CarerUsed: 1e6}
	closed := 0
	for name, in := range days {
		r, s, _, travel := constructedWith(t, in, w)
		if !r.shrinksFleet() {
			t.Fatalf("%s: a carer at 10^6 seconds of travel does not start fleet minimisation", name)
		}
		s.refreshLatest()
		r.best, r.bestCost = s.clone(), s.cost()
		before, carers := r.bestCost, carersUsed(s)
		work := s.clone()
		b := r.newRebuilder(work, true)
		ins, ls := b.ins, b.ls
		var last []bool // the rounds closed when the last iteration began
		r.shrinkFleet(context.Background(), b, func() bool {
			if slices.Equal(last, ins.closed) {
				for v, shut := range ins.closed {
					if shut && len(work.routes[v]) > 0 {
						t.Fatalf("%s: iteration %d left %d visits on closed round %d", name, r.iters, len(work.routes[v]), v)
					}
				}
			}
			last = append(last[:0], ins.closed...)
			return r.iters >= 400
		})
		if ins.closed != nil || ls.closed != nil {
			t.Errorf("%s: the phase left rounds closed to the search after it", name)
		}
		after := r.bestCost
		if after.unserved > before.unserved || after.unserved == before.unserved && after.rest > before.rest+1e-9 {
			t.Errorf("%s: the best plan went from %+v to %+v", name, before, after)
		}
		full := r.best.clone()
		for c := range full.cdirty {
			full.cdirty[c] = true
		}
		if got := full.cost(); got != after {
			t.Errorf("%s: kept cost %+v, counted afresh %+v", name, after, got)
		}
		for _, v := range roster.Check(in, travel, r.plan(travel)) {
			t.Errorf("%s: %s", name, v)
		}
		n := carersUsed(r.best)
		if n > carers {
			t.Errorf("%s: %d carers after the phase, %d before", name, n, carers)
		}
		closed += carers - n
		t.Logf("%s: %d carers constructed, %d after %d iterations", name, carers, n, r.iters)
	}
	if closed == 0 {
		t.Error("fleet minimisation closed no carer on any day")
	}
}

// TestFleetPhaseOnlyWhereCarersAreDear checks which searches start with
// fleet minimisation: not under the default weights, nor when re-planning.
func TestFleetPhaseOnlyWhereCarersAreDear(t *testing.T) {
	in := windowDay(1, false)
	for _, c := range []struct {
		w    Weights
		want bool
	}{
		{DefaultWeights, false},
		{Weights{Travel: 1}, false},
		{Weights{Travel: 1, CarerUsed: splitCarerCap}, false},
		{Weights{Travel: 1, CarerUsed: 36000}, true},
		{Weights{Travel: 1, CarerUsed: 1e6}, true},
	} {
		r, _, _, _ := constructedWith(t, in, c.w)
		if got := r.shrinksFleet(); got != c.want {
			t.Errorf("%+v: fleet minimisation %v, want %v", c.w, got, c.want)
		}
		r.tri.previous = [][]int32{}
		if r.shrinksFleet() {
			t.Errorf("%+v: fleet minimisation when re-planning", c.w)
		}
	}
}

// carersUsed is the number of carers s gives a round.
func carersUsed(s *solution) int {
	used := map[int32]bool{}
	for v, route := range s.routes {
		if len(route) > 0 {
			used[s.p.vehicles[v].carer] = true
		}
	}
	return len(used)
}
