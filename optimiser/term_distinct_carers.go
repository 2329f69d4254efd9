package optimiser

import "slices"

// distinctCarersTerm costs Weights.DistinctCarer for each distinct carer a
// client sees over the period beyond the first (each carer of a
// double-handed visit counting, as the period figures count them). It is a
// term of periods of more than one day only (problem.periodTerms). Its
// estimate is exact for one leg: the price of a carer new to a client who
// already has one.
type distinctCarersTerm struct{ perCarer float64 }

var (
	_ costTerm     = distinctCarersTerm{}
	_ clientCoster = distinctCarersTerm{}
)

func (distinctCarersTerm) name() string { return "distinct_carer" }

func (t distinctCarersTerm) clientCost(s *solution, cl int32) float64 {
	s.carerBuf = s.clientCarers(cl, s.carerBuf)
	if n := len(s.carerBuf); n > 1 {
		return t.perCarer * float64(n-1)
	}
	return 0
}

func (t distinctCarersTerm) estimate(_ *solution, at *insertion) float64 {
	if len(at.clientCarers) > 0 && !slices.Contains(at.clientCarers, at.carer) {
		return t.perCarer
	}
	return 0
}
