package optimiser

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

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
	days := testDays(t, func(seed int) (string, *roster.Instance) {
		cfg := synth.DefaultConfig()
		cfg.Seed, cfg.Visits = int64(seed), 40+20*seed
		gen, err := synth.Generate(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("generated %d", seed), gen
	})
	moved := 0
	for name, in := range days {
		for _, w := range []Weights{DefaultWeights, {Travel: 1}} {
			r, s, ins, travel := constructedWith(t, in, w)
			p := r.p
			s.refreshLatest()
			before := s.cost()
			ls := newLocalSearch(s, ins.backup, r.tri.near, r.tri.nearestStarts(p))
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

// windowDay is a random day of single-handed visits with one hard window
// each (or soft, when soft is set) and drivers who start and end alike,
// on one shift, with no caps or breaks: the rounds the window screens of
// local search are exact for.
func windowDay(seed uint64, soft bool) *roster.Instance {
	rng := rand.New(rand.NewPCG(seed, 11))
	in := &roster.Instance{Name: fmt.Sprintf("windows %d", seed), Date: "2026-11-24", TimeZone: "Europe/London"}
	near := func() roster.Location {
		return roster.Location{Lat: 53.80 + rng.Float64()*0.06, Lon: -1.60 + rng.Float64()*0.08}
	}
	home := near()
	for k := 0; k < 3+rng.IntN(3); k++ {
		// Two shift ends, so that some pairs of rounds end alike and
		// some do not.
		in.Carers = append(in.Carers, roster.Carer{ID: fmt.Sprintf("K%d", k+1), Start: home, Mode: roster.Drive,
			Shifts: []roster.Shift{{Start: 8 * 3600, End: roster.Clock((16 + 2*rng.IntN(2)) * 3600)}}})
	}
	for i := 0; i < 20+rng.IntN(20); i++ {
		id := fmt.Sprintf("C%d", i+1)
		in.Clients = append(in.Clients, roster.Client{ID: id, Location: near()})
		open := 8*3600 + rng.IntN(7*3600)
		v := roster.Visit{ID: fmt.Sprintf("V%d", i+1), Client: id, DurationMin: 15 + rng.IntN(31),
			Windows: []roster.Window{{Start: roster.Clock(open), End: roster.Clock(open + 600 + rng.IntN(3*3600))}}}
		if soft {
			v.WindowType = roster.Soft
		}
		in.Visits = append(in.Visits, v)
	}
	return in
}

// TestLocalSearchScreensMatchTiming fuzzes the window screens against the
// exact timing. On rounds of hard windows, untied, without breaks or caps,
// a visit placed in another round (fitsAt), two visits of different
// rounds swapped (fitsBetween) and, for rounds ending alike, two rounds'
// tails exchanged (tailsFit) pass the screen exactly when the exact
// timing finds the rounds feasible. With soft windows, a move that
// passes starts no visit late that was on time.
func TestLocalSearchScreensMatchTiming(t *testing.T) {
	checked := 0
	for seed := uint64(1); seed <= 30; seed++ {
		soft := seed%3 == 0
		in := windowDay(seed, soft)
		if err := in.Validate(); err != nil {
			t.Fatal(err)
		}
		r, s, _, _ := constructedWith(t, in, Weights{Travel: 1})
		p := r.p
		s.refreshLatest()
		backup := s.clone()
		s.clearChanged()
		lateBefore := func() int32 {
			n := int32(0)
			for k := range s.veh {
				if s.veh[k] >= 0 {
					n += p.visits[p.tasks[k].visit].lateness(s.start[k])
				}
			}
			return n
		}
		undo := func() {
			s.undo(backup)
		}
		judge := func(what string, screen bool, late0 int32) {
			exact := s.propagate() && s.settle()
			switch {
			case !soft && screen != exact:
				t.Fatalf("seed %d, %s: screen %v, exact timing %v", seed, what, screen, exact)
			case soft && screen && (!exact || lateBefore() > late0):
				t.Fatalf("seed %d, %s: screen passed a move that the timing finds infeasible (%v) or late", seed, what, exact)
			}
			checked++
			undo()
		}
		for v := range s.routes {
			for b := range s.routes {
				if v == b {
					continue
				}
				late0 := lateBefore()
				for _, u := range slices.Clone(s.routes[v]) {
					for q := 0; q <= len(s.routes[b]); q++ {
						screen := s.fitsAt(u, int32(b), q)
						s.removeTask(u)
						s.insertTask(u, b, q)
						s.enqueue(int32(v))
						s.enqueue(int32(b))
						// A round that lost a visit is timed as it stands;
						// the screen speaks for the one that gained it.
						judge(fmt.Sprintf("visit %d into round %d at %d", u, b, q), screen, late0)
					}
				}
				for i, u := range slices.Clone(s.routes[v]) {
					for j, t := range slices.Clone(s.routes[b]) {
						screen := s.fitsBetween(t, int32(v), i, i+1) && s.fitsBetween(u, int32(b), j, j+1)
						s.removeTask(u)
						s.removeTask(t)
						s.insertTask(t, v, i)
						s.insertTask(u, b, j)
						s.enqueue(int32(v))
						s.enqueue(int32(b))
						judge(fmt.Sprintf("visits %d and %d swapped", u, t), screen, late0)
					}
				}
				if !p.alike(int32(v), int32(b)) {
					continue
				}
				ra, rb := slices.Clone(s.routes[v]), slices.Clone(s.routes[b])
				for i := 0; i <= len(ra); i++ {
					for j := 0; j <= len(rb); j++ {
						screen := s.tailsFit(int32(v), i, int32(b), j)
						for _, k := range ra[i:] {
							s.removeTask(k)
						}
						for _, k := range rb[j:] {
							s.removeTask(k)
						}
						for _, k := range rb[j:] {
							s.insertTask(k, v, len(s.routes[v]))
						}
						for _, k := range ra[i:] {
							s.insertTask(k, b, len(s.routes[b]))
						}
						s.enqueue(int32(v))
						s.enqueue(int32(b))
						judge(fmt.Sprintf("tails of rounds %d from %d and %d from %d", v, i, b, j), screen, late0)
					}
				}
			}
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d moves checked", checked)
	}
	t.Logf("%d moves checked", checked)
}

// TestLocalSearchModes: auto uses local search where no visit has a soft
// window and not where one has (the same plan as off, seed for seed);
// on and off are kept to; an unknown mode is refused.
func TestLocalSearchModes(t *testing.T) {
	ctx := context.Background()
	solve := func(in *roster.Instance, m LocalSearchMode) *roster.Plan {
		t.Helper()
		pl, err := Solve(ctx, in, straightTravel(t, in), Options{Seed: 3, Iterations: 150, Workers: 1, LocalSearch: m})
		if err != nil {
			t.Fatal(err)
		}
		pl.Solver.ElapsedS = 0
		return pl
	}
	same := func(a, b *roster.Plan) bool {
		x, _ := json.Marshal(a)
		y, _ := json.Marshal(b)
		return string(x) == string(y)
	}
	soft := readDay(t, "../testdata/locality_day.json")
	hard := readDay(t, "../testdata/small_day.json")
	p, err := newProblem(soft, straightTravel(t, soft), DefaultWeights)
	if err != nil {
		t.Fatal(err)
	}
	q, err := newProblem(hard, straightTravel(t, hard), DefaultWeights)
	if err != nil {
		t.Fatal(err)
	}
	if p.localSearch(LocalSearchAuto) || !q.localSearch(LocalSearchAuto) || !p.localSearch(LocalSearchOn) || q.localSearch(LocalSearchOff) {
		t.Fatal("auto should use local search on the day of hard windows only, and on and off be kept to")
	}
	if !same(solve(soft, LocalSearchAuto), solve(soft, LocalSearchOff)) {
		t.Error("auto on a day with soft windows differs from off")
	}
	if !same(solve(hard, LocalSearchAuto), solve(hard, LocalSearchOn)) {
		t.Error("auto on a day of hard windows differs from on")
	}
	if _, err := Solve(ctx, hard, straightTravel(t, hard), Options{LocalSearch: "sometimes"}); err == nil {
		t.Error("an unknown local search mode was taken")
	}
}
