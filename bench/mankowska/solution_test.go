package mankowska_test

import (
	"bytes"
	"errors"
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/bench/mankowska"
)

// tinySolutionPath is a feasible solution of the tiny instance with cost
// 100/3 (travel 100, no tardiness).
const tinySolutionPath = "testdata/tiny.json"

// readTinySolution reads the tiny instance's solution.
func readTinySolution(t testing.TB) *mankowska.Solution {
	t.Helper()
	s, err := mankowska.ReadSolutionFile(tinySolutionPath)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestReadSolution(t *testing.T) {
	got := readTinySolution(t)
	want := &mankowska.Solution{
		Routes: []mankowska.Route{
			{CaregiverID: "c1", Locations: []mankowska.Visit{
				{Patient: "p1", Service: "s1", ArrivalTime: 5, DepartureTime: 15},
				{Patient: "p2", Service: "s1", ArrivalTime: 20, DepartureTime: 30},
			}},
			{CaregiverID: "c2", Locations: []mankowska.Visit{
				{Patient: "p2", Service: "s2", ArrivalTime: 20, DepartureTime: 30},
				{Patient: "p3", Service: "s2", ArrivalTime: 40, DepartureTime: 52},
			}},
			{CaregiverID: "c3", Locations: []mankowska.Visit{
				{Patient: "p3", Service: "s3", ArrivalTime: 50, DepartureTime: 62},
			}},
		},
		GlobalOrdering: []string{"p1", "p2", "p3"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestSolutionRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		sol  *mankowska.Solution
	}{
		{"tiny", readTinySolution(t)},
		{"idle caregiver", &mankowska.Solution{Routes: []mankowska.Route{
			{CaregiverID: "c1"},
			{CaregiverID: "c2", Locations: []mankowska.Visit{{Patient: "p1", Service: "s1", ArrivalTime: 314.151, DepartureTime: 328.151}}},
		}}},
		{"no routes", &mankowska.Solution{Routes: []mankowska.Route{}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "sol.json")
			if err := mankowska.WriteSolutionFile(path, tc.sol); err != nil {
				t.Fatal(err)
			}
			got, err := mankowska.ReadSolutionFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.sol) {
				t.Errorf("round trip gave %+v, want %+v", got, tc.sol)
			}
		})
	}
}

func TestWriteSolutionShape(t *testing.T) {
	var buf bytes.Buffer
	s := &mankowska.Solution{Routes: []mankowska.Route{{CaregiverID: "c1"}}}
	if err := mankowska.WriteSolution(&buf, s); err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"routes\": [\n    {\n      \"caregiver_id\": \"c1\"\n    }\n  ]\n}\n"
	if buf.String() != want {
		t.Errorf("wrote\n%s\nwant\n%s", buf.String(), want)
	}
}

// failingWriter fails every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteSolutionErrors(t *testing.T) {
	nan := &mankowska.Solution{Routes: []mankowska.Route{{CaregiverID: "c1", Locations: []mankowska.Visit{{Patient: "p1", Service: "s1", ArrivalTime: math.NaN()}}}}}
	tests := []struct {
		name string
		w    func() error
		want string
	}{
		{"nil", func() error { return mankowska.WriteSolution(&bytes.Buffer{}, nil) }, "mankowska: write solution: nil solution"},
		{"nan", func() error { return mankowska.WriteSolution(&bytes.Buffer{}, nan) }, "mankowska: write solution: routes[0].locations[0]: non-finite time"},
		{"failing writer", func() error { return mankowska.WriteSolution(failingWriter{}, readTinySolution(t)) }, "mankowska: write solution: disk full"},
		{"bad path", func() error {
			return mankowska.WriteSolutionFile(filepath.Join(t.TempDir(), "no", "such", "dir.json"), readTinySolution(t))
		}, "no such file or directory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.w()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestReadSolutionErrors(t *testing.T) {
	tests := []struct {
		name string
		json string
		want string
	}{
		{"empty", "", "mankowska: solution: EOF"},
		{"not JSON", "routes", "mankowska: solution: invalid character"},
		{"wrong type", `{"routes": {}}`, "mankowska: solution: json: cannot unmarshal object"},
		{"missing routes", `{"global_ordering": []}`, "mankowska: solution: missing routes"},
		{"null routes", `{"routes": null}`, "mankowska: solution: missing routes"},
		{"missing caregiver", `{"routes": [{"locations": []}]}`, "mankowska: solution: routes[0]: missing caregiver_id"},
		{"missing patient", `{"routes": [{"caregiver_id": "c1", "locations": [{"service": "s1", "arrival_time": 1, "departure_time": 2}]}]}`, "routes[0].locations[0]: missing patient"},
		{"missing service", `{"routes": [{"caregiver_id": "c1", "locations": [{"patient": "p1", "arrival_time": 1, "departure_time": 2}]}]}`, "routes[0].locations[0]: missing service"},
		{"missing arrival", `{"routes": [{"caregiver_id": "c1", "locations": [{"patient": "p1", "service": "s1", "departure_time": 2}]}]}`, "routes[0].locations[0]: missing arrival_time"},
		{"missing departure", `{"routes": [{"caregiver_id": "c1"}, {"caregiver_id": "c2", "locations": [{"patient": "p1", "service": "s1", "arrival_time": 1}]}]}`, "routes[1].locations[0]: missing departure_time"},
		{"null visit", `{"routes": [{"caregiver_id": "c1", "locations": [null]}]}`, "routes[0].locations[0]: missing patient"},
		{"string time", `{"routes": [{"caregiver_id": "c1", "locations": [{"patient": "p1", "service": "s1", "arrival_time": "1", "departure_time": 2}]}]}`, "cannot unmarshal string"},
		{"trailing data", `{"routes": []} {}`, "mankowska: solution: data after the JSON document"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := mankowska.ReadSolution(strings.NewReader(tc.json))
			if err == nil {
				t.Fatalf("no error, read %+v", s)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want it to contain %q", err, tc.want)
			}
		})
	}
	if _, err := mankowska.ReadSolution(nil); err == nil {
		t.Error("ReadSolution(nil): no error")
	}
	if _, err := mankowska.ReadSolutionFile("testdata/none.json"); err == nil || !strings.Contains(err.Error(), "none.json") {
		t.Errorf("ReadSolutionFile of a missing file: error %v, want one naming the file", err)
	}
	if _, err := mankowska.ReadSolutionFile(tinyPath); err == nil || !strings.Contains(err.Error(), tinyPath) {
		t.Errorf("ReadSolutionFile of a text file: error %v, want one naming the file", err)
	}
}

func TestIDs(t *testing.T) {
	tests := []struct {
		id    string
		parse func(string) (int, error)
		want  int
		ok    bool
	}{
		{"c1", mankowska.ParseCaregiverID, 0, true},
		{"c40", mankowska.ParseCaregiverID, 39, true},
		{"p7", mankowska.ParsePatientID, 7, true},
		{"p300", mankowska.ParsePatientID, 300, true},
		{"s1", mankowska.ParseServiceID, 0, true},
		{"s6", mankowska.ParseServiceID, 5, true},
		{"", mankowska.ParseCaregiverID, 0, false},
		{"c", mankowska.ParseCaregiverID, 0, false},
		{"c0", mankowska.ParseCaregiverID, 0, false},
		{"c01", mankowska.ParseCaregiverID, 0, false},
		{"c-1", mankowska.ParseCaregiverID, 0, false},
		{"c+1", mankowska.ParseCaregiverID, 0, false},
		{"p1", mankowska.ParseCaregiverID, 0, false},
		{"p1x", mankowska.ParsePatientID, 0, false},
		{"p99999999999999999999", mankowska.ParsePatientID, 0, false},
		{"S1", mankowska.ParseServiceID, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			got, err := tc.parse(tc.id)
			if (err == nil) != tc.ok || tc.ok && got != tc.want {
				t.Errorf("parse(%q) = %d, %v; want %d, ok %v", tc.id, got, err, tc.want, tc.ok)
			}
		})
	}
	for i := range 3 {
		if v, _ := mankowska.ParseCaregiverID(mankowska.CaregiverID(i)); v != i {
			t.Errorf("caregiver %d round trips to %d", i, v)
		}
		if s, _ := mankowska.ParseServiceID(mankowska.ServiceID(i)); s != i {
			t.Errorf("service %d round trips to %d", i, s)
		}
		if p, _ := mankowska.ParsePatientID(mankowska.PatientID(i + 1)); p != i+1 {
			t.Errorf("patient %d round trips to %d", i+1, p)
		}
	}
}
