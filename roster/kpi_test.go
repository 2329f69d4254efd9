package roster_test

import (
	"math"
	"reflect"
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

// sameKPIs reports whether two sets of key figures agree, the travel share
// to within 1e-9.
func sameKPIs(a, b roster.KPIs) bool {
	if math.Abs(a.TravelShare-b.TravelShare) > 1e-9 {
		return false
	}
	a.TravelShare, b.TravelShare = 0, 0
	return reflect.DeepEqual(a, b)
}

func TestComputeKPIs(t *testing.T) {
	tests := []struct {
		name   string
		in     *roster.Instance
		plan   func() *roster.Plan
		mutate func(k *roster.KPIs)
	}{
		{"hand-checked day", checkDay(), checkPlan, func(k *roster.KPIs) {}},
		{"no plan", checkDay(), func() *roster.Plan { return nil }, func(k *roster.KPIs) {
			*k = roster.KPIs{Visits: 8, TravelByMode: map[roster.Mode]roster.ModeTravel{}}
		}},
		{"empty plan", checkDay(), func() *roster.Plan { return &roster.Plan{} }, func(k *roster.KPIs) {
			*k = roster.KPIs{Visits: 8, TravelByMode: map[roster.Mode]roster.ModeTravel{}}
		}},
		{"no instance", nil, checkPlan, func(k *roster.KPIs) {
			k.Visits = 0
			k.ShortVisits = 0
		}},
		{"empty round lists its mode", checkDay(), func() *roster.Plan {
			p := checkPlan()
			p.Rounds = append(p.Rounds, roster.Round{Carer: "ann", Mode: roster.Cycle, Departure: tod(8, 0, 0), Return: tod(8, 10, 0)})
			return p
		}, func(k *roster.KPIs) {
			k.TravelByMode[roster.Cycle] = roster.ModeTravel{}
			k.PaidS += 600
			k.TravelShare = float64(k.TravelS) / float64(k.PaidS)
		}},
		{"break not paid", checkDay(), func() *roster.Plan {
			p := checkPlan()
			p.Rounds[0].Break = nil
			return p
		}, func(k *roster.KPIs) {
			k.PaidS += 1800
			k.TravelShare = float64(k.TravelS) / float64(k.PaidS)
		}},
		{"late visit counted once", checkDay(), func() *roster.Plan {
			p := checkPlan()
			p.Rounds[1].Stops[0].LatenessS = 60
			p.Rounds[0].Stops[1].LatenessS = 60
			p.Rounds[3].Stops[0].LatenessS = 30
			return p
		}, func(k *roster.KPIs) {
			k.LatenessS += 150
			k.LateVisits += 2
		}},
		{"unknown visits are not served", checkDay(), func() *roster.Plan {
			p := checkPlan()
			p.Rounds[0].Stops[2].Visit = "V99"
			return p
		}, func(k *roster.KPIs) {
			k.VisitsServed--
			k.ShortVisits--
		}},
		{"carers without stops are not used", checkDay(), func() *roster.Plan {
			p := checkPlan()
			p.Rounds[3].Stops = nil
			p.Rounds[3].Return = p.Rounds[3].Departure
			p.Rounds[3].ReturnTravelS, p.Rounds[3].ReturnDistanceM = 0, 0
			return p
		}, func(k *roster.KPIs) {
			k.VisitsServed--
			k.CarersUsed--
			k.ContactS -= 3600
			k.PaidS -= 9360
			k.TravelS -= 5760
			k.DistanceM -= 8000
			k.TravelByMode[roster.Walk] = roster.ModeTravel{TravelS: 5760, DistanceM: 8000}
			k.TravelShare = float64(k.TravelS) / float64(k.PaidS)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := checkKPIs()
			tc.mutate(&want)
			got := roster.ComputeKPIs(tc.in, tc.plan())
			if got.TravelByMode == nil {
				t.Error("travel_by_mode is nil")
			}
			if !sameKPIs(got, want) {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestComputeKPIsTravelShareWithoutPaidTime(t *testing.T) {
	p := &roster.Plan{Rounds: []roster.Round{{Carer: "ann", Mode: roster.Walk, Departure: tod(8, 0, 0), Return: tod(8, 0, 0), ReturnTravelS: 60}}}
	k := roster.ComputeKPIs(checkDay(), p)
	if k.PaidS != 0 || k.TravelS != 60 || k.TravelShare != 0 {
		t.Errorf("got %+v, want travel 60 s, no paid time and a share of 0", k)
	}
}
