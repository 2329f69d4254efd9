package mankowska_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/bench/mankowska"
)

// FuzzRead feeds Read arbitrary text: it must never panic, every error must
// be a *ParseError naming the input, and every instance it returns must be
// one Evaluate accepts.
func FuzzRead(f *testing.F) {
	text := tinyText(f)
	f.Add(text)
	f.Add("")
	f.Add("nbNodes\n2\nnbVehi\n1\nnbServi\n1\nr\n1\n1\nDS\na\n1\nx\n0 0\ny\n0 0\nd\n0 0\n0 0\np\n0\n0\nmind\n0 0\nmaxd\n0 0\ne\n0 0\nl\n0 0\n")
	f.Add(strings.ReplaceAll(text, "\n", "\r\n"))
	f.Add(withLines(text, map[int]string{14: "3 4 2"}))
	f.Add(withLines(text, map[int]string{2: "4"}))
	f.Add(withLines(text, map[int]string{4: "1e9"}))
	f.Add(withLines(text, map[int]string{46: "0 7 0 -1 0"}))
	f.Fuzz(func(t *testing.T, s string) {
		in, err := mankowska.Read(strings.NewReader(s), "fuzz.txt")
		if err != nil {
			var pe *mankowska.ParseError
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), "fuzz.txt") {
				t.Fatalf("error %v (%T), want a *ParseError naming fuzz.txt", err, err)
			}
			return
		}
		if in.Name != "fuzz" {
			t.Errorf("Name %q, want fuzz", in.Name)
		}
		res, err := mankowska.Evaluate(in, &mankowska.Solution{})
		if err != nil {
			t.Fatalf("Evaluate of an empty solution: %v", err)
		}
		want := 0
		for _, p := range in.Patients {
			want += len(p.Services)
		}
		if len(res.Violations) != want || res.Cost != 0 {
			t.Errorf("empty solution: %d violations, cost %g; want %d and 0", len(res.Violations), res.Cost, want)
		}
	})
}

// FuzzEvaluate feeds ReadSolution and Evaluate arbitrary JSON against the
// tiny instance: neither may panic, and a solution that is read must write
// and read back unchanged.
func FuzzEvaluate(f *testing.F) {
	f.Add(`{"routes": []}`)
	f.Add(`{"routes": [{"caregiver_id": "c1", "locations": [{"patient": "p3", "service": "s2", "arrival_time": -1e308, "departure_time": 1e308}]}]}`)
	f.Add(`{"routes": [{"caregiver_id": "c2", "locations": [{"patient": "p2", "service": "s2", "arrival_time": 20, "departure_time": 30}, {"patient": "p2", "service": "s2", "arrival_time": 20, "departure_time": 30}]}]}`)
	f.Add(`{"routes": [{"caregiver_id": "c9"}]}`)
	in := readTiny(f)
	f.Fuzz(func(t *testing.T, s string) {
		sol, err := mankowska.ReadSolution(strings.NewReader(s))
		if err != nil {
			return
		}
		if _, err := mankowska.Evaluate(in, sol); err != nil && !strings.HasPrefix(err.Error(), "mankowska: evaluate: ") {
			t.Errorf("error %v lacks the package prefix", err)
		}
		var buf bytes.Buffer
		if err := mankowska.WriteSolution(&buf, sol); err != nil {
			t.Fatalf("WriteSolution: %v", err)
		}
		if _, err := mankowska.ReadSolution(&buf); err != nil {
			t.Fatalf("reading back: %v", err)
		}
	})
}
