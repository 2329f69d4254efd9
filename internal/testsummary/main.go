// Command testsummary reads `go test -json` on standard input and writes
// what a person (or CI) needs from it: go test's usual lines (ok, FAIL, the
// output of failed tests, build errors), then every skipped test with its
// reason, every failure, and last a line of the form
//
//	tests: N passed, N failed, N skipped
//
// alone, which CI reads. It exits 1 when anything failed, a package that
// did not build or a test binary that failed outside any test included.
//
//	go test -race -count=1 -json ./... 2>&1 | testsummary
//
// scripts/test builds and runs it so.
package main

import (
	"fmt"
	"os"
)

func main() {
	s, err := summarise(os.Stdin, os.Stdout)
	if err != nil {
		fmt.Fprintf(os.Stderr, "testsummary: %v\n", err)
		os.Exit(2)
	}
	if s.failed > 0 {
		os.Exit(1)
	}
}
