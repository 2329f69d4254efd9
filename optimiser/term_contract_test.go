package optimiser

import (
	"math"
	"testing"
)

// contractValue is the contract term worked out from the plan and the
// instance's contracts alone: per carer and week, the paid time of the
// rounds of the week's days against the contract's hours pro-rated to the
// week's days.
func contractValue(s *solution, shortPerH, offPerH float64) float64 {
	p := s.p
	total := 0.0
	for c := range p.carers {
		ct := p.in.Carers[c].Contract
		if ct == nil {
			continue
		}
		paidH := make([]float64, p.weeks())
		for _, v := range p.carers[c].vehicles {
			if len(s.routes[v]) == 0 {
				continue
			}
			paid := s.ret[v] - s.depart[v]
			if s.brk[v] >= 0 {
				paid -= int32(p.in.Carers[c].Break.DurationMin * 60)
			}
			paidH[int(p.vehicles[v].day)/7] += float64(paid) / 3600
		}
		for w, h := range paidH {
			share := float64(p.weekDays(w)) / 7
			if m := ct.MinHours * share; ct.MinHours > 0 && h < m {
				total += (m - h) * shortPerH
			}
			if ct.TargetHours > 0 {
				total += math.Abs(h-ct.TargetHours*share) * offPerH
			}
		}
	}
	return total
}

// TestContractTerm: the term's value is the carers' weeks against their
// contracts worked out from the plan alone (to the rounding of pro-rated
// hours to the second); a carer short of their minimum gains from any
// visit (the estimate is never positive) and one far over their target
// loses; and a one-day plan has no such term.
func TestContractTerm(t *testing.T) {
	r, s, _ := weekConstructed(t, 2, 25, "")
	p := r.p
	term, found := findTerm[contractTerm](p.eval)
	if !found {
		t.Fatalf("a week with contracts has no contract term among its %d terms", len(p.eval.terms()))
	}
	s.cost()
	got := 0.0
	for c := range p.carers {
		var d dayTally
		got += term.carerCost(s, c, &d)
	}
	want := contractValue(s, p.w.ContractShort, p.w.ContractTarget)
	// Pro-rated minimums round up to the second, targets to the nearest.
	slack := float64(2*len(p.carers)*p.weeks()) * (p.w.ContractShort + p.w.ContractTarget) / 3600
	if want == 0 || math.Abs(got-want) > slack {
		t.Fatalf("term %v, from the plan %v (want them within %v, above 0)", got, want, slack)
	}
	short := 0
	for c := range p.carers {
		ci := &p.carers[c]
		if ci.weekMinS == nil {
			continue
		}
		paid := int64(s.days[c].weekPaidS[0])
		at := insertion{vi: &visitInfo{durS: 1800}, carer: int32(c), day: 0, travelDeltaS: 600}
		est := term.estimate(s, &at)
		switch {
		case ci.weekMinS[0] >= 0 && paid+2400 <= ci.weekMinS[0]:
			short++
			if est >= 0 {
				t.Errorf("carer %d, %d s short of the minimum: estimate %v, want below 0", c, ci.weekMinS[0]-paid, est)
			}
		case ci.weekTargetS[0] >= 0 && paid >= ci.weekTargetS[0]:
			if est <= 0 {
				t.Errorf("carer %d over the target: estimate %v, want above 0", c, est)
			}
		}
	}
	if short == 0 {
		t.Error("no carer short of their minimum to estimate for")
	}
	_, day := benchProblem(t, "../testdata/locality_day.json")
	if n := len(day.p.eval.carers); n != 0 {
		t.Errorf("a one-day plan has %d carer terms", n)
	}
}
