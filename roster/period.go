package roster

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// MaxPeriodDays is the longest planning period: four weeks.
const MaxPeriodDays = 28

// Period is a planning period of Days whole days from the date Start
// (YYYY-MM-DD) in the instance's time zone. An instance gives either a Date
// (one day) or a Period.
type Period struct {
	Start string `json:"start"`
	Days  int    `json:"days"`
}

// Weekday names a day of the week in a document: "mon", "tue", "wed",
// "thu", "fri", "sat" or "sun".
type Weekday string

// Weekdays lists the days of the week from Monday, the order a rota is
// written in.
var Weekdays = []Weekday{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// Valid reports whether d is one of Weekdays.
func (d Weekday) Valid() bool { return weekdayIndex(d) >= 0 }

// weekdayIndex is d's place in Weekdays, or -1.
func weekdayIndex(d Weekday) int {
	for i, v := range Weekdays {
		if d == v {
			return i
		}
	}
	return -1
}

// weekdayOf is the Weekday of a calendar date.
func weekdayOf(t time.Time) Weekday {
	return Weekdays[(int(t.Weekday())+6)%7]
}

// Days are the weekdays on which recurring care occurs. In JSON it is
// "daily" or an array of weekdays such as ["mon", "wed", "fri"]; "daily"
// reads as all seven.
type Days []Weekday

// UnmarshalJSON reads "daily" or an array of strings; Validate checks the
// names, so that a wrong one is reported at its index.
func (d *Days) UnmarshalJSON(b []byte) error {
	const want = `want "daily" or an array of weekdays such as ["mon", "wed", "fri"]`
	switch jsonKind(b) {
	case "string":
		if s := jsonUnquote(b); s != "daily" {
			return fmt.Errorf("%s, got %q", want, s)
		}
		*d = append(Days(nil), Weekdays...)
		return nil
	case "array":
		var names []string
		if err := json.Unmarshal(b, &names); err != nil {
			return fmt.Errorf("%s, got an array holding something other than strings", want)
		}
		out := make(Days, len(names))
		for i, s := range names {
			out[i] = Weekday(s)
		}
		*d = out
		return nil
	}
	return fmt.Errorf("%s, got %s", want, jsonKind(b))
}

// MarshalJSON writes "daily" for all seven days in order, else the array.
func (d Days) MarshalJSON() ([]byte, error) {
	if d.daily() {
		return []byte(`"daily"`), nil
	}
	return json.Marshal([]Weekday(d))
}

// daily reports whether d is every day, Monday to Sunday.
func (d Days) daily() bool {
	if len(d) != len(Weekdays) {
		return false
	}
	for i, v := range d {
		if v != Weekdays[i] {
			return false
		}
	}
	return true
}

// Has reports whether day w is one of d.
func (d Days) Has(w Weekday) bool { return slices.Contains(d, w) }

// DayShifts are a carer's shifts on one date, replacing their pattern for
// that date; no shifts means the carer does not work that day.
type DayShifts struct {
	Date   string  `json:"date"`
	Shifts []Shift `json:"shifts"`
}

// Contract is a carer's contracted hours per week of the period (days 0-6,
// 7-13, ...; a last week shorter than seven days pro-rates them). A field
// left out or 0 sets no bound.
type Contract struct {
	MinHours    float64 `json:"min_hours,omitempty"`
	MaxHours    float64 `json:"max_hours,omitempty"`
	TargetHours float64 `json:"target_hours,omitempty"`
}

// Rules are the instance's continuity, call-time and working-time rules.
// Each field left out takes its default (see the methods).
type Rules struct {
	// MaxDistinctCarers caps the distinct carers a client sees over the
	// period unless the client sets max_carers; left out, no cap.
	MaxDistinctCarers *int `json:"max_distinct_carers,omitempty"`
	// CallTimeSpreadMaxMin caps, for each recurring care entry, its latest
	// start minus its earliest start over the period; left out, no cap.
	CallTimeSpreadMaxMin *int `json:"call_time_spread_max_min,omitempty"`
	// MaxWeekHours caps the paid hours in each week of the period for a
	// carer who has not opted out of the Working Time Regulations' 48 h.
	MaxWeekHours *int `json:"max_week_hours,omitempty"`
	// MinDailyRestH is the rest between the end of one day's work and the
	// start of the next day's.
	MinDailyRestH *int `json:"min_daily_rest_h,omitempty"`
	// MinWeeklyRestH is the uninterrupted rest in each week of the period.
	MinWeeklyRestH *int `json:"min_weekly_rest_h,omitempty"`
	// NoWaiting forbids a carer to wait before a call: each call starts on
	// arrival, and the call-time spread then measures arrivals. The
	// consistent VRP benchmark (bench/convrp) needs it; left out, waiting
	// is allowed as in a one-day document.
	NoWaiting bool `json:"no_waiting,omitempty"`
}

// The Working Time Regulations' defaults of Rules.
const (
	DefaultMaxWeekHours   = 48
	DefaultMinDailyRestH  = 11
	DefaultMinWeeklyRestH = 24
)

// DistinctCarersCap is the instance's cap on a client's distinct carers and
// whether there is one.
func (r *Rules) DistinctCarersCap() (int, bool) {
	if r == nil || r.MaxDistinctCarers == nil {
		return 0, false
	}
	return *r.MaxDistinctCarers, true
}

// CallTimeSpreadCapMin is the cap on a recurrence's call-time spread in
// minutes and whether there is one.
func (r *Rules) CallTimeSpreadCapMin() (int, bool) {
	if r == nil || r.CallTimeSpreadMaxMin == nil {
		return 0, false
	}
	return *r.CallTimeSpreadMaxMin, true
}

// WaitingForbidden reports whether NoWaiting is set: every call must start
// on the carer's arrival.
func (r *Rules) WaitingForbidden() bool { return r != nil && r.NoWaiting }

// WeekHoursCap is MaxWeekHours with its default (48) applied.
func (r *Rules) WeekHoursCap() int {
	if r == nil || r.MaxWeekHours == nil {
		return DefaultMaxWeekHours
	}
	return *r.MaxWeekHours
}

// DailyRestH is MinDailyRestH with its default (11) applied.
func (r *Rules) DailyRestH() int {
	if r == nil || r.MinDailyRestH == nil {
		return DefaultMinDailyRestH
	}
	return *r.MinDailyRestH
}

// WeeklyRestH is MinWeeklyRestH with its default (24) applied.
func (r *Rules) WeeklyRestH() int {
	if r == nil || r.MinWeeklyRestH == nil {
		return DefaultMinWeeklyRestH
	}
	return *r.MinWeeklyRestH
}

// Care is a recurring need of a client that expands into one visit on each
// day of the period that falls on one of Days, from From to To and not on
// an Except date, with the id "ID@YYYY-MM-DD". The start is given as Time ±
// ToleranceMin or as Windows, wall-clock on each visit's date; the other
// fields mean what a Visit's do.
type Care struct {
	ID          string `json:"id"`
	Client      string `json:"client"`
	DurationMin int    `json:"duration_min"`
	Days        Days   `json:"days"`
	// From and To, dates inside the period, bound the dates the care
	// occurs on (ends included): a package starting or ending within the
	// period. Left out, the period's first and last date.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Except lists dates on which the care does not occur though Days,
	// From and To say it would: a client away, a call cancelled.
	Except []string `json:"except,omitempty"`
	// Time and ToleranceMin are shorthand for the one window
	// [Time - ToleranceMin, Time + ToleranceMin].
	Time           *Clock     `json:"time,omitempty"`
	ToleranceMin   int        `json:"tolerance_min,omitempty"`
	Windows        []Window   `json:"windows,omitempty"`
	WindowType     WindowType `json:"window_type,omitempty"`
	LatenessCost   float64    `json:"lateness_cost,omitempty"`
	RequiredSkills []string   `json:"required_skills,omitempty"`
	Carers         int        `json:"carers,omitempty"`
	Priority       int        `json:"priority,omitempty"`
	Check          bool       `json:"check,omitempty"`
	Load           int        `json:"load,omitempty"`
}

// careWindows is the care's windows on any one date, wall-clock.
func (c *Care) careWindows() []Window {
	if c.Time != nil {
		tol := Clock(c.ToleranceMin * 60)
		return []Window{{Start: *c.Time - tol, End: *c.Time + tol}}
	}
	return c.Windows
}

// occurs reports whether the care occurs on day d of calendar k: its
// weekday is one of Days, the date lies from From to To, and it is not an
// Except date.
func (c *Care) occurs(k *calendar, d int) bool {
	return c.inRange(k, d) && !slices.Contains(c.Except, k.date(d))
}

// inRange reports whether day d falls on one of Days from From to To,
// Except aside. Dates compare as strings: both are YYYY-MM-DD.
func (c *Care) inRange(k *calendar, d int) bool {
	date := k.date(d)
	return c.Days.Has(k.weekday(d)) && (c.From == "" || date >= c.From) && (c.To == "" || date <= c.To)
}

// VisitID is the id of the visit the care entry careID expands to on date.
func VisitID(careID, date string) string { return careID + "@" + date }

// VisitStem is the stem of a dated visit's id written in VisitID's form
// for the visit's own date, STEM@YYYY-MM-DD: "C1-am" for "C1-am@2026-11-23"
// on 2026-11-23. ok is false for any other id, and for an empty stem.
func VisitStem(id, date string) (stem string, ok bool) {
	stem, ok = strings.CutSuffix(id, "@"+date)
	return stem, ok && stem != "" && date != ""
}

// HistoryEntry is past care: carer Carer made Visits visits to client
// Client on Date, a date before the period. It tells the optimiser which
// carers know a client.
type HistoryEntry struct {
	Client string `json:"client"`
	Carer  string `json:"carer"`
	Date   string `json:"date"`
	Visits int    `json:"visits"`
}

// IsPeriod reports whether the instance gives a period rather than a date.
func (in *Instance) IsPeriod() bool { return in.Period != nil }

// PeriodOf is the instance's planning period: Period, or its Date as a
// period of one day.
func (in *Instance) PeriodOf() Period {
	if in.Period != nil {
		return *in.Period
	}
	return Period{Start: in.Date, Days: 1}
}

// calendar turns dates and wall-clock times of a valid period into day
// indexes and instants.
type calendar struct {
	loc    *time.Location
	start  time.Time // the first date at 00:00 UTC, for date arithmetic
	days   int
	origin int64 // Unix time of instant 0
	zone   string
}

// newCalendar is the calendar of period p in zone tz, or nil when either
// is not valid (Validate reports them).
func newCalendar(p Period, tz string) *calendar {
	if p.Days < 1 || p.Days > MaxPeriodDays || tz == "" || tz == "Local" {
		return nil
	}
	start, ok := parseDate(p.Start)
	if !ok {
		return nil
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil
	}
	k := &calendar{loc: loc, start: start, days: p.Days, zone: tz}
	k.origin = k.dayStartUnix(0)
	return k
}

// parseDate reads a YYYY-MM-DD date as midnight UTC.
func parseDate(s string) (time.Time, bool) {
	if !dateShape(s) {
		return time.Time{}, false
	}
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

// dateShape reports whether s is written YYYY-MM-DD.
func dateShape(s string) bool {
	if len(s) != 10 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if i == 4 || i == 7 {
			if s[i] != '-' {
				return false
			}
		} else if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// date is the YYYY-MM-DD date of day d (which may lie outside the period).
func (k *calendar) date(d int) string { return k.start.AddDate(0, 0, d).Format(time.DateOnly) }

// weekday is the weekday of day d.
func (k *calendar) weekday(d int) Weekday { return weekdayOf(k.start.AddDate(0, 0, d)) }

// dayOf is the day index of date t (midnight UTC); it is outside
// 0..days-1 for a date outside the period.
func (k *calendar) dayOf(t time.Time) int {
	// Both are midnight UTC, so the difference is whole days.
	return int(t.Sub(k.start) / (24 * time.Hour))
}

// resolve is the Unix time of wall-clock second wall (seconds since 00:00
// UTC of 1970-01-01, read as local time) in the calendar's zone: the first
// occurrence when the clocks go back; ok is false when the clocks going
// forward skip it.
func (k *calendar) resolve(wall int64) (int64, bool) {
	// The offsets in force within a day either side are the only ones
	// wall can be read with.
	best, found := int64(0), false
	for probe := int64(-2); probe <= 2; probe++ {
		_, off := time.Unix(wall+probe*12*3600, 0).In(k.loc).Zone()
		u := wall - int64(off)
		if _, o := time.Unix(u, 0).In(k.loc).Zone(); u+int64(o) == wall && (!found || u < best) {
			best, found = u, true
		}
	}
	return best, found
}

// wall is the naive wall-clock second of time c on day d.
func (k *calendar) wall(d int, c Clock) int64 {
	return k.start.AddDate(0, 0, d).Unix() + int64(c)
}

// dayStartUnix is the Unix time of the start of day d: local midnight, or,
// where the clocks go forward at midnight, the first moment of the day.
func (k *calendar) dayStartUnix(d int) int64 {
	w := k.wall(d, 0)
	for m := int64(0); m <= 24*60; m++ {
		if u, ok := k.resolve(w + 60*m); ok {
			return u
		}
	}
	// No zone skips a whole day's minutes; Unix midnight keeps this total.
	return w
}

// instant is the instant of wall-clock time c on day d; ok is false when
// that time does not exist on that date.
func (k *calendar) instant(d int, c Clock) (Clock, bool) {
	u, ok := k.resolve(k.wall(d, c))
	if !ok {
		return 0, false
	}
	return Clock(u - k.origin), true
}

// dayStart is the instant at which day d starts.
func (k *calendar) dayStart(d int) Clock { return Clock(k.dayStartUnix(d) - k.origin) }

// missingTime describes wall-clock time c on day d that does not exist.
func (k *calendar) missingTime(d int, c Clock) string {
	dd, cc := d+int(c/(24*3600)), c%(24*3600)
	return fmt.Sprintf("%v on %s does not exist in %s: the clocks go forward over it", cc, k.date(dd), k.zone)
}

// describeDays names the period for a message, e.g. "Mon 2026-11-23 to Fri
// 2026-11-27".
func (k *calendar) describeDays() string {
	first := strings.ToUpper(string(k.weekday(0))[:1]) + string(k.weekday(0))[1:]
	if k.days == 1 {
		return first + " " + k.date(0)
	}
	last := k.weekday(k.days - 1)
	return fmt.Sprintf("%s %s to %s %s", first, k.date(0), strings.ToUpper(string(last)[:1])+string(last)[1:], k.date(k.days-1))
}
