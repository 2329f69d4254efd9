package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/rounds-dev/rounds/roster"
)

// runCheck re-derives every time and rule of a plan against its instance and
// the travel it was made with. Exit 1 when the plan breaks any.
func runCheck(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tf := addTravelFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: rounds check INSTANCE|- PLAN|- [--osm FILE]\n\nEither file may be \"-\" for standard input. Exit codes: 0 the plan keeps every\nrule, 1 it breaks some, 2 bad input or usage, 3 a failure at run time.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(reorder(fs, args)); err != nil {
		return flagExit(err)
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return exitUsage
	}
	in, plan, code := loadInstanceAndPlan("check", fs.Arg(0), fs.Arg(1), stdin, stderr)
	if code != exitOK {
		return code
	}
	travel, code := travelForCLI(ctx, tf, in, nil, stderr)
	if code != exitOK {
		return code
	}
	if src := travel.Source(); plan.Travel != (roster.TravelSource{}) && plan.Travel != src {
		fmt.Fprintf(stderr, "rounds: %s: travel: the plan was made with %s %q; this check uses %s %q\n",
			fs.Arg(1), plan.Travel.Provider, plan.Travel.Version, src.Provider, src.Version)
		return exitUsage
	}
	vs := roster.Check(in, travel, plan)
	for _, v := range vs {
		fmt.Fprintf(stdout, "%-16s %s: %s\n", v.Code, v.Path, v.Message)
	}
	if len(vs) > 0 {
		fmt.Fprintf(stdout, "%d violations\n", len(vs))
		return exitViolations
	}
	// A period's visits are its expanded ones, as ComputeKPIs counts them.
	k := roster.ComputeKPIs(in, plan)
	fmt.Fprintf(stdout, "plan OK: %d rounds, %d of %d visits served, %d unassigned\n",
		len(plan.Rounds), k.VisitsServed, k.Visits, len(plan.Unassigned))
	return exitOK
}

// loadInstanceAndPlan reads the instance and the plan of command cmd,
// either of which may be "-" for standard input (not both), and returns
// the exit code for what was wrong with them, exitOK when nothing was.
func loadInstanceAndPlan(cmd, inPath, planPath string, stdin io.Reader, stderr io.Writer) (*roster.Instance, *roster.Plan, int) {
	if inPath == "-" && planPath == "-" {
		fmt.Fprintf(stderr, "rounds %s: only one of INSTANCE and PLAN can come from standard input\n", cmd)
		return nil, nil, exitUsage
	}
	in, err := loadInstance(inPath, stdin, stderr)
	if err != nil {
		printInputError(stderr, err)
		return nil, nil, exitCodeFor(err)
	}
	plan, err := loadPlan(planPath, stdin)
	if err != nil {
		printInputError(stderr, err)
		return nil, nil, exitCodeFor(err)
	}
	return in, plan, exitOK
}
