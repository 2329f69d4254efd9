package solomon

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"
)

func TestWriteSol(t *testing.T) {
	var buf bytes.Buffer
	s := Solution{Routes: [][]int{{5, 3, 7}, {13, 17}}}
	if err := WriteSol(&buf, s, 827.3); err != nil {
		t.Fatal(err)
	}
	want := "Route #1: 5 3 7\nRoute #2: 13 17\nCost 827.3\n"
	if got := buf.String(); got != want {
		t.Errorf("WriteSol wrote\n%s\nwant\n%s", got, want)
	}
}

func TestSolRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		s    Solution
		cost float64
	}{
		{"CVRPLIB example", Solution{Routes: [][]int{{5, 3, 7, 8, 10, 11, 9, 6, 4, 2, 1, 75}, {13, 17}}}, 827.3},
		{"exact-distance cost", Solution{Routes: [][]int{{1, 2}, {3, 4}}}, 20 + math.Sqrt2 + math.Sqrt(5) + math.Sqrt(13)},
		{"empty route kept", Solution{Routes: [][]int{{1}, {}, {2}}}, 12},
		{"no routes", Solution{}, 0},
		{"large numbers", Solution{Routes: [][]int{{1000000, 1}}}, 1e21},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteSol(&buf, tc.s, tc.cost); err != nil {
				t.Fatal(err)
			}
			s, cost, err := ReadSol(&buf, "rt.sol")
			if err != nil {
				t.Fatal(err)
			}
			if !sameSolution(s, tc.s) || cost != tc.cost {
				t.Errorf("round trip gave %v, %v; want %v, %v", s.Routes, cost, tc.s.Routes, tc.cost)
			}
		})
	}
}

func TestWriteSolErrors(t *testing.T) {
	tests := []struct {
		name string
		s    Solution
		cost float64
		want string
	}{
		{"NaN cost", Solution{}, math.NaN(), "solomon: writing solution: cost NaN is not finite"},
		{"infinite cost", Solution{}, math.Inf(1), "solomon: writing solution: cost +Inf is not finite"},
		{"depot in a route", Solution{Routes: [][]int{{1}, {2, 0}}}, 1, "solomon: writing solution: route #2, stop 2: 0 is not a customer number (the depot is omitted)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := WriteSol(&bytes.Buffer{}, tc.s, tc.cost)
			if err == nil || err.Error() != tc.want {
				t.Errorf("WriteSol error = %v, want %q", err, tc.want)
			}
		})
	}
	t.Run("failing writer", func(t *testing.T) {
		err := WriteSol(failWriter{}, Solution{Routes: [][]int{{1}}}, 1)
		if !errors.Is(err, errFail) {
			t.Errorf("WriteSol error = %v, want one wrapping %v", err, errFail)
		}
	})
}

var errFail = errors.New("disk full")

// failWriter fails every write.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errFail }

func TestReadSol(t *testing.T) {
	tests := []struct {
		name, text string
		want       [][]int
		cost       float64
	}{
		{"CVRPLIB with trailing spaces", "Route #1: 5 3 7 \nRoute #2: 13 17 \nCost 827.3\n", [][]int{{5, 3, 7}, {13, 17}}, 827.3},
		{"CRLF and blank lines", "\r\nRoute #1: 1 2\r\n\r\nRoute #2: 3 4\r\nCost 27.2\r\n\r\n", [][]int{{1, 2}, {3, 4}}, 27.2},
		{"cost with colon, lower case, cost first", "cost: 5\nroute #1: 1\n", [][]int{{1}}, 5},
		{"labels are not checked", "Route #7: 1\nRoute #3: 2\nCost 1\n", [][]int{{1}, {2}}, 1},
		{"empty route", "Route #1:\nRoute #2: 2\nCost 1\n", [][]int{{}, {2}}, 1},
		{"no final newline", "Route #1: 1\nCost 1", [][]int{{1}}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, cost, err := ReadSol(strings.NewReader(tc.text), "r.sol")
			if err != nil {
				t.Fatal(err)
			}
			if !sameSolution(s, Solution{Routes: tc.want}) || cost != tc.cost {
				t.Errorf("ReadSol = %v, %v; want %v, %v", s.Routes, cost, tc.want, tc.cost)
			}
		})
	}
}

func TestReadSolErrors(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"empty", "", "solomon: r.sol: no Cost line"},
		{"no cost", "Route #1: 1 2\n", "solomon: r.sol: no Cost line"},
		{"two costs", "Cost 1\nRoute #1: 1\nCost 2\n", "solomon: r.sol:3: second Cost line (first on line 1)"},
		{"cost not a number", "Route #1: 1\nCost abc\n", `solomon: r.sol:2: cost "abc" is not a finite number`},
		{"cost NaN", "Cost NaN\n", `solomon: r.sol:1: cost "NaN" is not a finite number`},
		{"cost missing value", "Cost\n", `solomon: r.sol:1: cost "" is not a finite number`},
		{"no hash", "Route 1: 2\nCost 1\n", `solomon: r.sol:1: route line: want "Route #k: c1 c2 ...", got "Route 1: 2"`},
		{"no colon", "Route #1 2 3\nCost 1\n", `solomon: r.sol:1: route line: want "Route #k: c1 c2 ...", got "Route #1 2 3"`},
		{"bad label", "Route #one: 2\nCost 1\n", `solomon: r.sol:1: route label "#one" is not a whole number`},
		{"bad customer", "Route #1: 2 x3\nCost 1\n", `solomon: r.sol:1: route #1: customer "x3" is not a whole number`},
		{"depot written", "Route #1: 0 2 0\nCost 1\n", "solomon: r.sol:1: route #1: 0 is not a customer number (the depot is omitted)"},
		{"negative customer", "Route #1: 2 -3\nCost 1\n", "solomon: r.sol:1: route #1: -3 is not a customer number (the depot is omitted)"},
		{"other line", "Route #1: 1\nTime 12\nCost 1\n", `solomon: r.sol:2: unexpected line "Time 12": want "Route #k: c1 c2 ..." or "Cost <value>"`},
		{"line too long", "Route #1:" + strings.Repeat(" 1", maxLine) + "\nCost 1\n", "solomon: r.sol:1: line longer than"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _, err := ReadSol(strings.NewReader(tc.text), "r.sol")
			if err == nil {
				t.Fatalf("ReadSol succeeded: %v", s.Routes)
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error %q does not start with %q", err, tc.want)
			}
		})
	}
}

func TestReadSolFileMissing(t *testing.T) {
	_, _, err := ReadSolFile("testdata/no-such.sol")
	if err == nil || !strings.Contains(err.Error(), "testdata/no-such.sol") {
		t.Errorf("ReadSolFile(missing) error = %v, want one naming the path", err)
	}
}

// TestTinySol reads testdata/tiny.sol and checks it against tiny.txt under
// the DIMACS convention, as the benchmark-data test does for CVRPLIB.
func TestTinySol(t *testing.T) {
	in := readTiny(t)
	s, cost, err := ReadSolFile("testdata/tiny.sol")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Evaluate(in, s, true)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Feasible() || res.Distance != cost || res.Vehicles != 2 {
		t.Errorf("tiny.sol: %+v, file cost %v", res, cost)
	}
	bks, err := ReadBKS("testdata/bks.csv")
	if err != nil {
		t.Fatal(err)
	}
	if b := bks[in.Name].For(true); b.Distance != res.Distance || b.Vehicles != res.Vehicles {
		t.Errorf("tiny.sol %+v disagrees with bks.csv %+v", res, b)
	}
	exact, err := Evaluate(in, s, false)
	if err != nil {
		t.Fatal(err)
	}
	if b := bks[in.Name].For(false); math.Abs(exact.Distance-b.Distance) > 0.005 {
		t.Errorf("exact distance %v disagrees with bks.csv %v", exact.Distance, b.Distance)
	}
}
