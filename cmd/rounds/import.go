package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/rounds-dev/rounds/geo/road"
	"github.com/rounds-dev/rounds/importer"
)

// runImport reads a team's CSV files (carers, clients, care) into an
// instance document.
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	postcodes := fs.String("postcodes", "", "place rows by postcode, looked up in this `FILE`: the ONS Postcode Directory's CSV (columns pcds, lat, long)")
	osmFile := fs.String("osm", "", "place rows by address, looked up in the addr:* tags of this OpenStreetMap extract (`FILE`.osm.pbf or .osm)")
	start := fs.String("start", "", "the period's first `DATE` (YYYY-MM-DD), for recurring care (with --days)")
	days := fs.Int("days", 0, "the period's length in days, 1 to 28 (with --start); without both, every call is dated and on one date")
	tz := fs.String("time-zone", importer.DefaultTimeZone, "the IANA time `ZONE` of the files' times")
	name := fs.String("name", "", "the instance's `NAME`, e.g. \"Rutham week 48\"")
	out := fs.String("o", "", "write the instance to `FILE` (default: standard output)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, `usage: rounds import CARERS.csv CLIENTS.csv CARE.csv [--postcodes FILE] [--osm FILE]
                    [--start DATE --days N] [--time-zone ZONE] [--name NAME] [-o FILE]

Reads a team's carers, clients and care from CSV (docs/FORMAT.md, "Importing CSV") into an
instance for rounds solve. Places come from lat and lon, else a postcode (--postcodes), else an
address (--osm). Every problem is listed as FILE:LINE:COLUMN: reason, the header being line 1.
Exit codes: 0 written, 2 bad input or usage, 3 a failure at run time.`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(reorder(fs, args)); err != nil {
		return flagExit(err)
	}
	if fs.NArg() != 3 {
		fs.Usage()
		return exitUsage
	}
	opts := importer.Options{Start: *start, Days: *days, TimeZone: *tz, Name: *name}
	var closers []io.Closer
	defer func() {
		for _, c := range closers {
			c.Close()
		}
	}()
	open := func(path string) (importer.File, bool) {
		f, err := os.Open(path)
		if err != nil {
			fmt.Fprintf(stderr, "rounds import: %v\n", err)
			return importer.File{}, false
		}
		closers = append(closers, f)
		return importer.File{Name: filepath.Base(path), R: f}, true
	}
	var files [3]importer.File
	for i := range files {
		f, ok := open(fs.Arg(i))
		if !ok {
			return exitUsage
		}
		files[i] = f
	}
	if *postcodes != "" {
		f, ok := open(*postcodes)
		if !ok {
			return exitUsage
		}
		opts.Postcodes = f
	}
	if *osmFile != "" {
		n, err := road.LoadFile(ctx, *osmFile, road.Options{})
		if err != nil {
			fmt.Fprintf(stderr, "rounds import: --osm: %v\n", err)
			if ctx.Err() != nil {
				return exitFailure
			}
			return exitUsage
		}
		opts.Addresses = n.Addresses()
	}
	in, err := importer.Read(files[0], files[1], files[2], opts)
	if err != nil {
		var es importer.Errors
		if !errors.As(err, &es) {
			fmt.Fprintf(stderr, "rounds import: %v\n", err)
			return exitFailure
		}
		for _, e := range es {
			if e.File == "" && e.Column != "" {
				// A problem with an option names its flag.
				e.Column = "--" + strings.ReplaceAll(e.Column, "_", "-")
			}
			fmt.Fprintln(stderr, e.Error())
		}
		fmt.Fprintf(stderr, "rounds import: %d problem(s); nothing written\n", len(es))
		return exitUsage
	}
	b, err := json.MarshalIndent(in, "", "  ")
	if err != nil {
		fmt.Fprintf(stderr, "rounds import: %v\n", err)
		return exitFailure
	}
	b = append(b, '\n')
	if *out == "" {
		if _, err := stdout.Write(b); err != nil {
			fmt.Fprintf(stderr, "rounds import: %v\n", err)
			return exitFailure
		}
		return exitOK
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		fmt.Fprintf(stderr, "rounds import: %v\n", err)
		return exitFailure
	}
	fmt.Fprintf(stderr, "rounds import: %d carers, %d clients, %d recurring calls, %d dated calls written to %s\n",
		len(in.Carers), len(in.Clients), len(in.Care), len(in.Visits), *out)
	return exitOK
}
