package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
)

// event is one line of `go test -json` (see go doc test2json).
type event struct {
	Action      string
	Package     string
	Test        string
	Output      string
	ImportPath  string
	FailedBuild string
}

// summary is what summarise counted.
type summary struct {
	passed, failed, skipped int
	skips                   []string // "package Test: reason"
	failures                []string // "package Test", or "package" for a failure outside any test
}

// pkgState is what is kept of one package while its events arrive.
type pkgState struct {
	output     map[string][]outLine // a top-level test's output lines, its subtests' included
	testFailed bool
}

// outLine is a line of output and the test (or subtest) that wrote it.
type outLine struct{ test, text string }

// summarise reads go test -json events from r and writes the report to w.
// A line that is not a JSON event (go vet or build output on stderr, when
// it is sent along) is written as it is.
func summarise(r io.Reader, w io.Writer) (summary, error) {
	var s summary
	pkgs := map[string]*pkgState{}
	state := func(pkg string) *pkgState {
		p := pkgs[pkg]
		if p == nil {
			p = &pkgState{output: map[string][]outLine{}}
			pkgs[pkg] = p
		}
		return p
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil || e.Action == "" {
			fmt.Fprintf(w, "%s\n", line)
			continue
		}
		switch {
		case e.Action == "build-output":
			fmt.Fprint(w, e.Output)
		case e.Action == "build-fail":
			// Its package's fail event follows and is counted there.
		case e.Test == "":
			p := state(e.Package)
			switch e.Action {
			case "output":
				// go test without -v prints neither PASS nor a bare FAIL.
				if o := strings.TrimSpace(e.Output); o != "PASS" && o != "FAIL" {
					fmt.Fprint(w, e.Output)
				}
			case "fail":
				if !p.testFailed {
					// A build failure, a panic in TestMain, a timeout:
					// nothing counted it yet.
					s.failed++
					what := e.Package
					if e.FailedBuild != "" {
						what += " (did not build)"
					} else {
						what += " (outside any test)"
					}
					s.failures = append(s.failures, what)
				}
			}
		default:
			p := state(e.Package)
			root, _, _ := strings.Cut(e.Test, "/")
			switch e.Action {
			case "output":
				p.output[root] = append(p.output[root], outLine{e.Test, e.Output})
			case "pass":
				s.passed++
				if e.Test == root {
					delete(p.output, root)
				}
			case "skip":
				s.skipped++
				s.skips = append(s.skips, fmt.Sprintf("%s %s: %s", e.Package, e.Test, skipReason(p.output[root], e.Test)))
				if e.Test == root {
					delete(p.output, root)
				}
			case "fail":
				s.failed++
				p.testFailed = true
				s.failures = append(s.failures, e.Package+" "+e.Test)
				if e.Test == root {
					for _, o := range p.output[root] {
						if !strings.HasPrefix(o.text, "=== ") {
							fmt.Fprint(w, o.text)
						}
					}
					delete(p.output, root)
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		return s, err
	}
	if len(s.skips) > 0 {
		fmt.Fprintf(w, "\nSKIPPED: %d tests did not run:\n", len(s.skips))
		for _, k := range s.skips {
			fmt.Fprintf(w, "  SKIP %s\n", k)
		}
	}
	if len(s.failures) > 0 {
		slices.Sort(s.failures)
		fmt.Fprintf(w, "\nFAILED:\n")
		for _, f := range s.failures {
			fmt.Fprintf(w, "  FAIL %s\n", f)
		}
	}
	fmt.Fprintf(w, "tests: %d passed, %d failed, %d skipped\n", s.passed, s.failed, s.skipped)
	return s, nil
}

// skipReason is what the skipped test said: its own output lines but the
// "=== RUN" and "--- SKIP" ones.
func skipReason(output []outLine, test string) string {
	var said []string
	for _, o := range output {
		t := strings.TrimSpace(o.text)
		if o.test != test || t == "" || strings.HasPrefix(t, "=== ") || strings.HasPrefix(t, "--- ") {
			continue
		}
		said = append(said, t)
	}
	if len(said) == 0 {
		return "(no reason given)"
	}
	return strings.Join(said, "; ")
}
