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
	if err == nil {
		name := path
		if path == "-" {
			name = "standard input"
		}
		if es := roster.NotPlanned(in); len(es) > 0 {
			return nil, fileError{name, es}
		}
		for _, e := range roster.FarPlaceErrors(in) {
			fmt.Fprintf(warn, "rounds: warning: %s: %v\n", name, e)
		}
	}
	return in, err
}

// loadPlan reads a plan file, or standard input when path is "-".
func loadPlan(path string, stdin io.Reader) (*roster.Plan, error) {
	return decodeFile(path, stdin, roster.DecodePlan)
}

// decodeFile opens path (standard input for "-") and decodes it, naming
// the file in any error. A file that cannot be opened is an input error.
func decodeFile[T any](path string, stdin io.Reader, decode func(io.Reader) (*T, error)) (*T, error) {
	r := stdin
	if path == "-" {
		path = "standard input"
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, inputError{err}
		}
		defer f.Close()
		r = f
	}
	v, err := decode(r)
	if err != nil {
		return nil, fileError{path, err}
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
	// The provider comes first so that its errors, all about the flags, are
	// told apart from those of asking it for travel. An instance with its
	// own matrices needs none.
	if geo.Given(in) == nil {
		if _, err := tf.provider(ctx, logw); err != nil {
			if ctx.Err() != nil {
				return nil, interrupted(stderr, "while loading travel")
			}
			fmt.Fprintf(stderr, "rounds: %v\n", err)
			return nil, exitUsage
		}
	}
	travel, err := tf.travelFor(ctx, in, logw)
	if err != nil {
		if ctx.Err() != nil {
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
