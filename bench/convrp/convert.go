package convrp

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/rounds-dev/rounds/roster"
)

// The fixed choices of Convert (see "Converting to a planning period" in
// the package documentation).
const (
	// PeriodStart is the first date of every converted period, a Monday.
	PeriodStart = "2026-11-23"
	// MetresPerUnit is the length of one unit of the instance's plane in a
	// converted instance's distances_m.
	MetresPerUnit = 1000
	// ZeroServiceS is the service a converted visit is given where the
	// instance gives none (rounds' visits last at least a minute); it is
	// taken off every leg leaving the customer, so arrivals stay exact.
	ZeroServiceS = 60
	// UnlimitedScale is DefaultScale for an instance without a duration
	// limit: two minutes a unit, so that the day holds 720 units of travel.
	UnlimitedScale = 120
	// dayS is the length of a converted day and of its longest shift.
	dayS = 24 * 3600
	// exact is the slack allowed when a scaled figure must be a whole
	// number of seconds or minutes: the instance's figures are decimals.
	exact = 1e-6
)

// Config says how Convert turns an instance into a period document.
type Config struct {
	// L caps each customer's spread of arrival times, in the instance's
	// units; math.Inf(1) for no cap.
	L float64
	// Scale is the seconds one unit of distance takes to travel; 0 takes
	// DefaultScale of the instance.
	Scale int
}

// DefaultScale is the scale Convert uses when Config.Scale is 0: for an
// instance with a duration limit D, the largest whole number of minutes a
// unit such that a shift of D fits in a day, so that rounding travel to the
// second costs as little as the day allows (2460 s, 41 minutes a unit, for
// the small set's D = 35); without a limit, UnlimitedScale.
func DefaultScale(in *Instance) int {
	if in == nil || !in.DurationLimited() || !(in.MaxDuration > 0) {
		return UnlimitedScale
	}
	return int(math.Floor(dayS/in.MaxDuration/60)) * 60
}

// RoundingBound is how much longer, in the instance's units of distance, a
// plan that is best for the converted instance's travel seconds can be than
// the instance's best plan, for the rounding of travel to the second alone:
// every leg is off by at most half a second and a plan of V visits has at
// most 2V legs, so the two plans' costs differ from their true ones by at
// most V seconds each, 2V/scale units in all. Feasibility is rounded the
// same way: a route's duration and a customer's arrivals in the converted
// instance differ from the true ones by at most half a second a leg.
//
// Where a customer without service shares its place with another node (or
// lies within ZeroServiceS of it at the scale), the leg between them cannot
// carry the folded service and is clipped at 0: it costs, and delays the
// rest of its route, up to ZeroServiceS more than it should. The bound then
// adds ZeroServiceS for each visit of such a customer to both plans.
func RoundingBound(in *Instance, scale int) float64 {
	fold, short := folds(in), 0
	for _, c := range in.Customers {
		if fold[c.ID] == 0 {
			continue
		}
		for b := 0; b <= len(in.Customers); b++ {
			if b != c.ID && math.Round(in.Dist(c.ID, b)*float64(scale)) < float64(fold[c.ID]) {
				short += len(c.Days())
				break
			}
		}
	}
	return (2*float64(in.Visits()) + 2*float64(ZeroServiceS*short)) / float64(scale)
}

// folds gives, by node, the seconds of service folded into the legs leaving
// it: ZeroServiceS for a customer with a visit of no service time, else 0.
func folds(in *Instance) []int {
	fold := make([]int, len(in.Customers)+1)
	for _, c := range in.Customers {
		for _, d := range c.Days() {
			if c.Service[d] == 0 {
				fold[c.ID] = ZeroServiceS
			}
		}
	}
	return fold
}

// Convert builds the period document of in for rounds (see "Converting to a
// planning period" in the package documentation): one carer per customer,
// each at the depot with a shift of D every day and capacity Q, one client
// per customer with a dated visit on each of its days, the travel given as
// matrices at cfg's scale, and the rules of the ConVRP (one carer per
// client, the spread cap L, no waiting). It returns an error, naming the
// customer and day, when a figure cannot be carried over exactly at the
// scale.
func Convert(in *Instance, cfg Config) (*roster.Instance, error) {
	if in == nil {
		return nil, errors.New("convrp: convert: nil instance")
	}
	fail := func(format string, args ...any) error {
		return fmt.Errorf("convrp: convert %s: %s", in.Name, fmt.Sprintf(format, args...))
	}
	s := cfg.Scale
	if s == 0 {
		s = DefaultScale(in)
	}
	if s < 1 {
		return nil, fail("scale %d: want at least 1 second a unit", s)
	}
	if in.Days < 1 || in.Days > roster.MaxPeriodDays {
		return nil, fail("NUM_DAYS %d: a period has 1 to %d days", in.Days, roster.MaxPeriodDays)
	}
	if math.IsNaN(cfg.L) || cfg.L < 0 {
		return nil, fail("L = %v: want a number ≥ 0, or +Inf for no cap", cfg.L)
	}
	whole := func(v float64) (int, bool) {
		r := math.Round(v)
		return int(r), math.Abs(v-r) <= exact*math.Max(1, math.Abs(v)) && r <= math.MaxInt32
	}
	capacity, ok := whole(in.Capacity)
	if !ok || capacity < 1 || capacity > roster.MaxLoad {
		return nil, fail("CAPACITY %v: rounds takes a whole number from 1 to %d", in.Capacity, roster.MaxLoad)
	}
	shiftEnd := roster.Clock(dayS)
	if in.DurationLimited() {
		d := in.MaxDuration * float64(s)
		if d > dayS {
			return nil, fail("DISTANCE %v at %d s a unit is %.0f s, longer than a day (%d s): take a smaller scale", in.MaxDuration, s, d, dayS)
		}
		// Rounding down keeps every converted route within D.
		shiftEnd = roster.Clock(math.Floor(d))
	}
	var spreadMin *int
	if !math.IsInf(cfg.L, 1) {
		m, ok := whole(cfg.L * float64(s) / 60)
		if !ok || m > roster.MaxDayMin {
			return nil, fail("L = %v at %d s a unit is %v minutes: want a whole number of minutes up to %d; take another scale", cfg.L, s, cfg.L*float64(s)/60, roster.MaxDayMin)
		}
		spreadMin = &m
	}

	n := len(in.Customers)
	start, err := time.Parse(time.DateOnly, PeriodStart)
	if err != nil {
		return nil, fail("%v", err)
	}
	out := &roster.Instance{
		Name:     in.Name,
		Period:   &roster.Period{Start: PeriodStart, Days: in.Days},
		TimeZone: "UTC",
		Clients:  make([]roster.Client, n),
		Carers:   make([]roster.Carer, n),
		Visits:   []roster.Visit{},
		Rules: &roster.Rules{
			MaxDistinctCarers:    ptr(1),
			CallTimeSpreadMaxMin: spreadMin,
			NoWaiting:            true,
			// The ConVRP has no working-time law: a driver may drive the
			// whole of every day.
			MaxWeekHours:   ptr(roster.MaxWeekHours),
			MinDailyRestH:  ptr(0),
			MinWeeklyRestH: ptr(0),
		},
	}
	place := locator(in)
	depot := place(in.Depot)
	fold := folds(in) // seconds taken off the legs leaving node k
	for i, c := range in.Customers {
		out.Clients[i] = roster.Client{ID: clientID(c.ID), Location: place(c.At)}
		out.Carers[i] = roster.Carer{ID: fmt.Sprintf("D%d", i+1), Start: depot, Mode: roster.Drive,
			Shifts: []roster.Shift{{Start: 0, End: shiftEnd}}, Capacity: capacity}
		for _, d := range c.Days() {
			field := fmt.Sprintf("customer %d day %d", c.ID, d+1)
			load, ok := whole(c.Demand[d])
			if !ok || load < 0 || load > roster.MaxLoad {
				return nil, fail("%s: demand %v: rounds takes a whole number from 0 to %d", field, c.Demand[d], roster.MaxLoad)
			}
			svc, ok := whole(c.Service[d] * float64(s))
			if !ok || svc < 0 || svc%60 != 0 || (svc+fold[c.ID])/60 > roster.MaxDurationMin {
				return nil, fail("%s: service %v at %d s a unit is %v s: want a whole number of minutes up to %d; take another scale", field, c.Service[d], s, c.Service[d]*float64(s), roster.MaxDurationMin)
			}
			date := start.AddDate(0, 0, d).Format(time.DateOnly)
			out.Visits = append(out.Visits, roster.Visit{
				ID: roster.VisitID(clientID(c.ID), date), Date: date, Client: clientID(c.ID),
				DurationMin: (svc + fold[c.ID]) / 60, Load: load,
				Windows: []roster.Window{{Start: 0, End: shiftEnd}},
			})
		}
	}

	// Points: client i is customer i+1; every carer's start and end is the
	// depot (roster.Instance.Points).
	node := func(p int) int {
		if p < n {
			return p + 1
		}
		return 0
	}
	np := 3 * n
	m := roster.TravelMatrix{DurationsS: make([][]int, np), DistancesM: make([][]int, np)}
	for p := range np {
		m.DurationsS[p], m.DistancesM[p] = make([]int, np), make([]int, np)
		for q := range np {
			a, b := node(p), node(q)
			if a == b {
				continue
			}
			dist := in.Dist(a, b)
			// A leg too short to carry the folded service (customers at
			// one place) is clipped at 0; RoundingBound counts it.
			secs := max(0, int(math.Round(dist*float64(s)))-fold[a])
			if secs > roster.MaxLegS || dist*MetresPerUnit > roster.MaxLegM {
				return nil, fail("the leg from node %d to node %d, %v units, takes %.0f s at %d s a unit, more than a day (%d s): take a smaller scale", a, b, dist, dist*float64(s), s, roster.MaxLegS)
			}
			m.DurationsS[p][q] = secs
			m.DistancesM[p][q] = int(math.Round(dist * MetresPerUnit))
		}
	}
	out.Travel = &roster.TravelConfig{Matrices: map[roster.Mode]roster.TravelMatrix{roster.Drive: m}}
	return out, nil
}

// clientID is the id of customer c's client in a converted instance.
func clientID(c int) string { return fmt.Sprintf("c%d", c) }

// ptr returns a pointer to v.
func ptr(v int) *int { return &v }

// locator maps the instance's plane into a box 0.1° on a side from
// 52° N, 1° W, keeping its shape. The places matter only to people reading
// the document: travel is given as matrices.
func locator(in *Instance) func(Point) roster.Location {
	lo, hi := in.Depot, in.Depot
	for _, c := range in.Customers {
		lo.X, lo.Y = math.Min(lo.X, c.At.X), math.Min(lo.Y, c.At.Y)
		hi.X, hi.Y = math.Max(hi.X, c.At.X), math.Max(hi.Y, c.At.Y)
	}
	span := math.Max(hi.X-lo.X, hi.Y-lo.Y)
	if !(span > 0) || math.IsInf(span, 0) {
		span = 1
	}
	return func(p Point) roster.Location {
		return roster.Location{Lat: 52 + 0.1*(p.Y-lo.Y)/span, Lon: -1 + 0.1*(p.X-lo.X)/span}
	}
}

// Back turns a plan of conv, the instance Convert made of in, into a
// Solution of in for Evaluate: each carer Dk is driver k, each round with
// stops is a route on the day of its visits (which must all fall on one
// day) visiting their customers in the order of the stops. Rounds without
// stops are idle and left out; unserved visits are left for Evaluate to
// report as missed. It returns an error naming the round and stop when the
// plan does not fit conv.
func Back(in *Instance, conv *roster.Instance, p *roster.Plan) (*Solution, error) {
	if in == nil || conv == nil || p == nil {
		return nil, errors.New("convrp: back: nil instance, converted instance or plan")
	}
	start, err := time.Parse(time.DateOnly, conv.PeriodOf().Start)
	if err != nil {
		return nil, fmt.Errorf("convrp: back: period start %q: %w", conv.PeriodOf().Start, err)
	}
	ix := roster.NewIndex(conv)
	type at struct{ customer, day int }
	visits := make(map[string]at, len(conv.Visits))
	for i, v := range conv.Visits {
		d, err := time.Parse(time.DateOnly, v.Date)
		if err != nil {
			return nil, fmt.Errorf("convrp: back: visits[%d].date %q: %w", i, v.Date, err)
		}
		visits[v.ID] = at{ix.Client[v.Client] + 1, int(d.Sub(start) / (24 * time.Hour))}
	}
	sol := &Solution{Instance: in.Name}
	for r, rd := range p.Rounds {
		k, ok := ix.Carer[rd.Carer]
		if !ok {
			return nil, fmt.Errorf("convrp: back: rounds[%d].carer: unknown carer %q", r, rd.Carer)
		}
		if len(rd.Stops) == 0 {
			continue
		}
		route := Route{Day: -1, Driver: k + 1}
		for j, st := range rd.Stops {
			v, ok := visits[st.Visit]
			if !ok {
				return nil, fmt.Errorf("convrp: back: rounds[%d].stops[%d].visit: unknown visit %q", r, j, st.Visit)
			}
			if want := conv.Clients[v.customer-1].ID; st.Client != want {
				return nil, fmt.Errorf("convrp: back: rounds[%d].stops[%d].client: %q, but visit %q is client %q's", r, j, st.Client, st.Visit, want)
			}
			if route.Day >= 0 && v.day != route.Day {
				return nil, fmt.Errorf("convrp: back: rounds[%d].stops[%d]: visit %q is on day %d, the round's first visit on day %d", r, j, st.Visit, v.day+1, route.Day+1)
			}
			route.Day = v.day
			route.Customers = append(route.Customers, v.customer)
		}
		sol.Routes = append(sol.Routes, route)
	}
	return sol, nil
}
