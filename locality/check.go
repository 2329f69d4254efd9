package locality

import (
	"fmt"
	"math"
	"strings"

	"github.com/rounds-dev/rounds/roster"
)

// CheckDistrict refuses a district that Evaluate, Propose or Size would
// refuse, or fail on, before any work starts: no clients, a client without
// an id or with another's, a place that is not a latitude and longitude,
// weekly hours out of range, no bands or more than MaxCallsADay, an empty
// skill, or calls that cannot make a representative day. Every problem is
// a roster.FieldError at its path, "clients[3].weekly_hours"; the paths
// never repeat a client's place.
func CheckDistrict(d *District) error {
	if d == nil || len(d.Clients) == 0 {
		return roster.FieldErrors{{Path: "clients", Reason: "the district has no clients"}}
	}
	var errs roster.FieldErrors
	add := func(i int, field, format string, args ...any) {
		errs = append(errs, roster.FieldError{Path: fmt.Sprintf("clients[%d].%s", i, field), Reason: fmt.Sprintf(format, args...)})
	}
	seen := map[string]int{}
	for i := range d.Clients {
		c := &d.Clients[i]
		switch j, dup := seen[c.ID]; {
		case c.ID == "":
			add(i, "id", "missing; every client needs an id")
		case dup:
			add(i, "id", "%q is also the id of clients[%d]", c.ID, j)
		default:
			seen[c.ID] = i
		}
		errs = append(errs, roster.LocationErrors(fmt.Sprintf("clients[%d].location", i), c.Location)...)
		switch h := c.WeeklyHours; {
		case math.IsNaN(h) || math.IsInf(h, 0) || h <= 0:
			add(i, "weekly_hours", "must be more than 0 hours a week, got %v", h)
		case h > 168:
			add(i, "weekly_hours", "%g is more than the 168 hours of a week", h)
		}
		switch n := len(c.Bands); {
		case n == 0:
			add(i, "bands", "no bands; want one entry a call, e.g. [\"morning\", \"bed\"]")
		case n > MaxCallsADay:
			add(i, "bands", "%d calls a day; at most %d", n, MaxCallsADay)
		}
		for k, s := range c.Skills {
			if strings.TrimSpace(s) == "" {
				add(i, fmt.Sprintf("skills[%d]", k), "an empty skill")
			}
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return checkDays(d.Clients, false)
}

// CheckSupply refuses a supply the sizing cannot work with, as a
// roster.FieldError at "supply.walk_share" and so on.
func CheckSupply(s Supply) error {
	for _, f := range []struct {
		name   string
		v      float64
		lo, hi float64
	}{
		{"walk_share", s.WalkShare, 0, 1},
		{"contract_hours", s.ContractHours, 1, 168},
		{"utilisation", s.Utilisation, 0.05, 1},
		{"co2_kg_per_km", s.CO2KgPerKM, 0, 10},
	} {
		if !(f.v >= f.lo && f.v <= f.hi) {
			return roster.FieldError{Path: "supply." + f.name, Reason: fmt.Sprintf("must be from %g to %g, got %v", f.lo, f.hi, f.v)}
		}
	}
	return nil
}
