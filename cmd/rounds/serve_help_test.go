package main

import (
	"flag"
	"io"
	"strings"
	"testing"
)

// TestMaxMatrixHelp: --max-matrix-mib's help states the memory budget the
// service keeps for checks and matrix requests in flight, which
// api.BudgetFor makes twice the matrix limit.
func TestMaxMatrixHelp(t *testing.T) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var sf serviceFlags
	sf.register(fs, 1)
	f := fs.Lookup("max-matrix-mib")
	if f == nil {
		t.Fatal("no --max-matrix-mib flag")
	}
	const want = "checks, matrix requests and solve jobs in flight share a memory budget of twice this"
	if !strings.Contains(f.Usage, want) {
		t.Errorf("--max-matrix-mib help %q; want it to say %q", f.Usage, want)
	}
}
