package planner_test

import (
	"context"
	"testing"

	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/locality"
	"github.com/rounds-dev/rounds/locality/planner"
	"github.com/rounds-dev/rounds/roster"
)

// TestSizeWithTheOptimiser: locality.Size with the optimiser as its
// planner finds carers needed for a small locality, shows that one carer
// fewer leaves a visit unserved, and every plan checks.
func TestSizeWithTheOptimiser(t *testing.T) {
	centre := roster.Location{Lat: 53.79, Lon: -1.75}
	var clients []locality.Client
	for i := range 16 {
		clients = append(clients, locality.Client{
			ID:          string(rune('A'+i%26)) + string(rune('a'+i/26)),
			Location:    roster.Location{Lat: centre.Lat + float64(i%4)*0.002, Lon: centre.Lon + float64(i/4)*0.003},
			WeeklyHours: 7,
			Bands:       []locality.Band{locality.Morning, locality.Bed},
			Double:      i%5 == 0,
		})
	}
	s, err := locality.Size(context.Background(), clients, locality.DefaultSupply, nil,
		locality.SizeOptions{Planner: planner.Optimiser, Seed: 1, Iterations: 150, Workers: 1, WalkFactor: -1})
	if err != nil {
		t.Fatal(err)
	}
	if s.CarersNeeded < 1 || s.OneFewer == nil || s.OneFewerUnserved == 0 {
		t.Fatalf("carers needed %d, one fewer leaves %d unserved", s.CarersNeeded, s.OneFewerUnserved)
	}
	if len(s.Plan.Unassigned) > 0 {
		t.Errorf("the answer's plan leaves %d visits unserved", len(s.Plan.Unassigned))
	}
	for _, c := range []struct {
		day    *roster.Instance
		travel roster.Travel
		plan   *roster.Plan
	}{{s.Day, s.Travel, s.Plan}, {s.OneFewerDay, s.OneFewerTravel, s.OneFewer}} {
		if vs := roster.Check(c.day, c.travel, c.plan); len(vs) > 0 {
			t.Errorf("%d violations: %v", len(vs), vs)
		}
	}
	t.Logf("%d carers needed; %d fewer leaves %d unserved", s.CarersNeeded, 1, s.OneFewerUnserved)
}

// TestSizeNeedsAPlanner: without a planner, Size says so.
func TestSizeNeedsAPlanner(t *testing.T) {
	_, err := locality.Size(context.Background(), []locality.Client{{ID: "a", WeeklyHours: 7, Bands: []locality.Band{locality.Morning}}},
		locality.DefaultSupply, geo.Provider(nil), locality.SizeOptions{})
	if err == nil {
		t.Fatal("no error without a planner")
	}
}
