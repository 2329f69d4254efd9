package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rounds-dev/rounds/api/jobs"
	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/roster"
)

// fakeEngine stands for a routing engine that answers every request with
// err.
type fakeEngine struct{ err error }

func (f fakeEngine) Source() roster.TravelSource {
	return roster.TravelSource{Provider: "osrm", Version: "test@localhost"}
}

func (f fakeEngine) Matrix(context.Context, []roster.Location, roster.Mode) (*geo.Matrix, error) {
	return nil, f.err
}

// TestEngineTravelErrors: the API follows the one travel policy, so a
// routing engine's missing routes are a 400 naming the places' fields, as
// on the command line, and an engine that fails is a 502, not a 500.
func TestEngineTravelErrors(t *testing.T) {
	day := readFile(t, "../testdata/small_day.json")
	in, err := roster.DecodeInstance(strings.NewReader(string(day)))
	if err != nil {
		t.Fatal(err)
	}
	client0, carer0 := in.Clients[0].Location, in.Carers[0].Start
	unreachable := &geo.UnreachableError{Mode: roster.Walk, Count: 1,
		Pairs: []geo.Pair{{From: 0, To: 1, FromAt: client0, ToAt: carer0}}}
	plan := []byte(`{"instance":"small","rounds":[]}`)
	check, _ := json.Marshal(map[string]json.RawMessage{"instance": day, "plan": plan})
	matrix := []byte(`{"mode":"walk","locations":[{"lat":53.8,"lon":-1.5},{"lat":53.81,"lon":-1.51}]}`)
	matrixUnreachable := &geo.UnreachableError{Mode: roster.Walk, Count: 1,
		Pairs: []geo.Pair{{From: 1, To: 0, FromAt: roster.Location{Lat: 53.81, Lon: -1.51}, ToAt: roster.Location{Lat: 53.8, Lon: -1.5}}}}

	tests := []struct {
		name       string
		err        error
		path       string
		body       []byte
		wantStatus int
		wantPath   string
		wantReason string
	}{
		{"check, no route", unreachable, "/v1/check", check, http.StatusBadRequest, "clients[0].location", "no walk route to carers[0].start"},
		{"check, engine down", errors.New("dial tcp 127.0.0.1:5000: connection refused"), "/v1/check", check, http.StatusBadGateway, "", ""},
		{"matrix, no route", matrixUnreachable, "/v1/matrix", matrix, http.StatusBadRequest, "locations[1]", "no walk route to locations[0]"},
		{"matrix, engine down", errors.New("dial tcp 127.0.0.1:5000: connection refused"), "/v1/matrix", matrix, http.StatusBadGateway, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixtureOn(t, jobs.NewMemory(4, time.Hour), true, fakeEngine{err: tt.err})
			code, h, b := f.do(t, "POST", tt.path, aliceKey, tt.body)
			p := problem(t, h, b, tt.wantStatus)
			if code != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", code, tt.wantStatus, b)
			}
			if tt.wantPath == "" {
				return
			}
			if len(p.Errors) == 0 || p.Errors[0].Path != tt.wantPath || p.Errors[0].Reason != tt.wantReason {
				t.Fatalf("errors %+v, want %s: %s first", p.Errors, tt.wantPath, tt.wantReason)
			}
		})
	}
}
