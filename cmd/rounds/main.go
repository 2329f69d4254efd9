// Command rounds builds and checks home-care carers' daily rounds.
//
//	rounds solve INSTANCE|- [-o PLAN] [--time 30s] [--seed 1] [--stall N]
//	rounds check INSTANCE PLAN
//	rounds import CARERS CLIENTS CARE [--postcodes FILE] [--osm FILE] [--start DAY --days N] [-o FILE]
//	rounds matrix LOCATIONS [--mode drive] [--osm FILE]
//	rounds gen [--days 1] [--seed 1] [--visits 150] [--start MONDAY] [--history] [-o FILE]
//	rounds gen district [--seed 1] [--clients 1500] [--hours 19600] [--double 0.44] [--scale 1] [-o FILE]
//	rounds localities evaluate DEMAND.csv BOUNDARIES.geojson [MORE.geojson...] [-o OUT.geojson]
//	rounds localities propose DEMAND.csv --k 6,10,35 [--method azp|kmeans|both] [-o DIR/]
//	rounds serve [--addr 127.0.0.1:8080] [--redis URL] [--keys FILE]
//	rounds worker --redis URL
//	rounds key new [NAME] [--admin]
//	rounds hash-key [SECRET|-]
//	rounds version
//
// Exit codes: 0 success, 1 a plan with violations, 2 bad input or usage,
// 3 a failure at run time (a routing engine or Redis that does not answer,
// a file that cannot be written, an interrupt before a command has its
// answer or one that leaves bench's tables incomplete). An interrupt during
// solve's search writes the best plan so far and exits 0.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/rounds-dev/rounds/roster"
)

// Exit codes shared by the subcommands.
const (
	exitOK         = 0
	exitViolations = 1
	exitUsage      = 2
	exitFailure    = 3
)

const usage = `rounds: carers' daily rounds for UK home care

usage:
  rounds solve INSTANCE|- [-o PLAN] [--time 30s] [--seed N] [--iterations N] [--stall N]
               [--workers N] [--quiet] [--osm FILE | --engine osrm|valhalla|graphhopper --engine-url URL]
      build rounds for a day ("-": read it from standard input), on straight lines, an
      OpenStreetMap extract's streets or a routing engine's times; prints a summary, writes
      the plan as JSON
  rounds check INSTANCE|- PLAN|-
      re-derive every time and rule of a plan; exit 1 if it breaks any
  rounds import CARERS.csv CLIENTS.csv CARE.csv [--postcodes FILE] [--osm FILE]
                [--start DAY --days N] [--time-zone ZONE] [--name NAME] [-o FILE]
      read a team's carers, clients and care from CSV into an instance; places by lat/lon,
      postcode (the ONS Postcode Directory) or address (an OpenStreetMap extract)
  rounds export INSTANCE|- PLAN|- [--format csv|geojson|runsheets-csv|runsheets-html] [--date D]
                [--osm FILE] [-o FILE]
      the plan as CSV (a row per stop), GeoJSON (rounds as lines, along an extract's streets
      with --osm; stops as points) or each carer's run sheet for a day (CSV, or a page to print)
  rounds matrix LOCATIONS|- [--mode drive] [--osm FILE | --engine osrm --engine-url URL] [-o FILE]
      travel times and distances between places, by one mode
  rounds gen [--days N] [--seed N] [--visits N] [--carers N] [--double F] [--walk F]
             [--date DAY | --start DAY --clients N --history] [-o FILE]
      write a synthetic locality day, or with --days 2 to 28 a period of recurring care
      (from --start, default next Monday; --visits is then visits a day)
  rounds gen district [--seed N] [--clients N] [--hours H] [--double F] [--scale F] [--centres N]
                      [--centre LAT,LON] [--radius KM] [-o FILE] [--json FILE]
      write a synthetic district's demand CSV, a row per client: dense town centres, thin rural
      edges; Bradford-shaped by default (1,500 clients, 19,600 h a week, 44% of visits
      double-handed); --scale grows it
  rounds localities evaluate DEMAND.csv BOUNDARIES.geojson [MORE.geojson...] [--postcodes FILE]
                   [--osm FILE] [--walk-share F --contract-hours H --utilisation U --co2 KG]
                   [--time-per-solve D | --iterations N] [--workers N] [--seed N] [--csv FILE]
                   [-o OUT.geojson]
      a commissioner's boundary options compared side by side: each locality's care by band,
      carers needed (by planning a representative day), travel, mileage, CO2, walkability,
      viability (700-2,000 h a week) and compactness, and each option's balance
  rounds localities propose DEMAND.csv --k 6,10,35|4-40 [--method azp|kmeans|both] [--cell-m M]
                   [--no-evaluate] [-o DIR/|PREFIX] [evaluate's flags]
      propose k balanced, compact localities from a hexagonal grid, evaluate and write each as
      GeoJSON with its figures; over several k: the smallest k with every locality walkable
      and the k with every locality viable
  rounds bench localities [--scale F | --clients N --hours H] [--k 6,10,35] [--grow 0.25,0.5,1]
                          [--iterations N] [--seed N] [--workers N] [--out DIR]
      proposals against k-means on a generated Bradford-shaped district: balance, travel,
      carers, compactness, walkability, and time and memory as the district grows
  rounds bench mankowska|solomon [--data DIR] [--time 10s] [--iterations N] [--instances A1,B2] [--out DIR]
      solve the Mankowska et al. (2014) home health care or the Solomon VRPTW benchmark;
      tables, plans and solutions in DIR
  rounds bench week [--seeds 1,2,3] [--visits 150,250] [--carers N] [--days 7] [--time 10s | --iterations N]
                    [--day-hours running|prorate] [--scale] [--out DIR]
      generated locality weeks planned as a week and each day alone with the same total budget,
      judged on issue 11's targets; --scale: a 1,500-visit week, and how time and memory grow
  rounds serve [--addr 127.0.0.1:8080] [--redis URL] [--keys FILE] [--workers N]
      serve the HTTP API; jobs and matrices in Redis when --redis (or REDIS_URL) is set,
      in this process otherwise
  rounds worker --redis URL [--workers N]
      run solve jobs from the Redis queue that rounds serve processes share
  rounds key new [NAME] [--admin]
      make a random API key: prints the secret to give out and the line for the keys file
  rounds hash-key [SECRET|-]
      print the hash of an API key's secret, for the keys file; reads the secret from
      standard input when none is given (preferred: it stays out of shell history)
  rounds version
      the module version, source revision and Go version this binary was built from

Exit codes:
  0  success
  1  the plan breaks a rule (check), or a benchmark plan is not feasible (bench)
  2  bad input or usage: a flag, a file or a field at fault (each problem is named)
  3  a failure at run time: a routing engine or Redis that does not answer, a file that
     cannot be written; an interrupt before a command has its answer (solve before its
     search begins, check or matrix while working out travel), or one that leaves bench's
     tables incomplete (they hold the instances finished)
An interrupt (Ctrl-C) during solve's search is not a failure: the best plan so far is
written and the exit code is 0. serve and worker stop gracefully and exit 0.

Run "rounds COMMAND -h" for a command's flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code := runIO(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run dispatches a command line to its subcommand with the process's
// standard input and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return runIO(ctx, args, os.Stdin, stdout, stderr)
}

// runIO is run with its standard input given, for commands that read "-".
func runIO(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "solve":
		return runSolve(ctx, args[1:], stdin, stdout, stderr)
	case "check":
		return runCheck(ctx, args[1:], stdin, stdout, stderr)
	case "matrix":
		return runMatrix(ctx, args[1:], stdin, stdout, stderr)
	case "import":
		return runImport(ctx, args[1:], stdout, stderr)
	case "export":
		return runExport(ctx, args[1:], stdin, stdout, stderr)
	case "gen":
		return runGen(ctx, args[1:], stdout, stderr)
	case "localities":
		return runLocalities(ctx, args[1:], stdout, stderr)
	case "bench":
		return runBench(ctx, args[1:], stdout, stderr)
	case "serve":
		return runServe(ctx, args[1:], stdout, stderr)
	case "worker":
		return runWorker(ctx, args[1:], stdout, stderr)
	case "key":
		return runKey(args[1:], stdout, stderr)
	case "hash-key":
		return runHashKey(args[1:], stdin, stdout, stderr)
	case "version":
		return runVersion(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "rounds: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}

// flagExit is the exit code for a flag parsing error: 0 when help was asked
// for, 2 otherwise.
func flagExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return exitUsage
}

// inputError marks an error in what the user gave (a flag's value, a file
// named on the command line that cannot be opened) rather than a failure
// while running.
type inputError struct{ err error }

func (e inputError) Error() string { return e.err.Error() }
func (e inputError) Unwrap() error { return e.err }

// exitCodeFor maps an error to its exit code: 2 when the error is in the
// input (a field at fault, or marked as an inputError), 3 for anything
// else, such as a routing engine or Redis that does not answer. It goes by
// the error's type, never its text.
func exitCodeFor(err error) int {
	var fes roster.FieldErrors
	var fe roster.FieldError
	var fep *roster.FieldError
	var ie inputError
	if errors.As(err, &fes) || errors.As(err, &fe) || errors.As(err, &fep) || errors.As(err, &ie) {
		return exitUsage
	}
	return exitFailure
}
