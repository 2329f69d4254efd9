package importer

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/rounds-dev/rounds/roster"
)

// cells reads the cells of one row, each problem a RowError at the row and
// the cell's column.
type cells struct {
	t *table
	r row
	c *collector
	// bad is set once any cell of the row is at fault.
	bad bool
}

func (x *cells) get(col string) string { return x.t.get(x.r, col) }

// fail records a problem at a column of the row.
func (x *cells) fail(col, format string, args ...any) {
	x.bad = true
	x.c.add(x.t.file, x.r.line, col, format, args...)
}

// required is a cell that must not be blank.
func (x *cells) required(col, what string) string {
	s := x.get(col)
	if s == "" {
		x.fail(col, "missing; want %s", what)
	}
	return s
}

// list is a ";"-separated cell, its blank items dropped.
func (x *cells) list(col string) []string {
	var out []string
	for _, s := range strings.Split(x.get(col), ";") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// integer is a whole number from lo to hi; a blank cell is def.
func (x *cells) integer(col string, lo, hi, def int) int {
	s := x.get(col)
	if s == "" {
		return def
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		x.fail(col, "%q is not a whole number", s)
		return def
	}
	if v < lo || v > hi {
		x.fail(col, "must be from %d to %d, got %d", lo, hi, v)
		return def
	}
	return v
}

// number is a decimal number from lo to hi; a blank cell is 0.
func (x *cells) number(col string, lo, hi float64) float64 {
	s := x.get(col)
	if s == "" {
		return 0
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		x.fail(col, "%q is not a number", s)
		return 0
	}
	if v < lo || v > hi {
		x.fail(col, "must be from %g to %g, got %g", lo, hi, v)
		return 0
	}
	return v
}

// boolean is yes/no, true/false, y/n or 1/0, case-blind; blank is false.
func (x *cells) boolean(col string) bool {
	switch s := strings.ToLower(x.get(col)); s {
	case "", "no", "n", "false", "0":
		return false
	case "yes", "y", "true", "1":
		return true
	}
	x.fail(col, "%q is not yes or no", x.get(col))
	return false
}

// clock is a time of day, HH:MM (up to 48:00 for the next morning).
func (x *cells) clock(col string) (roster.Clock, bool) {
	s := x.get(col)
	if s == "" {
		x.fail(col, "missing; want a time as HH:MM")
		return 0, false
	}
	v, err := roster.ParseClock(s)
	if err != nil {
		x.fail(col, "%q is not a time", s)
		return 0, false
	}
	return v, true
}

// date is a YYYY-MM-DD date; blank is "".
func (x *cells) date(col string) string {
	s := x.get(col)
	if s != "" && !isDate(s) {
		x.fail(col, "%q is not a date; want YYYY-MM-DD", s)
		return ""
	}
	return s
}

// shifts reads "07:00-14:00;16:00-22:00"; blank is none.
func (x *cells) shifts(col string) []roster.Shift {
	var out []roster.Shift
	for _, part := range x.list(col) {
		a, b, ok := strings.Cut(part, "-")
		var sh roster.Shift
		var errA, errB error
		if ok {
			sh.Start, errA = roster.ParseClock(strings.TrimSpace(a))
			sh.End, errB = roster.ParseClock(strings.TrimSpace(b))
		}
		if !ok || errA != nil || errB != nil {
			x.fail(col, "%q is not a shift; want START-END, e.g. 07:00-14:00, with a split shift as 07:00-11:00;16:00-22:00", part)
			return nil
		}
		out = append(out, sh)
	}
	return out
}

// weekdayNames are the names a day may be written as, case-blind.
var weekdayNames = map[string]roster.Weekday{
	"mon": "mon", "monday": "mon", "tue": "tue", "tuesday": "tue", "wed": "wed", "wednesday": "wed",
	"thu": "thu", "thursday": "thu", "fri": "fri", "friday": "fri", "sat": "sat", "saturday": "sat",
	"sun": "sun", "sunday": "sun",
}

// days reads "daily" or weekdays such as "mon;wed;fri".
func (x *cells) days(col string) roster.Days {
	s := x.get(col)
	if strings.EqualFold(s, "daily") {
		return append(roster.Days(nil), roster.Weekdays...)
	}
	var out roster.Days
	for _, name := range x.list(col) {
		d, ok := weekdayNames[strings.ToLower(name)]
		if !ok {
			x.fail(col, "%q is not a weekday; want \"daily\" or days such as mon;wed;fri", name)
			return nil
		}
		out = append(out, d)
	}
	if len(out) == 0 {
		x.fail(col, "no days; want \"daily\" or days such as mon;wed;fri")
	}
	return out
}

// isDate reports whether s is a real date written YYYY-MM-DD.
func isDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil && len(s) == 10
}
