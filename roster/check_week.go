package roster

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"
)

// ---- The period ----

// periodView is what the checker knows of the period a plan covers: its
// days and weeks, and the day of each shift, visit and round. A one-day
// document is a period of one day whose instants are its wall-clock times.
type periodView struct {
	// x is the expanded period document, nil for a one-day document.
	x *Expanded
	// days is the number of days; dayStart[d] the instant day d starts,
	// dayStart[days] the period's end.
	days     int
	dayStart []Clock
	// visitDay, visitSeries and series are Expanded's VisitDay,
	// VisitSeries and Series: the recurring calls whose spread is capped.
	visitDay    []int
	visitSeries []int
	series      []Series
	// roundDay is the day of each round of the plan, -1 for a round dated
	// outside the period.
	roundDay []int
}

// newPeriodView returns the instance and plan Check judges, and the period
// they cover, with what reading the plan's dates found wrong. A period
// document is expanded (Expand) and its plan read into instants
// (PlanInstants); a one-day document and its plan are judged as they are,
// any round's date being the instance's.
func newPeriodView(in *Instance, p *Plan) (*Instance, *Plan, *periodView, []Violation, error) {
	if !in.IsPeriod() {
		v := &periodView{days: 1, dayStart: []Clock{0, 24 * 3600},
			visitDay: make([]int, len(in.Visits)), visitSeries: make([]int, len(in.Visits)),
			roundDay: make([]int, len(p.Rounds))}
		for i := range v.visitSeries {
			v.visitSeries[i] = -1
		}
		var vs []Violation
		for i := range p.Rounds {
			r := &p.Rounds[i]
			switch {
			case r.Date == "" || r.Date == in.Date:
			case !dateShape(r.Date):
				vs = append(vs, Violation{Code: "date", Path: planRoundPath(i) + ".date",
					Message: fmt.Sprintf("Round %d (carer %q) is dated %q, which is not a date written YYYY-MM-DD.", i, r.Carer, r.Date)})
			default:
				vs = append(vs, Violation{Code: "date", Path: planRoundPath(i) + ".date",
					Message: fmt.Sprintf("Round %d (carer %q) is dated %s, but the instance plans one day, %s.", i, r.Carer, r.Date, in.Date)})
			}
		}
		return in, p, v, vs, nil
	}
	x, err := Expand(in)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	flat, vs, days := x.PlanInstants(p)
	v := &periodView{x: x, days: x.Period.Days, dayStart: x.DayStart,
		visitDay: x.VisitDay, visitSeries: x.VisitSeries, series: x.Series, roundDay: days}
	return x.Instance, flat, v, vs, nil
}

// byDay splits rounds rs by their day, days in order, keeping the order of
// rs within each day; rounds dated outside the period are left out.
func (v *periodView) byDay(rs []int) [][]int {
	at := map[int]int{}
	var out [][]int
	var keys []int
	for _, i := range rs {
		d := v.roundDay[i]
		if d < 0 {
			continue
		}
		n, ok := at[d]
		if !ok {
			n = len(out)
			at[d] = n
			out = append(out, nil)
			keys = append(keys, d)
		}
		out[n] = append(out[n], i)
	}
	order := make([]int, len(out))
	for n := range order {
		order[n] = n
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(keys[a], keys[b]) })
	sorted := make([][]int, len(out))
	for n, o := range order {
		sorted[n] = out[o]
	}
	return sorted
}

// weeks is the number of weeks of the period: days 0-6, 7-13, ...
func (v *periodView) weeks() int { return (v.days + 6) / 7 }

// weekDays is the number of days of week w: 7, or fewer for a last week.
func (v *periodView) weekDays(w int) int { return min(7, v.days-7*w) }

// date is the date of day d.
func (v *periodView) date(d int) string {
	if v.x == nil {
		return "the day"
	}
	return v.x.Date(d)
}

// weekText names week w for a message.
func (v *periodView) weekText(w int) string {
	if v.x == nil {
		return "the day"
	}
	last := 7*w + v.weekDays(w) - 1
	return fmt.Sprintf("week %d of the period (%s to %s)", w+1, v.x.Date(7*w), v.x.Date(last))
}

// wall is instant t as wall-clock time on day d.
func (v *periodView) wall(d int, t Clock) Clock {
	if v.x == nil {
		return t
	}
	return v.x.cal.wallOf(d, t)
}

// hms writes instant t for a message: as HH:MM:SS in a one-day plan, as
// the local date and time in a period.
func (v *periodView) hms(t int64) string {
	if v.x == nil || t < -secsBound || t > secsBound {
		return fmtHMS(t)
	}
	return time.Unix(v.x.cal.origin+t, 0).In(v.x.cal.loc).Format("Mon 2006-01-02 15:04:05 MST")
}

// span writes a window or shift in instants for a message: as
// "07:00-10:00" in a one-day plan, with its local date in a period.
func (v *periodView) span(from, to Clock) string {
	if v.x == nil {
		return fmtSpan(from, to)
	}
	a := time.Unix(v.x.cal.origin+int64(from), 0).In(v.x.cal.loc)
	b := time.Unix(v.x.cal.origin+int64(to), 0).In(v.x.cal.loc)
	if a.Format(time.DateOnly) == b.Format(time.DateOnly) {
		return a.Format("Mon 2006-01-02 15:04:05 MST") + " to " + b.Format("15:04:05 MST")
	}
	return a.Format("Mon 2006-01-02 15:04:05 MST") + " to " + b.Format("Mon 2006-01-02 15:04:05 MST")
}

// shiftText names carer k's shift s (an index into the instance's Shifts)
// as the plan names it: "shift 1", and in a period "shift 1 on
// 2026-10-21", counting the day's shifts.
func (v *periodView) shiftText(k, s int) string {
	if v.x == nil || k >= len(v.x.ShiftDay) || s < 0 || s >= len(v.x.ShiftDay[k]) {
		return "shift " + strconv.Itoa(s)
	}
	d := v.x.ShiftDay[k][s]
	n := slices.Index(v.x.dayShifts(k, d), s)
	return fmt.Sprintf("shift %d on %s", n, v.x.Date(d))
}

// ---- Rules spanning days ----

// checkWeeks checks the rules that span a carer's rounds over days and a
// client's or care entry's visits over the period.
func (c *planChecker) checkWeeks() {
	c.checkDistinctCarers()
	c.checkCallTimeSpread()
	for k := range c.in.Carers {
		byTime := c.roundsByDeparture(k)
		if len(byTime) == 0 {
			continue
		}
		c.checkWeekHours(k, byTime)
		c.checkDailyRest(k, byTime)
		c.checkWeeklyRest(k, byTime)
	}
}

// checkDistinctCarers checks that no client sees more distinct carers over
// the period than their cap: the client's max_carers, else the rules'
// max_distinct_carers. Each carer of a double-handed visit counts. The
// visits are taken in order of start, and the stop that brings in one
// carer too many is reported.
func (c *planChecker) checkDistinctCarers() {
	byClient := map[string][]servedStop{}
	for vi := range c.in.Visits {
		id := c.in.Visits[vi].Client
		byClient[id] = append(byClient[id], c.served[vi]...)
	}
	for ci := range c.in.Clients {
		cl := &c.in.Clients[ci]
		limit, from := cl.MaxCarers, fmt.Sprintf("their max_carers of %d", cl.MaxCarers)
		if limit == 0 {
			n, ok := c.in.Rules.DistinctCarersCap()
			if !ok {
				continue
			}
			limit, from = n, fmt.Sprintf("rules.max_distinct_carers (%d)", n)
		}
		ss := slices.Clone(byClient[cl.ID])
		slices.SortStableFunc(ss, func(a, b servedStop) int {
			return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.round, b.round), cmp.Compare(a.stop, b.stop))
		})
		var seen []string
		for _, s := range ss {
			if slices.Contains(seen, s.carer) {
				continue
			}
			seen = append(seen, s.carer)
			if len(seen) > limit {
				c.add("distinct_carers", planStopPath(s.round, s.stop),
					"Client %s would see %d distinct carers over the period (%s), more than %s: carer %s at visit %s (%s) is one too many.",
					cl.ID, len(seen), wordList("", seen), from, s.carer, c.stopOf(s).Visit, c.week.hms(s.start))
				break
			}
		}
	}
}

// checkCallTimeSpread checks, for each recurring call (a care entry, or a
// series of dated visits: Expanded.Series), that its served visits
// start within rules.call_time_spread_max_min of each other, in wall-clock
// time of day: the latest start minus the earliest, each on its visit's
// date (so 07:30 every day has no spread, across a clock change too). A
// double-handed visit starts at its first carer's start. The visits are
// taken day by day, and the first that takes the spread over the cap is
// reported.
func (c *planChecker) checkCallTimeSpread() {
	limit, ok := c.in.Rules.CallTimeSpreadCapMin()
	if !ok {
		return
	}
	for e := range c.week.series {
		var lo, hi Clock
		var loDay, hiDay int
		first := true
		for _, vi := range c.seriesVisits(e) {
			s, ok := c.visitStart(vi)
			if !ok {
				continue
			}
			d := c.week.visitDay[vi]
			w := c.week.wall(d, Clock(s.start))
			if first || w < lo {
				lo, loDay = w, d
			}
			if first || w > hi {
				hi, hiDay = w, d
			}
			first = false
			if spread := int64(hi) - int64(lo); spread > int64(limit)*60 {
				c.add("call_time_spread", planStopPath(s.round, s.stop)+".start",
					"%s start between %s (on %s) and %s (on %s), wall-clock, a spread of %s, more than rules.call_time_spread_max_min (%d min).",
					c.week.seriesName(e), lo, c.week.date(loDay), hi, c.week.date(hiDay), fmtDur(spread), limit)
				break
			}
		}
	}
}

// seriesName names recurring call e for a message.
func (v *periodView) seriesName(e int) string {
	s := &v.series[e]
	if s.Care >= 0 {
		return fmt.Sprintf("Care %s's calls", s.ID)
	}
	return fmt.Sprintf("Client %s's dated calls %s@…", s.Client, s.ID)
}

// seriesVisits lists the visits of recurring call e, day by day.
func (c *planChecker) seriesVisits(e int) []int {
	var out []int
	for vi, ce := range c.week.visitSeries {
		if ce == e {
			out = append(out, vi)
		}
	}
	slices.SortStableFunc(out, func(a, b int) int { return cmp.Compare(c.week.visitDay[a], c.week.visitDay[b]) })
	return out
}

// visitStart is the stop at which served visit vi starts: its earliest
// start (double-handed stops should agree; partner_start reports it when
// they do not).
func (c *planChecker) visitStart(vi int) (servedStop, bool) {
	ss := c.served[vi]
	if len(ss) == 0 {
		return servedStop{}, false
	}
	best := ss[0]
	for _, s := range ss[1:] {
		if s.start < best.start {
			best = s
		}
	}
	return best, true
}

// checkWeekHours checks carer k's paid time in each week of the period
// against the Working Time Regulations' cap (rules.max_week_hours, unless
// the carer has opted out) and their contract's max_hours (pro-rated for a
// last week of fewer than seven days; the cap is not, as the rest of its
// week lies outside the period). byTime are the carer's rounds in order of
// departure; the round that takes the week over a cap is reported.
func (c *planChecker) checkWeekHours(k int, byTime []int) {
	carer := &c.in.Carers[k]
	capS := int64(c.in.Rules.WeekHoursCap()) * 3600
	sum := make([]int64, c.week.weeks())
	overCap := make([]bool, len(sum))
	overContract := make([]bool, len(sum))
	for _, i := range byTime {
		w := c.week.roundDay[i] / 7
		sum[w] += c.paid[i]
		if !carer.WTROptOut && !overCap[w] && sum[w] > capS {
			overCap[w] = true
			c.add("week_hours", planRoundPath(i), "Carer %s is paid for %s in %s, more than the %d h a week of rules.max_week_hours (the Working Time Regulations' 48-hour week); they have not opted out (wtr_opt_out).",
				carer.ID, fmtDur(sum[w]), c.week.weekText(w), capS/3600)
		}
		if carer.Contract == nil || carer.Contract.MaxHours == 0 || overContract[w] {
			continue
		}
		limit := contractHours(carer.Contract.MaxHours, c.week.weekDays(w))
		if float64(sum[w]) > limit*3600+1e-6 {
			overContract[w] = true
			c.add("contract_hours", planRoundPath(i), "Carer %s is paid for %s in %s, more than their contract's max_hours of %g h a week%s.",
				carer.ID, fmtDur(sum[w]), c.week.weekText(w), carer.Contract.MaxHours, proRated(c.week.weekDays(w), limit))
		}
	}
}

// contractHours is a week's share of contracted hours h for a week of n
// days: all of them for seven days, n sevenths for a last, shorter week.
func contractHours(h float64, n int) float64 { return h * float64(n) / 7 }

// proRated notes, for a message, a week's hours pro-rated to n days.
func proRated(n int, h float64) string {
	if n == 7 {
		return ""
	}
	return fmt.Sprintf(", %.2f h for this week of %d days", h, n)
}

// checkDailyRest checks that carer k rests at least rules.min_daily_rest_h
// between the end of one day's work (the last return of the day's rounds)
// and the start of the next worked day's (its first departure). Rounds are
// a day's by their date, so a night round past midnight is its date's.
func (c *planChecker) checkDailyRest(k int, byTime []int) {
	restH := c.in.Rules.DailyRestH()
	if restH == 0 {
		return
	}
	need := int64(restH) * 3600
	carer := &c.in.Carers[k]
	var prevEnd int64
	prevDay := -1
	for _, day := range c.week.byDay(byTime) {
		first := day[0]
		d := c.week.roundDay[first]
		start := int64(c.p.Rounds[first].Departure)
		if prevDay >= 0 {
			if gap := start - prevEnd; gap < need {
				c.add("daily_rest", planRoundPath(first)+".departure", "Carer %s rests %s between the end of their work on %s (%s) and its start on %s (%s), less than the %d h of rules.min_daily_rest_h.",
					carer.ID, fmtDur(gap), c.week.date(prevDay), c.week.hms(prevEnd), c.week.date(d), c.week.hms(start), restH)
			}
		}
		prevDay, prevEnd = d, int64(c.p.Rounds[day[0]].Return)
		for _, i := range day {
			prevEnd = max(prevEnd, int64(c.p.Rounds[i].Return))
		}
	}
}

// checkWeeklyRest checks that carer k has rules.min_weekly_rest_h of
// uninterrupted rest in each whole week of the period (days 0-6, 7-13, ...;
// a last week of fewer than seven days is not judged, as its rest may come
// after the period). The rest is the longest time in the week, from its
// first instant to its end, covered by none of the carer's rounds (each
// from departure to return, whatever day it is dated): the gaps between
// rounds and the week's edges count, rest before or after the week does
// not.
func (c *planChecker) checkWeeklyRest(k int, byTime []int) {
	restH := c.in.Rules.WeeklyRestH()
	if restH == 0 {
		return
	}
	need := int64(restH) * 3600
	carer := &c.in.Carers[k]
	for w := 0; w < c.week.weeks(); w++ {
		if c.week.weekDays(w) < 7 {
			continue
		}
		from, to := int64(c.week.dayStart[7*w]), int64(c.week.dayStart[7*w+7])
		cursor, best, bestFrom := from, int64(0), from
		firstRound := -1
		for _, i := range byTime {
			r := &c.p.Rounds[i]
			dep, ret := max(int64(r.Departure), from), min(int64(r.Return), to)
			if ret <= dep {
				continue
			}
			if firstRound < 0 {
				firstRound = i
			}
			if dep-cursor > best {
				best, bestFrom = dep-cursor, cursor
			}
			cursor = max(cursor, ret)
		}
		if firstRound < 0 {
			continue
		}
		if to-cursor > best {
			best, bestFrom = to-cursor, cursor
		}
		if best < need {
			c.add("weekly_rest", planRoundPath(firstRound), "Carer %s's longest uninterrupted rest in %s is %s (from %s), less than the %d h of rules.min_weekly_rest_h.",
				carer.ID, c.week.weekText(w), fmtDur(best), c.week.hms(bestFrom), restH)
		}
	}
}

// ---- Key figures of the period ----

// checkPeriodKPIs compares the plan's period figures, when it gives them,
// with ComputePeriodKPIs at the default pay settings, row by row and field
// by field.
func (c *planChecker) checkPeriodKPIs() {
	if c.p.PeriodKPIs == nil {
		return
	}
	got, want := c.p.PeriodKPIs, computePeriodKPIs(c.in, c.p, c.week, DefaultPaySettings())
	rows := func(name string, g, w [][]kpiField) {
		path := "period_kpis." + name
		if len(g) != len(w) {
			c.add("kpi", path, "%s has %d rows, but working the plan out gives %d.", path, len(g), len(w))
			return
		}
		for n := range g {
			c.compareKPIRow(fmt.Sprintf("%s[%d]", path, n), g[n], w[n])
		}
	}
	rows("clients", mapRows(got.Clients, clientFields), mapRows(want.Clients, clientFields))
	rows("care", mapRows(got.Care, careFields), mapRows(want.Care, careFields))
	rows("carer_weeks", mapRows(got.CarerWeeks, carerWeekFields), mapRows(want.CarerWeeks, carerWeekFields))
}

// mapRows turns rows into their fields.
func mapRows[T any](rows []T, fields func(T) []kpiField) [][]kpiField {
	out := make([][]kpiField, len(rows))
	for n, r := range rows {
		out[n] = fields(r)
	}
	return out
}

// compareKPIRow compares one row of the period figures; a row for another
// client, care entry or carer is reported once, at its first field.
func (c *planChecker) compareKPIRow(path string, got, want []kpiField) {
	if got[0].text != want[0].text {
		c.add("kpi", path+"."+got[0].name, "%s.%s is %q, but that row is for %q.", path, got[0].name, got[0].text, want[0].text)
		return
	}
	for n := 1; n < len(got); n++ {
		g, w := got[n], want[n]
		fp := path + "." + g.name
		switch {
		case !g.isNum:
			if g.text != w.text {
				c.add("kpi", fp, "%s is %q, but working the plan out gives %q.", fp, g.text, w.text)
			}
		case g.num == nil && w.num == nil:
		case g.num == nil:
			c.add("kpi", fp, "%s is left out, but working the plan out gives %g.", fp, *w.num)
		case w.num == nil:
			c.add("kpi", fp, "%s is %g, but it has no value for this plan and is left out.", fp, *g.num)
		case !(math.Abs(*g.num-*w.num) <= w.tol):
			c.add("kpi", fp, "%s is %g, but working the plan out gives %g.", fp, *g.num, *w.num)
		}
	}
}
