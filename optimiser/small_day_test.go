package optimiser_test

import (
	"context"
	"math"
	"os"
	"testing"

	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/optimiser"
	"github.com/rounds-dev/rounds/roster"
)

// loadDay reads and validates an instance from testdata.
func loadDay(t testing.TB, path string) *roster.Instance {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	in, err := roster.DecodeInstance(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return in
}

func straightLine(t testing.TB, in *roster.Instance) *geo.Matrices {
	t.Helper()
	prov, err := geo.NewStraightLine(in.Travel)
	if err != nil {
		t.Fatal(err)
	}
	m, err := geo.ForInstance(context.Background(), prov, in)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// checked runs a plan through the independent checker and fails the test on
// any violation.
func checked(t testing.TB, in *roster.Instance, travel roster.Travel, p *roster.Plan) {
	t.Helper()
	for _, v := range roster.Check(in, travel, p) {
		t.Errorf("violation %s at %s: %s", v.Code, v.Path, v.Message)
	}
}

// TestSmallDayOptimum solves the small hand-checked day and compares the
// plan with the optimum found by exhaustive search: every order of every
// carer's visits, every split of the visits between carers. The day has one
// double-handed visit at a fixed time, so that rounds are independent once
// its two carers are chosen, and hard windows only; the objective is then
// travel seconds plus the price of each carer used.
func TestSmallDayOptimum(t *testing.T) {
	in := loadDay(t, "../testdata/small_day.json")
	travel := straightLine(t, in)
	want, served := bruteForce(in, travel, optimiser.DefaultWeights.CarerUsed)
	if !served {
		t.Fatal("brute force found no plan serving every visit")
	}
	// The exhaustive search prices travel and carers only; the day has no
	// soft windows or wishes, and waiting is left unpriced to match.
	w := optimiser.DefaultWeights
	w.Waiting = 0
	plan, err := optimiser.Solve(context.Background(), in, travel, optimiser.Options{Seed: 1, Iterations: 3000, Weights: &w})
	if err != nil {
		t.Fatal(err)
	}
	checked(t, in, travel, plan)
	if len(plan.Unassigned) != 0 {
		t.Fatalf("unassigned %v, want every visit served", plan.Unassigned)
	}
	got := float64(plan.KPIs.TravelS) + optimiser.DefaultWeights.CarerUsed*float64(plan.KPIs.CarersUsed)
	if got != want {
		t.Errorf("plan costs %v (travel %ds, %d carers), the optimum is %v", got, plan.KPIs.TravelS, plan.KPIs.CarersUsed, want)
	}
}

// bruteForce returns the least travel plus carer price over all plans that
// serve every visit of in, which must have hard single windows, one shift
// per carer, no dependencies, and at most one double-handed visit whose
// window is a single moment.
func bruteForce(in *roster.Instance, travel roster.Travel, carerPrice float64) (float64, bool) {
	ix := roster.NewIndex(in)
	nv := len(in.Visits)
	double := -1
	for i, v := range in.Visits {
		if v.CarersNeeded() == 2 {
			double = i
		}
	}
	// best[c][mask]: least travel of a round of carer c serving exactly the
	// visits in mask, found by walking every feasible order.
	best := make([][]float64, len(in.Carers))
	for c := range in.Carers {
		best[c] = make([]float64, 1<<nv)
		for m := range best[c] {
			best[c][m] = math.Inf(1)
		}
		carer := &in.Carers[c]
		sh := carer.Shifts[0]
		var walk func(mask int, pt int, t roster.Clock, tr int)
		walk = func(mask int, pt int, t roster.Clock, tr int) {
			back, _ := travel.Leg(carer.Mode, pt, in.CarerEndPoint(c))
			if t+roster.Clock(back) <= sh.End && float64(tr+back) < best[c][mask] {
				best[c][mask] = float64(tr + back)
			}
			if mask == 0 {
				best[c][0] = 0
			}
			for i := range in.Visits {
				v := &in.Visits[i]
				cl := &in.Clients[ix.Client[v.Client]]
				if mask&(1<<i) != 0 || !qualifies(carer, v, cl) {
					continue
				}
				next := in.ClientPoint(ix.Client[v.Client])
				d, _ := travel.Leg(carer.Mode, pt, next)
				st := max(t+roster.Clock(d), v.Windows[0].Start)
				if st > v.Windows[0].End {
					continue
				}
				walk(mask|1<<i, next, st+roster.Clock(v.DurationS()), tr+d)
			}
		}
		walk(0, in.CarerStartPoint(c), sh.Start, 0)
	}
	singles := []int{}
	for i := range in.Visits {
		if i != double {
			singles = append(singles, i)
		}
	}
	nc := len(in.Carers)
	bestCost, found := math.Inf(1), false
	masks := make([]int, nc)
	var split func(k int)
	split = func(k int) {
		if k < len(singles) {
			for c := 0; c < nc; c++ {
				masks[c] |= 1 << singles[k]
				split(k + 1)
				masks[c] &^= 1 << singles[k]
			}
			return
		}
		pairs := [][2]int{{-1, -1}}
		if double >= 0 {
			pairs = pairs[:0]
			for a := 0; a < nc; a++ {
				for b := a + 1; b < nc; b++ {
					pairs = append(pairs, [2]int{a, b})
				}
			}
		}
		for _, pr := range pairs {
			cost := 0.0
			for c := 0; c < nc; c++ {
				m := masks[c]
				if c == pr[0] || c == pr[1] {
					m |= 1 << double
				}
				if m != 0 {
					cost += best[c][m] + carerPrice
				}
			}
			if cost < bestCost {
				bestCost, found = cost, true
			}
		}
	}
	split(0)
	return bestCost, found
}

func qualifies(c *roster.Carer, v *roster.Visit, cl *roster.Client) bool {
	for _, s := range v.RequiredSkills {
		if !c.HasSkill(s) {
			return false
		}
	}
	if g := cl.Preferences.CarerGender; g != "" && c.Gender != g {
		return false
	}
	return !cl.Preferences.Excludes(c.ID)
}
