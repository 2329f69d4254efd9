package roster

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	// The time zone database is embedded so that Validate accepts every IANA
	// zone on machines without zoneinfo.
	_ "time/tzdata"
)

// Limits of the values Validate accepts.
const (
	// MaxDurationMin is the longest visit, 24 hours.
	MaxDurationMin = 24 * 60
	// MaxDayMin bounds the working-time cap, the break rule and the gaps of
	// a dependency: 48 hours, the span a Clock covers.
	MaxDayMin = int(MaxClock / 60)
	// MaxPriority is the highest visit priority.
	MaxPriority = 1000
	// MaxLatenessCost is the highest lateness cost per minute of a soft
	// visit.
	MaxLatenessCost = 1e6
)

// Validate reports every problem with the instance as FieldErrors, each
// at the path of the field at fault, e.g. "visits[12].windows[0].end: before
// start (09:00)". It returns nil when the instance is fit to plan. The rules
// are set out in docs/FORMAT.md.
func (in *Instance) Validate() error {
	if in == nil {
		return FieldErrors{{Reason: "no instance"}}
	}
	var es FieldErrors
	validateDateOrPeriod(&es, in)
	validateTimeZone(&es, in.TimeZone)
	// An expanded instance holds instants up to its horizon; a document
	// holds wall-clock times on its dates, which the calendar resolves.
	horizon := MaxClock
	var cal *calendar
	if in.Horizon > 0 {
		horizon = in.Horizon
	} else {
		cal = newCalendar(in.PeriodOf(), in.TimeZone)
	}
	if in.Travel != nil {
		validateTravel(&es, in.Travel)
		validateMatrices(&es, in)
	}
	rulesOK := validateRules(&es, in.Rules)
	if len(in.Carers) == 0 {
		es.add("carers", "at least one carer is needed")
	}
	carers := validateIDs(&es, "carers", len(in.Carers), func(i int) string { return in.Carers[i].ID })
	for i := range in.Carers {
		p := fmt.Sprintf("carers[%d]", i)
		validateCarer(&es, p, &in.Carers[i], horizon, in.Horizon > 0)
		validateCarerPeriod(&es, p, &in.Carers[i], cal, in.Rules, rulesOK)
	}
	clients := validateIDs(&es, "clients", len(in.Clients), func(i int) string { return in.Clients[i].ID })
	for i := range in.Clients {
		validateClient(&es, fmt.Sprintf("clients[%d]", i), &in.Clients[i], carers)
	}
	visits := validateIDs(&es, "visits", len(in.Visits), func(i int) string { return in.Visits[i].ID })
	for i := range in.Visits {
		p := fmt.Sprintf("visits[%d]", i)
		validateVisit(&es, p, &in.Visits[i], clients, len(in.Carers), horizon, true)
		validateVisitDate(&es, p, &in.Visits[i], cal)
	}
	expanded := validateCare(&es, in, clients, cal)
	validateExpandedIDs(&es, in, expanded)
	for id := range expanded {
		visits[id] = true
	}
	validateDependencies(&es, in.Dependencies, visits)
	validateHistory(&es, in, clients, carers, cal)
	return es.err()
}

// validateDate checks a YYYY-MM-DD calendar date at path and reports
// whether it is one.
func validateDate(es *FieldErrors, path, s string) bool {
	if s == "" {
		es.add(path, "missing; want a date as YYYY-MM-DD")
		return false
	}
	if !dateShape(s) {
		es.add(path, "want a date as YYYY-MM-DD, got %q", s)
		return false
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		es.add(path, "%q is not a real date", s)
		return false
	}
	return true
}

// validateTimeZone checks an IANA time zone name.
func validateTimeZone(es *FieldErrors, s string) {
	if s == "" {
		es.add("timezone", "missing; want an IANA time zone such as Europe/London")
		return
	}
	if s == "Local" {
		es.add("timezone", "%q depends on the machine; want an IANA time zone such as Europe/London", s)
		return
	}
	if _, err := time.LoadLocation(s); err != nil {
		es.add("timezone", "unknown time zone %q; want an IANA time zone such as Europe/London", s)
	}
}

// validateTravel checks the travel speeds.
func validateTravel(es *FieldErrors, tc *TravelConfig) {
	modes := make([]Mode, 0, len(tc.Modes))
	for m := range tc.Modes {
		modes = append(modes, m)
	}
	slices.Sort(modes)
	for _, m := range modes {
		sp := tc.Modes[m]
		p := jsonKeyPath("travel.modes", string(m))
		if !m.Valid() {
			es.add(p, "unknown travel mode %q; want %s", m, validModeList())
			continue
		}
		if !(sp.SpeedKMH > 0) || math.IsInf(sp.SpeedKMH, 0) {
			es.add(p+".speed_kmh", "must be a positive number, got %v", sp.SpeedKMH)
		}
		if !(sp.Detour >= 1) || math.IsInf(sp.Detour, 0) {
			es.add(p+".detour", "must be a number of at least 1, got %v", sp.Detour)
		}
	}
}

// MaxLegS and MaxLegM bound one leg of a given travel matrix: a day and
// ten thousand kilometres.
const (
	MaxLegS = 24 * 3600
	MaxLegM = 10_000_000
)

// validateMatrices checks given travel matrices: one for each mode a carer
// uses, square over the instance's points, legs in range.
func validateMatrices(es *FieldErrors, in *Instance) {
	ms := in.Travel.Matrices
	if len(ms) == 0 {
		return
	}
	modes := make([]Mode, 0, len(ms))
	for m := range ms {
		modes = append(modes, m)
	}
	slices.Sort(modes)
	n := len(in.Clients) + 2*len(in.Carers)
	for _, m := range modes {
		p := jsonKeyPath("travel.matrices", string(m))
		if !m.Valid() {
			es.add(p, "unknown travel mode %q; want %s", m, validModeList())
			continue
		}
		validateGrid(es, p+".durations_s", ms[m].DurationsS, n, MaxLegS)
		validateGrid(es, p+".distances_m", ms[m].DistancesM, n, MaxLegM)
	}
	for i := range in.Carers {
		if _, ok := ms[in.Carers[i].Mode]; !ok && in.Carers[i].Mode.Valid() {
			es.add("travel.matrices", "no matrix for mode %s, which carer %s travels by", in.Carers[i].Mode, in.Carers[i].ID)
			return
		}
	}
}

// validateGrid checks an n×n matrix of legs from 0 to most.
func validateGrid(es *FieldErrors, path string, g [][]int, n, most int) {
	if len(g) != n {
		es.add(path, "has %d rows; want %d, one for each client and two (start and end) for each carer", len(g), n)
		return
	}
	for i, row := range g {
		if len(row) != n {
			es.add(fmt.Sprintf("%s[%d]", path, i), "has %d entries; want %d", len(row), n)
			return
		}
		for j, v := range row {
			if v < 0 || v > most {
				es.add(fmt.Sprintf("%s[%d][%d]", path, i, j), "must be from 0 to %d, got %d", most, v)
				return
			}
		}
	}
}

// validModeList lists the travel modes for a message.
func validModeList() string {
	names := make([]string, len(Modes))
	for i, m := range Modes {
		names[i] = string(m)
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// validateIDs checks that the ids of a list are present and unique, and
// returns the set of them.
func validateIDs(es *FieldErrors, list string, n int, id func(int) string) map[string]bool {
	first := make(map[string]int, n)
	for i := 0; i < n; i++ {
		s := id(i)
		p := fmt.Sprintf("%s[%d].id", list, i)
		if strings.TrimSpace(s) == "" {
			es.add(p, "missing")
			continue
		}
		if j, ok := first[s]; ok {
			es.add(p, "%q is already the id of %s[%d]", s, list, j)
			continue
		}
		first[s] = i
	}
	set := make(map[string]bool, len(first))
	for s := range first {
		set[s] = true
	}
	return set
}

// validateLocation checks WGS84 coordinates.
func validateLocation(es *FieldErrors, path string, l Location) {
	validateCoord(es, path+".lat", l.Lat, 90)
	validateCoord(es, path+".lon", l.Lon, 180)
}

func validateCoord(es *FieldErrors, path string, v, limit float64) {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		es.add(path, "must be a finite number, got %v", v)
	case v < -limit || v > limit:
		es.add(path, "must be between %v and %v, got %v", -limit, limit, v)
	}
}

// validateClock checks that a time lies within the span a Clock covers,
// 00:00 to most (48:00 in a document).
func validateClock(es *FieldErrors, path string, c, most Clock) bool {
	if c < 0 || c > most {
		es.add(path, "must be between 00:00 and %v, got %v", most, c)
		return false
	}
	return true
}

// validateMinutes checks a count of minutes in [lo, MaxDayMin].
func validateMinutes(es *FieldErrors, path string, v, lo int) {
	switch {
	case v < lo && lo == 0:
		es.add(path, "must not be negative, got %d", v)
	case v < lo:
		es.add(path, "must be more than 0, got %d", v)
	case v > MaxDayMin:
		es.add(path, "must be at most %d (48 hours), got %d", MaxDayMin, v)
	}
}

// validateNames checks a list of skills or languages.
func validateNames(es *FieldErrors, path string, names []string) {
	for i, s := range names {
		if strings.TrimSpace(s) == "" {
			es.add(jsonIndexPath(path, i), "must not be empty")
		}
	}
}

// validateCarer checks one carer.
// MaxLoad bounds a carer's capacity and a visit's load.
const MaxLoad = 1_000_000

// In an expanded instance a carer may have no shifts: they do not work in
// the period.
func validateCarer(es *FieldErrors, path string, c *Carer, horizon Clock, expanded bool) {
	if c.Capacity < 0 || c.Capacity > MaxLoad {
		es.add(path+".capacity", "must be from 0 (no limit) to %d, got %d", MaxLoad, c.Capacity)
	}
	validateLocation(es, path+".start", c.Start)
	if c.End != nil {
		validateLocation(es, path+".end", *c.End)
	}
	switch {
	case expanded:
	case c.Shifts == nil && c.Pattern == nil && c.Availability == nil:
		es.add(path+".shifts", "at least one shift is needed; give shifts, or a pattern or availability")
	case c.Shifts != nil && len(c.Shifts) == 0:
		es.add(path+".shifts", "at least one shift is needed")
	}
	validateShiftList(es, path+".shifts", c.Shifts, horizon)
	switch {
	case c.Mode == "":
		es.add(path+".mode", "missing; want %s", validModeList())
	case !c.Mode.Valid():
		es.add(path+".mode", "unknown travel mode %q; want %s", c.Mode, validModeList())
	}
	switch c.Gender {
	case "", "female", "male", "other":
	default:
		es.add(path+".gender", "want \"female\", \"male\", \"other\" or nothing, got %q", c.Gender)
	}
	validateMinutes(es, path+".max_working_min", c.MaxWorkingMin, 0)
	validateMinutes(es, path+".max_leg_min", c.MaxLegMin, 0)
	if c.Break != nil {
		validateMinutes(es, path+".break.after_working_min", c.Break.AfterWorkingMin, 1)
		validateMinutes(es, path+".break.duration_min", c.Break.DurationMin, 1)
	}
	validateNames(es, path+".skills", c.Skills)
	validateNames(es, path+".languages", c.Languages)
}

// validateShiftList checks a list of shifts: each within 00:00 to most,
// ending after it starts, in order and not overlapping.
func validateShiftList(es *FieldErrors, path string, shifts []Shift, most Clock) {
	for j, sh := range shifts {
		p := jsonIndexPath(path, j)
		okS := validateClock(es, p+".start", sh.Start, most)
		okE := validateClock(es, p+".end", sh.End, most)
		if !okS || !okE {
			continue
		}
		if sh.End <= sh.Start {
			es.add(p+".end", "must be after start (ends %v, starts %v)", sh.End, sh.Start)
		}
		if j > 0 {
			prev := shifts[j-1]
			if sh.Start < prev.End {
				es.add(p+".start", "starts at %v, before shifts[%d] ends (%v); shifts must be in order and not overlap", sh.Start, j-1, prev.End)
			}
		}
	}
}

// validateClient checks one client against the set of carer ids.
func validateClient(es *FieldErrors, path string, c *Client, carers map[string]bool) {
	validateLocation(es, path+".location", c.Location)
	pr := &c.Preferences
	pp := path + ".preferences"
	switch pr.CarerGender {
	case "", "female", "male":
	default:
		es.add(pp+".carer_gender", "want \"female\", \"male\" or nothing, got %q", pr.CarerGender)
	}
	refs := func(field string, ids []string) {
		for j, id := range ids {
			p := jsonIndexPath(pp+"."+field, j)
			switch {
			case id == "":
				es.add(p, "missing carer id")
			case !carers[id]:
				es.add(p, "unknown carer %q", id)
			}
		}
	}
	refs("preferred_carers", pr.PreferredCarers)
	refs("excluded_carers", pr.ExcludedCarers)
	for j, id := range pr.ExcludedCarers {
		if id != "" && pr.Prefers(id) {
			es.add(jsonIndexPath(pp+".excluded_carers", j), "carer %q is also in preferred_carers; a carer cannot be both", id)
		}
	}
	validateTeam(es, path, c, carers)
}

// validateVisit checks one visit against the set of client ids and the
// number of carers.
// With windows false the windows are left to the caller (recurring care
// given as a time).
func validateVisit(es *FieldErrors, path string, v *Visit, clients map[string]bool, nCarers int, horizon Clock, windows bool) {
	if v.Load < 0 || v.Load > MaxLoad {
		es.add(path+".load", "must be from 0 to %d, got %d", MaxLoad, v.Load)
	}
	switch {
	case v.Client == "":
		es.add(path+".client", "missing client id")
	case !clients[v.Client]:
		es.add(path+".client", "unknown client %q", v.Client)
	}
	switch {
	case v.DurationMin <= 0:
		es.add(path+".duration_min", "must be more than 0, got %d", v.DurationMin)
	case v.DurationMin > MaxDurationMin:
		es.add(path+".duration_min", "must be at most %d (24 hours), got %d", MaxDurationMin, v.DurationMin)
	}
	if windows {
		validateWindows(es, path+".windows", v.Windows, horizon)
	}
	switch v.WindowType {
	case "", Hard, Soft:
	default:
		es.add(path+".window_type", "want \"hard\" or \"soft\", got %q", v.WindowType)
	}
	switch c := v.LatenessCost; {
	case math.IsNaN(c) || math.IsInf(c, 0):
		es.add(path+".lateness_cost", "must be a finite number, got %v", c)
	case c < 0:
		es.add(path+".lateness_cost", "must not be negative, got %v", c)
	case c > MaxLatenessCost:
		es.add(path+".lateness_cost", "must be at most %g, got %v", float64(MaxLatenessCost), c)
	}
	switch v.Carers {
	case 0, 1:
	case 2:
		if nCarers < 2 {
			es.add(path+".carers", "a double-handed visit needs two carers but the instance has %d", nCarers)
		}
	default:
		es.add(path+".carers", "must be 1 or 2, got %d", v.Carers)
	}
	if v.Priority < 0 || v.Priority > MaxPriority {
		es.add(path+".priority", "must be between 0 and %d, got %d", MaxPriority, v.Priority)
	}
	validateNames(es, path+".required_skills", v.RequiredSkills)
}

// validateWindows checks a visit's windows: at least one, each within
// 00:00 to most, in order and not overlapping.
func validateWindows(es *FieldErrors, path string, ws []Window, most Clock) {
	if len(ws) == 0 {
		es.add(path, "at least one window is needed")
	}
	for j, w := range ws {
		p := jsonIndexPath(path, j)
		okS := validateClock(es, p+".start", w.Start, most)
		okE := validateClock(es, p+".end", w.End, most)
		if !okS || !okE {
			continue
		}
		if w.End < w.Start {
			es.add(p+".end", "before start (ends %v, starts %v)", w.End, w.Start)
		}
		if j > 0 {
			prev := ws[j-1]
			if w.Start <= prev.End {
				es.add(p+".start", "opens at %v, not after windows[%d] closes (%v); windows must be in order and not overlap", w.Start, j-1, prev.End)
			}
		}
	}
}

// validateDependencies checks the dependencies against the set of visit
// ids.
func validateDependencies(es *FieldErrors, deps []Dependency, visits map[string]bool) {
	type pair struct{ a, b string }
	pairs := make(map[pair]int, len(deps))
	for i, d := range deps {
		path := fmt.Sprintf("dependencies[%d]", i)
		okType := true
		switch d.Type {
		case Simultaneous, Sequential:
		case "":
			okType = false
			es.add(path+".type", "missing; want \"simultaneous\" or \"sequential\"")
		default:
			okType = false
			es.add(path+".type", "want \"simultaneous\" or \"sequential\", got %q", d.Type)
		}
		okRefs := true
		for _, f := range []struct{ name, id string }{{"first", d.First}, {"second", d.Second}} {
			switch {
			case f.id == "":
				okRefs = false
				es.add(path+"."+f.name, "missing visit id")
			case !visits[f.id]:
				okRefs = false
				es.add(path+"."+f.name, "unknown visit %q", f.id)
			}
		}
		if okRefs && d.First == d.Second {
			okRefs = false
			es.add(path+".second", "is the same visit as first (%q)", d.First)
		}
		switch {
		case okType && d.Type == Simultaneous:
			if d.MinGapMin != 0 {
				es.add(path+".min_gap_min", "a simultaneous dependency takes no gaps")
			}
			if d.MaxGapMin != nil {
				es.add(path+".max_gap_min", "a simultaneous dependency takes no gaps")
			}
		case okType && d.Type == Sequential:
			validateMinutes(es, path+".min_gap_min", d.MinGapMin, 0)
			if d.MaxGapMin != nil {
				mx := *d.MaxGapMin
				if mx < d.MinGapMin {
					es.add(path+".max_gap_min", "must be at least min_gap_min (%d), got %d", d.MinGapMin, mx)
				} else {
					validateMinutes(es, path+".max_gap_min", mx, 0)
				}
			}
		}
		if okRefs {
			k := pair{d.First, d.Second}
			if k.b < k.a {
				k.a, k.b = k.b, k.a
			}
			if j, ok := pairs[k]; ok {
				es.add(path, "visits %q and %q are already tied by dependencies[%d]", d.First, d.Second, j)
			} else {
				pairs[k] = i
			}
		}
	}
}
