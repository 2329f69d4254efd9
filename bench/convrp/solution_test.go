package convrp

import (
	"bytes"
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestReadSolutionTiny(t *testing.T) {
	got, err := ReadSolutionFile("testdata/tiny.sol")
	if err != nil {
		t.Fatal(err)
	}
	want := tinySolution()
	want.Comments = []string{"hand-made solution of tiny.vrp: distance 48"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	text, err := os.ReadFile("testdata/tiny.sol")
	if err != nil {
		t.Fatal(err)
	}
	crlf, err := ReadSolution(strings.NewReader(strings.ReplaceAll(string(text), "\n", "\r\n")), "crlf.sol")
	if err != nil || !reflect.DeepEqual(crlf, want) {
		t.Errorf("with CRLF line ends: %+v, %v", crlf, err)
	}
}

func TestWriteSolutionRoundTrip(t *testing.T) {
	text, err := os.ReadFile("testdata/tiny.sol")
	if err != nil {
		t.Fatal(err)
	}
	s := tinySolution()
	s.Comments = []string{"hand-made solution of tiny.vrp: distance 48"}
	// Given out of order, the routes are written by day and driver.
	s.Routes[0], s.Routes[3] = s.Routes[3], s.Routes[0]
	var b bytes.Buffer
	if err := WriteSolution(&b, s); err != nil {
		t.Fatal(err)
	}
	if b.String() != string(text) {
		t.Errorf("wrote\n%s\nwant\n%s", b.String(), text)
	}
	back, err := ReadSolution(&b, "round trip")
	if err != nil {
		t.Fatal(err)
	}
	in := readTiny(t)
	r1, err1 := Evaluate(in, s, 5)
	r2, err2 := Evaluate(in, back, 5)
	if err1 != nil || err2 != nil || r1.Distance != r2.Distance || !reflect.DeepEqual(r1.Violations, r2.Violations) {
		t.Errorf("evaluations differ after a round trip: %v %v / %v %v", r1.Distance, err1, r2.Distance, err2)
	}
}

func TestWriteSolutionEmptyRoute(t *testing.T) {
	var b bytes.Buffer
	s := &Solution{Routes: []Route{{Day: 1, Driver: 4}}}
	if err := WriteSolution(&b, s); err != nil {
		t.Fatal(err)
	}
	if b.String() != "day 2\ndriver 4:\n" {
		t.Errorf("wrote %q", b.String())
	}
	back, err := ReadSolution(&b, "x")
	if err != nil || !reflect.DeepEqual(back, s) {
		t.Errorf("read back %+v, %v; want %+v", back, err, s)
	}
}

func TestWriteSolutionErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    *Solution
		want string
	}{
		{"nil", nil, "nil solution"},
		{"comment with a newline", &Solution{Comments: []string{"a\nb"}}, "spans lines"},
		{"instance of two words", &Solution{Instance: "a b"}, "must be one word"},
		{"negative day", &Solution{Routes: []Route{{Day: -1, Driver: 1}}}, "want a day ≥ 0"},
		{"driver zero", &Solution{Routes: []Route{{Day: 0, Driver: 0}}}, "a driver ≥ 1"},
		{"two routes", &Solution{Routes: []Route{{Day: 0, Driver: 2}, {Day: 0, Driver: 2}}}, "driver 2 has two routes on day 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := WriteSolution(&bytes.Buffer{}, tc.s)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestReadSolutionErrors(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		line       int
		field      string
		want       string
	}{
		{"unknown line", "route 1 2\n", 1, "", "want \"instance NAME\""},
		{"driver before a day", "driver 1: 2\n", 1, "driver 1", "before the first"},
		{"no colon", "day 1\ndriver 1 2 3\n", 2, "driver", "want \"driver K: c1 c2 ...\""},
		{"driver zero", "day 1\ndriver 0: 1\n", 2, "driver", "want an integer from 1"},
		{"day zero", "day 0\n", 1, "day", "want an integer from 1"},
		{"day not a number", "day one\n", 1, "day", "\"one\""},
		{"day repeated", "day 1\nday 2\nday 1\n", 3, "day 1", "repeated (first at line 1)"},
		{"driver repeated on a day", "day 1\ndriver 1: 1\ndriver 1: 2\n", 3, "day 1 driver 1", "repeated on the same day (first at line 2)"},
		{"bad customer", "day 2\ndriver 3: 1 x 2\n", 2, "day 2 driver 3 stop 2", "customer: want an integer from 1"},
		{"negative customer", "day 2\ndriver 3: -1\n", 2, "day 2 driver 3 stop 1", "customer: want an integer from 1"},
		{"instance after a day", "day 1\ninstance a\n", 2, "instance", "before the first day"},
		{"instance repeated", "instance a\ninstance b\n", 2, "instance", "repeated"},
		{"instance of two words", "instance a b\n", 1, "instance", "want one word"},
		{"lone carriage return", "#\r0\n", 1, "", "carriage return inside a line"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadSolution(strings.NewReader(tc.text), "bad.sol")
			wantParseError(t, err, "bad.sol", tc.line, tc.field, tc.want)
		})
	}
}

func TestReadSolutionDriverSameNumberOtherDay(t *testing.T) {
	s, err := ReadSolution(strings.NewReader("day 1\ndriver 1: 1\nday 2\ndriver 1: 1\n"), "ok.sol")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Routes) != 2 || s.Routes[1].Day != 1 || s.Routes[1].Driver != 1 {
		t.Errorf("routes %+v", s.Routes)
	}
}
