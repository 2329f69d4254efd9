package road

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/roster"
)

var _ geo.LegsProvider = (*Network)(nil)

// Source names the provider and its data: the extract's file name, its
// replication time, a hash of its bytes and the speeds in use.
func (n *Network) Source() roster.TravelSource { return n.source }

// FarLocation is a location further from every road its mode can use than
// Options.MaxSnapM.
type FarLocation struct {
	// List is "points", "from" or "to": which list Index counts in.
	List      string
	Index     int
	Location  roster.Location
	DistanceM float64
}

// FarError lists the locations too far from the road network to be placed
// on it, each with its distance to the nearest usable road.
type FarError struct {
	Mode     roster.Mode
	MaxSnapM float64
	Far      []FarLocation
}

func (e *FarError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "road: %d location(s) are more than %.0f m from any road usable by %s:", len(e.Far), e.MaxSnapM, e.Mode)
	for i, f := range e.Far {
		if i == 10 {
			fmt.Fprintf(&b, " and %d more", len(e.Far)-10)
			break
		}
		fmt.Fprintf(&b, " %s[%d] (%.6f, %.6f) is %.0f m away;", f.List, f.Index, f.Location.Lat, f.Location.Lon, f.DistanceM)
	}
	return strings.TrimSuffix(b.String(), ";")
}

// UnsupportedModeError is returned for a mode the road network does not
// route, such as public transport.
type UnsupportedModeError struct{ Mode roster.Mode }

func (e *UnsupportedModeError) Error() string {
	return fmt.Sprintf("road: the road network does not route mode %q (it routes walk, drive and cycle)", e.Mode)
}

// graph returns a mode's graph.
func (n *Network) graph(mode roster.Mode) (*modeGraph, error) {
	g, ok := n.modes[mode]
	if !ok {
		return nil, &UnsupportedModeError{mode}
	}
	return g, nil
}

// snapAll places each location on the mode's graph, adding any that lie too
// far from its roads to fe.
func (n *Network) snapAll(g *modeGraph, list string, locs []roster.Location, fe *FarError) []snap {
	out := make([]snap, len(locs))
	for i, l := range locs {
		if math.IsNaN(l.Lat) || math.IsNaN(l.Lon) || math.Abs(l.Lat) > 90 || math.Abs(l.Lon) > 180 {
			fe.Far = append(fe.Far, FarLocation{List: list, Index: i, Location: l, DistanceM: math.Inf(1)})
			continue
		}
		s, ok := n.grid.nearest(g, l.Lat, l.Lon)
		if !ok || s.distM > n.opts.MaxSnapM {
			d := math.Inf(1)
			if ok {
				d = s.distM
			}
			fe.Far = append(fe.Far, FarLocation{List: list, Index: i, Location: l, DistanceM: d})
			continue
		}
		out[i] = s
	}
	return out
}

// Legs computes the travel from each of from to each of to by mode,
// row-major. A location too far from the mode's roads gives a *FarError
// naming every such location.
func (n *Network) Legs(ctx context.Context, from, to []roster.Location, mode roster.Mode) (durS, distM []int32, err error) {
	g, err := n.graph(mode)
	if err != nil {
		return nil, nil, err
	}
	fe := &FarError{Mode: mode, MaxSnapM: n.opts.MaxSnapM}
	src := n.snapAll(g, "from", from, fe)
	dst := n.snapAll(g, "to", to, fe)
	if len(fe.Far) > 0 {
		return nil, nil, fe
	}
	if len(from) == 0 || len(to) == 0 {
		return []int32{}, []int32{}, nil
	}
	return n.table(ctx, g, mode, from, to, src, dst)
}

// Matrix computes the travel between every pair of points by mode.
func (n *Network) Matrix(ctx context.Context, points []roster.Location, mode roster.Mode) (*geo.Matrix, error) {
	g, err := n.graph(mode)
	if err != nil {
		return nil, err
	}
	fe := &FarError{Mode: mode, MaxSnapM: n.opts.MaxSnapM}
	snaps := n.snapAll(g, "points", points, fe)
	if len(fe.Far) > 0 {
		return nil, fe
	}
	m := geo.NewMatrix(len(points))
	if len(points) == 0 {
		return m, nil
	}
	m.DurS, m.DistM, err = n.table(ctx, g, mode, points, points, snaps, snaps)
	if err != nil {
		return nil, err
	}
	// A place to itself is no journey, wherever it snapped.
	for i := range points {
		m.DurS[i*len(points)+i], m.DistM[i*len(points)+i] = 0, 0
	}
	return m, nil
}

// Snapped describes where a location was placed on a mode's network.
type Snapped struct {
	// DistanceM is how far the location is from the road it was placed on.
	DistanceM float64
}

// Snap reports how far each location lies from the nearest road the mode
// can use, without limit: for finding places to fix.
func (n *Network) Snap(mode roster.Mode, locs []roster.Location) ([]Snapped, error) {
	g, err := n.graph(mode)
	if err != nil {
		return nil, err
	}
	out := make([]Snapped, len(locs))
	for i, l := range locs {
		if !(math.Abs(l.Lat) <= 90 && math.Abs(l.Lon) <= 180) {
			return nil, fmt.Errorf("road: location %d (%v, %v) is not a place on the globe", i, l.Lat, l.Lon)
		}
		s, ok := n.grid.nearest(g, l.Lat, l.Lon)
		if !ok {
			return nil, fmt.Errorf("road: no road usable by %s in the extract", mode)
		}
		out[i] = Snapped{DistanceM: s.distM}
	}
	return out, nil
}

// Extent returns the middle of the walking network (the median latitude
// and longitude of its streets' ends) and the median distance of those
// from it, km: a locality's centre and reach when none is given.
func (n *Network) Extent() (centre roster.Location, radiusKM float64) {
	g := n.modes[roster.Walk]
	var lats, lons []float64
	for e := range n.edges {
		if g.usable(int32(e)) {
			p := n.geom[n.geomOff[e]]
			lats, lons = append(lats, n.lat[p]), append(lons, n.lon[p])
		}
	}
	if len(lats) == 0 {
		return roster.Location{}, 0
	}
	median := func(xs []float64) float64 {
		s := slices.Clone(xs)
		slices.Sort(s)
		return s[len(s)/2]
	}
	centre = roster.Location{Lat: median(lats), Lon: median(lons)}
	ds := make([]float64, len(lats))
	for i := range lats {
		ds[i] = distanceM(centre.Lat, centre.Lon, lats[i], lons[i])
	}
	return centre, median(ds) / 1000
}

// Near reports whether a location lies within withinM metres of a road the
// mode can use.
func (n *Network) Near(mode roster.Mode, l roster.Location, withinM float64) bool {
	g, ok := n.modes[mode]
	if !ok || !(math.Abs(l.Lat) <= 90 && math.Abs(l.Lon) <= 180) {
		return false
	}
	s, ok := n.grid.nearest(g, l.Lat, l.Lon)
	return ok && s.distM <= withinM
}
