package roster_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

// TestFarPlaces: a place far from the median of the instance's places is
// reported by path; a locality's own spread, and instances too small to
// have a majority, are not.
func TestFarPlaces(t *testing.T) {
	keighley := roster.Location{Lat: 53.8679, Lon: -1.9064}
	near := func(dLat, dLon float64) roster.Location {
		return roster.Location{Lat: keighley.Lat + dLat, Lon: keighley.Lon + dLon}
	}
	swapped := roster.Location{Lat: keighley.Lon, Lon: keighley.Lat}
	day := func(starts []roster.Location, homes ...roster.Location) *roster.Instance {
		in := &roster.Instance{}
		for _, s := range starts {
			in.Carers = append(in.Carers, roster.Carer{ID: "K", Start: s})
		}
		for _, h := range homes {
			in.Clients = append(in.Clients, roster.Client{ID: "C", Location: h})
		}
		return in
	}
	withEnd := day([]roster.Location{keighley, near(0.01, 0)}, near(0, 0.01), near(0.02, 0.02))
	withEnd.Carers[1].End = &roster.Location{Lat: 0, Lon: 0}
	tests := []struct {
		name    string
		in      *roster.Instance
		paths   []string
		swapped bool // whether the reason asks about swapped lat and lon
	}{
		{"a town", day([]roster.Location{keighley, near(0.05, 0.1)}, near(-0.1, 0.2), near(0.3, -0.3), near(0.01, 0.01)), nil, false},
		{"a district 80 km across", day([]roster.Location{near(-0.36, 0)}, near(0.36, 0), near(0, 0.6), near(0, -0.6), keighley), nil, false},
		{"a client with lat and lon swapped", day([]roster.Location{keighley, near(0.01, 0.01)}, near(0.02, 0), near(0, 0.02), swapped),
			[]string{"clients[2].location"}, true},
		{"a carer's start at (0, 0)", day([]roster.Location{keighley, {}}, near(0.02, 0), near(0, 0.02)), []string{"carers[1].start"}, false},
		{"a carer's end at (0, 0)", withEnd, []string{"carers[1].end"}, false},
		{"a sign dropped", day([]roster.Location{keighley}, near(0.01, 0), near(0, 0.01), roster.Location{Lat: 53.8679, Lon: 1.9064}),
			[]string{"clients[2].location"}, false},
		{"one place", day(nil, swapped), nil, false},
		{"every place the same", day([]roster.Location{{}, {}}, roster.Location{}, roster.Location{}), nil, false},
		{"two places far apart", day([]roster.Location{keighley}, swapped), []string{"carers[0].start", "clients[0].location"}, true},
		{"no places", &roster.Instance{}, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			far := roster.FarPlaces(tc.in)
			var paths []string
			for _, p := range far {
				paths = append(paths, p.Path)
				if p.DistanceKM <= roster.FarPlaceKM {
					t.Errorf("%s reported at %.0f km", p.Path, p.DistanceKM)
				}
			}
			if !slices.Equal(paths, tc.paths) {
				t.Fatalf("far places %q, want %q", paths, tc.paths)
			}
			es := roster.FarPlaceErrors(tc.in)
			if len(es) != len(far) {
				t.Fatalf("%d problems for %d far places", len(es), len(far))
			}
			for _, e := range es {
				if !strings.Contains(e.Reason, " km from the median of the instance's places") {
					t.Errorf("reason %q does not say how far", e.Reason)
				}
				if got := strings.Contains(e.Reason, "lat and lon swapped?"); got != tc.swapped {
					t.Errorf("reason %q: asks about swapped lat and lon %v, want %v", e.Reason, got, tc.swapped)
				}
			}
		})
	}
}

// TestFarPlaceReason: the reason gives the distance in whole kilometres
// with thousands separated, as a coordinator reads it.
func TestFarPlaceReason(t *testing.T) {
	home := roster.Location{Lat: 53.8679, Lon: -1.9064}
	in := &roster.Instance{Clients: []roster.Client{{Location: home}, {Location: home}, {Location: roster.Location{Lat: -1.9064, Lon: 53.8679}}}}
	es := roster.FarPlaceErrors(in)
	if len(es) != 1 {
		t.Fatalf("problems %v", es)
	}
	// Keighley to (-1.9064, 53.8679) by the haversine formula on a sphere
	// of radius 6,371 km is 8,035.6 km.
	const want = "clients[2].location: lies 8,036 km from the median of the instance's places"
	if !strings.HasPrefix(es[0].Error(), want) {
		t.Errorf("got %q, want it to begin %q", es[0].Error(), want)
	}
}

// TestFarPlacesInTestdata: the project's own days, real localities, have
// no far places.
func TestFarPlacesInTestdata(t *testing.T) {
	for _, name := range []string{"example_day", "small_day", "locality_day", "locality_day_300"} {
		t.Run(name, func(t *testing.T) {
			f, err := os.Open("../testdata/" + name + ".json")
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			in, err := roster.DecodeInstance(f)
			if err != nil {
				t.Fatal(err)
			}
			if far := roster.FarPlaces(in); len(far) > 0 {
				t.Errorf("far places %+v", far)
			}
		})
	}
}
