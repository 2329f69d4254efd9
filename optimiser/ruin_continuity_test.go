package optimiser

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestContinuityRuins: each continuity ruin takes out the seed's whole
// recurrence (or client), and reassign names as focus a carer who served
// the client before.
func TestContinuityRuins(t *testing.T) {
	r, s, _ := weekConstructed(t, 2, 25, "")
	p := r.p
	var seed int32 = -1
	for k := range s.veh {
		if s.veh[k] >= 0 && p.visits[p.tasks[k].visit].care >= 0 {
			seed = int32(k)
			break
		}
	}
	if seed < 0 {
		t.Fatal("no served visit of recurring care")
	}
	vi := &p.visits[p.tasks[seed].visit]
	before := s.clientCarers(vi.client, nil)
	for _, tc := range []struct {
		name   string
		ruin   func(*ruiner, *solution, int32)
		visits []int32
		focus  bool
	}{
		{"recurrence", (*ruiner).recurrence, p.careVisits[vi.care], false},
		{"client", (*ruiner).client, p.clientVisits[vi.client], false},
		{"reassign", (*ruiner).reassign, p.careVisits[vi.care], true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := s.clone()
			rn := newRuiner(p, r.tri.near, rand.New(rand.NewPCG(1, 2)))
			tc.ruin(rn, w, seed)
			for _, vis := range tc.visits {
				if w.veh[p.visits[vis].legs[0]] >= 0 {
					t.Errorf("visit %s still served", p.in.Visits[vis].ID)
				}
			}
			if tc.focus && !slices.Contains(before, rn.focus) {
				t.Errorf("focus %d is not among the client's carers %v", rn.focus, before)
			}
			if !tc.focus && rn.focus >= 0 {
				t.Errorf("focus %d set by a ruin without one", rn.focus)
			}
		})
	}
}
