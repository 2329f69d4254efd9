package road

import (
	"sync"

	"github.com/rounds-dev/rounds/internal/scc"
)

// modeGraph is the routable graph of one mode: the junctions of its largest
// strongly connected part and the arcs between them, in compressed sparse
// row form.
type modeGraph struct {
	// fwd and bwd are each edge's time (ms) along and against it, -1 where
	// the mode may not go or the edge lies outside the kept part.
	fwd, bwd []int32
	// Arcs leaving junction v are off[v]..off[v+1]: to head, taking cost ms
	// and lenDM decimetres, along edge arcEdge.
	off     []int32
	head    []int32
	cost    []int32
	lenDM   []int32
	arcEdge []int32
	// inComp marks the junctions of the largest strongly connected part.
	inComp []bool
	// kept counts them.
	kept int
	// tracers holds Path's searches for reuse (*tracer).
	tracers sync.Pool
	// turns is the turn-expanded graph driving and cycling are routed on
	// (turns.go); nil for walking, which turns freely.
	turns *turnGraph
}

// usable reports whether the mode can travel edge e in some direction.
func (g *modeGraph) usable(e int32) bool { return g.fwd[e] >= 0 || g.bwd[e] >= 0 }

// snappable reports whether a place may be snapped to edge e: the mode
// can travel it, and on a turn-expanded graph a way both reaches it and
// leaves it (turn restrictions can make a trap of a stretch of road).
func (g *modeGraph) snappable(e int32) bool {
	if !g.usable(e) {
		return false
	}
	return g.turns == nil || g.turns.keeps[e]
}

// newModeGraph builds a mode's graph from per-edge times. Junctions in
// blocked cannot be passed (a bollard stops cars): no arc leaves or enters
// them, but an edge running up to one from the kept part stays usable as a
// cul-de-sac when it can be driven both ways, so that homes along it can be
// reached and left. Arcs leaving a junction in delay cost delayMS more.
func newModeGraph(vertices int, edges []edge, fwd, bwd []int32, blocked map[int32]bool, delay []bool, delayMS int32) *modeGraph {
	g := &modeGraph{fwd: make([]int32, len(edges)), bwd: make([]int32, len(edges))}
	copy(g.fwd, fwd)
	copy(g.bwd, bwd)
	g.arcs(vertices, edges, blocked, delay, delayMS)
	g.inComp = largestSCC(vertices, g.off, g.head)
	for e, ed := range edges {
		switch {
		case g.inComp[ed.from] && g.inComp[ed.to]:
		case blocked[ed.to] && g.inComp[ed.from] && g.fwd[e] >= 0 && g.bwd[e] >= 0:
		case blocked[ed.from] && g.inComp[ed.to] && g.fwd[e] >= 0 && g.bwd[e] >= 0:
		default:
			g.fwd[e], g.bwd[e] = -1, -1
		}
	}
	for _, in := range g.inComp {
		if in {
			g.kept++
		}
	}
	g.arcs(vertices, edges, blocked, delay, delayMS)
	return g
}

// arcs builds the arc arrays from the edge times, leaving out edges that
// touch a blocked junction.
func (g *modeGraph) arcs(vertices int, edges []edge, blocked map[int32]bool, delay []bool, delayMS int32) {
	g.off = make([]int32, vertices+1)
	open := func(ed edge) bool { return !blocked[ed.from] && !blocked[ed.to] }
	for e, ed := range edges {
		if !open(ed) {
			continue
		}
		if g.fwd[e] >= 0 {
			g.off[ed.from+1]++
		}
		if g.bwd[e] >= 0 {
			g.off[ed.to+1]++
		}
	}
	for v := 0; v < vertices; v++ {
		g.off[v+1] += g.off[v]
	}
	m := g.off[vertices]
	g.head, g.cost, g.lenDM, g.arcEdge = make([]int32, m), make([]int32, m), make([]int32, m), make([]int32, m)
	next := make([]int32, vertices)
	copy(next, g.off[:vertices])
	add := func(from, to int32, ms int32, e int, lenM float64) {
		k := next[from]
		next[from]++
		if delay != nil && delay[from] {
			ms = min(ms+delayMS, maxEdgeMS)
		}
		g.head[k], g.cost[k], g.lenDM[k], g.arcEdge[k] = to, ms, int32(lenM*10+0.5), int32(e)
	}
	for e, ed := range edges {
		if !open(ed) {
			continue
		}
		if g.fwd[e] >= 0 {
			add(ed.from, ed.to, g.fwd[e], e, ed.lenM)
		}
		if g.bwd[e] >= 0 {
			add(ed.to, ed.from, g.bwd[e], e, ed.lenM)
		}
	}
}

// largestSCC marks the junctions of the largest strongly connected part of
// the graph.
func largestSCC(vertices int, off, head []int32) []bool {
	comp, count := scc.Components(vertices, func(v, k int32) (int32, bool) {
		if a := off[v] + k; a < off[v+1] {
			return head[a], true
		}
		return 0, false
	})
	sizes := make([]int, count)
	for _, c := range comp {
		sizes[c]++
	}
	best := int32(-1)
	for c, size := range sizes {
		if best < 0 || size > sizes[best] {
			best = int32(c)
		}
	}
	in := make([]bool, vertices)
	for v := range in {
		in[v] = comp[v] == best
	}
	return in
}
