package engine

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestToInt32 checks rounding to the nearest whole second or metre and the
// values refused rather than wrapped or truncated.
func TestToInt32(t *testing.T) {
	tests := []struct {
		in      float64
		want    int32
		wantErr bool
	}{
		{in: 0, want: 0},
		{in: 0.49, want: 0},
		{in: 0.5, want: 1},
		{in: 2869.9999999999995, want: 2870}, // 2.870 km × 1000
		{in: math.MaxInt32, want: math.MaxInt32},
		{in: math.MaxInt32 + 0.4, want: math.MaxInt32},
		{in: math.MaxInt32 + 0.5, wantErr: true},
		{in: 1e12, wantErr: true},
		{in: -0.2, wantErr: true},
		{in: -1, wantErr: true},
		{in: math.NaN(), wantErr: true},
		{in: math.Inf(1), wantErr: true},
		{in: math.Inf(-1), wantErr: true},
	}
	for _, tt := range tests {
		got, err := toInt32(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("toInt32(%v) = %d, %v; want %d, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

// TestBadValues checks that an answer with a value no leg can take fails
// rather than giving a wrong matrix.
func TestBadValues(t *testing.T) {
	tests := []struct {
		name string
		body string
	}{
		{"negative duration", `{"code":"Ok","durations":[[0,-5]],"distances":[[0,10]]}`},
		{"huge distance", `{"code":"Ok","durations":[[0,5]],"distances":[[0,1e10]]}`},
		{"string", `{"code":"Ok","durations":[[0,"5"]],"distances":[[0,10]]}`},
		{"no distances", `{"code":"Ok","durations":[[0,5]]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := decodeOSRM(200, []byte(tt.body), 1, 2)
			if err == nil {
				_, _, err = place(g, block{0, 1, 0, 2}, 2, make([]int32, 2), make([]int32, 2))
			}
			if err == nil {
				t.Fatal("no error")
			}
		})
	}
}

// TestEngineErrorMessage checks the status, code and message are all given.
func TestEngineErrorMessage(t *testing.T) {
	tests := []struct {
		err  EngineError
		want string
	}{
		{EngineError{StatusCode: 400, Code: "TooBig", Message: "Too many table coordinates"}, "HTTP 400 TooBig: Too many table coordinates"},
		{EngineError{StatusCode: 503}, "HTTP 503"},
		{EngineError{StatusCode: 502, Message: "Bad Gateway"}, "HTTP 502: Bad Gateway"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

// TestSnippet checks that a long or multi-line answer is cut to one short
// line.
func TestSnippet(t *testing.T) {
	got := snippet([]byte("<html>\n  <body>" + strings.Repeat("x", 500) + "</body>\n</html>"))
	if strings.ContainsAny(got, "\n") || len(got) > 210 || !strings.HasPrefix(got, "<html> <body>xxx") {
		t.Errorf("snippet = %q", got)
	}
}

// fuzzDecoder runs a decoder on the recorded answers and on mutations of
// them: it must never panic, and whatever it accepts must have the asked
// shape.
func fuzzDecoder(f *testing.F, prefix string, decode func(status int, body []byte, rows, cols int) (grid, error)) {
	names, err := filepath.Glob(filepath.Join("testdata", prefix+"*.json"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(200, b, 3, 3)
		f.Add(400, b, 2, 1)
	}
	f.Fuzz(func(t *testing.T, status int, body []byte, rows, cols int) {
		if rows < 0 || cols < 0 || rows > 50 || cols > 50 {
			return
		}
		g, err := decode(status, body, rows, cols)
		if err == nil && (len(g.durS) != rows*cols || len(g.distM) != rows*cols) {
			t.Fatalf("accepted %d durations and %d distances for %d×%d", len(g.durS), len(g.distM), rows, cols)
		}
	})
}

func FuzzDecodeOSRM(f *testing.F)        { fuzzDecoder(f, "osrm_", decodeOSRM) }
func FuzzDecodeValhalla(f *testing.F)    { fuzzDecoder(f, "valhalla_", decodeValhalla) }
func FuzzDecodeGraphHopper(f *testing.F) { fuzzDecoder(f, "graphhopper_", decodeGraphHopper) }
