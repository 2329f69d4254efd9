package synth

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/rounds-dev/rounds/locality"
	"github.com/rounds-dev/rounds/roster"
)

// TargetLoad is the share of the carers' time in each part of the day that
// the visits and the travel between them take up, at most, when Generate
// chooses the number of carers, by its crude estimate of travel (package
// locality's capacity estimate, at this utilisation).
const TargetLoad = 0.70

// The kinds of shift pattern.
const (
	patternSplit   = "split"
	patternDay     = "day"
	patternEvening = "evening"
	patternMorning = "morning"
	patternLate    = "late"
)

// patterns lists the kinds of shift pattern, most common first, with their
// shares when any will do.
var patterns = []struct {
	name   string
	weight float64
}{
	{patternSplit, 50}, {patternDay, 20}, {patternEvening, 20}, {patternMorning, 5}, {patternLate, 5},
}

// drawShifts draws the shifts of a carer on a pattern. A split shift is the
// usual 07:00-14:00 and 16:00-22:00, give or take half an hour at the ends.
func (g *generator) drawShifts(pattern string) []roster.Shift {
	one := func(choices ...[2]roster.Clock) []roster.Shift {
		c := choices[g.r.IntN(len(choices))]
		return []roster.Shift{{Start: c[0], End: c[1]}}
	}
	switch pattern {
	case patternSplit:
		return []roster.Shift{
			{
				Start: []roster.Clock{hm(7, 0), hm(7, 30)}[pick(g.r, 80, 20)],
				End:   []roster.Clock{hm(14, 0), hm(13, 30), hm(13, 0)}[pick(g.r, 55, 25, 20)],
			},
			{
				Start: []roster.Clock{hm(16, 0), hm(16, 30), hm(17, 0)}[pick(g.r, 50, 30, 20)],
				End:   []roster.Clock{hm(22, 0), hm(22, 30), hm(23, 0)}[pick(g.r, 25, 55, 20)],
			},
		}
	case patternDay:
		return one([2]roster.Clock{hm(7, 0), hm(15, 0)}, [2]roster.Clock{hm(7, 30), hm(15, 30)},
			[2]roster.Clock{hm(8, 0), hm(16, 0)}, [2]roster.Clock{hm(7, 0), hm(14, 30)})
	case patternEvening:
		return one([2]roster.Clock{hm(16, 0), hm(22, 30)}, [2]roster.Clock{hm(16, 30), hm(23, 0)},
			[2]roster.Clock{hm(17, 0), hm(23, 0)}, [2]roster.Clock{hm(15, 30), hm(22, 0)})
	case patternMorning:
		return one([2]roster.Clock{hm(7, 0), hm(12, 0)}, [2]roster.Clock{hm(7, 0), hm(12, 30)},
			[2]roster.Clock{hm(7, 30), hm(13, 0)})
	default: // patternLate
		return one([2]roster.Clock{hm(11, 30), hm(19, 30)}, [2]roster.Clock{hm(12, 0), hm(20, 0)})
	}
}

// shiftMin is the length of the carer's shifts, in minutes.
func shiftMin(shifts []roster.Shift) float64 {
	total := 0.0
	for _, s := range shifts {
		total += float64(s.End-s.Start) / 60
	}
	return total
}

// supply is the carer time a carer brings to each part of the day, in
// minutes: locality.ShiftSupply.
func supply(shifts []roster.Shift, maxWorkingMin int) [nBands]float64 {
	return locality.ShiftSupply(shifts, maxWorkingMin)
}

// travelAllowanceMin estimates the travel each carer-visit of each part of
// the day costs, in minutes: locality.TravelAllowanceMin of one and a half
// times the mean distance from a client to the nearest other client with
// a call then (half the town's radius when there is at most one), for
// WalkShare of the carers walking.
func (g *generator) travelAllowanceMin() [nBands]float64 {
	var out [nBands]float64
	for b := range bands {
		var locs []roster.Location
		seen := make(map[int]bool)
		for i := range g.visits {
			if v := &g.visits[i]; v.band == b && !seen[v.client] {
				seen[v.client] = true
				locs = append(locs, g.clients[v.client].Location)
			}
		}
		mean, ok := locality.MeanNearestM(locs)
		if !ok {
			mean = g.cfg.RadiusKM * 500
		}
		// The leg is measured as a place that far due north of the
		// centre, to the micro-degree, as the generator's places are.
		legM := distanceM(g.cfg.Centre, offset(g.cfg.Centre, 0, locality.LegFactor*mean))
		out[b] = locality.TravelAllowanceMin(legM, g.cfg.WalkShare)
	}
	return out
}

// demand is the carer time the visits of each part of the day take, in
// minutes, with the travel allowance, counting double-handed visits twice;
// only visits that keep(v) counts.
func (g *generator) demand(allowance [nBands]float64, keep func(v *visit) bool) [nBands]float64 {
	var out [nBands]float64
	for i := range g.visits {
		v := &g.visits[i]
		if keep(v) {
			out[v.band] += float64(v.CarersNeeded()) * (float64(v.DurationMin) + allowance[v.band])
		}
	}
	return out
}

// makeCarers chooses the carers' shifts, then their modes, homes, gender,
// skills and languages.
func (g *generator) makeCarers() {
	allowance := g.travelAllowanceMin()
	need := g.demand(allowance, func(*visit) bool { return true })
	for b := range need {
		need[b] /= TargetLoad
	}
	n := g.cfg.Carers
	if n == 0 {
		// A first guess of 8.4 carer-visits a carer: 25 carers for 150
		// visits of which 40% are double-handed. It grows until the
		// carers' time covers the need.
		carerVisits := 0
		for i := range g.visits {
			carerVisits += g.visits[i].CarersNeeded()
		}
		n = max(2, int(math.Round(float64(carerVisits)/8.4)))
	}
	for {
		g.staffShifts(n, need)
		if g.cfg.Carers > 0 || n >= MaxCarers || fits(g.carers, need) {
			break
		}
		n++
	}
	g.giveModesAndHomes()
	if g.cfg.Carers == 0 {
		g.coverReach()
	}
	g.giveSkillsAndLanguages()
	kf := idFormat("K", 2, len(g.carers))
	for i := range g.carers {
		g.carers[i].ID = fmt.Sprintf(kf, i+1)
	}
}

// fits reports whether the carers' time covers need in every part of the
// day.
func fits(carers []carer, need [nBands]float64) bool {
	var have locality.BandMinutes
	for i := range carers {
		s := locality.ShiftSupply(carers[i].Shifts, carers[i].MaxWorkingMin)
		for b := range have {
			have[b] += s[b]
		}
	}
	return have.Covers(need)
}

// staffShifts gives n carers shifts, one at a time: each takes the pattern
// that covers the most of the time still needed, and once every part of the
// day is covered, patterns are drawn by how common they are.
func (g *generator) staffShifts(n int, need [nBands]float64) {
	g.carers = make([]carer, n)
	var have [nBands]float64
	for i := range g.carers {
		c := &g.carers[i]
		// Many on long split shifts have their paid hours capped.
		capMin := []int{0, 540, 600, 660}[pick(g.r, 50, 10, 30, 10)]
		best, bestGain := -1, 0.0
		options := make([][]roster.Shift, len(patterns))
		for p := range patterns {
			options[p] = g.drawShifts(patterns[p].name)
			sup := supply(options[p], capOf(patterns[p].name, capMin))
			gain := 0.0
			for b := range sup {
				gain += min(sup[b], max(0, need[b]-have[b]))
			}
			if gain > bestGain+1 {
				best, bestGain = p, gain
			}
		}
		if best < 0 {
			weights := make([]float64, len(patterns))
			for p := range patterns {
				weights[p] = patterns[p].weight
			}
			best = pick(g.r, weights...)
		}
		c.pattern = patterns[best].name
		c.Shifts = options[best]
		c.MaxWorkingMin = capOf(c.pattern, capMin)
		c.setBreak()
		sup := supply(c.Shifts, c.MaxWorkingMin)
		for b := range have {
			have[b] += sup[b]
		}
	}
}

// setBreak gives the carer the Working Time Regulations' rest break of 20
// minutes after six hours where one of their shifts is longer than that.
func (c *carer) setBreak() {
	c.Break = nil
	if slices.ContainsFunc(c.Shifts, func(s roster.Shift) bool { return s.End-s.Start > 6*3600 }) {
		c.Break = &roster.BreakRule{AfterWorkingMin: 360, DurationMin: 20}
	}
}

// capOf is the working-time cap of a carer on a pattern: only split shifts,
// which span fifteen hours, are capped.
func capOf(pattern string, capMin int) int {
	if pattern == patternSplit {
		return capMin
	}
	return 0
}

// giveModesAndHomes makes WalkShare of the carers walkers living among the
// clients near the centre, one driver (in a team of ten or more drivers) a
// cyclist, and the rest drivers living anywhere in or just outside the town.
func (g *generator) giveModesAndHomes() {
	n := len(g.carers)
	walkers := int(math.Round(g.cfg.WalkShare * float64(n)))
	order := g.r.Perm(n)
	for j, i := range order {
		c := &g.carers[i]
		switch {
		case j < walkers:
			c.Mode = roster.Walk
		case j == walkers && n-walkers >= 10:
			c.Mode = roster.Cycle
		default:
			c.Mode = roster.Drive
		}
	}
	// Walkers live near clients, more likely near the centre.
	weights := make([]float64, len(g.clients))
	for i := range g.clients {
		d := distanceM(g.cfg.Centre, g.clients[i].Location) / 1000
		weights[i] = 1 / ((0.4 + d) * (0.4 + d))
	}
	for i := range g.carers {
		c := &g.carers[i]
		if c.Mode == roster.Walk {
			c.Start = g.homeNear(g.clients[pick(g.r, weights...)].Location)
			continue
		}
		c.Start = g.homeInTown()
	}
}

// homeNear draws a home within a few minutes' walk of a place.
func (g *generator) homeNear(l roster.Location) roster.Location {
	return g.habitable(func() roster.Location {
		d, b := 350*math.Sqrt(g.r.Float64()), 2*math.Pi*g.r.Float64()
		return offset(l, d*math.Sin(b), d*math.Cos(b))
	})
}

// homeInTown draws a home anywhere in the town or just outside it.
func (g *generator) homeInTown() roster.Location {
	return g.habitable(func() roster.Location {
		d, b := 1.25*g.cfg.RadiusKM*1000*math.Sqrt(g.r.Float64()), 2*math.Pi*g.r.Float64()
		return offset(g.cfg.Centre, d*math.Sin(b), d*math.Cos(b))
	})
}

// coverReach adds carers until every visit has more carers who can reach it
// in time than it needs, whatever their skills: where most carers walk, or
// few work at some hour, the outlying clients can be out of everyone's
// reach. Each new carer keeps the walking share near WalkShare, works a
// pattern that reaches the visit and, walking, lives near it.
func (g *generator) coverReach() {
	weights := make([]float64, len(patterns))
	for p := range patterns {
		weights[p] = patterns[p].weight
	}
	for vi := range g.visits {
		for tries := 0; tries < 50 && len(g.carers) < MaxCarers; tries++ {
			if g.reachCount(vi, nil) >= wantQualified(&g.visits[vi]) {
				break
			}
			g.addCarerFor(vi, weights)
		}
	}
}

// reachCount counts the carers who can reach visit vi in time (and, when
// works is not nil, for whom works is true).
func (g *generator) reachCount(vi int, works func(i int) bool) int {
	n := 0
	for i := range g.carers {
		if (works == nil || works(i)) && g.reaches(i, vi, fitMarginS) {
			n++
		}
	}
	return n
}

// addCarerFor draws a carer working one of patterns (chosen with weights)
// and adds them if they can reach visit vi in time, reporting whether they
// did. The carer keeps the walking share near WalkShare: walking, they live
// near the visit's client; driving, anywhere in town.
func (g *generator) addCarerFor(vi int, weights []float64) bool {
	walkers := 0
	for i := range g.carers {
		if g.carers[i].Mode == roster.Walk {
			walkers++
		}
	}
	c := carer{pattern: patterns[pick(g.r, weights...)].name}
	c.Shifts = g.drawShifts(c.pattern)
	c.setBreak()
	c.Mode, c.Start = roster.Drive, g.homeInTown()
	if float64(walkers+1) <= g.cfg.WalkShare*float64(len(g.carers)+1)+0.5 {
		c.Mode, c.Start = roster.Walk, g.homeNear(g.clients[g.visits[vi].client].Location)
	}
	g.carers = append(g.carers, c)
	if !g.reaches(len(g.carers)-1, vi, fitMarginS) {
		g.carers = g.carers[:len(g.carers)-1]
		return false
	}
	return true
}

// Shares of carers holding each skill before fitting, and speaking each
// language besides English.
var (
	skillShares = map[string]float64{
		SkillHoist: 0.75, SkillMedication: 0.85, SkillDementia: 0.5, SkillCatheter: 0.35, SkillPEG: 0.2,
	}
	// Urdu and Punjabi for Keighley's Pakistani and Kashmiri families,
	// Polish for its newer arrivals.
	languageShares = []struct {
		code  string
		share float64
	}{{"ur", 0.18}, {"pa", 0.1}, {"pl", 0.08}}
)

// giveSkillsAndLanguages draws each carer's gender, skills and languages.
// Most carers are women, as in UK care.
func (g *generator) giveSkillsAndLanguages() {
	for i := range g.carers {
		c := &g.carers[i]
		c.Gender = "female"
		if chance(g.r, 0.17) {
			c.Gender = "male"
		}
		for _, s := range skillOrder {
			if chance(g.r, skillShares[s]) {
				c.Skills = append(c.Skills, s)
			}
		}
		c.Languages = []string{"en"}
		for _, l := range languageShares {
			if chance(g.r, l.share) {
				c.Languages = append(c.Languages, l.code)
			}
		}
	}
}

// fitSkills trains carers until the skills match the demand: enough hoist
// carers for the hoisting in each part of the day, and more qualified
// carers who can reach each visit in time than it needs.
func (g *generator) fitSkills() {
	allowance := g.travelAllowanceMin()
	hoist := g.demand(allowance, func(v *visit) bool { return slices.Contains(v.RequiredSkills, SkillHoist) })
	for b := range hoist {
		for {
			have, best, bestSup := 0.0, -1, 0.0
			for i := range g.carers {
				c := &g.carers[i]
				sup := supply(c.Shifts, c.MaxWorkingMin)[b]
				if c.HasSkill(SkillHoist) {
					have += sup
				} else if sup > bestSup {
					best, bestSup = i, sup
				}
			}
			if have*TargetLoad >= hoist[b] || best < 0 {
				break
			}
			g.carers[best].Skills = append(g.carers[best].Skills, SkillHoist)
		}
	}
	for ci := range g.clients {
		for _, vi := range g.clients[ci].visits {
			g.fitVisit(vi, nil)
		}
	}
}

// wantQualified is how many qualified carers who can reach it in time a
// visit is given, where the carers' shifts allow: one to spare for a visit
// one carer does, three for a double-handed one, whose pair must both be
// free at the same moment.
func wantQualified(v *visit) int {
	if v.CarersNeeded() > 1 {
		return v.CarersNeeded() + 3
	}
	return v.CarersNeeded() + 1
}

// fitVisit trains carers who can reach visit vi in time and whom its client
// accepts (and, when works is not nil, for whom works is true) until the
// visit has wantQualified of them. It trains first those
// missing the fewest skills, then those who can reach the most of the
// client's visits (so that one training serves them all), then those living
// nearest.
func (g *generator) fitVisit(vi int, works func(i int) bool) {
	v := &g.visits[vi]
	cl := &g.clients[v.client]
	want := wantQualified(v)
	type candidate struct {
		carer, missing, reach int
		travelS               float64
	}
	var candidates []candidate
	have := 0
	for i := range g.carers {
		if !g.reaches(i, vi, fitMarginS) || !g.accepts(v.client, i) || (works != nil && !works(i)) {
			continue
		}
		if g.hasSkills(i, v) {
			have++
			continue
		}
		c := candidate{carer: i, travelS: travelS(g.carers[i].Mode, g.carers[i].Start, cl.Location)}
		for _, s := range v.RequiredSkills {
			if !g.carers[i].HasSkill(s) {
				c.missing++
			}
		}
		for _, vj := range cl.visits {
			if g.reaches(i, vj, fitMarginS) {
				c.reach++
			}
		}
		candidates = append(candidates, c)
	}
	if have >= want {
		return
	}
	sort.Slice(candidates, func(a, b int) bool {
		ca, cb := candidates[a], candidates[b]
		switch {
		case ca.missing != cb.missing:
			return ca.missing < cb.missing
		case ca.reach != cb.reach:
			return ca.reach > cb.reach
		case ca.travelS != cb.travelS:
			return ca.travelS < cb.travelS
		}
		return ca.carer < cb.carer
	})
	for _, cand := range candidates {
		if have >= want {
			break
		}
		c := &g.carers[cand.carer]
		for _, s := range v.RequiredSkills {
			if !c.HasSkill(s) {
				c.Skills = append(c.Skills, s)
			}
		}
		have++
	}
}

// fitMarginS is the spare time a carer must have to count as reaching a
// visit, in seconds: it covers rounding and the odd longer leg.
const fitMarginS = 5 * 60

// hasSkills reports whether carer i holds every skill visit v needs.
func (g *generator) hasSkills(i int, v *visit) bool {
	for _, s := range v.RequiredSkills {
		if !g.carers[i].HasSkill(s) {
			return false
		}
	}
	return true
}

// accepts reports whether client ci accepts carer i: the gender they ask
// for, and not a carer they have declined.
func (g *generator) accepts(ci, i int) bool {
	pr := &g.clients[ci].Preferences
	c := &g.carers[i].Carer
	if pr.CarerGender != "" && c.Gender != pr.CarerGender {
		return false
	}
	return !pr.Excludes(c.ID)
}

// reaches reports whether carer i, setting out from home at the start of
// one of their shifts, can start visit vi inside its window and be home by
// the end of that shift, with marginS to spare.
func (g *generator) reaches(i, vi int, marginS float64) bool {
	c := &g.carers[i]
	v := &g.visits[vi]
	loc := g.clients[v.client].Location
	out := travelS(c.Mode, c.Start, loc)
	back := travelS(c.Mode, loc, c.EndLocation())
	for _, s := range c.Shifts {
		for _, w := range v.Windows {
			start := max(float64(w.Start), float64(s.Start)+out)
			if start <= float64(w.End) && start+float64(v.DurationS())+back+marginS <= float64(s.End) {
				return true
			}
		}
	}
	return false
}

// qualified counts the carers who hold visit vi's skills, whom its client
// accepts and who can reach it in time.
func (g *generator) qualified(vi int) int {
	n := 0
	for i := range g.carers {
		if g.hasSkills(i, &g.visits[vi]) && g.accepts(g.visits[vi].client, i) && g.reaches(i, vi, fitMarginS) {
			n++
		}
	}
	return n
}
