package optimiser

// travelTerm costs travel: Weights.Travel per second of every round's
// travel, from its start to its end. Its estimate is exact: the travel a
// leg adds to its round.
type travelTerm struct{ perS float64 }

var (
	_ costTerm  = travelTerm{}
	_ dayCoster = travelTerm{}
)

func (travelTerm) name() string { return "travel" }

func (t travelTerm) dayCost(d *dayTally) float64 { return float64(d.travelS) * t.perS }

func (t travelTerm) estimate(_ *solution, at *insertion) float64 {
	return float64(at.travelDeltaS) * t.perS
}
