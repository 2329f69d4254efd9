package road

import (
	"math"
)

// metresPerDegree is the length of one degree of latitude, metres.
const metresPerDegree = 6378137.0 * math.Pi / 180

// grid is a spatial index of the network's segments (consecutive points of
// an edge) in cells of about cellM metres.
type grid struct {
	n              *Network
	lat0, lon0     float64
	dLat, dLon     float64
	cols, rows     int
	cellM          float64
	cosMid         float64
	cellOff        []int32
	segEdge, segAt []int32 // segment k runs from geom[segAt[k]] to geom[segAt[k]+1] on edge segEdge[k]
}

// newGrid indexes every segment of the network.
func newGrid(n *Network) *grid {
	g := &grid{n: n}
	minLat, maxLat, minLon, maxLon := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for i := range n.lat {
		minLat, maxLat = min(minLat, n.lat[i]), max(maxLat, n.lat[i])
		minLon, maxLon = min(minLon, n.lon[i]), max(maxLon, n.lon[i])
	}
	cos := math.Max(math.Cos((minLat+maxLat)/2*math.Pi/180), 0.01)
	g.cosMid = cos
	g.cellM = 100
	for {
		g.dLat = g.cellM / metresPerDegree
		g.dLon = g.cellM / (metresPerDegree * cos)
		g.cols = int((maxLon-minLon)/g.dLon) + 1
		g.rows = int((maxLat-minLat)/g.dLat) + 1
		// The extract's points are on the globe, so doubling the cell
		// brings the grid under the bound within a few dozen rounds.
		if g.cols*g.rows <= 1<<22 {
			break
		}
		g.cellM *= 2
	}
	g.lat0, g.lon0 = minLat, minLon

	// Two passes: count each cell's segments, then place them.
	count := make([]int32, g.cols*g.rows+1)
	each := func(fn func(cell int, e, at int32)) {
		for e := range n.edges {
			for at := n.geomOff[e]; at+1 < n.geomOff[e+1]; at++ {
				a, b := n.geom[at], n.geom[at+1]
				c0, r0 := g.cell(min(n.lat[a], n.lat[b]), min(n.lon[a], n.lon[b]))
				c1, r1 := g.cell(max(n.lat[a], n.lat[b]), max(n.lon[a], n.lon[b]))
				if (c1-c0+1)*(r1-r0+1) <= 16 {
					for r := r0; r <= r1; r++ {
						for c := c0; c <= c1; c++ {
							fn(r*g.cols+c, int32(e), at)
						}
					}
					continue
				}
				// A long diagonal segment would fill its whole bounding
				// box: index the cells along it instead, with their
				// neighbours so that none it crosses is missed.
				g.along(n.lat[a], n.lon[a], n.lat[b], n.lon[b], func(cell int) { fn(cell, int32(e), at) })
			}
		}
	}
	each(func(cell int, _, _ int32) { count[cell+1]++ })
	for i := 1; i < len(count); i++ {
		count[i] += count[i-1]
	}
	g.cellOff = count
	total := count[len(count)-1]
	g.segEdge, g.segAt = make([]int32, total), make([]int32, total)
	next := make([]int32, g.cols*g.rows)
	copy(next, count[:g.cols*g.rows])
	each(func(cell int, e, at int32) {
		k := next[cell]
		next[cell]++
		g.segEdge[k], g.segAt[k] = e, at
	})
	return g
}

// along calls fn once for each cell within one cell of the segment from
// (lat1, lon1) to (lat2, lon2), sampling it every half cell.
func (g *grid) along(lat1, lon1, lat2, lon2 float64, fn func(cell int)) {
	steps := int(2*math.Max(math.Abs(lat2-lat1)/g.dLat, math.Abs(lon2-lon1)/g.dLon)) + 1
	seen := make(map[int]bool)
	for i := 0; i <= steps; i++ {
		f := float64(i) / float64(steps)
		c, r := g.cell(lat1+f*(lat2-lat1), lon1+f*(lon2-lon1))
		for dr := -1; dr <= 1; dr++ {
			for dc := -1; dc <= 1; dc++ {
				cc, rr := c+dc, r+dr
				if cc < 0 || cc >= g.cols || rr < 0 || rr >= g.rows {
					continue
				}
				if k := rr*g.cols + cc; !seen[k] {
					seen[k] = true
					fn(k)
				}
			}
		}
	}
}

// cell returns the column and row of a point, clamped to the grid.
func (g *grid) cell(lat, lon float64) (col, row int) {
	col = int((lon - g.lon0) / g.dLon)
	row = int((lat - g.lat0) / g.dLat)
	return min(max(col, 0), g.cols-1), min(max(row, 0), g.rows-1)
}

// snap is a location placed on the network: on edge, offM metres from the
// edge's start, distM metres from where it was given.
type snap struct {
	edge  int32
	offM  float64
	distM float64
}

// maxRings bounds the ring search; a location further from every road
// than this many cells is measured against every segment instead.
const maxRings = 40

// nearest snaps a location to the closest segment of an edge the mode can
// use; ok is false only when the mode has no usable edge at all.
func (g *grid) nearest(mg *modeGraph, lat, lon float64) (s snap, ok bool) {
	best := snap{edge: -1, distM: math.Inf(1)}
	bestAt := int32(-1)
	bestT := 0.0
	cos := math.Cos(lat * math.Pi / 180)
	try := func(k int32) {
		e := g.segEdge[k]
		if !mg.snappable(e) {
			return
		}
		at := g.segAt[k]
		d, t := g.segmentDistance(at, lat, lon, cos)
		if d < best.distM {
			best.distM, best.edge, bestAt, bestT = d, e, at, t
		}
	}
	qc, qr := g.cell(lat, lon)
	// How far outside the grid the location lies, in cells: the rings
	// before that are empty.
	outC := math.Max(0, math.Max(g.lon0-lon, lon-(g.lon0+float64(g.cols)*g.dLon))) / g.dLon
	outR := math.Max(0, math.Max(g.lat0-lat, lat-(g.lat0+float64(g.rows)*g.dLat))) / g.dLat
	outside := math.Max(outC, outR)
	// A cell is cellM high, and as wide at the grid's middle latitude;
	// nearer the pole it is narrower, so rings are counted in the smaller.
	cellM := g.cellM * math.Min(1, cos/g.cosMid)
	searched := false
	if outside < maxRings {
		for r := 0; r <= maxRings; r++ {
			g.ring(qc, qr, r, func(cell int) {
				for k := g.cellOff[cell]; k < g.cellOff[cell+1]; k++ {
					try(k)
				}
			})
			// Cells in the next ring are at least r cells away from the
			// ring's centre; from a place outside the grid, at least
			// hypot(r, outside) cells.
			if best.edge >= 0 && best.distM <= math.Hypot(float64(r), outside)*cellM {
				searched = true
				break
			}
			if r >= g.cols && r >= g.rows {
				searched = true
				break
			}
		}
	}
	if !searched {
		for k := range g.segEdge {
			try(int32(k))
		}
	}
	if best.edge < 0 {
		return best, false
	}
	// The offset along the edge: the edge's length up to the segment, plus
	// the share of the segment before the foot of the perpendicular.
	n := g.n
	for at := n.geomOff[best.edge]; at < bestAt; at++ {
		a, b := n.geom[at], n.geom[at+1]
		best.offM += distanceM(n.lat[a], n.lon[a], n.lat[b], n.lon[b])
	}
	a, b := n.geom[bestAt], n.geom[bestAt+1]
	best.offM += bestT * distanceM(n.lat[a], n.lon[a], n.lat[b], n.lon[b])
	best.offM = math.Min(best.offM, n.edges[best.edge].lenM)
	return best, true
}

// ring calls fn for every cell on the square ring r cells from (qc, qr)
// that lies inside the grid.
func (g *grid) ring(qc, qr, r int, fn func(cell int)) {
	visit := func(c, rr int) {
		if c >= 0 && c < g.cols && rr >= 0 && rr < g.rows {
			fn(rr*g.cols + c)
		}
	}
	if r == 0 {
		visit(qc, qr)
		return
	}
	for c := qc - r; c <= qc+r; c++ {
		visit(c, qr-r)
		visit(c, qr+r)
	}
	for rr := qr - r + 1; rr <= qr+r-1; rr++ {
		visit(qc-r, rr)
		visit(qc+r, rr)
	}
}

// segmentDistance returns how far a location is from the segment starting
// at geom[at], metres, and where along the segment (0 to 1) its nearest
// point lies. Over a few hundred metres a flat projection is exact enough.
func (g *grid) segmentDistance(at int32, lat, lon, cos float64) (distM, t float64) {
	n := g.n
	a, b := n.geom[at], n.geom[at+1]
	ax, ay := (n.lon[a]-lon)*cos*metresPerDegree, (n.lat[a]-lat)*metresPerDegree
	bx, by := (n.lon[b]-lon)*cos*metresPerDegree, (n.lat[b]-lat)*metresPerDegree
	dx, dy := bx-ax, by-ay
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = math.Min(1, math.Max(0, -(ax*dx+ay*dy)/l2))
	}
	px, py := ax+t*dx, ay+t*dy
	return math.Hypot(px, py), t
}
