package roster

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// A plan for a period dates each round and writes its times wall-clock on
// that date, as a coordinator reads a rota; the optimiser and the checker
// work in instants over the expanded instance. This file converts between
// the two (docs/FORMAT.md, "Plans for a period").

// candidates lists, earliest first, the Unix times at which the calendar's
// zone reads naive wall-clock second wall: none when the clocks going
// forward skip it, two when the clocks going back repeat it.
func (k *calendar) candidates(wall int64) []int64 {
	var out []int64
	for probe := int64(-2); probe <= 2; probe++ {
		_, off := time.Unix(wall+probe*12*3600, 0).In(k.loc).Zone()
		u := wall - int64(off)
		if _, o := time.Unix(u, 0).In(k.loc).Zone(); u+int64(o) != wall {
			continue
		}
		at := len(out)
		for at > 0 && out[at-1] > u {
			at--
		}
		if at > 0 && out[at-1] == u {
			continue
		}
		out = append(out, 0)
		copy(out[at+1:], out[at:])
		out[at] = u
	}
	return out
}

// instantAfter is the instant of wall-clock time c on day d, read as the
// first occurrence at or after instant after (when hasAfter), else as the
// first occurrence. It is how a round's times are read: in order, so that
// a round carried on through the repeated hour of the clocks going back
// reads its later times in the second pass. ok is false when the time does
// not exist; the instant is then c read with the offset before the gap, so
// that the other rules still have a time to judge.
func (k *calendar) instantAfter(d int, c Clock, after Clock, hasAfter bool) (Clock, bool) {
	wall := k.wall(d, c)
	cs := k.candidates(wall)
	if len(cs) == 0 {
		_, off := time.Unix(wall-12*3600, 0).In(k.loc).Zone()
		return Clock(wall - int64(off) - k.origin), false
	}
	for _, u := range cs {
		if !hasAfter || Clock(u-k.origin) >= after {
			return Clock(u - k.origin), true
		}
	}
	return Clock(cs[0] - k.origin), true
}

// wallOf is instant t as wall-clock time on day d: seconds since 00:00 of
// day d's date, read off the local clock, so past 24:00 on the next date.
func (k *calendar) wallOf(d int, t Clock) Clock {
	u := k.origin + int64(t)
	_, off := time.Unix(u, 0).In(k.loc).Zone()
	return Clock(u + int64(off) - k.start.AddDate(0, 0, d).Unix())
}

// Instant is the instant of wall-clock time c on date (YYYY-MM-DD, inside
// the period): the first occurrence when the clocks going back repeat it.
// It is an error when the date is not one of the period's or the time does
// not exist on it.
func (x *Expanded) Instant(date string, c Clock) (Clock, error) {
	d, err := x.day(date)
	if err != nil {
		return 0, err
	}
	t, ok := x.cal.instantAfter(d, c, 0, false)
	if !ok {
		return 0, fmt.Errorf("%s", x.cal.missingTime(d, c))
	}
	return t, nil
}

// WallClock is instant t written as a plan writes a time of a round on
// date: wall-clock time since 00:00 of that date (past 24:00 for the next
// morning).
func (x *Expanded) WallClock(date string, t Clock) (Clock, error) {
	d, err := x.day(date)
	if err != nil {
		return 0, err
	}
	return x.cal.wallOf(d, t), nil
}

// day is the index in the period of date, or an error saying why it is not
// one of the period's dates.
func (x *Expanded) day(date string) (int, error) {
	t, ok := parseDate(date)
	if !ok {
		return 0, fmt.Errorf("%q is not a date written YYYY-MM-DD", date)
	}
	d := x.cal.dayOf(t)
	if d < 0 || d >= x.cal.days {
		return 0, fmt.Errorf("%s is outside the period (%s)", date, x.cal.describeDays())
	}
	return d, nil
}

// dayShifts lists the indexes, in order, of carer k's shifts on day d in
// Instance.Carers[k].Shifts.
func (x *Expanded) dayShifts(k, d int) []int {
	var out []int
	for s, sd := range x.ShiftDay[k] {
		if sd == d {
			out = append(out, s)
		}
	}
	return out
}

// PlanDates writes a plan in instants over Instance (each round's Shift an
// index into its carer's Shifts, no dates) as a plan for the period: each
// round dated with its shift's day, its Shift the index among that day's
// shifts and its times wall-clock on that date. KPIs and everything else
// are copied as they are. It is an error when a round names an unknown
// carer or shift, or when a time cannot be written so that PlanInstants
// reads it back (a round that leaps over the whole first pass of the
// repeated hour when the clocks go back, with no time inside it).
func (x *Expanded) PlanDates(flat *Plan) (*Plan, error) {
	out := *flat
	out.Rounds = make([]Round, len(flat.Rounds))
	ix := NewIndex(x.Instance)
	for i := range flat.Rounds {
		r := flat.Rounds[i]
		r.Stops = append([]Stop(nil), r.Stops...)
		if r.Break != nil {
			b := *r.Break
			r.Break = &b
		}
		k, ok := ix.Carer[r.Carer]
		if !ok {
			return nil, fmt.Errorf("rounds[%d].carer: unknown carer %q", i, r.Carer)
		}
		if r.Shift < 0 || r.Shift >= len(x.ShiftDay[k]) {
			return nil, fmt.Errorf("rounds[%d].shift: carer %s has no shift %d", i, r.Carer, r.Shift)
		}
		d := x.ShiftDay[k][r.Shift]
		for n, s := range x.dayShifts(k, d) {
			if s == r.Shift {
				r.Shift = n
			}
		}
		r.Date = x.cal.date(d)
		for _, tm := range roundTimes(&r) {
			*tm.at = x.cal.wallOf(d, *tm.at)
		}
		out.Rounds[i] = r
		// Read the round back, as a checker will, to be sure it means the
		// same instants.
		back := r
		back.Stops = append([]Stop(nil), r.Stops...)
		if r.Break != nil {
			b := *r.Break
			back.Break = &b
		}
		readRoundTimes(x.cal, d, &back, func(string, Clock) {})
		orig := flat.Rounds[i]
		want, got := roundTimes(&orig), roundTimes(&back)
		for n := range want {
			if *want[n].at != *got[n].at {
				return nil, fmt.Errorf("rounds[%d]%s: %s on %s cannot be written as a wall-clock time that reads back as the same moment: the clocks go back around it and the round has no time in the first pass of the repeated hour",
					i, want[n].path, fmtHMS(int64(*got[n].at)), r.Date)
			}
		}
	}
	return &out, nil
}

// roundTime is one time of a round, with its path after "rounds[i]".
type roundTime struct {
	at   *Clock
	path string
}

// roundTimes lists round r's times in the order the round passes them:
// departure, each stop's arrival, start and end, the return; then the
// break's start and end.
func roundTimes(r *Round) []roundTime {
	out := []roundTime{{&r.Departure, ".departure"}}
	for j := range r.Stops {
		s := &r.Stops[j]
		sp := ".stops[" + strconv.Itoa(j) + "]"
		out = append(out, roundTime{&s.Arrival, sp + ".arrival"}, roundTime{&s.Start, sp + ".start"}, roundTime{&s.End, sp + ".end"})
	}
	out = append(out, roundTime{&r.Return, ".return"})
	if r.Break != nil {
		out = append(out, roundTime{&r.Break.Start, ".break.start"}, roundTime{&r.Break.End, ".break.end"})
	}
	return out
}

// readRoundTimes turns round r's wall-clock times on day d into instants in
// place; missing is called with the path and wall-clock time of each time
// that does not exist. The departure, stops and return are read in the
// order the round passes them, each as the first occurrence at or after
// the time before it. The break is read last: its start as the first
// occurrence after the departure at which the break overlaps none of the
// round's visits (a break never does), else the first after the
// departure; its end as the first occurrence at or after its start.
func readRoundTimes(k *calendar, d int, r *Round, missing func(path string, c Clock)) {
	times := roundTimes(r)
	var prev Clock
	read := func(tm roundTime, after Clock, has bool) Clock {
		t, ok := k.instantAfter(d, *tm.at, after, has)
		if !ok {
			missing(tm.path, *tm.at)
		}
		return t
	}
	n := 0
	for ; n < len(times) && !strings.HasPrefix(times[n].path, ".break"); n++ {
		t := read(times[n], prev, n > 0)
		*times[n].at, prev = t, t
	}
	if r.Break == nil {
		return
	}
	start, end := times[n], times[n+1]
	wallStart, wallEnd := *start.at, *end.at
	clear := func(from, to Clock) bool {
		for _, s := range r.Stops {
			if from < s.End && s.Start < to {
				return false
			}
		}
		return true
	}
	bs := read(start, r.Departure, true)
	be := read(end, bs, true)
	if !clear(bs, be) {
		// Try the second pass of a repeated hour.
		*start.at, *end.at = wallStart, wallEnd
		if bs2, ok := k.instantAfter(d, wallStart, bs+1, true); ok && bs2 > bs {
			if be2, ok := k.instantAfter(d, wallEnd, bs2, true); ok && clear(bs2, be2) {
				bs, be = bs2, be2
			}
		}
	}
	r.Break.Start, r.Break.End = bs, be
}

// PlanInstants reads a plan for the period into instants over Instance,
// the form Check judges: each round's date and shift become the index of
// that shift in its carer's Shifts, and its times instants (see
// readRoundTimes). The plan itself is not changed. It returns, besides the
// plan, what it found wrong with the rounds' dates, shifts and times, as
// violations of the plan (codes date, shift and wall_clock, see Check),
// and for each round the day it is dated on, -1 where the date is not one
// of the period's: such a round keeps its times as written and a Shift of
// -1.
func (x *Expanded) PlanInstants(p *Plan) (*Plan, []Violation, []int) {
	out := *p
	out.Rounds = make([]Round, len(p.Rounds))
	ix := NewIndex(x.Instance)
	vs := []Violation{}
	add := func(code, path, format string, args ...any) {
		vs = append(vs, Violation{Code: code, Path: path, Message: fmt.Sprintf(format, args...)})
	}
	days := make([]int, len(p.Rounds))
	for i := range p.Rounds {
		r := p.Rounds[i]
		r.Stops = append([]Stop(nil), r.Stops...)
		if r.Break != nil {
			b := *r.Break
			r.Break = &b
		}
		path := planRoundPath(i)
		d := 0
		switch {
		case r.Date == "" && x.cal.days > 1:
			add("date", path+".date", "Round %d (carer %q) has no date; a plan for a period of %d days dates every round.", i, r.Carer, x.cal.days)
			d = -1
		case r.Date != "":
			var err error
			if d, err = x.day(r.Date); err != nil {
				add("date", path+".date", "Round %d (carer %q): the date %s.", i, r.Carer, err)
				d = -1
			}
		}
		days[i] = d
		r.Date = ""
		if d < 0 {
			r.Shift = -1
			out.Rounds[i] = r
			continue
		}
		if k, ok := ix.Carer[r.Carer]; ok {
			ds := x.dayShifts(k, d)
			if r.Shift < 0 || r.Shift >= len(ds) {
				add("shift", path+".shift", "Carer %s has %s on %s; the round names shift %d.",
					r.Carer, dayShiftRange(len(ds)), x.cal.date(d), r.Shift)
				r.Shift = -1
			} else {
				r.Shift = ds[r.Shift]
			}
		}
		readRoundTimes(x.cal, d, &r, func(sub string, c Clock) {
			add("wall_clock", path+sub, "Round %d (carer %s) gives %s.", i, r.Carer, x.cal.missingTime(d, c))
		})
		out.Rounds[i] = r
	}
	return &out, vs, days
}

// dayShiftRange describes the valid shift indexes of a carer with n shifts
// on a date.
func dayShiftRange(n int) string {
	if n == 0 {
		return "no shifts (a day off, or a day their pattern leaves out)"
	}
	return shiftRange(n)
}
