package synth

import (
	"slices"
	"sort"

	"github.com/rounds-dev/rounds/roster"
)

// makeTeams gives each client a team of regular carers: three or four for
// a client one carer serves, four or five for one with double-handed
// calls, taken from the carers the client accepts who hold the skills of
// every call, and among them first the client's preferred carers, then
// those who can reach the most of the client's calls, then the nearest.
// Where too few are qualified, the next of those who can reach a call are
// trained; where too few can reach one (a small locality, a client who
// asks for a woman), the nearest others make up three, as cover. A team
// is smaller only where the client accepts fewer carers. A few clients (single-handed, with dementia, whom strangers
// unsettle) have a cap of their own on distinct carers.
func (w *weekGenerator) makeTeams() {
	for ci := range w.clients {
		c := &w.clients[ci]
		size := 3 + w.r.IntN(2)
		if w.hasDouble(ci) {
			size = 4 + w.r.IntN(2)
		}
		type candidate struct {
			carer, reach int
			preferred    bool
			travelS      float64
		}
		var cands []candidate
		for i := range w.carers {
			if !w.accepts(ci, i) {
				continue
			}
			cd := candidate{carer: i, travelS: travelS(w.carers[i].Mode, w.carers[i].Start, c.Location)}
			cd.preferred = slices.Contains(c.Preferences.PreferredCarers, w.carers[i].ID)
			for _, vi := range c.visits {
				if w.reaches(i, vi, fitMarginS) {
					cd.reach++
				}
			}
			cands = append(cands, cd)
		}
		qualified := func(i int) bool {
			for _, vi := range c.visits {
				if !w.hasSkills(i, &w.visits[vi]) {
					return false
				}
			}
			return true
		}
		sort.SliceStable(cands, func(a, b int) bool {
			ca, cb := cands[a], cands[b]
			qa, qb := qualified(ca.carer), qualified(cb.carer)
			switch {
			case (ca.reach > 0) != (cb.reach > 0):
				return ca.reach > 0
			case qa != qb:
				return qa
			case ca.preferred != cb.preferred:
				return ca.preferred
			case ca.reach != cb.reach:
				return ca.reach > cb.reach
			}
			return ca.travelS < cb.travelS
		})
		c.Team = nil
		for _, cd := range cands[:min(size, len(cands))] {
			k := &w.carers[cd.carer]
			for _, vi := range c.visits {
				for _, s := range w.visits[vi].RequiredSkills {
					if !k.HasSkill(s) {
						k.Skills = append(k.Skills, s)
					}
				}
			}
			c.Team = append(c.Team, k.ID)
		}
		if c.dementia && !w.hasDouble(ci) && chance(w.r, 0.5) {
			c.MaxCarers = max(len(c.Team), 4)
		}
	}
}

// hasDouble reports whether client ci has a double-handed call.
func (w *weekGenerator) hasDouble(ci int) bool {
	return slices.ContainsFunc(w.clients[ci].visits, func(vi int) bool { return w.visits[vi].CarersNeeded() > 1 })
}

// makeHistory writes last week's care: on each of the seven days before
// the period, each call the client had that weekday was made by carers
// who worked that day, four times in five by a member of the client's
// team (the first named most often) and otherwise by another carer
// qualified for the call, as cover.
func (w *weekGenerator) makeHistory() {
	for ci := range w.clients {
		c := &w.clients[ci]
		team := make([]int, 0, len(c.Team))
		for _, id := range c.Team {
			team = append(team, w.carerIndex(id))
		}
		for back := -7; back < 0; back++ {
			d := w.weekdayOf(back)
			counts := map[int]int{}
			for _, vi := range c.visits {
				if !w.careDays[vi].Has(roster.Weekdays[d]) {
					continue
				}
				var chosen []int
				for range w.visits[vi].CarersNeeded() {
					if k := w.pastCarer(ci, vi, d, team, chosen); k >= 0 {
						chosen = append(chosen, k)
						counts[k]++
					}
				}
			}
			ks := make([]int, 0, len(counts))
			for k := range counts {
				ks = append(ks, k)
			}
			slices.Sort(ks)
			for _, k := range ks {
				w.history = append(w.history, roster.HistoryEntry{
					Client: c.ID, Carer: w.carers[k].ID, Date: w.date(back), Visits: counts[k],
				})
			}
		}
	}
}

// pastCarer draws who made care entry vi of client ci on weekday d last
// week, other than those already chosen for it; -1 when nobody could.
func (w *weekGenerator) pastCarer(ci, vi, d int, team, chosen []int) int {
	free := func(k int) bool { return w.worksOn(k, d) && !slices.Contains(chosen, k) }
	if chance(w.r, 0.8) {
		var ks []int
		var weights []float64
		for j, k := range team {
			if free(k) {
				ks = append(ks, k)
				weights = append(weights, float64(len(team)-j))
			}
		}
		if len(ks) > 0 {
			return ks[pick(w.r, weights...)]
		}
	}
	var ks []int
	for k := range w.carers {
		if free(k) && w.accepts(ci, k) && w.hasSkills(k, &w.visits[vi]) && w.reaches(k, vi, fitMarginS) {
			ks = append(ks, k)
		}
	}
	if len(ks) == 0 {
		return -1
	}
	return ks[w.r.IntN(len(ks))]
}

// carerIndex is the index of the carer with id.
func (w *weekGenerator) carerIndex(id string) int {
	return slices.IndexFunc(w.carers, func(c carer) bool { return c.ID == id })
}
