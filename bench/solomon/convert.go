package solomon

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/rounds-dev/rounds/optimiser"
	"github.com/rounds-dev/rounds/roster"
)

// SecondsPerUnit converts the instances' time and distance unit to the
// optimiser's seconds. 30 is the smallest scale at which a DIMACS arc (whole
// tenths of a unit) is a whole number of seconds and the service times (10
// and 90 units) are whole minutes; the longest horizon, 3390 units, is then
// 101,700 s, within the 48 hours a day can hold.
const SecondsPerUnit = 30

// ToInstance converts a Solomon instance into the project's model: the
// depot is every carer's start and end, each of the fleet's vehicles is a
// driving carer with one shift over the depot's window and the vehicle
// capacity, each customer a client with one visit of its service time, hard
// window and demand as load. Travel is given as a matrix of the arc lengths
// in the chosen convention: DIMACS arcs are exact in seconds; exact
// Euclidean arcs are rounded up to the second, so that a schedule feasible in
// seconds is feasible in the original units.
func ToInstance(in *Instance, dimacs bool) (*roster.Instance, error) {
	if in == nil || len(in.Customers) < 2 || in.Vehicles < 1 {
		return nil, fmt.Errorf("solomon: instance has no customers or vehicles")
	}
	depot := in.Customers[0]
	open, err := clock(depot.Ready)
	if err != nil {
		return nil, fmt.Errorf("solomon: %s: depot ready: %w", in.Name, err)
	}
	closeT, err := clock(depot.Due)
	if err != nil {
		return nil, fmt.Errorf("solomon: %s: depot due: %w", in.Name, err)
	}
	out := &roster.Instance{Name: in.Name, Date: "2026-01-05", TimeZone: "UTC"}
	for k := 0; k < in.Vehicles; k++ {
		out.Carers = append(out.Carers, roster.Carer{
			ID: "v" + strconv.Itoa(k+1), Mode: roster.Drive, Capacity: in.Capacity,
			Shifts: []roster.Shift{{Start: open, End: closeT}},
		})
	}
	for _, c := range in.Customers[1:] {
		id := CustomerID(c.ID)
		ready, err1 := clock(c.Ready)
		due, err2 := clock(c.Due)
		svc := c.Service * SecondsPerUnit
		if err1 != nil || err2 != nil || svc != math.Trunc(svc/60)*60 || svc <= 0 {
			return nil, fmt.Errorf("solomon: %s: customer %d: window %v-%v or service %v does not convert to whole seconds and minutes", in.Name, c.ID, c.Ready, c.Due, c.Service)
		}
		out.Clients = append(out.Clients, roster.Client{ID: id})
		out.Visits = append(out.Visits, roster.Visit{
			ID: id, Client: id, DurationMin: int(svc / 60), Load: c.Demand,
			Windows: []roster.Window{{Start: ready, End: due}},
		})
	}
	nC := len(in.Customers) - 1
	node := func(pt int) int {
		if pt < nC {
			return pt + 1
		}
		return 0
	}
	n := nC + 2*in.Vehicles
	m := roster.TravelMatrix{DurationsS: make([][]int, n), DistancesM: make([][]int, n)}
	for i := 0; i < n; i++ {
		m.DurationsS[i] = make([]int, n)
		m.DistancesM[i] = make([]int, n)
		for j := 0; j < n; j++ {
			d := in.Dist(node(i), node(j), dimacs) * SecondsPerUnit
			m.DurationsS[i][j] = int(math.Ceil(d - 1e-9))
			m.DistancesM[i][j] = m.DurationsS[i][j]
		}
	}
	out.Travel = &roster.TravelConfig{Matrices: map[roster.Mode]roster.TravelMatrix{roster.Drive: m}}
	if err := out.Validate(); err != nil {
		return nil, fmt.Errorf("solomon: %s: converted instance: %w", in.Name, err)
	}
	return out, nil
}

// Weights returns the optimiser's weights for a convention: distance only
// (DIMACS), or vehicles first and then distance (hierarchical: a vehicle
// costs more than any day's distance).
func Weights(dimacs bool) optimiser.Weights {
	if dimacs {
		return optimiser.Weights{Travel: 1}
	}
	return optimiser.Weights{Travel: 1, CarerUsed: 1e6}
}

// CustomerID names customer number c as a client and visit.
func CustomerID(c int) string { return "c" + strconv.Itoa(c) }

// FromPlan turns a plan for a converted instance into routes of customer
// numbers.
func FromPlan(p *roster.Plan) (Solution, error) {
	var s Solution
	for _, r := range p.Rounds {
		var route []int
		for _, st := range r.Stops {
			n, err := strconv.Atoi(strings.TrimPrefix(st.Visit, "c"))
			if err != nil || !strings.HasPrefix(st.Visit, "c") {
				return s, fmt.Errorf("solomon: plan visit %q is not a customer", st.Visit)
			}
			route = append(route, n)
		}
		if len(route) > 0 {
			s.Routes = append(s.Routes, route)
		}
	}
	return s, nil
}

func clock(t float64) (roster.Clock, error) {
	s := t * SecondsPerUnit
	if s != math.Trunc(s) || s < 0 || s > float64(roster.MaxClock) {
		return 0, fmt.Errorf("time %v is not a whole number of seconds within 48 hours", t)
	}
	return roster.Clock(s), nil
}
