package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/rounds-dev/rounds/roster"
)

// loadInstance reads and validates an instance file. Its errors name the
// file and every field at fault. A place far from the others (swapped
// latitude and longitude, most often) is a warning on warn, not an error:
// the API refuses it, but on the command line the coordinator decides.
func loadInstance(path string, warn io.Writer) (*roster.Instance, error) {
	in, err := decodeFile(path, roster.DecodeInstance)
	if err == nil {
		for _, e := range roster.FarPlaceErrors(in) {
			fmt.Fprintf(warn, "rounds: warning: %s: %v\n", path, e)
		}
	}
	return in, err
}

// loadPlan reads a plan file.
func loadPlan(path string) (*roster.Plan, error) {
	return decodeFile(path, roster.DecodePlan)
}

// decodeFile opens path and decodes it, naming the file in any error.
func decodeFile[T any](path string, decode func(io.Reader) (*T, error)) (*T, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	v, err := decode(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
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
