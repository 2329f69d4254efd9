package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/rounds-dev/rounds/synth"
)

// runGen writes a synthetic locality day. Flags: --seed, --visits, --carers, --double, --walk, --date, -o FILE (default stdout).
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
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: rounds gen [--seed N] [--visits N] [--carers N] [--double F] [--walk F] [--date YYYY-MM-DD] [-o FILE]")
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
