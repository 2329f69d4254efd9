package geo_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/optimiser"
	"github.com/rounds-dev/rounds/roster"
)

// givenDay is two clients and one driving carer whose travel is given as
// an asymmetric matrix (a one-way system: C1 to C2 is quick, back is slow).
func givenDay() *roster.Instance {
	loc := roster.Location{Lat: 53.86, Lon: -1.90}
	grid := func(d [4][4]int) [][]int {
		out := make([][]int, 4)
		for i := range d {
			out[i] = d[i][:]
		}
		return out
	}
	return &roster.Instance{
		Date: "2026-11-24", TimeZone: "Europe/London",
		Carers:  []roster.Carer{{ID: "K1", Start: loc, Mode: roster.Drive, Shifts: []roster.Shift{{Start: 7 * 3600, End: 12 * 3600}}}},
		Clients: []roster.Client{{ID: "C1", Location: loc}, {ID: "C2", Location: loc}},
		Visits: []roster.Visit{
			{ID: "V1", Client: "C1", DurationMin: 30, Windows: []roster.Window{{Start: 7 * 3600, End: 11 * 3600}}},
			{ID: "V2", Client: "C2", DurationMin: 30, Windows: []roster.Window{{Start: 7 * 3600, End: 11 * 3600}}},
		},
		Travel: &roster.TravelConfig{Matrices: map[roster.Mode]roster.TravelMatrix{roster.Drive: {
			// Points: C1, C2, K1 start, K1 end.
			DurationsS: grid([4][4]int{{0, 60, 600, 600}, {900, 0, 600, 600}, {600, 600, 0, 0}, {600, 600, 0, 0}}),
			DistancesM: grid([4][4]int{{0, 500, 5000, 5000}, {7000, 0, 5000, 5000}, {5000, 5000, 0, 0}, {5000, 5000, 0, 0}}),
		}}},
	}
}

// TestGivenMatrices: the plan is built and checked with the given legs, not
// the coordinates (which here are all one place), and takes the quick way.
func TestGivenMatrices(t *testing.T) {
	in := givenDay()
	if err := in.Validate(); err != nil {
		t.Fatal(err)
	}
	travel, err := geo.TravelFor(context.Background(), nil, in)
	if err != nil {
		t.Fatal(err)
	}
	if src := travel.Source(); src.Provider != geo.GivenProvider || !strings.HasPrefix(src.Version, "sha256:") {
		t.Errorf("source %+v", src)
	}
	plan, err := optimiser.Solve(context.Background(), in, travel, optimiser.Options{Seed: 1, Iterations: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range roster.Check(in, travel, plan) {
		t.Errorf("violation %s at %s: %s", v.Code, v.Path, v.Message)
	}
	if plan.KPIs.TravelS != 600+60+600 {
		t.Errorf("travel %d s; want 1260 (start, C1, C2 by the quick leg, home)", plan.KPIs.TravelS)
	}
}

// TestGivenMatricesInvalid: a matrix of the wrong size, a negative leg or a
// missing mode is named by its path.
func TestGivenMatricesInvalid(t *testing.T) {
	cases := []struct {
		name string
		edit func(*roster.Instance)
		want string
	}{
		{"too few rows", func(in *roster.Instance) {
			m := in.Travel.Matrices[roster.Drive]
			m.DurationsS = m.DurationsS[:3]
			in.Travel.Matrices[roster.Drive] = m
		}, "travel.matrices.drive.durations_s"},
		{"negative leg", func(in *roster.Instance) {
			in.Travel.Matrices[roster.Drive].DistancesM[1][0] = -5
		}, "travel.matrices.drive.distances_m[1][0]"},
		{"mode missing", func(in *roster.Instance) {
			in.Carers[0].Mode = roster.Walk
		}, "no matrix for mode walk"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := givenDay()
			tc.edit(in)
			err := in.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate: %v; want a problem naming %q", err, tc.want)
			}
		})
	}
}

// TestGivenMatricesDecode: matrices survive the strict decoder, and a
// mistyped entry is named with its full path.
func TestGivenMatricesDecode(t *testing.T) {
	b, err := json.Marshal(givenDay())
	if err != nil {
		t.Fatal(err)
	}
	in, err := roster.DecodeInstance(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if got := in.Travel.Matrices[roster.Drive].DurationsS[1][0]; got != 900 {
		t.Errorf("decoded leg C2->C1 = %d, want 900", got)
	}
	bad := strings.Replace(string(b), `"durations_s":[[0,60`, `"durations_s":[[0,"60"`, 1)
	_, err = roster.DecodeInstance(strings.NewReader(bad))
	if err == nil || !strings.Contains(err.Error(), "travel.matrices.drive.durations_s[0][1]") {
		t.Errorf("mistyped leg: %v", err)
	}
}
