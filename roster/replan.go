package roster

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Re-planning within a period: what an earlier plan has already carried
// out (the freeze), the changes that cannot be made to it, the checks a
// re-plan must pass besides Check's, and who a re-plan affects.

// ParseFreeze reads a freeze time for instance in: "YYYY-MM-DDTHH:MM" (or
// "YYYY-MM-DDTHH:MM:SS") wall-clock in the instance's time zone on a date
// of its period, or an RFC 3339 time with its offset inside the period. A
// wall-clock time that occurs twice (the clocks going back) means the
// first; one that does not exist (the clocks going forward) is an error.
func ParseFreeze(in *Instance, s string) (time.Time, error) {
	cal := newCalendar(in.PeriodOf(), in.TimeZone)
	if cal == nil {
		return time.Time{}, errors.New("the instance has no valid period (or date) and time zone to read it in")
	}
	var u int64
	if date, clock, ok := strings.Cut(s, "T"); ok && dateShape(date) && !strings.ContainsAny(clock, "Zz+-") {
		t, okD := parseDate(date)
		c, err := ParseClock(clock)
		if !okD || err != nil || c >= 24*3600 {
			return time.Time{}, fmt.Errorf("%q is not a time: want YYYY-MM-DDTHH:MM, wall-clock in %s", s, in.TimeZone)
		}
		d := cal.dayOf(t)
		if d < 0 || d >= cal.days {
			return time.Time{}, fmt.Errorf("%s is outside the period (%s)", date, cal.describeDays())
		}
		at, ok := cal.instant(d, c)
		if !ok {
			return time.Time{}, errors.New(cal.missingTime(d, c))
		}
		u = cal.origin + int64(at)
	} else {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return time.Time{}, fmt.Errorf("%q is not a time: want YYYY-MM-DDTHH:MM, wall-clock in %s, or RFC 3339 such as 2026-11-25T10:00:00Z", s, in.TimeZone)
		}
		u = t.Unix()
		if t.Nanosecond() > 0 {
			u++ // a visit starts on a whole second: before t is before the next one
		}
		if u < cal.origin || u > cal.dayStartUnix(cal.days) {
			return time.Time{}, fmt.Errorf("%s is outside the period (%s)", s, cal.describeDays())
		}
	}
	return time.Unix(u, 0).In(cal.loc), nil
}

// Freeze is the changes' FreezeBefore read for instance in (ParseFreeze);
// the zero time when it is not given. A problem is FieldErrors at
// "changes.freeze_before".
func (ch *Changes) Freeze(in *Instance) (time.Time, error) {
	if ch.FreezeBefore == "" {
		return time.Time{}, nil
	}
	t, err := ParseFreeze(in, ch.FreezeBefore)
	if err != nil {
		return time.Time{}, FieldErrors{{Path: "changes.freeze_before", Reason: err.Error()}}
	}
	return t, nil
}

// FrozenVisit is a visit an earlier plan starts before the freeze: it is
// done (or under way) and a re-plan keeps it as it was.
type FrozenVisit struct {
	Visit  string
	Client string
	// Date and Start are the date of its round and its start, wall-clock
	// on that date, as the plan writes them.
	Date  string
	Start Clock
	// Carers serve it, in order of id.
	Carers []string
	// At is its start as an instant: seconds since the period's start.
	At Clock
}

// Frozen lists, in plan order, the visits plan prev starts before instant
// before, reading prev's dates and times against instance in (the instance
// prev was made for, or that instance changed: a round of a carer or on a
// shift that has gone is still read by its date).
func Frozen(in *Instance, prev *Plan, before time.Time) ([]FrozenVisit, error) {
	x, err := Expand(in)
	if err != nil {
		return nil, err
	}
	at := Clock(before.Unix() - x.Origin.Unix())
	flat, _, days := x.PlanInstants(prev)
	var out []FrozenVisit
	byVisit := map[string]int{}
	for i, r := range flat.Rounds {
		if days[i] < 0 {
			continue
		}
		for j, st := range r.Stops {
			if st.Start >= at {
				continue
			}
			f, ok := byVisit[st.Visit]
			if !ok {
				f = len(out)
				byVisit[st.Visit] = f
				out = append(out, FrozenVisit{Visit: st.Visit, Client: st.Client, Date: x.Date(days[i]),
					Start: prev.Rounds[i].Stops[j].Start, At: st.Start})
			}
			out[f].Carers = append(out[f].Carers, r.Carer)
		}
	}
	for i := range out {
		slices.Sort(out[i].Carers)
	}
	return out, nil
}

// FreezeConflicts reports the changes that would undo what the earlier
// plan prev (of instance in, before the changes) has already carried out:
// a frozen visit cancelled, or its client away on its date, or one of its
// carers taken off or off on its date. Problems are FieldErrors under
// "changes"; nil when nothing is frozen.
func (ch *Changes) FreezeConflicts(in *Instance, prev *Plan) error {
	before, err := ch.Freeze(in)
	if err != nil || before.IsZero() {
		return err
	}
	fz, err := Frozen(in, prev, before)
	if err != nil {
		return err
	}
	var es FieldErrors
	done := func(f *FrozenVisit) string {
		return fmt.Sprintf("visit %s (client %s, %s) started at %v on %s, before freeze_before", f.Visit, f.Client, strings.Join(f.Carers, " and "), f.Start, f.Date)
	}
	in2 := func(date, from, to string) bool { return date >= from && (to == "" || date <= to) }
	for i := range fz {
		f := &fz[i]
		for j, id := range ch.RemoveVisits {
			if id == f.Visit {
				es.add(fmt.Sprintf("changes.remove_visits[%d]", j), "%s: it cannot be cancelled", done(f))
			}
		}
		for j, id := range ch.RemoveCarers {
			if slices.Contains(f.Carers, id) {
				es.add(fmt.Sprintf("changes.remove_carers[%d]", j), "%s: carer %s cannot be taken off the whole plan; give carers_off from a later date", done(f), id)
			}
		}
		for j, co := range ch.CarersOff {
			if slices.Contains(f.Carers, co.Carer) && in2(f.Date, co.From, co.To) {
				es.add(fmt.Sprintf("changes.carers_off[%d].from", j), "%s: carer %s cannot be off on %s; give from the next date", done(f), co.Carer, f.Date)
			}
		}
		for j, ca := range ch.ClientsAway {
			if ca.Client == f.Client && in2(f.Date, ca.From, ca.To) {
				es.add(fmt.Sprintf("changes.clients_away[%d].from", j), "%s: client %s cannot be away on %s; give from the next date", done(f), ca.Client, f.Date)
			}
		}
	}
	return es.err()
}

// ReasonBeforeFreeze: a re-plan with a freeze (Changes.FreezeBefore) did
// not serve the visit, whose time begins before the freeze: the earlier
// plan did not start it before then, and nothing new is done in the past.
// Check cannot judge it without the freeze; CheckReplan does.
const ReasonBeforeFreeze Reason = "before_freeze"

// CheckReplan checks what a re-plan with a freeze must keep besides what
// Check checks: plan, a plan of instance in (the changed instance), keeps
// every visit the earlier plan prev starts before instant before with the
// same carers, on the same date, at the same start; starts no other visit
// before then; gives before_freeze only to visits whose time begins before
// then; and, when it gives Affected, gives what ComputeAffected(in, prev,
// plan, its moved_min) works out. Each violation has the code "frozen" (or
// "reason", "affected"). It reads the plans as Check does, and does not
// repeat Check.
func CheckReplan(in *Instance, prev, plan *Plan, before time.Time) []Violation {
	vs := []Violation{}
	add := func(code, path, format string, args ...any) {
		vs = append(vs, Violation{Code: code, Path: path, Message: fmt.Sprintf(format, args...)})
	}
	x, err := Expand(in)
	if err != nil {
		return []Violation{{Code: "instance", Message: "The instance cannot be expanded into its period: " + err.Error()}}
	}
	if !before.IsZero() {
		at := Clock(before.Unix() - x.Origin.Unix())
		fz, err := Frozen(in, prev, before)
		if err != nil {
			return []Violation{{Code: "instance", Message: err.Error()}}
		}
		frozen := map[string]*FrozenVisit{}
		for i := range fz {
			frozen[fz[i].Visit] = &fz[i]
		}
		flat, _, days := x.PlanInstants(plan)
		got := map[string]*FrozenVisit{}
		var order []string
		paths := map[string]string{}
		for i, r := range flat.Rounds {
			if days[i] < 0 {
				continue
			}
			for j, st := range r.Stops {
				g, ok := got[st.Visit]
				if !ok {
					g = &FrozenVisit{Visit: st.Visit, Date: x.Date(days[i]), Start: plan.Rounds[i].Stops[j].Start, At: st.Start}
					got[st.Visit] = g
					order = append(order, st.Visit)
					paths[st.Visit] = fmt.Sprintf("rounds[%d].stops[%d]", i, j)
				}
				g.Carers = append(g.Carers, r.Carer)
			}
		}
		when := before.Format("2006-01-02 15:04 MST")
		for i := range fz {
			f := &fz[i]
			g, ok := got[f.Visit]
			switch {
			case !ok:
				add("frozen", "", "Visit %s started at %v on %s (%s) before the freeze (%s) in the earlier plan; this plan does not serve it.", f.Visit, f.Start, f.Date, strings.Join(f.Carers, ", "), when)
				continue
			case !slices.Equal(sortedCopy(g.Carers), f.Carers):
				add("frozen", paths[f.Visit], "Visit %s started before the freeze (%s) with %s; this plan gives it to %s.", f.Visit, when, strings.Join(f.Carers, ", "), strings.Join(sortedCopy(g.Carers), ", "))
			}
			if g.Date != f.Date || g.Start != f.Start {
				add("frozen", paths[f.Visit]+".start", "Visit %s started at %v on %s, before the freeze (%s); this plan starts it at %v on %s.", f.Visit, f.Start, f.Date, when, g.Start, g.Date)
			}
		}
		for _, id := range order {
			if g := got[id]; frozen[id] == nil && g.At < at {
				add("frozen", paths[id]+".start", "Visit %s starts at %v on %s, before the freeze (%s), but the earlier plan did not start it then: nothing new is done in the past.", id, g.Start, g.Date, when)
			}
		}
		ix := NewIndex(x.Instance)
		for i, u := range plan.Unassigned {
			if u.Reason != ReasonBeforeFreeze {
				continue
			}
			v, ok := ix.Visit[u.Visit]
			if ok && x.Instance.Visits[v].Windows[0].Start >= at {
				add("reason", fmt.Sprintf("unassigned[%d].reason", i), "Visit %s is marked %s, but its first window opens at or after the freeze (%s).", u.Visit, u.Reason, when)
			}
		}
	} else {
		for i, u := range plan.Unassigned {
			if u.Reason == ReasonBeforeFreeze {
				add("reason", fmt.Sprintf("unassigned[%d].reason", i), "Visit %s is marked %s, but there is no freeze.", u.Visit, u.Reason)
			}
		}
	}
	if plan.Affected != nil {
		want := ComputeAffected(in, prev, plan, plan.Affected.MovedMin)
		a, _ := json.Marshal(plan.Affected)
		b, _ := json.Marshal(want)
		if string(a) != string(b) {
			add("affected", "affected", "The plan's affected carers and clients are not those the two plans show: %s.", b)
		}
	}
	return vs
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

// DefaultMovedMin is how far, in minutes, a visit's start may move in a
// re-plan before its carers and client are told: a call within a quarter
// of an hour of its time is on time as people in home care count it.
const DefaultMovedMin = 15

// Affected is who a re-plan affects, for the coordinator to telephone:
// each carer whose rounds changed and each client whose visits changed,
// with the visits and their dates. A visit is changed when it is served
// in one plan and not the other, when its carers differ, or when its
// start moved by more than MovedMin minutes.
type Affected struct {
	MovedMin int              `json:"moved_min"`
	Carers   []AffectedCarer  `json:"carers"`
	Clients  []AffectedClient `json:"clients"`
}

// AffectedCarer is a carer whose rounds changed: the visits they gained,
// lost or had moved, and the dates of those visits.
type AffectedCarer struct {
	Carer  string        `json:"carer"`
	Dates  []string      `json:"dates"`
	Visits []VisitChange `json:"visits"`
}

// AffectedClient is a client whose visits changed carer or time, or were
// dropped or added, with the dates of those visits.
type AffectedClient struct {
	Client string        `json:"client"`
	Dates  []string      `json:"dates"`
	Visits []VisitChange `json:"visits"`
}

// The kinds of VisitChange.
const (
	ChangeAdded   = "added"   // served now, not before
	ChangeDropped = "dropped" // served before, not now (cancelled, client away, or left unserved)
	ChangeCarer   = "carer"   // served by other carers (its time may have moved too)
	ChangeTime    = "time"    // the same carers, a start moved by more than MovedMin
)

// VisitChange is one visit that changed between two plans.
type VisitChange struct {
	Visit  string `json:"visit"`
	Client string `json:"client"`
	// Date is the visit's date: its round's date in the new plan, or in
	// the earlier one when it is no longer served.
	Date   string `json:"date"`
	Change string `json:"change"`
	// Before and After are how the earlier and the new plan serve it;
	// left out where a plan does not.
	Before *ServedAt `json:"before,omitempty"`
	After  *ServedAt `json:"after,omitempty"`
}

// ServedAt is how a plan serves a visit: by which carers (in order of id),
// and when, wall-clock on the date of its round.
type ServedAt struct {
	Carers []string `json:"carers"`
	Date   string   `json:"date"`
	Start  Clock    `json:"start"`
}

// servedIn maps each visit plan p serves to how; a one-day plan's rounds
// take date.
func servedIn(p *Plan, date string) (map[string]*ServedAt, map[string]string) {
	out := map[string]*ServedAt{}
	clients := map[string]string{}
	for _, r := range p.Rounds {
		d := cmp.Or(r.Date, date)
		for _, st := range r.Stops {
			s, ok := out[st.Visit]
			if !ok {
				s = &ServedAt{Date: d, Start: st.Start}
				out[st.Visit] = s
				clients[st.Visit] = st.Client
			}
			s.Carers = append(s.Carers, r.Carer)
		}
	}
	for _, s := range out {
		slices.Sort(s.Carers)
	}
	return out, clients
}

// ComputeAffected works out who plan next affects compared with the earlier plan
// prev, both plans of instance in (next's; its date dates a one-day
// plan's rounds). A start that moved by more than movedMin minutes counts.
func ComputeAffected(in *Instance, prev, next *Plan, movedMin int) *Affected {
	before, clientsB := servedIn(prev, in.Date)
	after, clientsA := servedIn(next, in.Date)
	var changes []VisitChange
	for id, b := range before {
		a := after[id]
		vc := VisitChange{Visit: id, Client: clientsB[id], Date: b.Date, Before: b, After: a}
		switch {
		case a == nil:
			vc.Change = ChangeDropped
		case !slices.Equal(a.Carers, b.Carers):
			vc.Change, vc.Date = ChangeCarer, a.Date
		case moved(b, a, movedMin):
			vc.Change, vc.Date = ChangeTime, a.Date
		default:
			continue
		}
		changes = append(changes, vc)
	}
	for id, a := range after {
		if before[id] == nil {
			changes = append(changes, VisitChange{Visit: id, Client: clientsA[id], Date: a.Date, Change: ChangeAdded, After: a})
		}
	}
	slices.SortFunc(changes, func(x, y VisitChange) int {
		return cmp.Or(cmp.Compare(x.Date, y.Date), cmp.Compare(startOf(&x), startOf(&y)), cmp.Compare(x.Visit, y.Visit))
	})
	out := &Affected{MovedMin: movedMin, Carers: []AffectedCarer{}, Clients: []AffectedClient{}}
	carers := map[string]int{}
	clients := map[string]int{}
	for _, vc := range changes {
		for _, k := range touchedCarers(&vc, vc.Before != nil && vc.After != nil && moved(vc.Before, vc.After, movedMin)) {
			i, ok := carers[k]
			if !ok {
				i = len(out.Carers)
				carers[k] = i
				out.Carers = append(out.Carers, AffectedCarer{Carer: k})
			}
			c := &out.Carers[i]
			c.Visits = append(c.Visits, vc)
			if !slices.Contains(c.Dates, vc.Date) {
				c.Dates = append(c.Dates, vc.Date)
			}
		}
		i, ok := clients[vc.Client]
		if !ok {
			i = len(out.Clients)
			clients[vc.Client] = i
			out.Clients = append(out.Clients, AffectedClient{Client: vc.Client})
		}
		c := &out.Clients[i]
		c.Visits = append(c.Visits, vc)
		if !slices.Contains(c.Dates, vc.Date) {
			c.Dates = append(c.Dates, vc.Date)
		}
	}
	slices.SortFunc(out.Carers, func(a, b AffectedCarer) int { return cmp.Compare(a.Carer, b.Carer) })
	slices.SortFunc(out.Clients, func(a, b AffectedClient) int { return cmp.Compare(a.Client, b.Client) })
	return out
}

// startOf is when a changed visit starts, in the new plan if it serves it.
func startOf(vc *VisitChange) Clock {
	if vc.After != nil {
		return vc.After.Start
	}
	return vc.Before.Start
}

// touchedCarers lists the carers a visit change concerns: those who gain
// or lose it, and, when its start moved by more than the threshold, those
// who keep it.
func touchedCarers(vc *VisitChange, moved bool) []string {
	var b, a, out []string
	if vc.Before != nil {
		b = vc.Before.Carers
	}
	if vc.After != nil {
		a = vc.After.Carers
	}
	for _, k := range b {
		if !slices.Contains(a, k) || moved {
			out = append(out, k)
		}
	}
	for _, k := range a {
		if !slices.Contains(b, k) {
			out = append(out, k)
		}
	}
	return out
}

// moved reports whether a visit's start moved by more than movedMin
// minutes from b to a.
func moved(b, a *ServedAt, movedMin int) bool {
	return a.Date != b.Date || abs64(int64(a.Start-b.Start)) > int64(movedMin)*60
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}
