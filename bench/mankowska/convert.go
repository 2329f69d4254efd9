package mankowska

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/rounds-dev/rounds/optimiser"
	"github.com/rounds-dev/rounds/roster"
)

// SecondsPerUnit converts the instances' time unit, read as minutes, to the
// optimiser's seconds.
const SecondsPerUnit = 60

// ToInstance converts a benchmark instance into the project's own model:
// one client per patient, one visit per required service (skill "s<k>"),
// caregivers as driving carers starting and ending at the depot with one
// shift from the depot's opening to 48:00 (the published solutions do not
// keep the depot's closing time), soft windows costing one per minute of
// tardiness, and double services as simultaneous or sequential
// dependencies. Travel is given as a matrix: each leg's time rounded up to
// the second, so that a schedule feasible in seconds stays feasible in the
// original units; distances are kept in thousandths of a unit.
func ToInstance(in *Instance) (*roster.Instance, error) {
	if in == nil || len(in.Caregivers) == 0 {
		return nil, fmt.Errorf("mankowska: %s: no caregivers", nameOf(in))
	}
	out := &roster.Instance{Name: in.Name, Date: "2026-01-05", TimeZone: "UTC"}
	nP, nC := len(in.Patients), len(in.Caregivers)
	open, err := clock(in.Depot.Start.Earliest)
	if err != nil {
		return nil, fmt.Errorf("mankowska: %s: depot: %w", in.Name, err)
	}
	for k, cg := range in.Caregivers {
		c := roster.Carer{
			ID:     CaregiverID(k),
			Mode:   roster.Drive,
			Shifts: []roster.Shift{{Start: open, End: roster.MaxClock}},
		}
		for s, ok := range cg.Qualified {
			if ok {
				c.Skills = append(c.Skills, ServiceID(s))
			}
		}
		out.Carers = append(out.Carers, c)
	}
	for _, p := range in.Patients {
		pid := PatientID(p.Node)
		out.Clients = append(out.Clients, roster.Client{ID: pid})
		e, err1 := clock(p.Window.Earliest)
		l, err2 := clock(p.Window.Latest)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("mankowska: %s: patient %s: window %v-%v is not whole minutes within 48 hours", in.Name, pid, p.Window.Earliest, p.Window.Latest)
		}
		var ids []string
		for _, req := range p.Services {
			d := req.Duration[0]
			for _, o := range req.Duration {
				if o != d {
					return nil, fmt.Errorf("mankowska: %s: patient %s: service %s takes different times by caregiver, which the model does not hold", in.Name, pid, ServiceID(req.Service))
				}
			}
			if d != math.Trunc(d) || d <= 0 {
				return nil, fmt.Errorf("mankowska: %s: patient %s: service %s lasts %v, not a whole positive number of minutes", in.Name, pid, ServiceID(req.Service), d)
			}
			id := pid + "-" + ServiceID(req.Service)
			ids = append(ids, id)
			out.Visits = append(out.Visits, roster.Visit{
				ID: id, Client: pid, DurationMin: int(d),
				Windows:        []roster.Window{{Start: e, End: l}},
				WindowType:     roster.Soft,
				RequiredSkills: []string{ServiceID(req.Service)},
			})
		}
		switch p.Kind {
		case Simultaneous:
			out.Dependencies = append(out.Dependencies, roster.Dependency{Type: roster.Simultaneous, First: ids[0], Second: ids[1]})
		case Sequential:
			if p.MinGap != math.Trunc(p.MinGap) || p.MaxGap != math.Trunc(p.MaxGap) {
				return nil, fmt.Errorf("mankowska: %s: patient %s: gaps %v-%v are not whole minutes", in.Name, pid, p.MinGap, p.MaxGap)
			}
			mx := int(p.MaxGap)
			out.Dependencies = append(out.Dependencies, roster.Dependency{Type: roster.Sequential, First: ids[0], Second: ids[1], MinGapMin: int(p.MinGap), MaxGapMin: &mx, DistinctCarers: true})
		}
	}
	// Points: patients 0..nP-1 (nodes 1..nP), then each carer's start
	// (node 0) and end (the last node).
	node := func(pt int) int {
		switch {
		case pt < nP:
			return pt + 1
		case (pt-nP)%2 == 0:
			return 0
		}
		return in.EndNode()
	}
	n := nP + 2*nC
	m := roster.TravelMatrix{DurationsS: make([][]int, n), DistancesM: make([][]int, n)}
	for i := 0; i < n; i++ {
		m.DurationsS[i] = make([]int, n)
		m.DistancesM[i] = make([]int, n)
		for j := 0; j < n; j++ {
			d := in.Travel[node(i)][node(j)]
			m.DurationsS[i][j] = int(math.Ceil(d*SecondsPerUnit - 1e-9))
			m.DistancesM[i][j] = int(math.Round(d * 1000))
		}
	}
	out.Travel = &roster.TravelConfig{Matrices: map[roster.Mode]roster.TravelMatrix{roster.Drive: m}}
	if err := out.Validate(); err != nil {
		return nil, fmt.Errorf("mankowska: %s: converted instance: %w", in.Name, err)
	}
	return out, nil
}

// FromPlan turns a plan for a converted instance into the benchmark's
// solution form: each caregiver's services in order, with start and end
// times in the instance's unit.
func FromPlan(in *Instance, p *roster.Plan) (*Solution, error) {
	byCarer := map[string][]Visit{}
	for _, r := range p.Rounds {
		for _, st := range r.Stops {
			pid, sid, ok := strings.Cut(st.Visit, "-")
			if !ok {
				return nil, fmt.Errorf("mankowska: plan visit %q is not patient-service", st.Visit)
			}
			byCarer[r.Carer] = append(byCarer[r.Carer], Visit{
				Patient: pid, Service: sid,
				ArrivalTime:   float64(st.Start) / SecondsPerUnit,
				DepartureTime: float64(st.End) / SecondsPerUnit,
			})
		}
	}
	s := &Solution{}
	for k := range in.Caregivers {
		id := CaregiverID(k)
		s.Routes = append(s.Routes, Route{CaregiverID: id, Locations: byCarer[id]})
	}
	return s, nil
}

// clock converts a time in the instance's unit to a Clock, if it is a whole
// number of minutes within 48 hours.
func clock(t float64) (roster.Clock, error) {
	s := t * SecondsPerUnit
	if t != math.Trunc(t) || s < 0 || s > float64(roster.MaxClock) {
		return 0, fmt.Errorf("time %s is not a whole number of minutes from 0 to 48 hours", strconv.FormatFloat(t, 'g', -1, 64))
	}
	return roster.Clock(s), nil
}

func nameOf(in *Instance) string {
	if in == nil {
		return "<nil>"
	}
	return in.Name
}

// Weights make the optimiser's objective the benchmark's (times 60 × 3): a
// second of travel costs 1, and a minute (one unit) of total or of maximum
// tardiness 60, so that each counts per unit as the benchmark counts it;
// carers, waiting and wishes are free.
var Weights = optimiser.Weights{Travel: 1, Lateness: 60, MaxLateness: 60}
