package optimiser_test

import (
	"context"
	"slices"
	"testing"

	"github.com/rounds-dev/rounds/optimiser"
	"github.com/rounds-dev/rounds/roster"
)

// continuityFigures are a week plan's mean COC over its clients and median
// call-time spread over its care entries, in minutes.
func continuityFigures(pk *roster.PeriodKPIs) (meanCOC, medianSpread float64) {
	n := 0
	for _, c := range pk.Clients {
		if c.COC != nil {
			meanCOC += *c.COC
			n++
		}
	}
	var spread []float64
	for _, c := range pk.Care {
		if c.SpreadMin != nil {
			spread = append(spread, *c.SpreadMin)
		}
	}
	slices.Sort(spread)
	return meanCOC / float64(max(1, n)), spread[len(spread)/2]
}

// TestContinuityTermsHelp: on a fixed generated week, the continuity terms
// (distinct carers, team share, call spread) at their default weights give
// clients a higher mean COC and recurring calls a smaller median spread
// than the same search with those weights at zero, every plan passing the
// checker.
func TestContinuityTermsHelp(t *testing.T) {
	in := generatedWeek(t, 3, 30)
	travel := straightLine(t, in)
	off := optimiser.DefaultWeights
	off.DistinctCarer, off.TeamShare, off.CallSpread = 0, 0, 0
	solve := func(w optimiser.Weights) (float64, float64) {
		plan, err := optimiser.Solve(context.Background(), in, travel, optimiser.Options{Seed: 1, Iterations: 1500, Weights: &w})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range roster.Check(in, travel, plan) {
			t.Errorf("violation %s at %s: %s", v.Code, v.Path, v.Message)
		}
		return continuityFigures(plan.PeriodKPIs)
	}
	cocOn, spreadOn := solve(optimiser.DefaultWeights)
	cocOff, spreadOff := solve(off)
	t.Logf("mean COC %.3f on, %.3f off; median spread %.0f min on, %.0f off", cocOn, cocOff, spreadOn, spreadOff)
	if cocOn <= cocOff {
		t.Errorf("mean COC %.3f with the continuity terms, %.3f without: want higher", cocOn, cocOff)
	}
	if spreadOn >= spreadOff {
		t.Errorf("median spread %.0f min with the continuity terms, %.0f without: want smaller", spreadOn, spreadOff)
	}
}
