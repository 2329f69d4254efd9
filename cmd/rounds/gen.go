package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/rounds-dev/rounds/geo/road"
	"github.com/rounds-dev/rounds/roster"
	"github.com/rounds-dev/rounds/synth"
)

// runGen writes a synthetic locality day. Flags: --seed, --visits, --carers,
// --double, --walk, --date, --centre, --radius, --osm, -o FILE (default
// stdout).
func runGen(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	def := synth.DefaultConfig()
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	seed := fs.Int64("seed", def.Seed, "random seed; the same flags always give the same day")
	visits := fs.Int("visits", def.Visits, fmt.Sprintf("number of visits (1 to %d)", synth.MaxVisits))
	carers := fs.Int("carers", 0, "number of carers (0: enough for the demand)")
	double := fs.Float64("double", def.DoubleShare, "share of visits that are double-handed, 0 to 1")
	walk := fs.Float64("walk", def.WalkShare, "share of carers who walk, 0 to 1")
	date := fs.String("date", def.Date, "planning day, YYYY-MM-DD (time zone "+synth.TimeZone+")")
	out := fs.String("o", "", "write the day's JSON to `FILE` (default: standard output)")
	centre := fs.String("centre", "", "the town centre as `LAT,LON` (default: Keighley, or the middle of the --osm extract's streets)")
	radius := fs.Float64("radius", 0, fmt.Sprintf("how far the town reaches from its centre, km (default %g, or the --osm extract's median reach)", synth.DefaultRadiusKM))
	osmFile := fs.String("osm", "", "place every home within --near-road-m of a street of this OpenStreetMap extract (`FILE`), so that the day can be solved with solve --osm")
	nearRoad := fs.Float64("near-road-m", 40, "with --osm, the furthest a home may be from a street usable on foot and by car, metres")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: rounds gen [--seed N] [--visits N] [--carers N] [--double F] [--walk F] [--date YYYY-MM-DD] [--centre LAT,LON] [--radius KM] [--osm FILE] [-o FILE]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "rounds gen: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return exitUsage
	}
	// Check each flag here so that the message names it as it was typed.
	var bad []string
	if *visits < 1 || *visits > synth.MaxVisits {
		bad = append(bad, fmt.Sprintf("--visits: must be from 1 to %d, got %d", synth.MaxVisits, *visits))
	}
	if *carers < 0 || *carers > synth.MaxCarers {
		bad = append(bad, fmt.Sprintf("--carers: must be from 0 (enough for the demand) to %d, got %d", synth.MaxCarers, *carers))
	}
	if !(*double >= 0 && *double <= 1) {
		bad = append(bad, fmt.Sprintf("--double: must be a share from 0 to 1, got %v", *double))
	}
	if !(*walk >= 0 && *walk <= 1) {
		bad = append(bad, fmt.Sprintf("--walk: must be a share from 0 to 1, got %v", *walk))
	}
	if _, err := time.Parse(time.DateOnly, *date); err != nil || len(*date) != len(time.DateOnly) {
		bad = append(bad, fmt.Sprintf("--date: want a date as YYYY-MM-DD, got %q", *date))
	}
	var at roster.Location
	if *centre != "" {
		lat, lon, ok := strings.Cut(*centre, ",")
		y, err1 := strconv.ParseFloat(strings.TrimSpace(lat), 64)
		x, err2 := strconv.ParseFloat(strings.TrimSpace(lon), 64)
		if !ok || err1 != nil || err2 != nil || !(math.Abs(y) <= 80) || !(math.Abs(x) <= 180) {
			bad = append(bad, fmt.Sprintf("--centre: want LAT,LON with a latitude within ±80 and a longitude within ±180, got %q", *centre))
		}
		at = roster.Location{Lat: y, Lon: x}
	}
	if *radius != 0 && !(*radius > 0 && *radius <= synth.MaxRadiusKM) {
		bad = append(bad, fmt.Sprintf("--radius: must be more than 0 and at most %g km, got %v", synth.MaxRadiusKM, *radius))
	}
	if !(*nearRoad > 0) || math.IsInf(*nearRoad, 0) {
		bad = append(bad, fmt.Sprintf("--near-road-m: must be a positive number of metres, got %v", *nearRoad))
	}
	if *carers == 1 && *double > 0 {
		bad = append(bad, "--carers: double-handed visits need at least 2 carers; give --carers 2 or more, or --double 0")
	}
	if len(bad) > 0 {
		for _, b := range bad {
			fmt.Fprintf(stderr, "rounds gen: %s\n", b)
		}
		return exitUsage
	}

	cfg := def
	cfg.Seed, cfg.Visits, cfg.Carers = *seed, *visits, *carers
	cfg.DoubleShare, cfg.WalkShare, cfg.Date = *double, *walk, *date
	if *osmFile != "" {
		net, err := road.LoadFile(ctx, *osmFile, road.Options{})
		if err != nil {
			fmt.Fprintf(stderr, "rounds gen: --osm: %v\n", err)
			return exitUsage
		}
		mid, reach := net.Extent()
		cfg.Centre, cfg.RadiusKM = mid, math.Min(math.Max(reach, 0.3), synth.MaxRadiusKM)
		within := *nearRoad
		cfg.Habitable = func(l roster.Location) bool {
			return net.Near(roster.Walk, l, within) && net.Near(roster.Drive, l, within)
		}
	}
	if *centre != "" {
		cfg.Centre = at
	}
	if *radius != 0 {
		cfg.RadiusKM = *radius
	}
	in, err := synth.Generate(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "rounds gen: %v\n", err)
		return exitUsage
	}
	if err := ctx.Err(); err != nil {
		fmt.Fprintf(stderr, "rounds gen: %v\n", err)
		return exitFailure
	}
	b, err := json.MarshalIndent(in, "", "  ")
	if err != nil {
		fmt.Fprintf(stderr, "rounds gen: %v\n", err)
		return exitFailure
	}
	b = append(b, '\n')
	if *out == "" {
		if _, err := stdout.Write(b); err != nil {
			fmt.Fprintf(stderr, "rounds gen: %v\n", err)
			return exitFailure
		}
		return exitOK
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		fmt.Fprintf(stderr, "rounds gen: %v\n", err)
		return exitFailure
	}
	double2 := 0
	for i := range in.Visits {
		if in.Visits[i].CarersNeeded() == 2 {
			double2++
		}
	}
	fmt.Fprintf(stderr, "rounds gen: wrote %s: %d visits (%d double-handed) for %d clients, %d carers\n",
		*out, len(in.Visits), double2, len(in.Clients), len(in.Carers))
	return exitOK
}
