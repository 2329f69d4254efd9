package road

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
}

// usable reports whether the mode can travel edge e in some direction.
func (g *modeGraph) usable(e int32) bool { return g.fwd[e] >= 0 || g.bwd[e] >= 0 }

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
// the graph, found by Tarjan's algorithm without recursion, so that a long
// chain of junctions cannot overflow the stack.
func largestSCC(vertices int, off, head []int32) []bool {
	const unseen = -1
	index := make([]int32, vertices)
	low := make([]int32, vertices)
	onStack := make([]bool, vertices)
	comp := make([]int32, vertices)
	for i := range index {
		index[i] = unseen
		comp[i] = -1
	}
	var stack []int32
	type frame struct{ v, arc int32 }
	var call []frame
	next := int32(0)
	nComp := int32(0)
	var sizes []int
	for root := 0; root < vertices; root++ {
		if index[root] != unseen {
			continue
		}
		call = append(call, frame{int32(root), off[root]})
		index[root], low[root] = next, next
		next++
		stack = append(stack, int32(root))
		onStack[root] = true
		for len(call) > 0 {
			f := &call[len(call)-1]
			v := f.v
			if f.arc < off[v+1] {
				w := head[f.arc]
				f.arc++
				if index[w] == unseen {
					index[w], low[w] = next, next
					next++
					stack = append(stack, w)
					onStack[w] = true
					call = append(call, frame{w, off[w]})
				} else if onStack[w] && index[w] < low[v] {
					low[v] = index[w]
				}
				continue
			}
			// v is finished: close its component if it is a root, then
			// hand its low link to its caller.
			if low[v] == index[v] {
				size := 0
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					comp[w] = nComp
					size++
					if w == v {
						break
					}
				}
				sizes = append(sizes, size)
				nComp++
			}
			call = call[:len(call)-1]
			if len(call) > 0 {
				u := call[len(call)-1].v
				if low[v] < low[u] {
					low[u] = low[v]
				}
			}
		}
	}
	best, bestSize := int32(-1), 0
	for c, s := range sizes {
		if s > bestSize {
			best, bestSize = int32(c), s
		}
	}
	in := make([]bool, vertices)
	for v := range in {
		in[v] = comp[v] == best
	}
	return in
}
