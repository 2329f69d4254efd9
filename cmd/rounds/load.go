package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/roster"
)

// loadInstance reads and validates an instance file. Its errors name the
// file and every field at fault.
func loadInstance(path string) (*roster.Instance, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	in, err := roster.DecodeInstance(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return in, nil
}

// loadPlan reads a plan file.
func loadPlan(path string) (*roster.Plan, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	p, err := roster.DecodePlan(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// travelFor builds the travel matrices for an instance: its own, or the
// embedded straight-line estimate.
func travelFor(ctx context.Context, in *roster.Instance) (*geo.Matrices, error) {
	return geo.TravelFor(ctx, in)
}

// printInputError writes an input error, one problem a line.
func printInputError(w io.Writer, err error) {
	var fe roster.FieldErrors
	if errors.As(err, &fe) && len(fe) > 1 {
		fmt.Fprintf(w, "rounds: %d problems in the input:\n", len(fe))
		for _, e := range fe {
			fmt.Fprintf(w, "  %s\n", e.Error())
		}
		return
	}
	fmt.Fprintf(w, "rounds: %v\n", err)
}
