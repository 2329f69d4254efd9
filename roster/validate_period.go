package roster

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Bounds of the period fields Validate accepts.
const (
	// MaxWeekHours bounds contracted hours and the weekly cap: the hours
	// in a week.
	MaxWeekHours = 7 * 24
	// MaxHourlyRateGBP bounds a carer's hourly rate.
	MaxHourlyRateGBP = 1000
	// MaxCarersCap bounds a cap on distinct carers.
	MaxCarersCap = 1000
	// MaxHistoryVisits bounds the visits of one history entry.
	MaxHistoryVisits = 1000
)

// validateDateOrPeriod checks that the instance gives exactly one of date
// and period, and that one.
func validateDateOrPeriod(es *FieldErrors, in *Instance) {
	if in.Period == nil {
		if in.Date == "" {
			es.add("date", "missing; want a date as YYYY-MM-DD (or a period for more than one day)")
			return
		}
		validateDate(es, "date", in.Date)
		return
	}
	if in.Date != "" {
		es.add("period", "give either date (one day) or period, not both")
	}
	validateDate(es, "period.start", in.Period.Start)
	if d := in.Period.Days; d < 1 || d > MaxPeriodDays {
		es.add("period.days", "must be from 1 to %d, got %d", MaxPeriodDays, d)
	}
}

// validateRules checks the instance's rules and reports whether they are
// fit to check the carers' contracts against.
func validateRules(es *FieldErrors, r *Rules) bool {
	if r == nil {
		return true
	}
	n := len(*es)
	between := func(path string, v *int, lo, hi int, why string) {
		if v != nil && (*v < lo || *v > hi) {
			es.add(path, "must be from %d to %d%s, got %d", lo, hi, why, *v)
		}
	}
	between("rules.max_distinct_carers", r.MaxDistinctCarers, 1, MaxCarersCap, "")
	between("rules.call_time_spread_max_min", r.CallTimeSpreadMaxMin, 0, MaxDayMin, "")
	between("rules.max_week_hours", r.MaxWeekHours, 1, MaxWeekHours, " (the hours in a week)")
	// A rest rule of a whole day (or week) leaves no time to work: no
	// carer's shifts could meet it.
	between("rules.min_daily_rest_h", r.MinDailyRestH, 0, 23, "; a carer must have time to work in each 24 hours")
	between("rules.min_weekly_rest_h", r.MinWeeklyRestH, 0, MaxWeekHours-1, "; a carer must have time to work in each 7 days")
	if r.MinDailyRestH != nil && r.MinWeeklyRestH != nil && *r.MinWeeklyRestH > 0 && *r.MinWeeklyRestH < *r.MinDailyRestH {
		es.add("rules.min_weekly_rest_h", "is %d h, less than min_daily_rest_h (%d h); the weekly rest is the longer one", *r.MinWeeklyRestH, *r.MinDailyRestH)
	}
	return len(*es) == n
}

// validateCarerPeriod checks a carer's period fields: pattern,
// availability, days off, contract and pay, and, with a calendar, that
// every shift's times exist and the shifts of consecutive days do not
// overlap.
func validateCarerPeriod(es *FieldErrors, path string, c *Carer, cal *calendar, rules *Rules, rulesOK bool) {
	if len(c.Shifts) > 0 && c.Pattern != nil {
		es.add(path+".pattern", "give shifts (the same every day) or pattern, not both")
	}
	days := make([]Weekday, 0, len(c.Pattern))
	for d := range c.Pattern {
		days = append(days, d)
	}
	slices.Sort(days)
	for _, d := range days {
		p := jsonKeyPath(path+".pattern", string(d))
		if !d.Valid() {
			es.add(p, "unknown weekday %q; want one of %s", d, weekdayList())
			continue
		}
		validateShiftList(es, p, c.Pattern[d], MaxClock)
	}
	seen := map[string]int{}
	for j, a := range c.Availability {
		p := jsonIndexPath(path+".availability", j)
		if validatePeriodDate(es, p+".date", a.Date, cal) {
			if k, ok := seen[a.Date]; ok {
				es.add(p+".date", "%s is already given by availability[%d]", a.Date, k)
			}
			seen[a.Date] = j
		}
		validateShiftList(es, p+".shifts", a.Shifts, MaxClock)
	}
	off := map[string]int{}
	for j, d := range c.DaysOff {
		p := jsonIndexPath(path+".days_off", j)
		if validatePeriodDate(es, p, d, cal) {
			if k, ok := off[d]; ok {
				es.add(p, "%s is already days_off[%d]", d, k)
			}
			off[d] = j
		}
	}
	validateContract(es, path, c, rules, rulesOK)
	if r := c.HourlyRateGBP; math.IsNaN(r) || math.IsInf(r, 0) || r < 0 || r > MaxHourlyRateGBP {
		es.add(path+".hourly_rate_gbp", "must be from 0 (the default rate) to %d, got %v", MaxHourlyRateGBP, r)
	}
	if cal != nil {
		validateCarerTimes(es, path, c, cal)
	}
}

// validateContract checks a carer's contracted hours, and that a carer who
// has not opted out of the 48-hour week is not contracted to more than the
// weekly cap.
func validateContract(es *FieldErrors, path string, c *Carer, rules *Rules, rulesOK bool) {
	k := c.Contract
	if k == nil {
		return
	}
	p := path + ".contract"
	ok := true
	for _, f := range []struct {
		name string
		v    float64
	}{{"min_hours", k.MinHours}, {"max_hours", k.MaxHours}, {"target_hours", k.TargetHours}} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) || f.v < 0 || f.v > MaxWeekHours {
			es.add(p+"."+f.name, "must be from 0 to %d (the hours in a week), got %v", MaxWeekHours, f.v)
			ok = false
		}
	}
	if !ok {
		return
	}
	if k.MinHours == 0 && k.MaxHours == 0 && k.TargetHours == 0 {
		es.add(p, "give at least one of min_hours, max_hours and target_hours")
		return
	}
	if k.MaxHours > 0 && k.MinHours > k.MaxHours {
		es.add(p+".min_hours", "%v h is more than max_hours (%v h)", k.MinHours, k.MaxHours)
		return
	}
	if k.TargetHours > 0 && (k.TargetHours < k.MinHours || k.MaxHours > 0 && k.TargetHours > k.MaxHours) {
		es.add(p+".target_hours", "%v h is outside min_hours to max_hours (%v to %v h)", k.TargetHours, k.MinHours, k.MaxHours)
		return
	}
	if c.WTROptOut || !rulesOK {
		return
	}
	limit := float64(rules.WeekHoursCap())
	for _, f := range []struct {
		name string
		v    float64
	}{{"min_hours", k.MinHours}, {"target_hours", k.TargetHours}} {
		if f.v > limit {
			es.add(p+"."+f.name, "%v h a week cannot be met: the carer has not opted out of the %v-hour week (wtr_opt_out; rules.max_week_hours)", f.v, limit)
			return
		}
	}
}

// validatePeriodDate checks a date at path and, with a calendar, that it
// lies inside the period; it reports whether the date is a real one.
func validatePeriodDate(es *FieldErrors, path, s string, cal *calendar) bool {
	if !validateDate(es, path, s) {
		return false
	}
	if cal != nil {
		t, _ := parseDate(s)
		if d := cal.dayOf(t); d < 0 || d >= cal.days {
			es.add(path, "%s is outside the period (%s)", s, cal.describeDays())
		}
	}
	return true
}

// weekdayList lists the weekday names for a message.
func weekdayList() string {
	names := make([]string, len(Weekdays))
	for i, d := range Weekdays {
		names[i] = string(d)
	}
	return strings.Join(names, ", ")
}

// validateCarerTimes checks that each of the carer's shifts over the period
// exists on its date and that no shift overlaps the previous day's.
func validateCarerTimes(es *FieldErrors, path string, c *Carer, cal *calendar) {
	reported := map[string]bool{}
	type span struct {
		start, end Clock
		day        int
		path       string
	}
	var prev *span
	for d, shifts := range carerDays(c, path, cal) {
		for _, sh := range shifts {
			if sh.Start < 0 || sh.End > MaxClock || sh.End <= sh.Start {
				continue // validateShiftList reports it
			}
			st, okS := cal.instant(d, sh.Start)
			en, okE := cal.instant(d, sh.End)
			for _, f := range []struct {
				ok   bool
				name string
				c    Clock
			}{{okS, ".start", sh.Start}, {okE, ".end", sh.End}} {
				if !f.ok && !reported[sh.path+f.name] {
					reported[sh.path+f.name] = true
					es.add(sh.path+f.name, "%s", cal.missingTime(d, f.c))
				}
			}
			if !okS || !okE {
				prev = nil
				continue
			}
			if prev != nil && prev.day != d && st < prev.end && !reported[sh.path+".start"] {
				reported[sh.path+".start"] = true
				es.add(sh.path+".start", "%v on %s starts before the shift from the day before ends (%s, %s); a carer's shifts must not overlap",
					sh.Start, cal.date(d), cal.date(prev.day), prev.path)
			}
			prev = &span{st, en, d, sh.path}
		}
	}
}

// validateTeam checks a client's team and cap on distinct carers.
func validateTeam(es *FieldErrors, path string, c *Client, carers map[string]bool) {
	if c.MaxCarers < 0 || c.MaxCarers > MaxCarersCap {
		es.add(path+".max_carers", "must be from 0 (the instance's rule) to %d, got %d", MaxCarersCap, c.MaxCarers)
	}
	seen := map[string]int{}
	for j, id := range c.Team {
		p := jsonIndexPath(path+".team", j)
		switch {
		case id == "":
			es.add(p, "missing carer id")
		case !carers[id]:
			es.add(p, "unknown carer %q; a team is made of the instance's carers", id)
		case c.Preferences.Excludes(id):
			es.add(p, "carer %q is in preferences.excluded_carers; the client has declined them", id)
		default:
			if k, ok := seen[id]; ok {
				es.add(p, "carer %q is already team[%d]", id, k)
			}
			seen[id] = j
		}
	}
}

// validateVisitDate checks a dated visit's date and, with a calendar, that
// its windows exist on that date.
func validateVisitDate(es *FieldErrors, path string, v *Visit, cal *calendar) {
	day := 0
	if v.Date == "" {
		if cal != nil && cal.days > 1 {
			es.add(path+".date", "missing; a visit in a period of more than one day needs its date")
			return
		}
	} else {
		if !validatePeriodDate(es, path+".date", v.Date, cal) || cal == nil {
			return
		}
		t, _ := parseDate(v.Date)
		if day = cal.dayOf(t); day < 0 || day >= cal.days {
			return
		}
	}
	if cal != nil {
		validateWindowTimes(es, path+".windows", v.Windows, cal, day, nil)
	}
}

// validateWindowTimes reports windows whose times do not exist on day d,
// once per field (reported remembers the fields across days).
func validateWindowTimes(es *FieldErrors, path string, ws []Window, cal *calendar, d int, reported map[string]bool) {
	for j, w := range ws {
		for _, f := range []struct {
			name string
			c    Clock
		}{{".start", w.Start}, {".end", w.End}} {
			p := jsonIndexPath(path, j) + f.name
			if f.c < 0 || f.c > MaxClock || reported[p] {
				continue
			}
			if _, ok := cal.instant(d, f.c); !ok {
				es.add(p, "%s", cal.missingTime(d, f.c))
				if reported != nil {
					reported[p] = true
				}
			}
		}
	}
}

// validateCare checks the recurring care and returns the ids of the visits
// it expands to (when the period is known), each mapped to its care entry.
func validateCare(es *FieldErrors, in *Instance, clients map[string]bool, cal *calendar) map[string]int {
	expanded := map[string]int{}
	validateIDs(es, "care", len(in.Care), func(i int) string { return in.Care[i].ID })
	for i := range in.Care {
		c := &in.Care[i]
		path := fmt.Sprintf("care[%d]", i)
		v := Visit{ID: c.ID, Client: c.Client, DurationMin: c.DurationMin, Windows: c.Windows, WindowType: c.WindowType,
			LatenessCost: c.LatenessCost, RequiredSkills: c.RequiredSkills, Carers: c.Carers, Priority: c.Priority, Check: c.Check, Load: c.Load}
		windowsOK := true
		switch {
		case c.Time != nil && c.Windows != nil:
			es.add(path+".windows", "give time (with tolerance_min) or windows, not both")
			windowsOK = false
		case c.Time == nil && c.Windows == nil:
			es.add(path+".time", "missing; give time (with tolerance_min) or windows")
			windowsOK = false
		case c.Time != nil:
			windowsOK = validateCareTime(es, path, c)
		default:
			n := len(*es)
			validateWindows(es, path+".windows", c.Windows, MaxClock)
			windowsOK = len(*es) == n
		}
		if c.Time == nil && c.ToleranceMin != 0 {
			es.add(path+".tolerance_min", "only goes with time")
		}
		validateVisit(es, path, &v, clients, len(in.Carers), MaxClock, false)
		occurs := validateDays(es, path+".days", c.Days)
		occurs = validateCareDates(es, path, c, cal) && occurs
		if cal == nil || !occurs {
			continue
		}
		reported := map[string]bool{}
		n := 0
		for d := 0; d < cal.days; d++ {
			if !c.inRange(cal, d) {
				continue
			}
			// An entry whose every date is an exception is deliberate (a
			// client away all period), not a recurrence that never occurs.
			n++
			if !c.occurs(cal, d) {
				continue
			}
			if c.ID != "" {
				expanded[VisitID(c.ID, cal.date(d))] = i
			}
			if !windowsOK {
				continue
			}
			if c.Time != nil {
				validateCareTimeExists(es, path, c, cal, d, reported)
			} else {
				validateWindowTimes(es, path+".windows", c.Windows, cal, d, reported)
			}
		}
		if n == 0 {
			if c.From != "" || c.To != "" {
				es.add(path+".days", "%s never occurs from %s to %s", describeWeekdays(c.Days), cmp.Or(c.From, cal.date(0)), cmp.Or(c.To, cal.date(cal.days-1)))
			} else {
				es.add(path+".days", "%s never occurs in the period (%s)", describeWeekdays(c.Days), cal.describeDays())
			}
			continue
		}
		for j, date := range c.Except {
			// validateCareDates has found every exception a date inside
			// the period.
			t, _ := parseDate(date)
			if !c.inRange(cal, cal.dayOf(t)) {
				es.add(jsonIndexPath(path+".except", j), "%s is not a date the care occurs on (%s%s)", date, describeWeekdays(c.Days), describeCareRange(c))
			}
		}
	}
	return expanded
}

// validateCareDates checks a care entry's from, to and except dates: each
// inside the period, from not after to, no exception twice. It reports
// whether they are fit to expand.
func validateCareDates(es *FieldErrors, path string, c *Care, cal *calendar) bool {
	n := len(*es)
	fromOK := c.From == "" || validatePeriodDate(es, path+".from", c.From, cal)
	toOK := c.To == "" || validatePeriodDate(es, path+".to", c.To, cal)
	if fromOK && toOK && c.From != "" && c.To != "" && c.To < c.From {
		es.add(path+".to", "%s is before from (%s)", c.To, c.From)
	}
	seen := map[string]int{}
	for j, d := range c.Except {
		p := jsonIndexPath(path+".except", j)
		if validatePeriodDate(es, p, d, cal) {
			if k, dup := seen[d]; dup {
				es.add(p, "%s is already except[%d]", d, k)
			}
			seen[d] = j
		}
	}
	return len(*es) == n
}

// describeCareRange writes a care entry's from and to for a message, e.g.
// " from 2026-11-27"; "" when it gives neither.
func describeCareRange(c *Care) string {
	s := ""
	if c.From != "" {
		s += " from " + c.From
	}
	if c.To != "" {
		s += " to " + c.To
	}
	return s
}

// validateCareTime checks a care entry's time and tolerance and reports
// whether its window is fit to expand.
func validateCareTime(es *FieldErrors, path string, c *Care) bool {
	if !validateClock(es, path+".time", *c.Time, MaxClock) {
		return false
	}
	tol := c.ToleranceMin
	if tol < 0 || tol > MaxDayMin {
		es.add(path+".tolerance_min", "must be from 0 to %d, got %d", MaxDayMin, tol)
		return false
	}
	w := c.careWindows()[0]
	switch {
	case w.Start < 0:
		es.add(path+".tolerance_min", "%v less %d min is before 00:00; give windows for a call around midnight", *c.Time, tol)
		return false
	case w.End > MaxClock:
		es.add(path+".tolerance_min", "%v plus %d min is after 48:00", *c.Time, tol)
		return false
	}
	return true
}

// validateCareTimeExists reports a care entry's time ± tolerance that does
// not exist on day d, at the time field.
func validateCareTimeExists(es *FieldErrors, path string, c *Care, cal *calendar, d int, reported map[string]bool) {
	w := c.careWindows()[0]
	for _, t := range []Clock{w.Start, w.End} {
		if _, ok := cal.instant(d, t); !ok && !reported[path+".time"] {
			reported[path+".time"] = true
			es.add(path+".time", "%v ± %d min: %s", *c.Time, c.ToleranceMin, cal.missingTime(d, t))
		}
	}
}

// validateDays checks a care entry's weekdays and reports whether they are
// fit to expand.
func validateDays(es *FieldErrors, path string, days Days) bool {
	if len(days) == 0 {
		es.add(path, "at least one weekday is needed, or \"daily\"")
		return false
	}
	ok := true
	seen := map[Weekday]int{}
	for j, d := range days {
		p := jsonIndexPath(path, j)
		if !d.Valid() {
			es.add(p, "unknown weekday %q; want one of %s", d, weekdayList())
			ok = false
			continue
		}
		if k, dup := seen[d]; dup {
			es.add(p, "%s is already days[%d]", d, k)
			ok = false
		}
		seen[d] = j
	}
	return ok
}

// describeWeekdays writes days for a message, e.g. "sat, sun".
func describeWeekdays(days Days) string {
	if days.daily() {
		return "daily"
	}
	names := make([]string, len(days))
	for i, d := range days {
		names[i] = string(d)
	}
	return strings.Join(names, ", ")
}

// validateExpandedIDs reports dated visits whose ids are those of visits
// the recurring care expands to.
func validateExpandedIDs(es *FieldErrors, in *Instance, expanded map[string]int) {
	for i := range in.Visits {
		if ci, ok := expanded[in.Visits[i].ID]; ok {
			es.add(fmt.Sprintf("visits[%d].id", i), "%q is already the id of a visit care[%d] (%q) expands to", in.Visits[i].ID, ci, in.Care[ci].ID)
		}
	}
}

// validateHistory checks past care: known clients and carers, and dates
// before the period.
func validateHistory(es *FieldErrors, in *Instance, clients, carers map[string]bool, cal *calendar) {
	for i, h := range in.History {
		p := fmt.Sprintf("history[%d]", i)
		switch {
		case h.Client == "":
			es.add(p+".client", "missing client id")
		case !clients[h.Client]:
			es.add(p+".client", "unknown client %q", h.Client)
		}
		switch {
		case h.Carer == "":
			es.add(p+".carer", "missing carer id")
		case !carers[h.Carer]:
			es.add(p+".carer", "unknown carer %q; history names the instance's carers", h.Carer)
		}
		if validateDate(es, p+".date", h.Date) && cal != nil {
			t, _ := parseDate(h.Date)
			if cal.dayOf(t) >= 0 {
				es.add(p+".date", "%s is not before the period, which starts on %s; history is past care", h.Date, cal.date(0))
			}
		}
		if h.Visits < 1 || h.Visits > MaxHistoryVisits {
			es.add(p+".visits", "must be from 1 to %d, got %d", MaxHistoryVisits, h.Visits)
		}
	}
}
