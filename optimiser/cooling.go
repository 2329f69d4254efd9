package optimiser

import "math"

// cooling is the temperature of the search's acceptance test, in the
// instance's own scale: the travel cost of a leg of the first plan.
//
// SISR (Christiaens and Vanden Berghe) cools from 100 to 1 on Solomon's
// instances, whose legs average about 10 distance units: from ten legs to
// a tenth of one. The search cools the same way, in legs of whatever
// units the instance has, from coolLegs of the first plan's travel cost
// per task served to a hundredth of that. A converted Solomon instance, a
// home-care day with its short town legs and Mankowska's day of long ones
// are then searched equally warm, and weights written in other units (every
// weight eight times as much) give the same plan. Three legs rather than
// SISR's ten: as good or better on Solomon, Mankowska and the 300-visit
// locality day at 5-30 s, and, unlike ten, level with the old fixed
// temperature in the short runs of a few thousand iterations that locality
// sizing makes (docs/BENCHMARKS.md).
type cooling struct {
	t0, tf float64
}

const (
	// coolLegs is the starting temperature in legs.
	coolLegs = 3
	// coolRatio is how far the temperature falls over the run.
	coolRatio = 100
	// fallbackT0 starts the search when the first plan has no travel to
	// measure (nothing served, or every visit at one place, or travel
	// weighed at nothing): the fixed temperature the search had before it
	// was made relative.
	fallbackT0 = 300
)

// newCooling sets the temperature from the first plan s. Re-planning keeps
// it a hundred times below the floor throughout, where it accepts little
// but ties: it starts from a plan people have seen, and searches near it
// rather than wander off and come back.
func newCooling(s *solution, replan bool) cooling {
	t0 := coolLegs * s.travelCostPerTask()
	if !(t0 > 0) || math.IsInf(t0, 0) {
		t0 = fallbackT0
	}
	if replan {
		floor := t0 / coolRatio / coolRatio
		return cooling{t0: floor, tf: floor}
	}
	return cooling{t0: t0, tf: t0 / coolRatio}
}

// temp is the temperature at frac of the budget.
func (c cooling) temp(frac float64) float64 {
	return c.t0 * math.Pow(c.tf/c.t0, frac)
}

// travelCostPerTask is the travel term's cost over the tasks s serves: the
// cost of an average leg (a round of n tasks has n+1 legs, so a little
// more). It is 0 when s serves no task.
func (s *solution) travelCostPerTask() float64 {
	n := 0
	for _, v := range s.veh {
		if v >= 0 {
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return s.p.w.Travel * float64(s.travelS()) / float64(n)
}
