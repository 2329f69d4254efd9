package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"time"

	"github.com/rounds-dev/rounds/geo/road"
	"github.com/rounds-dev/rounds/roster"
	"github.com/rounds-dev/rounds/synth"
)

// runGen writes a synthetic locality day or, with --days 2 or more, a
// planning period of recurring care. Flags: --days, --seed, --visits,
// --carers, --double, --walk, --date (a day), --start, --clients, --history
// (a period), --centre, --radius, --osm, -o FILE (default stdout).
func runGen(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return runGenAt(ctx, args, stdout, stderr, time.Now())
}

// runGenAt is runGen with the present moment given, which --start's
// default (next Monday) is counted from.
func runGenAt(ctx context.Context, args []string, stdout, stderr io.Writer, now time.Time) int {
	if len(args) > 0 && args[0] == "district" {
		return runGenDistrict(args[1:], stdout, stderr)
	}
	def := synth.DefaultConfig()
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	seed := fs.Int64("seed", def.Seed, "random seed; the same flags always give the same day")
	days := fs.Int("days", 1, fmt.Sprintf("days to generate: 1 writes a day's document, 2 to %d a period of recurring care", roster.MaxPeriodDays))
	visits := fs.Int("visits", def.Visits, fmt.Sprintf("number of visits (1 to %d); with --days 2 or more, visits a day on average", synth.MaxVisits))
	clients := fs.Int("clients", 0, fmt.Sprintf("with --days 2 or more: number of clients, instead of --visits (0 to %d)", synth.MaxClients))
	start := fs.String("start", nextMonday(now), "with --days 2 or more: the period's first day, YYYY-MM-DD (default: next Monday)")
	history := fs.Bool("history", false, "with --days 2 or more: write last week's visits to each client, mostly by their team")
	carers := fs.Int("carers", 0, "number of carers (0: enough for the demand)")
	double := fs.Float64("double", def.DoubleShare, "share of visits that are double-handed, 0 to 1")
	walk := fs.Float64("walk", def.WalkShare, "share of carers who walk, 0 to 1")
	date := fs.String("date", def.Date, "with --days 1: the planning day, YYYY-MM-DD (time zone "+synth.TimeZone+")")
	out := fs.String("o", "", "write the day's JSON to `FILE` (default: standard output)")
	centre := fs.String("centre", "", "the town centre as `LAT,LON` (default: Keighley, or the middle of the --osm extract's streets)")
	radius := fs.Float64("radius", 0, fmt.Sprintf("how far the town reaches from its centre, km (default %g, or the --osm extract's median reach)", synth.DefaultRadiusKM))
	osmFile := fs.String("osm", "", "place every home within --near-road-m of a street of this OpenStreetMap extract (`FILE`), so that the day can be solved with solve --osm")
	nearRoad := fs.Float64("near-road-m", 40, "with --osm, the furthest a home may be from a street usable on foot and by car, metres")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: rounds gen [--days N] [--seed N] [--visits N] [--carers N] [--double F] [--walk F] [--date YYYY-MM-DD]\n"+
			"                  [--start YYYY-MM-DD] [--clients N] [--history] [--centre LAT,LON] [--radius KM] [--osm FILE] [-o FILE]\n"+
			"       rounds gen district [--seed N] [--clients N] [--hours H] [--double F] [--scale F] [-o FILE] [--json FILE]\n"+
			"                  (a district's demand CSV; rounds gen district -h for its flags)")
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
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if *days < 1 || *days > roster.MaxPeriodDays {
		bad = append(bad, fmt.Sprintf("--days: must be from 1 to %d, got %d", roster.MaxPeriodDays, *days))
	}
	if *days == 1 {
		for _, name := range []string{"start", "clients", "history"} {
			if set[name] {
				bad = append(bad, fmt.Sprintf("--%s: only with --days 2 or more; a day's document is dated by --date", name))
			}
		}
	} else {
		if set["date"] {
			bad = append(bad, "--date: a period of --days 2 or more starts at --start, not --date")
		}
		if !validDate(*start) {
			bad = append(bad, fmt.Sprintf("--start: want a date as YYYY-MM-DD, got %q", *start))
		}
		if *clients < 0 || *clients > synth.MaxClients {
			bad = append(bad, fmt.Sprintf("--clients: must be from 0 (enough for --visits) to %d, got %d", synth.MaxClients, *clients))
		}
	}
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
	if !validDate(*date) {
		bad = append(bad, fmt.Sprintf("--date: want a date as YYYY-MM-DD, got %q", *date))
	}
	var at roster.Location
	if *centre != "" {
		var ok bool
		if at, ok = parseLatLon(*centre); !ok {
			bad = append(bad, fmt.Sprintf("--centre: want LAT,LON with a latitude within ±80 and a longitude within ±180, got %q", *centre))
		}
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
	var in *roster.Instance
	var err error
	if *days == 1 {
		in, err = synth.Generate(cfg)
	} else {
		week := synth.DefaultWeekConfig()
		week.Seed, week.Days, week.Start, week.VisitsPerDay, week.Clients = cfg.Seed, *days, *start, cfg.Visits, *clients
		week.Carers, week.DoubleShare, week.WalkShare, week.History = cfg.Carers, cfg.DoubleShare, cfg.WalkShare, *history
		week.Centre, week.RadiusKM, week.Habitable = cfg.Centre, cfg.RadiusKM, cfg.Habitable
		in, err = synth.GenerateWeek(week)
	}
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
	x, err := roster.Expand(in)
	if err != nil {
		// The generator's periods always expand; this would be a bug.
		fmt.Fprintf(stderr, "rounds gen: the generated document does not expand: %v\n", err)
		return exitFailure
	}
	double2 := 0
	for i := range x.Instance.Visits {
		if x.Instance.Visits[i].CarersNeeded() == 2 {
			double2++
		}
	}
	what := ""
	if in.IsPeriod() {
		what = fmt.Sprintf(" over %d days from %s (%d care entries)", in.Period.Days, in.Period.Start, len(in.Care))
	}
	fmt.Fprintf(stderr, "rounds gen: wrote %s: %d visits (%d double-handed)%s for %d clients, %d carers\n",
		*out, len(x.Instance.Visits), double2, what, len(in.Clients), len(in.Carers))
	return exitOK
}

// validDate reports whether s is a real date written YYYY-MM-DD.
func validDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil && len(s) == len(time.DateOnly)
}

// nextMonday is the date of the first Monday after now's date in the
// generator's time zone: the week a coordinator plans next.
func nextMonday(now time.Time) string {
	if loc, err := time.LoadLocation(synth.TimeZone); err == nil {
		now = now.In(loc)
	}
	ahead := (8 - int(now.Weekday())) % 7
	if ahead == 0 {
		ahead = 7
	}
	return now.AddDate(0, 0, ahead).Format(time.DateOnly)
}
