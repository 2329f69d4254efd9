package optimiser

import (
	"math/rand/v2"
	"testing"
)

// TestCarersRuin: the carers ruin takes out every visit of the seed's
// carer over the period, and every visit of at least one other carer.
func TestCarersRuin(t *testing.T) {
	r, s, _ := weekConstructed(t, 2, 25, "")
	p := r.p
	var seed int32 = -1
	for k := range s.veh {
		if s.veh[k] >= 0 {
			seed = int32(k)
			break
		}
	}
	if seed < 0 {
		t.Fatal("no served visit")
	}
	w := s.clone()
	rn := newRuiner(p, r.tri.near, rand.New(rand.NewPCG(1, 2)))
	rn.carers(w, seed, 4)
	emptied := 0
	for c := range p.carers {
		had, has := false, false
		for _, v := range p.carers[c].vehicles {
			had = had || len(s.routes[v]) > 0
			has = has || len(w.routes[v]) > 0
		}
		if had && !has {
			emptied++
		}
		if int32(c) == p.vehicles[s.veh[seed]].carer && has {
			t.Errorf("the seed's carer %d keeps visits", c)
		}
	}
	if emptied < 2 {
		t.Errorf("%d carers emptied, want at least 2", emptied)
	}
	for _, j := range rn.removed {
		if w.assigned(j) {
			t.Errorf("job %d listed as removed but still served", j)
		}
	}
}

// TestInsertClientNoWorse: inserting a client's visits whole costs no more
// than inserting them one at a time, which is the first plan it weighs,
// and its cached cost is the plan's own.
func TestInsertClientNoWorse(t *testing.T) {
	r, s, _ := weekConstructed(t, 3, 25, "")
	p := r.p
	tried := 0
	for k := 0; k < len(s.veh) && tried < 10; k += 7 {
		if s.veh[k] < 0 {
			continue
		}
		w := s.clone()
		rn := newRuiner(p, r.tri.near, rand.New(rand.NewPCG(uint64(k), 2)))
		rn.client(w, int32(k))
		if !w.reschedule() {
			continue
		}
		w.refreshLatest()
		var group []int32
		for _, j := range rn.removed {
			if len(p.jobs[j].tasks) == 1 {
				group = append(group, j)
			}
		}
		if len(group) < 2 {
			continue
		}
		tried++
		one := w.clone()
		ins := newInserter(one, rand.New(rand.NewPCG(5, 6)))
		for _, j := range group {
			ins.insertBest(j)
		}
		whole := w.clone()
		ins = newInserter(whole, rand.New(rand.NewPCG(5, 6)))
		r.insertClient(ins, group)
		a, b := one.cost(), whole.cost()
		if better(a, b) {
			t.Errorf("seed %d: whole client %+v, one at a time %+v", k, b, a)
		}
		fresh := whole.clone()
		for c := range fresh.cdirty {
			fresh.cdirty[c] = true
		}
		for c := range fresh.clientDirty {
			fresh.clientDirty[c] = true
		}
		if f := fresh.cost(); f.unserved != b.unserved || abs(f.rest-b.rest) > 1e-6 {
			t.Errorf("seed %d: cached cost %+v, recomputed %+v", k, b, f)
		}
	}
	if tried == 0 {
		t.Fatal("no client with two or more visits to try")
	}
}
