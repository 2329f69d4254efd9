// Command rounds builds and checks home-care carers' daily rounds.
//
//	rounds solve INSTANCE [-o PLAN] [--time 30s] [--seed 1]
//	rounds check INSTANCE PLAN
//	rounds matrix LOCATIONS [--mode drive] [--osm FILE]
//	rounds gen [--seed 1] [--visits 150] [-o FILE]
//	rounds serve [--addr 127.0.0.1:8080] [--redis URL] [--keys FILE]
//	rounds worker --redis URL
//	rounds hash-key SECRET
//
// Exit codes: 0 success, 1 a plan with violations, 2 bad input or usage.
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
  rounds solve INSTANCE [-o PLAN] [--time 30s] [--seed N] [--iterations N] [--workers N] [--quiet]
               [--osm FILE | --engine osrm|valhalla|graphhopper --engine-url URL]
      build rounds for a day, on straight lines, an OpenStreetMap extract's streets or a
      routing engine's times; prints a summary, writes the plan as JSON
  rounds check INSTANCE PLAN
      re-derive every time and rule of a plan; exit 1 if it breaks any
  rounds matrix LOCATIONS [--mode drive] [--osm FILE | --engine osrm --engine-url URL] [-o FILE]
      travel times and distances between places, by one mode
  rounds gen [--seed N] [--visits N] [--carers N] [--double F] [--walk F] [-o FILE]
      write a synthetic locality day
  rounds bench mankowska|solomon [--data DIR] [--time 10s] [--instances A1,B2] [--out DIR]
      solve the Mankowska et al. (2014) home health care or the Solomon VRPTW benchmark;
      tables, plans and solutions in DIR
  rounds serve [--addr 127.0.0.1:8080] [--redis URL] [--keys FILE] [--workers N]
      serve the HTTP API; jobs and matrices in Redis when --redis (or REDIS_URL) is set,
      in this process otherwise
  rounds worker --redis URL [--workers N]
      run solve jobs from the Redis queue that rounds serve processes share
  rounds hash-key SECRET
      print the hash of an API key, for the keys file

Run "rounds COMMAND -h" for a command's flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches a command line to its subcommand and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "solve":
		return runSolve(ctx, args[1:], stdout, stderr)
	case "check":
		return runCheck(ctx, args[1:], stdout, stderr)
	case "matrix":
		return runMatrix(ctx, args[1:], stdout, stderr)
	case "gen":
		return runGen(ctx, args[1:], stdout, stderr)
	case "bench":
		return runBench(ctx, args[1:], stdout, stderr)
	case "serve":
		return runServe(ctx, args[1:], stdout, stderr)
	case "worker":
		return runWorker(ctx, args[1:], stdout, stderr)
	case "hash-key":
		return runHashKey(args[1:], stdout, stderr)
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
