package roster

import (
	"fmt"
	"slices"
	"strings"
)

// Pins: when a coordinator re-optimises the rest of a rota changed by
// hand, the visits they pinned keep the carers the plan gives them (and,
// with KeepTime, their start), and must be served; the rest is planned
// again. A pin is checked against the plan and the changes before the
// re-plan (PinConflicts), and the re-plan against the pins after it
// (CheckPins).

// Pin is a visit a re-plan must serve with the carers the earlier plan
// gives it and, with KeepTime, at the same start on the same date.
type Pin struct {
	Visit    string `json:"visit"`
	KeepTime bool   `json:"keep_time,omitempty"`
}

// PinConflicts reports the pins of the changes that no re-plan of plan
// prev (of instance in, before the changes) could honour: a visit that is
// unknown, pinned twice, or that prev does not serve; one that prev gives
// fewer carers than it needs; one whose carer is not qualified for it
// (skills, the client's wish for a gender, a declined carer); one that
// the changes cancel, or whose client they send away or whose carer they
// take off on its date; and, with keep_time, one whose start in prev is
// outside the windows a hard visit must keep (before or between a soft
// visit's). Problems are FieldErrors at "changes.pins[i]"; nil without
// pins.
func (ch *Changes) PinConflicts(in *Instance, prev *Plan) error {
	if len(ch.Pins) == 0 {
		return nil
	}
	x, err := Expand(in)
	if err != nil {
		return err
	}
	ix := NewIndex(x.Instance)
	served, _ := servedIn(prev, x.Date(0))
	var es FieldErrors
	first := map[string]int{}
	within := func(date, from, to string) bool { return date >= from && (to == "" || date <= to) }
	for i, pin := range ch.Pins {
		path := fmt.Sprintf("changes.pins[%d]", i)
		vi, known := ix.Visit[pin.Visit]
		j, twice := first[pin.Visit]
		sa := served[pin.Visit]
		switch {
		case pin.Visit == "":
			es.add(path+".visit", "missing visit id")
			continue
		case !known:
			es.add(path+".visit", "no visit %q in the instance%s", pin.Visit, occurrenceHint(in, pin.Visit))
			continue
		case twice:
			es.add(path+".visit", "visit %s is pinned already, at changes.pins[%d]", pin.Visit, j)
			continue
		case sa == nil:
			es.add(path+".visit", "the plan does not serve visit %s, so it has no carers to keep", pin.Visit)
			continue
		}
		first[pin.Visit] = i
		v := &x.Instance.Visits[vi]
		if n := v.CarersNeeded(); len(sa.Carers) != n {
			es.add(path, "visit %s needs %s and the plan gives it %s, so no plan can keep them", v.ID, carersText(n), strings.Join(sa.Carers, " and "))
		}
		cl := &x.Instance.Clients[ix.Client[v.Client]]
		for _, id := range sa.Carers {
			k, ok := ix.Carer[id]
			if !ok {
				es.add(path, "the plan gives visit %s to carer %q, who is not in the instance", v.ID, id)
				continue
			}
			if why := pinUnqualified(&x.Instance.Carers[k], v, cl); why != "" {
				es.add(path, "carer %s cannot keep visit %s: %s", id, v.ID, why)
			}
		}
		for _, id := range ch.RemoveVisits {
			if id == v.ID {
				es.add(path, "visit %s is cancelled by remove_visits", v.ID)
			}
		}
		for _, id := range ch.RemoveCarers {
			if slices.Contains(sa.Carers, id) {
				es.add(path, "carer %s of visit %s is taken off by remove_carers", id, v.ID)
			}
		}
		for _, co := range ch.CarersOff {
			if slices.Contains(sa.Carers, co.Carer) && within(sa.Date, co.From, co.To) {
				es.add(path, "carer %s of visit %s is off on %s (carers_off)", co.Carer, v.ID, sa.Date)
			}
		}
		for _, ca := range ch.ClientsAway {
			if ca.Client == v.Client && within(sa.Date, ca.From, ca.To) {
				es.add(path, "client %s of visit %s is away on %s (clients_away)", v.Client, v.ID, sa.Date)
			}
		}
		if pin.KeepTime {
			at, err := x.Instant(sa.Date, sa.Start)
			if err != nil {
				es.add(path+".keep_time", "the plan's start of visit %s: %s", v.ID, err)
			} else if !startAllowed(v, at) {
				es.add(path+".keep_time", "the plan starts visit %s at %v on %s, outside its windows, so no plan can keep its time", v.ID, sa.Start, sa.Date)
			}
		}
	}
	return es.err()
}

// startAllowed reports whether visit v may start at t: inside a window,
// or, for a soft visit, after the last.
func startAllowed(v *Visit, t Clock) bool {
	for _, w := range v.Windows {
		if t >= w.Start && t <= w.End {
			return true
		}
	}
	return v.IsSoft() && len(v.Windows) > 0 && t > v.Windows[len(v.Windows)-1].End
}

// pinUnqualified says why carer c may not serve visit v of client cl, or
// "" when they may: the hard rules a pin cannot override.
func pinUnqualified(c *Carer, v *Visit, cl *Client) string {
	var why []string
	for _, s := range v.RequiredSkills {
		if !c.HasSkill(s) {
			why = append(why, fmt.Sprintf("they lack the skill %q", s))
		}
	}
	if g := cl.Preferences.CarerGender; g != "" && c.Gender != g {
		why = append(why, fmt.Sprintf("client %s asks for a %s carer", cl.ID, g))
	}
	if cl.Preferences.Excludes(c.ID) {
		why = append(why, fmt.Sprintf("client %s declines them", cl.ID))
	}
	return strings.Join(why, "; ")
}

// CheckPins checks that plan, a re-plan of the earlier plan prev with
// pins, keeps every pin: the pinned visit is served, by the carers prev
// gives it, and with KeepTime on the same date at the same start. in is
// the instance of plan (its date dates a one-day plan's rounds). Each
// violation has the code "pin", at the pinned visit's first stop in plan
// (or at unassigned when plan does not serve it). It reads the plans
// alone, as CheckReplan does, and does not repeat Check.
func CheckPins(in *Instance, prev, plan *Plan, pins []Pin) []Violation {
	vs := []Violation{}
	date := in.Date
	if in.IsPeriod() {
		date = in.Period.Start
	}
	before, _ := servedIn(prev, date)
	after, _ := servedIn(plan, date)
	at := map[string]string{}
	for i, r := range plan.Rounds {
		for j, st := range r.Stops {
			if _, ok := at[st.Visit]; !ok {
				at[st.Visit] = planStopPath(i, j)
			}
		}
	}
	for i, pin := range pins {
		b, a := before[pin.Visit], after[pin.Visit]
		add := func(path, format string, args ...any) {
			vs = append(vs, Violation{Code: "pin", Path: path, Message: fmt.Sprintf("Pin %d: ", i) + fmt.Sprintf(format, args...)})
		}
		switch {
		case b == nil:
			add("", "visit %s is pinned, but the earlier plan does not serve it.", pin.Visit)
		case a == nil:
			add("unassigned", "visit %s is pinned to %s, but this plan does not serve it.", pin.Visit, strings.Join(b.Carers, " and "))
		default:
			if !slices.Equal(a.Carers, b.Carers) {
				add(at[pin.Visit], "visit %s is pinned to %s; this plan gives it to %s.", pin.Visit, strings.Join(b.Carers, " and "), strings.Join(a.Carers, " and "))
			}
			if pin.KeepTime && (a.Date != b.Date || a.Start != b.Start) {
				add(at[pin.Visit]+".start", "visit %s is pinned at %v on %s; this plan starts it at %v on %s.", pin.Visit, b.Start, b.Date, a.Start, a.Date)
			}
		}
	}
	return vs
}
