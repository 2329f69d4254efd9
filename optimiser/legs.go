package optimiser

import (
	"math"

	"github.com/rounds-dev/rounds/internal/scc"
)

// Maximum legs. No carer is given a leg (start to first visit, visit to
// visit, last visit to end) longer than roster.Carer.MaxLegS. The rule is
// kept in these places: limitReach takes out of p.allowed each carer who
// cannot reach a visit at all; legPlaces offers no place whose new legs
// are too long; forward fails a round that holds one; after a ruin the
// ruiner, and before seeding the rounds of a previous plan the solution,
// take out the visits left at the end of one (overLongLeg).

// noLegCap is the leg cap of a carer without a maximum leg.
const noLegCap = int32(math.MaxInt32)

// limitReach takes out of p.allowed each carer who cannot reach a visit by
// legs within their maximum leg, as roster.ReasonBeyondMaxLeg defines: a
// path from their start to the visit's client and one from there to their
// end, each through visit locations only. Carers of one mode and limit
// share one graph over the visit locations, worked out once in O(n²) for n
// locations; each carer then costs O(n) look-ups and set unions.
func (p *problem) limitReach() {
	pos := make([]int32, p.nPts) // each point's place among pts, or -1
	for i := range pos {
		pos[i] = -1
	}
	var pts []int32 // the visit locations, each once
	for i := range p.visits {
		if pt := p.visits[i].pt; pos[pt] < 0 {
			pos[pt] = int32(len(pts))
			pts = append(pts, pt)
		}
	}
	type key struct {
		mode int
		cap  int32
	}
	graphs := map[key]*legGraph{}
	for k := range p.carers {
		ci := &p.carers[k]
		if ci.legCapS == noLegCap || len(ci.vehicles) == 0 {
			continue
		}
		veh := &p.vehicles[ci.vehicles[0]]
		g, ok := graphs[key{veh.mode, ci.legCapS}]
		if !ok {
			g = newLegGraph(p.dur[veh.mode], p.nPts, pts, ci.legCapS)
			graphs[key{veh.mode, ci.legCapS}] = g
		}
		ok2 := g.reachFor(veh.startPt, veh.endPt)
		for i := range p.visits {
			if !ok2[g.comp[pos[p.visits[i].pt]]] {
				p.allowed[i*p.nCarers+k] = false
			}
		}
	}
}

// legGraph is the graph over a set of locations with an edge from a to b
// when the leg from a to b takes at most cap seconds, reduced to its
// strongly connected components and what each of them reaches.
type legGraph struct {
	dur   []int32 // travel by the graph's mode, nPts*nPts seconds
	nPts  int
	pts   []int32 // the locations
	cap   int32
	comp  []int32 // per location: its component
	nComp int
	words int // uint64 words in a set of components
	// closure holds, per component, words bits: the components it
	// reaches, itself included.
	closure []uint64
}

// newLegGraph builds the graph over pts and works out its components and
// their closures.
func newLegGraph(dur []int32, nPts int, pts []int32, cap int32) *legGraph {
	n := len(pts)
	g := &legGraph{dur: dur, nPts: nPts, pts: pts, cap: cap}
	g.comp, g.nComp = scc.Components(n, func(v, k int32) (int32, bool) {
		switch {
		case int(k) >= n:
			return 0, false
		case k == v || !g.edge(v, k):
			return -1, true
		}
		return k, true
	})
	g.closeComponents()
	return g
}

// edge reports whether the leg from location a to location b is within
// the cap.
func (g *legGraph) edge(a, b int32) bool {
	return g.dur[int(g.pts[a])*g.nPts+int(g.pts[b])] <= g.cap
}

// set returns component c's closure.
func (g *legGraph) set(c int32) []uint64 {
	return g.closure[int(c)*g.words : int(c+1)*g.words]
}

// closeComponents works out each component's closure. scc.Components
// numbers a component only after every component it reaches, so taking
// them in order of number finds each successor's closure complete.
func (g *legGraph) closeComponents() {
	g.words = (g.nComp + 63) / 64
	g.closure = make([]uint64, g.nComp*g.words)
	members := make([][]int32, g.nComp)
	for a, c := range g.comp {
		members[c] = append(members[c], int32(a))
	}
	seen := make([]int32, g.nComp) // last component that took each one's closure, plus 1
	for c := range int32(g.nComp) {
		own := g.set(c)
		own[c/64] |= 1 << (c % 64)
		for _, a := range members[c] {
			for b := range int32(len(g.pts)) {
				d := g.comp[b]
				if d == c || seen[d] == c+1 || !g.edge(a, b) {
					continue
				}
				seen[d] = c + 1
				for i, w := range g.set(d) {
					own[i] |= w
				}
			}
		}
	}
}

// reachFor tells, per component, whether a carer starting at point start
// and ending at point end can reach it from their start and reach their
// end from it.
func (g *legGraph) reachFor(start, end int32) []bool {
	from := make([]uint64, g.words)
	toEnd := make([]uint64, g.words)
	for a, pt := range g.pts {
		c := g.comp[a]
		// A component already in from came with every component it reaches.
		if g.dur[int(start)*g.nPts+int(pt)] <= g.cap && from[c/64]&(1<<(c%64)) == 0 {
			for i, w := range g.set(c) {
				from[i] |= w
			}
		}
		if g.dur[int(pt)*g.nPts+int(end)] <= g.cap {
			toEnd[c/64] |= 1 << (c % 64)
		}
	}
	ok := make([]bool, g.nComp)
	for c := range int32(g.nComp) {
		if from[c/64]&(1<<(c%64)) == 0 {
			continue
		}
		for i, w := range g.set(c) {
			if w&toEnd[i] != 0 {
				ok[c] = true
				break
			}
		}
	}
	return ok
}

// reachedByWayOfOthers reports whether a carer allowed for a visit of job
// j cannot travel straight from their start to it, or straight from it to
// their end, within their maximum leg. Such a visit fails alone in an empty
// round, yet a round that passes other visits on the way may still serve
// it.
func (p *problem) reachedByWayOfOthers(j int32) bool {
	for _, v := range p.jobs[j].visits {
		pt := p.visits[v].pt
		for c := range p.carers {
			ci := &p.carers[c]
			if ci.legCapS == noLegCap || len(ci.vehicles) == 0 || !p.allowed[int(v)*p.nCarers+c] {
				continue
			}
			veh := &p.vehicles[ci.vehicles[0]]
			if p.travel(veh, veh.startPt, pt) > ci.legCapS || p.travel(veh, pt, veh.endPt) > ci.legCapS {
				return true
			}
		}
	}
	return false
}

// overLongLeg returns a task of vehicle v's round at the end of a leg
// longer than the carer's maximum leg (the last task for the leg back to
// the round's end), or -1 when every leg is within it.
func (s *solution) overLongLeg(v int) int32 {
	p := s.p
	veh := &p.vehicles[v]
	if veh.legCapS == noLegCap {
		return -1
	}
	r := s.routes[v]
	pt := veh.startPt
	for _, k := range r {
		vp := p.visits[p.tasks[k].visit].pt
		if p.travel(veh, pt, vp) > veh.legCapS {
			return k
		}
		pt = vp
	}
	if len(r) > 0 && p.travel(veh, pt, veh.endPt) > veh.legCapS {
		return r[len(r)-1]
	}
	return -1
}

// trimLongLegs takes out of s every job with a task at the end of a leg
// longer than its carer's maximum leg, round after round until none holds
// one (taking out a double-handed job changes its partner's round too).
func (s *solution) trimLongLegs() {
	for again := true; again; {
		again = false
		for v := range s.routes {
			for k := s.overLongLeg(v); k >= 0; k = s.overLongLeg(v) {
				for _, t := range s.p.jobs[s.p.tasks[k].job].tasks {
					s.removeTask(t)
				}
				again = true
			}
		}
	}
}
