package roster

import (
	"fmt"
	"slices"
	"strings"
)

// Changes are what happened to a planned day or period before it is
// re-planned: visits added (for existing or new clients), visits
// cancelled, carers who cannot work (for the whole plan, or off from a
// date), clients away, new packages of recurring care, and the moment up
// to which the earlier plan has been carried out (FreezeBefore).
type Changes struct {
	AddClients   []Client `json:"add_clients,omitempty"`
	AddVisits    []Visit  `json:"add_visits,omitempty"`
	RemoveVisits []string `json:"remove_visits,omitempty"`
	RemoveCarers []string `json:"remove_carers,omitempty"`
	// CarersOff are carers off sick or away from a date: their shifts on
	// those dates go (as days_off).
	CarersOff []CarerOff `json:"carers_off,omitempty"`
	// ClientsAway are clients away (in hospital, with family) over dates:
	// their visits on those dates are not served (dated visits go, care
	// entries gain the dates as except).
	ClientsAway []ClientAway `json:"clients_away,omitempty"`
	// AddCare is recurring care to add: a new package, which may start
	// within the period (Care.From).
	AddCare []Care `json:"add_care,omitempty"`
	// FreezeBefore, when given, is the moment before which the earlier
	// plan has been carried out: every visit it starts before then keeps
	// its carers and start, and nothing new starts before then. It is
	// "YYYY-MM-DDTHH:MM" (or with ":SS") wall-clock in the instance's time
	// zone, or an RFC 3339 time with its offset; see ParseFreeze.
	FreezeBefore string `json:"freeze_before,omitempty"`
	// Pins are visits the re-plan must serve with the carers the earlier
	// plan gives them (and, with keep_time, at the same start); see
	// PinConflicts and CheckPins. They change nothing in the instance.
	Pins []Pin `json:"pins,omitempty"`
}

// CarerOff is a carer off from From to To, dates inside the period (To
// left out: to the end of the period).
type CarerOff struct {
	Carer string `json:"carer"`
	From  string `json:"from"`
	To    string `json:"to,omitempty"`
}

// ClientAway is a client away from From to To, dates inside the period
// (To left out: to the end of the period).
type ClientAway struct {
	Client string `json:"client"`
	From   string `json:"from"`
	To     string `json:"to,omitempty"`
}

// Apply returns a copy of in with the changes made: removed visits leave
// with their dependencies (a visit recurring care expands to, named
// CARE@YYYY-MM-DD, by becoming one of the entry's except dates), removed
// carers leave clients' preferred and declined lists, teams and the
// history (and their rows and columns leave any given travel matrices),
// carers off gain days off, clients away lose their visits on those dates,
// and added clients, visits and care are appended. In a one-day document a
// carer off on its date is taken off as remove_carers takes them.
// Problems are FieldErrors with paths under "changes"; the result still
// needs Validate. FreezeBefore is read (ParseFreeze) but changes nothing
// in the instance: it binds the re-plan.
func (ch *Changes) Apply(in *Instance) (*Instance, error) {
	var es FieldErrors
	out := *in
	ix := NewIndex(in)
	cal := newCalendar(in.PeriodOf(), in.TimeZone)
	occ := occurrences(in, cal)
	goneVisit := map[string]bool{}
	except := map[int][]string{} // per care entry, the dates it no longer occurs on
	skip := func(o occurrence) {
		goneVisit[VisitID(in.Care[o.care].ID, o.date)] = true
		if !slices.Contains(except[o.care], o.date) {
			except[o.care] = append(except[o.care], o.date)
		}
	}
	for i, id := range ch.RemoveVisits {
		if o, ok := occ[id]; ok {
			skip(o)
			continue
		}
		if _, ok := ix.Visit[id]; !ok {
			es.add(fmt.Sprintf("changes.remove_visits[%d]", i), "no visit %q in the instance%s", id, occurrenceHint(in, id))
		}
		goneVisit[id] = true
	}
	goneCarer := map[string]bool{}
	var goneIdx []int
	takeOff := func(k int) {
		if !goneCarer[in.Carers[k].ID] {
			goneIdx = append(goneIdx, k)
		}
		goneCarer[in.Carers[k].ID] = true
	}
	for i, id := range ch.RemoveCarers {
		k, ok := ix.Carer[id]
		if !ok {
			es.add(fmt.Sprintf("changes.remove_carers[%d]", i), "no carer %q in the instance", id)
			continue
		}
		takeOff(k)
	}
	daysOff := map[int][]string{} // per carer, the dates they are newly off
	for i, co := range ch.CarersOff {
		path := fmt.Sprintf("changes.carers_off[%d]", i)
		k, ok := knownID(&es, path+".carer", "carer", co.Carer, ix.Carer)
		d0, d1, datesOK := changeDates(&es, path, co.From, co.To, cal)
		if !ok || !datesOK {
			continue
		}
		if !in.IsPeriod() {
			takeOff(k)
			continue
		}
		for d := d0; d <= d1; d++ {
			date := cal.date(d)
			if !slices.Contains(in.Carers[k].DaysOff, date) && !slices.Contains(daysOff[k], date) {
				daysOff[k] = append(daysOff[k], date)
			}
		}
	}
	if len(in.Carers) > 0 && len(goneIdx) == len(in.Carers) {
		es.add("changes.remove_carers", "takes off every carer of the day; at least one must remain")
	}
	for i, ca := range ch.ClientsAway {
		path := fmt.Sprintf("changes.clients_away[%d]", i)
		_, ok := knownID(&es, path+".client", "client", ca.Client, ix.Client)
		d0, d1, datesOK := changeDates(&es, path, ca.From, ca.To, cal)
		if !ok || !datesOK {
			continue
		}
		for _, v := range in.Visits {
			if v.Client != ca.Client {
				continue
			}
			if d := visitDay(&v, cal); d >= d0 && d <= d1 {
				goneVisit[v.ID] = true
			}
		}
		for c := range in.Care {
			if in.Care[c].Client != ca.Client {
				continue
			}
			for d := d0; d <= d1; d++ {
				if in.Care[c].occurs(cal, d) {
					skip(occurrence{c, cal.date(d)})
				}
			}
		}
	}
	if len(ch.AddCare) > 0 && !in.IsPeriod() {
		es.add("changes.add_care", "recurring care needs a period; this instance plans one date (give period with \"days\": 1)")
	}
	hasMatrices := in.Travel != nil && len(in.Travel.Matrices) > 0
	if hasMatrices && len(ch.AddClients) > 0 {
		es.add("changes.add_clients", "the instance gives its travel as matrices, which have no rows for new clients; send the changed instance with its matrices instead")
	}
	if _, err := ch.Freeze(in); err != nil {
		es = append(es, err.(FieldErrors)...)
	}
	if len(es) > 0 {
		return nil, es
	}

	out.Visits = nil
	for _, v := range in.Visits {
		if !goneVisit[v.ID] {
			out.Visits = append(out.Visits, v)
		}
	}
	out.Visits = append(out.Visits, ch.AddVisits...)
	out.Dependencies = nil
	for _, d := range in.Dependencies {
		if !goneVisit[d.First] && !goneVisit[d.Second] {
			out.Dependencies = append(out.Dependencies, d)
		}
	}
	if len(except) > 0 || len(ch.AddCare) > 0 {
		out.Care = make([]Care, 0, len(in.Care)+len(ch.AddCare))
		for c, e := range in.Care {
			if len(except[c]) > 0 {
				e.Except = append(slices.Clone(e.Except), except[c]...)
				slices.Sort(e.Except)
			}
			out.Care = append(out.Care, e)
		}
		out.Care = append(out.Care, ch.AddCare...)
	}
	out.Carers = nil
	for k, c := range in.Carers {
		if goneCarer[c.ID] {
			continue
		}
		if len(daysOff[k]) > 0 {
			c.DaysOff = append(slices.Clone(c.DaysOff), daysOff[k]...)
			slices.Sort(c.DaysOff)
		}
		out.Carers = append(out.Carers, c)
	}
	out.Clients = make([]Client, 0, len(in.Clients)+len(ch.AddClients))
	for _, c := range in.Clients {
		c.Preferences.PreferredCarers = slices.DeleteFunc(slices.Clone(c.Preferences.PreferredCarers), func(id string) bool { return goneCarer[id] })
		c.Preferences.ExcludedCarers = slices.DeleteFunc(slices.Clone(c.Preferences.ExcludedCarers), func(id string) bool { return goneCarer[id] })
		c.Team = slices.DeleteFunc(slices.Clone(c.Team), func(id string) bool { return goneCarer[id] })
		out.Clients = append(out.Clients, c)
	}
	out.Clients = append(out.Clients, ch.AddClients...)
	// History names carers of the instance; a carer taken off leaves it.
	out.History = slices.DeleteFunc(slices.Clone(in.History), func(h HistoryEntry) bool { return goneCarer[h.Carer] })
	if hasMatrices && len(goneIdx) > 0 {
		drop := map[int]bool{}
		for _, k := range goneIdx {
			drop[in.CarerStartPoint(k)], drop[in.CarerEndPoint(k)] = true, true
		}
		tc := *in.Travel
		tc.Matrices = map[Mode]TravelMatrix{}
		for m, tm := range in.Travel.Matrices {
			tc.Matrices[m] = TravelMatrix{DurationsS: dropPoints(tm.DurationsS, drop), DistancesM: dropPoints(tm.DistancesM, drop)}
		}
		out.Travel = &tc
	}
	return &out, nil
}

// occurrence is one date of a care entry.
type occurrence struct {
	care int
	date string
}

// occurrences maps the id of each visit in's care expands to (CARE@DATE)
// to its entry and date; empty without a calendar.
func occurrences(in *Instance, cal *calendar) map[string]occurrence {
	out := map[string]occurrence{}
	if cal == nil {
		return out
	}
	for c := range in.Care {
		for d := 0; d < cal.days; d++ {
			if in.Care[c].occurs(cal, d) {
				out[VisitID(in.Care[c].ID, cal.date(d))] = occurrence{c, cal.date(d)}
			}
		}
	}
	return out
}

// occurrenceHint says, for an id written CARE@DATE whose entry exists, why
// it names no visit; "" otherwise.
func occurrenceHint(in *Instance, id string) string {
	care, date, ok := strings.Cut(id, "@")
	if !ok {
		return ""
	}
	for _, c := range in.Care {
		if c.ID == care {
			return fmt.Sprintf(": care %q does not occur on %s", care, date)
		}
	}
	return ""
}

// changeDates reads a change's from and to dates (to left out: the last
// date), each inside the period, and returns their days.
func changeDates(es *FieldErrors, path, from, to string, cal *calendar) (d0, d1 int, ok bool) {
	n := len(*es)
	if from == "" {
		es.add(path+".from", "missing; want the first date, YYYY-MM-DD")
	} else {
		validatePeriodDate(es, path+".from", from, cal)
	}
	if to != "" {
		validatePeriodDate(es, path+".to", to, cal)
	}
	if len(*es) > n || cal == nil {
		return 0, 0, false
	}
	t0, _ := parseDate(from)
	d0, d1 = cal.dayOf(t0), cal.days-1
	if to != "" {
		t1, _ := parseDate(to)
		d1 = cal.dayOf(t1)
	}
	if d1 < d0 {
		es.add(path+".to", "%s is before from (%s)", to, from)
		return 0, 0, false
	}
	return d0, d1, true
}

// visitDay is the day of the period dated visit v falls on.
func visitDay(v *Visit, cal *calendar) int {
	if v.Date == "" {
		return 0
	}
	t, ok := parseDate(v.Date)
	if !ok {
		return -1
	}
	return cal.dayOf(t)
}

// dropPoints removes the rows and columns of the dropped points.
func dropPoints(m [][]int, drop map[int]bool) [][]int {
	var out [][]int
	for i, row := range m {
		if drop[i] {
			continue
		}
		var r []int
		for j, x := range row {
			if !drop[j] {
				r = append(r, x)
			}
		}
		out = append(out, r)
	}
	return out
}

// BelongsTo reports whether p is a plan of in, the day it is re-planned
// from: when p names an instance, the name is in's, and every carer,
// partner, visit and client p mentions is one of in's. A plan of another
// day would otherwise be accepted and silently keep nothing. Problems are
// FieldErrors with paths within the plan ("rounds[0].carer"), at most as
// many as decoding lists.
func (p *Plan) BelongsTo(in *Instance) error {
	var es FieldErrors
	add := func(path, format string, args ...any) {
		if len(es) < maxDecodeProblems {
			es.add(path, format, args...)
		}
	}
	// The same rule as the checker's: the names agree exactly, absent on
	// both sides included.
	switch {
	case p.Instance == in.Name:
	case in.Name == "":
		add("instance", "the plan is of %q; this instance has no name", p.Instance)
	case p.Instance == "":
		add("instance", "the plan names no instance; this instance is %q", in.Name)
	default:
		add("instance", "the plan is of %q, not of this instance, %q", p.Instance, in.Name)
	}
	ix := NewIndex(in)
	if in.IsPeriod() {
		// A period's plan names the visits its care expands to.
		if x, err := Expand(in); err == nil {
			ix = NewIndex(x.Instance)
		}
	}
	for i, r := range p.Rounds {
		path := fmt.Sprintf("rounds[%d]", i)
		if _, ok := ix.Carer[r.Carer]; !ok {
			add(path+".carer", "no carer %q in the instance", r.Carer)
		}
		for j, st := range r.Stops {
			path := fmt.Sprintf("%s.stops[%d]", path, j)
			if _, ok := ix.Visit[st.Visit]; !ok {
				add(path+".visit", "no visit %q in the instance", st.Visit)
			}
			if _, ok := ix.Client[st.Client]; st.Client != "" && !ok {
				add(path+".client", "no client %q in the instance", st.Client)
			}
			if _, ok := ix.Carer[st.Partner]; st.Partner != "" && !ok {
				add(path+".partner", "no carer %q in the instance", st.Partner)
			}
		}
	}
	for i, u := range p.Unassigned {
		if _, ok := ix.Visit[u.Visit]; !ok {
			add(fmt.Sprintf("unassigned[%d].visit", i), "no visit %q in the instance", u.Visit)
		}
	}
	return es.err()
}

// knownID looks id up in ids (what names its kind), reporting at path an
// id that is missing or not in the instance.
func knownID(es *FieldErrors, path, what, id string, ids map[string]int) (int, bool) {
	k, ok := ids[id]
	switch {
	case id == "":
		es.add(path, "missing %s id", what)
		return 0, false
	case !ok:
		es.add(path, "no %s %q in the instance", what, id)
	}
	return k, ok
}
