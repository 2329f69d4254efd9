package solomon

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

// FuzzRead checks that Read never panics, that its errors name the input,
// and that what it accepts keeps the Instance invariants and can be
// evaluated.
func FuzzRead(f *testing.F) {
	base := tinyText(f)
	f.Add(base)
	f.Add(strings.ReplaceAll(base, "\n", "\r\n"))
	f.Add(base[:len(base)/2])
	f.Add(strings.Replace(base, "20          2\n", "20\n", 1))
	f.Add(strings.Replace(base, "    0 ", "    7 ", 1))
	f.Add(strings.Replace(base, "    3       1 ", "    2       1 ", 1))
	f.Add(strings.Replace(base, "   2          20", "   1          1e308", 1))
	f.Add(strings.Replace(base, "3          4         10", "1e200      -1e200     10", 1))
	for _, s := range []string{"", "\ufeff", "VEHICLE\n1 1\nCUSTOMER\n0 0 0 0 0 0 0\n", "C\nVEHICLE\nCUSTOMER\n", "x\nvehicle\n1 2\ncustomer\n1 0 0 0 0 0 0\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		in, err := Read(strings.NewReader(text), "fuzz.txt")
		if err != nil {
			if in != nil {
				t.Fatal("an instance was returned with an error")
			}
			if !strings.HasPrefix(err.Error(), "solomon: fuzz.txt") {
				t.Fatalf("error %q does not name the input", err)
			}
			return
		}
		if len(in.Customers) == 0 || in.Vehicles <= 0 || in.Capacity <= 0 || in.Name == "" {
			t.Fatalf("accepted a degenerate instance: %+v", in)
		}
		routes := make([][]int, 0, len(in.Customers))
		for i, c := range in.Customers {
			if c.ID != i {
				t.Fatalf("Customers[%d].ID = %d", i, c.ID)
			}
			if c.Demand < 0 || c.Service < 0 || c.Ready > c.Due {
				t.Fatalf("accepted customer %+v", c)
			}
			for _, dimacs := range []bool{false, true} {
				if d := in.Dist(0, i, dimacs); math.IsNaN(d) || d < 0 {
					t.Fatalf("Dist(0, %d, %v) = %v", i, dimacs, d)
				}
			}
			if i > 0 {
				routes = append(routes, []int{i})
			}
		}
		for _, dimacs := range []bool{false, true} {
			res, err := Evaluate(in, Solution{Routes: routes}, dimacs)
			if err != nil {
				t.Fatalf("Evaluate: %v", err)
			}
			if res.Vehicles != len(routes) || math.IsNaN(res.Distance) {
				t.Fatalf("Evaluate(one route per customer) = %+v", res)
			}
		}
	})
}

// FuzzReadSol checks that ReadSol never panics and that what it accepts
// survives WriteSol and ReadSol unchanged.
func FuzzReadSol(f *testing.F) {
	for _, s := range []string{
		"Route #1: 1 2\nRoute #2: 3 4\nCost 27.2\n",
		"Route #1: 5 3 7 \r\nRoute #2: 13\r\nCost 827.3\r\n",
		"route #1:\nCOST: 0\n",
		"Route #1: 0\nCost 1\n",
		"Route #x: 1\nCost 1\n",
		"Cost 1\nCost 2\n",
		"Route 1: 2\n",
		"Cost NaN\n",
		"Cost -1e400\n",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s, cost, err := ReadSol(strings.NewReader(text), "fuzz.sol")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "solomon: fuzz.sol") {
				t.Fatalf("error %q does not name the input", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := WriteSol(&buf, s, cost); err != nil {
			t.Fatalf("WriteSol of what ReadSol accepted: %v", err)
		}
		s2, cost2, err := ReadSol(&buf, "again.sol")
		if err != nil {
			t.Fatalf("ReadSol of what WriteSol wrote: %v\n%s", err, buf.String())
		}
		if !sameSolution(s, s2) || cost != cost2 {
			t.Fatalf("round trip changed %v %v into %v %v", s, cost, s2, cost2)
		}
	})
}

// sameSolution reports whether a and b hold the same routes, taking a nil
// route to equal an empty one.
func sameSolution(a, b Solution) bool {
	if len(a.Routes) != len(b.Routes) {
		return false
	}
	for i := range a.Routes {
		if len(a.Routes[i]) != len(b.Routes[i]) {
			return false
		}
		for k := range a.Routes[i] {
			if a.Routes[i][k] != b.Routes[i][k] {
				return false
			}
		}
	}
	return true
}
