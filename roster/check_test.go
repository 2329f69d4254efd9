package roster_test

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

// gridTravel is a travel matrix on a grid: a point's lat and lon are its x
// and y in kilometres, and every journey goes along the grid lines (the sum
// of the differences) at a fixed pace for each mode.
type gridTravel struct {
	pts []roster.Location
}

// secsPerKm is the pace of each mode on the grid.
var secsPerKm = map[roster.Mode]int{roster.Walk: 720, roster.Drive: 120, roster.Cycle: 240, roster.Public: 300}

func newGridTravel(in *roster.Instance) gridTravel { return gridTravel{pts: in.Points()} }

// Source names the grid as checkPlan records it, so that Check compares
// the plan's travel with it.
func (g gridTravel) Source() roster.TravelSource { return roster.TravelSource{Provider: "grid"} }

// Leg panics on a point out of range, so that a checker that asks for one
// fails the tests.
func (g gridTravel) Leg(mode roster.Mode, from, to int) (int, int) {
	a, b := g.pts[from], g.pts[to]
	m := int(math.Round((math.Abs(a.Lat-b.Lat) + math.Abs(a.Lon-b.Lon)) * 1000))
	return m * secsPerKm[mode] / 1000, m
}

// tod is a Clock at h:m:s.
func tod(h, m, s int) roster.Clock { return roster.Clock(h*3600 + m*60 + s) }

// checkDay is a small valid day. Carers: ann walks, female, with a split
// shift; bea drives, female, ends away from her start, with a working time
// cap and a break rule; cal walks, male, with a hoist; dan drives, male.
// The walkers' legs in checkPlan take 48 minutes, so both walk up to an
// hour a leg rather than the default 45 minutes.
// C1 asks for a female carer and C2 has declined dan. V2 is double-handed,
// V3 soft, V5 a check call that must follow V4 by 2 to 5 hours, V7 needs a
// skill nobody has and V8 falls outside every shift.
func checkDay() *roster.Instance {
	return &roster.Instance{
		Name: "Grid 2026-11-24", Date: "2026-11-24", TimeZone: "Europe/London",
		Carers: []roster.Carer{
			{ID: "ann", Start: roster.Location{}, Mode: roster.Walk, Gender: "female", Skills: []string{"medication"}, MaxLegMin: 60,
				Shifts: []roster.Shift{{Start: tod(7, 0, 0), End: tod(13, 0, 0)}, {Start: tod(16, 0, 0), End: tod(20, 0, 0)}}},
			{ID: "bea", Start: roster.Location{}, End: &roster.Location{Lat: 1, Lon: 1}, Mode: roster.Drive, Gender: "female",
				Skills: []string{"hoist", "medication"}, MaxWorkingMin: 420, Break: &roster.BreakRule{AfterWorkingMin: 150, DurationMin: 30},
				Shifts: []roster.Shift{{Start: tod(7, 0, 0), End: tod(16, 0, 0)}}},
			{ID: "cal", Start: roster.Location{Lat: 2}, Mode: roster.Walk, Gender: "male", Skills: []string{"hoist"}, MaxLegMin: 60,
				Shifts: []roster.Shift{{Start: tod(7, 0, 0), End: tod(14, 0, 0)}}},
			{ID: "dan", Start: roster.Location{Lat: 3, Lon: 3}, Mode: roster.Drive, Gender: "male",
				Shifts: []roster.Shift{{Start: tod(8, 0, 0), End: tod(18, 0, 0)}}},
		},
		Clients: []roster.Client{
			{ID: "C1", Location: roster.Location{Lat: 1}, Preferences: roster.Preferences{CarerGender: "female"}},
			{ID: "C2", Location: roster.Location{Lon: 2}, Preferences: roster.Preferences{ExcludedCarers: []string{"dan"}}},
			{ID: "C3", Location: roster.Location{Lat: 2, Lon: 2}},
			{ID: "C4", Location: roster.Location{Lat: 3}},
		},
		Visits: []roster.Visit{
			{ID: "V1", Client: "C1", DurationMin: 30, Windows: win(8, 0, 9, 0), RequiredSkills: []string{"medication"}},
			{ID: "V2", Client: "C2", DurationMin: 45, Windows: win(10, 0, 10, 30), RequiredSkills: []string{"hoist"}, Carers: 2},
			{ID: "V3", Client: "C3", DurationMin: 20, Windows: win(10, 0, 10, 30), WindowType: roster.Soft, LatenessCost: 2},
			{ID: "V4", Client: "C4", DurationMin: 30, Windows: win(8, 0, 12, 0)},
			{ID: "V5", Client: "C4", DurationMin: 15, Windows: win(10, 0, 15, 0), Check: true},
			{ID: "V6", Client: "C3", DurationMin: 60, Windows: win(17, 0, 17, 30)},
			{ID: "V7", Client: "C2", DurationMin: 30, Windows: win(9, 0, 17, 0), RequiredSkills: []string{"dementia"}},
			{ID: "V8", Client: "C4", DurationMin: 30, Windows: win(19, 0, 19, 30)},
		},
		Dependencies: []roster.Dependency{
			{Type: roster.Sequential, First: "V4", Second: "V5", MinGapMin: 120, MaxGapMin: ptrTo(300)},
		},
	}
}

// ptrTo returns a pointer to a copy of v.
func ptrTo[T any](v T) *T { return &v }

// win is a single window from h1:m1 to h2:m2.
func win(h1, m1, h2, m2 int) []roster.Window {
	return []roster.Window{{Start: tod(h1, m1, 0), End: tod(h2, m2, 0)}}
}

// addVisit adds visit v to the instance and to the plan's unassigned
// visits with reason r.
func addVisit(in *roster.Instance, p *roster.Plan, v roster.Visit, r roster.Reason) {
	in.Visits = append(in.Visits, v)
	p.Unassigned = append(p.Unassigned, roster.Unassigned{Visit: v.ID, Reason: r, Detail: "?"})
}

// annMorning adds to checkDay a visit V9 for C1 at 08:00 and to checkPlan
// a round of ann's morning shift that serves it: 1 km each way on foot,
// so she leaves at 07:48 and is back at 08:42.
func annMorning(in *roster.Instance, p *roster.Plan) {
	in.Visits = append(in.Visits, roster.Visit{ID: "V9", Client: "C1", DurationMin: 30, Windows: win(8, 0, 8, 0)})
	p.Rounds = append(p.Rounds, roster.Round{Carer: "ann", Shift: 0, Mode: roster.Walk, Departure: tod(7, 48, 0),
		Stops:  []roster.Stop{{Visit: "V9", Client: "C1", Arrival: tod(8, 0, 0), Start: tod(8, 0, 0), End: tod(8, 30, 0), TravelS: 720, DistanceM: 1000}},
		Return: tod(8, 42, 0), ReturnTravelS: 720, ReturnDistanceM: 1000})
}

// farVisit adds to checkDay a visit V9 that only ann may serve, for a new
// client C5 lat km north of her start, between 9:00 and 12:00.
func farVisit(in *roster.Instance, lat float64) {
	in.Carers[0].Skills = append(in.Carers[0].Skills, "catheter")
	in.Clients = append(in.Clients, roster.Client{ID: "C5", Location: roster.Location{Lat: lat}})
	in.Visits = append(in.Visits, roster.Visit{ID: "V9", Client: "C5", DurationMin: 30, Windows: win(9, 0, 12, 0), RequiredSkills: []string{"catheter"}})
}

// checkPlan is a correct plan for checkDay, worked out by hand on the grid.
// Rounds: bea (0), cal (1), dan (2), ann (3).
func checkPlan() *roster.Plan {
	return &roster.Plan{
		Instance: "Grid 2026-11-24",
		Travel:   roster.TravelSource{Provider: "grid"},
		Rounds: []roster.Round{
			{Carer: "bea", Shift: 0, Mode: roster.Drive, Departure: tod(7, 50, 0),
				Stops: []roster.Stop{
					{Visit: "V1", Client: "C1", Arrival: tod(7, 52, 0), Start: tod(8, 0, 0), End: tod(8, 30, 0), TravelS: 120, DistanceM: 1000, WaitingS: 480},
					{Visit: "V2", Client: "C2", Arrival: tod(8, 36, 0), Start: tod(10, 0, 0), End: tod(10, 45, 0), TravelS: 360, DistanceM: 3000, WaitingS: 5040, Partner: "cal"},
					{Visit: "V3", Client: "C3", Arrival: tod(10, 49, 0), Start: tod(10, 49, 0), End: tod(11, 9, 0), TravelS: 240, DistanceM: 2000, LatenessS: 1140},
				},
				Return: tod(11, 13, 0), ReturnTravelS: 240, ReturnDistanceM: 2000,
				Break: &roster.Break{Start: tod(9, 0, 0), End: tod(9, 30, 0)}},
			{Carer: "cal", Shift: 0, Mode: roster.Walk, Departure: tod(9, 12, 0),
				Stops: []roster.Stop{
					{Visit: "V2", Client: "C2", Arrival: tod(10, 0, 0), Start: tod(10, 0, 0), End: tod(10, 45, 0), TravelS: 2880, DistanceM: 4000, Partner: "bea"},
				},
				Return: tod(11, 33, 0), ReturnTravelS: 2880, ReturnDistanceM: 4000},
			{Carer: "dan", Shift: 0, Mode: roster.Drive, Departure: tod(8, 0, 0),
				Stops: []roster.Stop{
					{Visit: "V4", Client: "C4", Arrival: tod(8, 6, 0), Start: tod(8, 6, 0), End: tod(8, 36, 0), TravelS: 360, DistanceM: 3000},
					{Visit: "V5", Client: "C4", Arrival: tod(8, 36, 0), Start: tod(10, 30, 0), End: tod(10, 45, 0), WaitingS: 6840},
				},
				Return: tod(10, 51, 0), ReturnTravelS: 360, ReturnDistanceM: 3000},
			{Carer: "ann", Shift: 1, Mode: roster.Walk, Departure: tod(16, 12, 0),
				Stops: []roster.Stop{
					{Visit: "V6", Client: "C3", Arrival: tod(17, 0, 0), Start: tod(17, 0, 0), End: tod(18, 0, 0), TravelS: 2880, DistanceM: 4000},
				},
				Return: tod(18, 48, 0), ReturnTravelS: 2880, ReturnDistanceM: 4000},
		},
		Unassigned: []roster.Unassigned{
			{Visit: "V7", Reason: roster.ReasonNoQualifiedCarer, Detail: "Nobody holds dementia."},
			{Visit: "V8", Reason: roster.ReasonOutsideShifts, Detail: "Nobody is on shift at 19:00."},
		},
		KPIs: ptrTo(checkKPIs()),
	}
}

// checkKPIs are the key figures of checkPlan, added up by hand. Only
// driving emits: 14 km at 0.17 kg a km.
func checkKPIs() roster.KPIs {
	return roster.KPIs{
		Visits: 8, VisitsServed: 6, VisitsUnassigned: 2,
		ContactS: 1800 + 2700 + 1200 + 2700 + 1800 + 900 + 3600,
		PaidS:    (12180 - 1800) + 8460 + 10260 + 9360,
		TravelS:  960 + 5760 + 720 + 5760, DistanceM: 8000 + 8000 + 6000 + 8000,
		TravelByMode: map[roster.Mode]roster.ModeTravel{
			roster.Drive: {TravelS: 960 + 720, DistanceM: 8000 + 6000, CO2Kg: 2.38},
			roster.Walk:  {TravelS: 5760 + 5760, DistanceM: 8000 + 8000},
		},
		CO2Kg:       2.38,
		TravelShare: 13200.0 / 38460.0,
		WaitingS:    480 + 5040 + 6840, LatenessS: 1140, LateVisits: 1,
		CarersUsed: 4, ShortVisits: 1,
	}
}

// violationsText lists violations one a line for a failure message.
func violationsText(vs []roster.Violation) string {
	if len(vs) == 0 {
		return "  (none)"
	}
	var b strings.Builder
	for _, v := range vs {
		b.WriteString("  " + v.String() + "\n")
	}
	return b.String()
}

// wellFormed asserts that every violation has a code and a message.
func wellFormed(t *testing.T, vs []roster.Violation) {
	t.Helper()
	for _, v := range vs {
		if v.Code == "" || v.Message == "" {
			t.Errorf("violation without a code or message: %+v", v)
		}
	}
}

func TestCheckDayIsValid(t *testing.T) {
	if err := checkDay().Validate(); err != nil {
		t.Fatalf("the test day is not valid: %v", err)
	}
}

func TestCheckAcceptsCorrectPlan(t *testing.T) {
	in := checkDay()
	if vs := roster.Check(in, newGridTravel(in), checkPlan()); len(vs) != 0 {
		t.Fatalf("a correct plan has violations:\n%s", violationsText(vs))
	}
}

// TestCheckAcceptsVariants: changes that keep a plan within the rules.
// Their key figures are recomputed, as they are tested apart.
func TestCheckAcceptsVariants(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(in *roster.Instance, p *roster.Plan)
	}{
		{"gap between rounds counts as the break", func(in *roster.Instance, p *roster.Plan) {
			in.Carers[0].Break = &roster.BreakRule{AfterWorkingMin: 60, DurationMin: 30}
			annMorning(in, p)
		}},
		{"break longer than the rule asks", func(in *roster.Instance, p *roster.Plan) {
			p.Rounds[0].Break = &roster.Break{Start: tod(9, 0, 0), End: tod(9, 45, 0)}
		}},
		{"break not needed below the threshold, taken all the same", func(in *roster.Instance, p *roster.Plan) {
			in.Carers[1].Break.AfterWorkingMin = 240
		}},
		// Derived fields may be left out (docs/FORMAT.md, "Plan").
		{"round mode left out", func(in *roster.Instance, p *roster.Plan) { p.Rounds[1].Mode = "" }},
		{"stop client left out", func(in *roster.Instance, p *roster.Plan) { p.Rounds[3].Stops[0].Client = "" }},
		{"travel source left out", func(in *roster.Instance, p *roster.Plan) { p.Travel = roster.TravelSource{} }},
		{"unnamed instance, plan names none", func(in *roster.Instance, p *roster.Plan) { in.Name, p.Instance = "", "" }},
		{"no break needed below the threshold", func(in *roster.Instance, p *roster.Plan) {
			in.Carers[1].Break.AfterWorkingMin = 240
			p.Rounds[0].Break = nil
		}},
		{"break of exactly the duration, ending as a visit starts", func(in *roster.Instance, p *roster.Plan) {
			p.Rounds[0].Break = &roster.Break{Start: tod(9, 30, 0), End: tod(10, 0, 0)}
		}},
		{"working time at exactly the cap", func(in *roster.Instance, p *roster.Plan) {
			in.Carers[1].MaxWorkingMin = 10380 / 60
		}},
		{"start at a window's close", func(in *roster.Instance, p *roster.Plan) {
			in.Visits[0].Windows = win(7, 30, 8, 0)
		}},
		{"soft visit inside its second window", func(in *roster.Instance, p *roster.Plan) {
			in.Visits[2].Windows = []roster.Window{{Start: tod(9, 0, 0), End: tod(9, 30, 0)}, {Start: tod(10, 30, 0), End: tod(11, 0, 0)}}
			p.Rounds[0].Stops[2].LatenessS = 0
		}},
		{"late soft visit after its last window", func(in *roster.Instance, p *roster.Plan) {
			in.Visits[2].Windows = []roster.Window{{Start: tod(9, 0, 0), End: tod(9, 30, 0)}, {Start: tod(10, 0, 0), End: tod(10, 30, 0)}}
		}},
		{"true too_few_qualified_carers", func(in *roster.Instance, p *roster.Plan) {
			in.Visits = append(in.Visits, roster.Visit{ID: "V9", Client: "C1", DurationMin: 30, Windows: win(9, 0, 12, 0), RequiredSkills: []string{"hoist"}, Carers: 2})
			p.Unassigned = append(p.Unassigned, roster.Unassigned{Visit: "V9", Reason: roster.ReasonTooFewQualifiedCarers, Detail: "Only bea."})
		}},
		{"too_few_qualified_carers for visits that must start together", func(in *roster.Instance, p *roster.Plan) {
			in.Visits = append(in.Visits,
				roster.Visit{ID: "V9", Client: "C4", DurationMin: 30, Windows: win(9, 0, 12, 0)},
				roster.Visit{ID: "V10", Client: "C3", DurationMin: 30, Windows: win(9, 0, 12, 0), Carers: 2},
				roster.Visit{ID: "V11", Client: "C4", DurationMin: 30, Windows: win(9, 0, 12, 0), Carers: 2})
			in.Dependencies = append(in.Dependencies,
				roster.Dependency{Type: roster.Simultaneous, First: "V9", Second: "V10"},
				roster.Dependency{Type: roster.Simultaneous, First: "V11", Second: "V10"})
			for _, id := range []string{"V9", "V10", "V11"} {
				p.Unassigned = append(p.Unassigned, roster.Unassigned{Visit: id, Reason: roster.ReasonTooFewQualifiedCarers, Detail: "Five carers at once."})
			}
		}},
		{"outside_shifts when only one carer fits a double-handed visit", func(in *roster.Instance, p *roster.Plan) {
			in.Visits = append(in.Visits, roster.Visit{ID: "V9", Client: "C3", DurationMin: 30, Windows: win(18, 0, 18, 30), Carers: 2})
			p.Unassigned = append(p.Unassigned, roster.Unassigned{Visit: "V9", Reason: roster.ReasonOutsideShifts, Detail: "Only dan."})
		}},
		{"true beyond_max_leg", func(in *roster.Instance, p *roster.Plan) {
			farVisit(in, 9) // 6 km past C4, the nearest visit
			p.Unassigned = append(p.Unassigned, roster.Unassigned{Visit: "V9", Reason: roster.ReasonBeyondMaxLeg, Detail: "Only ann, on foot."})
		}},
		{"outside_shifts counts only carers within reach", func(in *roster.Instance, p *roster.Plan) {
			// Walking straight there and back, ann could serve V9 in her
			// morning shift, but not in legs of an hour.
			farVisit(in, 9)
			p.Unassigned = append(p.Unassigned, roster.Unassigned{Visit: "V9", Reason: roster.ReasonOutsideShifts, Detail: "?"})
		}},
		{"legs of exactly the maximum", func(in *roster.Instance, p *roster.Plan) {
			in.Carers[0].MaxLegMin, in.Carers[2].MaxLegMin = 48, 48
		}},
		{"true carers_busy", func(in *roster.Instance, p *roster.Plan) {
			addVisit(in, p, roster.Visit{ID: "V9", Client: "C3", DurationMin: 30, Windows: win(8, 0, 9, 0)}, roster.ReasonCarersBusy)
		}},
		{"true dependency", func(in *roster.Instance, p *roster.Plan) {
			// V9 could be served alone, but must start with V7, which no
			// carer is qualified for.
			addVisit(in, p, roster.Visit{ID: "V9", Client: "C3", DurationMin: 30, Windows: win(9, 0, 12, 0)}, roster.ReasonDependency)
			in.Dependencies = append(in.Dependencies, roster.Dependency{Type: roster.Simultaneous, First: "V7", Second: "V9"})
		}},
		{"true no_feasible_round, heavier than any carer carries", func(in *roster.Instance, p *roster.Plan) {
			for k := range in.Carers {
				in.Carers[k].Capacity = 4
			}
			addVisit(in, p, roster.Visit{ID: "V9", Client: "C3", DurationMin: 30, Windows: win(8, 0, 9, 0), Load: 5}, roster.ReasonNoFeasibleRound)
		}},
		{"true no_feasible_round, a break rule leaves no time", func(in *roster.Instance, p *roster.Plan) {
			// Only eve holds catheter. V9 alone takes her 2h06m, past her
			// break threshold, and her shift ends before a round with a
			// 30-minute break could: leave 07:00, visit 07:48-08:18, rest,
			// walk back by 09:36, after 09:10. The checker leaves a claim
			// it cannot settle without a break alone.
			in.Carers = append(in.Carers, roster.Carer{ID: "eve", Mode: roster.Walk, Skills: []string{"catheter"}, MaxLegMin: 60,
				Break:  &roster.BreakRule{AfterWorkingMin: 60, DurationMin: 30},
				Shifts: []roster.Shift{{Start: tod(7, 0, 0), End: tod(9, 10, 0)}}})
			addVisit(in, p, roster.Visit{ID: "V9", Client: "C3", DurationMin: 30, Windows: win(7, 48, 7, 48), RequiredSkills: []string{"catheter"}},
				roster.ReasonNoFeasibleRound)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in, p := checkDay(), checkPlan()
			tc.mutate(in, p)
			p.KPIs = ptrTo(roster.ComputeKPIs(in, p))
			if vs := roster.Check(in, newGridTravel(in), p); len(vs) != 0 {
				t.Fatalf("violations:\n%s", violationsText(vs))
			}
		})
	}
}

func TestCheckFindsViolations(t *testing.T) {
	type (
		I = roster.Instance
		P = roster.Plan
	)
	emptyRound := func(dep, ret roster.Clock) roster.Round {
		return roster.Round{Carer: "ann", Shift: 0, Mode: roster.Walk, Departure: dep, Return: ret}
	}
	tests := []struct {
		name   string
		mutate func(in *I, p *P)
		code   string
		path   string
	}{
		// Capacity and distinct carers.
		{"round over capacity", func(in *I, p *P) {
			in.Carers[1].Capacity = 2 // bea serves V1, V2 and V3
			for i := range in.Visits {
				in.Visits[i].Load = 1
			}
		}, "capacity", "rounds[0]"},
		{"one carer for a dependency asking for two", func(in *I, p *P) { in.Dependencies[0].DistinctCarers = true }, "dependency", "rounds[2].stops[1]"},
		// Windows and lateness.
		{"hard visit before its window", func(in *I, p *P) { in.Visits[3].Windows = win(9, 0, 12, 0) }, "window", "rounds[2].stops[0].start"},
		{"hard visit after its window", func(in *I, p *P) { in.Visits[0].Windows = win(7, 0, 7, 55) }, "window", "rounds[0].stops[0].start"},
		{"hard visit between windows", func(in *I, p *P) {
			in.Visits[0].Windows = []roster.Window{{Start: tod(7, 0, 0), End: tod(7, 30, 0)}, {Start: tod(8, 30, 0), End: tod(9, 0, 0)}}
		}, "window", "rounds[0].stops[0].start"},
		{"soft visit before its first window", func(in *I, p *P) { in.Visits[2].Windows = win(11, 0, 11, 30) }, "window", "rounds[0].stops[2].start"},
		{"soft visit between windows", func(in *I, p *P) {
			in.Visits[2].Windows = []roster.Window{{Start: tod(9, 0, 0), End: tod(9, 30, 0)}, {Start: tod(11, 0, 0), End: tod(11, 30, 0)}}
		}, "window", "rounds[0].stops[2].start"},
		{"lateness left out", func(in *I, p *P) { p.Rounds[0].Stops[2].LatenessS = 0 }, "lateness", "rounds[0].stops[2].lateness_s"},
		{"lateness on a hard visit", func(in *I, p *P) { p.Rounds[2].Stops[0].LatenessS = 60 }, "lateness", "rounds[2].stops[0].lateness_s"},

		// Shifts and modes.
		{"departure before the shift", func(in *I, p *P) { p.Rounds[0].Departure = tod(6, 50, 0) }, "shift", "rounds[0].departure"},
		{"return after the shift", func(in *I, p *P) { in.Carers[1].Shifts[0].End = tod(11, 0, 0) }, "shift", "rounds[0].return"},
		{"shift index out of range", func(in *I, p *P) { p.Rounds[1].Shift = 3 }, "shift", "rounds[1].shift"},
		{"negative shift index", func(in *I, p *P) { p.Rounds[1].Shift = -1 }, "shift", "rounds[1].shift"},
		{"two rounds in one shift", func(in *I, p *P) {
			p.Rounds = append(p.Rounds, emptyRound(tod(16, 0, 0), tod(16, 0, 0)))
			p.Rounds[4].Shift = 1
		}, "shift", "rounds[4].shift"},
		{"mode not the carer's", func(in *I, p *P) { p.Rounds[1].Mode = roster.Drive }, "mode", "rounds[1].mode"},

		// Qualification.
		{"missing skill", func(in *I, p *P) { in.Carers[2].Skills = nil }, "skill", "rounds[1].stops[0]"},
		{"wrong gender", func(in *I, p *P) { in.Carers[1].Gender = "male" }, "gender", "rounds[0].stops[0]"},
		{"gender not recorded", func(in *I, p *P) { in.Carers[1].Gender = "" }, "gender", "rounds[0].stops[0]"},
		{"excluded carer", func(in *I, p *P) { in.Clients[1].Preferences.ExcludedCarers = []string{"dan", "cal"} }, "excluded_carer", "rounds[1].stops[0]"},

		// Double-handed visits.
		{"partners start apart", func(in *I, p *P) {
			r := &p.Rounds[1]
			r.Departure, r.Return = tod(9, 17, 0), tod(11, 38, 0)
			r.Stops[0].Arrival, r.Stops[0].Start, r.Stops[0].End = tod(10, 5, 0), tod(10, 5, 0), tod(10, 50, 0)
		}, "partner_start", "rounds[1].stops[0].start"},
		{"partner missing", func(in *I, p *P) { p.Rounds = slices.Delete(p.Rounds, 1, 2) }, "partner_missing", "rounds[0].stops[1]"},
		{"partner field names the wrong carer", func(in *I, p *P) { p.Rounds[0].Stops[1].Partner = "dan" }, "partner", "rounds[0].stops[1].partner"},
		{"partner field left out", func(in *I, p *P) { p.Rounds[1].Stops[0].Partner = "" }, "partner", "rounds[1].stops[0].partner"},
		{"partner on a single-handed visit", func(in *I, p *P) { p.Rounds[2].Stops[0].Partner = "bea" }, "partner", "rounds[2].stops[0].partner"},
		{"double-handed visit twice by one carer", func(in *I, p *P) { p.Rounds[1].Carer = "bea" }, "served_twice", "rounds[1].stops[0]"},
		{"double-handed visit three times", func(in *I, p *P) {
			p.Rounds = append(p.Rounds, roster.Round{Carer: "dan", Shift: 0, Mode: roster.Drive, Departure: tod(11, 0, 0),
				Stops:  []roster.Stop{{Visit: "V2", Client: "C2", Arrival: tod(11, 12, 0), Start: tod(10, 0, 0), End: tod(10, 45, 0), TravelS: 720, DistanceM: 6000}},
				Return: tod(11, 12, 0), ReturnTravelS: 720, ReturnDistanceM: 6000})
		}, "served_twice", "rounds[4].stops[0]"},

		// Dependencies.
		{"sequential gap too long", func(in *I, p *P) { in.Dependencies[0].MaxGapMin = ptrTo(140) }, "dependency_gap", "rounds[2].stops[1].start"},
		{"sequential gap too short", func(in *I, p *P) { in.Dependencies[0].MinGapMin = 180 }, "dependency_gap", "rounds[2].stops[1].start"},
		{"simultaneous visit served alone", func(in *I, p *P) {
			in.Dependencies = append(in.Dependencies, roster.Dependency{Type: roster.Simultaneous, First: "V1", Second: "V7"})
		}, "dependency", "rounds[0].stops[0]"},
		{"simultaneous visits apart", func(in *I, p *P) {
			in.Dependencies[0] = roster.Dependency{Type: roster.Simultaneous, First: "V4", Second: "V5"}
		}, "dependency_gap", "rounds[2].stops[1].start"},
		{"simultaneous visits by one carer", func(in *I, p *P) {
			in.Dependencies[0] = roster.Dependency{Type: roster.Simultaneous, First: "V4", Second: "V5"}
		}, "dependency", "rounds[2].stops[1]"},

		// Journeys and time arithmetic.
		{"travel shorter than the matrix", func(in *I, p *P) { p.Rounds[0].Stops[1].TravelS = 300 }, "travel_short", "rounds[0].stops[1].travel_s"},
		{"travel longer than the matrix", func(in *I, p *P) { p.Rounds[0].Stops[1].TravelS = 400 }, "travel_mismatch", "rounds[0].stops[1].travel_s"},
		{"distance not the matrix's", func(in *I, p *P) { p.Rounds[0].Stops[1].DistanceM = 2999 }, "travel_mismatch", "rounds[0].stops[1].distance_m"},
		{"return journey shorter than the matrix", func(in *I, p *P) { p.Rounds[3].ReturnTravelS = 2000 }, "travel_short", "rounds[3].return_travel_s"},
		{"return distance not the matrix's", func(in *I, p *P) { p.Rounds[3].ReturnDistanceM = 0 }, "travel_mismatch", "rounds[3].return_distance_m"},
		{"first leg from the carer's start", func(in *I, p *P) { in.Carers[1].Start = roster.Location{Lat: -1} }, "travel_short", "rounds[0].stops[0].travel_s"},
		{"return to the carer's end", func(in *I, p *P) { in.Carers[1].End = nil }, "travel_short", "rounds[0].return_travel_s"},
		{"return to the carer's end, longer than the matrix", func(in *I, p *P) { in.Carers[1].End = &roster.Location{Lat: 2, Lon: 2} }, "travel_mismatch", "rounds[0].return_travel_s"},
		{"arrival too early for the journey", func(in *I, p *P) {
			p.Rounds[0].Stops[1].Arrival, p.Rounds[0].Stops[1].WaitingS = tod(8, 33, 0), 5220
		}, "travel_time", "rounds[0].stops[1].arrival"},
		{"first arrival too early for the departure", func(in *I, p *P) { p.Rounds[2].Departure = tod(8, 1, 0) }, "travel_time", "rounds[2].stops[0].arrival"},
		{"return too early for the journey", func(in *I, p *P) { p.Rounds[3].Return = tod(18, 40, 0) }, "travel_time", "rounds[3].return"},
		{"empty round that returns before it leaves", func(in *I, p *P) {
			p.Rounds = append(p.Rounds, emptyRound(tod(12, 0, 0), tod(11, 0, 0)))
		}, "travel_time", "rounds[4].return"},
		{"start before arrival", func(in *I, p *P) { p.Rounds[3].Stops[0].Arrival = tod(17, 5, 0) }, "time_arithmetic", "rounds[3].stops[0].start"},
		{"waiting misstated", func(in *I, p *P) { p.Rounds[0].Stops[0].WaitingS = 400 }, "time_arithmetic", "rounds[0].stops[0].waiting_s"},
		{"end misstated", func(in *I, p *P) { p.Rounds[3].Stops[0].End = tod(17, 50, 0) }, "time_arithmetic", "rounds[3].stops[0].end"},
		{"client not the visit's", func(in *I, p *P) { p.Rounds[3].Stops[0].Client = "C1" }, "client", "rounds[3].stops[0].client"},

		// Overlaps.
		{"overlapping stops", func(in *I, p *P) {
			s := &p.Rounds[0].Stops[2]
			s.Arrival, s.Start, s.End, s.LatenessS = tod(10, 40, 0), tod(10, 40, 0), tod(11, 0, 0), 600
		}, "overlap", "rounds[0].stops[2].start"},
		{"overlapping rounds", func(in *I, p *P) {
			p.Rounds = append(p.Rounds, emptyRound(tod(12, 0, 0), tod(17, 0, 0)))
		}, "overlap", "rounds[3].departure"},
		{"visits of two rounds overlap", func(in *I, p *P) {
			p.Rounds = append(p.Rounds, roster.Round{Carer: "ann", Shift: 0, Mode: roster.Walk, Departure: tod(16, 0, 0),
				Stops:  []roster.Stop{{Visit: "V7", Client: "C2", Arrival: tod(16, 24, 0), Start: tod(16, 24, 0), End: tod(16, 54, 0), TravelS: 1440, DistanceM: 2000}},
				Return: tod(17, 18, 0), ReturnTravelS: 1440, ReturnDistanceM: 2000})
		}, "overlap", "rounds[3].stops[0].arrival"},

		// Visits served and unassigned.
		{"visit served twice", func(in *I, p *P) { p.Rounds[2].Stops[1].Visit = "V4" }, "served_twice", "rounds[2].stops[1]"},
		{"visit served twice leaves another lost", func(in *I, p *P) { p.Rounds[2].Stops[1].Visit = "V4" }, "lost", "unassigned"},
		{"lost visit", func(in *I, p *P) { p.Unassigned = p.Unassigned[:1] }, "lost", "unassigned"},
		{"unknown visit in a stop", func(in *I, p *P) { p.Rounds[0].Stops[2].Visit = "V99" }, "unknown_visit", "rounds[0].stops[2].visit"},
		{"unknown visit unassigned", func(in *I, p *P) {
			p.Unassigned = append(p.Unassigned, roster.Unassigned{Visit: "V99", Reason: roster.ReasonCarersBusy, Detail: "?"})
		}, "unknown_visit", "unassigned[2].visit"},
		{"unknown carer", func(in *I, p *P) { p.Rounds[1].Carer = "zoe" }, "unknown_carer", "rounds[1].carer"},
		{"visit served and unassigned", func(in *I, p *P) {
			p.Unassigned = append(p.Unassigned, roster.Unassigned{Visit: "V1", Reason: roster.ReasonCarersBusy, Detail: "?"})
		}, "unassigned", "unassigned[2].visit"},
		{"visit unassigned twice", func(in *I, p *P) { p.Unassigned = append(p.Unassigned, p.Unassigned[1]) }, "unassigned", "unassigned[2].visit"},

		// Working time and breaks.
		{"max working time", func(in *I, p *P) { in.Carers[1].MaxWorkingMin = 150 }, "max_working_time", "rounds[0]"},
		{"max working time over a split shift", func(in *I, p *P) {
			in.Carers[0].MaxWorkingMin = 160
			p.Rounds = append(p.Rounds, emptyRound(tod(8, 0, 0), tod(8, 10, 0)))
		}, "max_working_time", "rounds[3]"},
		{"missing break", func(in *I, p *P) { p.Rounds[0].Break = nil }, "break", "rounds[0].break"},
		{"break too short", func(in *I, p *P) { p.Rounds[0].Break.End = tod(9, 10, 0) }, "break", "rounds[0].break"},
		{"break overlapping travel", func(in *I, p *P) {
			p.Rounds[0].Break = &roster.Break{Start: tod(8, 31, 0), End: tod(9, 1, 0)}
		}, "break", "rounds[0].break"},
		{"break overlapping a visit though not required", func(in *I, p *P) {
			in.Carers[1].Break = nil
			p.Rounds[0].Break = &roster.Break{Start: tod(10, 30, 0), End: tod(11, 0, 0)}
		}, "break", "rounds[0].break"},
		{"break outside its round", func(in *I, p *P) {
			p.Rounds[0].Break = &roster.Break{Start: tod(11, 20, 0), End: tod(11, 50, 0)}
		}, "break", "rounds[0].break"},
		{"break ending before it starts", func(in *I, p *P) {
			p.Rounds[0].Break = &roster.Break{Start: tod(9, 30, 0), End: tod(9, 0, 0)}
		}, "break", "rounds[0].break.end"},

		// Reasons.
		{"false too_few_qualified_carers for a single visit", func(in *I, p *P) {
			p.Unassigned[0].Reason = roster.ReasonTooFewQualifiedCarers
		}, "reason", "unassigned[0].reason"},
		{"false too_few_qualified_carers for a double-handed visit", func(in *I, p *P) {
			in.Visits = append(in.Visits, roster.Visit{ID: "V9", Client: "C3", DurationMin: 30, Windows: win(9, 0, 12, 0), RequiredSkills: []string{"hoist"}, Carers: 2})
			p.Unassigned = append(p.Unassigned, roster.Unassigned{Visit: "V9", Reason: roster.ReasonTooFewQualifiedCarers, Detail: "?"})
		}, "reason", "unassigned[2].reason"},
		{"false too_few_qualified_carers for visits starting together", func(in *I, p *P) {
			in.Visits = append(in.Visits,
				roster.Visit{ID: "V9", Client: "C4", DurationMin: 30, Windows: win(9, 0, 12, 0)},
				roster.Visit{ID: "V10", Client: "C3", DurationMin: 30, Windows: win(9, 0, 12, 0), Carers: 2})
			in.Dependencies = append(in.Dependencies, roster.Dependency{Type: roster.Simultaneous, First: "V9", Second: "V10"})
			p.Unassigned = append(p.Unassigned,
				roster.Unassigned{Visit: "V9", Reason: roster.ReasonTooFewQualifiedCarers, Detail: "?"},
				roster.Unassigned{Visit: "V10", Reason: roster.ReasonTooFewQualifiedCarers, Detail: "?"})
		}, "reason", "unassigned[2].reason"},
		{"false no_qualified_carer", func(in *I, p *P) { p.Unassigned[1].Reason = roster.ReasonNoQualifiedCarer }, "reason", "unassigned[1].reason"},
		{"false outside_shifts", func(in *I, p *P) { in.Visits[7].Windows = win(16, 30, 17, 0) }, "reason", "unassigned[1].reason"},
		{"false max_working_time", func(in *I, p *P) {
			in.Visits[7].Windows = win(16, 30, 17, 0)
			p.Unassigned[1].Reason = roster.ReasonMaxWorkingTime
		}, "reason", "unassigned[1].reason"},
		{"unknown reason", func(in *I, p *P) { p.Unassigned[1].Reason = "tired" }, "reason", "unassigned[1].reason"},
		{"no reason", func(in *I, p *P) { p.Unassigned[1].Reason = "" }, "reason", "unassigned[1].reason"},

		// Key figures.
		{"kpi travel_s", func(in *I, p *P) { p.KPIs.TravelS++ }, "kpi", "kpis.travel_s"},
		{"kpi paid_s", func(in *I, p *P) { p.KPIs.PaidS += 1800 }, "kpi", "kpis.paid_s"},
		{"kpi travel_share", func(in *I, p *P) { p.KPIs.TravelShare += 0.01 }, "kpi", "kpis.travel_share"},
		{"kpi travel_share NaN", func(in *I, p *P) { p.KPIs.TravelShare = math.NaN() }, "kpi", "kpis.travel_share"},
		{"kpi travel by walking", func(in *I, p *P) {
			p.KPIs.TravelByMode[roster.Walk] = roster.ModeTravel{TravelS: 1, DistanceM: 16000}
		}, "kpi", "kpis.travel_by_mode.walk.travel_s"},
		{"kpi mode with no rounds", func(in *I, p *P) { p.KPIs.TravelByMode[roster.Cycle] = roster.ModeTravel{} }, "kpi", "kpis.travel_by_mode.cycle"},
		{"kpi mode left out", func(in *I, p *P) { delete(p.KPIs.TravelByMode, roster.Drive) }, "kpi", "kpis.travel_by_mode.drive"},
		{"kpi short_visits", func(in *I, p *P) { p.KPIs.ShortVisits = 0 }, "kpi", "kpis.short_visits"},
		{"kpi carers_used", func(in *I, p *P) { p.KPIs.CarersUsed = 3 }, "kpi", "kpis.carers_used"},
		{"kpi visits_unassigned", func(in *I, p *P) { p.Unassigned = p.Unassigned[:1] }, "kpi", "kpis.visits_unassigned"},
		{"kpi co2_kg", func(in *I, p *P) { p.KPIs.CO2Kg = 2.381 }, "kpi", "kpis.co2_kg"},
		{"kpi co2_kg by mode", func(in *I, p *P) {
			p.KPIs.TravelByMode[roster.Walk] = roster.ModeTravel{TravelS: 11520, DistanceM: 16000, CO2Kg: 0.5}
		}, "kpi", "kpis.travel_by_mode.walk.co2_kg"},

		// Maximum legs.
		{"leg longer than the carer's max_leg_min", func(in *I, p *P) { in.Carers[0].MaxLegMin = 45 }, "max_leg", "rounds[3].stops[0].travel_s"},
		{"leg back longer than the carer's max_leg_min", func(in *I, p *P) { in.Carers[0].MaxLegMin = 45 }, "max_leg", "rounds[3].return_travel_s"},
		{"leg longer than the walking default", func(in *I, p *P) { in.Carers[2].MaxLegMin = 0 }, "max_leg", "rounds[1].stops[0].travel_s"},
		{"driver with a maximum leg", func(in *I, p *P) { in.Carers[1].MaxLegMin = 5 }, "max_leg", "rounds[0].stops[1].travel_s"},
		{"false beyond_max_leg, a driver reaches it", func(in *I, p *P) { p.Unassigned[1].Reason = roster.ReasonBeyondMaxLeg }, "reason", "unassigned[1].reason"},
		{"false beyond_max_leg, reached by way of another visit", func(in *I, p *P) {
			farVisit(in, 6) // 3 km past C4, 6 km from ann's start
			p.Unassigned = append(p.Unassigned, roster.Unassigned{Visit: "V9", Reason: roster.ReasonBeyondMaxLeg, Detail: "?"})
		}, "reason", "unassigned[2].reason"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in, p := checkDay(), checkPlan()
			tc.mutate(in, p)
			vs := roster.Check(in, newGridTravel(in), p)
			wellFormed(t, vs)
			expectViolation(t, vs, tc.code, tc.path)
		})
	}
}

// TestCheckMessages: messages name the carer and visit and write times as
// a coordinator reads them.
func TestCheckMessages(t *testing.T) {
	in, p := checkDay(), checkPlan()
	in.Visits[0].Windows = win(7, 0, 7, 55)
	vs := roster.Check(in, newGridTravel(in), p)
	if len(vs) != 1 {
		t.Fatalf("want one violation, got:\n%s", violationsText(vs))
	}
	want := "Visit V1 (carer bea) starts 08:00:00, after its window 07:00-07:55 closed."
	if vs[0].Message != want {
		t.Errorf("message %q, want %q", vs[0].Message, want)
	}
}

func TestCheckNilInputs(t *testing.T) {
	in := checkDay()
	tr := newGridTravel(in)
	if vs := roster.Check(nil, tr, checkPlan()); len(vs) != 1 || vs[0].Code != "instance" {
		t.Errorf("no instance: %v", vs)
	}
	if vs := roster.Check(in, nil, checkPlan()); len(vs) != 1 || vs[0].Code != "travel" {
		t.Errorf("no travel: %v", vs)
	}
	vs := roster.Check(in, tr, nil)
	wellFormed(t, vs)
	lost := 0
	for _, v := range vs {
		if v.Code == "lost" {
			lost++
		}
	}
	if lost != len(in.Visits) {
		t.Errorf("a nil plan loses every visit; got:\n%s", violationsText(vs))
	}
}

// TestCheckGarbage: plans no decoder would produce, with extreme numbers,
// unknown ids and missing parts, give violations and no panic.
func TestCheckGarbage(t *testing.T) {
	const big = math.MaxInt
	plans := []struct {
		name string
		plan *roster.Plan
	}{
		{"empty", &roster.Plan{}},
		{"empty round", &roster.Plan{Rounds: []roster.Round{{}}}},
		{"empty stops", &roster.Plan{Rounds: []roster.Round{{Carer: "ann", Shift: 1, Stops: []roster.Stop{{}, {Visit: "V1"}}}}}},
		{"extremes", &roster.Plan{
			Rounds: []roster.Round{
				{Carer: "bea", Shift: big, Departure: math.MinInt32, Return: math.MaxInt32, ReturnTravelS: -big - 1, ReturnDistanceM: big,
					Break: &roster.Break{Start: math.MaxInt32, End: math.MinInt32},
					Stops: []roster.Stop{{Visit: "V2", Client: "C2", Arrival: math.MinInt32, Start: math.MaxInt32, End: math.MinInt32,
						TravelS: big, DistanceM: -big - 1, WaitingS: -big - 1, LatenessS: big, Partner: "bea"}}},
				{Carer: "bea", Shift: -big - 1, Mode: "rocket", Departure: math.MaxInt32, Return: math.MinInt32,
					Break: &roster.Break{Start: math.MinInt32, End: math.MaxInt32},
					Stops: []roster.Stop{{Visit: "V2", TravelS: -big - 1, WaitingS: big}, {Visit: "V2"}, {Visit: "V2"}}},
			},
			Unassigned: []roster.Unassigned{{Visit: "V2"}, {Visit: ""}, {Visit: "V5", Reason: "?"}, {Visit: "V5"}},
			KPIs:       &roster.KPIs{TravelShare: math.Inf(1), PaidS: -big - 1, TravelByMode: map[roster.Mode]roster.ModeTravel{"": {TravelS: big}}},
		}},
	}
	in := checkDay()
	in.Dependencies = append(in.Dependencies, roster.Dependency{Type: roster.Simultaneous, First: "V2", Second: "V1"})
	for _, tc := range plans {
		t.Run(tc.name, func(t *testing.T) {
			vs := roster.Check(in, newGridTravel(in), tc.plan)
			if len(vs) == 0 {
				t.Fatal("a garbage plan passed")
			}
			wellFormed(t, vs)
		})
	}
}

func FuzzCheck(f *testing.F) {
	good, err := json.Marshal(checkPlan())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:len(good)/2])
	for _, s := range []string{
		`{}`, `null`, `{"rounds": [{}]}`, `{"rounds": [null, {"stops": [null, {}]}]}`,
		`{"rounds": [{"carer": "ann", "shift": -1, "stops": [{"visit": "V9"}]}]}`,
		`{"rounds": [{"carer": "bea", "shift": 0, "departure": "48:00", "return": "00:00", "break": {"start": "10:00", "end": "09:00"},
		  "stops": [{"visit": "V2", "travel_s": -9223372036854775808, "waiting_s": 9223372036854775807, "partner": "bea"}]}]}`,
		`{"unassigned": [{"visit": "V2"}, {"visit": "V2", "reason": "too_few_qualified_carers"}, {"visit": "V7", "reason": "outside_shifts"}]}`,
		`{"kpis": {"travel_by_mode": {"": {}, "walk": {"travel_s": 1}}, "travel_share": 1e308}}`,
	} {
		f.Add([]byte(s))
	}
	in := checkDay()
	in.Dependencies = append(in.Dependencies, roster.Dependency{Type: roster.Simultaneous, First: "V1", Second: "V7"})
	tr := newGridTravel(in)
	f.Fuzz(checkAnyPlan(in, tr))
}

// TestCheckCatchesMutations starts from the valid checkPlan and applies
// one fault each, the faults of issue 10's checker items: an empty round,
// a plan for another instance, a false reason, a short break. Each mutated
// plan's key figures are recomputed, as a forger would, so that the fault
// must be caught by its own rule rather than by a figure that no longer
// adds up.
func TestCheckCatchesMutations(t *testing.T) {
	type (
		I = roster.Instance
		P = roster.Plan
	)
	in := checkDay()
	if vs := roster.Check(in, newGridTravel(in), checkPlan()); len(vs) != 0 {
		t.Fatalf("the plan to mutate is not valid:\n%s", violationsText(vs))
	}
	// twin ties a new visit V9, which any carer could serve on its own, to
	// V7, which nobody is qualified for.
	twin := func(in *I, p *P, r roster.Reason) {
		addVisit(in, p, roster.Visit{ID: "V9", Client: "C3", DurationMin: 30, Windows: win(9, 0, 12, 0)}, r)
		in.Dependencies = append(in.Dependencies, roster.Dependency{Type: roster.Simultaneous, First: "V7", Second: "V9"})
	}
	tests := []struct {
		name   string
		mutate func(in *I, p *P)
		code   string
		path   string
	}{
		// Item 15: a shift without visits has no round.
		{"empty round", func(in *I, p *P) {
			p.Rounds = append(p.Rounds, roster.Round{Carer: "ann", Shift: 0, Mode: roster.Walk, Departure: tod(8, 0, 0), Return: tod(8, 0, 0)})
		}, "empty_round", "rounds[4].stops"},
		{"paid time inflated by an empty round", func(in *I, p *P) {
			p.Rounds = append(p.Rounds, roster.Round{Carer: "ann", Shift: 0, Mode: roster.Walk, Departure: tod(7, 0, 0), Return: tod(13, 0, 0)})
		}, "empty_round", "rounds[4].stops"},
		{"empty round without a carer", func(in *I, p *P) { p.Rounds = append(p.Rounds, roster.Round{}) }, "empty_round", "rounds[4].stops"},

		// Item 16: the plan is for this instance.
		{"another day's instance name", func(in *I, p *P) { p.Instance = "Grid 2026-11-25" }, "instance_name", "instance"},
		{"instance name left out", func(in *I, p *P) { p.Instance = "" }, "instance_name", "instance"},
		{"a name for an unnamed instance", func(in *I, p *P) { in.Name = "" }, "instance_name", "instance"},
		{"instance name in another case", func(in *I, p *P) { p.Instance = "grid 2026-11-24" }, "instance_name", "instance"},
		{"plan made with other travel", func(in *I, p *P) { p.Travel = roster.TravelSource{Provider: "osm-road", Version: "x"} }, "travel", "travel"},

		// Item 17: unassigned reasons.
		{"carers_busy on a visit nobody is qualified for", func(in *I, p *P) { p.Unassigned[0].Reason = roster.ReasonCarersBusy }, "reason", "unassigned[0].reason"},
		{"carers_busy on a visit outside every shift", func(in *I, p *P) { p.Unassigned[1].Reason = roster.ReasonCarersBusy }, "reason", "unassigned[1].reason"},
		{"carers_busy on a visit tied to one that can never be served", func(in *I, p *P) { twin(in, p, roster.ReasonCarersBusy) }, "reason", "unassigned[2].reason"},
		{"carers_busy on a visit too heavy for every carer", func(in *I, p *P) {
			for k := range in.Carers {
				in.Carers[k].Capacity = 4
			}
			addVisit(in, p, roster.Visit{ID: "V9", Client: "C3", DurationMin: 30, Windows: win(8, 0, 9, 0), Load: 5}, roster.ReasonCarersBusy)
		}, "reason", "unassigned[2].reason"},
		{"the old no_capacity code", func(in *I, p *P) {
			addVisit(in, p, roster.Visit{ID: "V9", Client: "C3", DurationMin: 30, Windows: win(8, 0, 9, 0)}, "no_capacity")
		}, "reason", "unassigned[2].reason"},
		{"dependency on a visit in no dependency", func(in *I, p *P) { p.Unassigned[1].Reason = roster.ReasonDependency }, "reason", "unassigned[1].reason"},
		{"dependency on a visit tied only sequentially", func(in *I, p *P) {
			in.Dependencies = append(in.Dependencies, roster.Dependency{Type: roster.Sequential, First: "V6", Second: "V8", MinGapMin: 60})
			p.Unassigned[1].Reason = roster.ReasonDependency
		}, "reason", "unassigned[1].reason"},
		{"no_feasible_round on a visit nobody is qualified for", func(in *I, p *P) { p.Unassigned[0].Reason = roster.ReasonNoFeasibleRound }, "reason", "unassigned[0].reason"},
		{"no_feasible_round on a visit outside every shift", func(in *I, p *P) { p.Unassigned[1].Reason = roster.ReasonNoFeasibleRound }, "reason", "unassigned[1].reason"},
		{"no_feasible_round on a visit that fits a round of its own", func(in *I, p *P) {
			// ann could leave at 07:12, walk 4 km, visit 08:00-08:30 and
			// be back by 09:18, within her shift and legs.
			addVisit(in, p, roster.Visit{ID: "V9", Client: "C3", DurationMin: 30, Windows: win(8, 0, 9, 0)}, roster.ReasonNoFeasibleRound)
		}, "reason", "unassigned[2].reason"},
		{"no_feasible_round on a visit that must start with another", func(in *I, p *P) { twin(in, p, roster.ReasonNoFeasibleRound) }, "reason", "unassigned[2].reason"},
		{"no_qualified_carer on a visit tied to one nobody can serve", func(in *I, p *P) { twin(in, p, roster.ReasonNoQualifiedCarer) }, "reason", "unassigned[2].reason"},

		// Item 18: a pause shorter than the rule's duration is paid time.
		{"short break lowers paid time below the break threshold", func(in *I, p *P) {
			// bea works 3h23m from departure to return; a 10-minute pause
			// would bring her to 3h13m, under a threshold of 3h15m.
			in.Carers[1].Break = &roster.BreakRule{AfterWorkingMin: 195, DurationMin: 30}
			p.Rounds[0].Break = &roster.Break{Start: tod(9, 0, 0), End: tod(9, 10, 0)}
		}, "break", "rounds[0].break"},
		{"short break keeps paid time under the cap", func(in *I, p *P) {
			// With a 20-minute pause unpaid, bea would work 3h03m, under a
			// cap of 3h05m and a break threshold of 3h10m.
			in.Carers[1].Break = &roster.BreakRule{AfterWorkingMin: 190, DurationMin: 30}
			in.Carers[1].MaxWorkingMin = 185
			p.Rounds[0].Break = &roster.Break{Start: tod(9, 0, 0), End: tod(9, 20, 0)}
		}, "max_working_time", "rounds[0]"},
		{"break a second short of the rule", func(in *I, p *P) { p.Rounds[0].Break.End = tod(9, 29, 59) }, "break", "rounds[0].break"},
		{"break for a carer without a break rule", func(in *I, p *P) {
			in.Carers[3].MaxWorkingMin = 150 // dan works 2h51m; an hour's pause would bring him under
			p.Rounds[2].Break = &roster.Break{Start: tod(9, 0, 0), End: tod(10, 0, 0)}
		}, "max_working_time", "rounds[2]"},
		{"break named for a carer without a break rule", func(in *I, p *P) {
			p.Rounds[2].Break = &roster.Break{Start: tod(9, 0, 0), End: tod(10, 0, 0)}
		}, "break", "rounds[2].break"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in, p := checkDay(), checkPlan()
			tc.mutate(in, p)
			p.KPIs = ptrTo(roster.ComputeKPIs(in, p))
			vs := roster.Check(in, newGridTravel(in), p)
			wellFormed(t, vs)
			expectViolation(t, vs, tc.code, tc.path)
		})
	}
}

// expectViolation fails the test unless vs holds a violation of code at
// path.
func expectViolation(t *testing.T, vs []roster.Violation, code, path string) {
	t.Helper()
	for _, v := range vs {
		if v.Code == code && v.Path == path {
			t.Logf("%s", v)
			return
		}
	}
	t.Errorf("no %s violation at %s; got:\n%s", code, path, violationsText(vs))
}

// checkAnyPlan is a fuzz target: any plan that decodes is checked against
// in without a panic, with well-formed violations, the same each time.
func checkAnyPlan(in *roster.Instance, tr roster.Travel) func(*testing.T, []byte) {
	return func(t *testing.T, data []byte) {
		var p roster.Plan
		if json.Unmarshal(data, &p) != nil {
			return
		}
		vs := roster.Check(in, tr, &p)
		wellFormed(t, vs)
		if again := roster.Check(in, tr, &p); !slices.Equal(vs, again) {
			t.Fatalf("Check is not deterministic:\n%s\nthen:\n%s", violationsText(vs), violationsText(again))
		}
	}
}
