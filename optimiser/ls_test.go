package optimiser

import (
	"context"
	"fmt"
	"testing"

	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/roster"
	"github.com/rounds-dev/rounds/synth"
)

// TestLocalSearchKeepsStateAndRules runs local search over every round of
// constructed plans (ties, breaks, caps, walkers, soft and multiple
// windows) and checks that it never raises the cost, that what it keeps up
// to date piecemeal equals a full recomputation, that the schedule is the
// earliest (a plan timed from nothing is the same), and that the plan it
// leaves passes the checker.
func TestLocalSearchKeepsStateAndRules(t *testing.T) {
	days := map[string]*roster.Instance{
		"locality_day": readDay(t, "../testdata/locality_day.json"),
		"small_day":    readDay(t, "../testdata/small_day.json"),
	}
	for seed := int64(1); seed <= 8; seed++ {
		cfg := synth.DefaultConfig()
		cfg.Seed, cfg.Visits = seed, 40+20*int(seed)
		gen, err := synth.Generate(cfg)
		if err != nil {
			t.Fatal(err)
		}
		days[fmt.Sprintf("generated %d", seed)] = gen
	}
	moved := 0
	for name, in := range days {
		for _, w := range []Weights{DefaultWeights, {Travel: 1}} {
			travel := straightTravel(t, in)
			p, err := newProblem(in, travel, w)
			if err != nil {
				t.Fatal(err)
			}
			r := newRun(p, p.triage(), Options{Seed: 1})
			s := newSolution(p)
			ins := newInserter(s, r.rng)
			ins.gran = r.tri.gran
			r.recreate(ins, append([]int32(nil), r.tri.open...), 0)
			s.refreshLatest()
			before := s.cost()
			ls := newLocalSearch(s, ins.backup, r.tri.near)
			all := make([]int32, len(p.vehicles))
			for v := range all {
				all[v] = int32(v)
			}
			ls.run(all, 1<<20)
			moved += ls.moves
			after := s.cost()
			if after.unserved != before.unserved || after.rest > before.rest+1e-9 {
				t.Errorf("%s %+v: local search took the cost from %+v to %+v", name, w, before, after)
			}
			full := s.clone()
			for c := range full.cdirty {
				full.cdirty[c] = true
			}
			for cl := range full.clientDirty {
				full.clientDirty[cl] = true
			}
			if got := full.cost(); got.rest != after.rest {
				t.Errorf("%s %+v: kept cost %v, recomputed %v", name, w, after.rest, got.rest)
			}
			if !full.reschedule() {
				t.Fatalf("%s %+v: the plan local search left cannot be timed", name, w)
			}
			full.refreshLatest()
			for k := range s.veh {
				if s.veh[k] >= 0 && (s.start[k] != full.start[k] || s.latest[k] != full.latest[k] || s.slack[k] != full.slack[k]) {
					t.Fatalf("%s %+v: task %d start %d latest %d slack %d, timed from nothing %d %d %d", name, w, k,
						s.start[k], s.latest[k], s.slack[k], full.start[k], full.latest[k], full.slack[k])
				}
			}
			r.best, r.bestCost = s, after
			for _, v := range roster.Check(in, travel, r.plan(travel)) {
				t.Errorf("%s %+v: %s", name, w, v)
			}
		}
	}
	if moved == 0 {
		t.Error("local search kept no move on any plan")
	}
	t.Logf("%d moves kept", moved)
}

// straightTravel is in's travel in straight lines.
func straightTravel(t *testing.T, in *roster.Instance) roster.Travel {
	t.Helper()
	prov, err := geo.NewStraightLine(in.Travel)
	if err != nil {
		t.Fatal(err)
	}
	travel, err := geo.ForInstance(context.Background(), prov, in)
	if err != nil {
		t.Fatal(err)
	}
	return travel
}
