package mankowska_test

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/bench/mankowska"
)

// visit is a shorthand for a Visit.
func visit(p, s string, start, end float64) mankowska.Visit {
	return mankowska.Visit{Patient: p, Service: s, ArrivalTime: start, DepartureTime: end}
}

func TestEvaluateFeasible(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(in *mankowska.Instance, s *mankowska.Solution)
		want   mankowska.Result
	}{
		{
			name: "tiny",
			want: mankowska.Result{Travel: 100, Cost: 100.0 / 3, LatestReturn: 82},
		},
		{
			name: "tardy simultaneous patient",
			mutate: func(in *mankowska.Instance, _ *mankowska.Solution) {
				in.Patients[1].Window.Latest = 15
			},
			want: mankowska.Result{Travel: 100, TotalTardiness: 10, MaxTardiness: 5, Cost: 115.0 / 3, LatestReturn: 82},
		},
		{
			name: "tardiness from both kinds",
			mutate: func(in *mankowska.Instance, _ *mankowska.Solution) {
				in.Patients[0].Window.Latest = 4  // 1 late
				in.Patients[2].Window.Latest = 42 // s2 on time, s3 8 late
			},
			want: mankowska.Result{Travel: 100, TotalTardiness: 9, MaxTardiness: 8, Cost: 117.0 / 3, LatestReturn: 82},
		},
		{
			name: "waiting and times within tolerance",
			mutate: func(_ *mankowska.Instance, s *mankowska.Solution) {
				s.Routes[0].Locations[0] = visit("p1", "s1", 4.9995, 15.0005)
				s.Routes[2].Locations[0] = visit("p3", "s3", 60, 72) // waits 40, gap 20
			},
			want: mankowska.Result{Travel: 100, Cost: 100.0 / 3, LatestReturn: 92},
		},
		{
			name: "processing time of the caregiver",
			mutate: func(_ *mankowska.Instance, s *mankowska.Solution) {
				// c2 takes 11 at p1, where c1 takes 10.
				s.Routes[0].Locations = []mankowska.Visit{visit("p2", "s1", 21, 31)}
				s.Routes[1].Locations = []mankowska.Visit{
					visit("p1", "s1", 5, 16), visit("p2", "s2", 21, 31), visit("p3", "s2", 41, 53),
				}
			},
			// c1 0→2→end 20, c2 0→1→2→3→end 5+5+10+20 = 40, c3 40.
			want: mankowska.Result{Travel: 100, Cost: 100.0 / 3, LatestReturn: 82},
		},
		{
			name: "routes in any order and an idle caregiver",
			mutate: func(in *mankowska.Instance, s *mankowska.Solution) {
				in.Caregivers = append(in.Caregivers, mankowska.Caregiver{Index: 3, Qualified: []bool{true, true, true}})
				for k := range in.Patients {
					for j := range in.Patients[k].Services {
						r := &in.Patients[k].Services[j]
						r.Duration = append(r.Duration, 99)
					}
				}
				s.Routes = []mankowska.Route{s.Routes[2], {CaregiverID: "c4"}, s.Routes[0], s.Routes[1]}
			},
			want: mankowska.Result{Travel: 100, Cost: 100.0 / 3, LatestReturn: 82},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in, s := readTiny(t), readTinySolution(t)
			if tc.mutate != nil {
				tc.mutate(in, s)
			}
			got, err := mankowska.Evaluate(in, s)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Feasible() {
				t.Errorf("violations: %q", got.Violations)
			}
			if !near(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// near reports whether a and b have the same figures to 1e-9 and the same
// violations.
func near(a, b mankowska.Result) bool {
	for _, p := range [][2]float64{
		{a.Travel, b.Travel}, {a.TotalTardiness, b.TotalTardiness}, {a.MaxTardiness, b.MaxTardiness},
		{a.Cost, b.Cost}, {a.LatestReturn, b.LatestReturn},
	} {
		if math.Abs(p[0]-p[1]) > 1e-9 {
			return false
		}
	}
	return len(a.Violations) == len(b.Violations) && (len(a.Violations) == 0 || reflect.DeepEqual(a.Violations, b.Violations))
}

func TestEvaluateViolations(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(in *mankowska.Instance, s *mankowska.Solution)
		want   []string
	}{
		{
			name: "service not performed",
			mutate: func(_ *mankowska.Instance, s *mankowska.Solution) {
				s.Routes[2].Locations = nil
			},
			want: []string{"p3: s3 not performed"},
		},
		{
			name: "service performed twice",
			mutate: func(_ *mankowska.Instance, s *mankowska.Solution) {
				s.Routes[2].Locations = append(s.Routes[2].Locations, visit("p1", "s1", 77, 87))
			},
			want: []string{
				"routes[2].locations[1] (s1 at p1 by c3): caregiver not qualified for s1",
				"p1: s1 performed 2 times",
			},
		},
		{
			name: "unqualified caregiver",
			mutate: func(_ *mankowska.Instance, s *mankowska.Solution) {
				s.Routes[2].CaregiverID = "c1"
				s.Routes[0].CaregiverID = "c3"
			},
			want: []string{
				"routes[0].locations[0] (s1 at p1 by c3): caregiver not qualified for s1",
				"routes[0].locations[1] (s1 at p2 by c3): caregiver not qualified for s1",
				"routes[2].locations[0] (s3 at p3 by c1): caregiver not qualified for s3",
			},
		},
		{
			name: "service not required",
			mutate: func(_ *mankowska.Instance, s *mankowska.Solution) {
				s.Routes[0].Locations[0].Service = "s2"
			},
			want: []string{
				"routes[0].locations[0] (s2 at p1 by c1): patient does not require s2",
				"p1: s1 not performed",
			},
		},
		{
			name: "double service by one caregiver",
			mutate: func(_ *mankowska.Instance, s *mankowska.Solution) {
				// c2 does both services of p2, one after the other.
				s.Routes[0].Locations = s.Routes[0].Locations[:1]
				s.Routes[1].Locations = []mankowska.Visit{
					visit("p2", "s1", 20, 30), visit("p2", "s2", 30, 40), visit("p3", "s2", 50, 62),
				}
				s.Routes[2].Locations[0] = visit("p3", "s3", 60, 72)
			},
			want: []string{
				"p2: both services by the same caregiver c2",
				"p2: simultaneous services start 10.000 apart",
			},
		},
		{
			name: "simultaneous services apart",
			mutate: func(_ *mankowska.Instance, s *mankowska.Solution) {
				s.Routes[1].Locations[0] = visit("p2", "s2", 19, 29)
			},
			want: []string{"p2: simultaneous services start 1.000 apart"},
		},
		{
			name: "sequential gap too short",
			mutate: func(_ *mankowska.Instance, s *mankowska.Solution) {
				s.Routes[2].Locations[0] = visit("p3", "s3", 44, 56)
			},
			want: []string{"p3: s3 starts 4.000 after s2, want from 5 to 20"},
		},
		{
			name: "sequential gap too long",
			mutate: func(_ *mankowska.Instance, s *mankowska.Solution) {
				s.Routes[2].Locations[0] = visit("p3", "s3", 60.01, 72.01)
			},
			want: []string{"p3: s3 starts 20.010 after s2, want from 5 to 20"},
		},
		{
			name: "sequential order reversed",
			mutate: func(_ *mankowska.Instance, s *mankowska.Solution) {
				s.Routes[1].Locations[1] = visit("p3", "s2", 60, 72)
			},
			want: []string{"p3: s3 starts -10.000 after s2, want from 5 to 20"},
		},
		{
			name: "start before arrival",
			mutate: func(_ *mankowska.Instance, s *mankowska.Solution) {
				s.Routes[0].Locations[0] = visit("p1", "s1", 4.99, 14.99)
			},
			want: []string{"routes[0].locations[0] (s1 at p1 by c1): starts at 4.990, before the caregiver can arrive at 5.000"},
		},
		{
			name: "start before previous departure plus travel",
			mutate: func(_ *mankowska.Instance, s *mankowska.Solution) {
				s.Routes[1].Locations[1] = visit("p3", "s2", 39, 51)
				s.Routes[2].Locations[0] = visit("p3", "s3", 49, 61)
			},
			want: []string{"routes[1].locations[1] (s2 at p3 by c2): starts at 39.000, before the caregiver can arrive at 40.000"},
		},
		{
			name: "start before earliest",
			mutate: func(in *mankowska.Instance, _ *mankowska.Solution) {
				in.Patients[0].Window.Earliest = 6
			},
			want: []string{"routes[0].locations[0] (s1 at p1 by c1): starts at 5.000, before the earliest start 6"},
		},
		{
			name: "leaves the depot too early",
			mutate: func(in *mankowska.Instance, _ *mankowska.Solution) {
				in.Depot.Start.Earliest = 1
			},
			want: []string{"routes[0].locations[0] (s1 at p1 by c1): starts at 5.000, before the caregiver can arrive at 6.000"},
		},
		{
			name: "departure not start plus processing",
			mutate: func(_ *mankowska.Instance, s *mankowska.Solution) {
				s.Routes[2].Locations[0].DepartureTime = 60
			},
			want: []string{"routes[2].locations[0] (s3 at p3 by c3): departs at 60.000, want start plus processing time 62.000"},
		},
		{
			name: "two routes for one caregiver",
			mutate: func(_ *mankowska.Instance, s *mankowska.Solution) {
				s.Routes = append(s.Routes, mankowska.Route{CaregiverID: "c2"})
			},
			want: []string{"caregiver c2 has two routes (routes[1] and routes[3])"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in, s := readTiny(t), readTinySolution(t)
			tc.mutate(in, s)
			got, err := mankowska.Evaluate(in, s)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Violations, tc.want) {
				t.Errorf("violations\n  %s\nwant\n  %s", strings.Join(got.Violations, "\n  "), strings.Join(tc.want, "\n  "))
			}
			if got.Feasible() {
				t.Error("Feasible() with violations")
			}
		})
	}
}

func TestEvaluateErrors(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(in *mankowska.Instance, s *mankowska.Solution) (*mankowska.Instance, *mankowska.Solution)
		want   string
	}{
		{"nil instance", func(_ *mankowska.Instance, s *mankowska.Solution) (*mankowska.Instance, *mankowska.Solution) {
			return nil, s
		}, "mankowska: evaluate: nil instance or solution"},
		{"nil solution", func(in *mankowska.Instance, _ *mankowska.Solution) (*mankowska.Instance, *mankowska.Solution) {
			return in, nil
		}, "mankowska: evaluate: nil instance or solution"},
		{"bad caregiver id", func(in *mankowska.Instance, s *mankowska.Solution) (*mankowska.Instance, *mankowska.Solution) {
			s.Routes[1].CaregiverID = "nurse2"
			return in, s
		}, `mankowska: evaluate: routes[1].caregiver_id: id "nurse2": want c followed by a positive integer`},
		{"unknown caregiver", func(in *mankowska.Instance, s *mankowska.Solution) (*mankowska.Instance, *mankowska.Solution) {
			s.Routes[1].CaregiverID = "c4"
			return in, s
		}, `mankowska: evaluate: routes[1].caregiver_id: "c4", but the instance has 3 caregivers`},
		{"bad patient id", func(in *mankowska.Instance, s *mankowska.Solution) (*mankowska.Instance, *mankowska.Solution) {
			s.Routes[0].Locations[1].Patient = "p0"
			return in, s
		}, `mankowska: evaluate: routes[0].locations[1].patient: id "p0": want p followed by a positive integer`},
		{"unknown patient", func(in *mankowska.Instance, s *mankowska.Solution) (*mankowska.Instance, *mankowska.Solution) {
			s.Routes[0].Locations[1].Patient = "p4"
			return in, s
		}, `mankowska: evaluate: routes[0].locations[1].patient: "p4", but the instance has 3 patients`},
		{"bad service id", func(in *mankowska.Instance, s *mankowska.Solution) (*mankowska.Instance, *mankowska.Solution) {
			s.Routes[0].Locations[1].Service = "1"
			return in, s
		}, `mankowska: evaluate: routes[0].locations[1].service: id "1": want s followed by a positive integer`},
		{"unknown service", func(in *mankowska.Instance, s *mankowska.Solution) (*mankowska.Instance, *mankowska.Solution) {
			s.Routes[0].Locations[1].Service = "s4"
			return in, s
		}, `mankowska: evaluate: routes[0].locations[1].service: "s4", but the instance has 3 services`},
		{"infinite time", func(in *mankowska.Instance, s *mankowska.Solution) (*mankowska.Instance, *mankowska.Solution) {
			s.Routes[2].Locations[0].DepartureTime = math.Inf(1)
			return in, s
		}, "mankowska: evaluate: routes[2].locations[0]: non-finite time"},
		{"short travel row", func(in *mankowska.Instance, s *mankowska.Solution) (*mankowska.Instance, *mankowska.Solution) {
			in.Travel[2] = in.Travel[2][:4]
			return in, s
		}, "mankowska: evaluate: instance tiny: travel matrix row 2 has 4 values, want 5"},
		{"travel rows", func(in *mankowska.Instance, s *mankowska.Solution) (*mankowska.Instance, *mankowska.Solution) {
			in.Travel = in.Travel[:4]
			return in, s
		}, "mankowska: evaluate: instance tiny: travel matrix has 4 rows, want 5"},
		{"patient node", func(in *mankowska.Instance, s *mankowska.Solution) (*mankowska.Instance, *mankowska.Solution) {
			in.Patients[1].Node = 3
			return in, s
		}, "mankowska: evaluate: instance tiny: patients[1] has node 3, want 2"},
		{"kind and services", func(in *mankowska.Instance, s *mankowska.Solution) (*mankowska.Instance, *mankowska.Solution) {
			in.Patients[0].Kind = mankowska.Simultaneous
			return in, s
		}, "mankowska: evaluate: instance tiny: patients[0]: 1 services for kind simultaneous"},
		{"durations", func(in *mankowska.Instance, s *mankowska.Solution) (*mankowska.Instance, *mankowska.Solution) {
			in.Caregivers = append(in.Caregivers, mankowska.Caregiver{Index: 3})
			return in, s
		}, "mankowska: evaluate: instance tiny: patients[0]: 3 durations for s1, want one per caregiver (4)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in, s := tc.mutate(readTiny(t), readTinySolution(t))
			if _, err := mankowska.Evaluate(in, s); err == nil || err.Error() != tc.want {
				t.Errorf("error %v, want %s", err, tc.want)
			}
		})
	}
}
