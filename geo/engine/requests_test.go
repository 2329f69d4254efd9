package engine_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/geo/engine"
	"github.com/rounds-dev/rounds/roster"
)

// leedsOSRM is leeds as OSRM's path gives it: longitude first, six decimals.
const leedsOSRM = "-1.549100,53.800800;-1.572000,53.817500;-1.524700,53.796000"

// TestOSRMRequest checks the table request's path and query: the profile
// for the mode, coordinates sent once, and sources and destinations only
// when they differ.
func TestOSRMRequest(t *testing.T) {
	tests := []struct {
		name      string
		base      string
		profiles  map[roster.Mode]string
		legs      bool
		mode      roster.Mode
		answer    string
		wantPath  string
		wantQuery string
	}{
		{name: "matrix on foot", mode: roster.Walk, answer: "osrm_table.json",
			wantPath: "/table/v1/foot/" + leedsOSRM, wantQuery: "annotations=duration,distance"},
		{name: "matrix by bike", mode: roster.Cycle, answer: "osrm_table.json",
			wantPath: "/table/v1/bike/" + leedsOSRM, wantQuery: "annotations=duration,distance"},
		{name: "legs by car", legs: true, mode: roster.Drive, answer: "osrm_table_legs.json",
			wantPath: "/table/v1/car/" + leedsOSRM, wantQuery: "annotations=duration,distance&sources=0;1&destinations=2"},
		{name: "path prefix and own profile", base: "/routed-car/", profiles: map[roster.Mode]string{roster.Drive: "driving"},
			mode: roster.Drive, answer: "osrm_table.json",
			wantPath: "/routed-car/table/v1/driving/" + leedsOSRM, wantQuery: "annotations=duration,distance"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := onlyRequest(t, tt.answer, func(URL string) engine.Config {
				return engine.Config{Kind: engine.OSRM, BaseURL: URL + tt.base, Profiles: tt.profiles}
			}, tt.legs, tt.mode)
			if r.Method != "GET" || r.Path != tt.wantPath || r.RawQuery != tt.wantQuery {
				t.Errorf("request %s %s?%s\nwant GET %s?%s", r.Method, r.Path, r.RawQuery, tt.wantPath, tt.wantQuery)
			}
		})
	}
}

// TestValhallaRequest checks the sources_to_targets request body against
// the files in testdata.
func TestValhallaRequest(t *testing.T) {
	tests := []struct {
		name     string
		legs     bool
		mode     roster.Mode
		answer   string
		wantBody string
	}{
		{name: "matrix by bicycle", mode: roster.Cycle, answer: "valhalla_matrix.json", wantBody: "valhalla_request.json"},
		{name: "legs by car", legs: true, mode: roster.Drive, answer: "valhalla_matrix_legs.json", wantBody: "valhalla_request_legs.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := onlyRequest(t, tt.answer, func(URL string) engine.Config { return engine.Config{Kind: engine.Valhalla, BaseURL: URL} }, tt.legs, tt.mode)
			if r.Method != "POST" || r.Path != "/sources_to_targets" || r.RawQuery != "" || r.ContentType != "application/json" {
				t.Errorf("request %s %s?%s (%s), want POST /sources_to_targets (application/json)", r.Method, r.Path, r.RawQuery, r.ContentType)
			}
			if !jsonEqual(t, r.Body, fixture(t, tt.wantBody)) {
				t.Errorf("body %s\nwant %s", r.Body, fixture(t, tt.wantBody))
			}
		})
	}
}

// TestGraphHopperRequest checks the matrix request body against the files
// in testdata, and that the key goes in the query.
func TestGraphHopperRequest(t *testing.T) {
	tests := []struct {
		name      string
		key       string
		legs      bool
		mode      roster.Mode
		answer    string
		wantBody  string
		wantQuery string
	}{
		{name: "matrix by car with a key", key: "s3cret", mode: roster.Drive, answer: "graphhopper_matrix.json",
			wantBody: "graphhopper_request.json", wantQuery: "key=s3cret"},
		{name: "legs on foot", legs: true, mode: roster.Walk, answer: "graphhopper_matrix_legs.json",
			wantBody: "graphhopper_request_legs.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := onlyRequest(t, tt.answer, func(URL string) engine.Config {
				return engine.Config{Kind: engine.GraphHopper, BaseURL: URL + "/api/1", APIKey: tt.key}
			}, tt.legs, tt.mode)
			if r.Method != "POST" || r.Path != "/api/1/matrix" || r.RawQuery != tt.wantQuery || r.ContentType != "application/json" {
				t.Errorf("request %s %s?%s (%s), want POST /api/1/matrix?%s (application/json)", r.Method, r.Path, r.RawQuery, r.ContentType, tt.wantQuery)
			}
			if !jsonEqual(t, r.Body, fixture(t, tt.wantBody)) {
				t.Errorf("body %s\nwant %s", r.Body, fixture(t, tt.wantBody))
			}
		})
	}
}

// TestKeyKeptOutOfErrors checks that neither an engine's refusal nor a
// failed connection puts the GraphHopper key, or the coordinates, into the
// error.
func TestKeyKeptOutOfErrors(t *testing.T) {
	refusing, _ := serveFixture(t, 401, "graphhopper_error.json")
	closed, _ := serveFixture(t, 200, "graphhopper_matrix.json")
	closed.Close()
	for name, base := range map[string]string{"refused": refusing.URL, "no server": closed.URL} {
		t.Run(name, func(t *testing.T) {
			c := newClient(t, engine.Config{Kind: engine.GraphHopper, BaseURL: base, APIKey: "s3cret"})
			_, err := c.Matrix(context.Background(), leeds, roster.Drive)
			if err == nil {
				t.Fatal("Matrix succeeded")
			}
			for _, secret := range []string{"s3cret", "53.8008"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q gives away %q", err, secret)
				}
			}
		})
	}
}
