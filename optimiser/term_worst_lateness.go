package optimiser

// worstLatenessTerm costs the day's worst lateness: Weights.MaxLateness per
// minute that the latest soft visit of the whole plan starts after its
// window closed, so that one very late visit costs more than several
// slightly late ones. It has no cheap estimate (0): a leg can only raise
// it, and by how much depends on the rest of the plan.
type worstLatenessTerm struct{ perMin float64 }

var (
	_ costTerm   = worstLatenessTerm{}
	_ planCoster = worstLatenessTerm{}
)

func (worstLatenessTerm) name() string { return "max_lateness" }

func (t worstLatenessTerm) planCost(days []dayTally) float64 {
	worst := int32(0)
	for i := range days {
		worst = max(worst, days[i].worstS)
	}
	return float64(worst) * t.perMin / 60
}

func (worstLatenessTerm) estimate(*solution, *insertion) float64 { return 0 }
