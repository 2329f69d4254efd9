package optimiser_test

import (
	"context"
	"fmt"
	"os"

	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/optimiser"
	"github.com/rounds-dev/rounds/roster"
)

// Plan a day with the straight-line travel model and check the plan.
func ExampleSolve() {
	f, err := os.Open("../testdata/small_day.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	in, err := roster.DecodeInstance(f) // validates too
	if err != nil {
		fmt.Println(err)
		return
	}
	prov, _ := geo.NewStraightLine(in.Travel)
	travel, err := geo.ForInstance(context.Background(), prov, in)
	if err != nil {
		fmt.Println(err)
		return
	}
	plan, err := optimiser.Solve(context.Background(), in, travel, optimiser.Options{Seed: 1, Iterations: 500})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("served %d of %d visits with %d carers\n", plan.KPIs.VisitsServed, plan.KPIs.Visits, plan.KPIs.CarersUsed)
	fmt.Printf("violations: %d\n", len(roster.Check(in, travel, plan)))
	// Output:
	// served 10 of 10 visits with 2 carers
	// violations: 0
}
