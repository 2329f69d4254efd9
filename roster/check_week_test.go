package roster_test

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

// The week fixture: Wednesday 21 to Tuesday 27 October 2026 in
// Europe/London, so that the clocks go back on its fifth day (Sunday 25th,
// 02:00 BST to 01:00 GMT). On the grid of checkDay: C1 is 1 km north of
// the carers' start, C2 1 km east; ann walks (12 min a km), bea drives
// (2 min a km).

// Days of the fixture.
const (
	wed21 = "2026-10-21"
	thu22 = "2026-10-22"
	fri23 = "2026-10-23"
	sat24 = "2026-10-24"
	sun25 = "2026-10-25"
	mon26 = "2026-10-26"
	tue27 = "2026-10-27"
)

// checkWeek is a small period document. ann works 07:00-13:00 every day
// but Saturday 24th, on a contract of at most 35 h a week at £12.60; bea
// drives, 07:00-13:00 every day, at the default rate. C1 (ann is her team)
// has a breakfast call at 08:00 ± 30 min every day; C2 a double-handed
// call at 09:00 ± 30 min on Mondays, Wednesdays and Fridays. At most two
// carers a client, and a call-time spread of at most 30 minutes.
func checkWeek() *roster.Instance {
	shift := []roster.Shift{{Start: tod(7, 0, 0), End: tod(13, 0, 0)}}
	return &roster.Instance{
		Name: "Grid week 43", Period: &roster.Period{Start: wed21, Days: 7}, TimeZone: "Europe/London",
		Rules: &roster.Rules{MaxDistinctCarers: ptrTo(2), CallTimeSpreadMaxMin: ptrTo(30)},
		Carers: []roster.Carer{
			{ID: "ann", Mode: roster.Walk, Gender: "female", Shifts: shift, DaysOff: []string{sat24},
				Contract: &roster.Contract{MaxHours: 35}, HourlyRateGBP: 12.60},
			{ID: "bea", Mode: roster.Drive, Gender: "female", Shifts: shift},
		},
		Clients: []roster.Client{
			{ID: "C1", Location: roster.Location{Lat: 1}, Team: []string{"ann"}},
			{ID: "C2", Location: roster.Location{Lon: 1}},
		},
		Care: []roster.Care{
			{ID: "C1-am", Client: "C1", DurationMin: 30, Days: roster.Days(roster.Weekdays), Time: ptrTo(tod(8, 0, 0)), ToleranceMin: 30},
			{ID: "C2-am", Client: "C2", DurationMin: 45, Days: roster.Days{"mon", "wed", "fri"}, Time: ptrTo(tod(9, 0, 0)), ToleranceMin: 30, Carers: 2},
		},
	}
}

// annRound is ann's round on date: C1's call at 08:00 (walk 12 min there),
// then, with c2, C2's at 09:00 with bea (walk 24 min, wait 6), and home.
func annRound(date string, c2 bool) roster.Round {
	r := roster.Round{Carer: "ann", Date: date, Mode: roster.Walk, Departure: tod(7, 48, 0),
		Stops:  []roster.Stop{{Visit: "C1-am@" + date, Client: "C1", Arrival: tod(8, 0, 0), Start: tod(8, 0, 0), End: tod(8, 30, 0), TravelS: 720, DistanceM: 1000}},
		Return: tod(8, 42, 0), ReturnTravelS: 720, ReturnDistanceM: 1000}
	if c2 {
		r.Stops = append(r.Stops, roster.Stop{Visit: "C2-am@" + date, Client: "C2", Arrival: tod(8, 54, 0), Start: tod(9, 0, 0), End: tod(9, 45, 0),
			TravelS: 1440, DistanceM: 2000, WaitingS: 360, Partner: "bea"})
		r.Return = tod(9, 57, 0)
	}
	return r
}

// beaC2 is bea's round on date for C2's double-handed call with ann.
func beaC2(date string) roster.Round {
	return roster.Round{Carer: "bea", Date: date, Mode: roster.Drive, Departure: tod(8, 58, 0),
		Stops:  []roster.Stop{{Visit: "C2-am@" + date, Client: "C2", Arrival: tod(9, 0, 0), Start: tod(9, 0, 0), End: tod(9, 45, 0), TravelS: 120, DistanceM: 1000, Partner: "ann"}},
		Return: tod(9, 47, 0), ReturnTravelS: 120, ReturnDistanceM: 1000}
}

// checkWeekPlan is a correct plan for checkWeek, worked out by hand:
// rounds 0-5 are ann's (Wed, Thu, Fri, Sun, Mon, Tue), 6, 7 and 9 bea's
// with C2 (Wed, Fri, Mon) and 8 bea's for C1 on ann's day off.
func checkWeekPlan() *roster.Plan {
	p := &roster.Plan{Instance: "Grid week 43", Travel: roster.TravelSource{Provider: "grid"}, Unassigned: []roster.Unassigned{},
		Rounds: []roster.Round{
			annRound(wed21, true), annRound(thu22, false), annRound(fri23, true),
			annRound(sun25, false), annRound(mon26, true), annRound(tue27, false),
			beaC2(wed21), beaC2(fri23),
			{Carer: "bea", Date: sat24, Mode: roster.Drive, Departure: tod(7, 58, 0),
				Stops:  []roster.Stop{{Visit: "C1-am@" + sat24, Client: "C1", Arrival: tod(8, 0, 0), Start: tod(8, 0, 0), End: tod(8, 30, 0), TravelS: 120, DistanceM: 1000}},
				Return: tod(8, 32, 0), ReturnTravelS: 120, ReturnDistanceM: 1000},
			beaC2(mon26),
		}}
	return p
}

// withFigures fills in the plan's figures as the optimiser would, so that
// a fault must be caught by its own rule rather than by figures that no
// longer add up.
func withFigures(t testing.TB, in *roster.Instance, p *roster.Plan) *roster.Plan {
	t.Helper()
	p.KPIs = ptrTo(roster.ComputeKPIs(in, p))
	pk, err := roster.ComputePeriodKPIs(in, p, roster.DefaultPaySettings())
	if err != nil {
		t.Fatalf("ComputePeriodKPIs: %v", err)
	}
	p.PeriodKPIs = &pk
	return p
}

// checkWeekPlanned checks the plan for in with the grid's travel over the
// expanded period's points, which are the document's.
func checkWeekPlanned(in *roster.Instance, p *roster.Plan) []roster.Violation {
	return roster.Check(in, newGridTravel(in), p)
}

// TestCheckWeekAcceptsCorrectPlan: the hand-made week plan passes, its
// figures included; its round on Sunday 25th, after the clocks go back,
// and C1's 08:00 every day (no spread in wall-clock time, though 25 hours
// pass between two of them) hold no fault.
func TestCheckWeekAcceptsCorrectPlan(t *testing.T) {
	in := checkWeek()
	if err := in.Validate(); err != nil {
		t.Fatalf("the test week is not valid: %v", err)
	}
	p := withFigures(t, in, checkWeekPlan())
	if vs := checkWeekPlanned(in, p); len(vs) != 0 {
		t.Fatalf("a correct week plan has violations:\n%s", violationsText(vs))
	}
	// ann's Sunday round is 54 minutes of the day's instants, and the
	// day's KPIs count the whole week: 7 + 3 visits.
	if p.KPIs.Visits != 10 || p.KPIs.VisitsServed != 10 || p.KPIs.PaidS != 32940+10860 {
		t.Errorf("kpis = visits %d, served %d, paid %d; want 10, 10, %d", p.KPIs.Visits, p.KPIs.VisitsServed, p.KPIs.PaidS, 32940+10860)
	}
}

// TestCheckWeekAcceptsVariants: changes that keep a week plan within the
// rules, each near the edge of one.
func TestCheckWeekAcceptsVariants(t *testing.T) {
	type (
		I = roster.Instance
		P = roster.Plan
	)
	tests := []struct {
		name   string
		mutate func(in *I, p *P)
	}{
		{"the working-time cap is the day's, not the week's", func(in *I, p *P) {
			in.Carers[0].MaxWorkingMin = 129 // ann's longest day is 2h09m; her week 9h09m
		}},
		{"the break rule is the day's", func(in *I, p *P) {
			in.Carers[0].Break = &roster.BreakRule{AfterWorkingMin: 129, DurationMin: 20}
		}},
		{"opted out of the 48-hour week", func(in *I, p *P) {
			in.Rules.MaxWeekHours = ptrTo(1)
			in.Carers[0].WTROptOut, in.Carers[0].Contract = true, nil
			in.Carers[1].WTROptOut = true
		}},
		{"contract maximum met exactly", func(in *I, p *P) { in.Carers[0].Contract.MaxHours = 32940.0 / 3600 }},
		{"daily rest of exactly the rule", func(in *I, p *P) {
			// ann back at 10:48 on Wednesday, out at 07:48 on Thursday;
			// her other rests are longer.
			in.Rules.MinDailyRestH = ptrTo(21)
			p.Rounds[0].Return = tod(10, 48, 0)
		}},
		{"a spread of exactly the cap", func(in *I, p *P) {
			in.Rules.CallTimeSpreadMaxMin = ptrTo(5)
			waitAtC1(p, 1, 300)
		}},
		{"as many distinct carers as the client's cap", func(in *I, p *P) { in.Clients[0].MaxCarers = 2 }},
		{"a one-day period's round may leave its date out", func(in *I, p *P) {
			in.Period.Days, in.Carers[0].DaysOff = 1, nil
			p.Rounds = []roster.Round{p.Rounds[0], p.Rounds[6]}
			p.Rounds[0].Date, p.Rounds[1].Date = "", ""
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in, p := checkWeek(), checkWeekPlan()
			tc.mutate(in, p)
			if err := in.Validate(); err != nil {
				t.Fatalf("the mutated week is not valid: %v", err)
			}
			withFigures(t, in, p)
			if vs := checkWeekPlanned(in, p); len(vs) != 0 {
				t.Fatalf("violations:\n%s", violationsText(vs))
			}
		})
	}
}

// waitAtC1 makes the carer of round i wait wait seconds at C1 before
// starting, and shifts the rest of the round (a single-stop round).
func waitAtC1(p *roster.Plan, i, wait int) {
	r := &p.Rounds[i]
	s := &r.Stops[0]
	s.WaitingS = wait
	s.Start += roster.Clock(wait)
	s.End += roster.Clock(wait)
	r.Return += roster.Clock(wait)
}

// TestCheckWeekCatchesMutations: each mutation breaks one rule of the
// period, and the checker names it by code and path. The figures are
// recomputed as a forger would.
func TestCheckWeekCatchesMutations(t *testing.T) {
	type (
		I = roster.Instance
		P = roster.Plan
	)
	tests := []struct {
		name   string
		mutate func(in *I, p *P)
		code   string
		path   string
	}{
		{"too many distinct carers for the client's cap", func(in *I, p *P) {
			in.Clients[0].MaxCarers = 1 // C1: ann Wed-Fri, then bea on Saturday
		}, "distinct_carers", "rounds[8].stops[0]"},
		{"too many distinct carers for the rules' cap, double-handed counted", func(in *I, p *P) {
			in.Rules.MaxDistinctCarers = ptrTo(1) // C2's first call has two carers
		}, "distinct_carers", "rounds[6].stops[0]"},
		{"a 49-hour week", func(in *I, p *P) {
			// ann on 07:00-24:00 shifts, each round back at 16:00: six
			// days of 8h12m is 49h12m, over 48 h on Tuesday.
			in.Carers[0].Shifts = []roster.Shift{{Start: tod(7, 0, 0), End: tod(24, 0, 0)}}
			in.Carers[0].Contract = nil
			for i := 0; i < 6; i++ {
				p.Rounds[i].Return = tod(16, 0, 0)
			}
		}, "week_hours", "rounds[5]"},
		{"over a lower max_week_hours", func(in *I, p *P) {
			in.Rules.MaxWeekHours = ptrTo(9) // ann's 9h09m, over on Tuesday
			in.Carers[0].Contract = nil
		}, "week_hours", "rounds[5]"},
		{"contract maximum exceeded", func(in *I, p *P) {
			in.Carers[0].Contract.MaxHours = 5 // Wed 2h09m, Thu 54m, Fri 2h09m: 5h12m
		}, "contract_hours", "rounds[2]"},
		{"10 hours' rest between days", func(in *I, p *P) {
			// bea back at 21:58 on Friday and out at 07:58 on Saturday.
			in.Carers[1].Shifts = []roster.Shift{{Start: tod(7, 0, 0), End: tod(23, 0, 0)}}
			p.Rounds[7].Return = tod(21, 58, 0)
		}, "daily_rest", "rounds[8].departure"},
		{"no 24 hours' rest in the week", func(in *I, p *P) {
			// ann works every day, Saturday until 12:00, so her longest
			// rest is 23h06m (Thursday 08:42 to Friday 07:48); without the
			// late Saturday, the 25-hour Sunday would give her 24h06m.
			in.Carers[0].DaysOff = nil
			p.Rounds[8] = annRound(sat24, false)
			p.Rounds[8].Return = tod(12, 0, 0)
		}, "weekly_rest", "rounds[0]"},
		{"spread over the cap", func(in *I, p *P) {
			in.Rules.CallTimeSpreadMaxMin = ptrTo(4)
			waitAtC1(p, 1, 300) // Thursday's call at 08:05
		}, "call_time_spread", "rounds[1].stops[0].start"},
		{"a round on the carer's day off", func(in *I, p *P) {
			p.Rounds[1].Date = sat24
		}, "shift", "rounds[1].shift"},
		{"a shift the day does not have", func(in *I, p *P) { p.Rounds[1].Shift = 1 }, "shift", "rounds[1].shift"},
		{"a round dated outside the period", func(in *I, p *P) { p.Rounds[5].Date = "2026-10-28" }, "date", "rounds[5].date"},
		{"a round dated before the period", func(in *I, p *P) { p.Rounds[0].Date = "2026-10-20" }, "date", "rounds[0].date"},
		{"a date in the wrong format", func(in *I, p *P) { p.Rounds[3].Date = "25/10/2026" }, "date", "rounds[3].date"},
		{"a date that does not exist", func(in *I, p *P) { p.Rounds[3].Date = "2026-10-32" }, "date", "rounds[3].date"},
		{"a round without a date", func(in *I, p *P) { p.Rounds[2].Date = "" }, "date", "rounds[2].date"},
		{"a declined carer", func(in *I, p *P) {
			in.Clients[0].Preferences.ExcludedCarers = []string{"bea"}
		}, "excluded_carer", "rounds[8].stops[0]"},
		{"over the day's working-time cap", func(in *I, p *P) { in.Carers[0].MaxWorkingMin = 128 }, "max_working_time", "rounds[0]"},
		{"a day's break rule unmet", func(in *I, p *P) {
			in.Carers[0].Break = &roster.BreakRule{AfterWorkingMin: 128, DurationMin: 20}
		}, "break", "rounds[0].break"},
		{"a round across the clock change read an hour out", func(in *I, p *P) {
			// Stated an hour later, as if Sunday had 24 hours: the call
			// starts 09:00 GMT, after its window closes at 08:30.
			r := &p.Rounds[3]
			r.Departure, r.Stops[0].Arrival, r.Stops[0].Start, r.Stops[0].End, r.Return = tod(8, 48, 0), tod(9, 0, 0), tod(9, 0, 0), tod(9, 30, 0), tod(9, 42, 0)
		}, "window", "rounds[3].stops[0].start"},
		{"period figures that do not add up", func(in *I, p *P) {
			p.PeriodKPIs.Clients[0].COC = ptrTo(1.0)
		}, "kpi", "period_kpis.clients[0].coc"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in, p := checkWeek(), withFigures(t, checkWeek(), checkWeekPlan())
			if tc.code != "kpi" {
				tc.mutate(in, p)
				if err := in.Validate(); err != nil {
					t.Fatalf("the mutated week is not valid: %v", err)
				}
				withFigures(t, in, p)
			} else {
				tc.mutate(in, p)
			}
			vs := checkWeekPlanned(in, p)
			wellFormed(t, vs)
			expectViolation(t, vs, tc.code, tc.path)
		})
	}
}

// TestCheckRefusesAnExpandedWeek: the expansion of a week has lost its
// dates, so Check asks for the document rather than judge each carer's
// week as one long day.
func TestCheckRefusesAnExpandedWeek(t *testing.T) {
	x, err := roster.Expand(checkWeek())
	if err != nil {
		t.Fatal(err)
	}
	vs := roster.Check(x.Instance, newGridTravel(x.Instance), &roster.Plan{})
	if len(vs) != 1 || vs[0].Code != "instance" || vs[0].Path != "" {
		t.Fatalf("got:\n%s", violationsText(vs))
	}
}

// TestCheckOneDayRoundDate: a one-day plan may date its rounds with the
// instance's date, and no other.
func TestCheckOneDayRoundDate(t *testing.T) {
	tests := []struct {
		name, date string
		ok         bool
	}{
		{"left out", "", true},
		{"the instance's date", "2026-11-24", true},
		{"another date", "2026-11-25", false},
		{"not a date", "24 Nov", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in, p := checkDay(), checkPlan()
			p.Rounds[2].Date = tc.date
			vs := roster.Check(in, newGridTravel(in), p)
			if tc.ok {
				if len(vs) != 0 {
					t.Fatalf("violations:\n%s", violationsText(vs))
				}
				return
			}
			expectViolation(t, vs, "date", "rounds[2].date")
		})
	}
}

// approx reports whether got is set and within 1e-9 of want.
func approx(got *float64, want float64) bool { return got != nil && math.Abs(*got-want) < 1e-9 }

// TestPeriodKPIs: the week's figures, worked out by hand.
func TestPeriodKPIs(t *testing.T) {
	in := checkWeek()
	k, err := roster.ComputePeriodKPIs(in, checkWeekPlan(), roster.DefaultPaySettings())
	if err != nil {
		t.Fatal(err)
	}
	if len(k.Clients) != 2 || len(k.Care) != 2 || len(k.CarerWeeks) != 2 {
		t.Fatalf("rows: %d clients, %d care, %d carer weeks; want 2, 2, 2", len(k.Clients), len(k.Care), len(k.CarerWeeks))
	}
	// C1: 7 calls, ann 6 and bea 1: COC = (36 + 1 - 7) / (7 * 6) = 5/7;
	// her team (ann) makes 6 of 7.
	c1 := k.Clients[0]
	if c1.Client != "C1" || c1.CarerVisits != 7 || c1.DistinctCarers != 2 || c1.Regulars != "team" ||
		!approx(c1.COC, 5.0/7) || !approx(c1.RegularShare, 6.0/7) {
		t.Errorf("C1: %+v, coc %v, share %v", c1, deref(c1.COC), deref(c1.RegularShare))
	}
	// C2: 3 double-handed calls are 6 carer-visits, 3 each: COC =
	// (9 + 9 - 6) / (6 * 5) = 0.4; without a team, the top three make all.
	c2 := k.Clients[1]
	if c2.Client != "C2" || c2.CarerVisits != 6 || c2.DistinctCarers != 2 || c2.Regulars != "top3" ||
		!approx(c2.COC, 0.4) || !approx(c2.RegularShare, 1) {
		t.Errorf("C2: %+v, coc %v, share %v", c2, deref(c2.COC), deref(c2.RegularShare))
	}
	if ck := k.Care[0]; ck.Care != "C1-am" || ck.VisitsServed != 7 || !approx(ck.SpreadMin, 0) {
		t.Errorf("C1-am: %+v, spread %v", ck, deref(ck.SpreadMin))
	}
	// ann: 3 days of 2h09m and 3 of 54m = 32940 s at £12.60 = £115.29,
	// no mileage on foot; 18900 s contact (6 x 30 min + 3 x 45 min),
	// 12960 s walking, 1080 s waiting.
	ann := k.CarerWeeks[0]
	want := roster.CarerWeekKPIs{Carer: "ann", Week: 1, Start: wed21, Days: 7, PaidS: 32940, DaysWorked: 6,
		ContactS: 18900, TravelS: 12960, DistanceM: 18000, WaitingS: 1080, HourlyRateGBP: 12.60, PayGBP: 115.29,
		EffectiveHourlyGBP: 12.60}
	if !approx(ann.ContractMaxH, 35) || ann.ContractMinH != nil || ann.ContractTargetH != nil {
		t.Errorf("ann's contract: min %v, target %v, max %v; want max 35 only", ann.ContractMinH, ann.ContractTargetH, ann.ContractMaxH)
	}
	ann.ContractMaxH = nil
	if ann != want {
		t.Errorf("ann's week:\n got %+v\nwant %+v", ann, want)
	}
	// bea: 3 x 49 min + 34 min = 10860 s at the default £12.21 = £36.83;
	// 8 km driven is 4.971 miles at 45p = £2.24.
	bea := k.CarerWeeks[1]
	want = roster.CarerWeekKPIs{Carer: "bea", Week: 1, Start: wed21, Days: 7, PaidS: 10860, DaysWorked: 4,
		ContactS: 9900, TravelS: 960, DistanceM: 8000, HourlyRateGBP: 12.21, PayGBP: 36.83, MileageGBP: 2.24,
		EffectiveHourlyGBP: 12.21}
	if bea != want {
		t.Errorf("bea's week:\n got %+v\nwant %+v", bea, want)
	}
}

// deref writes a figure that may be left out.
func deref(f *float64) any {
	if f == nil {
		return "left out"
	}
	return *f
}

// TestPeriodKPIsSpreadAndPay: a spread and effective pay, by hand.
func TestPeriodKPIsSpreadAndPay(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(in *roster.Instance, p *roster.Plan)
		check  func(t *testing.T, k roster.PeriodKPIs)
	}{
		{"Thursday's call 5 minutes late, Tuesday's 10 early", func(in *roster.Instance, p *roster.Plan) {
			waitAtC1(p, 1, 300)
			r := &p.Rounds[5] // out at 07:38, there at 07:50
			r.Departure, r.Stops[0].Arrival, r.Stops[0].Start, r.Stops[0].End, r.Return = tod(7, 38, 0), tod(7, 50, 0), tod(7, 50, 0), tod(8, 20, 0), tod(8, 32, 0)
		}, func(t *testing.T, k roster.PeriodKPIs) {
			if !approx(k.Care[0].SpreadMin, 15) || !approx(k.Care[1].SpreadMin, 0) {
				t.Errorf("spreads %v and %v; want 15 and 0", deref(k.Care[0].SpreadMin), deref(k.Care[1].SpreadMin))
			}
		}},
		{"an unpaid break brings effective pay under the living wage", func(in *roster.Instance, p *roster.Plan) {
			// bea's Saturday round: wait 30 min at C1 as a rest break.
			in.Carers[1].Break = &roster.BreakRule{AfterWorkingMin: 600, DurationMin: 30}
			r := &p.Rounds[8]
			r.Departure = tod(7, 28, 0)
			r.Stops[0].Arrival, r.Stops[0].WaitingS = tod(7, 30, 0), 1800
			r.Break = &roster.Break{Start: tod(7, 30, 0), End: tod(8, 0, 0)}
		}, func(t *testing.T, k roster.PeriodKPIs) {
			// Paid 10860 s as before, 1800 s unpaid: £36.83 over 12660 s
			// is £10.47 an hour.
			bea := k.CarerWeeks[1]
			if bea.PaidS != 10860 || bea.UnpaidS != 1800 || bea.EffectiveHourlyGBP != 10.47 || !bea.BelowLivingWage {
				t.Errorf("bea: paid %d, unpaid %d, effective £%.2f, below %v; want 10860, 1800, £10.47, true",
					bea.PaidS, bea.UnpaidS, bea.EffectiveHourlyGBP, bea.BelowLivingWage)
			}
		}},
		{"a 10-day period has a short second week, contract pro-rated", func(in *roster.Instance, p *roster.Plan) {
			// Nobody works the three days after the week; their calls are
			// left unassigned.
			in.Period.Days = 10
			in.Carers[0].Contract = &roster.Contract{MinHours: 14, MaxHours: 35}
			after := []string{"2026-10-28", "2026-10-29", "2026-10-30"}
			in.Carers[0].DaysOff = append(in.Carers[0].DaysOff, after...)
			in.Carers[1].DaysOff = after
			for _, id := range []string{"C1-am@2026-10-28", "C1-am@2026-10-29", "C1-am@2026-10-30", "C2-am@2026-10-28", "C2-am@2026-10-30"} {
				p.Unassigned = append(p.Unassigned, roster.Unassigned{Visit: id, Reason: roster.ReasonOutsideShifts})
			}
		}, func(t *testing.T, k roster.PeriodKPIs) {
			if len(k.CarerWeeks) != 4 {
				t.Fatalf("%d carer weeks; want 4", len(k.CarerWeeks))
			}
			w2 := k.CarerWeeks[1]
			if w2.Week != 2 || w2.Start != "2026-10-28" || w2.Days != 3 || !approx(w2.ContractMaxH, 15) || !approx(w2.ContractMinH, 6) || w2.PaidS != 0 {
				t.Errorf("ann's second week: %+v, min %v, max %v", w2, deref(w2.ContractMinH), deref(w2.ContractMaxH))
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in, p := checkWeek(), checkWeekPlan()
			tc.mutate(in, p)
			k, err := roster.ComputePeriodKPIs(in, p, roster.DefaultPaySettings())
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, k)
			// The checker agrees with the figures and finds no fault.
			withFigures(t, in, p)
			if vs := checkWeekPlanned(in, p); len(vs) != 0 {
				t.Errorf("violations:\n%s", violationsText(vs))
			}
		})
	}
}

// FuzzCheckWeek: Check never panics on a plan for a period, whatever its
// dates, shifts, times and figures, and gives the same answer twice.
func FuzzCheckWeek(f *testing.F) {
	in := checkWeek()
	good, err := json.Marshal(withFigures(f, in, checkWeekPlan()))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:len(good)/2])
	for _, s := range []string{
		`{}`, `{"rounds": [{}]}`, `{"rounds": [{"date": "2026-10-25", "carer": "ann", "shift": -1, "stops": [{"visit": "C1-am@2026-10-25"}]}]}`,
		`{"rounds": [{"date": "2026-02-30", "carer": "bea"}, {"date": "9999-99-99", "carer": "ann", "shift": 7}]}`,
		`{"rounds": [{"date": "2026-10-24", "carer": "bea", "shift": 0, "departure": "48:00", "return": "00:00", "break": {"start": "25:30", "end": "25:10"},
		  "stops": [{"visit": "C2-am@2026-10-21", "start": "25:20", "end": "25:10", "partner": "bea"}]}]}`,
		`{"period_kpis": {"clients": [{"client": "C9"}], "care": [], "carer_weeks": [{"carer": "ann", "pay_gbp": 1e308}]}}`,
	} {
		f.Add([]byte(s))
	}
	tr := newGridTravel(in)
	f.Fuzz(checkAnyPlan(in, tr))
}
