package optimiser

// carersUsedTerm costs Weights.CarerUsed for each carer given any visit on
// the day. Its estimate is exact: the price of a carer when the leg is the
// first visit of an idle carer's day.
type carersUsedTerm struct{ perCarer float64 }

var (
	_ costTerm  = carersUsedTerm{}
	_ dayCoster = carersUsedTerm{}
)

func (carersUsedTerm) name() string { return "carer_used" }

func (t carersUsedTerm) dayCost(d *dayTally) float64 {
	if d.used {
		return t.perCarer
	}
	return 0
}

func (t carersUsedTerm) estimate(_ *solution, at *insertion) float64 {
	if at.idle {
		return t.perCarer
	}
	return 0
}
