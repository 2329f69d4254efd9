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
// carer_used at the request's price (when it names one), and the request's seed, bounds and
// workers, starting from the request's previous plan, if any, at no cost
// for moving its visits.
func Optimiser(ctx context.Context, day *roster.Instance, travel roster.Travel, req locality.PlanRequest) (*roster.Plan, error) {
	w := optimiser.DefaultWeights
	if req.CarerUsed > 0 {
		w.CarerUsed = req.CarerUsed
	}
	w.Moved = 0
	return optimiser.Solve(ctx, day, travel, optimiser.Options{
		Seed:       req.Seed,
		Iterations: req.Iterations,
		TimeLimit:  req.TimeLimit,
		Workers:    req.Workers,
		Weights:    &w,
		Previous:   req.Previous,
	})
}

var _ locality.Planner = Optimiser
