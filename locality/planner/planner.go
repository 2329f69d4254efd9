// Package planner plans the representative days of locality sizing with
// the optimiser: locality.Size takes it as its Planner, since package
// locality itself may not import the optimiser (see locality.Planner).
package planner

import (
	"context"

	"github.com/rounds-dev/rounds/locality"
	"github.com/rounds-dev/rounds/optimiser"
	"github.com/rounds-dev/rounds/roster"
)

// Optimiser plans a day with optimiser.Solve: the default weights with
// carer_used at the request's price, and the request's seed, bounds and
// workers.
func Optimiser(ctx context.Context, day *roster.Instance, travel roster.Travel, req locality.PlanRequest) (*roster.Plan, error) {
	w := optimiser.DefaultWeights
	w.CarerUsed = req.CarerUsed
	return optimiser.Solve(ctx, day, travel, optimiser.Options{
		Seed:       req.Seed,
		Iterations: req.Iterations,
		TimeLimit:  req.TimeLimit,
		Workers:    req.Workers,
		Weights:    &w,
	})
}

var _ locality.Planner = Optimiser
