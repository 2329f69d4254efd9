package locality

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/paulmach/orb"
	"github.com/rounds-dev/rounds/roster"
)

// earthRadiusM is the Earth's mean radius, for the local projection.
const earthRadiusM = 6371008.8

// projection is a local equirectangular projection: metres east and
// north of a centre, true enough across a district.
type projection struct {
	lon0, lat0, kx, ky float64
}

func newProjection(centre orb.Point) projection {
	ky := earthRadiusM * math.Pi / 180
	return projection{lon0: centre[0], lat0: centre[1], ky: ky, kx: ky * math.Cos(centre[1]*math.Pi/180)}
}

func (p projection) toXY(ll orb.Point) orb.Point {
	return orb.Point{(ll[0] - p.lon0) * p.kx, (ll[1] - p.lat0) * p.ky}
}

func (p projection) toLonLat(xy orb.Point) orb.Point {
	return orb.Point{p.lon0 + xy[0]/p.kx, p.lat0 + xy[1]/p.ky}
}

// hexKey is a cell's axial coordinates on the hexagonal lattice.
type hexKey struct{ q, r int }

// hexDirs are the axial steps to the six neighbours; hexDirs[e] lies
// across edge e, which runs from corner e to corner e+1, and corner e is
// at 60e-30 degrees from east (the cells are pointy-topped).
var hexDirs = [6]hexKey{{1, 0}, {0, 1}, {-1, 1}, {-1, 0}, {0, -1}, {1, -1}}

// hexCorners are the corners in the vertex lattice, whose units are half
// the width of a cell east and a quarter of its height north, so that
// neighbouring cells share their corners exactly.
var hexCorners = [6][2]int{{1, -1}, {1, 1}, {0, 2}, {-1, 1}, {-1, -1}, {0, -2}}

// Grid is the hexagonal grid of small units that proposals are built
// from. It covers every client's cell and one ring of cells around them,
// and, where groups of cells lie apart, a line of cells joining them, so
// that areas can join across empty ground and the grid is connected.
type Grid struct {
	// CellM is the distance between neighbouring cells' centres, metres.
	CellM float64
	// Origin is the centre of the local projection, lon/lat.
	Origin  orb.Point
	Clients []Client
	Cells   []Cell
	// ClientCell is the cell of each client.
	ClientCell []int
	// Hours is the clients' weekly hours.
	Hours float64

	proj  projection
	index map[hexKey]int
}

// Cell is one unit of the grid.
type Cell struct {
	Q, R int // axial coordinates on the lattice
	// X and Y are the centre, metres east and north of the grid's origin.
	X, Y float64
	// Centre is the centre in lon/lat.
	Centre orb.Point
	// Hours are the weekly hours of the cell's clients.
	Hours float64
	// Clients are the indexes of the cell's clients in the grid's clients.
	Clients []int
	// Neighbours[e] is the cell across edge e, or -1 where the grid ends.
	Neighbours [6]int
}

// maxLatticeCells bounds the work of building a grid: a cell size far too
// small for the district's spread is refused rather than run for ever.
const maxLatticeCells = 4_000_000

// NewGrid lays a hexagonal grid of cells cellM metres apart over the
// clients, in a local projection around the centre of their places: the
// cells holding clients, the ring around them, and the cells that join
// groups of them that lie apart.
func NewGrid(clients []Client, cellM float64) (*Grid, error) {
	return newGrid(clients, cellM, 0)
}

// newGrid lays the grid of NewGrid and, when coverM is more than cellM,
// also every cell whose centre lies in a cell of the coarser lattice
// coverM apart that holds clients or touches one that does.
func newGrid(clients []Client, cellM, coverM float64) (*Grid, error) {
	if len(clients) == 0 {
		return nil, errors.New("a grid needs at least one client")
	}
	if !(cellM > 0) || math.IsInf(cellM, 0) {
		return nil, fmt.Errorf("cell size %g m: want a positive number of metres", cellM)
	}
	if err := checkClients(clients); err != nil {
		return nil, err
	}
	g := &Grid{CellM: cellM, Clients: clients, ClientCell: make([]int, len(clients))}
	b := clientBound(clients)
	g.Origin = b.Center()
	g.proj = newProjection(g.Origin)
	lo, hi := g.proj.toXY(b.Min), g.proj.toXY(b.Max)
	if cells := (hi[0] - lo[0] + cellM) * (hi[1] - lo[1] + cellM) / (math.Sqrt(3) / 2 * cellM * cellM); cells > maxLatticeCells {
		return nil, fmt.Errorf("cell size %g m: the clients' area would hold about %.0f cells, more than %d; choose larger cells", cellM, cells, maxLatticeCells)
	}

	keys := make([]hexKey, len(clients))
	set := map[hexKey]bool{}
	for i := range clients {
		keys[i] = g.keyOf(g.clientXY(i))
		set[keys[i]] = true
	}
	addRing(set)
	if coverM > cellM {
		if err := g.cover(set, coverM); err != nil {
			return nil, err
		}
	}
	if err := bridge(set); err != nil {
		return nil, err
	}
	all := sortedKeys(set)
	g.Cells = make([]Cell, len(all))
	g.index = make(map[hexKey]int, len(all))
	for i, k := range all {
		g.index[k] = i
		xy := g.centreXY(k)
		g.Cells[i] = Cell{Q: k.q, R: k.r, X: xy[0], Y: xy[1], Centre: g.proj.toLonLat(xy)}
	}
	for i, k := range all {
		for e, d := range hexDirs {
			n, ok := g.index[hexKey{k.q + d.q, k.r + d.r}]
			if !ok {
				n = -1
			}
			g.Cells[i].Neighbours[e] = n
		}
	}
	for i := range clients {
		c := g.index[keys[i]]
		g.ClientCell[i] = c
		g.Cells[c].Clients = append(g.Cells[c].Clients, i)
		g.Cells[c].Hours += clients[i].WeeklyHours
		g.Hours += clients[i].WeeklyHours
	}
	return g, nil
}

// cover adds to set the cells whose centres lie in the cells of the
// lattice coverM apart that hold clients or touch one that does, or
// join such cells that lie apart.
func (g *Grid) cover(set map[hexKey]bool, coverM float64) error {
	coarse := Grid{CellM: coverM}
	big := map[hexKey]bool{}
	for i := range g.Clients {
		big[coarse.keyOf(g.clientXY(i))] = true
	}
	addRing(big)
	// Joined on the coarse lattice, the cover is one piece, and so,
	// nearly always, is the grid: bridging the fine cells then has little
	// left to do.
	if err := bridge(big); err != nil {
		return err
	}
	reach := int(math.Ceil(coverM/g.CellM)) + 1
	for ck := range big {
		centre := g.keyOf(coarse.centreXY(ck))
		for dq := -reach; dq <= reach; dq++ {
			for dr := max(-reach, -dq-reach); dr <= min(reach, -dq+reach); dr++ {
				k := hexKey{centre.q + dq, centre.r + dr}
				if coarse.keyOf(g.centreXY(k)) == ck {
					set[k] = true
				}
			}
		}
	}
	return nil
}

// checkClients refuses places that are not longitudes and latitudes and
// hours that are not positive.
func checkClients(clients []Client) error {
	var errs roster.FieldErrors
	for i, c := range clients {
		l := c.Location
		if !(l.Lat >= -90 && l.Lat <= 90 && l.Lon >= -180 && l.Lon <= 180) {
			errs = append(errs, roster.FieldError{Path: fmt.Sprintf("clients[%d].location", i), Reason: "is not a latitude and longitude"})
		}
		if !(c.WeeklyHours > 0) || math.IsInf(c.WeeklyHours, 0) {
			errs = append(errs, roster.FieldError{Path: fmt.Sprintf("clients[%d].weekly_hours", i), Reason: fmt.Sprintf("%g: want a positive number of hours", c.WeeklyHours)})
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

func clientBound(clients []Client) orb.Bound {
	b := orb.Bound{Min: orb.Point{clients[0].Location.Lon, clients[0].Location.Lat}}
	b.Max = b.Min
	for _, c := range clients {
		b = b.Extend(orb.Point{c.Location.Lon, c.Location.Lat})
	}
	return b
}

func (g *Grid) clientXY(i int) orb.Point {
	l := g.Clients[i].Location
	return g.proj.toXY(orb.Point{l.Lon, l.Lat})
}

// side is a cell's corner-to-corner radius.
func (g *Grid) side() float64 { return g.CellM / math.Sqrt(3) }

func (g *Grid) centreXY(k hexKey) orb.Point {
	s := g.side()
	return orb.Point{s * math.Sqrt(3) * (float64(k.q) + float64(k.r)/2), s * 1.5 * float64(k.r)}
}

// keyOf is the cell holding a point in metres.
func (g *Grid) keyOf(p orb.Point) hexKey {
	s := g.side()
	q := (math.Sqrt(3)/3*p[0] - p[1]/3) / s
	r := (2.0 / 3 * p[1]) / s
	return hexRound(q, r)
}

// hexRound rounds fractional axial coordinates to the nearest cell.
func hexRound(q, r float64) hexKey {
	x, z := q, r
	y := -x - z
	rx, ry, rz := math.Round(x), math.Round(y), math.Round(z)
	dx, dy, dz := math.Abs(rx-x), math.Abs(ry-y), math.Abs(rz-z)
	switch {
	case dx > dy && dx > dz:
		rx = -ry - rz
	case dy > dz:
	default:
		rz = -rx - ry
	}
	return hexKey{int(rx), int(rz)}
}

// cornerLonLat is a corner of the vertex lattice in lon/lat. A corner
// shared by several cells comes out the same, bit for bit, from each.
func (g *Grid) cornerLonLat(v [2]int) orb.Point {
	s := g.side()
	return g.proj.toLonLat(orb.Point{float64(v[0]) * s * math.Sqrt(3) / 2, float64(v[1]) * s / 2})
}

// cornerOf is corner e of cell k in the vertex lattice.
func cornerOf(k hexKey, e int) [2]int {
	return [2]int{2*k.q + k.r + hexCorners[e][0], 3*k.r + hexCorners[e][1]}
}

// Polygon is a cell's outline in lon/lat.
func (g *Grid) Polygon(c int) orb.Polygon {
	k := hexKey{g.Cells[c].Q, g.Cells[c].R}
	ring := make(orb.Ring, 7)
	for e := 0; e < 6; e++ {
		ring[e] = g.cornerLonLat(cornerOf(k, e))
	}
	ring[6] = ring[0]
	return orb.Polygon{ring}
}

// bridge adds cells to join groups of cells that lie apart: a search
// outwards from every group at once, joining two groups by the cells
// between them where their searches meet, nearest first.
func bridge(set map[hexKey]bool) error {
	type visit struct {
		group  int
		parent hexKey
	}
	keys := sortedKeys(set)
	// Groups of touching cells.
	group := map[hexKey]int{}
	groups := 0
	for _, k := range keys {
		if _, ok := group[k]; ok {
			continue
		}
		stack := []hexKey{k}
		group[k] = groups
		for len(stack) > 0 {
			u := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, d := range hexDirs {
				n := hexKey{u.q + d.q, u.r + d.r}
				if _, seen := group[n]; set[n] && !seen {
					group[n] = groups
					stack = append(stack, n)
				}
			}
		}
		groups++
	}
	if groups == 1 {
		return nil
	}
	uf := make([]int, groups)
	for i := range uf {
		uf[i] = i
	}
	find := func(i int) int {
		for uf[i] != i {
			uf[i] = uf[uf[i]]
			i = uf[i]
		}
		return i
	}
	seen := make(map[hexKey]visit, len(keys))
	queue := make([]hexKey, 0, len(keys))
	for _, k := range keys {
		seen[k] = visit{group[k], k}
		queue = append(queue, k)
	}
	back := func(k hexKey) {
		for {
			v := seen[k]
			set[k] = true
			if v.parent == k {
				return
			}
			k = v.parent
		}
	}
	left := groups
	for h := 0; h < len(queue) && left > 1; h++ {
		u := queue[h]
		vu := seen[u]
		for _, d := range hexDirs {
			n := hexKey{u.q + d.q, u.r + d.r}
			vn, ok := seen[n]
			if !ok {
				if len(seen) >= maxLatticeCells {
					return errors.New("the cell size is too small for how far apart the clients live: choose larger cells")
				}
				seen[n] = visit{vu.group, u}
				queue = append(queue, n)
				continue
			}
			a, b := find(vu.group), find(vn.group)
			if a != b {
				uf[max(a, b)] = min(a, b)
				left--
				back(u)
				back(n)
			}
		}
	}
	return nil
}

// cellsPerLocality is how many cells of the cover the automatic grid
// aims to give each locality: the cover is the area the grid spans.
const cellsPerLocality = 40

// minCellM is the smallest automatic cell size, finer than a street of
// homes: smaller cells would only make a grid slow to build.
const minCellM = 50.0

// maxCellShare is the most of a locality's mean hours the automatic cell
// size lets one cell hold, so that dense town centres are cut finely
// enough for borders to balance hours without reaching far out.
const maxCellShare = 0.05

// maxCoverRatio bounds how many times finer than the cover the automatic
// cells may be, and so the number of cells: at most its square times the
// cover's.
const maxCoverRatio = 6

// GridFor lays the grid to divide into k localities: NewGrid's with cells
// cellM apart, or when cellM is 0 an automatic grid. Its cells are
// CellSize apart, and it spans the cells of a coarser lattice, CoverSize
// apart, that hold clients and the ring of those around them, so that
// localities drawn on it cover the district's ground rather than just the
// clients' streets.
func GridFor(clients []Client, k int, cellM float64) (*Grid, error) {
	if cellM != 0 {
		return NewGrid(clients, cellM)
	}
	if len(clients) == 0 {
		return nil, errors.New("a grid needs at least one client")
	}
	if err := checkClients(clients); err != nil {
		return nil, err
	}
	sz := newGridSizer(clients)
	cover := sz.cover(k)
	return newGrid(clients, sz.cell(k, cover), cover)
}

// CoverSize is the spacing, metres, of the lattice whose cells holding
// clients, with their ring, make the area GridFor's grid spans: about 40
// of its cells for each of k localities.
func CoverSize(clients []Client, k int) float64 {
	if len(clients) == 0 || k < 1 {
		return 0
	}
	return newGridSizer(clients).cover(k)
}

// CellSize is the cell size, in metres, of GridFor's grid for k
// localities: the largest at most CoverSize (and at least minCellM, and
// at least a maxCoverRatio-th of CoverSize) at which no cell holds more
// than maxCellShare of a locality's mean hours, or one and a half times
// the heaviest client's, if more.
func CellSize(clients []Client, k int) float64 {
	if len(clients) == 0 || k < 1 {
		return 0
	}
	sz := newGridSizer(clients)
	return sz.cell(k, sz.cover(k))
}

// gridSizer chooses an automatic grid's sizes from the clients' places in
// metres, projected once.
type gridSizer struct {
	clients []Client
	xy      []orb.Point
	// reachM bounds the sizes tried: four times the clients' spread.
	reachM float64
}

func newGridSizer(clients []Client) *gridSizer {
	b := clientBound(clients)
	pr := newProjection(b.Center())
	sz := &gridSizer{clients: clients, xy: make([]orb.Point, len(clients))}
	for i, c := range clients {
		sz.xy[i] = pr.toXY(orb.Point{c.Location.Lon, c.Location.Lat})
	}
	ext := pr.toXY(b.Max)
	sz.reachM = 4 * math.Hypot(ext[0], ext[1])
	return sz
}

// cover is CoverSize.
func (sz *gridSizer) cover(k int) float64 {
	return sz.largest(func(cellM float64) bool {
		g := Grid{CellM: cellM}
		set := map[hexKey]bool{}
		for _, p := range sz.xy {
			set[g.keyOf(p)] = true
		}
		addRing(set)
		return len(set) >= cellsPerLocality*k
	})
}

// cell is CellSize, given the cover's spacing.
func (sz *gridSizer) cell(k int, cover float64) float64 {
	mean, single := 0.0, 0.0
	for _, c := range sz.clients {
		mean += c.WeeklyHours
		single = math.Max(single, c.WeeklyHours)
	}
	mean /= float64(k)
	bound := math.Max(maxCellShare*mean, 1.5*single)
	light := func(cellM float64) bool {
		if cellM > cover {
			return false
		}
		g := Grid{CellM: cellM}
		hours := map[hexKey]float64{}
		for i, p := range sz.xy {
			key := g.keyOf(p)
			hours[key] += sz.clients[i].WeeklyHours
			if hours[key] > bound {
				return false
			}
		}
		return true
	}
	return math.Max(sz.largest(light), math.Max(minCellM, cover/maxCoverRatio))
}

// largest is, to 1%, the largest cell size from minCellM to reachM for
// which fits holds, fits holding for all sizes below one for which it
// holds; minCellM if none.
func (sz *gridSizer) largest(fits func(cellM float64) bool) float64 {
	lo, hi := minCellM, math.Max(2*minCellM, sz.reachM)
	for range 40 {
		mid := math.Sqrt(lo * hi)
		if fits(mid) {
			lo = mid
		} else {
			hi = mid
		}
		if hi/lo < 1.01 {
			break
		}
	}
	return math.Round(lo)
}

// addRing adds to set the ring of cells around the cells it holds.
func addRing(set map[hexKey]bool) {
	occ := make([]hexKey, 0, len(set))
	for k := range set {
		occ = append(occ, k)
	}
	for _, k := range occ {
		for _, d := range hexDirs {
			set[hexKey{k.q + d.q, k.r + d.r}] = true
		}
	}
}

// sortedKeys are the cells of set by row, then column: an order that does
// not depend on the map's.
func sortedKeys(set map[hexKey]bool) []hexKey {
	keys := make([]hexKey, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].r != keys[j].r {
			return keys[i].r < keys[j].r
		}
		return keys[i].q < keys[j].q
	})
	return keys
}
