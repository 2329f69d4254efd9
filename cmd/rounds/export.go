package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/rounds-dev/rounds/export"
)

// runExport writes a plan as CSV (one row per stop) or GeoJSON (rounds as
// lines, stops and unserved visits as points) for spreadsheets, QGIS and
// Leaflet.
func runExport(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "csv", "`csv` (one row per stop) or geojson (RFC 7946: rounds as lines, stops and unserved visits as points)")
	out := fs.String("o", "", "write to `FILE` (default: standard output)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: rounds export INSTANCE|- PLAN|- [--format csv|geojson] [-o FILE]\n\nEither file may be \"-\" for standard input. Exit codes: 0 written, 2 bad input or usage, 3 a failure at run time.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(reorder(fs, args)); err != nil {
		return flagExit(err)
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return exitUsage
	}
	if *format != "csv" && *format != "geojson" {
		fmt.Fprintf(stderr, "rounds export: --format: %q is not csv or geojson\n", *format)
		return exitUsage
	}
	in, plan, code := loadInstanceAndPlan("export", fs.Arg(0), fs.Arg(1), stdin, stderr)
	if code != exitOK {
		return code
	}
	if err := plan.BelongsTo(in); err != nil {
		fmt.Fprintf(stderr, "rounds export: %s: %v\n", fs.Arg(1), err)
		return exitUsage
	}
	var buf bytes.Buffer
	var err error
	if *format == "csv" {
		err = export.StopsCSV(&buf, in, plan)
	} else {
		var fc any
		if fc, err = export.GeoJSON(in, plan); err == nil {
			var b []byte
			if b, err = json.Marshal(fc); err == nil {
				buf.Write(append(b, '\n'))
			}
		}
	}
	if err != nil {
		// The plan names what the instance lacks: bad input.
		fmt.Fprintf(stderr, "rounds export: %s: %v\n", fs.Arg(1), err)
		return exitUsage
	}
	if *out == "" {
		if _, err := stdout.Write(buf.Bytes()); err != nil {
			fmt.Fprintf(stderr, "rounds export: %v\n", err)
			return exitFailure
		}
		return exitOK
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		fmt.Fprintf(stderr, "rounds export: %v\n", err)
		return exitFailure
	}
	return exitOK
}
