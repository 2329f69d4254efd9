package mankowska

import (
	"errors"
	"fmt"
	"math"
)

// Tolerance is the slack Evaluate allows when comparing times. The published
// solutions give times rounded to 3 decimals, so a start computed from a
// rounded departure and a travel time can be off by up to 0.001; 0.002
// leaves room for that and for floating-point error.
const Tolerance = 0.002

// Result is the evaluation of a solution.
type Result struct {
	// Travel is the total distance of all routes, depot legs included.
	Travel float64
	// TotalTardiness sums, over every visit, how far its start is past the
	// patient's latest start (a double-service patient counts twice).
	TotalTardiness float64
	// MaxTardiness is the largest of those tardiness terms.
	MaxTardiness float64
	// Cost is the published objective, (Travel + TotalTardiness +
	// MaxTardiness) / 3.
	Cost float64
	// LatestReturn is the latest time a caregiver is back at the depot
	// (0 when no caregiver leaves it). It is not part of the objective, and
	// being later than the depot's End.Latest is not a violation.
	LatestReturn float64
	// Violations describes each broken constraint; the solution is feasible
	// when it is empty. The figures above are computed all the same.
	Violations []string
}

// Feasible reports whether the solution broke no constraint.
func (r Result) Feasible() bool { return len(r.Violations) == 0 }

// served is one visit to a (patient, service) pair.
type served struct {
	caregiver int
	start     float64
}

// Evaluate computes the objective of s on in and checks its feasibility:
//
//   - every service each patient requires is performed exactly once, and
//     no other service is performed;
//   - by a caregiver qualified for it;
//   - the two services of a double-service patient by different
//     caregivers, starting together (Simultaneous) or with the second
//     starting from MinGap to MaxGap after the first (Sequential);
//   - each route starts and ends at the depot (the legs are implicit and
//     counted in Travel) and leaves no earlier than Depot.Start.Earliest;
//   - each service starts no earlier than the patient's Window.Earliest
//     and no earlier than the caregiver's previous departure (or leaving
//     the depot) plus the travel time;
//   - each departure is the start plus the processing time;
//   - each caregiver has at most one route.
//
// Times are compared with Tolerance. Lateness past a patient's
// Window.Latest is not a violation but tardiness, and the depot's End
// window is not enforced (the published solutions do not respect it).
// Evaluate returns an error only when s cannot be read against in: nil
// arguments, malformed or unknown caregiver, patient or service ids, or
// non-finite times.
func Evaluate(in *Instance, s *Solution) (Result, error) {
	if in == nil || s == nil {
		return Result{}, errors.New("mankowska: evaluate: nil instance or solution")
	}
	if err := checkShape(in); err != nil {
		return Result{}, fmt.Errorf("mankowska: evaluate: instance %s: %w", in.Name, err)
	}
	var res Result
	violate := func(format string, args ...any) {
		res.Violations = append(res.Violations, fmt.Sprintf(format, args...))
	}
	end := in.EndNode()
	visits := make(map[[2]int][]served) // (patient node, service) → visits
	routeOf := make(map[int]int)        // caregiver → first route index
	for ri, rt := range s.Routes {
		v, err := ParseCaregiverID(rt.CaregiverID)
		if err != nil {
			return Result{}, fmt.Errorf("mankowska: evaluate: routes[%d].caregiver_id: %w", ri, err)
		}
		if v >= len(in.Caregivers) {
			return Result{}, fmt.Errorf("mankowska: evaluate: routes[%d].caregiver_id: %q, but the instance has %d caregivers", ri, rt.CaregiverID, len(in.Caregivers))
		}
		if first, ok := routeOf[v]; ok {
			violate("caregiver %s has two routes (routes[%d] and routes[%d])", rt.CaregiverID, first, ri)
		} else {
			routeOf[v] = ri
		}
		cg := in.Caregivers[v]
		at := 0                         // current node
		free := in.Depot.Start.Earliest // when the caregiver may leave at
		for li, vis := range rt.Locations {
			where := fmt.Sprintf("routes[%d].locations[%d]", ri, li)
			node, err := ParsePatientID(vis.Patient)
			if err != nil {
				return Result{}, fmt.Errorf("mankowska: evaluate: %s.patient: %w", where, err)
			}
			if node > len(in.Patients) {
				return Result{}, fmt.Errorf("mankowska: evaluate: %s.patient: %q, but the instance has %d patients", where, vis.Patient, len(in.Patients))
			}
			svc, err := ParseServiceID(vis.Service)
			if err != nil {
				return Result{}, fmt.Errorf("mankowska: evaluate: %s.service: %w", where, err)
			}
			if svc >= in.NumServices {
				return Result{}, fmt.Errorf("mankowska: evaluate: %s.service: %q, but the instance has %d services", where, vis.Service, in.NumServices)
			}
			if !finite(vis.ArrivalTime) || !finite(vis.DepartureTime) {
				return Result{}, fmt.Errorf("mankowska: evaluate: %s: non-finite time", where)
			}
			pt := in.Patients[node-1]
			who := fmt.Sprintf("%s (%s at %s by %s)", where, vis.Service, vis.Patient, rt.CaregiverID)

			travel := in.Travel[at][node]
			res.Travel += travel
			start := vis.ArrivalTime
			if start < free+travel-Tolerance {
				violate("%s: starts at %.3f, before the caregiver can arrive at %.3f", who, start, free+travel)
			}
			if start < pt.Window.Earliest-Tolerance {
				violate("%s: starts at %.3f, before the earliest start %g", who, start, pt.Window.Earliest)
			}
			if !cg.CanDo(svc) {
				violate("%s: caregiver not qualified for %s", who, vis.Service)
			}
			finish := vis.DepartureTime
			if r, ok := in.Requirement(node, svc); ok {
				finish = start + r.Duration[v]
				if math.Abs(vis.DepartureTime-finish) > Tolerance {
					violate("%s: departs at %.3f, want start plus processing time %.3f", who, vis.DepartureTime, finish)
				}
			} else {
				violate("%s: patient does not require %s", who, vis.Service)
			}
			tard := max(0, start-pt.Window.Latest)
			res.TotalTardiness += tard
			res.MaxTardiness = max(res.MaxTardiness, tard)
			visits[[2]int{node, svc}] = append(visits[[2]int{node, svc}], served{caregiver: v, start: start})
			at = node
			free = max(finish, vis.DepartureTime)
		}
		if at != 0 {
			res.Travel += in.Travel[at][end]
			res.LatestReturn = max(res.LatestReturn, free+in.Travel[at][end])
		}
	}

	for _, pt := range in.Patients {
		ok := true
		for _, r := range pt.Services {
			switch n := len(visits[[2]int{pt.Node, r.Service}]); n {
			case 0:
				violate("%s: %s not performed", PatientID(pt.Node), ServiceID(r.Service))
				ok = false
			case 1:
			default:
				violate("%s: %s performed %d times", PatientID(pt.Node), ServiceID(r.Service), n)
				ok = false
			}
		}
		if pt.Kind == Single || !ok {
			continue
		}
		a := visits[[2]int{pt.Node, pt.Services[0].Service}][0]
		b := visits[[2]int{pt.Node, pt.Services[1].Service}][0]
		id := PatientID(pt.Node)
		if a.caregiver == b.caregiver {
			violate("%s: both services by the same caregiver %s", id, CaregiverID(a.caregiver))
		}
		gap := b.start - a.start
		switch pt.Kind {
		case Simultaneous:
			if math.Abs(gap) > Tolerance {
				violate("%s: simultaneous services start %.3f apart", id, math.Abs(gap))
			}
		case Sequential:
			if gap < pt.MinGap-Tolerance || gap > pt.MaxGap+Tolerance {
				violate("%s: %s starts %.3f after %s, want from %g to %g", id,
					ServiceID(pt.Services[1].Service), gap, ServiceID(pt.Services[0].Service), pt.MinGap, pt.MaxGap)
			}
		}
	}
	res.Cost = (res.Travel + res.TotalTardiness + res.MaxTardiness) / 3
	return res, nil
}

// checkShape checks the sizes Evaluate relies on, so that an instance built
// by hand rather than by Read gives an error instead of a panic.
func checkShape(in *Instance) error {
	n := in.NumNodes()
	if len(in.Travel) != n {
		return fmt.Errorf("travel matrix has %d rows, want %d", len(in.Travel), n)
	}
	for i, r := range in.Travel {
		if len(r) != n {
			return fmt.Errorf("travel matrix row %d has %d values, want %d", i, len(r), n)
		}
	}
	for k, pt := range in.Patients {
		if pt.Node != k+1 {
			return fmt.Errorf("patients[%d] has node %d, want %d", k, pt.Node, k+1)
		}
		if len(pt.Services) == 0 || len(pt.Services) > 2 || (pt.Kind == Single) != (len(pt.Services) == 1) {
			return fmt.Errorf("patients[%d]: %d services for kind %v", k, len(pt.Services), pt.Kind)
		}
		for _, r := range pt.Services {
			if len(r.Duration) != len(in.Caregivers) {
				return fmt.Errorf("patients[%d]: %d durations for %s, want one per caregiver (%d)", k, len(r.Duration), ServiceID(r.Service), len(in.Caregivers))
			}
		}
	}
	return nil
}
