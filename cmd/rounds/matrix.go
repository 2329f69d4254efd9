package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/geo/road"
	"github.com/rounds-dev/rounds/roster"
)

// maxMatrixLocations bounds one matrix from the command line: 5,000 places
// make 25 million legs, about 200 MB of JSON.
const maxMatrixLocations = 5000

// matrixOutput is what rounds matrix writes.
type matrixOutput struct {
	Source     roster.TravelSource `json:"source"`
	Mode       roster.Mode         `json:"mode"`
	DurationsS [][]int32           `json:"durations_s"`
	DistancesM [][]int32           `json:"distances_m"`
}

// runMatrix computes the travel matrix between a list of locations by one
// mode.
func runMatrix(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("matrix", flag.ContinueOnError)
	fs.SetOutput(stderr)
	mode := fs.String("mode", string(roster.Drive), "travel mode: walk, drive, cycle or public (a JSON body's mode, if it names one, when this is not given)")
	out := fs.String("o", "", "write the matrix JSON to `FILE` (default: standard output)")
	tf := addTravelFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, `usage: rounds matrix LOCATIONS [--mode drive] [--osm FILE | --engine KIND --engine-url URL] [-o FILE]

LOCATIONS is a file ("-" for standard input) holding a JSON list of
{"lat": ..., "lon": ...}, a JSON object {"mode": ..., "locations": [...]} as
the API takes (its mode is used unless --mode is given, and must agree with
it if both are), or "lon,lat;lon,lat;..." as routing engines write them.`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(reorder(fs, args)); err != nil {
		return flagExit(err)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitUsage
	}
	m := roster.Mode(*mode)
	if !m.Valid() {
		fmt.Fprintf(stderr, "rounds: --mode: want one of %v, got %q\n", roster.Modes, *mode)
		return exitUsage
	}
	locs, bodyMode, err := readLocations(fs.Arg(0), stdin)
	if err != nil {
		printInputError(stderr, err)
		return exitCodeFor(err)
	}
	// A body's mode stands unless --mode is given; the two disagreeing is
	// a mistake to point out, not one to settle by guessing.
	modeFlag := false
	fs.Visit(func(f *flag.Flag) { modeFlag = modeFlag || f.Name == "mode" })
	switch {
	case bodyMode == "" || bodyMode == m:
	case !modeFlag:
		m = bodyMode
	default:
		printInputError(stderr, roster.FieldErrors{{Path: "mode", Reason: fmt.Sprintf("the body asks for %s, but --mode asks for %s", bodyMode, m)}})
		return exitUsage
	}
	p, err := tf.provider(ctx, stderr)
	if err != nil {
		if ctx.Err() != nil {
			return interrupted(stderr, "while loading travel")
		}
		fmt.Fprintf(stderr, "rounds: %v\n", err)
		return exitUsage
	}
	if p == nil {
		if p, err = geo.NewStraightLine(nil); err != nil {
			fmt.Fprintf(stderr, "rounds: %v\n", err)
			return exitFailure
		}
	}
	start := time.Now()
	mat, err := p.Matrix(ctx, locs, m)
	if err != nil {
		if ctx.Err() != nil {
			return interrupted(stderr, "while working out the matrix")
		}
		var fe *road.FarError
		var ue *road.UnsupportedModeError
		switch {
		case errors.As(err, &fe):
			printInputError(stderr, fe.FieldErrors(locs, func(i int) string { return fmt.Sprintf("locations[%d]", i) }))
			return exitUsage
		case errors.As(err, &ue):
			fmt.Fprintf(stderr, "rounds: %v\n", err)
			return exitUsage
		}
		fmt.Fprintf(stderr, "rounds: %v\n", err)
		return exitFailure
	}
	fmt.Fprintf(stderr, "%d×%d %s matrix from %s in %s\n", mat.N, mat.N, m, p.Source().Provider, time.Since(start).Round(time.Millisecond))
	res := matrixOutput{Source: p.Source(), Mode: m, DurationsS: make([][]int32, mat.N), DistancesM: make([][]int32, mat.N)}
	for i := 0; i < mat.N; i++ {
		res.DurationsS[i] = mat.DurS[i*mat.N : (i+1)*mat.N]
		res.DistancesM[i] = mat.DistM[i*mat.N : (i+1)*mat.N]
	}
	if *out != "" {
		if err := writeJSON(*out, res); err != nil {
			fmt.Fprintf(stderr, "rounds: %v\n", err)
			return exitFailure
		}
		return exitOK
	}
	if err := json.NewEncoder(stdout).Encode(res); err != nil {
		fmt.Fprintf(stderr, "rounds: %v\n", err)
		return exitFailure
	}
	return exitOK
}

// matrixBody is the JSON object form of rounds matrix's places: a
// /v1/matrix body, whose mode may be left out here, as --mode gives one.
type matrixBody struct {
	Mode      roster.Mode       `json:"mode,omitempty"`
	Locations []roster.Location `json:"locations"`
}

// readLocations reads a list of locations in any of the forms runMatrix
// accepts, and the mode a JSON object names (empty when it names none).
// JSON is read as strictly as the API reads a /v1/matrix body, every
// problem named by its field path; a bare list's paths start at
// "locations", as the body's do, so both read alike.
func readLocations(path string, stdin io.Reader) ([]roster.Location, roster.Mode, error) {
	var data []byte
	var err error
	name := path
	if path == "-" {
		name = "standard input"
		data, err = io.ReadAll(io.LimitReader(stdin, roster.MaxInputBytes+1))
		if err != nil {
			return nil, "", fmt.Errorf("reading standard input: %w", err)
		}
	} else if data, err = os.ReadFile(path); err != nil {
		return nil, "", inputError{err}
	}
	if len(data) > roster.MaxInputBytes {
		return nil, "", inputError{fmt.Errorf("%s: larger than %d MiB", name, roster.MaxInputBytes>>20)}
	}
	data = bytes.TrimSpace(data)
	var body matrixBody
	switch {
	case len(data) == 0:
		return nil, "", inputError{fmt.Errorf("%s: no locations", name)}
	case data[0] == '{':
		if err := roster.DecodeStrict(data, &body); err != nil {
			return nil, "", fileError{name, err}
		}
	case data[0] == '[':
		if !json.Valid(data) {
			// Decoded on its own, so that the syntax error's line and
			// column are the file's; its path is then put under
			// "locations".
			err := roster.DecodeStrict(data, &struct{}{})
			var es roster.FieldErrors
			if errors.As(err, &es) {
				for i := range es {
					if es[i].Path != "" {
						es[i].Path = "locations" + es[i].Path
					}
				}
			}
			return nil, "", fileError{name, err}
		}
		wrapped := make([]byte, 0, len(data)+len(`{"locations":}`))
		wrapped = append(append(append(wrapped, `{"locations":`...), data...), '}')
		if err := roster.DecodeStrict(wrapped, &body); err != nil {
			return nil, "", fileError{name, err}
		}
	default:
		if body.Locations, err = geo.ParseLonLatList(string(data)); err != nil {
			return nil, "", fileError{name, err}
		}
	}
	if body.Mode != "" && !body.Mode.Valid() {
		return nil, "", fileError{name, roster.FieldErrors{{Path: "mode", Reason: fmt.Sprintf("want one of %v, got %q", roster.Modes, body.Mode)}}}
	}
	locs := body.Locations
	switch n := len(locs); {
	case n == 0:
		return nil, "", fileError{name, roster.FieldErrors{{Path: "locations", Reason: "want at least one location"}}}
	case n > maxMatrixLocations:
		return nil, "", fileError{name, roster.FieldErrors{{Path: "locations", Reason: fmt.Sprintf("at most %d locations in one matrix, got %d", maxMatrixLocations, n)}}}
	}
	var es roster.FieldErrors
	for i, l := range locs {
		es = append(es, roster.LocationErrors(fmt.Sprintf("locations[%d]", i), l)...)
	}
	if len(es) > 0 {
		return nil, "", fileError{name, es}
	}
	return locs, body.Mode, nil
}
