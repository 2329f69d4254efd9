package road

import (
	"math"
	"slices"

	"github.com/paulmach/orb"

	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/roster"
)

// tracer is a search that keeps predecessors, with its target marks.
type tracer struct {
	s    *search
	want []bool
}

// Path returns the way by mode from one place to another along the
// streets, as a line in longitude-latitude order: from the place to where
// it was snapped on the road, along the roads the travel tables' search
// takes, and from where the destination was snapped to the destination.
// Its length, less the two snap legs, is the tables' distance for the leg.
// A place too far from the mode's roads is a *FarError (List "from" or
// "to"); a mode the network does not route an *UnsupportedModeError. Path
// is safe for concurrent use.
func (n *Network) Path(mode roster.Mode, from, to orb.Point) (orb.LineString, error) {
	g, err := n.graph(mode)
	if err != nil {
		return nil, err
	}
	fe := &FarError{Mode: mode, MaxSnapM: n.opts.MaxSnapM}
	src := n.snapAll(g, "from", []roster.Location{{Lat: from.Lat(), Lon: from.Lon()}}, fe)
	dst := n.snapAll(g, "to", []roster.Location{{Lat: to.Lat(), Lon: to.Lon()}}, fe)
	if len(fe.Far) > 0 {
		return nil, fe
	}
	t, _ := g.tracers.Get().(*tracer)
	if t == nil {
		t = &tracer{s: newSearch(n, g)}
		t.want = make([]bool, t.s.vertices())
		t.s.pred = make([]int32, t.s.vertices())
	}
	defer g.tracers.Put(t)
	line, ok := n.trace(t, g, src[0], dst[0], orb.LineString{from})
	if !ok {
		// The graph keeps one strongly connected part, so every snapped
		// place reaches every other: this marks a fault, reported as the
		// tables report it.
		return nil, &geo.UnreachableError{Mode: mode, Count: 1, Pairs: []geo.Pair{{FromAt: roster.Location{Lat: from.Lat(), Lon: from.Lon()}, ToAt: roster.Location{Lat: to.Lat(), Lon: to.Lon()}}}}
	}
	line = appendPoint(line, to)
	if len(line) < 2 {
		// From a place to itself: a line of no length.
		line = append(line, to)
	}
	return line, nil
}

// trace searches from src to dst and appends the way's points to line; ok
// is false if the search does not reach dst.
func (n *Network) trace(t *tracer, g *modeGraph, src, dst snap, line orb.LineString) (_ orb.LineString, ok bool) {
	s := t.s
	de := n.edges[dst.edge]
	// The target's edge's entries the search must settle, as the tables
	// mark them.
	marked := n.entries(g, dst)
	for _, v := range marked {
		t.want[v] = true
	}
	s.run(n, src, t.want, len(marked))
	for _, v := range marked {
		t.want[v] = false
	}
	ms, _, via := s.toVia(n, src, dst)
	if ms == unreached {
		return line, false
	}
	if via == viaAlong {
		return n.along(src.edge, src.offM, dst.offM, line), true
	}
	if s.t != nil {
		return n.traceTurns(s, src, dst, via, line), true
	}
	sg := s.g
	end := de.from
	if via == viaTo {
		end = de.to
	}
	// Walk back from the junction the way enters the target's edge by to
	// the first junction, reached along the source's edge.
	var arcs []int32
	v := end
	for s.pred[v] != fromSource {
		k := s.pred[v]
		arcs = append(arcs, k)
		v = n.tail(sg, k)
	}
	se := n.edges[src.edge]
	if v == se.to && (v != se.from || n.leftForwards(s, src, v)) {
		line = n.along(src.edge, src.offM, se.lenM, line)
	} else {
		line = n.along(src.edge, src.offM, 0, line)
	}
	for i := len(arcs) - 1; i >= 0; i-- {
		k := arcs[i]
		e := sg.arcEdge[k]
		if n.edges[e].to == sg.head[k] {
			line = n.along(e, 0, n.edges[e].lenM, line)
		} else {
			line = n.along(e, n.edges[e].lenM, 0, line)
		}
	}
	if via == viaFrom {
		return n.along(dst.edge, 0, dst.offM, line), true
	}
	return n.along(dst.edge, de.lenM, dst.offM, line), true
}

// traceTurns appends the way a search on a turn-expanded graph found from
// src to dst, which enters dst's edge by via (viaFrom or viaTo): back from
// the state it enters by, turn by turn, to the turn off the source's
// edge.
func (n *Network) traceTurns(s *search, src, dst snap, via arrival, line orb.LineString) orb.LineString {
	end := stateOf(dst.edge, via == viaFrom)
	var states []int32 // travelled whole, last first
	v := end
	for s.pred[v] >= 0 {
		v = s.t.tail[s.pred[v]]
		states = append(states, v)
	}
	se := n.edges[src.edge]
	if s.pred[v] == fromSource {
		line = n.along(src.edge, src.offM, se.lenM, line)
	} else {
		line = n.along(src.edge, src.offM, 0, line)
	}
	for i := len(states) - 1; i >= 0; i-- {
		e := states[i] / 2
		if states[i]%2 == 0 {
			line = n.along(e, 0, n.edges[e].lenM, line)
		} else {
			line = n.along(e, n.edges[e].lenM, 0, line)
		}
	}
	de := n.edges[dst.edge]
	if via == viaFrom {
		return n.along(dst.edge, 0, dst.offM, line)
	}
	return n.along(dst.edge, de.lenM, dst.offM, line)
}

// tail is the junction arc k leaves.
func (n *Network) tail(g *modeGraph, k int32) int32 {
	e := n.edges[g.arcEdge[k]]
	if e.to == g.head[k] {
		return e.from
	}
	return e.to
}

// leftForwards reports, for a source on a loop (an edge from a junction
// back to itself), whether the search left it forwards: whether v's label
// is the forward leaving's time.
func (n *Network) leftForwards(s *search, src snap, v int32) bool {
	t := s.g.fwd[src.edge]
	if t < 0 {
		return false
	}
	rest := 1 - share(src.offM, n.edges[src.edge].lenM)
	ms, _ := s.label(v)
	return ms == int32(math.Round(rest*float64(t)))
}

// along appends the points of edge e from fromM to toM metres along it
// (backwards when toM < fromM), both ends included.
func (n *Network) along(e int32, fromM, toM float64, line orb.LineString) orb.LineString {
	lo, hi := min(fromM, toM), max(fromM, toM)
	var part orb.LineString
	part = append(part, n.pointAt(e, lo))
	acc := 0.0
	for at := n.geomOff[e]; at+1 < n.geomOff[e+1]; at++ {
		a, b := n.geom[at], n.geom[at+1]
		acc += distanceM(n.lat[a], n.lon[a], n.lat[b], n.lon[b])
		if acc > lo && acc < hi {
			part = append(part, orb.Point{n.lon[b], n.lat[b]})
		}
	}
	part = append(part, n.pointAt(e, hi))
	if toM < fromM {
		slices.Reverse(part)
	}
	for _, p := range part {
		line = appendPoint(line, p)
	}
	return line
}

// pointAt is the point offM metres along edge e.
func (n *Network) pointAt(e int32, offM float64) orb.Point {
	acc := 0.0
	first, last := n.geomOff[e], n.geomOff[e+1]-1
	for at := first; at < last; at++ {
		a, b := n.geom[at], n.geom[at+1]
		d := distanceM(n.lat[a], n.lon[a], n.lat[b], n.lon[b])
		if offM <= acc+d || at+1 == last {
			f := 0.0
			if d > 0 {
				f = math.Min(1, math.Max(0, (offM-acc)/d))
			}
			return orb.Point{n.lon[a] + f*(n.lon[b]-n.lon[a]), n.lat[a] + f*(n.lat[b]-n.lat[a])}
		}
		acc += d
	}
	p := n.geom[first]
	return orb.Point{n.lon[p], n.lat[p]}
}

// appendPoint appends p unless the line already ends there.
func appendPoint(line orb.LineString, p orb.Point) orb.LineString {
	if len(line) > 0 && line[len(line)-1] == p {
		return line
	}
	return append(line, p)
}
