package optimiser

import (
	"math"

	"github.com/rounds-dev/rounds/roster"
)

// contractTerm prices, in a period, each carer's paid time in each week
// against their contract: Weights.ContractShort for each hour below
// min_hours, and Weights.ContractTarget for each hour either side of
// target_hours, both pro-rated for a last week of fewer than seven days as
// roster's figures count them (max_hours is a hard rule, weekHoursRule).
// Pricing the distance from the target also spreads the hours fairly: of
// two carers on the same contract, the one further below it gains more
// from a visit. Paid time is each round's departure to return, less its
// rest break. Its estimate reads the carer's weeks as last costed: the
// leg's care and added travel moved into the week of its round.
type contractTerm struct{ shortPerS, offPerS float64 }

var (
	_ costTerm    = contractTerm{}
	_ carerCoster = contractTerm{}
)

func (contractTerm) name() string { return "contract" }

// newContractTerm is the term under weights w, or nil when no carer of p
// has a minimum or target to price.
func newContractTerm(p *problem, w Weights) costTerm {
	any := false
	for c := range p.carers {
		any = any || p.carers[c].weekMinS != nil
	}
	if !any || (w.ContractShort == 0 && w.ContractTarget == 0) {
		return nil
	}
	return contractTerm{shortPerS: w.ContractShort / 3600, offPerS: w.ContractTarget / 3600}
}

// contractWeeks sets carer k's minimum and target paid seconds in each
// week of the period, -1 where the contract gives none; neither is set for
// a carer without a minimum or a target.
func (p *problem) contractWeeks(k int, c *roster.Contract) {
	if c == nil || (c.MinHours == 0 && c.TargetHours == 0) {
		return
	}
	ci := &p.carers[k]
	ci.weekMinS = make([]int64, p.weeks())
	ci.weekTargetS = make([]int64, p.weeks())
	for w := range ci.weekMinS {
		share := float64(p.weekDays(w)) / 7
		ci.weekMinS[w], ci.weekTargetS[w] = -1, -1
		if c.MinHours > 0 {
			ci.weekMinS[w] = int64(math.Ceil(c.MinHours * share * 3600))
		}
		if c.TargetHours > 0 {
			ci.weekTargetS[w] = int64(math.Round(c.TargetHours * share * 3600))
		}
	}
}

// weekCost is the term's cost of paid seconds in week w of carer ci.
func (t contractTerm) weekCost(ci *carerInfo, w int, paid int64) float64 {
	cost := 0.0
	if m := ci.weekMinS[w]; m >= 0 && paid < m {
		cost += float64(m-paid) * t.shortPerS
	}
	if g := ci.weekTargetS[w]; g >= 0 {
		if paid < g {
			cost += float64(g-paid) * t.offPerS
		} else {
			cost += float64(paid-g) * t.offPerS
		}
	}
	return cost
}

func (t contractTerm) carerCost(s *solution, c int, d *dayTally) float64 {
	p := s.p
	ci := &p.carers[c]
	if ci.weekMinS == nil {
		return 0
	}
	cost := 0.0
	for w := range ci.weekMinS {
		paid := int32(0)
		for _, v := range ci.vehicles[ci.dayFrom[7*w]:ci.dayFrom[min(7*w+7, p.days)]] {
			paid += s.paid(int(v))
		}
		d.weekPaidS[w] = paid
		cost += t.weekCost(ci, w, int64(paid))
	}
	return cost
}

func (t contractTerm) estimate(s *solution, at *insertion) float64 {
	ci := &s.p.carers[at.carer]
	if ci.weekMinS == nil || s.cdirty[at.carer] {
		return 0
	}
	w := int(at.day) / 7
	paid := int64(s.days[at.carer].weekPaidS[w])
	add := int64(at.vi.durS) + int64(max(0, at.travelDeltaS))
	return t.weekCost(ci, w, paid+add) - t.weekCost(ci, w, paid)
}
