package mankowska

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
)

// Solution is a schedule in the JSON shape of the solutions published by
// Ceschia et al. (2024):
//
//	{"routes": [{"caregiver_id": "c1", "locations": [
//	    {"patient": "p10", "service": "s3", "arrival_time": 148.0, "departure_time": 162.0}, ...]}, ...],
//	 "global_ordering": ["p8", "p10", ...]}
type Solution struct {
	// Routes holds one route per caregiver; a caregiver without a route,
	// or with an empty one, does not leave the depot.
	Routes []Route `json:"routes"`
	// GlobalOrdering is the patient order of the Ceschia et al. solver,
	// kept for round trips; Evaluate ignores it.
	GlobalOrdering []string `json:"global_ordering,omitempty"`
}

// Route is one caregiver's visits in order; the legs from and to the depot
// are implicit.
type Route struct {
	// CaregiverID is "c<k>" for Instance.Caregivers[k-1].
	CaregiverID string `json:"caregiver_id"`
	// Locations are the visits in order. The published files leave the key
	// out for idle caregivers.
	Locations []Visit `json:"locations,omitempty"`
}

// Visit is one service at one patient.
type Visit struct {
	// Patient is "p<node>" for the patient at that node (1-based).
	Patient string `json:"patient"`
	// Service is "s<k>" for service type k-1.
	Service string `json:"service"`
	// ArrivalTime is, despite its name, the start of the service: the
	// caregiver arrives, waits for the earliest start or a partner if need
	// be, then starts at this time.
	ArrivalTime float64 `json:"arrival_time"`
	// DepartureTime is the end of the service, ArrivalTime plus the
	// processing time, when the caregiver leaves.
	DepartureTime float64 `json:"departure_time"`
}

// CaregiverID returns the solution files' name of caregiver index v: "c<v+1>".
func CaregiverID(v int) string { return "c" + strconv.Itoa(v+1) }

// PatientID returns the solution files' name of the patient at node: "p<node>".
func PatientID(node int) string { return "p" + strconv.Itoa(node) }

// ServiceID returns the solution files' name of service type s: "s<s+1>".
func ServiceID(s int) string { return "s" + strconv.Itoa(s+1) }

// ParseCaregiverID returns the caregiver index named by id ("c3" → 2).
func ParseCaregiverID(id string) (int, error) {
	k, err := parseID(id, 'c')
	return k - 1, err
}

// ParsePatientID returns the patient node named by id ("p7" → 7).
func ParsePatientID(id string) (int, error) { return parseID(id, 'p') }

// ParseServiceID returns the service type named by id ("s1" → 0).
func ParseServiceID(id string) (int, error) {
	k, err := parseID(id, 's')
	return k - 1, err
}

// parseID reads prefix followed by a positive decimal integer without sign
// or leading zeros.
func parseID(id string, prefix byte) (int, error) {
	if len(id) < 2 || id[0] != prefix || id[1] < '1' || id[1] > '9' {
		return 0, fmt.Errorf("id %q: want %c followed by a positive integer", id, prefix)
	}
	for i := 1; i < len(id); i++ {
		if id[i] < '0' || id[i] > '9' {
			return 0, fmt.Errorf("id %q: want %c followed by a positive integer", id, prefix)
		}
	}
	k, err := strconv.Atoi(id[1:])
	if err != nil {
		return 0, fmt.Errorf("id %q: %w", id, err)
	}
	return k, nil
}

// wireSolution, wireRoute and wireVisit mirror the JSON with pointers, so
// that a missing key can be told from a zero.
type wireSolution struct {
	Routes         *[]wireRoute `json:"routes"`
	GlobalOrdering []string     `json:"global_ordering"`
}

type wireRoute struct {
	CaregiverID *string     `json:"caregiver_id"`
	Locations   []wireVisit `json:"locations"`
}

type wireVisit struct {
	Patient       *string  `json:"patient"`
	Service       *string  `json:"service"`
	ArrivalTime   *float64 `json:"arrival_time"`
	DepartureTime *float64 `json:"departure_time"`
}

// ReadSolutionFile reads the solution in the JSON file at path.
func ReadSolutionFile(path string) (*Solution, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("mankowska: %w", err)
	}
	defer f.Close()
	s, err := ReadSolution(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// ReadSolution reads a solution in the JSON shape of Solution. The keys
// routes, caregiver_id, patient, service, arrival_time and departure_time
// are required (locations may be left out or null for an idle caregiver);
// unknown keys are ignored, anything after the document is rejected.
// Errors name the JSON path, such as "routes[2].locations[0]: missing
// arrival_time". The content is not checked against an instance: Evaluate
// does that.
func ReadSolution(r io.Reader) (*Solution, error) {
	if r == nil {
		return nil, errors.New("mankowska: solution: no input")
	}
	dec := json.NewDecoder(r)
	var w wireSolution
	if err := dec.Decode(&w); err != nil {
		return nil, fmt.Errorf("mankowska: solution: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("mankowska: solution: data after the JSON document")
	}
	if w.Routes == nil {
		return nil, errors.New("mankowska: solution: missing routes")
	}
	s := &Solution{Routes: make([]Route, len(*w.Routes)), GlobalOrdering: w.GlobalOrdering}
	for i, wr := range *w.Routes {
		if wr.CaregiverID == nil {
			return nil, fmt.Errorf("mankowska: solution: routes[%d]: missing caregiver_id", i)
		}
		rt := Route{CaregiverID: *wr.CaregiverID}
		if len(wr.Locations) > 0 {
			rt.Locations = make([]Visit, len(wr.Locations))
		}
		for j, wv := range wr.Locations {
			var missing string
			switch {
			case wv.Patient == nil:
				missing = "patient"
			case wv.Service == nil:
				missing = "service"
			case wv.ArrivalTime == nil:
				missing = "arrival_time"
			case wv.DepartureTime == nil:
				missing = "departure_time"
			}
			if missing != "" {
				return nil, fmt.Errorf("mankowska: solution: routes[%d].locations[%d]: missing %s", i, j, missing)
			}
			rt.Locations[j] = Visit{Patient: *wv.Patient, Service: *wv.Service, ArrivalTime: *wv.ArrivalTime, DepartureTime: *wv.DepartureTime}
		}
		s.Routes[i] = rt
	}
	return s, nil
}

// WriteSolution writes s as indented JSON in the shape ReadSolution reads.
func WriteSolution(w io.Writer, s *Solution) error {
	if s == nil {
		return errors.New("mankowska: write solution: nil solution")
	}
	for i, r := range s.Routes {
		for j, v := range r.Locations {
			if !finite(v.ArrivalTime) || !finite(v.DepartureTime) {
				return fmt.Errorf("mankowska: write solution: routes[%d].locations[%d]: non-finite time", i, j)
			}
		}
	}
	out := *s
	if out.Routes == nil {
		out.Routes = []Route{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("mankowska: write solution: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("mankowska: write solution: %w", err)
	}
	return nil
}

// WriteSolutionFile writes s to the file at path, replacing it.
func WriteSolutionFile(path string, s *Solution) error {
	var buf bytes.Buffer
	if err := WriteSolution(&buf, s); err != nil {
		return err
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("mankowska: write solution: %w", err)
	}
	return nil
}

// finite reports whether x is neither NaN nor infinite.
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
