package road

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/paulmach/osm"
	"github.com/paulmach/osm/osmxml"

	"github.com/rounds-dev/rounds/roster"
)

// Options set the speeds of the modes that go at one pace, and how far a
// location may be from the nearest usable road.
type Options struct {
	// WalkKMH is the walking pace on the ground (default 4.7, the middle of
	// the 4.5-4.8 km/h carers walk at).
	WalkKMH float64
	// CycleKMH is the cycling pace (default 15); a cyclist pushes the bike
	// at WalkKMH on footways and steps.
	CycleKMH float64
	// MaxSnapM is the furthest a location may lie from the nearest road its
	// mode can use (default 500 m); a location further away is an error
	// that names it and gives its distance.
	MaxSnapM float64
	// SignalS is the time a car loses at a traffic signal (default 2 s).
	SignalS float64
	// Workers is how many searches run at once (default GOMAXPROCS).
	Workers int
	// DriveOnRight says traffic keeps to the right, as in most of the
	// world outside the British Isles; by default it keeps to the left,
	// so that right turns, across oncoming traffic, cost more.
	DriveOnRight bool
}

func (o Options) withDefaults() (Options, error) {
	if o.WalkKMH == 0 {
		o.WalkKMH = 4.7
	}
	if o.CycleKMH == 0 {
		o.CycleKMH = 15
	}
	if o.MaxSnapM == 0 {
		o.MaxSnapM = 500
	}
	if o.SignalS == 0 {
		o.SignalS = 2
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"walk speed", o.WalkKMH}, {"cycle speed", o.CycleKMH}, {"maximum snapping distance", o.MaxSnapM}, {"signal delay", o.SignalS}} {
		if !(f.v > 0) || math.IsInf(f.v, 0) {
			return o, fmt.Errorf("road: %s must be a positive number, got %v", f.name, f.v)
		}
	}
	return o, nil
}

// Network is the street network of one extract, with a routable graph for
// each mode. It is safe for concurrent use.
type Network struct {
	opts   Options
	source roster.TravelSource

	// Points are the nodes of the extract that lie on a routable way.
	lat, lon []float64
	// Edges run between junctions (or ends of ways) along one way; edge e
	// follows the points geom[geomOff[e]:geomOff[e+1]].
	edges   []edge
	geom    []int32
	geomOff []int32
	// Edge e is of highway class classes[edgeClass[e]] (Streets).
	edgeClass []uint16
	classes   []string
	// vertices is the number of junctions.
	vertices int

	modes map[roster.Mode]*modeGraph
	grid  *grid

	// addresses are the extract's addr:* tags, for Addresses.
	addresses *AddressIndex

	stats Stats
}

// edge is a stretch of one way between two junctions.
type edge struct {
	from, to int32
	lenM     float64
}

// Stats describes a loaded network.
type Stats struct {
	Nodes, Ways, Points, Junctions, Edges int
	// Kept is the number of junctions each mode's graph keeps: its largest
	// strongly connected part.
	Kept map[roster.Mode]int
	// Restrictions counts the turn restrictions obeyed, RestrictionsSkipped
	// those read but not obeyed (via ways, or a via node that is not where
	// their ways meet).
	Restrictions, RestrictionsSkipped int
	// LoadTime is how long reading and building took.
	LoadTime time.Duration
}

// Stats returns figures about the network.
func (n *Network) Stats() Stats { return n.stats }

// ErrNoRoads is returned for an extract with no routable way in it.
var ErrNoRoads = errors.New("the extract has no routable roads")

// maxEdgeMS caps the time of one edge (a day), so that sums of edge times
// stay far from overflowing.
const maxEdgeMS = 86_400_000

// LoadFile reads an extract (.osm.pbf or .osm) from a file. The data
// version recorded in plans is the file's name, its replication time when
// it has one, the paces and the start of the file's SHA-256.
func LoadFile(ctx context.Context, path string, opts Options) (*Network, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("road: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	br := bufio.NewReaderSize(f, 1<<20)
	n, err := Load(ctx, io.TeeReader(br, h), opts)
	if err != nil {
		return nil, fmt.Errorf("road: %s: %w", filepath.Base(path), err)
	}
	// Hash whatever the decoder left unread, so the version covers the file.
	if _, err := io.Copy(h, br); err != nil {
		return nil, fmt.Errorf("road: %s: %w", filepath.Base(path), err)
	}
	n.source.Version = filepath.Base(path) + ";" + n.source.Version + ";sha256:" + hex.EncodeToString(h.Sum(nil))[:12]
	return n, nil
}

// rawWay is a routable way as read: its nodes and its speeds per mode in
// each direction (km/h, 0 for closed).
type rawWay struct {
	id      int64
	nodes   []int64
	speeds  [numModes][2]float32
	highway string
}

// The modes a network routes, in the order of its speed tables.
const (
	walkIdx = iota
	driveIdx
	cycleIdx
	numModes
)

var modeOf = [numModes]roster.Mode{roster.Walk, roster.Drive, roster.Cycle}

// Load reads an extract, .osm.pbf or .osm XML (told apart by their first
// bytes), and builds the graph of each mode.
func Load(ctx context.Context, r io.Reader, opts Options) (*Network, error) {
	start := time.Now()
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	x, err := readExtract(ctx, r, opts)
	if err != nil {
		return nil, fmt.Errorf("reading the extract: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(x.ways) == 0 {
		return nil, ErrNoRoads
	}
	if !x.sorted() {
		sortNodes(x.ids, x.lats, x.lons)
	}
	n := &Network{opts: opts, source: roster.TravelSource{Provider: "osm-road"}}
	if !x.replication.IsZero() {
		n.source.Version = "@" + x.replication.UTC().Format(time.RFC3339)
	}
	n.source.Version += fmt.Sprintf(";walk=%gkmh;cycle=%gkmh;signal=%gs;turns=%s", opts.WalkKMH, opts.CycleKMH, opts.SignalS, turnRulesVersion(opts))
	n.source.Version = strings.TrimPrefix(n.source.Version, ";")
	if err := n.build(x.ids, x.lats, x.lons, x.ways, x.signals, x.barriers, x.restrictions); err != nil {
		return nil, err
	}
	n.addresses = buildAddresses(x.addrNodes, x.addrWays, x.ids, x.lats, x.lons)
	n.stats.Nodes, n.stats.Ways = len(x.ids), len(x.ways)
	n.stats.LoadTime = time.Since(start)
	return n, nil
}

// ErrNotExtract is returned for input that is neither an .osm.pbf nor an
// .osm XML extract, or one whose bytes are corrupt.
var ErrNotExtract = errors.New("not an OpenStreetMap extract (.osm.pbf or .osm XML)")

// extract is what Load keeps of an extract: every node's place, the nodes
// that hold traffic signals or stop cars, the ways some mode may use, each
// with its speeds, and the nodes and ways tagged with an address.
type extract struct {
	ids        []int64
	lats, lons []float64
	signals    map[int64]bool
	barriers   map[int64]bool
	ways       []rawWay
	addrNodes  []addressedNode
	addrWays   []addressedWay
	// restrictions are the turn restrictions of the extract.
	restrictions []rawRestriction
	replication  time.Time
}

// addNode records a node; tags may be nil when it has none that matter.
func (x *extract) addNode(id int64, lat, lon float64, tags osm.Tags) {
	if !(math.Abs(lat) <= 90 && math.Abs(lon) <= 180) {
		// A node off the globe (or NaN) cannot be routed to; ways
		// through it are cut there.
		return
	}
	x.ids = append(x.ids, id)
	x.lats = append(x.lats, lat)
	x.lons = append(x.lons, lon)
	if len(tags) == 0 {
		return
	}
	if a, ok := addressOf(tags); ok {
		x.addrNodes = append(x.addrNodes, addressedNode{addr: a, lat: lat, lon: lon})
	}
	if tags.Find("highway") == "traffic_signals" {
		if x.signals == nil {
			x.signals = make(map[int64]bool)
		}
		x.signals[id] = true
	}
	if blocksCars(tags) {
		if x.barriers == nil {
			x.barriers = make(map[int64]bool)
		}
		x.barriers[id] = true
	}
}

// addWay records a way if some mode may travel it, and its address if it
// has one (a building's, usually).
func (x *extract) addWay(id int64, nodes []int64, tags osm.Tags, opts Options) {
	if a, ok := addressOf(tags); ok && len(nodes) > 0 {
		x.addrWays = append(x.addrWays, addressedWay{addr: a, nodes: nodes})
	}
	// A ferry is never part of a carer's route, even where a way is
	// both a road and a ferry route (OSRM's foot profile takes ferries).
	if tags.Find("highway") == "" || tags.Find("route") == "ferry" || len(nodes) < 2 {
		return
	}
	var w rawWay
	routable := false
	set := func(m int, f, b float64) {
		w.speeds[m] = [2]float32{float32(f), float32(b)}
		routable = routable || f > 0 || b > 0
	}
	f, b := walkSpeeds(tags, opts.WalkKMH)
	set(walkIdx, f, b)
	f, b = driveSpeeds(tags)
	set(driveIdx, f, b)
	f, b = cycleSpeeds(tags, opts.CycleKMH, opts.WalkKMH)
	set(cycleIdx, f, b)
	if routable {
		w.id, w.nodes, w.highway = id, nodes, tags.Find("highway")
		x.ways = append(x.ways, w)
	}
}

// merge appends y's elements to x's.
func (x *extract) merge(y *extract) {
	x.ids = append(x.ids, y.ids...)
	x.lats = append(x.lats, y.lats...)
	x.lons = append(x.lons, y.lons...)
	x.ways = append(x.ways, y.ways...)
	x.addrNodes = append(x.addrNodes, y.addrNodes...)
	x.addrWays = append(x.addrWays, y.addrWays...)
	x.restrictions = append(x.restrictions, y.restrictions...)
	for _, m := range []struct {
		to   *map[int64]bool
		from map[int64]bool
	}{{&x.signals, y.signals}, {&x.barriers, y.barriers}} {
		for id := range m.from {
			if *m.to == nil {
				*m.to = make(map[int64]bool)
			}
			(*m.to)[id] = true
		}
	}
}

// sorted reports whether the nodes are in increasing id order, as extracts
// usually keep them.
func (x *extract) sorted() bool {
	for i := 1; i < len(x.ids); i++ {
		if x.ids[i] <= x.ids[i-1] {
			return false
		}
	}
	return true
}

// readExtract tells a PBF extract from an XML one by its first bytes and
// reads it.
func readExtract(ctx context.Context, r io.Reader, opts Options) (*extract, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(16)
	if len(head) == 0 {
		if err == nil || err == io.EOF {
			return nil, fmt.Errorf("%w: the input is empty", ErrNotExtract)
		}
		return nil, err
	}
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	if bytes.HasPrefix(trimmed, []byte("<")) {
		return readXML(ctx, br, opts)
	}
	// A PBF file begins with the length of its first block header, then
	// that header, whose first field is its type: "OSMHeader".
	if len(head) < 15 || string(head[6:15]) != "OSMHeader" {
		return nil, ErrNotExtract
	}
	return readPBF(ctx, br, opts)
}

// readXML reads an .osm XML extract.
func readXML(ctx context.Context, r io.Reader, opts Options) (x *extract, err error) {
	// The XML scanner is third-party code fed untrusted bytes, run on
	// this goroutine: a panic in it is a corrupt extract, not a crash.
	defer func() {
		if p := recover(); p != nil {
			x, err = nil, fmt.Errorf("%w: XML decoder failed: %v", ErrNotExtract, p)
		}
	}()
	sc := osmxml.New(ctx, r)
	defer sc.Close()
	x = &extract{}
	for sc.Scan() {
		switch o := sc.Object().(type) {
		case *osm.Node:
			x.addNode(int64(o.ID), o.Lat, o.Lon, o.Tags)
		case *osm.Way:
			nodes := make([]int64, len(o.Nodes))
			for i, wn := range o.Nodes {
				nodes[i] = int64(wn.ID)
			}
			x.addWay(int64(o.ID), nodes, o.Tags, opts)
		case *osm.Relation:
			members := make([]member, len(o.Members))
			for i, m := range o.Members {
				members[i] = member{kind: m.Type, ref: m.Ref, role: m.Role}
			}
			if r, ok := restrictionOf(o.Tags, members); ok {
				x.restrictions = append(x.restrictions, r)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return x, nil
}

// sortNodes sorts the node table by id, for an extract whose nodes are not
// in id order.
func sortNodes(ids []int64, lats, lons []float64) {
	perm := make([]int, len(ids))
	for i := range perm {
		perm[i] = i
	}
	sort.Slice(perm, func(a, b int) bool { return ids[perm[a]] < ids[perm[b]] })
	i2, la, lo := slices.Clone(ids), slices.Clone(lats), slices.Clone(lons)
	for k, p := range perm {
		ids[k], lats[k], lons[k] = i2[p], la[p], lo[p]
	}
}

// build turns the ways into junctions and edges, then each mode's graph.
func (n *Network) build(ids []int64, lats, lons []float64, ways []rawWay, signals, barriers map[int64]bool, restrictions []rawRestriction) error {
	// Resolve node ids; a way running off the extract's edge is cut where
	// its nodes go missing.
	const missing = -1
	idx := func(id int64) int32 {
		k, ok := slices.BinarySearch(ids, id)
		if !ok {
			return missing
		}
		return int32(k)
	}
	uses := make([]uint8, len(ids))
	bump := func(k int32, by uint8) {
		if uses[k] < 250 {
			uses[k] += by
		}
	}
	type piece struct {
		way   int
		nodes []int32
	}
	var pieces []piece
	for wi := range ways {
		var run []int32
		flush := func() {
			if len(run) >= 2 {
				pieces = append(pieces, piece{wi, run})
				bump(run[0], 2)
				bump(run[len(run)-1], 2)
				for _, k := range run[1 : len(run)-1] {
					bump(k, 1)
				}
			}
			run = nil
		}
		for _, id := range ways[wi].nodes {
			k := idx(id)
			if k == missing {
				flush()
				continue
			}
			run = append(run, k)
		}
		flush()
	}
	if len(pieces) == 0 {
		return ErrNoRoads
	}

	// Number the points on routable ways, and the junctions among them:
	// nodes shared by ways, ends of ways, and car barriers.
	point := make([]int32, len(ids))
	vertex := make([]int32, len(ids))
	for i := range point {
		point[i], vertex[i] = missing, missing
	}
	isBarrier := make(map[int32]bool)
	for _, p := range pieces {
		for _, k := range p.nodes {
			if point[k] == missing {
				point[k] = int32(len(n.lat))
				n.lat = append(n.lat, lats[k])
				n.lon = append(n.lon, lons[k])
			}
			if vertex[k] == missing && (uses[k] >= 2 || barriers[ids[k]]) {
				vertex[k] = int32(n.vertices)
				n.vertices++
				if barriers[ids[k]] {
					isBarrier[vertex[k]] = true
				}
			}
		}
	}

	// Cut pieces into edges at junctions, with per-mode times.
	var times [numModes][2][]int32 // ms per edge and direction; -1 closed
	var classes highwayClasses
	var wayOf []int64 // each edge's way id
	for _, p := range pieces {
		w := &ways[p.way]
		startAt := 0
		lenM := 0.0
		signalsOn := 0
		for i := 1; i < len(p.nodes); i++ {
			a, b := p.nodes[i-1], p.nodes[i]
			lenM += distanceM(lats[a], lons[a], lats[b], lons[b])
			if vertex[b] == missing {
				if signals[ids[b]] {
					signalsOn++
				}
				continue
			}
			e := int32(len(n.edges))
			n.edges = append(n.edges, edge{from: vertex[p.nodes[startAt]], to: vertex[b], lenM: lenM})
			n.edgeClass = append(n.edgeClass, classes.of(w.highway))
			wayOf = append(wayOf, w.id)
			n.geomOff = append(n.geomOff, int32(len(n.geom)))
			for _, k := range p.nodes[startAt : i+1] {
				n.geom = append(n.geom, point[k])
			}
			for m := 0; m < numModes; m++ {
				for d := 0; d < 2; d++ {
					t := int32(-1)
					if kmh := float64(w.speeds[m][d]); kmh > 0 {
						ms := lenM / (kmh / 3.6) * 1000
						if m == driveIdx {
							ms += float64(signalsOn) * n.opts.SignalS * 1000
						}
						t = int32(math.Min(math.Round(ms), maxEdgeMS))
					}
					times[m][d] = append(times[m][d], t)
				}
			}
			_ = e
			startAt, lenM, signalsOn = i, 0, 0
		}
	}
	n.geomOff = append(n.geomOff, int32(len(n.geom)))
	n.classes = classes.names

	// Signals at junctions delay cars leaving them.
	signalAt := make([]bool, n.vertices)
	for k, v := range vertex {
		if v != missing && signals[ids[k]] {
			signalAt[v] = true
		}
	}

	rules, obeyed, skipped := resolveRestrictions(restrictions, n.edges, wayOf, func(id int64) int32 {
		k, ok := slices.BinarySearch(ids, id)
		if !ok {
			return missing
		}
		return vertex[k]
	})
	n.stats.Restrictions, n.stats.RestrictionsSkipped = obeyed, skipped

	n.modes = make(map[roster.Mode]*modeGraph, numModes)
	n.stats.Kept = make(map[roster.Mode]int, numModes)
	for m := 0; m < numModes; m++ {
		var delay []bool
		var blocked map[int32]bool
		if m == driveIdx {
			delay, blocked = signalAt, isBarrier
		}
		g := newModeGraph(n.vertices, n.edges, times[m][0], times[m][1], blocked, delay, int32(n.opts.SignalS*1000))
		if m != walkIdx {
			g.turns = newTurnGraph(n, g, rules[m], blocked, delay, int32(n.opts.SignalS*1000), m == driveIdx, n.opts.DriveOnRight)
		}
		n.modes[modeOf[m]] = g
		n.stats.Kept[modeOf[m]] = g.kept
	}
	n.grid = newGrid(n)
	n.stats.Points, n.stats.Junctions, n.stats.Edges = len(n.lat), n.vertices, len(n.edges)
	return nil
}

// distanceM is the great-circle distance between two points, metres.
func distanceM(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6378137.0 // the radius orb and package geo use
	p1, p2 := lat1*math.Pi/180, lat2*math.Pi/180
	dp, dl := p2-p1, (lon2-lon1)*math.Pi/180
	a := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * r * math.Asin(math.Sqrt(math.Min(1, a)))
}
