package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/rounds-dev/rounds/locality"
	"github.com/rounds-dev/rounds/roster"
	"github.com/rounds-dev/rounds/synth"
)

// runGenDistrict writes a synthetic district's demand CSV (docs/FORMAT.md,
// "District demand CSV"): rounds gen district [--seed N] [--clients N]
// [--hours H] [--double F] [--scale F] [--centres N] [--centre LAT,LON]
// [--radius KM] [-o FILE] [--json FILE].
func runGenDistrict(args []string, stdout, stderr io.Writer) int {
	def := synth.DefaultDistrictConfig()
	fs := flag.NewFlagSet("gen district", flag.ContinueOnError)
	fs.SetOutput(stderr)
	seed := fs.Int64("seed", def.Seed, "random seed; the same flags always give the same district")
	clients := fs.Int("clients", def.Clients, "number of clients (before --scale)")
	hours := fs.Float64("hours", def.WeeklyHours, fmt.Sprintf("the district's contact hours a week (before --scale), %g to %g a client", synth.MinClientHours, synth.MaxClientHours))
	double := fs.Float64("double", def.DoubleShare, "share of visits that are double-handed, 0 to 1")
	scale := fs.Float64("scale", 1, "grow (or shrink) the district: multiplies --clients and --hours")
	centres := fs.Int("centres", def.Centres, fmt.Sprintf("number of town centres, 1 to %d, the first the largest", synth.MaxDistrictCentres))
	centre := fs.String("centre", "", "the largest town's centre as `LAT,LON` (default: Bradford)")
	radius := fs.Float64("radius", def.RadiusKM, fmt.Sprintf("how far the district reaches from --centre, km (at most %g)", synth.MaxRadiusKM))
	out := fs.String("o", "", "write the demand CSV to `FILE` (default: standard output)")
	jsonOut := fs.String("json", "", "also write the district as JSON to `FILE`")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: rounds gen district [--seed N] [--clients N] [--hours H] [--double F] [--scale F]\n"+
			"                           [--centres N] [--centre LAT,LON] [--radius KM] [-o FILE] [--json FILE]\n"+
			"A synthetic district's demand, one row per client: dense town centres, thin rural edges;\n"+
			"by default shaped on Bradford (1,500 clients, 19,600 hours a week, 44% of visits double-handed).")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "rounds gen district: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return exitUsage
	}
	var bad []string
	if !(*scale > 0) || math.IsInf(*scale, 0) {
		bad = append(bad, fmt.Sprintf("--scale: must be a positive number, got %v", *scale))
	}
	n := int(math.Round(float64(*clients) * *scale))
	if *clients < 1 || n < 1 || n > synth.MaxDistrictClients {
		bad = append(bad, fmt.Sprintf("--clients: must make from 1 to %d clients with --scale, got %d", synth.MaxDistrictClients, n))
	}
	h := *hours * *scale
	if n >= 1 && !(h >= synth.MinClientHours*float64(n) && h <= synth.MaxClientHours*float64(n)) {
		bad = append(bad, fmt.Sprintf("--hours: %g hours a week for %d clients is %.1f a client; want %g to %g", h, n, h/float64(n), synth.MinClientHours, synth.MaxClientHours))
	}
	if !(*double >= 0 && *double <= 1) {
		bad = append(bad, fmt.Sprintf("--double: must be a share from 0 to 1, got %v", *double))
	}
	if *centres < 1 || *centres > synth.MaxDistrictCentres {
		bad = append(bad, fmt.Sprintf("--centres: must be from 1 to %d, got %d", synth.MaxDistrictCentres, *centres))
	}
	if !(*radius > 0 && *radius <= synth.MaxRadiusKM) {
		bad = append(bad, fmt.Sprintf("--radius: must be more than 0 and at most %g km, got %v", synth.MaxRadiusKM, *radius))
	}
	at := def.Centre
	if *centre != "" {
		var ok bool
		if at, ok = parseLatLon(*centre); !ok {
			bad = append(bad, fmt.Sprintf("--centre: want LAT,LON with a latitude within ±80 and a longitude within ±180, got %q", *centre))
		}
	}
	if len(bad) > 0 {
		for _, b := range bad {
			fmt.Fprintf(stderr, "rounds gen district: %s\n", b)
		}
		return exitUsage
	}
	cfg := synth.DistrictConfig{Seed: *seed, Clients: n, WeeklyHours: h, DoubleShare: *double,
		Centres: *centres, Centre: at, RadiusKM: *radius}
	d, err := synth.GenerateDistrict(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "rounds gen district: %v\n", err)
		return exitUsage
	}
	var csv bytes.Buffer
	if err := locality.WriteDemand(&csv, d); err != nil {
		fmt.Fprintf(stderr, "rounds gen district: %v\n", err)
		return exitFailure
	}
	if *jsonOut != "" {
		b, err := json.MarshalIndent(d, "", "  ")
		if err == nil {
			err = os.WriteFile(*jsonOut, append(b, '\n'), 0o644)
		}
		if err != nil {
			fmt.Fprintf(stderr, "rounds gen district: --json: %v\n", err)
			return exitFailure
		}
	}
	if *out == "" {
		if _, err := stdout.Write(csv.Bytes()); err != nil {
			fmt.Fprintf(stderr, "rounds gen district: %v\n", err)
			return exitFailure
		}
		return exitOK
	}
	if err := os.WriteFile(*out, csv.Bytes(), 0o644); err != nil {
		fmt.Fprintf(stderr, "rounds gen district: %v\n", err)
		return exitFailure
	}
	visits, doubled := 0, 0
	for i := range d.Clients {
		visits += 7 * d.Clients[i].CallsADay()
		if d.Clients[i].Double {
			doubled += 7 * d.Clients[i].CallsADay()
		}
	}
	fmt.Fprintf(stderr, "rounds gen district: wrote %s: %d clients, %.0f hours and %d visits a week (%.0f%% double-handed)\n",
		*out, len(d.Clients), d.WeeklyHours(), visits, 100*float64(doubled)/float64(max(visits, 1)))
	return exitOK
}

// parseLatLon reads "LAT,LON", a latitude within ±80 and a longitude
// within ±180.
func parseLatLon(s string) (roster.Location, bool) {
	lat, lon, ok := strings.Cut(s, ",")
	y, err1 := strconv.ParseFloat(strings.TrimSpace(lat), 64)
	x, err2 := strconv.ParseFloat(strings.TrimSpace(lon), 64)
	if !ok || err1 != nil || err2 != nil || !(math.Abs(y) <= 80) || !(math.Abs(x) <= 180) {
		return roster.Location{}, false
	}
	return roster.Location{Lat: y, Lon: x}, true
}
