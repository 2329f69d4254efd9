package optimiser

// waitingTerm costs Weights.Waiting per second a carer is paid to wait
// between the visits of a round: the round's paid time (departure to
// return, less its break) less its travel and care. It has no cheap
// estimate (0): a leg can fill waiting or add to it, and the round's
// departure moves once the day is compressed.
type waitingTerm struct{ perS float64 }

var (
	_ costTerm    = waitingTerm{}
	_ roundCoster = waitingTerm{}
)

func (waitingTerm) name() string { return "waiting" }

func (t waitingTerm) roundCost(s *solution, v int, travelS int32) float64 {
	if t.perS == 0 {
		return 0
	}
	return float64(s.paid(v)-s.busy(v, travelS)) * t.perS
}

func (waitingTerm) estimate(*solution, *insertion) float64 { return 0 }
