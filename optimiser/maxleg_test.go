package optimiser_test

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/optimiser"
	"github.com/rounds-dev/rounds/roster"
)

// lineTravel is travel on a grid: a point's lat and lon are its x and y in
// kilometres, journeys go along the grid lines, walking at 12 minutes a
// kilometre and driving at 2.
type lineTravel struct{ pts []roster.Location }

func (g lineTravel) Leg(mode roster.Mode, from, to int) (int, int) {
	a, b := g.pts[from], g.pts[to]
	m := int(math.Round((math.Abs(a.Lat-b.Lat) + math.Abs(a.Lon-b.Lon)) * 1000))
	pace := 120
	if mode == roster.Walk {
		pace = 720
	}
	return m * pace / 1000, m
}

// legDay is a day on the grid. wal walks from 0,0 and may walk 20 minutes
// (1.67 km) a leg; dev drives from 0,20, far enough that without the
// limit wal would be the cheaper carer for any visit near her. Client N
// lives 1 km from wal, F 2 km and X 5 km. Visits are added by each test.
func legDay() *roster.Instance {
	shift := []roster.Shift{{Start: roster.Clock(7 * 3600), End: roster.Clock(15 * 3600)}}
	return &roster.Instance{
		Name: "maximum legs", Date: "2026-11-24", TimeZone: "Europe/London",
		Carers: []roster.Carer{
			{ID: "wal", Mode: roster.Walk, MaxLegMin: 20, Skills: []string{"catheter"}, Shifts: shift},
			{ID: "dev", Start: roster.Location{Lon: 20}, Mode: roster.Drive, Shifts: shift},
		},
		Clients: []roster.Client{
			{ID: "N", Location: roster.Location{Lat: 1}},
			{ID: "F", Location: roster.Location{Lat: 2}},
			{ID: "X", Location: roster.Location{Lat: 5}},
		},
	}
}

// legVisit is a 30-minute visit to client between hours from and to.
func legVisit(id, client string, from, to int, skills ...string) roster.Visit {
	return roster.Visit{ID: id, Client: client, DurationMin: 30, RequiredSkills: skills,
		Windows: []roster.Window{{Start: roster.Clock(from * 3600), End: roster.Clock(to * 3600)}}}
}

// TestSolveKeepsMaximumLegs: no carer is given a leg longer than their
// maximum; a visit only far walkers qualify for is left out as
// beyond_max_leg, one they can reach by way of other visits is served, and
// a carer's own longer limit is used.
func TestSolveKeepsMaximumLegs(t *testing.T) {
	tests := []struct {
		name     string
		mutate   func(in *roster.Instance)
		carerOfF string // who serves VF, or "" when it is unassigned
		reason   roster.Reason
	}{
		{"a far visit goes to the driver", func(in *roster.Instance) {
			in.Visits = []roster.Visit{legVisit("VF", "F", 9, 12)}
		}, "dev", ""},
		{"a far visit only walkers qualify for is beyond their maximum leg", func(in *roster.Instance) {
			in.Visits = []roster.Visit{legVisit("VF", "F", 9, 12, "catheter")}
		}, "", roster.ReasonBeyondMaxLeg},
		{"a far visit reached by way of others", func(in *roster.Instance) {
			in.Visits = []roster.Visit{legVisit("VN1", "N", 8, 9), legVisit("VF", "F", 9, 11, "catheter"), legVisit("VN2", "N", 11, 13)}
		}, "wal", ""},
		{"a walker's own longer limit", func(in *roster.Instance) {
			in.Carers[0].MaxLegMin = 30
			in.Visits = []roster.Visit{legVisit("VF", "F", 9, 12, "catheter")}
		}, "wal", ""},
		{"beyond reach even by way of others", func(in *roster.Instance) {
			in.Visits = []roster.Visit{legVisit("VN1", "N", 8, 9), legVisit("VF", "X", 9, 12, "catheter"), legVisit("VN2", "N", 11, 13)}
		}, "", roster.ReasonBeyondMaxLeg},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := legDay()
			tc.mutate(in)
			if err := in.Validate(); err != nil {
				t.Fatal(err)
			}
			travel := lineTravel{in.Points()}
			plan, err := optimiser.Solve(context.Background(), in, travel, optimiser.Options{Seed: 1, Iterations: 300, Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			checked(t, in, travel, plan)
			within(t, in, plan)
			got := ""
			for _, r := range plan.Rounds {
				for _, st := range r.Stops {
					if st.Visit == "VF" {
						got = r.Carer
					}
				}
			}
			if got != tc.carerOfF {
				t.Errorf("VF served by %q, want %q", got, tc.carerOfF)
			}
			for _, u := range plan.Unassigned {
				if u.Visit != "VF" {
					t.Errorf("visit %s left out (%s: %s)", u.Visit, u.Reason, u.Detail)
					continue
				}
				if u.Reason != tc.reason {
					t.Errorf("VF left out as %s (%s), want %s", u.Reason, u.Detail, tc.reason)
				}
				if u.Reason == roster.ReasonBeyondMaxLeg && !strings.Contains(u.Detail, "20 min") {
					t.Errorf("detail %q does not name the 20-minute limit", u.Detail)
				}
			}
		})
	}
}

// within fails the test if any leg of plan is longer than its carer's
// maximum leg, by the plan's own figures.
func within(t *testing.T, in *roster.Instance, plan *roster.Plan) {
	t.Helper()
	ix := roster.NewIndex(in)
	for i, r := range plan.Rounds {
		limit := in.Carers[ix.Carer[r.Carer]].MaxLegS()
		if limit == 0 {
			continue
		}
		for j, st := range r.Stops {
			if st.TravelS > limit {
				t.Errorf("rounds[%d].stops[%d]: carer %s travels %d s, over their %d s", i, j, r.Carer, st.TravelS, limit)
			}
		}
		if r.ReturnTravelS > limit {
			t.Errorf("rounds[%d]: carer %s travels %d s back, over their %d s", i, r.Carer, r.ReturnTravelS, limit)
		}
	}
}

// TestReplanUnderNewMaximumLeg: re-planning from a plan made when a walker
// could walk an hour a leg, under a limit of 20 minutes, drops the visit
// now beyond her reach, keeps her other visits and passes the checker.
func TestReplanUnderNewMaximumLeg(t *testing.T) {
	in := legDay()
	in.Carers[0].MaxLegMin = 60
	in.Visits = []roster.Visit{legVisit("VN1", "N", 8, 9), legVisit("VX", "X", 9, 12, "catheter"), legVisit("VN2", "N", 13, 14)}
	travel := lineTravel{in.Points()}
	ctx := context.Background()
	opts := optimiser.Options{Seed: 1, Iterations: 200, Workers: 1}
	before, err := optimiser.Solve(ctx, in, travel, opts)
	if err != nil {
		t.Fatal(err)
	}
	checked(t, in, travel, before)
	if len(before.Unassigned) != 0 || carersOf(before)["VX"][0] != "wal" {
		t.Fatalf("with an hour a leg wal should serve every visit; got %+v", before.Rounds)
	}
	in.Carers[0].MaxLegMin = 20
	opts.Previous = before
	after, err := optimiser.Solve(ctx, in, travel, opts)
	if err != nil {
		t.Fatal(err)
	}
	checked(t, in, travel, after)
	within(t, in, after)
	if len(after.Unassigned) != 1 || after.Unassigned[0].Visit != "VX" || after.Unassigned[0].Reason != roster.ReasonBeyondMaxLeg {
		t.Errorf("unassigned %+v, want VX beyond_max_leg", after.Unassigned)
	}
	if m := moved(before, after); m != 0 {
		t.Errorf("%d visits moved to another carer, want none", m)
	}
}

// TestSolveRandomDaysWithMaximumLegsPassChecker: on random small days whose
// walkers and drivers have short maximum legs, every plan passes the
// checker, which also re-derives every beyond_max_leg.
func TestSolveRandomDaysWithMaximumLegsPassChecker(t *testing.T) {
	n := 80
	if testing.Short() {
		n = 25
	}
	beyond := 0
	for seed := uint64(1); seed <= uint64(n); seed++ {
		in := randomDay(seed)
		rng := rand.New(rand.NewPCG(seed, 11))
		for k := range in.Carers {
			if rng.IntN(4) != 0 {
				in.Carers[k].MaxLegMin = 2 + rng.IntN(12)
			}
		}
		plan := solveRandomDay(t, in, seed)
		for _, u := range plan.Unassigned {
			if u.Reason == roster.ReasonBeyondMaxLeg {
				beyond++
			}
		}
	}
	t.Logf("%d visits beyond their carers' maximum legs over %d days", beyond, n)
	if beyond == 0 {
		t.Error("no day had a visit beyond its carers' maximum legs; the test exercises nothing")
	}
}
