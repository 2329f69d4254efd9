package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

// runVersion prints what this binary was built from.
func runVersion(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintln(stderr, "usage: rounds version")
		if args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
			return exitOK
		}
		return exitUsage
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		fmt.Fprintln(stderr, "rounds version: this binary carries no build information")
		return exitFailure
	}
	fmt.Fprint(stdout, versionText(bi))
	return exitOK
}

// versionText writes the module version, the source revision, its time and
// whether the tree had changes, and the Go version. A field the build did
// not record (go run and go test leave out the revision, as does
// -buildvcs=false) reads "unknown".
func versionText(bi *debug.BuildInfo) string {
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	or := func(v string) string {
		if v == "" {
			return "unknown"
		}
		return v
	}
	var b strings.Builder
	fmt.Fprintf(&b, "rounds %s\n", or(bi.Main.Version))
	fmt.Fprintf(&b, "module    %s\n", or(bi.Main.Path))
	fmt.Fprintf(&b, "revision  %s\n", or(settings["vcs.revision"]))
	fmt.Fprintf(&b, "time      %s\n", or(settings["vcs.time"]))
	fmt.Fprintf(&b, "modified  %s\n", or(settings["vcs.modified"]))
	fmt.Fprintf(&b, "go        %s\n", or(bi.GoVersion))
	return b.String()
}
