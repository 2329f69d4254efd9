package locality

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

// TestBandJSON: a band is written and read by its name, and a name that is
// no band is refused with the names that are.
func TestBandJSON(t *testing.T) {
	c := Client{ID: "C1", Location: keighley, WeeklyHours: 7, Bands: []Band{Morning, Bed}}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if want := `"bands":["morning","bed"]`; !json.Valid(b) || !strings.Contains(string(b), want) {
		t.Fatalf("%s lacks %s", b, want)
	}
	var back Client
	if err := roster.DecodeStrict(b, &back); err != nil || !slices.Equal(back.Bands, c.Bands) {
		t.Fatalf("read back %v, %v", back.Bands, err)
	}
	err = roster.DecodeStrict([]byte(`{"id":"C1","location":{"lat":53.8,"lon":-1.9},"weekly_hours":7,"bands":["brunch"]}`), &back)
	var fes roster.FieldErrors
	if !errors.As(err, &fes) || len(fes) != 1 || fes[0].Path != "bands[0]" {
		t.Fatalf("brunch: %v", err)
	}
}

// TestCheckDistrict: every problem of a district at its client's path,
// the id never in the path, and a district Evaluate takes passes.
func TestCheckDistrict(t *testing.T) {
	good := clientsAround(1, 5, keighley, 1)
	if err := CheckDistrict(&District{Clients: good}); err != nil {
		t.Fatalf("a good district: %v", err)
	}
	bad := append([]Client(nil), good...)
	bad[1].ID = bad[0].ID
	bad[2].WeeklyHours = 0
	bad[3].Location = roster.Location{Lat: 95, Lon: -1.9}
	bad[4].Bands = nil
	err := CheckDistrict(&District{Clients: bad})
	var fes roster.FieldErrors
	if !errors.As(err, &fes) {
		t.Fatalf("%v", err)
	}
	var paths []string
	for _, fe := range fes {
		paths = append(paths, fe.Path)
	}
	want := []string{"clients[1].id", "clients[2].weekly_hours", "clients[3].location.lat", "clients[4].bands"}
	if !slices.Equal(paths, want) {
		t.Errorf("problems at %q, want %q", paths, want)
	}
	long := append([]Client(nil), good...)
	long[0].WeeklyHours, long[0].Bands = 150, []Band{Morning}
	err = CheckDistrict(&District{Clients: long})
	if !errors.As(err, &fes) || len(fes) != 1 || fes[0].Path != "clients[0].bands[0]" {
		t.Errorf("a call too long for its shift: %v", err)
	}
	if err := CheckDistrict(&District{}); err == nil {
		t.Error("no clients passed")
	}
	if err := CheckSupply(Supply{WalkShare: 2, ContractHours: 30, Utilisation: 0.7}); err == nil || err.(roster.FieldError).Path != "supply.walk_share" {
		t.Errorf("walk share 2: %v", err)
	}
}
