package optimiser_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/optimiser"
	"github.com/rounds-dev/rounds/roster"
)

// skeletonOf is the rota of plan pl as a coordinator would send it back
// unchanged: each round's carer, date, shift and visits in order.
func skeletonOf(pl *roster.Plan) *roster.Skeleton {
	sk := &roster.Skeleton{}
	for _, r := range pl.Rounds {
		sr := roster.SkeletonRound{Carer: r.Carer, Date: r.Date, Shift: r.Shift}
		for _, st := range r.Stops {
			sr.Visits = append(sr.Visits, roster.SkeletonStop{Visit: st.Visit})
		}
		sk.Rounds = append(sk.Rounds, sr)
	}
	return sk
}

// unassignedIDs are the ids of the visits unassigned in pl.
func unassignedIDs(pl *roster.Plan) []string {
	var out []string
	for _, u := range pl.Unassigned {
		out = append(out, u.Visit)
	}
	slices.Sort(out)
	return out
}

// TestEvaluateSolvedPlanUnchanged: a solved plan sent back as it stands
// is timed exactly as the solve timed it (the same rounds, stops, breaks
// and figures), breaks no rule, and gives its unserved visits the reason
// by_hand.
func TestEvaluateSolvedPlanUnchanged(t *testing.T) {
	for _, c := range []struct {
		name string
		in   func(t *testing.T) *roster.Instance
	}{
		{"small_day", fromFile("../testdata/small_day.json")},
		{"example_day", fromFile("../testdata/example_day.json")},
		{"locality_day", fromFile("../testdata/locality_day.json")},
		{"mankowska_uniform", fromFile("testdata/golden/mankowska_uniform.json")},
		{"week_small", fromFile("../testdata/week_small.json")},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := c.in(t)
			travel := travelFor(t, in)
			ctx := context.Background()
			solved, err := optimiser.Solve(ctx, in, travel, optimiser.Options{Seed: 1, Iterations: 300, Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			got, err := optimiser.Evaluate(ctx, in, travel, skeletonOf(solved))
			if err != nil {
				t.Fatal(err)
			}
			if vs := roster.Check(in, travel, got); len(vs) > 0 {
				t.Fatalf("the timed plan breaks %d rules: %v", len(vs), vs)
			}
			for i := range solved.Rounds {
				a, _ := json.Marshal(solved.Rounds[i])
				b, _ := json.Marshal(got.Rounds[i])
				if string(a) != string(b) {
					t.Fatalf("rounds[%d] differs:\nsolve    %s\nevaluate %s", i, a, b)
				}
			}
			if len(got.Rounds) != len(solved.Rounds) {
				t.Fatalf("%d rounds, want %d", len(got.Rounds), len(solved.Rounds))
			}
			a, _ := json.Marshal(solved.KPIs)
			b, _ := json.Marshal(got.KPIs)
			if string(a) != string(b) {
				t.Errorf("kpis differ:\nsolve    %s\nevaluate %s", a, b)
			}
			if (solved.PeriodKPIs == nil) != (got.PeriodKPIs == nil) {
				t.Errorf("period_kpis given by one plan only")
			}
			if !slices.Equal(unassignedIDs(solved), unassignedIDs(got)) {
				t.Errorf("unassigned %v, want %v", unassignedIDs(got), unassignedIDs(solved))
			}
			for _, u := range got.Unassigned {
				if u.Reason != roster.ReasonByHand {
					t.Errorf("unassigned %s: reason %s, want %s", u.Visit, u.Reason, roster.ReasonByHand)
				}
			}
		})
	}
}

// codesAt lists the codes of the violations whose path is at or under
// path.
func codesAt(vs []roster.Violation, path string) []string {
	var out []string
	for _, v := range vs {
		if v.Path == path || strings.HasPrefix(v.Path, path+".") {
			out = append(out, v.Code)
		}
	}
	return out
}

// TestEvaluateTimesRuleBreaks: each way a coordinator can break a rule by
// hand is timed, never refused, and the checker reports it at the stop or
// round it concerns, in the order the rounds were sent.
func TestEvaluateTimesRuleBreaks(t *testing.T) {
	in := fromFile("../testdata/small_day.json")(t)
	travel := travelFor(t, in)
	ctx := context.Background()
	solved, err := optimiser.Solve(ctx, in, travel, optimiser.Options{Seed: 1, Iterations: 300, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	// A visit needing a skill and a carer without it.
	skilled, unskilled := "", ""
	for _, v := range in.Visits {
		if len(v.RequiredSkills) > 0 && v.CarersNeeded() == 1 {
			skilled = v.ID
			for _, c := range in.Carers {
				if !c.HasSkill(v.RequiredSkills[0]) && len(c.Shifts) > 0 {
					unskilled = c.ID
				}
			}
			break
		}
	}
	if skilled == "" || unskilled == "" {
		t.Fatal("the fixture lacks a skilled visit and a carer without the skill")
	}
	sk := skeletonOf(solved)
	// Take the skilled visit out of its round and put it first in the
	// unskilled carer's round (a new round at the end if they have none).
	for i := range sk.Rounds {
		sk.Rounds[i].Visits = slices.DeleteFunc(sk.Rounds[i].Visits, func(s roster.SkeletonStop) bool { return s.Visit == skilled })
	}
	sk.Rounds = slices.DeleteFunc(sk.Rounds, func(r roster.SkeletonRound) bool { return len(r.Visits) == 0 })
	// Reverse the rounds, so that the plan's own order would differ.
	slices.Reverse(sk.Rounds)
	target := -1
	for i, r := range sk.Rounds {
		if r.Carer == unskilled {
			target = i
		}
	}
	if target < 0 {
		sk.Rounds = append(sk.Rounds, roster.SkeletonRound{Carer: unskilled})
		target = len(sk.Rounds) - 1
	}
	sk.Rounds[target].Visits = append([]roster.SkeletonStop{{Visit: skilled}}, sk.Rounds[target].Visits...)
	got, err := optimiser.Evaluate(ctx, in, travel, sk)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range got.Rounds {
		if r.Carer != sk.Rounds[i].Carer || len(r.Stops) != len(sk.Rounds[i].Visits) {
			t.Fatalf("rounds[%d] is carer %s with %d stops; the skeleton's is %s with %d", i, r.Carer, len(r.Stops), sk.Rounds[i].Carer, len(sk.Rounds[i].Visits))
		}
		for k, st := range r.Stops {
			if st.Visit != sk.Rounds[i].Visits[k].Visit {
				t.Fatalf("rounds[%d].stops[%d] is %s, the skeleton's %s", i, k, st.Visit, sk.Rounds[i].Visits[k].Visit)
			}
		}
	}
	vs := roster.Check(in, travel, got)
	path := "rounds[" + itoa(target) + "].stops[0]"
	if !slices.Contains(codesAt(vs, path), "skill") {
		t.Fatalf("no skill violation at %s: %v", path, vs)
	}
	for _, v := range vs {
		if v.Code == "kpi" || v.Code == "time_arithmetic" || v.Code == "travel_time" || v.Code == "lateness" {
			t.Errorf("the timing itself is wrong: %v", v)
		}
	}
}

// TestEvaluateRequestedStart: a visit moved to a later time starts no
// earlier than asked, and the plan's times and figures still check.
func TestEvaluateRequestedStart(t *testing.T) {
	in := fromFile("../testdata/small_day.json")(t)
	travel := travelFor(t, in)
	ctx := context.Background()
	solved, err := optimiser.Solve(ctx, in, travel, optimiser.Options{Seed: 1, Iterations: 300, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	sk := skeletonOf(solved)
	r := 0
	first := solved.Rounds[r].Stops[0]
	later := first.Start + 90*60
	sk.Rounds[r].Visits[0].Start = &later
	got, err := optimiser.Evaluate(ctx, in, travel, sk)
	if err != nil {
		t.Fatal(err)
	}
	if st := got.Rounds[r].Stops[0].Start; st < later {
		t.Fatalf("visit %s starts %v, before the %v asked for", first.Visit, st, later)
	}
	for _, v := range roster.Check(in, travel, got) {
		switch v.Code {
		case "window", "shift", "max_working_time", "break", "partner_start", "dependency", "dependency_gap", "overlap":
			// The move may break these rules; they are the checker's to say.
		default:
			t.Errorf("the timing itself is wrong: %v", v)
		}
	}
}

// TestEvaluateMalformedSkeleton: a skeleton that cannot be read against
// the instance is field errors with paths from its root.
func TestEvaluateMalformedSkeleton(t *testing.T) {
	in := fromFile("../testdata/small_day.json")(t)
	travel := travelFor(t, in)
	c0, v0, v1 := in.Carers[0].ID, in.Visits[0].ID, in.Visits[1].ID
	for _, c := range []struct {
		name string
		sk   roster.Skeleton
		path string
	}{
		{"unknown visit", roster.Skeleton{Rounds: []roster.SkeletonRound{{Carer: c0, Visits: []roster.SkeletonStop{{Visit: v0}, {Visit: "nope"}}}}}, "rounds[0].visits[1].visit"},
		{"unknown carer", roster.Skeleton{Rounds: []roster.SkeletonRound{{Carer: "nobody", Visits: []roster.SkeletonStop{{Visit: v0}}}}}, "rounds[0].carer"},
		{"visit twice", roster.Skeleton{Rounds: []roster.SkeletonRound{{Carer: c0, Visits: []roster.SkeletonStop{{Visit: v1}, {Visit: v1}}}}}, "rounds[0].visits[1].visit"},
		{"no such shift", roster.Skeleton{Rounds: []roster.SkeletonRound{{Carer: c0, Shift: 7, Visits: []roster.SkeletonStop{{Visit: v0}}}}}, "rounds[0].shift"},
		{"two rounds for a shift", roster.Skeleton{Rounds: []roster.SkeletonRound{{Carer: c0, Visits: []roster.SkeletonStop{{Visit: v0}}}, {Carer: c0}}}, "rounds[1].shift"},
		{"another date", roster.Skeleton{Rounds: []roster.SkeletonRound{{Carer: c0, Date: "1999-01-01", Visits: []roster.SkeletonStop{{Visit: v0}}}}}, "rounds[0].date"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := optimiser.Evaluate(context.Background(), in, travel, &c.sk)
			var fes roster.FieldErrors
			if !errors.As(err, &fes) || len(fes) == 0 || fes[0].Path != c.path {
				t.Fatalf("got %v, want a field error at %s", err, c.path)
			}
		})
	}
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

// handDay is two carers on 08:00-10:00 and three calls 10 minutes' drive
// apart: A and B double-handed in hard windows of 08:00-09:00, C single.
func handDay(noWait bool) *roster.Instance {
	win := []roster.Window{{Start: hm(8, 0), End: hm(9, 0)}}
	shift := []roster.Shift{{Start: hm(8, 0), End: hm(10, 0)}}
	return &roster.Instance{
		Name: "by hand", Date: "2026-11-23", TimeZone: "UTC",
		Rules: &roster.Rules{NoWaiting: noWait},
		Carers: []roster.Carer{
			{ID: "K1", Mode: roster.Drive, Shifts: shift},
			{ID: "K2", Mode: roster.Drive, Shifts: shift},
		},
		Clients: []roster.Client{{ID: "CA"}, {ID: "CB"}, {ID: "CC"}},
		Visits: []roster.Visit{
			{ID: "A", Client: "CA", DurationMin: 30, Carers: 2, Windows: win},
			{ID: "B", Client: "CB", DurationMin: 30, Carers: 2, Windows: win},
			{ID: "C", Client: "CC", DurationMin: 45, Windows: []roster.Window{{Start: hm(9, 30), End: hm(10, 0)}}},
		},
		Travel: legsMatrix(uniform(7, 600)),
	}
}

// TestEvaluateNeverRefuses: rotas no solve would make are timed, and the
// checker names each broken rule where it lies: partners chasing each
// other round a cycle of ties, a double-handed visit with one carer, a
// round past its shift, a hard window missed, waiting where it is
// forbidden.
func TestEvaluateNeverRefuses(t *testing.T) {
	round := func(carer string, visits ...string) roster.SkeletonRound {
		r := roster.SkeletonRound{Carer: carer}
		for _, v := range visits {
			r.Visits = append(r.Visits, roster.SkeletonStop{Visit: v})
		}
		return r
	}
	for _, c := range []struct {
		name   string
		noWait bool
		sk     roster.Skeleton
		want   map[string]string // path -> a code there
	}{
		{"ties in a cycle", false, roster.Skeleton{Rounds: []roster.SkeletonRound{round("K1", "A", "B"), round("K2", "B", "A")}},
			map[string]string{"rounds[1].stops[1]": "partner_start"}},
		{"one carer for two", false, roster.Skeleton{Rounds: []roster.SkeletonRound{round("K2", "A", "C")}},
			map[string]string{"rounds[0].stops[0]": "partner_missing"}},
		{"past the shift and late", false, roster.Skeleton{Rounds: []roster.SkeletonRound{round("K1", "C", "A", "B"), round("K2", "A", "B")}},
			map[string]string{"rounds[0].return": "shift", "rounds[0].stops[1].start": "window"}},
		{"waiting forbidden", true, roster.Skeleton{Rounds: []roster.SkeletonRound{round("K1", "C")}},
			map[string]string{"rounds[0].departure": "waiting"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := handDay(c.noWait)
			travel := travelFor(t, in)
			pl, err := optimiser.Evaluate(context.Background(), in, travel, &c.sk)
			if err != nil {
				t.Fatal(err)
			}
			vs := roster.Check(in, travel, pl)
			for path, code := range c.want {
				if !slices.Contains(codesAt(vs, path), code) {
					t.Errorf("no %s at %s: %v", code, path, vs)
				}
			}
			for _, v := range vs {
				if v.Code == "kpi" || v.Code == "time_arithmetic" || v.Code == "travel_time" || v.Code == "lateness" || v.Code == "reason" || v.Code == "lost" {
					t.Errorf("the timing itself is wrong: %v", v)
				}
			}
		})
	}
}
