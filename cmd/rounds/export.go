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
	"slices"

	"github.com/rounds-dev/rounds/export"
	"github.com/rounds-dev/rounds/geo/road"
)

// exportFormats are the forms rounds export writes.
var exportFormats = []string{"csv", "geojson", "runsheets-csv", "runsheets-html"}

// runExport writes a plan as CSV (one row per stop), GeoJSON (rounds as
// lines, stops and unserved visits as points) for spreadsheets, QGIS and
// Leaflet, or as each carer's run sheet for a day, in CSV or as a page to
// print.
func runExport(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "csv", "`csv` (one row per stop), geojson (RFC 7946: rounds as lines, stops and unserved visits as points), runsheets-csv or runsheets-html (each carer's day)")
	date := fs.String("date", "", "the `YYYY-MM-DD` of the run sheets: required for a plan of more than one day")
	out := fs.String("o", "", "write to `FILE` (default: standard output)")
	tf := addTravelFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: rounds export INSTANCE|- PLAN|- [--format csv|geojson|runsheets-csv|runsheets-html] [--date D] [--osm FILE] [-o FILE]\n\n"+
			"Either file may be \"-\" for standard input. With --osm (and the paces the plan was made with), GeoJSON rounds follow the\n"+
			"extract's streets when the plan was made on it. Exit codes: 0 written, 2 bad input or usage, 3 a failure at run time.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(reorder(fs, args)); err != nil {
		return flagExit(err)
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return exitUsage
	}
	sheets := *format == "runsheets-csv" || *format == "runsheets-html"
	switch {
	case !slices.Contains(exportFormats, *format):
		fmt.Fprintf(stderr, "rounds export: --format: %q is not csv, geojson, runsheets-csv or runsheets-html\n", *format)
		return exitUsage
	case *date != "" && !sheets:
		fmt.Fprintf(stderr, "rounds export: --date: only run sheets are for one date; --format %s writes the whole plan\n", *format)
		return exitUsage
	case tf.engine != "" || tf.engineURL != "":
		fmt.Fprintln(stderr, "rounds export: --engine: exports draw streets from an --osm extract only")
		return exitUsage
	case tf.osm != "" && *format != "geojson":
		fmt.Fprintf(stderr, "rounds export: --osm: only GeoJSON draws streets; --format %s does not use them\n", *format)
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
	var paths export.Paths
	if tf.osm != "" {
		p, err := tf.provider(ctx, nil)
		if err != nil {
			fmt.Fprintf(stderr, "rounds export: %v\n", err)
			return exitCodeFor(err)
		}
		n, ok := p.(*road.Network)
		if !ok {
			fmt.Fprintln(stderr, "rounds export: --osm: the extract did not load as a road network")
			return exitFailure
		}
		paths = n
		if plan.Travel != n.Source() {
			fmt.Fprintf(stderr, "rounds export: note: the plan was made with travel from %s (%s), not this extract's (%s); rounds are drawn straight\n",
				plan.Travel.Provider, plan.Travel.Version, n.Source().Version)
		}
	}
	var buf bytes.Buffer
	var err error
	switch *format {
	case "csv":
		err = export.StopsCSV(&buf, in, plan)
	case "runsheets-csv":
		err = export.RunSheetsCSV(&buf, in, plan, *date)
	case "runsheets-html":
		err = export.RunSheetsHTML(&buf, in, plan, *date)
	default:
		var fc any
		if fc, err = export.GeoJSON(in, plan, paths); err == nil {
			var b []byte
			if b, err = json.Marshal(fc); err == nil {
				buf.Write(append(b, '\n'))
			}
		}
	}
	if err != nil {
		var de *export.DateError
		if errors.As(err, &de) {
			fmt.Fprintf(stderr, "rounds export: --date: %s\n", de.Reason)
			return exitUsage
		}
		// The plan names what the instance lacks, or a leg the extract
		// cannot route: bad input.
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
