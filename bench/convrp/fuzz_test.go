package convrp

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// FuzzRead checks that Read never panics and that what it accepts is
// consistent: one customer per ID, per-day slices of the horizon's length.
func FuzzRead(f *testing.F) {
	b, err := os.ReadFile(tinyPath)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(b))
	f.Add(strings.ReplaceAll(string(b), "\n", "\r\n"))
	f.Add("DIMENSION: 2\nNUM_DAYS: 1\nCAPACITY: 1\nDISTANCE: 1\nNODE_COORD_SECTION\n1 0 0\nDEMAND_SECTION\n1 -1\nSVC_TIME_SECTION\n1 0\nDEPOT_SECTION\n0 0\n-1\n")
	f.Fuzz(func(t *testing.T, text string) {
		in, err := Read(strings.NewReader(text), "fuzz.vrp")
		if err != nil {
			return
		}
		for k, c := range in.Customers {
			if c.ID != k+1 || len(c.Demand) != in.Days || len(c.Service) != in.Days {
				t.Fatalf("customer %d: %+v", k+1, c)
			}
		}
	})
}

// FuzzReadSolution checks that ReadSolution never panics and that what it
// accepts writes back to text it reads as the same solution.
func FuzzReadSolution(f *testing.F) {
	b, err := os.ReadFile("testdata/tiny.sol")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(b))
	f.Add("day 1\ndriver 1:\n")
	f.Fuzz(func(t *testing.T, text string) {
		s, err := ReadSolution(strings.NewReader(text), "fuzz.sol")
		if err != nil {
			return
		}
		var w bytes.Buffer
		if err := WriteSolution(&w, s); err != nil {
			t.Fatalf("read %+v but cannot write it: %v", s, err)
		}
		back, err := ReadSolution(&w, "again")
		if err != nil {
			t.Fatalf("cannot read back %q: %v", w.String(), err)
		}
		if len(back.Routes) != len(s.Routes) {
			t.Fatalf("%d routes back, want %d", len(back.Routes), len(s.Routes))
		}
	})
}
