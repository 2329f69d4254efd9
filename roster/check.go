package roster

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Violation is one way a plan breaks the instance's rules.
type Violation struct {
	// Code is a stable machine code, one of those listed under Check.
	Code string `json:"code"`
	// Path is the field of the plan at fault, e.g. "rounds[3].stops[2].start".
	Path string `json:"path"`
	// Message is a sentence for a coordinator, with the numbers; times of day
	// in the plan are written HH:MM:SS.
	Message string `json:"message"`
}

// String writes the violation as "code path: message".
func (v Violation) String() string {
	return v.Code + " " + v.Path + ": " + v.Message
}

// Check judges a plan against its instance and the travel matrix it was made
// with. It shares nothing with any optimiser: every time, leg and figure is
// re-derived from the instance, travel and the plan's own fields. It returns
// every violation found, in a fixed order, or an empty list for a sound plan.
// The instance is assumed to have passed Validate; the plan may be anything,
// and Check never panics on it. A nil plan is checked as an empty one.
//
// Fields that follow from the rest of the plan may be left out: a round's
// mode (its carer's), a stop's client (its visit's), the plan's travel
// (then the plan is judged with the travel given) and kpis (then they are
// not compared). When given, each must be right.
//
// The codes are:
//
//   - instance_name: the plan's instance is not the instance's name (both
//     left out counts as the same);
//   - unknown_carer, unknown_visit: a round, stop or unassigned entry names an
//     id the instance lacks;
//   - empty_round: a round without stops (a shift without visits has no
//     round);
//   - shift: a shift index out of range, a second round for one shift, a
//     departure before the shift starts or a return after it ends;
//   - mode: a round's mode is not its carer's;
//   - client: a stop's client is not its visit's client;
//   - travel_short: a stated leg (travel_s or return_travel_s) shorter than
//     the matrix; travel_mismatch: any other stated leg time or distance that
//     differs from the matrix;
//   - travel_time: an arrival or return earlier than leaving the previous
//     place plus the matrix leg allows;
//   - max_leg: a journey whose matrix time is longer than the carer's
//     maximum leg (Carer.MaxLegS), at the journey's travel_s or
//     return_travel_s;
//   - time_arithmetic: start before arrival, waiting_s not start minus
//     arrival, end not start plus the visit's duration;
//   - window: a start outside the visit's windows (a soft visit may start
//     after its last window, never before its first or between two);
//     lateness: lateness_s not the re-derived lateness;
//   - skill, gender, excluded_carer: a carer not qualified for a visit;
//   - served_twice, partner_missing, partner_start, partner: a visit served
//     by the wrong number of stops or carers, double-handed stops that do
//     not start together, or partner fields that do not name the other
//     carer;
//   - lost: a visit neither served nor listed as unassigned; unassigned: one
//     listed twice or both served and listed; reason: a missing, unknown or
//     provably false reason;
//   - dependency, dependency_gap: a broken simultaneous or sequential tie;
//   - overlap: a carer's rounds, or busy spans (journeys and visits), that
//     overlap;
//   - max_working_time: a carer paid for longer than their cap;
//   - break: a break of a carer without a break rule, shorter than the
//     rule's duration, outside its round or overlapping busy time, or
//     missing where the carer's break rule calls for one;
//   - capacity: a round whose visits' load is over the carer's capacity;
//   - kpi: a figure in kpis that differs from ComputeKPIs, or in
//     period_kpis from ComputePeriodKPIs at DefaultPaySettings;
//   - date: a round's date that is not written YYYY-MM-DD, lies outside
//     the period (is not the date of a one-day instance), or is left out
//     in a period of more than one day; wall_clock: a round's time that
//     does not exist on its date (the clocks go forward over it);
//   - distinct_carers: a client who sees more distinct carers over the
//     period than their max_carers (else rules.max_distinct_carers), each
//     carer of a double-handed visit counted, at the stop that brings in
//     one too many in order of start;
//   - week_hours: a carer not opted out (wtr_opt_out) paid for more than
//     rules.max_week_hours in a week of the period (days 0-6, 7-13, ...);
//     contract_hours: more than their contract's max_hours in a week
//     (pro-rated for a last week of fewer than seven days); both at the
//     round, in order of departure, that takes the week over;
//   - daily_rest: less than rules.min_daily_rest_h between the last return
//     of one worked day and the first departure of the next, at that
//     departure;
//   - weekly_rest: in a whole week of the period, no stretch of
//     rules.min_weekly_rest_h covered by none of the carer's rounds
//     (departure to return), the week's edges counting as the ends of a
//     rest, at the carer's first round of the week;
//   - call_time_spread: a care entry whose served visits' starts, in
//     wall-clock time on each visit's date, spread further than
//     rules.call_time_spread_max_min, at the first start, day by day,
//     that takes it over;
//   - travel: the plan's travel is not the source of the travel given, when
//     the travel names its source (a Source method); or, with no path,
//     Check was given no travel; instance, with no path: no instance.
//
// A carer is busy on each journey, [arrival - travel_s, arrival) with the
// longer of the stated and the matrix time, at each visit, [start, end), and
// on the journey back; spans and rounds may touch but not overlap. A round's
// break is the carer's rest break, unpaid, only when the carer has a break
// rule and it lasts at least the rule's duration; any other pause is paid
// time (see ComputeKPIs), so a short pause cannot bring paid time under a
// break threshold or a working-time cap.
//
// Of the reasons, no_qualified_carer, too_few_qualified_carers (for a
// visit and those that must start with it), beyond_max_leg, outside_shifts
// and max_working_time are re-derived, each counting the carers a visit
// needs (the last two only the qualified carers who can reach it, as
// ReasonBeyondMaxLeg defines). Of the others, what the instance alone can
// show: dependency needs a simultaneous tie to another visit;
// no_feasible_round needs a visit that passes the five tests above, tied
// to no other, and for which no qualified carer can serve it alone on a
// round straight from their start and back without needing a break (see
// refuteNoFeasibleRound); carers_busy needs a visit that passes the five
// tests, with every visit it must start with, and enough carers who can
// reach it and carry its load. The retired code no_capacity is refused
// with its new name.
//
// A period document (one with a period) is checked in period time: Check
// expands it (Expand) and reads the plan's dated, wall-clock rounds into
// instants (Expanded.PlanInstants), so that every day rule above applies
// unchanged to the flat instance, each round on its own date; the
// working-time cap and the break rule are each day's, and shift indexes
// count each date's shifts. A one-day document is judged on its own
// wall-clock times as before, as a period of one day, under the same
// period rules. An instance that cannot be expanded, or that is already
// the expansion of a period of more than one day (Expanded.Instance),
// gets the code instance, with no path.
func Check(in *Instance, travel Travel, p *Plan) []Violation {
	switch {
	case in == nil:
		return []Violation{{Code: "instance", Message: "There is no instance to check the plan against."}}
	case travel == nil:
		return []Violation{{Code: "travel", Message: "There is no travel matrix to check the plan's journeys against."}}
	}
	if in.Horizon > MaxClock+3600 {
		// An expansion of more than one day has lost the dates its plan's
		// rounds and its rules need.
		return []Violation{{Code: "instance", Message: "The instance is a period already expanded into instants; check a plan against the period document itself."}}
	}
	if p == nil {
		p = &Plan{}
	}
	flatIn, flat, week, pre, err := newPeriodView(in, p)
	if err != nil {
		return []Violation{{Code: "instance", Message: "The instance cannot be expanded into its period: " + err.Error()}}
	}
	c := newPlanChecker(flatIn, travel, flat)
	c.week = week
	c.out = append(c.out, pre...)
	c.checkHeader()
	c.checkRounds()
	c.checkUnassigned()
	c.checkServed()
	c.checkDependencies()
	c.checkDays()
	c.checkWeeks()
	c.checkKPIs()
	c.checkPeriodKPIs()
	return c.out
}

// planChecker holds what Check learns about one plan as it goes.
type planChecker struct {
	in     *Instance
	travel Travel
	p      *Plan
	ix     *Index
	out    []Violation
	// week is the period the plan covers: one day for a one-day document.
	week *periodView
	// served lists the stops of each visit, by visit index, in plan order.
	served [][]servedStop
	// listed counts each visit's entries in unassigned.
	listed []int
	// days lists the rounds of each known carer, by carer index.
	days map[int][]int
	// busy holds each round's journeys and visits.
	busy [][]busySpan
	// paid is each round's paid time.
	paid []int64
	// restOK tells whether each round's break is a real rest: inside the
	// round and clear of its busy time.
	restOK []bool
	// reach holds, by carer index, the places each carer with a maximum
	// leg can reach, worked out when a reason first needs them.
	reach map[int]*legReach
	// visitPts lists the points of the visits' clients, each once, once
	// worked out.
	visitPts []int
}

// servedStop is a stop that serves a known visit.
type servedStop struct {
	round, stop int
	carer       string
	start       int64
}

// busySpan is a time [from, to) when a carer is travelling or visiting.
type busySpan struct {
	from, to int64
	path     string
	what     string
}

// shiftFit is a way for a carer to serve a visit alone in one shift.
type shiftFit struct {
	carer, shift       int
	leave, start, back int64
	paid               int64
}

// unqualified is one way a carer is not qualified for a visit.
type unqualified struct {
	code, msg string
}

func newPlanChecker(in *Instance, travel Travel, p *Plan) *planChecker {
	n := len(p.Rounds)
	return &planChecker{
		in: in, travel: travel, p: p, ix: NewIndex(in),
		out:    []Violation{},
		served: make([][]servedStop, len(in.Visits)),
		listed: make([]int, len(in.Visits)),
		days:   map[int][]int{},
		busy:   make([][]busySpan, n),
		paid:   make([]int64, n),
		restOK: make([]bool, n),
		reach:  map[int]*legReach{},
	}
}

func (c *planChecker) add(code, path, format string, args ...any) {
	c.out = append(c.out, Violation{Code: code, Path: path, Message: fmt.Sprintf(format, args...)})
}

// stopOf returns the stop s refers to.
func (c *planChecker) stopOf(s servedStop) *Stop {
	return &c.p.Rounds[s.round].Stops[s.stop]
}

// clientPoint returns the point of visit vi's client, or -1.
func (c *planChecker) clientPoint(vi int) int {
	ci, ok := c.ix.Client[c.in.Visits[vi].Client]
	if !ok {
		return -1
	}
	return c.in.ClientPoint(ci)
}

// ---- The plan's header ----

// checkHeader checks that the plan names this instance and, where it says
// which travel it was made with, that this is the travel it is checked
// with.
func (c *planChecker) checkHeader() {
	if got, want := c.p.Instance, c.in.Name; got != want {
		switch {
		case want == "":
			c.add("instance_name", "instance", "The plan is for instance %q, but this instance has no name.", got)
		case got == "":
			c.add("instance_name", "instance", "The plan does not name its instance; it must repeat this instance's name, %q.", want)
		default:
			c.add("instance_name", "instance", "The plan is for instance %q, but this instance is %q.", got, want)
		}
	}
	src, ok := c.travel.(interface{ Source() TravelSource })
	if !ok || c.p.Travel == (TravelSource{}) {
		return
	}
	if got, want := c.p.Travel, src.Source(); got != want {
		c.add("travel", "travel", "The plan was made with travel from %s, but it is checked with travel from %s.",
			sourceText(got), sourceText(want))
	}
}

// sourceText writes a travel source as "provider (version)".
func sourceText(s TravelSource) string {
	if s.Version == "" {
		return strconv.Quote(s.Provider)
	}
	return fmt.Sprintf("%q (%s)", s.Provider, s.Version)
}

// ---- Rounds ----

// checkRounds checks each round on its own.
func (c *planChecker) checkRounds() {
	taken := map[[2]int]int{}
	for i := range c.p.Rounds {
		c.recordStops(i)
		if c.week.roundDay[i] < 0 {
			// Dated outside the period: its times mean nothing here, and
			// the date is reported.
			continue
		}
		r := &c.p.Rounds[i]
		if len(r.Stops) == 0 {
			c.add("empty_round", planRoundPath(i)+".stops", "Round %d (carer %q) has no stops; a shift without visits has no round, and an empty round would only add paid time.", i, r.Carer)
		}
		k, ok := c.ix.Carer[r.Carer]
		if !ok {
			c.add("unknown_carer", planRoundPath(i)+".carer", "Round %d names carer %q, who is not in the instance.", i, r.Carer)
			continue
		}
		c.days[k] = append(c.days[k], i)
		c.checkShift(i, k, taken)
		// A round may leave its mode out: it is the carer's.
		if carer := &c.in.Carers[k]; r.Mode != "" && r.Mode != carer.Mode {
			c.add("mode", planRoundPath(i)+".mode", "Carer %s travels by %s, but the round says %q.", carer.ID, carer.Mode, r.Mode)
		}
		c.checkTimeline(i, k)
		c.checkNoWaiting(i, k)
		c.checkQualified(i, k)
		c.checkRoundBreak(i, k)
		c.checkLoad(i, k)
		c.paid[i] = roundPaidS(c.in.Carers[k].Break, r)
	}
}

// checkLoad checks that round i's visits fit carer k's capacity.
func (c *planChecker) checkLoad(i, k int) {
	carer := &c.in.Carers[k]
	if carer.Capacity == 0 {
		return
	}
	load := 0
	for _, st := range c.p.Rounds[i].Stops {
		if vi, ok := c.ix.Visit[st.Visit]; ok {
			load += c.in.Visits[vi].Load
		}
	}
	if load > carer.Capacity {
		c.add("capacity", planRoundPath(i), "Round %d of carer %s carries %d, over the carer's capacity of %d.", i, carer.ID, load, carer.Capacity)
	}
}

// recordStops notes the visit of each stop of round i and checks that it
// exists and is at its client's.
func (c *planChecker) recordStops(i int) {
	r := &c.p.Rounds[i]
	for j := range r.Stops {
		s := &r.Stops[j]
		sp := planStopPath(i, j)
		vi, ok := c.ix.Visit[s.Visit]
		if !ok {
			c.add("unknown_visit", sp+".visit", "Round %d (carer %q) makes visit %q, which is not a visit of the instance.", i, r.Carer, s.Visit)
			continue
		}
		c.served[vi] = append(c.served[vi], servedStop{round: i, stop: j, carer: r.Carer, start: int64(s.Start)})
		// A stop may leave its client out: it is the visit's.
		if want := c.in.Visits[vi].Client; s.Client != "" && s.Client != want {
			c.add("client", sp+".client", "Visit %s is for client %s, but the stop names client %q.", s.Visit, want, s.Client)
		}
	}
}

// checkShift checks round i of carer k against the carer's shifts.
func (c *planChecker) checkShift(i, k int, taken map[[2]int]int) {
	r := &c.p.Rounds[i]
	carer := &c.in.Carers[k]
	path := planRoundPath(i)
	if c.week.x != nil && r.Shift < 0 {
		// Reading the plan's dates found no such shift on the round's
		// date and said so.
		return
	}
	if r.Shift < 0 || r.Shift >= len(carer.Shifts) {
		c.add("shift", path+".shift", "Carer %s has %s; the round names shift %d.", carer.ID, shiftRange(len(carer.Shifts)), r.Shift)
		return
	}
	sh := carer.Shifts[r.Shift]
	key := [2]int{k, r.Shift}
	if j, dup := taken[key]; dup {
		c.add("shift", path+".shift", "Carer %s already has a round for %s (%s) in rounds[%d]; a shift holds one round.",
			carer.ID, c.week.shiftText(k, r.Shift), c.week.span(sh.Start, sh.End), j)
	} else {
		taken[key] = i
	}
	if r.Departure < sh.Start {
		c.add("shift", path+".departure", "Carer %s leaves at %s, before %s (%s) starts.",
			carer.ID, c.week.hms(int64(r.Departure)), c.week.shiftText(k, r.Shift), c.week.span(sh.Start, sh.End))
	}
	if r.Return > sh.End {
		c.add("shift", path+".return", "Carer %s is back at %s, after %s (%s) ends.",
			carer.ID, c.week.hms(int64(r.Return)), c.week.shiftText(k, r.Shift), c.week.span(sh.Start, sh.End))
	}
}

// shiftRange describes the valid shift indices of a carer with n shifts.
func shiftRange(n int) string {
	switch n {
	case 0:
		return "no shifts"
	case 1:
		return "only shift 0"
	}
	return fmt.Sprintf("shifts 0 to %d", n-1)
}

// statedLeg is a journey of a round as the plan states it.
type statedLeg struct {
	from, to         int // points; -1 where unknown
	fromName, toName string
	statedS, statedM int
	pathS, pathM     string
	ready            int64 // when the carer may leave from
	at               int64 // arrival at to
	atPath           string
}

// checkTimeline walks round i of carer k: each journey, wait and visit, and
// the journey back, noting the round's busy spans.
func (c *planChecker) checkTimeline(i, k int) {
	r := &c.p.Rounds[i]
	carer := &c.in.Carers[k]
	place, placeName := c.in.CarerStartPoint(k), "their start"
	ready := int64(r.Departure)
	for j := range r.Stops {
		s := &r.Stops[j]
		sp := planStopPath(i, j)
		var v *Visit
		to := -1
		if vi, ok := c.ix.Visit[s.Visit]; ok {
			v, to = &c.in.Visits[vi], c.clientPoint(vi)
		}
		name := "visit " + s.Visit
		span := c.checkLeg(carer, statedLeg{
			from: place, to: to, fromName: placeName, toName: name,
			statedS: s.TravelS, statedM: s.DistanceM, pathS: sp + ".travel_s", pathM: sp + ".distance_m",
			ready: ready, at: int64(s.Arrival), atPath: sp + ".arrival",
		})
		c.addBusy(i, int64(s.Arrival)-span, int64(s.Arrival), sp+".arrival", "travelling to "+name)
		c.checkStopTimes(carer, sp, s, v)
		end := int64(s.End)
		if v != nil {
			c.checkWindow(carer, sp, s, v)
			end = max(end, int64(s.Start)+int64(v.DurationS()))
		}
		c.addBusy(i, int64(s.Start), end, sp+".start", "at "+name)
		place, placeName, ready = to, name, int64(s.End)
	}
	path := planRoundPath(i)
	span := c.checkLeg(carer, statedLeg{
		from: place, to: c.in.CarerEndPoint(k), fromName: placeName, toName: "their end",
		statedS: r.ReturnTravelS, statedM: r.ReturnDistanceM, pathS: path + ".return_travel_s", pathM: path + ".return_distance_m",
		ready: ready, at: int64(r.Return), atPath: path + ".return",
	})
	c.addBusy(i, int64(r.Return)-span, int64(r.Return), path+".return", "travelling back to their end")
}

// checkNoWaiting checks round i of carer k against rules.no_waiting: the
// round leaves the carer's start when its shift opens, each journey sets
// off as the previous visit ends (or the carer's start, or the round's
// rest break, is left), and each visit starts on arrival. Idle time is
// measured against the journeys' matrix times (or the stated time where
// longer, as the timeline reads it); the first idle moment of the round is
// reported, at the departure, the arrival or the start.
func (c *planChecker) checkNoWaiting(i, k int) {
	if !c.in.Rules.WaitingForbidden() {
		return
	}
	r := &c.p.Rounds[i]
	carer := &c.in.Carers[k]
	if r.Shift >= 0 && r.Shift < len(carer.Shifts) {
		if open := carer.Shifts[r.Shift].Start; r.Departure > open {
			c.add("waiting", planRoundPath(i)+".departure",
				"Carer %s leaves at %s, %s after %s opens at %s, but rules.no_waiting has every round leave as its shift opens.",
				carer.ID, c.week.hms(int64(r.Departure)), fmtDur(int64(r.Departure)-int64(open)), c.week.shiftText(k, r.Shift), c.week.hms(int64(open)))
			return
		}
	}
	place := c.in.CarerStartPoint(k)
	ready := int64(r.Departure)
	for j := range r.Stops {
		s := &r.Stops[j]
		sp := planStopPath(i, j)
		vi, ok := c.ix.Visit[s.Visit]
		if !ok {
			return
		}
		to := c.clientPoint(vi)
		if place < 0 || to < 0 {
			return
		}
		d, _ := c.travel.Leg(carer.Mode, place, to)
		leg := max(int64(d), boundSecs(s.TravelS))
		if b := r.Break; b != nil && int64(b.Start) >= ready && int64(b.End) <= int64(s.Arrival) && b.End > b.Start {
			ready += int64(b.End) - int64(b.Start)
		}
		if idle := int64(s.Arrival) - ready - leg; idle > 0 {
			c.add("waiting", sp+".arrival",
				"Carer %s reaches visit %s at %s, %s after the journey from %s (%s) would bring them, but rules.no_waiting has them set off at once.",
				carer.ID, s.Visit, c.week.hms(int64(s.Arrival)), fmtDur(idle), c.week.hms(ready), fmtDur(leg))
			return
		}
		if s.Start > s.Arrival {
			c.add("waiting", sp+".start",
				"Carer %s arrives for visit %s at %s and starts at %s, %s later, but rules.no_waiting has each call start on arrival.",
				carer.ID, s.Visit, c.week.hms(int64(s.Arrival)), c.week.hms(int64(s.Start)), fmtDur(int64(s.Start)-int64(s.Arrival)))
			return
		}
		place, ready = to, max(int64(s.End), int64(s.Start)+int64(c.in.Visits[vi].DurationS()))
	}
}

// addBusy notes a busy span of round i, unless it is empty.
func (c *planChecker) addBusy(i int, from, to int64, path, what string) {
	if to > from {
		c.busy[i] = append(c.busy[i], busySpan{from: from, to: to, path: path, what: what})
	}
}

// checkLeg compares a stated journey with the matrix and checks that the
// carer had time to make it. It returns the length of the journey's busy
// span: the longer of the stated and the matrix time.
func (c *planChecker) checkLeg(carer *Carer, l statedLeg) int64 {
	var legS int64
	if l.from >= 0 && l.to >= 0 {
		d, m := c.travel.Leg(carer.Mode, l.from, l.to)
		legS = int64(d)
		c.compareLeg(carer, l, d, m)
		c.checkMaxLeg(carer, l, d)
	}
	if l.at < l.ready+legS {
		c.add("travel_time", l.atPath, "Carer %s reaches %s at %s, but could not leave %s before %s and the journey takes %s, so arrives %s at the earliest.",
			carer.ID, l.toName, c.week.hms(l.at), l.fromName, c.week.hms(l.ready), fmtDur(legS), c.week.hms(l.ready+legS))
	}
	return max(legS, boundSecs(l.statedS), 0)
}

// journeyText names a stated journey for a message.
func journeyText(carer *Carer, l statedLeg) string {
	return fmt.Sprintf("Carer %s's journey by %s from %s to %s", carer.ID, carer.Mode, l.fromName, l.toName)
}

// checkMaxLeg reports a journey whose matrix time of d seconds is longer
// than the carer's maximum leg.
func (c *planChecker) checkMaxLeg(carer *Carer, l statedLeg, d int) {
	limit := carer.MaxLegS()
	if limit == 0 || d <= limit {
		return
	}
	c.add("max_leg", l.pathS, "%s takes %s by the travel matrix, longer than the longest leg they may be given (%s).",
		journeyText(carer, l), fmtDur(int64(d)), maxLegText(carer))
}

// maxLegText describes a carer's maximum leg, saying where it comes from.
func maxLegText(carer *Carer) string {
	limit := fmtDur(int64(carer.MaxLegS()))
	if carer.MaxLegMin > 0 {
		return limit + ", their max_leg_min"
	}
	return limit + ", the default for " + string(carer.Mode)
}

// compareLeg reports a stated journey that differs from the matrix leg of
// d seconds and m metres.
func (c *planChecker) compareLeg(carer *Carer, l statedLeg, d, m int) {
	journey := journeyText(carer, l)
	switch {
	case int64(l.statedS) < int64(d):
		c.add("travel_short", l.pathS, "%s is stated as %d s (%s), shorter than the %d s (%s) of the travel matrix.",
			journey, l.statedS, fmtDur(boundSecs(l.statedS)), d, fmtDur(int64(d)))
	case int64(l.statedS) != int64(d):
		c.add("travel_mismatch", l.pathS, "%s is stated as %d s (%s), but the travel matrix gives %d s (%s).",
			journey, l.statedS, fmtDur(boundSecs(l.statedS)), d, fmtDur(int64(d)))
	}
	if int64(l.statedM) != int64(m) {
		c.add("travel_mismatch", l.pathM, "%s is stated as %d m, but the travel matrix gives %d m.", journey, l.statedM, m)
	}
}

// checkStopTimes checks that a stop's arrival, waiting, start and end add
// up; v is nil when the visit is unknown.
func (c *planChecker) checkStopTimes(carer *Carer, sp string, s *Stop, v *Visit) {
	if s.Start < s.Arrival {
		c.add("time_arithmetic", sp+".start", "Carer %s starts visit %s at %s, before arriving at %s.",
			carer.ID, s.Visit, c.week.hms(int64(s.Start)), c.week.hms(int64(s.Arrival)))
	} else if wait := int64(s.Start) - int64(s.Arrival); wait != int64(s.WaitingS) {
		c.add("time_arithmetic", sp+".waiting_s", "Carer %s arrives for visit %s at %s and starts at %s, %d s later, but waiting_s is %d.",
			carer.ID, s.Visit, c.week.hms(int64(s.Arrival)), c.week.hms(int64(s.Start)), wait, s.WaitingS)
	}
	if v == nil {
		return
	}
	if want := int64(s.Start) + int64(v.DurationS()); int64(s.End) != want {
		c.add("time_arithmetic", sp+".end", "Visit %s (carer %s) lasts %s, so starting at %s it ends at %s, not %s.",
			v.ID, carer.ID, fmtDur(int64(v.DurationS())), c.week.hms(int64(s.Start)), c.week.hms(want), c.week.hms(int64(s.End)))
	}
}

// checkWindow checks a stop's start against its visit's windows and its
// stated lateness against the re-derived one.
func (c *planChecker) checkWindow(carer *Carer, sp string, s *Stop, v *Visit) {
	start := int64(s.Start)
	if miss := windowMiss(v, start, c.week.span); miss != "" {
		c.add("window", sp+".start", "Visit %s (carer %s) starts %s, %s.", v.ID, carer.ID, c.week.hms(start), miss)
	}
	late := v.LatenessS(s.Start)
	if s.LatenessS == late {
		return
	}
	if late == 0 {
		c.add("lateness", sp+".lateness_s", "Visit %s (carer %s) starts %s, which is not late, but lateness_s is %d.",
			v.ID, carer.ID, c.week.hms(start), s.LatenessS)
		return
	}
	c.add("lateness", sp+".lateness_s", "Visit %s (carer %s) starts %s, %s after its window closed (%d s), but lateness_s is %d.",
		v.ID, carer.ID, c.week.hms(start), fmtDur(int64(late)), late, s.LatenessS)
}

// windowMiss says how start t misses visit v's windows, or returns "" when
// the start is allowed: inside a window, or after the last one for a soft
// visit. A soft visit that arrives between two windows waits for the later
// one, so a start between windows is a miss for it too. span writes a
// window for the message.
func windowMiss(v *Visit, t int64, span func(from, to Clock) string) string {
	ws := v.Windows
	if len(ws) == 0 {
		return ""
	}
	for _, w := range ws {
		if t >= int64(w.Start) && t <= int64(w.End) {
			return ""
		}
	}
	first, last := ws[0], ws[len(ws)-1]
	switch {
	case t < int64(first.Start) && len(ws) == 1:
		return "before its window " + span(first.Start, first.End) + " opens"
	case t < int64(first.Start):
		return "before its first window " + span(first.Start, first.End) + " opens"
	case t > int64(last.End) && v.IsSoft():
		return ""
	case t > int64(last.End) && len(ws) == 1:
		return "after its window " + span(last.Start, last.End) + " closed"
	case t > int64(last.End):
		return "after its last window " + span(last.Start, last.End) + " closed"
	}
	for j := 1; j < len(ws); j++ {
		if t < int64(ws[j].Start) {
			msg := "between its windows " + span(ws[j-1].Start, ws[j-1].End) + " and " + span(ws[j].Start, ws[j].End)
			if v.IsSoft() {
				msg += "; a soft visit waits for the next window rather than starting late for the one before"
			}
			return msg
		}
	}
	return ""
}

// checkQualified checks that carer k may serve each visit of round i.
func (c *planChecker) checkQualified(i, k int) {
	r := &c.p.Rounds[i]
	for j := range r.Stops {
		vi, ok := c.ix.Visit[r.Stops[j].Visit]
		if !ok {
			continue
		}
		for _, m := range c.whyUnqualified(k, vi) {
			c.add(m.code, planStopPath(i, j), "%s", m.msg)
		}
	}
}

// whyUnqualified lists the ways carer k is not qualified for visit vi: a
// missing skill, the wrong gender for the client, or being declined by the
// client.
func (c *planChecker) whyUnqualified(k, vi int) []unqualified {
	carer := &c.in.Carers[k]
	v := &c.in.Visits[vi]
	var out []unqualified
	var missing []string
	for _, s := range v.RequiredSkills {
		if !carer.HasSkill(s) && !slices.Contains(missing, s) {
			missing = append(missing, s)
		}
	}
	if len(missing) > 0 {
		out = append(out, unqualified{"skill", fmt.Sprintf("Carer %s lacks %s, which visit %s requires.",
			carer.ID, wordList("skill", missing), v.ID)})
	}
	ci, ok := c.ix.Client[v.Client]
	if !ok {
		return out
	}
	cl := &c.in.Clients[ci]
	if g := cl.Preferences.CarerGender; g != "" && carer.Gender != g {
		has := "has no gender recorded"
		if carer.Gender != "" {
			has = "is recorded as " + carer.Gender
		}
		out = append(out, unqualified{"gender", fmt.Sprintf("Client %s asks for a %s carer for visit %s; carer %s %s.",
			cl.ID, g, v.ID, carer.ID, has)})
	}
	if cl.Preferences.Excludes(carer.ID) {
		out = append(out, unqualified{"excluded_carer", fmt.Sprintf("Client %s has declined carer %s, who is given visit %s.",
			cl.ID, carer.ID, v.ID)})
	}
	return out
}

// checkRoundBreak checks round i's break, if any: the carer has a break
// rule, and the break lasts at least the rule's duration, lies inside the
// round and overlaps none of the round's journeys and visits.
func (c *planChecker) checkRoundBreak(i, k int) {
	r := &c.p.Rounds[i]
	b := r.Break
	if b == nil {
		return
	}
	id := c.in.Carers[k].ID
	rule := c.in.Carers[k].Break
	bp := planRoundPath(i) + ".break"
	if b.End < b.Start {
		c.add("break", bp+".end", "Carer %s's break ends at %s, before it starts at %s.", id, c.week.hms(int64(b.End)), c.week.hms(int64(b.Start)))
		return
	}
	ok := true
	length := int64(b.End) - int64(b.Start)
	switch {
	case rule == nil:
		ok = false
		c.add("break", bp, "Carer %s has no break rule, so the pause %s-%s is paid time, not a rest break; leave the break out.",
			id, c.week.hms(int64(b.Start)), c.week.hms(int64(b.End)))
	case length < int64(rule.DurationMin)*60:
		ok = false
		c.add("break", bp, "Carer %s's break %s-%s lasts %s, shorter than the %s their break rule asks for, so it is paid time, not the rest break.",
			id, c.week.hms(int64(b.Start)), c.week.hms(int64(b.End)), fmtDur(length), fmtDur(int64(rule.DurationMin)*60))
	}
	if b.Start < r.Departure || b.End > r.Return {
		ok = false
		c.add("break", bp, "Carer %s's break %s-%s lies outside the round, which runs %s-%s.",
			id, c.week.hms(int64(b.Start)), c.week.hms(int64(b.End)), c.week.hms(int64(r.Departure)), c.week.hms(int64(r.Return)))
	}
	for _, s := range c.busy[i] {
		if int64(b.Start) < s.to && s.from < int64(b.End) {
			ok = false
			c.add("break", bp, "Carer %s's break %s-%s overlaps time %s (%s-%s).",
				id, c.week.hms(int64(b.Start)), c.week.hms(int64(b.End)), s.what, c.week.hms(s.from), c.week.hms(s.to))
		}
	}
	c.restOK[i] = ok
}

// ---- Visits served and unassigned ----

// checkUnassigned checks the unassigned list: known visits, each once, not
// also served, with a true reason.
func (c *planChecker) checkUnassigned() {
	first := map[int]int{}
	for u := range c.p.Unassigned {
		e := &c.p.Unassigned[u]
		up := "unassigned[" + strconv.Itoa(u) + "]"
		vi, ok := c.ix.Visit[e.Visit]
		if !ok {
			c.add("unknown_visit", up+".visit", "The plan lists %q as unassigned, which is not a visit of the instance.", e.Visit)
			continue
		}
		c.listed[vi]++
		if j, dup := first[vi]; dup {
			c.add("unassigned", up+".visit", "Visit %s is listed as unassigned twice, here and at unassigned[%d].", e.Visit, j)
			continue
		}
		first[vi] = u
		if ss := c.served[vi]; len(ss) > 0 {
			c.add("unassigned", up+".visit", "Visit %s is listed as unassigned, but %s serves it (carer %s).",
				e.Visit, planStopPath(ss[0].round, ss[0].stop), ss[0].carer)
		}
		c.checkReason(up+".reason", vi, e.Reason)
	}
}

// checkServed checks that each visit is served by the right number of
// stops and carers, or listed as unassigned.
func (c *planChecker) checkServed() {
	for vi := range c.in.Visits {
		v := &c.in.Visits[vi]
		if c.ix.Visit[v.ID] != vi {
			continue
		}
		ss := c.served[vi]
		switch {
		case len(ss) == 0 && c.listed[vi] == 0:
			c.add("lost", "unassigned", "Visit %s is neither served by any round nor listed as unassigned.", v.ID)
		case len(ss) == 0:
		case v.CarersNeeded() >= 2:
			c.checkDouble(v, ss)
		default:
			c.checkSingle(v, ss)
		}
	}
}

// checkSingle checks the stops of a visit that needs one carer.
func (c *planChecker) checkSingle(v *Visit, ss []servedStop) {
	for n, s := range ss {
		sp := planStopPath(s.round, s.stop)
		if n > 0 {
			c.add("served_twice", sp, "Visit %s needs one carer and is already served at %s (carer %s), but carer %s serves it again here.",
				v.ID, planStopPath(ss[0].round, ss[0].stop), ss[0].carer, s.carer)
		}
		if p := c.stopOf(s).Partner; p != "" {
			c.add("partner", sp+".partner", "Visit %s needs one carer, but the stop names %q as partner.", v.ID, p)
		}
	}
}

// checkDouble checks the stops of a double-handed visit: two, by two
// different carers starting together, each naming the other as partner.
func (c *planChecker) checkDouble(v *Visit, ss []servedStop) {
	kept := ss[:1:1]
	for _, s := range ss[1:] {
		sp := planStopPath(s.round, s.stop)
		switch {
		case len(kept) == 2:
			c.add("served_twice", sp, "Visit %s needs two carers, carers %s and %s, but carer %s serves it a third time here.",
				v.ID, kept[0].carer, kept[1].carer, s.carer)
		case s.carer == kept[0].carer:
			c.add("served_twice", sp, "Carer %s serves visit %s twice; a double-handed visit needs two different carers.", s.carer, v.ID)
		default:
			kept = append(kept, s)
		}
	}
	if len(kept) == 1 {
		c.add("partner_missing", planStopPath(kept[0].round, kept[0].stop),
			"Visit %s is double-handed, but only carer %s serves it; a second carer must start it at the same time.", v.ID, kept[0].carer)
		return
	}
	a, b := kept[0], kept[1]
	if a.start != b.start {
		c.add("partner_start", planStopPath(b.round, b.stop)+".start",
			"Visit %s is double-handed, but carer %s starts it at %s and carer %s at %s; both must start together.",
			v.ID, a.carer, c.week.hms(a.start), b.carer, c.week.hms(b.start))
	}
	for _, pair := range [][2]servedStop{{a, b}, {b, a}} {
		if got := c.stopOf(pair[0]).Partner; got != pair[1].carer {
			c.add("partner", planStopPath(pair[0].round, pair[0].stop)+".partner",
				"Carer %s's stop for double-handed visit %s names partner %q, but the other carer is %s.",
				pair[0].carer, v.ID, got, pair[1].carer)
		}
	}
}

// ---- Dependencies ----

// checkDependencies checks each dependency between two known visits.
func (c *planChecker) checkDependencies() {
	for d := range c.in.Dependencies {
		dep := &c.in.Dependencies[d]
		a, okA := c.ix.Visit[dep.First]
		b, okB := c.ix.Visit[dep.Second]
		if !okA || !okB || a == b {
			continue
		}
		switch dep.Type {
		case Simultaneous:
			c.checkSimultaneous(d, dep, c.served[a], c.served[b])
		case Sequential:
			c.checkSequential(d, dep, c.served[a], c.served[b])
		}
	}
}

// checkSimultaneous checks that both visits or neither are served, at the
// same start, by different carers.
func (c *planChecker) checkSimultaneous(d int, dep *Dependency, sa, sb []servedStop) {
	switch {
	case len(sa) == 0 && len(sb) == 0:
		return
	case len(sb) == 0:
		c.add("dependency", planStopPath(sa[0].round, sa[0].stop), "Visits %s and %s must be served together (dependencies[%d]), but only %s is served.",
			dep.First, dep.Second, d, dep.First)
		return
	case len(sa) == 0:
		c.add("dependency", planStopPath(sb[0].round, sb[0].stop), "Visits %s and %s must be served together (dependencies[%d]), but only %s is served.",
			dep.First, dep.Second, d, dep.Second)
		return
	}
	if sa[0].start != sb[0].start {
		c.add("dependency_gap", planStopPath(sb[0].round, sb[0].stop)+".start", "Visit %s starts at %s and visit %s at %s, but dependencies[%d] has them start together.",
			dep.Second, c.week.hms(sb[0].start), dep.First, c.week.hms(sa[0].start), d)
	}
	for _, s := range sb {
		for _, t := range sa {
			if s.carer == t.carer {
				c.add("dependency", planStopPath(s.round, s.stop), "Carer %s serves both visit %s and visit %s, which start together (dependencies[%d]); they need different carers.",
					s.carer, dep.First, dep.Second, d)
				break
			}
		}
	}
}

// checkSequential checks the gap between the starts of two served visits.
func (c *planChecker) checkSequential(d int, dep *Dependency, sa, sb []servedStop) {
	if len(sa) == 0 || len(sb) == 0 {
		return
	}
	if dep.DistinctCarers {
		for _, s := range sb {
			for _, t := range sa {
				if s.carer == t.carer {
					c.add("dependency", planStopPath(s.round, s.stop), "Carer %s serves both visit %s and visit %s, which dependencies[%d] gives to different carers.",
						s.carer, dep.First, dep.Second, d)
				}
			}
		}
	}
	gap := sb[0].start - sa[0].start
	lo := int64(dep.MinGapMin) * 60
	want := "at least " + fmtDur(lo)
	tooLong := false
	if dep.MaxGapMin != nil {
		hi := int64(*dep.MaxGapMin) * 60
		want = "between " + fmtDur(lo) + " and " + fmtDur(hi)
		tooLong = gap > hi
	}
	if gap >= lo && !tooLong {
		return
	}
	rel := fmtDur(gap) + " after"
	if gap < 0 {
		rel = fmtDur(-gap) + " before"
	}
	c.add("dependency_gap", planStopPath(sb[0].round, sb[0].stop)+".start", "Visit %s starts at %s, %s visit %s (%s), but dependencies[%d] asks for %s after.",
		dep.Second, c.week.hms(sb[0].start), rel, dep.First, c.week.hms(sa[0].start), d, want)
}

// ---- Each carer's day ----

// roundsByDeparture lists carer k's rounds by departure, ties in plan
// order.
func (c *planChecker) roundsByDeparture(k int) []int {
	byTime := slices.Clone(c.days[k])
	slices.SortStableFunc(byTime, func(a, b int) int {
		return cmp.Compare(c.p.Rounds[a].Departure, c.p.Rounds[b].Departure)
	})
	return byTime
}

// checkDays checks each carer's rounds together: no overlaps, the working
// time cap and the break rule.
func (c *planChecker) checkDays() {
	for k := range c.in.Carers {
		rs := c.days[k]
		byTime := c.roundsByDeparture(k)
		if len(byTime) == 0 {
			continue
		}
		c.checkRoundOverlap(k, byTime)
		c.checkBusyOverlap(k, rs)
		// The working-time cap and the break rule are the day's: in a
		// period, each day's rounds on their own.
		days, timed := c.week.byDay(rs), c.week.byDay(byTime)
		for n, day := range days {
			var total int64
			for _, i := range day {
				total += c.paid[i]
			}
			c.checkWorkingTime(k, day, total)
			c.checkBreakRule(k, timed[n], total)
		}
	}
}

// checkRoundOverlap checks that carer k's rounds, in order of departure, do
// not overlap.
func (c *planChecker) checkRoundOverlap(k int, byTime []int) {
	prev := byTime[0]
	for _, i := range byTime[1:] {
		a, b := &c.p.Rounds[prev], &c.p.Rounds[i]
		if b.Departure < a.Return {
			c.add("overlap", planRoundPath(i)+".departure", "Carer %s's rounds overlap: rounds[%d] runs %s-%s, and rounds[%d] leaves at %s.",
				c.in.Carers[k].ID, prev, c.week.hms(int64(a.Departure)), c.week.hms(int64(a.Return)), i, c.week.hms(int64(b.Departure)))
		}
		if b.Return > a.Return {
			prev = i
		}
	}
}

// checkBusyOverlap checks that none of carer k's journeys and visits, over
// all their rounds, overlap.
func (c *planChecker) checkBusyOverlap(k int, rs []int) {
	var spans []busySpan
	for _, i := range rs {
		spans = append(spans, c.busy[i]...)
	}
	slices.SortStableFunc(spans, func(a, b busySpan) int { return cmp.Compare(a.from, b.from) })
	cur := -1
	for n := range spans {
		s := &spans[n]
		if cur >= 0 && s.from < spans[cur].to {
			o := &spans[cur]
			c.add("overlap", s.path, "Carer %s would be %s (%s-%s) while still %s (%s-%s).",
				c.in.Carers[k].ID, s.what, c.week.hms(s.from), c.week.hms(s.to), o.what, c.week.hms(o.from), c.week.hms(o.to))
		}
		if cur < 0 || s.to > spans[cur].to {
			cur = n
		}
	}
}

// checkWorkingTime checks carer k's paid time against their cap.
func (c *planChecker) checkWorkingTime(k int, rs []int, total int64) {
	carer := &c.in.Carers[k]
	limit := int64(carer.MaxWorkingMin) * 60
	if carer.MaxWorkingMin > 0 && total > limit {
		c.add("max_working_time", planRoundPath(rs[0]), "Carer %s is paid for %s over %s, more than their maximum working time of %s.",
			carer.ID, fmtDur(total), roundList(rs), fmtDur(limit))
	}
}

// checkBreakRule checks that carer k, when their paid time calls for a rest
// break, has an idle period long enough: a gap between rounds or a break
// inside a round.
func (c *planChecker) checkBreakRule(k int, byTime []int, total int64) {
	carer := &c.in.Carers[k]
	rule := carer.Break
	if rule == nil || total <= int64(rule.AfterWorkingMin)*60 {
		return
	}
	need := int64(rule.DurationMin) * 60
	for n, i := range byTime {
		r := &c.p.Rounds[i]
		if n > 0 && int64(r.Departure)-int64(c.p.Rounds[byTime[n-1]].Return) >= need {
			return
		}
		if b := r.Break; b != nil && c.restOK[i] && int64(b.End)-int64(b.Start) >= need {
			return
		}
	}
	first := slices.Min(byTime)
	c.add("break", planRoundPath(first)+".break", "Carer %s is paid for %s, more than %s, so needs a rest break of at least %s, but no break in a round and no gap between rounds is that long.",
		carer.ID, fmtDur(total), fmtDur(int64(rule.AfterWorkingMin)*60), fmtDur(need))
}

// ---- Reasons ----

// checkReason checks the reason given for leaving visit vi unassigned,
// re-deriving from the instance alone whatever part of its claim can be.
func (c *planChecker) checkReason(path string, vi int, reason Reason) {
	v := &c.in.Visits[vi]
	switch {
	case reason == "":
		c.add("reason", path, "Visit %s is left unassigned without a reason.", v.ID)
	case reason == renamedNoCapacity:
		c.add("reason", path, "Visit %s is unassigned for reason %q, a code that is no longer used: it is now %s.", v.ID, reason, ReasonCarersBusy)
	case !slices.Contains(Reasons, reason):
		c.add("reason", path, "Visit %s is unassigned for reason %q, which is not a reason code.", v.ID, reason)
	default:
		if why := c.refute(vi, reason); why != "" {
			c.add("reason", path, "Visit %s is marked %s, but %s.", v.ID, reason, why)
		}
	}
}

// renamedNoCapacity is the old name of ReasonCarersBusy, which read like a
// carer's capacity; a plan that still uses it is told the new name.
const renamedNoCapacity Reason = "no_capacity"

// staticReasons are the reasons a visit can never be served whatever the
// other visits do, in the order they are tested: a visit is given the first
// that holds.
var staticReasons = []Reason{
	ReasonNoQualifiedCarer, ReasonTooFewQualifiedCarers, ReasonBeyondMaxLeg,
	ReasonOutsideShifts, ReasonMaxWorkingTime,
}

// refute returns why reason is not true of visit vi, or "" when the
// instance does not show it false. The static reasons are re-derived in
// full; of the others, the parts that follow from the instance alone.
func (c *planChecker) refute(vi int, reason Reason) string {
	v := &c.in.Visits[vi]
	switch reason {
	case ReasonNoQualifiedCarer:
		if q := c.qualified(vi); len(q) > 0 {
			return fmt.Sprintf("carer %s is qualified for it: they hold the skills, meet the client's wishes and are not declined", c.in.Carers[q[0]].ID)
		}
	case ReasonTooFewQualifiedCarers:
		return c.refuteTooFew(vi)
	case ReasonBeyondMaxLeg:
		if r := c.reaching(vi); len(r) >= placesOf(v) {
			return c.reachText(vi, r[:placesOf(v)])
		}
	case ReasonOutsideShifts:
		if fits := c.fitting(vi, false); len(fits) >= placesOf(v) {
			return c.fitsText(fits[:placesOf(v)], false)
		}
	case ReasonMaxWorkingTime:
		if fits := c.fitting(vi, true); len(fits) >= placesOf(v) {
			return c.fitsText(fits[:placesOf(v)], true)
		}
	case ReasonDependency:
		return c.refuteDependency(vi)
	case ReasonNoFeasibleRound:
		return c.refuteNoFeasibleRound(vi)
	case ReasonCarersBusy:
		return c.refuteCarersBusy(vi)
	}
	return ""
}

// staticReason returns the first static reason that holds for visit vi,
// or "" when the visit passes every static test.
func (c *planChecker) staticReason(vi int) Reason {
	for _, r := range staticReasons {
		if c.refute(vi, r) == "" {
			return r
		}
	}
	return ""
}

// refuteDependency checks a claim that a visit cannot be served because
// of the visits it must start with: it must be tied to another visit by a
// simultaneous dependency. A sequential tie never keeps a visit from being
// served, as its gap binds only when both visits are served.
func (c *planChecker) refuteDependency(vi int) string {
	if len(c.simultaneousGroup(vi)) > 1 {
		return ""
	}
	v := &c.in.Visits[vi]
	var seq []string
	for d, dep := range c.in.Dependencies {
		if dep.First == v.ID || dep.Second == v.ID {
			seq = append(seq, "dependencies["+strconv.Itoa(d)+"]")
		}
	}
	if len(seq) == 0 {
		return "no dependency ties it to another visit"
	}
	return fmt.Sprintf("only sequential ties (%s) name it, and their gap binds only when both visits are served, so they never keep it from being served", wordList("", seq))
}

// refuteNoFeasibleRound checks a claim that a visit passes every static
// test yet fits no otherwise empty round. Visits that must start with
// others are marked dependency instead. A single-handed visit is shown to
// fit when a qualified carer can go straight from their start to it and
// on to their end, each leg within their maximum leg, start it within a
// window, keep within their shift, working-time cap and capacity, and work
// no longer than their break rule allows without a break.
func (c *planChecker) refuteNoFeasibleRound(vi int) string {
	if why := c.refuteStatic(vi); why != "" {
		return why
	}
	if group := c.simultaneousGroup(vi); len(group) > 1 {
		return fmt.Sprintf("it must start together with %s, so when they cannot be served together its reason is %s",
			c.othersText(vi, group), ReasonDependency)
	}
	v := &c.in.Visits[vi]
	if placesOf(v) > 1 {
		return ""
	}
	for _, k := range c.qualified(vi) {
		carer := &c.in.Carers[k]
		if carer.Capacity > 0 && v.Load > carer.Capacity {
			continue
		}
		if limit := carer.MaxLegS(); limit > 0 {
			pt := c.clientPoint(vi)
			there, _ := c.travel.Leg(carer.Mode, c.in.CarerStartPoint(k), pt)
			back, _ := c.travel.Leg(carer.Mode, pt, c.in.CarerEndPoint(k))
			if there > limit || back > limit {
				continue
			}
		}
		// Under rules.no_waiting the round may not wait for the window.
		f, ok := c.shiftFitFor(vi, k, true, c.in.Rules.WaitingForbidden())
		if !ok || (carer.Break != nil && f.paid > int64(carer.Break.AfterWorkingMin)*60) {
			continue
		}
		return c.fitsText([]shiftFit{f}, true) + ", on a round of this visit alone"
	}
	return ""
}

// refuteCarersBusy checks a claim that qualified carers could serve a
// visit on otherwise empty rounds, and only the visits the plan serves
// keep them from it: no static reason may hold for it or for a visit it
// must start with, and enough carers who can reach it must be able to
// carry its load.
func (c *planChecker) refuteCarersBusy(vi int) string {
	if why := c.refuteStatic(vi); why != "" {
		return why
	}
	group := c.simultaneousGroup(vi)
	for _, w := range group {
		if w == vi {
			continue
		}
		if r := c.staticReason(w); r != "" {
			return fmt.Sprintf("visit %s, which must start with it, can never be served (%s holds for it), so its reason is %s",
				c.in.Visits[w].ID, r, ReasonDependency)
		}
	}
	v := &c.in.Visits[vi]
	if v.Load == 0 {
		return ""
	}
	carry := 0
	for _, k := range c.reaching(vi) {
		if cp := c.in.Carers[k].Capacity; cp == 0 || v.Load <= cp {
			carry++
		}
	}
	if carry < placesOf(v) {
		return fmt.Sprintf("it needs %d carer(s) able to carry its load of %d and %d of the qualified carers who can reach it can, so no round could take it, whatever else the plan serves",
			placesOf(v), v.Load, carry)
	}
	return ""
}

// refuteStatic returns why a visit fails a static test, for a reason that
// claims it passes them all, or "".
func (c *planChecker) refuteStatic(vi int) string {
	if r := c.staticReason(vi); r != "" {
		return fmt.Sprintf("it can never be served: %s holds for it, and that is its reason", r)
	}
	return ""
}

// othersText names the visits of group other than vi.
func (c *planChecker) othersText(vi int, group []int) string {
	var names []string
	for _, w := range group {
		if w != vi {
			names = append(names, c.in.Visits[w].ID)
		}
	}
	return wordList("visit", names)
}

// placesOf is how many carers visit v needs, at least one.
func placesOf(v *Visit) int { return max(1, v.CarersNeeded()) }

// qualified lists the carers qualified for visit vi.
func (c *planChecker) qualified(vi int) []int {
	var out []int
	for k := range c.in.Carers {
		if c.ix.Carer[c.in.Carers[k].ID] == k && len(c.whyUnqualified(k, vi)) == 0 {
			out = append(out, k)
		}
	}
	return out
}

// reaching lists the carers qualified for visit vi who can reach it by
// legs within their maximum leg, as ReasonBeyondMaxLeg defines.
func (c *planChecker) reaching(vi int) []int {
	var out []int
	for _, k := range c.qualified(vi) {
		if c.canReach(k, vi) {
			out = append(out, k)
		}
	}
	return out
}

// reachText describes carers who can reach visit vi.
func (c *planChecker) reachText(vi int, carers []int) string {
	parts := make([]string, len(carers))
	for n, k := range carers {
		carer := &c.in.Carers[k]
		if carer.MaxLegS() == 0 {
			parts[n] = fmt.Sprintf("carer %s, travelling by %s, has no maximum leg", carer.ID, carer.Mode)
			continue
		}
		parts[n] = fmt.Sprintf("carer %s can reach client %s from their start and go on to their end by legs of at most %s by %s",
			carer.ID, c.in.Visits[vi].Client, fmtDur(int64(carer.MaxLegS())), carer.Mode)
	}
	return strings.Join(parts, ", and ")
}

// legReach is what one carer can reach by legs within their maximum leg,
// through the locations of visits only.
type legReach struct {
	// fromStart tells, by point, whether the point can be reached from
	// the carer's start.
	fromStart []bool
	// toEnd tells, by point, whether the carer's end can be reached from
	// the point.
	toEnd []bool
}

// canReach reports whether carer k can reach visit vi's client from their
// start and go on to their end, every leg within their maximum leg.
func (c *planChecker) canReach(k, vi int) bool {
	limit := c.in.Carers[k].MaxLegS()
	if limit == 0 {
		return true
	}
	pt := c.clientPoint(vi)
	if pt < 0 {
		return false
	}
	r, ok := c.reach[k]
	if !ok {
		r = c.legReachOf(k, limit)
		c.reach[k] = r
	}
	return r.fromStart[pt] && r.toEnd[pt]
}

// legReachOf searches, breadth first, the visit locations carer k can
// reach from their start and those from which they can reach their end,
// taking only legs of at most limit seconds by their mode.
func (c *planChecker) legReachOf(k, limit int) *legReach {
	mode := c.in.Carers[k].Mode
	pts := c.visitPoints()
	n := len(c.in.Clients) + 2*len(c.in.Carers)
	within := func(a, b int) bool {
		d, _ := c.travel.Leg(mode, a, b)
		return d <= limit
	}
	search := func(seed int, forward bool) []bool {
		seen := make([]bool, n)
		var queue []int
		for _, p := range pts {
			if (forward && within(seed, p)) || (!forward && within(p, seed)) {
				seen[p] = true
				queue = append(queue, p)
			}
		}
		for len(queue) > 0 {
			a := queue[0]
			queue = queue[1:]
			for _, b := range pts {
				if !seen[b] && ((forward && within(a, b)) || (!forward && within(b, a))) {
					seen[b] = true
					queue = append(queue, b)
				}
			}
		}
		return seen
	}
	return &legReach{
		fromStart: search(c.in.CarerStartPoint(k), true),
		toEnd:     search(c.in.CarerEndPoint(k), false),
	}
}

// visitPoints lists the points of the visits' clients, each once, in
// order.
func (c *planChecker) visitPoints() []int {
	if c.visitPts != nil {
		return c.visitPts
	}
	seen := make([]bool, len(c.in.Clients))
	c.visitPts = []int{}
	for vi := range c.in.Visits {
		if pt := c.clientPoint(vi); pt >= 0 && !seen[pt] {
			seen[pt] = true
		}
	}
	for pt, ok := range seen {
		if ok {
			c.visitPts = append(c.visitPts, pt)
		}
	}
	return c.visitPts
}

// refuteTooFew checks a claim of too few qualified carers: the visit, with
// the visits that must start with it, needs more carers at once than can be
// found, each qualified for the visit they take.
func (c *planChecker) refuteTooFew(vi int) string {
	v := &c.in.Visits[vi]
	group := c.simultaneousGroup(vi)
	if len(group) == 1 && placesOf(v) < 2 {
		return "it needs only one carer and no visit must start with it"
	}
	crew := c.crew(group)
	if crew == nil {
		return ""
	}
	ids := make([]string, len(crew))
	for n, k := range crew {
		ids[n] = c.in.Carers[k].ID
	}
	if len(group) == 1 {
		return fmt.Sprintf("carers %s are qualified for it", wordList("", ids))
	}
	names := make([]string, len(group))
	for n, w := range group {
		names[n] = c.in.Visits[w].ID
	}
	return fmt.Sprintf("visits %s, which must start together, can have carers %s, each qualified", wordList("", names), wordList("", ids))
}

// simultaneousGroup lists visit vi and every visit tied to it, directly or
// through others, by simultaneous dependencies, in instance order.
func (c *planChecker) simultaneousGroup(vi int) []int {
	in := map[int]bool{vi: true}
	for grew := true; grew; {
		grew = false
		for _, d := range c.in.Dependencies {
			a, okA := c.ix.Visit[d.First]
			b, okB := c.ix.Visit[d.Second]
			if d.Type != Simultaneous || !okA || !okB || in[a] == in[b] {
				continue
			}
			in[a], in[b], grew = true, true, true
		}
	}
	var out []int
	for w := range c.in.Visits {
		if in[w] {
			out = append(out, w)
		}
	}
	return out
}

// crew finds distinct carers for every carer place the visits of group
// need, each qualified for the visit they take, or returns nil when there
// is no such crew. It matches places to carers by augmenting paths.
func (c *planChecker) crew(group []int) []int {
	var places []int // visit index of each place
	for _, w := range group {
		for range min(placesOf(&c.in.Visits[w]), len(c.in.Carers)+1) {
			places = append(places, w)
		}
	}
	ok := make([][]bool, len(places))
	for n, w := range places {
		ok[n] = make([]bool, len(c.in.Carers))
		for _, k := range c.qualified(w) {
			ok[n][k] = true
		}
	}
	holder := make([]int, len(c.in.Carers)) // place held by each carer, or -1
	for k := range holder {
		holder[k] = -1
	}
	var try func(n int, seen []bool) bool
	try = func(n int, seen []bool) bool {
		for k := range c.in.Carers {
			if !ok[n][k] || seen[k] {
				continue
			}
			seen[k] = true
			if holder[k] < 0 || try(holder[k], seen) {
				holder[k] = n
				return true
			}
		}
		return false
	}
	for n := range places {
		if !try(n, make([]bool, len(c.in.Carers))) {
			return nil
		}
	}
	var out []int
	for k, n := range holder {
		if n >= 0 {
			out = append(out, k)
		}
	}
	return out
}

// fitting lists, for each qualified carer who can reach visit vi and could
// serve it alone in one of their shifts, the first such shift. With capped
// set, the visit's paid time must also keep within the carer's maximum
// working time.
func (c *planChecker) fitting(vi int, capped bool) []shiftFit {
	var out []shiftFit
	for _, k := range c.reaching(vi) {
		if f, ok := c.shiftFitFor(vi, k, capped, false); ok {
			out = append(out, f)
		}
	}
	return out
}

// shiftFitFor finds the first shift in which carer k can leave their start
// at the shift's start, reach visit vi's client, start within a window
// (waiting if early, unless noWait), finish and be back at their end before the shift
// ends.
func (c *planChecker) shiftFitFor(vi, k int, capped, noWait bool) (shiftFit, bool) {
	carer := &c.in.Carers[k]
	v := &c.in.Visits[vi]
	to := c.clientPoint(vi)
	if to < 0 {
		return shiftFit{}, false
	}
	there, _ := c.travel.Leg(carer.Mode, c.in.CarerStartPoint(k), to)
	back, _ := c.travel.Leg(carer.Mode, to, c.in.CarerEndPoint(k))
	paid := int64(there) + int64(v.DurationS()) + int64(back)
	if capped && carer.MaxWorkingMin > 0 && paid > int64(carer.MaxWorkingMin)*60 {
		return shiftFit{}, false
	}
	for s, sh := range carer.Shifts {
		start, ok := firstAllowedStart(v, int64(sh.Start)+int64(there))
		if !ok || (noWait && start != int64(sh.Start)+int64(there)) {
			continue
		}
		ret := start + int64(v.DurationS()) + int64(back)
		if ret <= int64(sh.End) {
			return shiftFit{carer: k, shift: s, leave: start - int64(there), start: start, back: ret, paid: paid}, true
		}
	}
	return shiftFit{}, false
}

// firstAllowedStart is the first start of visit v at or after t that its
// windows allow: inside a window, waiting for one when early; a soft visit
// past its last window starts at t.
func firstAllowedStart(v *Visit, t int64) (int64, bool) {
	for _, w := range v.Windows {
		if t <= int64(w.End) {
			return max(t, int64(w.Start)), true
		}
	}
	return t, v.IsSoft()
}

// fitsText describes carers who could serve a visit.
func (c *planChecker) fitsText(fits []shiftFit, paid bool) string {
	parts := make([]string, len(fits))
	for n, f := range fits {
		carer := &c.in.Carers[f.carer]
		sh := carer.Shifts[f.shift]
		parts[n] = fmt.Sprintf("carer %s could leave at %s in %s (%s), start at %s and be back by %s",
			carer.ID, c.week.hms(f.leave), c.week.shiftText(f.carer, f.shift), c.week.span(sh.Start, sh.End), c.week.hms(f.start), c.week.hms(f.back))
		if paid {
			limit := "no maximum"
			if carer.MaxWorkingMin > 0 {
				limit = "a maximum of " + fmtDur(int64(carer.MaxWorkingMin)*60)
			}
			parts[n] += fmt.Sprintf(", paid for %s against %s", fmtDur(f.paid), limit)
		}
	}
	return strings.Join(parts, ", and ")
}

// ---- Key figures ----

// checkKPIs compares the plan's key figures, when it gives them, with
// ComputeKPIs.
func (c *planChecker) checkKPIs() {
	if c.p.KPIs == nil {
		return
	}
	got, want := c.p.KPIs, ComputeKPIs(c.in, c.p)
	for _, f := range []struct {
		name      string
		got, want int
	}{
		{"visits", got.Visits, want.Visits},
		{"visits_served", got.VisitsServed, want.VisitsServed},
		{"visits_unassigned", got.VisitsUnassigned, want.VisitsUnassigned},
		{"contact_s", got.ContactS, want.ContactS},
		{"paid_s", got.PaidS, want.PaidS},
		{"travel_s", got.TravelS, want.TravelS},
		{"distance_m", got.DistanceM, want.DistanceM},
		{"waiting_s", got.WaitingS, want.WaitingS},
		{"lateness_s", got.LatenessS, want.LatenessS},
		{"late_visits", got.LateVisits, want.LateVisits},
		{"carers_used", got.CarersUsed, want.CarersUsed},
		{"short_visits", got.ShortVisits, want.ShortVisits},
	} {
		if f.got != f.want {
			c.add("kpi", "kpis."+f.name, "kpis.%s is %d, but adding up the plan gives %d.", f.name, f.got, f.want)
		}
	}
	if !(math.Abs(got.TravelShare-want.TravelShare) <= 1e-3) {
		c.add("kpi", "kpis.travel_share", "kpis.travel_share is %.4f, but adding up the plan gives %.4f.", got.TravelShare, want.TravelShare)
	}
	if !sameGrams(got.CO2Kg, want.CO2Kg) {
		c.add("kpi", "kpis.co2_kg", "kpis.co2_kg is %.3f, but the rounds' distances give %.3f.", got.CO2Kg, want.CO2Kg)
	}
	c.checkModeKPIs(got.TravelByMode, want.TravelByMode)
}

// checkModeKPIs compares travel_by_mode, mode by mode.
func (c *planChecker) checkModeKPIs(got, want map[Mode]ModeTravel) {
	var modes []Mode
	for m := range got {
		modes = append(modes, m)
	}
	for m := range want {
		if _, ok := got[m]; !ok {
			modes = append(modes, m)
		}
	}
	slices.Sort(modes)
	for _, m := range modes {
		g, gok := got[m]
		w, wok := want[m]
		path := "kpis.travel_by_mode." + string(m)
		switch {
		case !wok:
			c.add("kpi", path, "kpis.travel_by_mode lists mode %q, but no round travels by it.", m)
		case !gok:
			c.add("kpi", path, "kpis.travel_by_mode leaves out mode %s, which the rounds use for %d s and %d m.", m, w.TravelS, w.DistanceM)
		default:
			if g.TravelS != w.TravelS {
				c.add("kpi", path+".travel_s", "kpis.travel_by_mode.%s.travel_s is %d, but the rounds by %s give %d.", m, g.TravelS, m, w.TravelS)
			}
			if g.DistanceM != w.DistanceM {
				c.add("kpi", path+".distance_m", "kpis.travel_by_mode.%s.distance_m is %d, but the rounds by %s give %d.", m, g.DistanceM, m, w.DistanceM)
			}
			if !sameGrams(g.CO2Kg, w.CO2Kg) {
				c.add("kpi", path+".co2_kg", "kpis.travel_by_mode.%s.co2_kg is %.3f, but the rounds by %s give %.3f.", m, g.CO2Kg, m, w.CO2Kg)
			}
		}
	}
}

// sameGrams reports whether two masses in kg agree to the gram: both are
// rounded to three decimals, so they may differ only by the error of
// writing them as decimals.
func sameGrams(a, b float64) bool { return math.Abs(a-b) < 5e-4 }

// ---- Formatting ----

// planRoundPath is the path of rounds[i].
func planRoundPath(i int) string { return "rounds[" + strconv.Itoa(i) + "]" }

// planStopPath is the path of rounds[i].stops[j].
func planStopPath(i, j int) string { return planRoundPath(i) + ".stops[" + strconv.Itoa(j) + "]" }

// secsBound keeps stated seconds within a range where sums of a few of
// them cannot overflow; it is far beyond any real time.
const secsBound = int64(1) << 40

// boundSecs converts stated seconds for arithmetic, clamped to ±secsBound.
func boundSecs(s int) int64 {
	return max(-secsBound, min(int64(s), secsBound))
}

// fmtHMS writes seconds since midnight as HH:MM:SS; hours run past 24 for
// the next day.
func fmtHMS(t int64) string {
	sign := ""
	if t < 0 {
		sign, t = "-", -max(t, -secsBound)
	}
	return fmt.Sprintf("%s%02d:%02d:%02d", sign, t/3600, t/60%60, t%60)
}

// fmtSpan writes an instance's window or shift as "07:00-10:00".
func fmtSpan(from, to Clock) string { return from.String() + "-" + to.String() }

// fmtDur writes a duration in seconds as e.g. "1h05m", "7m48s" or "45s".
func fmtDur(s int64) string {
	sign := ""
	if s < 0 {
		sign, s = "-", -max(s, -secsBound)
	}
	h, m, sec := s/3600, s/60%60, s%60
	switch {
	case h > 0 && sec == 0:
		return fmt.Sprintf("%s%dh%02dm", sign, h, m)
	case h > 0:
		return fmt.Sprintf("%s%dh%02dm%02ds", sign, h, m, sec)
	case m > 0 && sec == 0:
		return fmt.Sprintf("%s%dm", sign, m)
	case m > 0:
		return fmt.Sprintf("%s%dm%02ds", sign, m, sec)
	}
	return fmt.Sprintf("%s%ds", sign, sec)
}

// wordList joins words as "a, b and c", after the singular or plural of
// noun when noun is not empty.
func wordList(noun string, words []string) string {
	list := words[len(words)-1]
	if len(words) > 1 {
		list = strings.Join(words[:len(words)-1], ", ") + " and " + list
	}
	switch {
	case noun == "":
		return list
	case len(words) == 1:
		return noun + " " + list
	}
	return noun + "s " + list
}

// roundList names rounds as "rounds[0] and rounds[3]".
func roundList(rs []int) string {
	names := make([]string, len(rs))
	for n, i := range rs {
		names[n] = planRoundPath(i)
	}
	return wordList("", names)
}
