package geo_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/roster"
)

// fakeNetwork stands for a road network or routing engine: it answers with
// err when set, otherwise with straight-line legs, and counts its calls.
type fakeNetwork struct {
	source roster.TravelSource
	err    error
	calls  int
}

func (f *fakeNetwork) Source() roster.TravelSource { return f.source }

func (f *fakeNetwork) Matrix(ctx context.Context, points []roster.Location, mode roster.Mode) (*geo.Matrix, error) {
	f.calls++
	if f.err != nil {
		return nil, f.err
	}
	sl, _ := geo.NewStraightLine(nil)
	return sl.Matrix(ctx, points, mode)
}

// policyDay is givenDay without its matrices: two clients and one driving
// carer, whose points are C1, C2, K1 start, K1 end.
func policyDay(withMatrices, withSpeeds bool) *roster.Instance {
	in := givenDay()
	if !withMatrices {
		in.Travel = nil
	}
	if withSpeeds {
		if in.Travel == nil {
			in.Travel = &roster.TravelConfig{}
		}
		in.Travel.Modes = map[roster.Mode]roster.ModeSpeed{roster.Drive: {SpeedKMH: 40, Detour: 1.3}}
	}
	return in
}

// TestTravelForPolicy: one rule decides which travel an instance gets, for
// the command line and the API alike.
func TestTravelForPolicy(t *testing.T) {
	c2 := roster.Location{Lat: 53.86, Lon: -1.90}
	home := c2
	unreachable := &geo.UnreachableError{Mode: roster.Drive, Count: 3,
		Pairs: []geo.Pair{{From: 1, To: 2, FromAt: c2, ToAt: home}}}
	defaults, _ := geo.NewStraightLine(nil)
	tests := []struct {
		name         string
		in           *roster.Instance
		configured   *fakeNetwork
		wantProvider string
		wantCalls    int
		wantFields   roster.FieldErrors
		wantFailure  bool
	}{
		{name: "own matrices, nothing configured", in: policyDay(true, false), wantProvider: geo.GivenProvider},
		{name: "own matrices win over a road network", in: policyDay(true, false),
			configured: &fakeNetwork{source: roster.TravelSource{Provider: "osm-road"}}, wantProvider: geo.GivenProvider},
		{name: "road network", in: policyDay(false, false),
			configured: &fakeNetwork{source: roster.TravelSource{Provider: "osm-road"}}, wantProvider: "osm-road", wantCalls: 1},
		{name: "speeds refused on a road network", in: policyDay(false, true),
			configured: &fakeNetwork{source: roster.TravelSource{Provider: "osrm"}},
			wantFields: roster.FieldErrors{{Path: "travel.modes", Reason: "straight-line speeds do not apply: travel comes from osrm (set walking and cycling paces where that provider is configured)"}}},
		{name: "unreachable legs named by field", in: policyDay(false, false),
			configured: &fakeNetwork{source: roster.TravelSource{Provider: "osrm"}, err: unreachable}, wantCalls: 1,
			// All of K1's points and the clients share one place; the first
			// field at it names it.
			wantFields: roster.FieldErrors{{Path: "clients[0].location", Reason: "no drive route to clients[0].location (and 2 more legs without a route)"}}},
		{name: "a failing engine is no input error", in: policyDay(false, false),
			configured: &fakeNetwork{source: roster.TravelSource{Provider: "osrm"}, err: errors.New("connection refused")}, wantCalls: 1, wantFailure: true},
		{name: "straight lines, nothing configured", in: policyDay(false, false), wantProvider: geo.StraightLineProvider},
		{name: "a straight-line cache with the same settings is used", in: policyDay(false, false),
			configured: &fakeNetwork{source: defaults.Source()}, wantProvider: geo.StraightLineProvider, wantCalls: 1},
		{name: "a straight-line cache with other settings is not", in: policyDay(false, true),
			configured: &fakeNetwork{source: defaults.Source()}, wantProvider: geo.StraightLineProvider},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var configured geo.Provider
			if tt.configured != nil {
				configured = tt.configured
			}
			ms, err := geo.TravelFor(context.Background(), configured, tt.in)
			if tt.configured != nil && tt.configured.calls != tt.wantCalls {
				t.Errorf("the configured provider was asked %d times, want %d", tt.configured.calls, tt.wantCalls)
			}
			var fes roster.FieldErrors
			switch {
			case tt.wantFields != nil:
				if !errors.As(err, &fes) || !reflect.DeepEqual(fes, tt.wantFields) {
					t.Fatalf("error %v, want field errors %v", err, tt.wantFields)
				}
			case tt.wantFailure:
				if err == nil || errors.As(err, &fes) {
					t.Fatalf("error %v, want a failure that is not a field error", err)
				}
			default:
				if err != nil {
					t.Fatal(err)
				}
				if got := ms.Source().Provider; got != tt.wantProvider {
					t.Errorf("provider %q, want %q", got, tt.wantProvider)
				}
			}
		})
	}
}

// TestUnreachableErrorMessage checks the message lists the pairs and how
// many more there are.
func TestUnreachableErrorMessage(t *testing.T) {
	tests := []struct {
		err  geo.UnreachableError
		want string
	}{
		{geo.UnreachableError{Mode: roster.Walk, Count: 1, Pairs: []geo.Pair{{From: 0, To: 2}}}, "no walk route for 1 leg (from→to): 0→2"},
		{geo.UnreachableError{Mode: roster.Drive, Count: 12, Pairs: []geo.Pair{{From: 0, To: 2}, {From: 3, To: 1}}}, "no drive route for 12 legs (from→to): 0→2, 3→1 and 10 more"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

// TestUnreachableFieldErrors names each leg's places by field, and a place
// outside the list by its coordinates.
func TestUnreachableFieldErrors(t *testing.T) {
	a, b, off := roster.Location{Lat: 1, Lon: 2}, roster.Location{Lat: 3, Lon: 4}, roster.Location{Lat: 5, Lon: 6}
	points := []roster.Location{a, b, a}
	path := func(i int) string {
		return []string{"clients[0].location", "clients[1].location", "carers[0].start"}[i]
	}
	e := &geo.UnreachableError{Mode: roster.Walk, Count: 2, Pairs: []geo.Pair{
		{From: 0, To: 1, FromAt: a, ToAt: b}, {From: 1, To: 7, FromAt: b, ToAt: off}}}
	want := roster.FieldErrors{
		{Path: "clients[0].location", Reason: "no walk route to clients[1].location"},
		{Path: "clients[1].location", Reason: "no walk route to (5.000000, 6.000000)"},
	}
	if got := e.FieldErrors(points, path); !reflect.DeepEqual(got, want) {
		t.Errorf("FieldErrors = %v, want %v", got, want)
	}
}
