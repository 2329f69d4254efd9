package mankowska_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/bench/mankowska"
)

// tinyPath is the hand-made instance most tests use: three patients (one
// single, one simultaneous, one sequential), three caregivers, three
// services, on a line through the depot.
const tinyPath = "testdata/tiny.txt"

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
func readTiny(t testing.TB) *mankowska.Instance {
	t.Helper()
	in, err := mankowska.ReadFile(tinyPath)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// withLines returns text with its 1-based lines replaced as given; an empty
// replacement deletes the line's content.
func withLines(text string, repl map[int]string) string {
	lines := strings.Split(text, "\n")
	for n, s := range repl {
		lines[n-1] = s
	}
	return strings.Join(lines, "\n")
}

func TestReadTiny(t *testing.T) {
	got := readTiny(t)
	ten := []float64{10, 10, 10}
	twelve := []float64{12, 12, 12}
	want := &mankowska.Instance{
		Name:        "tiny",
		NumServices: 3,
		Depot: mankowska.Depot{
			Start: mankowska.Window{Earliest: 0, Latest: 600},
			End:   mankowska.Window{Earliest: 0, Latest: 1000},
		},
		Patients: []mankowska.Patient{
			{
				Node: 1, Y: 5, Window: mankowska.Window{Latest: 100},
				Services: []mankowska.Requirement{{Service: 0, Duration: []float64{10, 11, 10}}},
				Kind:     mankowska.Single,
			},
			{
				Node: 2, Y: 10, Window: mankowska.Window{Earliest: 10, Latest: 50},
				Services: []mankowska.Requirement{{Service: 0, Duration: ten}, {Service: 1, Duration: ten}},
				Kind:     mankowska.Simultaneous,
			},
			{
				Node: 3, Y: 20, Window: mankowska.Window{Latest: 200},
				Services: []mankowska.Requirement{{Service: 1, Duration: twelve}, {Service: 2, Duration: twelve}},
				Kind:     mankowska.Sequential, MinGap: 5, MaxGap: 20,
			},
		},
		Caregivers: []mankowska.Caregiver{
			{Index: 0, Qualified: []bool{true, true, false}},
			{Index: 1, Qualified: []bool{true, true, false}},
			{Index: 2, Qualified: []bool{false, true, true}},
		},
		Travel: [][]float64{
			{0, 5, 10, 20, 0},
			{5, 0, 5, 15, 5},
			{10, 5, 0, 10, 10},
			{20, 15, 10, 0, 20},
			{0, 5, 10, 20, 0},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReadFile(%s):\ngot  %+v\nwant %+v", tinyPath, got, want)
	}
	if got.NumNodes() != 5 || got.EndNode() != 4 || got.Horizon() != 1000 {
		t.Errorf("NumNodes %d, EndNode %d, Horizon %g; want 5, 4, 1000", got.NumNodes(), got.EndNode(), got.Horizon())
	}
	if r, ok := got.Requirement(3, 2); !ok || r.Service != 2 {
		t.Errorf("Requirement(3, 2) = %v, %v; want service 2", r, ok)
	}
	for _, c := range []struct{ node, s int }{{3, 0}, {0, 0}, {4, 0}} {
		if _, ok := got.Requirement(c.node, c.s); ok {
			t.Errorf("Requirement(%d, %d) found, want none", c.node, c.s)
		}
	}
}

func TestReadLayout(t *testing.T) {
	base := readTiny(t)
	text := tinyText(t)
	tests := []struct {
		name string
		text string
	}{
		{"crlf", strings.ReplaceAll(text, "\n", "\r\n")},
		{"tabs and blank lines", strings.ReplaceAll(strings.ReplaceAll(text, " ", "\t "), "\n", "\n\n  \n")},
		{"no final newline", strings.TrimSuffix(text, "\n")},
		{"vector over two lines", withLines(text, map[int]string{52: "600 100\n50 200 1000"})},
		{"integers written as floats", withLines(text, map[int]string{2: "5.0", 14: "3.0 4e0"})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := mankowska.Read(strings.NewReader(tc.text), "x/tiny.txt")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, base) {
				t.Errorf("got %+v, want %+v", got, base)
			}
		})
	}
}

// failingReader fails every read.
type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestReadErrors(t *testing.T) {
	text := tinyText(t)
	tests := []struct {
		name string
		text string
		want string // the whole error message after "mankowska: "
	}{
		{"empty", "", "in.txt: missing section(s) nbNodes, nbVehi, nbServi, r, DS, a, x, y, d, p, mind, maxd, e, l"},
		{"missing section", withLines(text, map[int]string{49: "", 50: ""}), "in.txt: missing section(s) e"},
		{"numbers first", "1 2\n" + text, "in.txt:1: numbers before the first section keyword"},
		{"unknown section", withLines(text, map[int]string{19: "X"}), `in.txt:19: unknown section "X"`},
		{"repeated section", withLines(text, map[int]string{21: "x"}), "in.txt:21: section x: repeated (first at line 19)"},
		{"keyword with value", withLines(text, map[int]string{1: "nbNodes 5", 2: ""}), `in.txt:1: section nbNodes: keyword must stand alone on its line, found "5" after it`},
		{"bad number", withLines(text, map[int]string{25: "5.0 0.0 five 15.0 5.0"}), `in.txt:25: section d: value 3: "five" is not a number`},
		{"nan", withLines(text, map[int]string{25: "5.0 0.0 NaN 15.0 5.0"}), `in.txt:25: section d: value 3: "NaN" is not a finite number`},
		{"infinity", withLines(text, map[int]string{22: "0 5 10 20 Inf"}), `in.txt:22: section y: value 5: "Inf" is not a finite number`},
		{"out of range", withLines(text, map[int]string{22: "0 5 10 20 1e999"}), `in.txt:22: section y: value 5: "1e999" is out of range`},
		{"fractional count", withLines(text, map[int]string{2: "4.5"}), "in.txt:2: section nbNodes: want an integer from 2 to 16777216, got 4.5"},
		{"zero caregivers", withLines(text, map[int]string{4: "0"}), "in.txt:4: section nbVehi: want an integer from 1 to 16777216, got 0"},
		{"huge count", withLines(text, map[int]string{6: "1e12"}), "in.txt:6: section nbServi: want an integer from 1 to 16777216, got 1e+12"},
		{"two counts", withLines(text, map[int]string{2: "5 5"}), "in.txt:1: section nbNodes: want one integer"},
		{"short r row", withLines(text, map[int]string{10: "1 1"}), "in.txt:10: section r: row 3: want 3 values, got 2"},
		{"r rows", withLines(text, map[int]string{12: ""}), "in.txt:7: section r: want 5 rows of 3 values, got 4 rows"},
		{"r not binary", withLines(text, map[int]string{9: "2 0 0"}), "in.txt:9: section r: row 2, column 1: want 0 or 1, got 2"},
		{"a not binary", withLines(text, map[int]string{17: "1 0.5 0"}), "in.txt:17: section a: row 2, column 2: want 0 or 1, got 0.5"},
		{"x count", withLines(text, map[int]string{20: "0 0 0 0"}), "in.txt:19: section x: want 5 values, got 4"},
		{"d rows", withLines(text, map[int]string{28: ""}), "in.txt:23: section d: want 5 rows of 5 values, got 4 rows"},
		{"negative distance", withLines(text, map[int]string{26: "10.0 5.0 0.0 -1 10.0"}), "in.txt:26: section d: row 3, column 4: negative distance -1"},
		{"p rows", withLines(text, map[int]string{44: ""}), "in.txt:29: section p: want 15 rows of 3 values, got 14 rows"},
		{"negative processing", withLines(text, map[int]string{35: "10.0 -10 10.0"}), "in.txt:35: section p: row 6, column 2: negative processing time -10"},
		{"mind count", withLines(text, map[int]string{46: "0 7 0 5"}), "in.txt:45: section mind: want 5 values, got 4"},
		{"window reversed", withLines(text, map[int]string{50: "0 0 60 0 0"}), "in.txt:52: section l: node 2: latest start 50 before earliest start 60"},
		{"DS below range", withLines(text, map[int]string{14: "1 4"}), "in.txt:14: section DS: value 1: want a 1-based patient node from 2 to 4, got 1"},
		{"DS above range", withLines(text, map[int]string{14: "3 5"}), "in.txt:14: section DS: value 2: want a 1-based patient node from 2 to 4, got 5"},
		{"DS fractional", withLines(text, map[int]string{14: "3 3.5"}), "in.txt:14: section DS: value 2: want a 1-based patient node from 2 to 4, got 3.5"},
		{"DS repeated", withLines(text, map[int]string{14: "3 4 3"}), "in.txt:14: section DS: value 3: node 3 listed twice"},
		{"DS lists single", withLines(text, map[int]string{14: "2 3 4"}), "in.txt:14: section DS: node 2 (patient node 1) is listed but requires one service"},
		{"double not in DS", withLines(text, map[int]string{14: "4"}), "in.txt:10: section r: patient node 2 requires two services but is not listed in DS (as 3)"},
		{"no service", withLines(text, map[int]string{9: "0 0 0"}), "in.txt:9: section r: patient node 1 requires no service"},
		{"three services", withLines(text, map[int]string{11: "1 1 1"}), "in.txt:11: section r: patient node 3 requires 3 services, at most 2 allowed"},
		{"gap reversed", withLines(text, map[int]string{48: "0 3 0 4 0"}), "in.txt:48: section maxd: patient node 3: maximum gap 4 below minimum gap 5"},
		{"negative gap", withLines(text, map[int]string{46: "0 7 0 -5 0"}), "in.txt:46: section mind: patient node 3: negative minimum gap -5"},
		{"line too long", withLines(text, map[int]string{20: strings.Repeat("0 ", 9<<20)}), "in.txt:20: section x: line longer than 16777216 bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in, err := mankowska.Read(strings.NewReader(tc.text), "in.txt")
			if err == nil {
				t.Fatalf("no error, read %+v", in)
			}
			var pe *mankowska.ParseError
			if !errors.As(err, &pe) {
				t.Errorf("error %T, want *ParseError", err)
			}
			if got := strings.TrimPrefix(err.Error(), "mankowska: "); got != tc.want {
				t.Errorf("error\n  %s\nwant\n  %s", got, tc.want)
			}
		})
	}
}

func TestReadInputErrors(t *testing.T) {
	tests := []struct {
		name string
		read func() error
		want string
	}{
		{"nil reader", func() error { _, err := mankowska.Read(nil, "in.txt"); return err }, "mankowska: in.txt: no input"},
		{"failing reader", func() error { _, err := mankowska.Read(failingReader{}, "in.txt"); return err }, "mankowska: in.txt: reading: disk on fire"},
		{"missing file", func() error {
			_, err := mankowska.ReadFile(filepath.Join(t.TempDir(), "none.txt"))
			return err
		}, "none.txt: no such file or directory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.read()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestKindString(t *testing.T) {
	tests := []struct {
		k    mankowska.Kind
		want string
	}{
		{mankowska.Single, "single"},
		{mankowska.Simultaneous, "simultaneous"},
		{mankowska.Sequential, "sequential"},
		{mankowska.Kind(7), "Kind(7)"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			if got := tc.k.String(); got != tc.want {
				t.Errorf("String() = %q, want %q", got, tc.want)
			}
		})
	}
}
