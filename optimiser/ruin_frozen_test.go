package optimiser

import (
	"math/rand/v2"
	"testing"
)

// TestRuinsSpareFrozenJobs: no ruin takes out a job a freeze fixes, each
// operator alone and the choice among them over many ruins, while they
// still take out other jobs.
func TestRuinsSpareFrozenJobs(t *testing.T) {
	r, s, _ := weekConstructed(t, 2, 25, "")
	p := r.p
	p.frozenJob = make([]bool, len(p.jobs))
	frozen := 0
	for j := range p.jobs {
		// Every other served job, all of the first day's: whole rounds
		// and recurrences are then part frozen.
		if s.assigned(int32(j)) && (j%2 == 0 || p.visits[p.jobs[j].visits[0]].day == 0) {
			p.frozenJob[j] = true
			frozen++
		}
	}
	if frozen == 0 {
		t.Fatal("nothing served to freeze")
	}
	defer func() { p.frozenJob = nil }()
	var seeds []int32
	for k := range s.veh {
		if s.veh[k] >= 0 {
			seeds = append(seeds, int32(k))
		}
	}
	ops := []struct {
		name string
		ruin func(rn *ruiner, w *solution, seed int32)
	}{
		{"strings", func(rn *ruiner, w *solution, seed int32) { rn.strings(w, seed, 20) }},
		{"related", func(rn *ruiner, w *solution, seed int32) { rn.related(w, seed, 20) }},
		{"random", func(rn *ruiner, w *solution, _ int32) { rn.random(w, seeds, 20) }},
		{"round", (*ruiner).round},
		{"recurrence", (*ruiner).recurrence},
		{"client", (*ruiner).client},
		{"reassign", (*ruiner).reassign},
		{"any", func(rn *ruiner, w *solution, _ int32) { rn.ruin(w, 20) }},
	}
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			rn := newRuiner(p, r.tri.near, rand.New(rand.NewPCG(3, 4)))
			took := 0
			for i, seed := range seeds {
				if i%5 != 0 {
					continue
				}
				w := s.clone()
				rn.removed = rn.removed[:0]
				for k := range rn.mark {
					rn.mark[k] = false
				}
				op.ruin(rn, w, seed)
				for j := range p.jobs {
					if p.frozenJob[j] && !w.assigned(int32(j)) {
						t.Fatalf("seed task %d: frozen job %d taken out", seed, j)
					}
				}
				took += len(rn.removed)
			}
			if took == 0 {
				t.Error("the ruin took nothing out at all; the test tests nothing")
			}
		})
	}
}
