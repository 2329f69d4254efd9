package optimiser

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/roster"
	"github.com/rounds-dev/rounds/synth"
)

// weekConstructed freezes a generated week of about perDay visits a day
// and builds a solution by one construction pass.
func weekConstructed(tb testing.TB, seed int64, perDay int, start string) (*run, *solution, *roster.Expanded) {
	tb.Helper()
	cfg := synth.DefaultWeekConfig()
	cfg.Seed, cfg.VisitsPerDay, cfg.Start = seed, perDay, start
	in, err := synth.GenerateWeek(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	prov, err := geo.NewStraightLine(in.Travel)
	if err != nil {
		tb.Fatal(err)
	}
	travel, err := geo.ForInstance(context.Background(), prov, in)
	if err != nil {
		tb.Fatal(err)
	}
	flat, x, err := expandForSolve(in)
	if err != nil {
		tb.Fatal(err)
	}
	p, err := newPeriodProblem(flat, x, travel, DefaultWeights)
	if err != nil {
		tb.Fatal(err)
	}
	r := newRun(p, p.triage(), Options{Seed: 1})
	s := newSolution(p)
	ins := newInserter(s, r.rng)
	ins.gran = r.tri.gran
	r.recreate(ins, append([]int32(nil), r.tri.open...), 0)
	return r, s, x
}

// findTerm is the evaluator's term of type T, if it has one.
func findTerm[T costTerm](e *evaluator) (T, bool) {
	for _, c := range e.terms() {
		if t, ok := c.(T); ok {
			return t, true
		}
	}
	var zero T
	return zero, false
}

// distinctCarersValue is the distinct-carers term worked out from the
// plan alone: per client, the carers serving any leg of its visits.
func distinctCarersValue(s *solution, perCarer float64) float64 {
	p := s.p
	seen := map[[2]int32]bool{}
	n := make([]int, len(p.in.Clients))
	for k, v := range s.veh {
		if v < 0 {
			continue
		}
		key := [2]int32{p.visits[p.tasks[k].visit].client, p.vehicles[v].carer}
		if !seen[key] {
			seen[key] = true
			n[key[0]]++
		}
	}
	total := 0.0
	for _, m := range n {
		total += perCarer * float64(max(0, m-1))
	}
	return total
}

// TestDistinctCarersTerm: the term's cached value is the distinct carers
// worked out from the plan alone, through insertions and removals; its
// estimate of putting one leg at a place is the exact change; and a
// one-day plan has no such term.
func TestDistinctCarersTerm(t *testing.T) {
	r, s, _ := weekConstructed(t, 2, 25, "")
	p := r.p
	w := p.w.DistinctCarer
	term, found := findTerm[distinctCarersTerm](p.eval)
	if !found {
		t.Fatalf("a week's evaluator has no distinct-carers term among its %d terms", len(p.eval.terms()))
	}
	clientSum := func(s *solution) float64 {
		total := 0.0
		for cl := range p.in.Clients {
			total += term.clientCost(s, int32(cl))
		}
		return total
	}
	if got, want := clientSum(s), distinctCarersValue(s, w); got != want || want == 0 {
		t.Fatalf("term %v, from the plan %v (want them equal and above 0)", got, want)
	}
	// The cached cost agrees with a fresh solution's after moves.
	rng := rand.New(rand.NewPCG(3, 4))
	ins := newInserter(s, rng)
	ins.maxLeg = 1 << 20
	jobs := assignedJobs(r, s)
	places := 0
	for it := 0; it < 30; it++ {
		j := jobs[rng.IntN(len(jobs))]
		if !s.assigned(j) || len(p.jobs[j].tasks) != 1 {
			continue
		}
		k := p.jobs[j].tasks[0]
		whole := s.clone()
		s.removeTask(k)
		if !s.reschedule() {
			s.copyFrom(whole)
			continue
		}
		s.refreshLatest()
		s.cost()
		before := distinctCarersValue(s, w)
		saved := s.clone()
		for _, pl := range ins.legPlaces(k, nil) {
			at := ins.at // legPlaces leaves the client's carers in it
			at.carer = p.vehicles[pl.v].carer
			if !s.apply(j, &combo{places: []place{pl}}) {
				s.copyFrom(saved)
				continue
			}
			places++
			if est, delta := term.estimate(s, &at), distinctCarersValue(s, w)-before; math.Abs(est-delta) > 1e-9 {
				t.Errorf("task %d on carer %d: estimate %v, exact change %v", k, at.carer, est, delta)
			}
			s.copyFrom(saved)
		}
		if !ins.insertBest(j) {
			t.Fatal("a visit just taken out fits nowhere")
		}
		fresh := s.clone()
		for cl := range fresh.clientDirty {
			fresh.clientDirty[cl] = true
		}
		for c := range fresh.cdirty {
			fresh.cdirty[c] = true
		}
		if got, want := s.cost().rest, fresh.cost().rest; math.Abs(got-want) > 1e-6*math.Abs(want) {
			t.Fatalf("cached cost %v, worked out afresh %v", got, want)
		}
	}
	if places < 20 {
		t.Fatalf("only %d places tried", places)
	}
	_, day := benchProblem(t, "../testdata/locality_day.json")
	if n := len(day.p.eval.clients); n != 0 || day.clientCost != nil {
		t.Errorf("a one-day plan has %d client terms", n)
	}
}

// weekRuleFixture is one carer with one round slot on each of seven days
// under the rules of the Working Time Regulations, every slot holding one
// visit, timed by hand.
func weekRuleFixture() *solution {
	p := &problem{days: 7, dailyRestS: 11 * 3600, weeklyRestS: 24 * 3600}
	ci := carerInfo{weekCapS: []int64{48 * 3600}}
	for d := 0; d <= 7; d++ {
		p.dayStart = append(p.dayStart, int32(d*86400))
		ci.dayFrom = append(ci.dayFrom, int32(d))
	}
	s := &solution{p: p}
	for d := 0; d < 7; d++ {
		ci.vehicles = append(ci.vehicles, int32(d))
		p.vehicles = append(p.vehicles, vehicle{day: int32(d)})
		s.routes = append(s.routes, []int32{0})
		s.brk = append(s.brk, -1)
		s.depart = append(s.depart, 0)
		s.ret = append(s.ret, 0)
	}
	p.carers = []carerInfo{ci}
	return s
}

// work times day d's round from hour from to hour to (past 24 for the
// next morning); from < 0 leaves the day without work.
func work(s *solution, d int, from, to float64) {
	if from < 0 {
		s.routes[d] = nil
		return
	}
	s.depart[d] = int32(d*86400) + int32(from*3600)
	s.ret[d] = int32(d*86400) + int32(to*3600)
}

// TestWeekRules checks each rule over a carer's period against weeks
// timed by hand, at and either side of each limit, as roster.Check
// measures them.
func TestWeekRules(t *testing.T) {
	type day struct{ from, to float64 }
	every := func(from, to float64) [7]day {
		var w [7]day
		for d := range w {
			w[d] = day{from, to}
		}
		return w
	}
	with := func(w [7]day, d int, x day) [7]day { w[d] = x; return w }
	off := day{-1, 0}
	cases := []struct {
		name string
		rule weekRule
		week [7]day
		cap  int64 // the carer's week cap; 0 keeps 48 h
		want bool
	}{
		{"48 hours exactly", weekHoursRule{}, with(every(8, 15), 6, day{8, 14}), 0, true},
		{"a second over 48 hours", weekHoursRule{}, with(with(every(8, 15), 6, day{8, 14}), 0, day{8, 15 + 1.0/3600}), 0, false},
		{"opted out of the 48-hour week", weekHoursRule{}, every(7, 22), -1, true},
		{"over the contract", weekHoursRule{}, every(8, 12), 20 * 3600, false},
		{"11 hours' rest", dailyRestRule{}, every(7, 20), 0, true},
		{"9 hours' rest after a split shift's evening", dailyRestRule{}, with(every(7, 14), 2, day{7, 22}), 0, false},
		{"a day off between", dailyRestRule{}, with(with(every(7, 14), 2, day{7, 22}), 3, off), 0, true},
		{"a night round past midnight is its date's work", dailyRestRule{}, with(every(9, 14), 2, day{20, 25}), 0, false},
		{"no day with 24 hours' rest", weeklyRestRule{}, every(7, 20), 0, false},
		{"a day off gives 35 hours", weeklyRestRule{}, with(every(7, 20), 3, off), 0, true},
		{"the week's first edge counts", weeklyRestRule{}, with(every(7, 20), 0, off), 0, true},
		{"the week's last edge counts", weeklyRestRule{}, with(every(7, 20), 6, off), 0, true},
		{"rest after the week does not count", weeklyRestRule{}, with(every(7, 20), 6, day{7, 15}), 0, false},
		{"rest before the week does not count", weeklyRestRule{}, with(every(7, 20), 0, day{12, 20}), 0, false},
		{"24 hours exactly", weeklyRestRule{}, with(with(every(7, 20), 3, day{7, 10}), 4, day{10, 20}), 0, true},
		{"a second short of 24 hours", weeklyRestRule{}, with(with(every(7, 20), 3, day{7, 10 + 1.0/3600}), 4, day{10, 20}), 0, false},
		{"a week without work", weeklyRestRule{}, every(-1, 0), 0, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := weekRuleFixture()
			if c.cap != 0 {
				s.p.carers[0].weekCapS[0] = c.cap
			}
			for d, x := range c.week {
				work(s, d, x.from, x.to)
			}
			if got := c.rule.holds(s, 0); got != c.want {
				t.Errorf("%s: holds = %v, want %v", c.rule.name(), got, c.want)
			}
		})
	}
}

// TestWallClock: instants read as wall-clock time of day on their date as
// roster reads them, through the clocks going back on 25 October 2026.
func TestWallClock(t *testing.T) {
	_, s, x := weekConstructed(t, 4, 10, "2026-10-21")
	p := s.p
	if len(p.wall.at) != 2 {
		t.Fatalf("%d offsets in a period with one clock change, want 2", len(p.wall.at))
	}
	for d := 0; d < p.days; d++ {
		for t0 := p.dayStart[d]; t0 < p.dayStart[d]+30*3600; t0 += 600 {
			want, err := x.WallClock(x.Date(d), roster.Clock(t0))
			if err != nil {
				t.Fatal(err)
			}
			if got := p.wall.of(int32(d), t0); got != int32(want) {
				t.Fatalf("day %d, instant %d: wall clock %d, roster says %d", d, t0, got, want)
			}
			if back := p.wall.instant(int32(d), int32(want), t0); back != t0 {
				t.Fatalf("day %d: wall clock %d read back as %d, want %d", d, want, back, t0)
			}
		}
	}
}
