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
			// Without the carers' break rules no pause is known to be a
			// rest break, so bea's is paid time.
			k.Visits = 0
			k.ShortVisits = 0
			k.PaidS += 1800
			k.TravelShare = float64(k.TravelS) / float64(k.PaidS)
		}},
		{"travel counts under the carer's mode, not the round's", checkDay(), func() *roster.Plan {
			p := checkPlan()
			p.Rounds[1].Mode = roster.Cycle
			p.Rounds[3].Mode = ""
			return p
		}, func(k *roster.KPIs) {}},
		{"an unknown carer's round lists its own mode", checkDay(), func() *roster.Plan {
			p := checkPlan()
			p.Rounds = append(p.Rounds, roster.Round{Carer: "zoe", Mode: roster.Cycle, Departure: tod(8, 0, 0), Return: tod(8, 10, 0)})
			return p
		}, func(k *roster.KPIs) {
			k.TravelByMode[roster.Cycle] = roster.ModeTravel{}
			k.PaidS += 600
			k.TravelShare = float64(k.TravelS) / float64(k.PaidS)
		}},
		{"a pause shorter than the break rule is paid", checkDay(), func() *roster.Plan {
			p := checkPlan()
			p.Rounds[0].Break.End = tod(9, 29, 59)
			return p
		}, func(k *roster.KPIs) {
			k.PaidS += 1800
			k.TravelShare = float64(k.TravelS) / float64(k.PaidS)
		}},
		{"a pause without a break rule is paid", checkDay(), func() *roster.Plan {
			p := checkPlan()
			p.Rounds[2].Break = &roster.Break{Start: tod(9, 0, 0), End: tod(10, 0, 0)}
			return p
		}, func(k *roster.KPIs) {}},
		{"break not paid", checkDay(), func() *roster.Plan {
			p := checkPlan()
			p.Rounds[0].Break = nil
			return p
		}, func(k *roster.KPIs) {
			k.PaidS += 1800
			k.TravelShare = float64(k.TravelS) / float64(k.PaidS)
		}},
		{"lateness in carer-seconds, late visits each once", checkDay(), func() *roster.Plan {
			// V2 is double-handed: its minute late counts for both carers
			// in lateness_s, as in contact_s, and once in late_visits.
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

// TestComputeKPIsCO2: each mode's emission is its distance times the
// mode's factor, rounded to the gram, and the day's is the sum of those.
func TestComputeKPIsCO2(t *testing.T) {
	round := func(mode roster.Mode, distM int) roster.Round {
		return roster.Round{Carer: "ann", Mode: mode, Departure: tod(8, 0, 0), Return: tod(9, 0, 0), ReturnTravelS: 60, ReturnDistanceM: distM}
	}
	tests := []struct {
		name   string
		rounds []roster.Round
		byMode map[roster.Mode]float64
		total  float64
	}{
		{"no rounds", nil, map[roster.Mode]float64{}, 0},
		{"walking and cycling emit nothing", []roster.Round{round(roster.Walk, 5000), round(roster.Cycle, 12000)},
			map[roster.Mode]float64{roster.Walk: 0, roster.Cycle: 0}, 0},
		// 10 km at 0.17 kg/km.
		{"driving", []roster.Round{round(roster.Drive, 10000)}, map[roster.Mode]float64{roster.Drive: 1.7}, 1.7},
		// 12.344 km at 0.10 kg/km is 1.2344 kg, 1.234 to the gram.
		{"public transport, rounded to the gram", []roster.Round{round(roster.Public, 12344)},
			map[roster.Mode]float64{roster.Public: 1.234}, 1.234},
		// 1.234 km at 0.17 is 0.20978 kg, 0.21 to the gram; 3.333 km at
		// 0.10 is 0.3333 kg, 0.333; together 0.543.
		{"modes added after rounding", []roster.Round{round(roster.Drive, 1000), round(roster.Drive, 234), round(roster.Public, 3333), round(roster.Walk, 900)},
			map[roster.Mode]float64{roster.Drive: 0.21, roster.Public: 0.333, roster.Walk: 0}, 0.543},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k := roster.ComputeKPIs(nil, &roster.Plan{Rounds: tc.rounds})
			if len(k.TravelByMode) != len(tc.byMode) {
				t.Errorf("travel_by_mode lists %d modes, want %d", len(k.TravelByMode), len(tc.byMode))
			}
			for m, want := range tc.byMode {
				if got := k.TravelByMode[m].CO2Kg; math.Abs(got-want) > 1e-9 {
					t.Errorf("%s: co2_kg %v, want %v", m, got, want)
				}
				if got := k.TravelByMode[m].CO2Kg; got != math.Round(got*1000)/1000 {
					t.Errorf("%s: co2_kg %v is not rounded to the gram", m, got)
				}
			}
			if math.Abs(k.CO2Kg-tc.total) > 1e-9 || k.CO2Kg != math.Round(k.CO2Kg*1000)/1000 {
				t.Errorf("co2_kg %v, want %v to the gram", k.CO2Kg, tc.total)
			}
		})
	}
}

// TestCO2Factors pins the emission factors: no mode left out, walking and
// cycling free of emissions, a car about 0.17 kg/km and a bus seat about
// 0.10.
func TestCO2Factors(t *testing.T) {
	want := map[roster.Mode]float64{roster.Walk: 0, roster.Cycle: 0, roster.Drive: 0.17, roster.Public: 0.10}
	for _, m := range roster.Modes {
		f, ok := roster.CO2KgPerKm[m]
		if !ok {
			t.Errorf("no factor for mode %s", m)
		}
		if f != want[m] {
			t.Errorf("%s: %v kg/km, want %v", m, f, want[m])
		}
	}
}
