package road

import (
	"context"
	"math"
	"sync"
	"sync/atomic"

	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/roster"
)

const unreached = math.MaxInt32

// search is one worker's Dijkstra state, reused from source to source: the
// labels of a junction count only when its stamp is the current one, so
// nothing is cleared between searches.
type search struct {
	g *modeGraph
	// t is the turn-expanded graph when the search runs on one: its
	// vertices are states (turns.go), and g is its arcs.
	t       *turnGraph
	timeMS  []int32
	lenDM   []int32
	stamp   []uint32
	settled []uint32
	cur     uint32
	heap    heap
	// pred, when not nil, is the arc by which each junction was last
	// reached (fromSource for the source's own edge), for Path; the
	// tables leave it nil.
	pred []int32
}

// fromSource marks a junction reached along the source's own edge (on a
// turn-expanded graph, a state reached by turning off the source's edge
// travelled forwards); fromSourceBack a state reached by turning off it
// travelled backwards.
const (
	fromSource     = -1
	fromSourceBack = -2
)

// newSearch is a search on mode graph g of a network: on its
// turn-expanded graph when it has one.
func newSearch(n *Network, g *modeGraph) *search {
	vertices := n.vertices
	s := &search{g: g}
	if g.turns != nil {
		s.t, s.g = g.turns, &g.turns.modeGraph
		vertices = len(g.turns.time)
	}
	s.timeMS, s.lenDM = make([]int32, vertices), make([]int32, vertices)
	s.stamp, s.settled = make([]uint32, vertices), make([]uint32, vertices)
	return s
}

// vertices is the number of vertices the search labels.
func (s *search) vertices() int { return len(s.timeMS) }

// edgeTime is the time (ms) along edge e forwards or backwards, -1 where
// the mode may not go.
func (s *search) edgeTime(e int32, fwd bool) int32 {
	switch {
	case s.t != nil:
		return s.t.time[stateOf(e, fwd)]
	case fwd:
		return s.g.fwd[e]
	}
	return s.g.bwd[e]
}

// label returns the best time and length found to junction v so far.
func (s *search) label(v int32) (ms, dm int32) {
	if s.stamp[v] != s.cur {
		return unreached, unreached
	}
	return s.timeMS[v], s.lenDM[v]
}

// relax offers junction v at time ms and length dm, reached by arc.
func (s *search) relax(v, ms, dm, arc int32) {
	if s.stamp[v] == s.cur && s.timeMS[v] <= ms {
		return
	}
	s.stamp[v], s.timeMS[v], s.lenDM[v] = s.cur, ms, dm
	if s.pred != nil {
		s.pred[v] = arc
	}
	s.heap.push(ms, v)
}

// run searches from a snapped source until every junction in want is
// settled (want[v] true) or the graph is exhausted. wanted is how many
// junctions want marks.
func (s *search) run(n *Network, src snap, want []bool, wanted int) {
	s.cur++
	s.heap.reset()
	g := s.g
	e := n.edges[src.edge]
	switch {
	case s.t != nil:
		// Leave the source's edge either way the mode may take, by each
		// turn at the junction ahead.
		for _, fwd := range []bool{true, false} {
			y := stateOf(src.edge, fwd)
			ty := s.t.time[y]
			if ty < 0 {
				continue
			}
			part, dm, by := share(src.offM, e.lenM)*float64(ty), src.offM, int32(fromSourceBack)
			if fwd {
				part, dm, by = float64(ty)-part, e.lenM-src.offM, fromSource
			}
			for k := g.off[y]; k < g.off[y+1]; k++ {
				s.relax(g.head[k], int32(math.Round(part))+g.cost[k]-ty, int32(math.Round(dm*10)), by)
			}
		}
	default:
		// Leave the source's edge towards either end the mode may take,
		// if that end is in the kept part: a bollard at the end of a
		// cul-de-sac is not a way through.
		if t := g.fwd[src.edge]; t >= 0 && g.inComp[e.to] {
			rest := 1 - share(src.offM, e.lenM)
			s.relax(e.to, int32(math.Round(rest*float64(t))), int32(math.Round((e.lenM-src.offM)*10)), fromSource)
		}
		if t := g.bwd[src.edge]; t >= 0 && g.inComp[e.from] {
			s.relax(e.from, int32(math.Round(share(src.offM, e.lenM)*float64(t))), int32(math.Round(src.offM*10)), fromSource)
		}
	}
	left := wanted
	for s.heap.len() > 0 && left > 0 {
		ms, v := s.heap.pop()
		if s.timeMS[v] != ms || s.settled[v] == s.cur {
			continue
		}
		s.settled[v] = s.cur
		if want[v] {
			left--
		}
		dm := s.lenDM[v]
		for k := g.off[v]; k < g.off[v+1]; k++ {
			// Edge times are capped at a day, so a path would need
			// hundreds of thousands of junctions to overflow; stop short.
			if t := int64(ms) + int64(g.cost[k]); t < unreached {
				s.relax(g.head[k], int32(t), dm+g.lenDM[k], k)
			}
		}
	}
}

// to returns the time (ms) and length (dm) from the last search's source to
// a snapped target, or unreached.
func (s *search) to(n *Network, src, dst snap) (ms, dm int64) {
	ms, dm, _ = s.toVia(n, src, dst)
	return ms, dm
}

// arrival is how the best way to a snapped target ends: into its edge from
// the edge's start junction, from its end junction, or along the edge the
// source is on.
type arrival int8

const (
	viaFrom arrival = iota
	viaTo
	viaAlong
)

// toVia is to, also saying how the way ends.
func (s *search) toVia(n *Network, src, dst snap) (ms, dm int64, via arrival) {
	e := n.edges[dst.edge]
	best, bestDM := int64(unreached), int64(unreached)
	var how arrival
	offer := func(t, d int64, by arrival) {
		if t < best {
			best, bestDM, how = t, d, by
		}
	}
	at := share(dst.offM, e.lenM)
	// On the junction graph, the way enters the target's edge at the
	// junction it starts from; on the turn-expanded graph, in the state
	// of travelling along it.
	startOf := func(fwd bool) int32 {
		switch {
		case s.t != nil:
			return stateOf(dst.edge, fwd)
		case fwd:
			return e.from
		}
		return e.to
	}
	if t := s.edgeTime(dst.edge, true); t >= 0 {
		if ms, dm := s.label(startOf(true)); ms != unreached {
			offer(int64(ms)+int64(math.Round(at*float64(t))), int64(dm)+int64(math.Round(dst.offM*10)), viaFrom)
		}
	}
	if t := s.edgeTime(dst.edge, false); t >= 0 {
		if ms, dm := s.label(startOf(false)); ms != unreached {
			offer(int64(ms)+int64(math.Round((1-at)*float64(t))), int64(dm)+int64(math.Round((e.lenM-dst.offM)*10)), viaTo)
		}
	}
	// Source and target on the same edge: straight along it, if the mode
	// may go that way.
	if src.edge == dst.edge {
		from := share(src.offM, e.lenM)
		if t := s.edgeTime(dst.edge, true); t >= 0 && dst.offM >= src.offM {
			offer(int64(math.Round((at-from)*float64(t))), int64(math.Round((dst.offM-src.offM)*10)), viaAlong)
		}
		if t := s.edgeTime(dst.edge, false); t >= 0 && dst.offM <= src.offM {
			offer(int64(math.Round((from-at)*float64(t))), int64(math.Round((src.offM-dst.offM)*10)), viaAlong)
		}
	}
	return best, bestDM, how
}

// share is how far along an edge an offset lies, 0 to 1.
func share(offM, lenM float64) float64 {
	if lenM <= 0 {
		return 0
	}
	return math.Min(1, math.Max(0, offM/lenM))
}

// table computes the travel from every source to every target on graph g,
// row-major, in seconds and metres, running the sources' searches on the
// network's workers.
func (n *Network) table(ctx context.Context, g *modeGraph, mode roster.Mode, fromAt, toAt []roster.Location, from, to []snap) (durS, distM []int32, err error) {
	durS, distM = make([]int32, len(from)*len(to)), make([]int32, len(from)*len(to))
	want, wanted := n.targets(g, to)
	var (
		next       atomic.Int64
		wg         sync.WaitGroup
		mu         sync.Mutex
		firstErr   error
		unreachedN atomic.Int64
		firstPair  [2]int
		pairOnce   sync.Once
	)
	workers := min(n.opts.Workers, len(from))
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := newSearch(n, g)
			for {
				i := int(next.Add(1) - 1)
				if i >= len(from) {
					return
				}
				if err := ctx.Err(); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
				s.run(n, from[i], want, wanted)
				for j := range to {
					ms, dm := s.to(n, from[i], to[j])
					if ms == unreached {
						unreachedN.Add(1)
						pairOnce.Do(func() { firstPair = [2]int{i, j} })
						continue
					}
					k := i*len(to) + j
					durS[k] = int32((ms + 500) / 1000)
					distM[k] = int32((dm + 5) / 10)
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, nil, firstErr
	}
	if c := unreachedN.Load(); c > 0 {
		// The graph keeps only its strongly connected part, so this marks a
		// fault, not a feature of the map; it is reported, never left as a
		// zero.
		i, j := firstPair[0], firstPair[1]
		return nil, nil, &geo.UnreachableError{Mode: mode, Count: int(c),
			Pairs: []geo.Pair{{From: i, To: j, FromAt: fromAt[i], ToAt: toAt[j]}}}
	}
	return durS, distM, nil
}

// heap is a binary min-heap of (time, junction) pairs; a junction may be in
// it more than once, and stale entries are skipped when popped.
type heap struct{ items []uint64 }

func (h *heap) reset()   { h.items = h.items[:0] }
func (h *heap) len() int { return len(h.items) }

func (h *heap) push(ms, v int32) {
	x := uint64(uint32(ms))<<32 | uint64(uint32(v))
	h.items = append(h.items, x)
	i := len(h.items) - 1
	for i > 0 {
		p := (i - 1) / 2
		if h.items[p] <= x {
			break
		}
		h.items[i] = h.items[p]
		i = p
	}
	h.items[i] = x
}

func (h *heap) pop() (ms, v int32) {
	top := h.items[0]
	last := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	if n := len(h.items); n > 0 {
		i := 0
		for {
			c := 2*i + 1
			if c >= n {
				break
			}
			if c+1 < n && h.items[c+1] < h.items[c] {
				c++
			}
			if last <= h.items[c] {
				break
			}
			h.items[i] = h.items[c]
			i = c
		}
		h.items[i] = last
	}
	return int32(top >> 32), int32(uint32(top))
}

// targets marks the vertices a search must settle to reach every snapped
// target: the junctions, or on a turn-expanded graph the states, by which
// a way enters each target's edge.
func (n *Network) targets(g *modeGraph, to []snap) (want []bool, wanted int) {
	if t := g.turns; t != nil {
		want = make([]bool, len(t.time))
	} else {
		want = make([]bool, n.vertices)
	}
	for _, dst := range to {
		for _, v := range n.entries(g, dst) {
			if !want[v] {
				want[v] = true
				wanted++
			}
		}
	}
	return want, wanted
}

// entries are the vertices by which a way enters dst's edge, forwards
// first. A cul-de-sac up to a bollard has one end outside the kept part,
// which no search settles.
func (n *Network) entries(g *modeGraph, dst snap) []int32 {
	var out []int32
	e := n.edges[dst.edge]
	if t := g.turns; t != nil {
		for _, fwd := range []bool{true, false} {
			if st := stateOf(dst.edge, fwd); t.time[st] >= 0 && t.enter[st] {
				out = append(out, st)
			}
		}
		return out
	}
	if g.fwd[dst.edge] >= 0 && g.inComp[e.from] {
		out = append(out, e.from)
	}
	if g.bwd[dst.edge] >= 0 && g.inComp[e.to] && (len(out) == 0 || out[0] != e.to) {
		out = append(out, e.to)
	}
	return out
}
