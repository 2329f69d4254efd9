package locality

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/rounds-dev/rounds/roster"
)

// Boundaries are a boundary option: named localities, each a polygon or a
// multipolygon in lon/lat, that neither overlap nor cross themselves.
// Neighbouring localities may share borders.
type Boundaries struct {
	Names  []string
	Shapes []orb.MultiPolygon
	idx    []*shapeIndex
}

// newBoundaries indexes shapes for allocation. It does not check them;
// ReadBoundaries does.
func newBoundaries(names []string, shapes []orb.MultiPolygon) *Boundaries {
	b := &Boundaries{Names: names, Shapes: shapes, idx: make([]*shapeIndex, len(shapes))}
	for i, s := range shapes {
		b.idx[i] = newShapeIndex(s)
	}
	return b
}

// Len is the number of localities.
func (b *Boundaries) Len() int { return len(b.Shapes) }

// ReadBoundaries reads a GeoJSON FeatureCollection of Polygon and
// MultiPolygon features, each named by its "name" property (else its
// "id"), and checks them. Every problem found is returned together, as
// roster.FieldErrors with paths such as
// "features[3].geometry.coordinates[0]".
func ReadBoundaries(r io.Reader) (*Boundaries, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading boundaries: %w", err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(data)
	if err != nil {
		return nil, fmt.Errorf("boundaries are not a GeoJSON FeatureCollection: %w", err)
	}
	var errs roster.FieldErrors
	add := func(path, format string, args ...any) {
		errs = append(errs, roster.FieldError{Path: path, Reason: fmt.Sprintf(format, args...)})
	}
	if len(fc.Features) == 0 {
		add("features", "there are no localities")
	}
	names := make([]string, len(fc.Features))
	shapes := make([]orb.MultiPolygon, len(fc.Features))
	ok := make([]bool, len(fc.Features))
	seen := map[string]int{}
	for i, f := range fc.Features {
		base := fmt.Sprintf("features[%d]", i)
		name, npath := featureName(f)
		switch {
		case name == "":
			add(base+".properties.name", "the locality has no name (give a \"name\" or \"id\" property)")
		default:
			if j, dup := seen[name]; dup {
				add(base+npath, "%q is also the name of features[%d]", name, j)
			} else {
				seen[name] = i
			}
		}
		names[i] = name
		var mp orb.MultiPolygon
		multi := false
		switch g := f.Geometry.(type) {
		case nil:
			add(base+".geometry", "is missing, want a Polygon or MultiPolygon")
			continue
		case orb.Polygon:
			mp = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			mp, multi = g, true
		default:
			add(base+".geometry.type", "is %s, want Polygon or MultiPolygon", g.GeoJSONType())
			continue
		}
		path := func(p, r int) string {
			if multi {
				return fmt.Sprintf("%s.geometry.coordinates[%d][%d]", base, p, r)
			}
			return fmt.Sprintf("%s.geometry.coordinates[%d]", base, r)
		}
		n0 := len(errs)
		if len(mp) == 0 {
			add(base+".geometry.coordinates", "has no polygons")
		}
		for p, poly := range mp {
			if len(poly) == 0 {
				at := base + ".geometry.coordinates"
				if multi {
					at += fmt.Sprintf("[%d]", p)
				}
				add(at, "the polygon has no rings")
			}
			for r, ring := range poly {
				if why := ringProblem(ring); why != "" {
					add(path(p, r), "%s", why)
				}
			}
		}
		if len(errs) > n0 {
			continue
		}
		for p, poly := range mp {
			for r := 1; r < len(poly); r++ {
				if why := holeProblem(poly[0], poly[r]); why != "" {
					add(path(p, r), "%s", why)
				}
				for q := 1; q < r; q++ {
					if segmentsCross(ringSegments(poly[q]), ringSegments(poly[r]), true) {
						add(path(p, r), "the hole crosses hole %d", q)
					}
				}
			}
			for q := 0; q < p; q++ {
				if overlap(orb.MultiPolygon{mp[q]}, orb.MultiPolygon{poly}, nil, nil) {
					add(fmt.Sprintf("%s.geometry.coordinates[%d]", base, p), "the polygon overlaps polygon %d of the same locality", q)
				}
			}
		}
		if len(errs) > n0 {
			continue
		}
		shapes[i], ok[i] = mp, true
	}
	idx := make([]*shapeIndex, len(shapes))
	for i := range shapes {
		if ok[i] {
			idx[i] = newShapeIndex(shapes[i])
		}
	}
	for i := range shapes {
		for j := 0; j < i; j++ {
			if ok[i] && ok[j] && overlap(shapes[j], shapes[i], idx[j], idx[i]) {
				add(fmt.Sprintf("features[%d].geometry", i), "overlaps features[%d] (%q): localities may share borders but not ground", j, names[j])
			}
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return &Boundaries{Names: names, Shapes: shapes, idx: idx}, nil
}

// featureName is a feature's name and the path it came from.
func featureName(f *geojson.Feature) (string, string) {
	if s, ok := f.Properties["name"].(string); ok && s != "" {
		return s, ".properties.name"
	}
	for _, c := range []struct {
		v    any
		path string
	}{{f.ID, ".id"}, {f.Properties["id"], ".properties.id"}} {
		switch v := c.v.(type) {
		case string:
			if v != "" {
				return v, c.path
			}
		case float64:
			return strconv.FormatFloat(v, 'f', -1, 64), c.path
		}
	}
	return "", ""
}

// ringProblem says what is wrong with a ring, or "".
func ringProblem(r orb.Ring) string {
	if len(r) < 4 {
		return fmt.Sprintf("the ring has %d points, want at least 4 (three corners and the first again)", len(r))
	}
	if r[0] != r[len(r)-1] {
		return "the ring is not closed: its last point is not its first"
	}
	for k, p := range r {
		if !(p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90) {
			return fmt.Sprintf("point %d (%g, %g) is not a longitude and latitude", k, p[0], p[1])
		}
	}
	segs := ringSegments(r)
	if len(segs) < 3 {
		return "the ring has fewer than three distinct corners"
	}
	if a, b, found := selfCrossing(segs); found {
		return fmt.Sprintf("the ring crosses itself: the edges from point %d and from point %d meet", segs[a].from, segs[b].from)
	}
	if ringArea(r) == 0 {
		return "the ring encloses no area"
	}
	return ""
}

// holeProblem says what is wrong with a hole in a polygon with the shell,
// or "".
func holeProblem(shell, hole orb.Ring) string {
	if segmentsCross(ringSegments(shell), ringSegments(hole), true) {
		return "the hole crosses its polygon's outer ring"
	}
	si := newShapeIndex(orb.MultiPolygon{{shell}})
	for k, p := range hole {
		if si.locate(p) == outside {
			return fmt.Sprintf("the hole is outside its polygon's outer ring (point %d)", k)
		}
	}
	return ""
}

// overlap reports whether two shapes share ground: an edge of one crosses
// an edge of the other, a corner of one lies strictly inside the other, or
// a point inside one lies strictly inside the other (which finds two
// copies of one shape). Shapes that touch along borders do not overlap.
func overlap(a, b orb.MultiPolygon, ia, ib *shapeIndex) bool {
	if ia == nil {
		ia = newShapeIndex(a)
	}
	if ib == nil {
		ib = newShapeIndex(b)
	}
	if !ia.bound.Intersects(ib.bound) {
		return false
	}
	if segmentsCross(ia.segs, ib.segs, false) {
		return true
	}
	inside := func(m orb.MultiPolygon, other *shapeIndex) bool {
		for _, poly := range m {
			for _, ring := range poly {
				for _, p := range ring {
					if other.bound.Contains(p) && other.locate(p) == inside {
						return true
					}
				}
			}
			if p, ok := interiorPoint(poly); ok && other.locate(p) == inside {
				return true
			}
		}
		return false
	}
	return inside(a, ib) || inside(b, ia)
}

// Allocate puts each client in the first locality that holds their place
// (a place on a border shared by two localities goes to the first).
// byLocality[i] lists the indexes of the clients in locality i; clients in
// no locality are listed in unallocated, never dropped.
func (b *Boundaries) Allocate(clients []Client) (byLocality [][]int, unallocated []int) {
	idx := b.idx
	if len(idx) != len(b.Shapes) {
		// Boundaries built by hand rather than read: index them here.
		idx = newBoundaries(b.Names, b.Shapes).idx
	}
	byLocality = make([][]int, len(b.Shapes))
	for c := range clients {
		p := orb.Point{clients[c].Location.Lon, clients[c].Location.Lat}
		found := false
		for i, ix := range idx {
			if ix.bound.Contains(p) && ix.locate(p) != outside {
				byLocality[i] = append(byLocality[i], c)
				found = true
				break
			}
		}
		if !found {
			unallocated = append(unallocated, c)
		}
	}
	return byLocality, unallocated
}

// WriteGeoJSON writes the boundaries as a FeatureCollection, one feature a
// locality with its name and, when props is given, props[i] as further
// properties (the figures of a report, for a map).
func (b *Boundaries) WriteGeoJSON(w io.Writer, props []map[string]any) error {
	if props != nil && len(props) != len(b.Shapes) {
		return fmt.Errorf("writing boundaries: %d property sets for %d localities", len(props), len(b.Shapes))
	}
	fc := geojson.NewFeatureCollection()
	for i, s := range b.Shapes {
		var g orb.Geometry = s
		if len(s) == 1 {
			g = s[0]
		}
		f := geojson.NewFeature(g)
		if props != nil {
			for k, v := range props[i] {
				f.Properties[k] = v
			}
		}
		f.Properties["name"] = b.Names[i]
		fc.Append(f)
	}
	data, err := json.Marshal(fc)
	if err != nil {
		return fmt.Errorf("writing boundaries: %w", err)
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

// Compactness is the Polsby-Popper score of each locality.
func (b *Boundaries) Compactness() []float64 {
	out := make([]float64, len(b.Shapes))
	for i, s := range b.Shapes {
		out[i] = PolsbyPopper(s)
	}
	return out
}

// PolsbyPopper is 4πA/P², the shape's area against that of a circle with
// its perimeter: 1 for a circle, about 0.91 for a hexagon, near 0 for a
// long thin shape. Area and perimeter are measured in metres in a local
// projection centred on the shape.
func PolsbyPopper(mp orb.MultiPolygon) float64 {
	if len(mp) == 0 {
		return 0
	}
	pr := newProjection(mp.Bound().Center())
	area, perim := 0.0, 0.0
	for _, poly := range mp {
		for r, ring := range poly {
			m := make(orb.Ring, len(ring))
			for k, p := range ring {
				m[k] = pr.toXY(p)
			}
			a := math.Abs(ringArea(m))
			if r == 0 {
				area += a
			} else {
				area -= a
			}
			for k := 1; k < len(m); k++ {
				perim += math.Hypot(m[k][0]-m[k-1][0], m[k][1]-m[k-1][1])
			}
		}
	}
	if perim == 0 {
		return 0
	}
	return 4 * math.Pi * area / (perim * perim)
}

// ---- flat geometry ----

// segment is one edge of a ring; from is its first point's index in the
// ring as given, for messages.
type segment struct {
	a, b orb.Point
	from int
}

func (s segment) minX() float64 { return math.Min(s.a[0], s.b[0]) }
func (s segment) maxX() float64 { return math.Max(s.a[0], s.b[0]) }

// ringSegments are a closed ring's edges, skipping repeated points.
func ringSegments(r orb.Ring) []segment {
	var out []segment
	for k := 1; k < len(r); k++ {
		if r[k] != r[k-1] {
			out = append(out, segment{r[k-1], r[k], k - 1})
		}
	}
	return out
}

// ringArea is the signed area (positive anticlockwise) of a closed ring.
func ringArea(r orb.Ring) float64 {
	s := 0.0
	for k := 1; k < len(r); k++ {
		s += r[k-1][0]*r[k][1] - r[k][0]*r[k-1][1]
	}
	return s / 2
}

// orient is the sign of the turn a→b→c: 1 anticlockwise, -1 clockwise, 0
// in line.
func orient(a, b, c orb.Point) int {
	v := (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// onSegment reports whether p, in line with a and b, lies between them.
func onSegment(a, b, p orb.Point) bool {
	return math.Min(a[0], b[0]) <= p[0] && p[0] <= math.Max(a[0], b[0]) &&
		math.Min(a[1], b[1]) <= p[1] && p[1] <= math.Max(a[1], b[1])
}

// crossProperly reports whether two segments cross at a point inside
// both.
func crossProperly(s, t segment) bool {
	o1, o2 := orient(s.a, s.b, t.a), orient(s.a, s.b, t.b)
	o3, o4 := orient(t.a, t.b, s.a), orient(t.a, t.b, s.b)
	return o1*o2 < 0 && o3*o4 < 0
}

// meet reports whether two closed segments share any point.
func meet(s, t segment) bool {
	o1, o2 := orient(s.a, s.b, t.a), orient(s.a, s.b, t.b)
	o3, o4 := orient(t.a, t.b, s.a), orient(t.a, t.b, s.b)
	if o1*o2 < 0 && o3*o4 < 0 {
		return true
	}
	return (o1 == 0 && onSegment(s.a, s.b, t.a)) || (o2 == 0 && onSegment(s.a, s.b, t.b)) ||
		(o3 == 0 && onSegment(t.a, t.b, s.a)) || (o4 == 0 && onSegment(t.a, t.b, s.b))
}

// selfCrossing finds two edges of one ring that meet other than where
// neighbouring edges join, by a sweep along x.
func selfCrossing(segs []segment) (int, int, bool) {
	n := len(segs)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(i, j int) bool { return segs[order[i]].minX() < segs[order[j]].minX() })
	for oi, i := range order {
		maxX := segs[i].maxX()
		for _, j := range order[oi+1:] {
			if segs[j].minX() > maxX {
				break
			}
			a, b := min(i, j), max(i, j)
			s, t := segs[a], segs[b]
			if b == a+1 || (a == 0 && b == n-1) {
				// Neighbours share a corner; they are wrong only when they
				// double back along each other.
				shared, far := s.b, t.b
				other := s.a
				if b != a+1 {
					shared, far, other = s.a, t.a, s.b
				}
				if orient(other, shared, far) == 0 && onSegment(other, shared, far) || orient(other, shared, far) == 0 && onSegment(shared, far, other) {
					return a, b, true
				}
				continue
			}
			if meet(s, t) {
				return a, b, true
			}
		}
	}
	return 0, 0, false
}

// segmentsCross reports whether an edge of one set crosses an edge of the
// other: properly only, or, with touching, at any shared point.
func segmentsCross(a, b []segment, touching bool) bool {
	type tagged struct {
		s     segment
		first bool
	}
	all := make([]tagged, 0, len(a)+len(b))
	for _, s := range a {
		all = append(all, tagged{s, true})
	}
	for _, s := range b {
		all = append(all, tagged{s, false})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].s.minX() < all[j].s.minX() })
	for i := range all {
		maxX := all[i].s.maxX()
		for j := i + 1; j < len(all) && all[j].s.minX() <= maxX; j++ {
			if all[i].first == all[j].first {
				continue
			}
			if touching && meet(all[i].s, all[j].s) || !touching && crossProperly(all[i].s, all[j].s) {
				return true
			}
		}
	}
	return false
}

// interiorPoint is a point strictly inside a polygon: the middle of the
// widest stretch inside along a line across its middle.
func interiorPoint(poly orb.Polygon) (orb.Point, bool) {
	var ys []float64
	for _, ring := range poly {
		for _, p := range ring {
			ys = append(ys, p[1])
		}
	}
	sort.Float64s(ys)
	m := len(ys) / 2
	y := math.NaN()
	for d := 0; d < len(ys) && math.IsNaN(y); d++ {
		for _, k := range []int{m + d, m - d - 1} {
			if k >= 0 && k+1 < len(ys) && ys[k] != ys[k+1] {
				y = (ys[k] + ys[k+1]) / 2
				break
			}
		}
	}
	if math.IsNaN(y) {
		return orb.Point{}, false
	}
	var xs []float64
	for _, ring := range poly {
		for k := 1; k < len(ring); k++ {
			a, b := ring[k-1], ring[k]
			if (a[1] > y) != (b[1] > y) {
				xs = append(xs, a[0]+(y-a[1])*(b[0]-a[0])/(b[1]-a[1]))
			}
		}
	}
	sort.Float64s(xs)
	best, bx := 0.0, 0.0
	for k := 0; k+1 < len(xs); k += 2 {
		if w := xs[k+1] - xs[k]; w > best {
			best, bx = w, (xs[k]+xs[k+1])/2
		}
	}
	if best == 0 {
		return orb.Point{}, false
	}
	return orb.Point{bx, y}, true
}

// place is where a point lies against a shape.
type place int

const (
	outside place = iota
	border
	inside
)

// shapeIndex finds where points lie against a shape quickly: its edges
// sorted into horizontal bands, so a point meets only the edges of its
// band.
type shapeIndex struct {
	bound     orb.Bound
	segs      []segment
	bands     [][]int32
	y0, bandH float64
	partOf    []int32 // the polygon of each edge
	nPolygons int
}

func newShapeIndex(mp orb.MultiPolygon) *shapeIndex {
	ix := &shapeIndex{bound: mp.Bound(), nPolygons: len(mp)}
	for p, poly := range mp {
		for _, ring := range poly {
			for _, s := range ringSegments(ring) {
				ix.segs = append(ix.segs, s)
				ix.partOf = append(ix.partOf, int32(p))
			}
		}
	}
	nb := int(math.Sqrt(float64(len(ix.segs)))) + 1
	ix.y0 = ix.bound.Min[1]
	ix.bandH = (ix.bound.Max[1] - ix.bound.Min[1]) / float64(nb)
	if ix.bandH <= 0 {
		nb, ix.bandH = 1, 1
	}
	ix.bands = make([][]int32, nb)
	for k, s := range ix.segs {
		lo, hi := ix.band(math.Min(s.a[1], s.b[1])), ix.band(math.Max(s.a[1], s.b[1]))
		for b := lo; b <= hi; b++ {
			ix.bands[b] = append(ix.bands[b], int32(k))
		}
	}
	return ix
}

func (ix *shapeIndex) band(y float64) int {
	b := int((y - ix.y0) / ix.bandH)
	return max(0, min(len(ix.bands)-1, b))
}

// locate says whether p is inside the shape, on its border or outside it
// (inside a hole is outside).
func (ix *shapeIndex) locate(p orb.Point) place {
	if !ix.bound.Contains(p) {
		return outside
	}
	// Count crossings of a ray to the east, per polygon and ring: a point
	// is inside a polygon when inside its shell and none of its holes,
	// which for rings that do not cross is an odd count over all its rings.
	var small [8]int32
	var counts []int32
	if ix.nPolygons <= len(small) {
		counts = small[:ix.nPolygons]
	} else {
		counts = make([]int32, ix.nPolygons)
	}
	for _, k := range ix.bands[ix.band(p[1])] {
		s := ix.segs[k]
		if orient(s.a, s.b, p) == 0 && onSegment(s.a, s.b, p) {
			return border
		}
		if (s.a[1] > p[1]) != (s.b[1] > p[1]) {
			x := s.a[0] + (p[1]-s.a[1])*(s.b[0]-s.a[0])/(s.b[1]-s.a[1])
			if x > p[0] {
				counts[ix.partOf[k]]++
			}
		}
	}
	for _, c := range counts {
		if c%2 == 1 {
			return inside
		}
	}
	return outside
}
