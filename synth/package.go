package synth

import (
	"fmt"
	"slices"

	"github.com/rounds-dev/rounds/roster"
)

// Bounds of a client's care package: the contact hours a week that UK
// councils commonly buy for a person at home (DOMAIN.md: 9-14 h).
const (
	minPackageMin = 9 * 60
	maxPackageMin = 14 * 60
)

// Weekday sets of recurring care.
var (
	everyDay     = roster.Days(slices.Clone(roster.Weekdays))
	weekdaysOnly = roster.Days{"mon", "tue", "wed", "thu", "fri"}
	monWedFri    = roster.Days{"mon", "wed", "fri"}
)

// makePackages makes clients, each with their recurring calls, until a
// week holds VisitsPerDay visits a day on average (or there are Clients
// clients), keeping the share of double-handed visits near DoubleShare.
func (w *weekGenerator) makePackages() {
	nVisits, nDouble := 0, 0 // a week's
	for {
		if w.cfg.Clients > 0 && len(w.clients) >= w.cfg.Clients {
			break
		}
		if w.cfg.Clients == 0 && nVisits >= 7*w.cfg.VisitsPerDay {
			break
		}
		// nextIsDouble balances calls a day; a week's are seven times as
		// many, so the share is the same.
		double := w.nextIsDouble(nVisits/7, nDouble/7)
		k := w.callsADay(double, 4, 36, 35, 25)
		ci := w.addPackage(double, w.drawCalls(double, k))
		for _, vi := range w.clients[ci].visits {
			n := len(w.careDays[vi])
			nVisits += n
			if w.visits[vi].CarersNeeded() == 2 {
				nDouble += n
			}
		}
	}
	w.numberCare()
}

// addPackage makes one client and their recurring calls in the bands
// given, fitted to 9-14 contact hours a week, and returns the client's
// index.
func (w *weekGenerator) addPackage(double bool, calls []int) int {
	ci := len(w.clients)
	w.clients = append(w.clients, w.newClient(double, calls))
	for _, b := range calls {
		w.addCall(ci, b, slices.Clone(everyDay))
	}
	// Some clients' families cover a midday call at weekends.
	if len(calls) >= 3 && chance(w.r, 0.2) {
		for _, vi := range w.clients[ci].visits {
			if b := w.visits[vi].band; (b == lunch || b == tea) && !w.critical(vi) {
				w.careDays[vi] = slices.Clone(weekdaysOnly)
				break
			}
		}
	}
	// Some have a Monday, Wednesday and Friday lunch (a shower, shopping
	// or a meal) on top of their daily calls.
	if len(calls) <= 2 && !slices.Contains(calls, lunch) && chance(w.r, 0.35) {
		w.addCall(ci, lunch, slices.Clone(monWedFri))
	}
	w.fitPackage(ci)
	return ci
}

// addCall adds client ci's recurring call in band b on days.
func (w *weekGenerator) addCall(ci, b int, days roster.Days) {
	c := &w.clients[ci]
	v := visit{client: ci, band: b}
	w.shapeCall(c, &v)
	c.visits = append(c.visits, len(w.visits))
	w.visits = append(w.visits, v)
	w.careDays = append(w.careDays, days)
	w.careName = append(w.careName, bands[b].name)
}

// critical reports whether care entry vi is time-critical (insulin).
func (w *weekGenerator) critical(vi int) bool { return w.visits[vi].WindowType == roster.Hard }

// shapeCall sets a call's duration, skills, planned time, tolerance and
// priority from its client's needs and the part of the day, as the day
// generator does, but as a time ± a tolerance that stays inside the band.
func (w *weekGenerator) shapeCall(c *client, v *visit) {
	b := v.band
	critical := c.insulin && (b == breakfast || b == tea) && !slices.ContainsFunc(c.visits, func(vi int) bool { return w.visits[vi].band == b })
	switch {
	case c.double:
		// A hoisted client's lunch is sometimes a meal that needs no
		// transfer: one carer.
		v.Carers = 2
		if b == lunch && chance(w.r, 0.3) {
			v.Carers = 0
		}
		v.DurationMin = w.doubleDurationMin(b)
	case b == breakfast:
		v.DurationMin = []int{30, 45, 60}[pick(w.r, 25, 45, 30)]
	case critical:
		v.DurationMin = 30
	default:
		checkShare := map[int]float64{lunch: 0.2, tea: 0.15, bed: 0.1}[b]
		if chance(w.r, checkShare) {
			v.DurationMin = []int{15, 20}[w.r.IntN(2)]
			v.Check = true
		} else {
			v.DurationMin = []int{30, 45, 60}[pick(w.r, 55, 35, 10)]
		}
	}

	v.RequiredSkills = w.requiredSkills(c, b, v.Carers == 2, critical)

	if critical {
		setInsulinWindow(v)
		return
	}
	if slices.Contains(v.RequiredSkills, SkillMedication) {
		v.Priority = 2
	}
	// Mostly ±30 minutes; a few ±15 where the client needs it on the dot
	// (a dementia client's routine, a medication round).
	tol := roster.Clock(30 * 60)
	if chance(w.r, 0.06) {
		tol = 15 * 60
	}
	bd := bands[b]
	from, to := max(bd.plannedFrom, bd.first+tol), min(bd.plannedTo, bd.last-tol)
	steps := int(to-from) / (15 * 60)
	planned := from + roster.Clock(w.r.IntN(steps+1)*15*60)
	v.Windows = []roster.Window{{Start: planned - tol, End: planned + tol}}
	w.maybeSoften(v)
}

// fitPackage brings client ci's contact hours a week to a target drawn
// from 9 to 14 hours, as an assessor sizes a package: longer or extra
// calls where it falls short, shorter calls, weekday-only midday calls or
// fewer calls where it is over.
func (w *weekGenerator) fitPackage(ci int) {
	target := minPackageMin + 30 + w.r.IntN(maxPackageMin-minPackageMin-60+1)
	within := func(m int) bool { return m >= minPackageMin && m <= maxPackageMin }
	for range 60 {
		m := w.weekMinutes(ci)
		if within(m) && m >= target-60 && m <= target+60 {
			return
		}
		if m < target && !w.lengthenCall(ci) {
			break
		}
		if m > target && !w.shortenCall(ci, false) {
			break
		}
	}
	// The target could not be met closely; settle for the bounds.
	for range 60 {
		m := w.weekMinutes(ci)
		switch {
		case m < minPackageMin && w.lengthenCall(ci):
		case m > maxPackageMin && w.shortenCall(ci, true):
		default:
			return
		}
	}
}

// longestMin is the longest call of each part of the day.
var longestMin = [nBands]int{breakfast: 75, lunch: 60, tea: 60, bed: 60}

// lengthenCall adds a quarter of an hour to client ci's shortest call that
// may grow (a check becomes a full call), or failing that adds a daily
// call in a part of the day the client has none; false when neither can be.
func (w *weekGenerator) lengthenCall(ci int) bool {
	best := -1
	for _, vi := range w.clients[ci].visits {
		v := &w.visits[vi]
		if w.critical(vi) || v.DurationMin+15 > longestMin[v.band] {
			continue
		}
		if best < 0 || v.DurationMin*len(w.careDays[vi]) < w.visits[best].DurationMin*len(w.careDays[best]) {
			best = vi
		}
	}
	if best >= 0 {
		v := &w.visits[best]
		if v.Check {
			v.Check, v.DurationMin = false, 30
		} else {
			v.DurationMin += 15
		}
		return true
	}
	for _, b := range []int{bed, lunch, tea, breakfast} {
		if !slices.ContainsFunc(w.clients[ci].visits, func(vi int) bool { return w.visits[vi].band == b }) {
			w.addCall(ci, b, slices.Clone(everyDay))
			return true
		}
	}
	// Every band has a call: the Mon/Wed/Fri one becomes daily.
	for _, vi := range w.clients[ci].visits {
		if len(w.careDays[vi]) < 7 {
			w.careDays[vi] = slices.Clone(everyDay)
			return true
		}
	}
	return false
}

// shortenCall takes a quarter of an hour off client ci's longest call that
// may shrink, or failing that makes a midday call a check, and where
// fewer calls are allowed, weekdays only, or drops a call; false when none
// can be. A package is cut to fewer calls only to bring it under 14 hours,
// not to meet a lower target, so that weekends do not empty.
func (w *weekGenerator) shortenCall(ci int, fewerCalls bool) bool {
	c := &w.clients[ci]
	best := -1
	for _, vi := range c.visits {
		v := &w.visits[vi]
		if w.critical(vi) || v.Check || v.DurationMin-15 < 30 {
			continue
		}
		if best < 0 || v.DurationMin*len(w.careDays[vi]) > w.visits[best].DurationMin*len(w.careDays[best]) {
			best = vi
		}
	}
	if best >= 0 {
		w.visits[best].DurationMin -= 15
		return true
	}
	// Four calls a day of half an hour are 14 hours a week already: a
	// midday call becomes a 20-minute check (a meal or medication prompt).
	if len(c.visits) >= 4 {
		for _, vi := range c.visits {
			v := &w.visits[vi]
			if (v.band == lunch || v.band == tea) && !v.Check && !w.critical(vi) && v.CarersNeeded() == 1 {
				v.Check, v.DurationMin = true, 20
				return true
			}
		}
	}
	if !fewerCalls {
		return false
	}
	for _, vi := range c.visits {
		if b := w.visits[vi].band; (b == lunch || b == tea) && len(w.careDays[vi]) == 7 && !w.critical(vi) {
			w.careDays[vi] = slices.Clone(weekdaysOnly)
			return true
		}
	}
	if len(c.visits) > 1 {
		// Only ever the last call added, so that the indexes of the
		// others stay put: it is the newest and so never the only one.
		last := c.visits[len(c.visits)-1]
		if last == len(w.visits)-1 && !w.critical(last) {
			c.visits = c.visits[:len(c.visits)-1]
			w.visits = w.visits[:last]
			w.careDays = w.careDays[:last]
			w.careName = w.careName[:last]
			return true
		}
	}
	return false
}

// numberCare gives clients and care entries their ids, "C001" and
// "C001-breakfast" ("C001-lunch-mwf" for a second lunch), ordering each
// client's calls by time of day.
func (w *weekGenerator) numberCare() {
	cf := idFormat("C", 3, len(w.clients))
	for ci := range w.clients {
		c := &w.clients[ci]
		c.ID = fmt.Sprintf(cf, ci+1)
		slices.SortStableFunc(c.visits, func(a, b int) int { return w.visits[a].band - w.visits[b].band })
		for _, vi := range c.visits {
			v := &w.visits[vi]
			v.Client = c.ID
			v.ID = c.ID + "-" + w.careName[vi]
			switch {
			case len(w.careDays[vi]) == 3:
				v.ID += "-mwf"
			case len(w.careDays[vi]) == 5:
				v.ID += "-weekdays"
			}
		}
	}
}
