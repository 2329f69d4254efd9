package synth

import (
	"slices"
	"sort"
)

// makePreferences gives clients their wishes about carers. The hard ones
// (gender, declined carers) are kept only where every visit of the client
// still has as many qualified carers who can reach it as before, or as many
// as wantQualified asks; the soft ones (language, preferred carers) name carers and
// languages the team has.
func (g *generator) makePreferences() {
	for ci := range g.clients {
		c := &g.clients[ci]
		pr := &c.Preferences
		before := g.qualifiedCounts(ci)
		keep := func() bool {
			for j, vi := range c.visits {
				if n := g.qualified(vi); n < before[j] && n < wantQualified(&g.visits[vi]) {
					return false
				}
			}
			return true
		}

		switch {
		case chance(g.r, 0.2):
			pr.CarerGender = "female"
		case !c.double && chance(g.r, 0.03):
			pr.CarerGender = "male"
		}
		if pr.CarerGender != "" && !keep() {
			pr.CarerGender = ""
		}

		// A rare declined carer: one who could have come.
		if chance(g.r, 0.04) {
			if cands := g.couldServe(ci); len(cands) > 0 {
				pr.ExcludedCarers = []string{g.carers[cands[g.r.IntN(len(cands))]].ID}
				if !keep() {
					pr.ExcludedCarers = nil
				}
			}
		}

		if l := []string{"", "ur", "pa", "pl"}[pick(g.r, 80, 12, 4, 4)]; l != "" && g.spoken(l) {
			pr.Language = l
		}

		// Preferred carers: the regulars, who live nearby, serve the
		// client's calls and, where the client asks, speak their language.
		if chance(g.r, 0.15) {
			cands := g.couldServe(ci)
			if pr.Language != "" {
				var speakers []int
				for _, i := range cands {
					if g.carers[i].Speaks(pr.Language) {
						speakers = append(speakers, i)
					}
				}
				if len(speakers) > 0 {
					cands = speakers
				}
			}
			sort.SliceStable(cands, func(a, b int) bool {
				ka, kb := &g.carers[cands[a]], &g.carers[cands[b]]
				return travelS(ka.Mode, ka.Start, c.Location) < travelS(kb.Mode, kb.Start, c.Location)
			})
			cands = cands[:min(len(cands), 3)]
			g.r.Shuffle(len(cands), func(a, b int) { cands[a], cands[b] = cands[b], cands[a] })
			n := min(len(cands), 1+pick(g.r, 70, 30))
			for _, i := range cands[:n] {
				pr.PreferredCarers = append(pr.PreferredCarers, g.carers[i].ID)
			}
			slices.Sort(pr.PreferredCarers)
		}
	}
}

// qualifiedCounts counts the qualified carers of each visit of client ci.
func (g *generator) qualifiedCounts(ci int) []int {
	c := &g.clients[ci]
	out := make([]int, len(c.visits))
	for j, vi := range c.visits {
		out[j] = g.qualified(vi)
	}
	return out
}

// couldServe lists the carers client ci accepts who hold the skills of all
// their visits and can reach at least one of them in time.
func (g *generator) couldServe(ci int) []int {
	c := &g.clients[ci]
	var out []int
	for i := range g.carers {
		if !g.accepts(ci, i) {
			continue
		}
		all, some := true, false
		for _, vi := range c.visits {
			all = all && g.hasSkills(i, &g.visits[vi])
			some = some || g.reaches(i, vi, fitMarginS)
		}
		if all && some {
			out = append(out, i)
		}
	}
	return out
}

// spoken reports whether any carer speaks language l.
func (g *generator) spoken(l string) bool {
	return slices.ContainsFunc(g.carers, func(c carer) bool { return c.Speaks(l) })
}
