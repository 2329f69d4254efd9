package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

// TestVersion: rounds version names the module, the source revision, its
// time, whether the tree was modified and the Go version, and says
// "unknown" for what the build did not record.
func TestVersion(t *testing.T) {
	code, out, errOut := runCLI(t, "version")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{"module    github.com/rounds-dev/rounds", "go        " + runtime.Version(), "revision  "} {
		if !strings.Contains(out, want) {
			t.Errorf("version lacks %q:\n%s", want, out)
		}
	}
	if code, _, _ := runCLI(t, "version", "extra"); code != exitUsage {
		t.Errorf("version extra: exit %d, want %d", code, exitUsage)
	}
	cases := []struct {
		name string
		bi   debug.BuildInfo
		want []string
	}{
		{"from a clean checkout", debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/rounds-dev/rounds", Version: "v1.2.0"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "4a120bb0"}, {Key: "vcs.time", Value: "2026-11-26T10:00:00Z"}, {Key: "vcs.modified", Value: "false"}}},
			[]string{"rounds v1.2.0\n", "revision  4a120bb0\n", "time      2026-11-26T10:00:00Z\n", "modified  false\n", "go        go1.26.8\n"}},
		{"without version control", debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/rounds-dev/rounds", Version: "(devel)"}},
			[]string{"rounds (devel)\n", "revision  unknown\n", "time      unknown\n", "modified  unknown\n"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := versionText(&tc.bi)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("lacks %q:\n%s", w, got)
				}
			}
		})
	}
}

// TestSolveFromStdin: "-" reads the instance (solve, check) or the plan
// (check) from standard input, as matrix does its places, and names
// standard input in an error.
func TestSolveFromStdin(t *testing.T) {
	day, err := os.ReadFile("../../testdata/small_day.json")
	if err != nil {
		t.Fatal(err)
	}
	plan := filepath.Join(t.TempDir(), "plan.json")
	code, out, errOut := runCLIStdin(t, string(day), "solve", "-", "-o", plan, "--iterations", "200", "--workers", "1")
	if code != exitOK || !strings.Contains(out, "visits served      10 of 10") {
		t.Fatalf("solve -: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut := runCLIStdin(t, string(day), "check", "-", plan); code != exitOK || !strings.Contains(out, "plan OK") {
		t.Errorf("check - PLAN: exit %d\n%s%s", code, out, errOut)
	}
	planJSON, err := os.ReadFile(plan)
	if err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := runCLIStdin(t, string(planJSON), "check", "../../testdata/small_day.json", "-"); code != exitOK || !strings.Contains(out, "plan OK") {
		t.Errorf("check INSTANCE -: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut := runCLIStdin(t, string(day), "check", "-", "-"); code != exitUsage || !strings.Contains(errOut, "standard input") {
		t.Errorf("check - -: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := runCLIStdin(t, string(day), "solve", "-", "--previous", "-"); code != exitUsage || !strings.Contains(errOut, "standard input") {
		t.Errorf("solve - --previous -: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := runCLIStdin(t, `{"date": 3}`, "solve", "-", "--quiet"); code != exitUsage || !strings.Contains(errOut, "problems in standard input") || !strings.Contains(errOut, "date") {
		t.Errorf("bad instance on stdin: exit %d, stderr %q", code, errOut)
	}
}

// refusedAddr is a loopback address where nothing listens.
func refusedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestExitCodes: bad input and usage exit 2; failures at run time (a
// routing engine or Redis that does not answer, a file that cannot be
// written) exit 3, never 2; and the usage text documents every code.
func TestExitCodes(t *testing.T) {
	dead := refusedAddr(t)
	day := "../../testdata/small_day.json"
	noDir := filepath.Join(t.TempDir(), "missing", "out.json")
	emptyPlan := writeFile(t, "plan.json", "{}")
	cases := []struct {
		name string
		args []string
		code int
		says string
	}{
		{"unreachable routing engine", []string{"solve", day, "--quiet", "--engine", "osrm", "--engine-url", "http://" + dead}, exitFailure, dead},
		{"unreachable routing engine in check", []string{"check", day, emptyPlan, "--engine", "osrm", "--engine-url", "http://" + dead}, exitFailure, dead},
		{"unreachable routing engine for a matrix", []string{"matrix", "-", "--engine", "osrm", "--engine-url", "http://" + dead}, exitFailure, dead},
		{"plan cannot be written", []string{"solve", day, "--quiet", "--iterations", "10", "--workers", "1", "-o", noDir}, exitFailure, "missing"},
		{"Redis does not answer (worker)", []string{"worker", "--redis", "redis://" + dead}, exitFailure, dead},
		{"Redis does not answer (serve)", []string{"serve", "--addr", "127.0.0.1:0", "--redis", "redis://" + dead}, exitFailure, dead},
		{"bad Redis URL", []string{"worker", "--redis", "http://x"}, exitUsage, "--redis"},
		{"engine without its URL", []string{"solve", day, "--quiet", "--engine", "osrm"}, exitUsage, "--engine-url"},
		{"unknown engine", []string{"solve", day, "--quiet", "--engine", "gps", "--engine-url", "http://" + dead}, exitUsage, "--engine"},
		{"missing extract", []string{"solve", day, "--quiet", "--osm", "no/such.osm.pbf"}, exitUsage, "no/such.osm.pbf"},
		{"missing instance", []string{"solve", "no/such/day.json"}, exitUsage, "no/such/day.json"},
		{"missing plan", []string{"check", day, "no/such/plan.json"}, exitUsage, "no/such/plan.json"},
		{"missing locations", []string{"matrix", "no/such/places.json"}, exitUsage, "no/such/places.json"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := runCLIStdin(t, "-1.9,53.8;-1.8,53.9", tc.args...)
			if code != tc.code || !strings.Contains(errOut, tc.says) {
				t.Errorf("exit %d, want %d; stderr (want it to hold %q):\n%s", code, tc.code, tc.says, errOut)
			}
		})
	}
	t.Run("usage documents the codes", func(t *testing.T) {
		_, out, _ := runCLI(t, "help")
		for _, want := range []string{"0  success", "1  the plan breaks a rule", "2  bad input or usage", "3  a failure at run time"} {
			if !strings.Contains(out, want) {
				t.Errorf("usage lacks %q", want)
			}
		}
	})
}

// TestExitCodeFor: errors are told apart by type, wrapped or not.
func TestExitCodeFor(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want int
	}{
		{"field errors", roster.FieldErrors{{Path: "visits[0]", Reason: "bad"}}, exitUsage},
		{"one field error", roster.FieldError{Path: "visits[0]", Reason: "bad"}, exitUsage},
		{"a field error by pointer", &roster.FieldError{Path: "visits[0]", Reason: "bad"}, exitUsage},
		{"wrapped field errors", fmt.Errorf("day.json: %w", roster.FieldErrors{{Path: "date"}}), exitUsage},
		{"input error", inputError{os.ErrNotExist}, exitUsage},
		{"wrapped input error", fmt.Errorf("x: %w", inputError{errors.New("no")}), exitUsage},
		{"anything else", errors.New("connection refused"), exitFailure},
		{"a missing file not named by the user", fmt.Errorf("x: %w", os.ErrNotExist), exitFailure},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := exitCodeFor(tc.err); got != tc.want {
				t.Errorf("exitCodeFor(%v) = %d, want %d", tc.err, got, tc.want)
			}
		})
	}
}
