package convrp

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

// zeroSolution is a feasible solution of testdata/zero.vrp: customers 1
// (6, 8) and 2 (6, 0) on day 1, 10 + 8 + 6 = 24; customers 2 and 3 (-3, 4)
// on day 2, 6 + 9.85 + 5 = 20.85.
func zeroSolution() *Solution {
	return &Solution{Instance: "zero", Routes: []Route{
		{Day: 0, Driver: 1, Customers: []int{1, 2}},
		{Day: 1, Driver: 1, Customers: []int{2, 3}},
	}}
}

// planOf is the plan of conv that serves sol's routes: each carer leaves
// the depot at 0 and never waits, with conv's travel and durations.
func planOf(t *testing.T, conv *roster.Instance, sol *Solution) *roster.Plan {
	t.Helper()
	m := conv.Travel.Matrices[roster.Drive]
	n := len(conv.Clients)
	p := &roster.Plan{Instance: conv.Name, Rounds: []roster.Round{}, Unassigned: []roster.Unassigned{}}
	for _, r := range sol.Routes {
		k := r.Driver - 1
		rd := roster.Round{Carer: conv.Carers[k].ID, Mode: roster.Drive}
		now, at := roster.Clock(0), conv.CarerStartPoint(k)
		for _, c := range r.Customers {
			id := roster.VisitID(clientID(c), fmt.Sprintf("2026-11-%d", 23+r.Day))
			v := slices.IndexFunc(conv.Visits, func(v roster.Visit) bool { return v.ID == id })
			if v < 0 {
				t.Fatalf("no visit %s", id)
			}
			st := roster.Stop{Visit: id, Client: clientID(c), TravelS: m.DurationsS[at][c-1], DistanceM: m.DistancesM[at][c-1]}
			st.Arrival = now + roster.Clock(st.TravelS)
			st.Start, st.End = st.Arrival, st.Arrival+roster.Clock(60*conv.Visits[v].DurationMin)
			rd.Stops = append(rd.Stops, st)
			now, at = st.End, c-1
		}
		end := n + 2*k + 1
		rd.ReturnTravelS, rd.ReturnDistanceM = m.DurationsS[at][end], m.DistancesM[at][end]
		rd.Return = now + roster.Clock(rd.ReturnTravelS)
		p.Rounds = append(p.Rounds, rd)
	}
	return p
}

// checkConverted checks that conv is a sound conversion of in at scale s
// and cap L, and that sol, served in conv without waiting, keeps its
// routes, arrivals, durations and distance through the rounding that the
// package documentation bounds.
func checkConverted(t *testing.T, in *Instance, conv *roster.Instance, s int, L float64, sol *Solution) {
	t.Helper()
	if err := conv.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	x, err := roster.Expand(conv)
	if err != nil {
		t.Fatalf("Expand: %v", err)
	}
	if es := roster.NotPlanned(conv); len(es) != 0 {
		t.Errorf("NotPlanned = %v, want the whole conversion planned", es)
	}
	if len(conv.Carers) != len(in.Customers) || len(conv.Clients) != len(in.Customers) {
		t.Errorf("%d carers and %d clients, want %d of each", len(conv.Carers), len(conv.Clients), len(in.Customers))
	}
	if got := len(x.Instance.Visits); got != in.Visits() {
		t.Errorf("%d expanded visits, want %d", got, in.Visits())
	}
	for i, v := range conv.Visits {
		c, _ := strings.CutPrefix(conv.Visits[i].Client, "c")
		var id int
		fmt.Sscan(c, &id)
		if d := x.VisitDay[i]; !in.Customers[id-1].Visited(d) || v.Load != int(in.Customers[id-1].Demand[d]) {
			t.Errorf("visit %s on day %d with load %d: customer %d has demand %v", v.ID, d+1, v.Load, id, in.Customers[id-1].Demand[d])
		}
	}
	r := conv.Rules
	if cap, ok := r.DistinctCarersCap(); !ok || cap != 1 || !r.WaitingForbidden() || r.DailyRestH() != 0 || r.WeeklyRestH() != 0 {
		t.Errorf("rules %+v: want one carer a client, no waiting and no rest rules", *r)
	}
	spread, capped := r.CallTimeSpreadCapMin()
	if capped == math.IsInf(L, 1) || (capped && float64(spread) != L*float64(s)/60) {
		t.Errorf("spread cap %d (%v) for L = %v at %d s a unit", spread, capped, L, s)
	}
	for k, c := range x.Instance.Carers {
		if len(c.Shifts) != in.Days || c.Capacity != int(in.Capacity) {
			t.Fatalf("carer %s: %d shifts and capacity %d, want %d and %v", c.ID, len(c.Shifts), c.Capacity, in.Days, in.Capacity)
		}
		for d, sh := range c.Shifts {
			if sh.Start != x.DayStart[d] || (in.DurationLimited() && float64(sh.End-sh.Start) != math.Floor(in.MaxDuration*float64(s))) {
				t.Errorf("carer %d day %d: shift %v-%v", k, d, sh.Start, sh.End)
			}
		}
	}
	if sol == nil {
		return
	}

	res, err := Evaluate(in, sol, L)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Feasible() {
		t.Fatalf("the solution is infeasible: %v", res.Violations)
	}
	p := planOf(t, conv, sol)
	back, err := Back(in, conv, p)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(back.Routes, sol.Routes, func(a, b Route) bool {
		return a.Day == b.Day && a.Driver == b.Driver && slices.Equal(a.Customers, b.Customers)
	}) {
		t.Errorf("Back gives %v, want %v", back.Routes, sol.Routes)
	}
	// Every leg is off by at most half a second; the service folded into
	// legs leaving customers without service comes back exactly.
	travel, legs, first, last := 0, 0, map[int]roster.Clock{}, map[int]roster.Clock{}
	for i, rd := range p.Rounds {
		for j, st := range rd.Stops {
			c := sol.Routes[i].Customers[j]
			want := res.Arrival[c-1][sol.Routes[i].Day] * float64(s)
			if math.Abs(float64(st.Arrival)-want) > 0.5*float64(j+1)+1e-6 {
				t.Errorf("day %d customer %d: converted arrival %d s, true %.2f s", sol.Routes[i].Day+1, c, st.Arrival, want)
			}
			if f, ok := first[c]; !ok || st.Arrival < f {
				first[c] = st.Arrival
			}
			last[c] = max(last[c], st.Arrival)
			travel += st.TravelS
			if st.End-st.Start != roster.Clock(math.Round(in.Customers[c-1].Service[sol.Routes[i].Day]*float64(s))) {
				travel += ZeroServiceS
			}
		}
		travel += rd.ReturnTravelS
		legs += len(rd.Stops) + 1
		if in.DurationLimited() && rd.Return > x.Instance.Carers[0].Shifts[0].End {
			t.Errorf("day %d driver %d: back at %d s, after the shift", sol.Routes[i].Day+1, sol.Routes[i].Driver, rd.Return)
		}
	}
	if d := float64(travel) - res.Distance*float64(s); math.Abs(d) > 0.5*float64(legs)+1e-6 {
		t.Errorf("converted travel %d s, true %.3f s: off by %.2f s over %d legs", travel, res.Distance*float64(s), d, legs)
	}
	if capped {
		for c := range first {
			if last[c]-first[c] > roster.Clock(60*spread) {
				t.Errorf("customer %d: converted spread %d s over the cap of %d min", c, last[c]-first[c], spread)
			}
		}
	}
	got, err := Evaluate(in, back, L)
	if err != nil || got.Distance != res.Distance || !got.Feasible() {
		t.Errorf("Back's solution: distance %v, violations %v, err %v; want %v and feasible", got.Distance, got.Violations, err, res.Distance)
	}
}

func TestConvert(t *testing.T) {
	tests := []struct {
		name  string
		file  string
		L     float64
		scale int
		sol   func() *Solution
	}{
		{"tiny, no cap, default scale", "tiny.vrp", math.Inf(1), 0, tinySolution},
		{"tiny, L 5", "tiny.vrp", 5, 0, tinySolution},
		{"tiny, L 5, a minute a unit", "tiny.vrp", 5, 60, tinySolution},
		{"no service, no cap", "zero.vrp", math.Inf(1), 0, zeroSolution},
		{"no service, L 12 (customer 2 at 18 and 6)", "zero.vrp", 12, 0, zeroSolution},
		{"no service, large scale", "zero.vrp", 0.5, 600, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in, err := ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			conv, err := Convert(in, Config{L: tc.L, Scale: tc.scale})
			if err != nil {
				t.Fatal(err)
			}
			s := tc.scale
			if s == 0 {
				s = DefaultScale(in)
			}
			var sol *Solution
			if tc.sol != nil {
				sol = tc.sol()
			}
			checkConverted(t, in, conv, s, tc.L, sol)
		})
	}
}

// TestConvertSharedPlace: a leg between customers at one place cannot carry
// the minute of service folded into it; it is clipped at 0 and the
// rounding bound grows by that minute for each visit of such customers.
func TestConvertSharedPlace(t *testing.T) {
	in, err := ReadFile(filepath.Join("testdata", "zero.vrp"))
	if err != nil {
		t.Fatal(err)
	}
	apart := RoundingBound(in, UnlimitedScale)
	if apart != 2*4.0/UnlimitedScale {
		t.Errorf("bound %v apart, want 8/%d", apart, UnlimitedScale)
	}
	in.Customers[1].At = in.Customers[0].At
	conv, err := Convert(in, Config{L: math.Inf(1)})
	if err != nil {
		t.Fatal(err)
	}
	if err := conv.Validate(); err != nil {
		t.Fatal(err)
	}
	m := conv.Travel.Matrices[roster.Drive]
	if m.DurationsS[0][1] != 0 || m.DurationsS[1][0] != 0 || m.DurationsS[0][2] != int(math.Round(in.Dist(1, 3)*UnlimitedScale))-ZeroServiceS {
		t.Errorf("legs 1-2 %d and %d s, 1-3 %d s: want 0, 0 and the distance less the folded minute", m.DurationsS[0][1], m.DurationsS[1][0], m.DurationsS[0][2])
	}
	// Customers 1 and 2 have 1 + 2 visits.
	if got, want := RoundingBound(in, UnlimitedScale), apart+2*60*3.0/UnlimitedScale; got != want {
		t.Errorf("bound %v with a shared place, want %v", got, want)
	}
}

func TestDefaultScale(t *testing.T) {
	tests := []struct {
		name string
		d    float64
		want int
	}{
		{"small set's D", 35, 2460},
		{"tiny's D", 30, 2880},
		{"Christofides 8's D", 230, 360},
		{"Christofides 7's D", 160, 540},
		{"no limit", Unlimited, UnlimitedScale},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := DefaultScale(&Instance{MaxDuration: tc.d}); got != tc.want {
				t.Errorf("DefaultScale = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestConvertRejects(t *testing.T) {
	tests := []struct {
		name   string
		file   string
		mutate func(in *Instance)
		cfg    Config
		want   string
	}{
		{"scale too large for D", "tiny.vrp", nil, Config{L: math.Inf(1), Scale: 3000}, "DISTANCE 30 at 3000 s a unit is 90000 s, longer than a day"},
		{"negative scale", "tiny.vrp", nil, Config{L: math.Inf(1), Scale: -60}, "scale -60"},
		{"L not whole minutes", "tiny.vrp", nil, Config{L: 2.5, Scale: 60}, "L = 2.5 at 60 s a unit is 2.5 minutes"},
		{"L NaN", "tiny.vrp", nil, Config{L: math.NaN()}, "L = NaN"},
		{"L negative", "tiny.vrp", nil, Config{L: -1}, "L = -1"},
		{"service not whole minutes", "tiny.vrp", nil, Config{L: math.Inf(1), Scale: 90}, "customer 1 day 1: service 1 at 90 s a unit is 90 s"},
		{"fractional demand", "tiny.vrp", func(in *Instance) { in.Customers[1].Demand[2] = 2.5 }, Config{L: math.Inf(1)}, "customer 2 day 3: demand 2.5"},
		{"fractional capacity", "tiny.vrp", func(in *Instance) { in.Capacity = 9.5 }, Config{L: math.Inf(1)}, "CAPACITY 9.5"},
		{"too many days", "tiny.vrp", func(in *Instance) { in.Days = 29 }, Config{L: math.Inf(1)}, "NUM_DAYS 29"},
		{"leg longer than a day", "zero.vrp", func(in *Instance) { in.Customers[2].At = Point{X: 1000} }, Config{L: math.Inf(1)}, "more than a day"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in, err := ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if tc.mutate != nil {
				tc.mutate(in)
			}
			_, err = Convert(in, tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want one containing %q", err, tc.want)
			}
		})
	}
	if _, err := Convert(nil, Config{}); err == nil {
		t.Error("Convert(nil) succeeded")
	}
}

func TestBackRejects(t *testing.T) {
	in := readTiny(t)
	conv, err := Convert(in, Config{L: 5})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		mutate func(p *roster.Plan)
		want   string
	}{
		{"unknown carer", func(p *roster.Plan) { p.Rounds[1].Carer = "K1" }, `rounds[1].carer: unknown carer "K1"`},
		{"unknown visit", func(p *roster.Plan) { p.Rounds[0].Stops[1].Visit = "c2@2026-11-24" }, `rounds[0].stops[1].visit: unknown visit "c2@2026-11-24"`},
		{"wrong client", func(p *roster.Plan) { p.Rounds[0].Stops[0].Client = "c2" }, `rounds[0].stops[0].client: "c2", but visit "c1@2026-11-23" is client "c1"'s`},
		{"two days in a round", func(p *roster.Plan) { p.Rounds[0].Stops[1].Visit = "c2@2026-11-25" }, `rounds[0].stops[1]: visit "c2@2026-11-25" is on day 3, the round's first visit on day 1`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := planOf(t, conv, tinySolution())
			tc.mutate(p)
			_, err := Back(in, conv, p)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want one containing %q", err, tc.want)
			}
		})
	}
	t.Run("idle round", func(t *testing.T) {
		p := planOf(t, conv, tinySolution())
		p.Rounds = append(p.Rounds, roster.Round{Carer: "D3", Mode: roster.Drive})
		s, err := Back(in, conv, p)
		if err != nil || len(s.Routes) != 4 {
			t.Fatalf("%v routes, err %v; want the 4 with stops", s, err)
		}
	})
	if _, err := Back(in, conv, nil); err == nil {
		t.Error("Back with no plan succeeded")
	}
}

// TestConvertBenchmarkData converts every shared instance and checks the
// conversion; on the small set it converts at L unlimited, 5 and 2, carries
// the oracle's optimal plan through the conversion and back, and checks the
// bound on rounding against the 0.1% the benchmark allows. Opt-in
// (CONVRP_DATA), as the oracle takes a few seconds.
func TestConvertBenchmarkData(t *testing.T) {
	dir := dataDir(t)
	opts, err := ReadOptimaFile(filepath.Join(dir, "known_optima.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range opts {
		t.Run(fmt.Sprintf("%s/L=%v", o.Instance, o.L), func(t *testing.T) {
			in, err := ReadFile(filepath.Join(dir, "small", o.Instance+".vrp"))
			if err != nil {
				t.Fatal(err)
			}
			s := DefaultScale(in)
			if b := RoundingBound(in, s); b > 0.001*o.Distance {
				t.Errorf("rounding bound %.4f at %d s a unit, over 0.1%% of the optimum %v", b, s, o.Distance)
			}
			conv, err := Convert(in, Config{L: o.L})
			if err != nil {
				t.Fatal(err)
			}
			var sol *Solution
			if math.IsInf(o.L, 1) {
				sol = exactOptimum(in)
			} else {
				sol = exactOptimumL(in, o.L)
			}
			checkConverted(t, in, conv, s, o.L, sol)
		})
	}
	files, _ := filepath.Glob(filepath.Join(dir, "p07", "*.vrp"))
	if len(files) != 12 {
		t.Errorf("%d p07 files, want 12", len(files))
	}
	for _, f := range files {
		in, err := ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, L := range []float64{math.Inf(1), 10} {
			t.Run(fmt.Sprintf("%s/L=%v", in.Name, L), func(t *testing.T) {
				conv, err := Convert(in, Config{L: L})
				if err != nil {
					t.Fatal(err)
				}
				s := DefaultScale(in)
				t.Logf("%d visits, scale %d s a unit, rounding bound %.3f units", in.Visits(), s, RoundingBound(in, s))
				checkConverted(t, in, conv, s, L, nil)
			})
		}
	}
}
