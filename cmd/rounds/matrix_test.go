package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

// TestMatrixLocations: rounds matrix reads its places as strictly as the
// API reads a /v1/matrix body, in each of the forms it accepts, naming the
// field at fault, and takes a body's mode unless --mode says otherwise.
func TestMatrixLocations(t *testing.T) {
	const (
		a = `{"lat": 53.8676, "lon": -1.9065}`
		b = `{"lat": 53.8702, "lon": -1.9121}`
	)
	cases := []struct {
		name  string
		input string
		args  []string
		code  int
		want  string      // in standard error when code is not 0
		mode  roster.Mode // of the matrix when code is 0
	}{
		{"list", "[" + a + "," + b + "]", nil, exitOK, "", roster.Drive},
		{"list with --mode", "[" + a + "," + b + "]", []string{"--mode", "walk"}, exitOK, "", roster.Walk},
		{"lon,lat list", "-1.9065,53.8676;-1.9121,53.8702", nil, exitOK, "", roster.Drive},
		{"body without mode", `{"locations": [` + a + "," + b + `]}`, nil, exitOK, "", roster.Drive},
		{"body's mode", `{"mode": "walk", "locations": [` + a + "," + b + `]}`, nil, exitOK, "", roster.Walk},
		{"body's mode agrees with --mode", `{"mode": "walk", "locations": [` + a + "," + b + `]}`, []string{"--mode", "walk"}, exitOK, "", roster.Walk},
		{"body's mode null", `{"mode": null, "locations": [` + a + `]}`, nil, exitOK, "", roster.Drive},

		{"body's mode against --mode", `{"mode": "walk", "locations": [` + a + `]}`, []string{"--mode", "drive"}, exitUsage, `mode: the body asks for walk, but --mode asks for drive`, ""},
		{"body's mode unknown", `{"mode": "boat", "locations": [` + a + `]}`, nil, exitUsage, "mode: want one of", ""},
		{"body's mode twice", `{"mode": "walk", "mode": "drive", "locations": [` + a + `]}`, nil, exitUsage, "mode: ", ""},
		{"list missing lat", "[" + a + `, {"lon": -1.9}]`, nil, exitUsage, "locations[1].lat: ", ""},
		{"list lat null", "[" + a + `, {"lat": null, "lon": -1.9}]`, nil, exitUsage, "locations[1].lat: ", ""},
		{"body missing lat", `{"locations": [` + a + `, {"lon": -1.9}]}`, nil, exitUsage, "locations[1].lat: ", ""},
		{"lat twice", `[{"lat": 53.8, "lat": 0, "lon": -1.9}]`, nil, exitUsage, "locations[0].lat: ", ""},
		{"lat a string", `[{"lat": "53.8", "lon": -1.9}]`, nil, exitUsage, "locations[0].lat: ", ""},
		{"unknown field", `[{"lat": 53.8, "lon": -1.9, "alt": 3}]`, nil, exitUsage, "locations[0].alt: ", ""},
		{"body unknown field", `{"places": [` + a + `]}`, nil, exitUsage, "places: ", ""},
		{"body without locations", `{"mode": "walk"}`, nil, exitUsage, "locations: ", ""},
		{"lat off the globe", `[{"lat": 91, "lon": -1.9}]`, nil, exitUsage, "locations[0].lat: ", ""},
		{"lon off the globe", `[{"lat": 53.8, "lon": 181}]`, nil, exitUsage, "locations[0].lon: ", ""},
		{"empty list", `[]`, nil, exitUsage, "locations: want at least one location", ""},
		{"list not JSON", "[" + a + ",\n  {\"lat\": 53.8 \"lon\": -1.9}]", nil, exitUsage, "locations[1].lat: invalid JSON at line 2, column 16", ""},
		{"body not JSON", `{"locations": [` + a + `,]}`, nil, exitUsage, "invalid JSON at line 1, column ", ""},
		{"data after the list", "[" + a + "] []", nil, exitUsage, "unexpected data after the end of the document", ""},
		{"lon,lat list broken", "1,2;3", nil, exitUsage, "locations[1]: ", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"matrix", "-"}, c.args...)
			code, out, errOut := runCLIStdin(t, c.input, args...)
			if code != c.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, c.code, errOut)
			}
			if c.code != exitOK {
				if !strings.Contains(errOut, c.want) {
					t.Fatalf("stderr %q; want %q", errOut, c.want)
				}
				return
			}
			var m matrixOutput
			if err := json.Unmarshal([]byte(out), &m); err != nil {
				t.Fatalf("output %q: %v", out, err)
			}
			n := strings.Count(c.input, "lat")
			if n == 0 {
				n = strings.Count(c.input, ";") + 1
			}
			if m.Mode != c.mode || len(m.DurationsS) != n {
				t.Errorf("a %d×%d %s matrix; want %d×%d %s", len(m.DurationsS), len(m.DurationsS), m.Mode, n, n, c.mode)
			}
		})
	}
}
