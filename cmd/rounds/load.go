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

// loadInstance reads and validates an instance file, or standard input
// when path is "-". Its errors name the file and every field at fault. A
// place far from the others (swapped latitude and longitude, most often)
// is a warning on warn, not an error: the API refuses it, but on the
// command line the coordinator decides.
func loadInstance(path string, stdin io.Reader, warn io.Writer) (*roster.Instance, error) {
	in, err := decodeFile(path, stdin, roster.DecodeInstance)
	if err != nil {
		return nil, err
	}
	if es := roster.NotPlanned(in); len(es) > 0 {
		return nil, fileError{inputName(path), es}
	}
	for _, e := range roster.FarPlaceErrors(in) {
		fmt.Fprintf(warn, "rounds: warning: %s: %v\n", inputName(path), e)
	}
	return in, nil
}

// inputName names an input path in messages: standard input for "-".
func inputName(path string) string {
	if path == "-" {
		return "standard input"
	}
	return path
}

// loadPlan reads a plan file, or standard input when path is "-".
func loadPlan(path string, stdin io.Reader) (*roster.Plan, error) {
	return decodeFile(path, stdin, roster.DecodePlan)
}

// decodeFile opens path (standard input for "-") and decodes it, naming
// the file in any error. A file that cannot be opened is an input error.
func decodeFile[T any](path string, stdin io.Reader, decode func(io.Reader) (*T, error)) (*T, error) {
	r := stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, inputError{err}
		}
		defer f.Close()
		r = f
	}
	v, err := decode(r)
	if err != nil {
		return nil, fileError{inputName(path), err}
	}
	return v, nil
}

// fileError is an error in the named file (or "standard input").
type fileError struct {
	name string
	err  error
}

func (e fileError) Error() string { return e.name + ": " + e.err.Error() }
func (e fileError) Unwrap() error { return e.err }

// travelForCLI loads the travel flags' provider and the instance's travel,
// printing any error; it returns exitOK or the code to exit with. A fault in
// the flags (a missing extract, an unknown engine) or in the instance is
// bad input (2); an engine that does not answer is a failure at run time
// (3).
func travelForCLI(ctx context.Context, tf *travelFlags, in *roster.Instance, logw, stderr io.Writer) (*geo.Matrices, int) {
	travel, err := tf.travelFor(ctx, in, logw)
	if err != nil {
		// The provider's errors are the flags' (inputError); the others
		// come from asking it for travel.
		var flags inputError
		switch {
		case ctx.Err() != nil && errors.As(err, &flags):
			return nil, interrupted(stderr, "while loading travel")
		case ctx.Err() != nil:
			return nil, interrupted(stderr, "while working out travel")
		}
		printInputError(stderr, err)
		return nil, exitCodeFor(err)
	}
	return travel, exitOK
}

// interrupted says that an interrupt (Ctrl-C, SIGTERM) came before the
// command had an answer, so it wrote none, and returns exit code 3.
func interrupted(stderr io.Writer, when string) int {
	fmt.Fprintf(stderr, "rounds: interrupted %s; nothing written\n", when)
	return exitFailure
}

// printInputError writes an input error, one problem a line, naming the
// file at fault when it is known.
func printInputError(w io.Writer, err error) {
	var fe roster.FieldErrors
	if errors.As(err, &fe) && len(fe) > 1 {
		where := "the input"
		if f := (fileError{}); errors.As(err, &f) {
			where = f.name
		}
		fmt.Fprintf(w, "rounds: %d problems in %s:\n", len(fe), where)
		for _, e := range fe {
			fmt.Fprintf(w, "  %s\n", e.Error())
		}
		return
	}
	fmt.Fprintf(w, "rounds: %v\n", err)
}
