package roster

import (
	"fmt"
	"slices"
	"time"
)

// SliceDays returns the part of in's planning period that runs for days
// days from day from (day 0 is the period's first date) as a period
// document of its own, so that those days can be planned alone: a
// coordinator planning each day of a week by itself plans SliceDays(in,
// d, 1) for each day d.
//
// The slice keeps the carers, clients, rules and history as they are,
// with these changes: the dated visits, carers' availability and days off
// are those whose dates fall in the slice; care entries that occur on
// none of its days are left out (the rest are unchanged, and expand to
// the same visits on the slice's days as in the whole period); and a
// dependency is kept only when both its visits fall in the slice (one
// between a day inside and a day outside cannot be honoured by a plan of
// the slice alone). History stays valid, as it is dated before the
// period. A one-day document is a period of one day; its undated visits
// take its date.
//
// Carers' contracts are kept as they are, so roster reads them as it does
// any period: per week of the slice (its days 0-6, 7-13, ...), a week of
// fewer than seven days pro-rated. A one-day slice of a carer contracted
// for at most 35 hours a week holds them to 5 hours that day.
//
// It is an error when in is not valid (Validate's errors) or when the days
// do not lie within the period.
func SliceDays(in *Instance, from, days int) (*Instance, error) {
	if in.Horizon > 0 {
		return nil, fmt.Errorf("roster: the instance is already expanded")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	p := in.PeriodOf()
	if from < 0 || days < 1 || from+days > p.Days {
		return nil, fmt.Errorf("roster: %d days from day %d are not within the period of %d days (days 0 to %d)", days, from, p.Days, p.Days-1)
	}
	start, _ := parseDate(p.Start)
	first := start.AddDate(0, 0, from)
	// The slice's calendar (the instance is valid, so its zone is).
	cal := newCalendar(Period{Start: first.Format(time.DateOnly), Days: days}, in.TimeZone)
	inside := func(date string) bool {
		t, ok := parseDate(date)
		d := cal.dayOf(t)
		return ok && d >= 0 && d < days
	}

	out := *in
	out.Date = ""
	out.Period = &Period{Start: first.Format(time.DateOnly), Days: days}
	if in.Name != "" {
		last := first.AddDate(0, 0, days-1)
		if days == 1 {
			out.Name = fmt.Sprintf("%s: %s alone", in.Name, first.Format(time.DateOnly))
		} else {
			out.Name = fmt.Sprintf("%s: %s to %s", in.Name, first.Format(time.DateOnly), last.Format(time.DateOnly))
		}
	}

	out.Carers = make([]Carer, len(in.Carers))
	for k := range in.Carers {
		c := in.Carers[k]
		c.Availability = nil
		for _, a := range in.Carers[k].Availability {
			if inside(a.Date) {
				c.Availability = append(c.Availability, a)
			}
		}
		c.DaysOff = nil
		for _, d := range in.Carers[k].DaysOff {
			if inside(d) {
				c.DaysOff = append(c.DaysOff, d)
			}
		}
		if c.Contract != nil {
			ct := *c.Contract
			c.Contract = &ct
		}
		out.Carers[k] = c
	}

	// The ids of the visits the slice holds, for its dependencies.
	ids := map[string]bool{}
	out.Visits = []Visit{}
	for _, v := range in.Visits {
		if v.Date == "" {
			// Only a one-day document leaves a date out.
			v.Date = p.Start
		}
		if inside(v.Date) {
			out.Visits = append(out.Visits, v)
			ids[v.ID] = true
		}
	}
	out.Care = nil
	for _, c := range in.Care {
		occurs := false
		for d := 0; d < days; d++ {
			date := first.AddDate(0, 0, d)
			if c.Days.Has(weekdayOf(date)) {
				occurs = true
				ids[VisitID(c.ID, date.Format(time.DateOnly))] = true
			}
		}
		if occurs {
			out.Care = append(out.Care, c)
		}
	}
	out.Dependencies = nil
	for _, dep := range in.Dependencies {
		if ids[dep.First] && ids[dep.Second] {
			out.Dependencies = append(out.Dependencies, dep)
		}
	}
	out.History = slices.Clone(in.History)
	if err := out.Validate(); err != nil {
		// A slice of a valid period is valid; this would be a bug.
		return nil, fmt.Errorf("roster: the slice of %d days from day %d is not valid: %w", days, from, err)
	}
	return &out, nil
}
