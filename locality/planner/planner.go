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

// Optimiser plans a day with optimiser.Solve: Weights, and the request's
// seed, bounds and workers, starting from the request's previous plan, if
// any.
func Optimiser(ctx context.Context, day *roster.Instance, travel roster.Travel, req locality.PlanRequest) (*roster.Plan, error) {
	w := Weights(req)
	return optimiser.Solve(ctx, day, travel, optimiser.Options{
		Seed:       req.Seed,
		Iterations: req.Iterations,
		TimeLimit:  req.TimeLimit,
		Workers:    req.Workers,
		Weights:    &w,
		Previous:   req.Previous,
	})
}

// Weights are a representative day's weights: the defaults, with
// carer_used at the request's price when it names one, and moving a visit
// of the plan the request starts from free.
func Weights(req locality.PlanRequest) optimiser.Weights {
	w := optimiser.DefaultWeights
	if req.CarerUsed > 0 {
		w.CarerUsed = req.CarerUsed
	}
	w.Moved = 0
	return w
}

var _ locality.Planner = Optimiser
