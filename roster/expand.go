package roster

import (
	"fmt"
	"slices"
	"time"
)

// Expanded is an instance in period time, the form the optimiser and the
// checker plan and check a period in (docs/DESIGN-week.md, section 1).
//
// Instance is the period flattened into the one-day shape the day code
// already reads: Date is the period's first date, Period, Care and the
// carers' Pattern, Availability and DaysOff are gone, and every time is an
// instant, seconds since the period's start (local midnight of its first
// date), counting real elapsed seconds through any clock change. Each
// carer's Shifts are all their shifts over the period in order, each one a
// round slot; Visits are the dated visits (in document order, Date cleared)
// followed by the visits expanded from Care (care entry by care entry, day
// by day), with windows in instants. Horizon is set to the end of the last
// day's 48:00, so Validate accepts the instants. Rules, History, clients'
// teams and caps, and carers' contracts are carried over unchanged.
//
// The parallel slices say where each shift and visit came from, so that
// rules spanning days (weekly hours, rest, continuity, call-time spread)
// can be counted without going back to the document.
//
// A one-day document on a date without a clock change expands to itself:
// its instants equal its seconds since midnight.
type Expanded struct {
	// Instance is the flattened instance described above.
	Instance *Instance
	// Period is the planning period (a one-day document's date as a period
	// of one day).
	Period Period
	// Location is the instance's time zone.
	Location *time.Location
	// Origin is instant 0, the period's start.
	Origin time.Time
	// DayStart[d] is the instant day d starts at, local midnight (or the
	// first moment of the day where the clocks go forward at midnight);
	// DayStart[Period.Days] is the end of the period.
	DayStart []Clock
	// ShiftDay[k][s] is the day of carer k's shift s in Instance.
	ShiftDay [][]int
	// VisitDay[i] is the day of Instance.Visits[i].
	VisitDay []int
	// VisitCare[i] is the index in the document's Care of the entry visit i
	// was expanded from, or -1 for a dated visit.
	VisitCare []int
	// Series are the period's recurring calls, whose call-time spread
	// rules.call_time_spread_max_min caps and the period's figures report:
	// first one for each care entry (Series[e] is Care[e]'s), then one for
	// each group of at least two dated visits of one client whose ids
	// share a stem in VisitID's form for their own dates (VisitStem), as
	// c1@2026-11-23 and c1@2026-11-24. Dated visits whose stem is the id of
	// a care entry of the same client join that entry's series instead.
	Series []Series
	// VisitSeries[i] is the index in Series of visit i's series, or -1
	// for a visit of none.
	VisitSeries []int
	// cal is the period's calendar, for reading and writing plans' dates
	// and wall-clock times.
	cal *calendar
}

// Series is one recurring call of a period: a care entry, or dated visits
// of one client sharing a stem (Expanded.Series).
type Series struct {
	// ID is the care entry's id, or the dated visits' stem.
	ID string
	// Client is the client whose calls they are.
	Client string
	// Care is the index of the care entry in the document's Care, or -1
	// for a series of dated visits alone.
	Care int
}

// Date is the YYYY-MM-DD date of day d of the period.
func (x *Expanded) Date(d int) string {
	t, _ := parseDate(x.Period.Start)
	return t.AddDate(0, 0, d).Format(time.DateOnly)
}

// Expand validates the instance and turns it into period time. Its errors
// are Validate's.
func Expand(in *Instance) (*Expanded, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if in.Horizon > 0 {
		return nil, fmt.Errorf("roster: the instance is already expanded")
	}
	cal := newCalendar(in.PeriodOf(), in.TimeZone)
	if cal == nil {
		return nil, fmt.Errorf("roster: no calendar for a valid instance")
	}
	x := &Expanded{
		Period:   in.PeriodOf(),
		Location: cal.loc,
		Origin:   time.Unix(cal.origin, 0).In(cal.loc),
		cal:      cal,
	}
	for d := 0; d <= cal.days; d++ {
		x.DayStart = append(x.DayStart, cal.dayStart(d))
	}
	out := *in
	out.Date, out.Period, out.Care = cal.date(0), nil, nil
	out.Horizon = cal.dayStart(cal.days + 1)
	bad := func(path string) error {
		// Validate has checked every time; this is a bug, not bad input.
		return fmt.Errorf("roster: %s: no instant after validation", path)
	}

	out.Carers = make([]Carer, len(in.Carers))
	x.ShiftDay = make([][]int, len(in.Carers))
	for k := range in.Carers {
		c := in.Carers[k]
		c.Pattern, c.Availability, c.DaysOff = nil, nil, nil
		c.Shifts = nil
		for d, shifts := range carerDays(&in.Carers[k], "", cal) {
			for _, sh := range shifts {
				st, okS := cal.instant(d, sh.Start)
				en, okE := cal.instant(d, sh.End)
				if !okS || !okE {
					return nil, bad(fmt.Sprintf("carers[%d] on %s", k, cal.date(d)))
				}
				c.Shifts = append(c.Shifts, Shift{Start: st, End: en})
				x.ShiftDay[k] = append(x.ShiftDay[k], d)
			}
		}
		out.Carers[k] = c
	}

	out.Visits = make([]Visit, 0, len(in.Visits)+len(in.Care)*cal.days)
	place := func(v Visit, d, care int, ws []Window, path string) error {
		v.Windows = make([]Window, len(ws))
		for j, w := range ws {
			st, okS := cal.instant(d, w.Start)
			en, okE := cal.instant(d, w.End)
			if !okS || !okE {
				return bad(path)
			}
			v.Windows[j] = Window{Start: st, End: en}
		}
		v.Date = ""
		out.Visits = append(out.Visits, v)
		x.VisitDay = append(x.VisitDay, d)
		x.VisitCare = append(x.VisitCare, care)
		return nil
	}
	for i, v := range in.Visits {
		d := 0
		if v.Date != "" {
			t, _ := parseDate(v.Date)
			d = cal.dayOf(t)
		}
		if err := place(v, d, -1, v.Windows, fmt.Sprintf("visits[%d]", i)); err != nil {
			return nil, err
		}
	}
	for i := range in.Care {
		c := &in.Care[i]
		for d := 0; d < cal.days; d++ {
			if !c.occurs(cal, d) {
				continue
			}
			v := Visit{ID: VisitID(c.ID, cal.date(d)), Client: c.Client, DurationMin: c.DurationMin,
				WindowType: c.WindowType, LatenessCost: c.LatenessCost, RequiredSkills: c.RequiredSkills,
				Carers: c.Carers, Priority: c.Priority, Check: c.Check, Load: c.Load}
			if err := place(v, d, i, c.careWindows(), fmt.Sprintf("care[%d]", i)); err != nil {
				return nil, err
			}
		}
	}
	x.Instance = &out
	x.findSeries(in)
	return x, nil
}

// findSeries sets Series and VisitSeries (see Expanded) from the
// document in and VisitCare.
func (x *Expanded) findSeries(in *Instance) {
	type key struct{ client, stem string }
	at := make(map[key]int, len(in.Care))
	x.Series = make([]Series, len(in.Care), len(in.Care)+len(in.Visits)/2)
	for e := range in.Care {
		c := &in.Care[e]
		x.Series[e] = Series{ID: c.ID, Client: c.Client, Care: e}
		at[key{c.Client, c.ID}] = e
	}
	x.VisitSeries = slices.Clone(x.VisitCare)
	// Dated visits come first in Visits, in document order.
	var dated map[key][]int
	var order []key
	for i := range in.Visits {
		v := &in.Visits[i]
		stem, ok := VisitStem(v.ID, v.Date)
		if !ok {
			continue
		}
		k := key{v.Client, stem}
		if e, ok := at[k]; ok {
			x.VisitSeries[i] = e
			continue
		}
		if dated == nil {
			dated = map[key][]int{}
		}
		if dated[k] == nil {
			order = append(order, k)
		}
		dated[k] = append(dated[k], i)
	}
	for _, k := range order {
		vs := dated[k]
		if len(vs) < 2 {
			continue
		}
		for _, i := range vs {
			x.VisitSeries[i] = len(x.Series)
		}
		x.Series = append(x.Series, Series{ID: k.stem, Client: k.client, Care: -1})
	}
}

// placedShift is a carer's shift on one day, wall-clock on that day, with
// the path of the field that gave it.
type placedShift struct {
	Shift
	path string
}

// carerDays is the carer's shifts on each day of the period: the
// availability for that date if listed, else the pattern for its weekday,
// else the shifts; none on a day off. path prefixes the fields' paths.
func carerDays(c *Carer, path string, cal *calendar) [][]placedShift {
	avail := map[int]int{}
	for j, a := range c.Availability {
		if t, ok := parseDate(a.Date); ok {
			if d := cal.dayOf(t); d >= 0 && d < cal.days {
				if _, dup := avail[d]; !dup {
					avail[d] = j
				}
			}
		}
	}
	off := map[int]bool{}
	for _, s := range c.DaysOff {
		if t, ok := parseDate(s); ok {
			off[cal.dayOf(t)] = true
		}
	}
	days := make([][]placedShift, cal.days)
	for d := range days {
		var shifts []Shift
		var p string
		if j, ok := avail[d]; ok {
			shifts, p = c.Availability[j].Shifts, fmt.Sprintf("%s.availability[%d].shifts", path, j)
		} else if c.Pattern != nil {
			wd := cal.weekday(d)
			shifts, p = c.Pattern[wd], jsonKeyPath(path+".pattern", string(wd))
		} else {
			shifts, p = c.Shifts, path+".shifts"
		}
		if off[d] {
			continue
		}
		for s, sh := range shifts {
			days[d] = append(days[d], placedShift{sh, jsonIndexPath(p, s)})
		}
	}
	return days
}
