package convrp

import (
	"errors"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"
)

// tinyPath is the hand-made instance most tests use: four customers on a
// 3-4-5 grid around the depot, three days.
const tinyPath = "testdata/tiny.vrp"

// tinyText returns the text of the tiny instance.
func tinyText(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(tinyPath)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// readTiny reads the tiny instance.
func readTiny(t testing.TB) *Instance {
	t.Helper()
	in, err := ReadFile(tinyPath)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// withLines returns text with its 1-based lines replaced as given.
func withLines(text string, repl map[int]string) string {
	lines := strings.Split(text, "\n")
	for n, s := range repl {
		lines[n-1] = s
	}
	return strings.Join(lines, "\n")
}

func TestReadTiny(t *testing.T) {
	got := readTiny(t)
	want := &Instance{
		Name: "tiny", Title: "TINY", Comment: "hand-made, distances 3-4-5",
		Days: 3, Capacity: 10, MaxDuration: 30,
		Customers: []Customer{
			{ID: 1, At: Point{3, 4}, Demand: []float64{2, 2, 2}, Service: []float64{1, 1, 1}},
			{ID: 2, At: Point{3, 0}, Demand: []float64{3, -1, 3}, Service: []float64{1, 1, 2}},
			{ID: 3, At: Point{0, 4}, Demand: []float64{-1, 4, 4}, Service: []float64{1, 1, 1}},
			{ID: 4, At: Point{0, -4}, Demand: []float64{5, -1, -1}, Service: []float64{1, 1, 1}},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	if !got.DurationLimited() {
		t.Error("DurationLimited() = false for D = 30")
	}
	if v := got.Visits(); v != 8 {
		t.Errorf("Visits() = %d, want 8", v)
	}
	if d := got.Customers[2].Days(); !reflect.DeepEqual(d, []int{1, 2}) {
		t.Errorf("customer 3 Days() = %v, want [1 2]", d)
	}
	for _, c := range []struct {
		a, b int
		want float64
	}{{0, 1, 5}, {1, 2, 4}, {1, 3, 3}, {2, 3, 5}, {2, 4, 5}, {4, 0, 4}, {2, 2, 0}} {
		if d := got.Dist(c.a, c.b); d != c.want {
			t.Errorf("Dist(%d, %d) = %v, want %v", c.a, c.b, d, c.want)
		}
	}
}

func TestReadVariants(t *testing.T) {
	text := tinyText(t)
	for _, tc := range []struct {
		name  string
		text  string
		check func(*Instance) bool
	}{
		{"CRLF line ends", strings.ReplaceAll(text, "\n", "\r\n"), func(in *Instance) bool { return len(in.Customers) == 4 }},
		{"rows in any order", withLines(text, map[int]string{17: "4 5 -1 -1", 20: "1 2 2 2"}), func(in *Instance) bool { return in.Customers[0].Demand[0] == 2 && in.Customers[3].Demand[0] == 5 }},
		{"no EOF line", withLines(text, map[int]string{29: ""}), func(in *Instance) bool { return len(in.Customers) == 4 }},
		{"unlimited duration", withLines(text, map[int]string{7: "DISTANCE: 9999999"}), func(in *Instance) bool { return !in.DurationLimited() }},
		{"optional keys left out", withLines(text, map[int]string{1: "", 2: "", 3: "", 8: "", 9: "", 10: ""}), func(in *Instance) bool { return in.Title == "" }},
		{"customer never visited", withLines(text, map[int]string{20: "4 -1 -1 -1"}), func(in *Instance) bool { return in.Customers[3].Days() == nil && in.Visits() == 7 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, err := Read(strings.NewReader(tc.text), "x.vrp")
			if err != nil {
				t.Fatal(err)
			}
			if !tc.check(in) {
				t.Errorf("unexpected instance %+v", in)
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	text := tinyText(t)
	for _, tc := range []struct {
		name  string
		text  string
		line  int
		field string
		want  string
	}{
		{"empty", "", 0, "", "ends before the end of the NODE_COORD_SECTION"},
		{"unknown key", withLines(text, map[int]string{3: "SERVICE_TIME: 1"}), 3, "SERVICE_TIME", "unknown header key"},
		{"not a header line", withLines(text, map[int]string{3: "hello"}), 3, "header", "want KEY: value"},
		{"repeated key", withLines(text, map[int]string{3: "CAPACITY: 5"}), 6, "CAPACITY", "repeated (first at line 3)"},
		{"missing capacity", withLines(text, map[int]string{6: ""}), 11, "header", "missing CAPACITY"},
		{"rounded distances", withLines(text, map[int]string{9: "EDGE_WEIGHT_FORMAT: CEIL_2D"}), 9, "EDGE_WEIGHT_FORMAT", "not supported"},
		{"dimension not a number", withLines(text, map[int]string{4: "DIMENSION: five"}), 4, "DIMENSION", "want an integer from 2"},
		{"no customers", withLines(text, map[int]string{4: "DIMENSION: 1"}), 4, "DIMENSION", "want an integer from 2"},
		{"zero days", withLines(text, map[int]string{5: "NUM_DAYS: 0"}), 5, "NUM_DAYS", "want an integer from 1"},
		{"negative capacity", withLines(text, map[int]string{6: "CAPACITY: -3"}), 6, "CAPACITY", "finite number ≥ 0"},
		{"infinite duration", withLines(text, map[int]string{7: "DISTANCE: Inf"}), 7, "DISTANCE", "finite number ≥ 0"},
		{"section out of order", withLines(text, map[int]string{16: "SVC_TIME_SECTION"}), 16, "SVC_TIME_SECTION", "out of place: want DEMAND_SECTION"},
		{"keyword with text", withLines(text, map[int]string{16: "DEMAND_SECTION 1"}), 16, "DEMAND_SECTION", "stand alone"},
		{"customer id out of range", withLines(text, map[int]string{15: "5 0 -4"}), 15, "NODE_COORD_SECTION", "customer id from 1 to 4"},
		{"customer id zero", withLines(text, map[int]string{15: "0 0 -4"}), 15, "NODE_COORD_SECTION", "customer id from 1 to 4"},
		{"customer repeated", withLines(text, map[int]string{15: "3 0 -4"}), 15, "NODE_COORD_SECTION customer 3", "repeated (first at line 14)"},
		{"coordinate not a number", withLines(text, map[int]string{13: "2 3.0 zero"}), 13, "NODE_COORD_SECTION customer 2 y", "not a finite number"},
		{"coordinate NaN", withLines(text, map[int]string{13: "2 NaN 0"}), 13, "NODE_COORD_SECTION customer 2 x", "not a finite number"},
		{"too few coordinates", withLines(text, map[int]string{13: "2 3.0"}), 13, "NODE_COORD_SECTION customer 2", "want 2 values (x y), got 1"},
		{"row missing", withLines(text, map[int]string{15: ""}), 16, "NODE_COORD_SECTION", "want 4 rows, one per customer, got 3"},
		{"too few days", withLines(text, map[int]string{18: "2 3 -1"}), 18, "DEMAND_SECTION customer 2", "want 3 values (day 1 day 2 day 3), got 2"},
		{"too many days", withLines(text, map[int]string{24: "3 1 1 1 1"}), 24, "SVC_TIME_SECTION customer 3", "want 3 values"},
		{"negative demand", withLines(text, map[int]string{18: "2 3 -2 3"}), 18, "DEMAND_SECTION customer 2 day 2", "negative demand -2"},
		{"demand above capacity", withLines(text, map[int]string{20: "4 11 -1 -1"}), 20, "DEMAND_SECTION customer 4 day 1", "exceeds the capacity 10"},
		{"negative service", withLines(text, map[int]string{23: "2 1 -1 2"}), 23, "SVC_TIME_SECTION customer 2 day 2", "negative service time"},
		{"service rows missing", withLines(text, map[int]string{24: "", 25: ""}), 26, "SVC_TIME_SECTION", "want 4 rows, one per customer, got 2"},
		{"depot missing", withLines(text, map[int]string{27: ""}), 28, "DEPOT_SECTION", "want one depot"},
		{"two depots", withLines(text, map[int]string{28: "1 1"}), 28, "DEPOT_SECTION", "more than one depot"},
		{"depot not a number", withLines(text, map[int]string{27: "0. y"}), 27, "DEPOT_SECTION depot y", "not a finite number"},
		{"no terminating -1", withLines(text, map[int]string{28: ""}), 29, "EOF", "before the end of the DEPOT_SECTION"},
		{"text after -1", withLines(text, map[int]string{29: "0 0"}), 29, "DEPOT_SECTION", "want EOF after the terminating -1"},
		{"text after EOF", text + "1 2 3\n", 30, "EOF", "text after EOF"},
		{"ends in the demands", strings.Join(strings.Split(text, "\n")[:19], "\n"), 0, "", "ends before the end of the SVC_TIME_SECTION"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.text), "bad.vrp")
			if err == nil {
				t.Fatal("no error")
			}
			wantParseError(t, err, "bad.vrp", tc.line, tc.field, tc.want)
			if !strings.HasPrefix(err.Error(), "convrp: bad.vrp") {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}

func TestReadNilAndMissingFile(t *testing.T) {
	if _, err := Read(nil, "none"); err == nil || !strings.Contains(err.Error(), "no input") {
		t.Errorf("Read(nil) error %v, want no input", err)
	}
	if _, err := ReadFile("testdata/absent.vrp"); err == nil || !strings.Contains(err.Error(), "absent.vrp") {
		t.Errorf("ReadFile of a missing file: error %v, want one naming it", err)
	}
}

func TestReadOptima(t *testing.T) {
	in, err := ReadOptimaFile("testdata/optima.csv")
	if err != nil {
		t.Fatal(err)
	}
	inf := math.Inf(1)
	want := []Optimum{
		{Instance: "tiny", L: inf, Distance: 48, Vehicles: 2},
		{Instance: "tiny", L: 5, Distance: 48, Vehicles: 2},
		{Instance: "tiny", L: 2.5, Distance: 50.5, Vehicles: -1},
		{Instance: "other", L: inf, Distance: 10, Vehicles: 1},
	}
	if !reflect.DeepEqual(in, want) {
		t.Errorf("got %+v\nwant %+v", in, want)
	}
}

func TestReadOptimaErrors(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		line       int
		field      string
		want       string
	}{
		{"empty", "", 1, "header", "empty file"},
		{"no instance column", "name,optimum_L5\n", 1, "header", "missing column \"instance\""},
		{"no optimum column", "instance,vehicles_L5\n", 1, "header", "no optimum_L"},
		{"bad L", "instance,optimum_Lx\n", 1, "optimum_Lx", "want optimum_L<number>"},
		{"repeated column", "instance,optimum_L5,optimum_L5\n", 1, "optimum_L5", "column repeated"},
		{"bad value", "instance,optimum_L5\na,1\nb,abc\n", 3, "optimum_L5", "want a finite number"},
		{"negative value", "instance,optimum_L5\na,-1\n", 2, "optimum_L5", "want a finite number"},
		{"bad vehicles", "instance,optimum_L5,vehicles_L5\na,1,0\n", 2, "vehicles_L5", "positive integer"},
		{"repeated instance", "instance,optimum_L5\na,1\na,2\n", 3, "instance", "repeated (first at line 2)"},
		{"empty instance", "instance,optimum_L5\n,1\n", 2, "instance", "empty"},
		{"short row", "instance,optimum_L5\na\n", 2, "", "wrong number of fields"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadOptima(strings.NewReader(tc.text), "opt.csv")
			wantParseError(t, err, "opt.csv", tc.line, tc.field, tc.want)
		})
	}
}

// wantParseError fails the test unless err is a *ParseError at path, line
// and field whose problem contains want.
func wantParseError(t *testing.T, err error, path string, line int, field, want string) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T) is not a *ParseError", err, err)
	}
	if pe.Path != path || pe.Line != line || pe.Field != field || !strings.Contains(pe.Err.Error(), want) {
		t.Errorf("got %q (line %d, field %q), want line %d, field %q, containing %q", err, pe.Line, pe.Field, line, field, want)
	}
}
