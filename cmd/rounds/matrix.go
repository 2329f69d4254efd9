package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
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
	mode := fs.String("mode", string(roster.Drive), "travel mode: walk, drive, cycle or public")
	out := fs.String("o", "", "write the matrix JSON to `FILE` (default: standard output)")
	tf := addTravelFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, `usage: rounds matrix LOCATIONS [--mode drive] [--osm FILE | --engine KIND --engine-url URL] [-o FILE]

LOCATIONS is a file ("-" for standard input) holding a JSON list of
{"lat": ..., "lon": ...}, a JSON object {"locations": [...]} as the API takes,
or "lon,lat;lon,lat;..." as routing engines write them.`)
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
	locs, err := readLocations(fs.Arg(0), stdin)
	if err != nil {
		printInputError(stderr, err)
		return exitCodeFor(err)
	}
	p, err := tf.provider(ctx, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "rounds: %v\n", err)
		if ctx.Err() != nil {
			return exitFailure
		}
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

// readLocations reads a list of locations in any of the forms runMatrix
// accepts.
func readLocations(path string, stdin io.Reader) ([]roster.Location, error) {
	var data []byte
	var err error
	if path == "-" {
		data, err = io.ReadAll(io.LimitReader(stdin, roster.MaxInputBytes+1))
		if err != nil {
			return nil, fmt.Errorf("reading standard input: %w", err)
		}
	} else if data, err = os.ReadFile(path); err != nil {
		return nil, inputError{err}
	}
	if len(data) > roster.MaxInputBytes {
		return nil, inputError{fmt.Errorf("%s: larger than %d MiB", path, roster.MaxInputBytes>>20)}
	}
	data = bytes.TrimSpace(data)
	var locs []roster.Location
	switch {
	case len(data) == 0:
		return nil, inputError{fmt.Errorf("%s: no locations", path)}
	case data[0] == '[' || data[0] == '{':
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if data[0] == '[' {
			err = dec.Decode(&locs)
		} else {
			var body struct {
				Mode      roster.Mode       `json:"mode"`
				Locations []roster.Location `json:"locations"`
			}
			err = dec.Decode(&body)
			locs = body.Locations
		}
		if err != nil {
			return nil, inputError{fmt.Errorf("%s: %w", path, err)}
		}
	default:
		if locs, err = geo.ParseLonLatList(string(data)); err != nil {
			return nil, inputError{err}
		}
	}
	var es roster.FieldErrors
	for i, l := range locs {
		if !(math.Abs(l.Lat) <= 90) || !(math.Abs(l.Lon) <= 180) {
			es = append(es, roster.FieldError{Path: fmt.Sprintf("locations[%d]", i), Reason: "want lat within ±90 and lon within ±180"})
		}
	}
	if len(es) > 0 {
		return nil, es
	}
	switch n := len(locs); {
	case n == 0:
		return nil, roster.FieldErrors{{Path: "locations", Reason: "want at least one location"}}
	case n > maxMatrixLocations:
		return nil, roster.FieldErrors{{Path: "locations", Reason: fmt.Sprintf("at most %d locations in one matrix, got %d", maxMatrixLocations, n)}}
	}
	return locs, nil
}
