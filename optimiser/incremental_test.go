package optimiser

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestIncrementalStateMatchesFull runs ruin and recreate on the locality
// day and checks, after every insertion, that what the solution keeps up to
// date piecemeal (the cost by carer, the unserved priority, the latest
// starts and slack of changed rounds, and the inserter's backup) equals what
// a full recomputation gives.
func TestIncrementalStateMatchesFull(t *testing.T) {
	r, s := benchProblem(t, "../testdata/locality_day.json")
	p := r.p
	rng := rand.New(rand.NewPCG(3, 4))
	ins := newInserter(s, rng)
	rn := newRuiner(p, r.tri.near, rng)
	full := newSolution(p)
	saved := s.clone()
	timed := 0
	for it := 0; it < 60; it++ {
		saved.copyFrom(s)
		removed := rn.ruin(s, 1+rng.IntN(12))
		if !s.reschedule() {
			// As in the search: a ruin whose plan cannot be timed is
			// dropped.
			s.copyFrom(saved)
			continue
		}
		timed++
		s.refreshLatest()
		for _, j := range removed {
			ins.insertBest(j)
			full.copyFrom(s)
			for c := range full.cdirty {
				full.cdirty[c] = true
			}
			got, want := s.cost(), full.cost()
			if got.unserved != want.unserved || got.rest != want.rest {
				t.Fatalf("iteration %d: kept cost %+v, full recomputation %+v", it, got, want)
			}
			unserved := 0
			for j := range p.jobs {
				if !s.assigned(int32(j)) {
					unserved += p.jobs[j].priority
				}
			}
			if unserved != s.unserved {
				t.Fatalf("iteration %d: kept unserved priority %d, counted %d", it, s.unserved, unserved)
			}
			full.refreshLatest()
			for k := range s.veh {
				if s.veh[k] >= 0 && (s.latest[k] != full.latest[k] || s.slack[k] != full.slack[k]) {
					t.Fatalf("iteration %d: task %d kept latest %d slack %d, recomputed %d %d",
						it, k, s.latest[k], s.slack[k], full.latest[k], full.slack[k])
				}
			}
		}
		// The backup, brought up to date by the changes alone, equals s.
		ins.backup.copyChanged(s, s.changed, s.all)
		s.clearChanged()
		for v := range s.routes {
			if !slices.Equal(s.routes[v], ins.backup.routes[v]) || s.depart[v] != ins.backup.depart[v] ||
				s.ret[v] != ins.backup.ret[v] || s.brk[v] != ins.backup.brk[v] || s.load[v] != ins.backup.load[v] {
				t.Fatalf("iteration %d: backup differs from the solution in round %d", it, v)
			}
		}
		if !slices.Equal(s.start, ins.backup.start) || !slices.Equal(s.veh, ins.backup.veh) {
			t.Fatalf("iteration %d: backup times or assignments differ from the solution", it)
		}
	}
	t.Logf("%d of 60 ruins timed and recreated", timed)
	if timed < 30 {
		t.Fatalf("only %d of 60 ruins could be timed", timed)
	}
}
