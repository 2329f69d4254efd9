package synth

import (
	"fmt"
	"math"
	"slices"

	"github.com/rounds-dev/rounds/roster"
)

// The skills the generated visits need and carers hold.
const (
	SkillHoist      = "hoist"
	SkillMedication = "medication"
	SkillDementia   = "dementia"
	SkillCatheter   = "catheter"
	SkillPEG        = "peg"
)

// skillOrder is the order skills are listed in.
var skillOrder = []string{SkillHoist, SkillMedication, SkillDementia, SkillCatheter, SkillPEG}

// canonicalSkills returns skills in skillOrder, without repeats.
func canonicalSkills(skills []string) []string {
	var out []string
	for _, s := range skillOrder {
		if slices.Contains(skills, s) {
			out = append(out, s)
		}
	}
	return out
}

// The parts of the day, indexes into bands.
const (
	breakfast = iota
	lunch
	tea
	bed
	nBands
)

// band is one part of the day: when its calls are planned and may start,
// and the stretch of the day whose carer time serves them.
type band struct {
	name string
	// plannedFrom and plannedTo bound the planned times of its calls.
	plannedFrom, plannedTo roster.Clock
	// first and last bound every window of its calls. The stretch of the
	// day whose carer time serves them is locality's Band.Stretch.
	first, last roster.Clock
}

// hm is a time of day.
func hm(h, m int) roster.Clock { return roster.Clock(h*3600 + m*60) }

// bands are the four usual calls: breakfast (07:00-10:00), lunch
// (12:00-14:00), tea (16:30-18:00) and bed (19:30-22:00). Planned times keep
// clear of the bands' edges so that most windows fit, and late bed calls
// are planned by 21:15 so that they end before the evening shifts do.
var bands = [nBands]band{
	{"breakfast", hm(7, 30), hm(9, 30), hm(7, 0), hm(10, 0)},
	{"lunch", hm(12, 0), hm(13, 30), hm(12, 0), hm(14, 0)},
	{"tea", hm(16, 45), hm(17, 45), hm(16, 30), hm(18, 0)},
	{"bed", hm(19, 45), hm(21, 15), hm(19, 30), hm(22, 0)},
}

// callPatterns are the sets of calls a client has a day, by number of calls,
// with their weights.
var callPatterns = [5][]struct {
	bands  []int
	weight float64
}{
	1: {{[]int{breakfast}, 40}, {[]int{lunch}, 30}, {[]int{bed}, 30}},
	2: {{[]int{breakfast, bed}, 50}, {[]int{breakfast, tea}, 25}, {[]int{breakfast, lunch}, 25}},
	3: {{[]int{breakfast, lunch, bed}, 50}, {[]int{breakfast, tea, bed}, 30}, {[]int{breakfast, lunch, tea}, 20}},
	4: {{[]int{breakfast, lunch, tea, bed}, 1}},
}

// doubleCallPatterns are the calls of a client who needs hoisting; most
// have all four.
var doubleCallPatterns = [5][]struct {
	bands  []int
	weight float64
}{
	1: {{[]int{breakfast}, 1}},
	2: {{[]int{breakfast, bed}, 1}},
	3: {{[]int{breakfast, tea, bed}, 50}, {[]int{breakfast, lunch, bed}, 50}},
	4: {{[]int{breakfast, lunch, tea, bed}, 1}},
}

// Typical numbers of calls a day, for balancing the double-handed share.
const (
	meanCallsDouble = 3.6
	meanCallsSingle = 2.65
)

// makeDemand makes clients, each with their calls, until the day holds the
// number of visits asked for, keeping the share of double-handed visits
// near DoubleShare as it goes.
func (g *generator) makeDemand() {
	nVisits, nDouble := 0, 0
	for nVisits < g.cfg.Visits {
		double := g.nextIsDouble(nVisits, nDouble)
		k := min(g.callsADay(double, 15, 30, 30, 25), g.cfg.Visits-nVisits)
		g.addClient(double, g.drawCalls(double, k))
		nVisits += k
		if double {
			nDouble += k
		}
	}
	g.numberVisits()
}

// callsADay draws how many calls a day a client has: two to four for a
// double-handed client, else one to four with the weights single gives.
func (g *generator) callsADay(double bool, single ...float64) int {
	if double {
		return 2 + pick(g.r, 5, 30, 65)
	}
	return 1 + pick(g.r, single...)
}

// drawCalls draws the parts of the day of a client's k calls a day.
func (g *generator) drawCalls(double bool, k int) []int {
	patterns := callPatterns[k]
	if double {
		patterns = doubleCallPatterns[k]
	}
	weights := make([]float64, len(patterns))
	for i, p := range patterns {
		weights[i] = p.weight
	}
	return patterns[pick(g.r, weights...)].bands
}

// nextIsDouble decides whether the next client is double-handed: whichever
// brings the share closer to DoubleShare, with some chance mixed in.
func (g *generator) nextIsDouble(nVisits, nDouble int) bool {
	s := g.cfg.DoubleShare
	switch {
	case s <= 0:
		return false
	case s >= 1:
		return true
	case chance(g.r, 0.3):
		return chance(g.r, s)
	}
	withDouble := (float64(nDouble) + meanCallsDouble) / (float64(nVisits) + meanCallsDouble)
	withSingle := float64(nDouble) / (float64(nVisits) + meanCallsSingle)
	return math.Abs(withDouble-s) < math.Abs(withSingle-s)
}

// addClient makes one client and their calls.
func (g *generator) addClient(double bool, calls []int) {
	ci := len(g.clients)
	c := g.newClient(double, calls)
	firstVisit := len(g.visits)
	for _, b := range calls {
		v := visit{client: ci, band: b}
		g.shapeVisit(&c, &v)
		c.visits = append(c.visits, len(g.visits))
		g.visits = append(g.visits, v)
	}
	g.clients = append(g.clients, c)
	g.tieVisits(ci, firstVisit)
}

// newClient draws a client's home and needs, given whether they are
// double-handed and the parts of the day of their calls.
func (g *generator) newClient(double bool, calls []int) client {
	c := client{double: double}
	c.Location = g.homeOnStreet()
	c.meds = chance(g.r, 0.6) || (double && chance(g.r, 0.25))
	c.dementia = chance(g.r, 0.2)
	c.catheter = chance(g.r, map[bool]float64{false: 0.07, true: 0.12}[double])
	c.peg = chance(g.r, map[bool]float64{false: 0.03, true: 0.05}[double])
	has := func(b int) bool { return slices.Contains(calls, b) }
	// Insulin twice a day, with breakfast and tea, at fixed times.
	c.insulin = !double && has(breakfast) && has(tea) && chance(g.r, 0.15)
	if c.insulin {
		c.meds = true
	}
	return c
}

// shapeVisit sets a visit's duration, skills, window and priority from its
// client's needs and the part of the day.
func (g *generator) shapeVisit(c *client, v *visit) {
	b := v.band
	critical := c.insulin && (b == breakfast || b == tea)
	switch {
	case c.double:
		v.Carers = 2
		v.DurationMin = g.doubleDurationMin(b)
	case b == breakfast:
		v.DurationMin = []int{30, 45, 60}[pick(g.r, 35, 45, 20)]
	case critical:
		v.DurationMin = 30
	default:
		// Lunch and tea are lighter; some lunch, tea and bed calls are a
		// 15 or 20 minute check or medication prompt.
		checkShare := map[int]float64{lunch: 0.3, tea: 0.25, bed: 0.1}[b]
		if chance(g.r, checkShare) {
			v.DurationMin = []int{15, 20}[g.r.IntN(2)]
			v.Check = true
		} else {
			v.DurationMin = []int{30, 45}[pick(g.r, 75, 25)]
		}
	}

	v.RequiredSkills = g.requiredSkills(c, b, c.double, critical)

	switch {
	case critical:
		setInsulinWindow(v)
		return
	case slices.Contains(v.RequiredSkills, SkillMedication):
		v.Priority = 2
	}
	g.setWindow(v, g.plannedTime(b), []int{30, 45}[pick(g.r, 65, 35)])
	g.maybeSoften(v)
}

// doubleDurationMin draws the length of a double-handed call in band b.
func (g *generator) doubleDurationMin(b int) int {
	return [nBands][]int{{45, 60}, {30, 30, 45}, {30, 30, 45}, {45, 45, 30}}[b][g.r.IntN([]int{2, 3, 3, 3}[b])]
}

// requiredSkills draws the skills a call in band b needs from client c,
// whose calls so far are c.visits; hoist is whether it needs hoisting and
// critical whether it is a time-critical insulin call.
func (g *generator) requiredSkills(c *client, b int, hoist, critical bool) []string {
	var skills []string
	if hoist {
		skills = append(skills, SkillHoist)
	}
	if c.meds {
		// Morning medication always (at the first call for a client with
		// no breakfast call); later rounds of tablets for some.
		p := map[int]float64{breakfast: 1, lunch: 0.7, tea: 0.4, bed: 0.6}[b]
		if critical || (len(c.visits) == 0 && b != breakfast) || chance(g.r, p) {
			skills = append(skills, SkillMedication)
		}
	}
	if c.dementia {
		skills = append(skills, SkillDementia)
	}
	if c.catheter && (b == breakfast || b == bed || len(c.visits) == 0) {
		skills = append(skills, SkillCatheter)
	}
	if c.peg {
		skills = append(skills, SkillPEG)
	}
	return skills
}

// setInsulinWindow gives an insulin call its hard window: 08:00 at
// breakfast and 17:30 at tea, ±15 minutes, never late, and the highest
// priority.
func setInsulinWindow(v *visit) {
	planned := hm(8, 0)
	if v.band == tea {
		planned = hm(17, 30)
	}
	v.Windows = []roster.Window{{Start: planned - 15*60, End: planned + 15*60}}
	v.WindowType = roster.Hard
	v.Priority = 3
}

// maybeSoften makes some windows soft, checks more often than full calls,
// with a cost of lateness.
func (g *generator) maybeSoften(v *visit) {
	if chance(g.r, map[bool]float64{false: 0.3, true: 0.6}[v.Check]) {
		v.WindowType = roster.Soft
		v.LatenessCost = []float64{1, 2}[pick(g.r, 70, 30)]
	}
}

// plannedTime draws a planned time for a call in band b, on the quarter hour.
func (g *generator) plannedTime(b int) roster.Clock {
	bd := bands[b]
	steps := int(bd.plannedTo-bd.plannedFrom) / (15 * 60)
	return bd.plannedFrom + roster.Clock(g.r.IntN(steps+1)*15*60)
}

// setWindow makes a visit's window the planned time ± tolMin, kept inside
// its band.
func (g *generator) setWindow(v *visit, planned roster.Clock, tolMin int) {
	bd := bands[v.band]
	tol := roster.Clock(tolMin * 60)
	v.Windows = []roster.Window{{Start: max(planned-tol, bd.first), End: min(planned+tol, bd.last)}}
}

// tieVisits adds the dependencies between a new client's visits: tablets
// that must be four hours apart tie lunch to breakfast, and twice-daily
// insulin ties tea to breakfast at 9½ hours ± 15 minutes.
func (g *generator) tieVisits(ci, firstVisit int) {
	c := &g.clients[ci]
	byBand := [nBands]int{-1, -1, -1, -1}
	for _, vi := range c.visits {
		byBand[g.visits[vi].band] = vi
	}
	bf, lu, te := byBand[breakfast], byBand[lunch], byBand[tea]
	needsMeds := func(vi int) bool {
		return vi >= 0 && slices.Contains(g.visits[vi].RequiredSkills, SkillMedication)
	}
	switch {
	case c.insulin && chance(g.r, 0.5):
		maxGap := 585
		g.deps = append(g.deps, roster.Dependency{
			Type: roster.Sequential, First: visitRef(bf), Second: visitRef(te),
			MinGapMin: 555, MaxGapMin: &maxGap,
		})
	case !c.insulin && needsMeds(bf) && needsMeds(lu) && chance(g.r, 0.35):
		// Breakfast early and lunch late enough that four hours fit with
		// room to spare.
		b := hm(7, 30) + roster.Clock(g.r.IntN(3)*15*60)
		g.setWindow(&g.visits[bf], b, 30)
		l := max(b+hm(4, 15), bands[lunch].plannedFrom)
		l += roster.Clock(g.r.IntN(int(bands[lunch].plannedTo-l)/(15*60)+1) * 15 * 60)
		g.setWindow(&g.visits[lu], l, 30)
		g.deps = append(g.deps, roster.Dependency{
			Type: roster.Sequential, First: visitRef(bf), Second: visitRef(lu), MinGapMin: 240,
		})
	}
}

// visitRef is a placeholder for a visit's id, replaced by numberVisits once
// every visit is made.
func visitRef(vi int) string { return fmt.Sprintf("#%d", vi) }

// numberVisits gives clients and visits their ids, in order of client and
// time of day, and points the dependencies at them.
func (g *generator) numberVisits() {
	cf := idFormat("C", 3, len(g.clients))
	vf := idFormat("V", 4, len(g.visits))
	for i := range g.clients {
		g.clients[i].ID = fmt.Sprintf(cf, i+1)
	}
	ids := make(map[string]string, len(g.visits))
	for i := range g.visits {
		v := &g.visits[i]
		v.ID = fmt.Sprintf(vf, i+1)
		v.Client = g.clients[v.client].ID
		ids[visitRef(i)] = v.ID
	}
	for i := range g.deps {
		g.deps[i].First = ids[g.deps[i].First]
		g.deps[i].Second = ids[g.deps[i].Second]
	}
}
