package road

import (
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"
)

// Street is a stretch of one way of the extract: its highway class (the
// OpenStreetMap value, e.g. "residential") and its line, longitude first.
type Street struct {
	Highway string
	Line    orb.LineString
}

// TooManyPointsError is returned by Streets for a box whose streets would
// take more points than allowed, even simplified.
type TooManyPointsError struct {
	Max int
}

func (e *TooManyPointsError) Error() string {
	return fmt.Sprintf("road: the streets in the box take more than %d points even simplified; ask for a smaller box", e.Max)
}

// StreetDetail is the share of the box's larger side below which Streets
// leaves out detail: about a pixel of a map 2000 pixels across.
const StreetDetail = 1.0 / 2000

// Streets returns the streets with some part in bound, whatever modes may
// use them, simplified (Douglas-Peucker, on degrees) to StreetDetail of
// the bound's larger side: the runs of one way between places where it
// meets another come back as one line. More than maxPoints points in all
// is a *TooManyPointsError.
func (n *Network) Streets(bound orb.Bound, maxPoints int) ([]Street, error) {
	if n.grid == nil {
		return nil, nil
	}
	g := n.grid
	// The cells the bound covers hold every segment that may cross it.
	c0, r0 := g.cell(bound.Min.Lat(), bound.Min.Lon())
	c1, r1 := g.cell(bound.Max.Lat(), bound.Max.Lon())
	var picked []int32
	for r := r0; r <= r1; r++ {
		for c := c0; c <= c1; c++ {
			cell := r*g.cols + c
			picked = append(picked, g.segEdge[g.cellOff[cell]:g.cellOff[cell+1]]...)
		}
	}
	slices.Sort(picked)
	picked = slices.Compact(picked)

	dp := simplify.DouglasPeucker(math.Max(bound.Max.Lon()-bound.Min.Lon(), bound.Max.Lat()-bound.Min.Lat()) * StreetDetail)
	var out []Street
	points := 0
	flush := func(s Street) error {
		if len(s.Line) < 2 {
			return nil
		}
		s.Line = dp.LineString(s.Line)
		if points += len(s.Line); points > maxPoints {
			return &TooManyPointsError{Max: maxPoints}
		}
		out = append(out, s)
		return nil
	}
	var cur Street
	last := int32(-1)
	for _, e := range picked {
		line := make(orb.LineString, 0, n.geomOff[e+1]-n.geomOff[e])
		for _, p := range n.geom[n.geomOff[e]:n.geomOff[e+1]] {
			line = append(line, orb.Point{n.lon[p], n.lat[p]})
		}
		if !line.Bound().Intersects(bound) {
			continue
		}
		class := n.classes[n.edgeClass[e]]
		// A way is cut into edges at junctions, numbered in its order:
		// an edge that carries on from the last one joins its line.
		if e == last+1 && class == cur.Highway && n.geom[n.geomOff[e]] == n.geom[n.geomOff[e]-1] {
			cur.Line = append(cur.Line, line[1:]...)
		} else {
			if err := flush(cur); err != nil {
				return nil, err
			}
			cur = Street{Highway: class, Line: line}
		}
		last = e
	}
	if err := flush(cur); err != nil {
		return nil, err
	}
	return out, nil
}

// highwayClasses numbers the highway values of a network's edges as it is
// built.
type highwayClasses struct {
	names []string
	index map[string]uint16
}

// of returns the number of highway value v. Extracts hold a few dozen
// values; past 65,535 distinct ones the rest share the last.
func (h *highwayClasses) of(v string) uint16 {
	if k, ok := h.index[v]; ok {
		return k
	}
	if len(h.names) == math.MaxUint16 {
		return math.MaxUint16 - 1
	}
	if h.index == nil {
		h.index = make(map[string]uint16)
	}
	k := uint16(len(h.names))
	h.names = append(h.names, v)
	h.index[v] = k
	return k
}
