package road_test

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

var update = flag.Bool("update", false, "rewrite testdata/town.osm from the plan in town_test.go")

// The test town lies on a grid of 100 m squares; at (x, y) is x squares
// east and y squares north of its south-west corner.
const (
	townLat  = 52.6
	townLon  = -0.6
	cellLat  = 100 / (6378137.0 * 3.141592653589793 / 180)
	cellLonK = 0.6073 // cos(52.6°), near enough for 100 m squares
)

// at returns the location x squares east and y squares north of the
// corner.
func at(x, y float64) roster.Location {
	return roster.Location{Lat: townLat + y*cellLat, Lon: townLon + x*cellLat/cellLonK}
}

// townWay is one street of the test town: its points and tags.
type townWay struct {
	pts  [][2]float64
	tags [][2]string
	// nodeTags tags the point of pts with that index.
	nodeTags map[int][][2]string
}

// town is the street plan written to testdata/town.osm:
//   - residential streets along y = 0, 1, 2, 3 (x 0 to 4) and x = 0..4
//     (y 0 to 3); the street along y = 1 is one way, eastwards;
//   - a bollard on the street along y = 0 between x = 2 and x = 3;
//   - a river between y = 3 and y = 5: cars cross on the bridge at x = 4,
//     pedestrians also by steps and a footbridge at x = 0; a street runs
//     along the north bank (y = 5);
//   - a motorway loop south of the town, both ways (0,0)-(0,-2)-(4,-2)-(4,0);
//   - a one-way dead end east from (4,2) to (6,2), a trap for cars;
//   - a private drive from (4,3) to (6,3);
//   - a lone lane far away at (30,30)-(31,30), joined to nothing.
func town() []townWay {
	res := [][2]string{{"highway", "residential"}}
	var ws []townWay
	row := func(y float64, tags ...[2]string) townWay {
		w := townWay{tags: append(append([][2]string{}, res...), tags...)}
		for x := 0.0; x <= 4; x++ {
			w.pts = append(w.pts, [2]float64{x, y})
		}
		return w
	}
	bollarded := row(0, [2]string{"name", "South Street"})
	bollarded.pts = [][2]float64{{0, 0}, {1, 0}, {2, 0}, {2.5, 0}, {3, 0}, {4, 0}}
	bollarded.nodeTags = map[int][][2]string{3: {{"barrier", "bollard"}}}
	ws = append(ws, bollarded,
		row(1, [2]string{"name", "One Way Street"}, [2]string{"oneway", "yes"}),
		row(2, [2]string{"name", "Middle Street"}),
		row(3, [2]string{"name", "River Street"}),
		row(5, [2]string{"name", "North Bank"}))
	for x := 0.0; x <= 4; x++ {
		ws = append(ws, townWay{pts: [][2]float64{{x, 0}, {x, 1}, {x, 2}, {x, 3}}, tags: res})
	}
	ws = append(ws,
		townWay{pts: [][2]float64{{4, 3}, {4, 5}}, tags: [][2]string{{"highway", "residential"}, {"bridge", "yes"}}},
		townWay{pts: [][2]float64{{0, 3}, {0, 3.2}}, tags: [][2]string{{"highway", "steps"}}},
		townWay{pts: [][2]float64{{0, 3.2}, {0, 5}}, tags: [][2]string{{"highway", "footway"}, {"bridge", "yes"}}},
		townWay{pts: [][2]float64{{0, 0}, {0, -2}, {4, -2}, {4, 0}}, tags: [][2]string{{"highway", "motorway"}, {"oneway", "no"}}},
		townWay{pts: [][2]float64{{4, 2}, {5, 2}, {6, 2}}, tags: [][2]string{{"highway", "residential"}, {"oneway", "yes"}}},
		townWay{pts: [][2]float64{{4, 3}, {6, 3}}, tags: [][2]string{{"highway", "service"}, {"access", "private"}}},
		townWay{pts: [][2]float64{{30, 30}, {31, 30}}, tags: [][2]string{{"highway", "unclassified"}}},
	)
	return ws
}

// townNode is a node of the test town: its place, rounded to 1e-7°, and
// its tags.
type townNode struct {
	lat, lon float64
	tags     [][2]string
}

// townRelation is a turn restriction of a test plan: from one of its ways
// (an index into them), via a point or ways, to another.
type townRelation struct {
	from, to int
	via      *[2]float64
	viaWays  []int
	tags     [][2]string
}

// townElements numbers the plan's distinct points as nodes 1, 2, ... and
// returns them with each way's node ids and the node id of each point.
func townElements(plan []townWay) (nodes []townNode, wayNodes [][]int, ids map[[2]float64]int) {
	ids = map[[2]float64]int{}
	for _, w := range plan {
		var refs []int
		for pi, p := range w.pts {
			id, ok := ids[p]
			if !ok {
				l := at(p[0], p[1])
				nodes = append(nodes, townNode{lat: math.Round(l.Lat*1e7) / 1e7, lon: math.Round(l.Lon*1e7) / 1e7, tags: w.nodeTags[pi]})
				id = len(nodes)
				ids[p] = id
			}
			refs = append(refs, id)
		}
		wayNodes = append(wayNodes, refs)
	}
	return nodes, wayNodes, ids
}

// townOSM renders the town as OSM XML.
func townOSM() []byte {
	return planOSM(town(), nil, "geo/road/town_test.go (go test ./geo/road -run TestTownFixture -update)", "rounds town fixture")
}

// planOSM renders a test plan as OSM XML: nodes, ways numbered from 1 in
// plan order, and restriction relations numbered from 1.
func planOSM(plan []townWay, rels []townRelation, source, generator string) []byte {
	var nodes, ways bytes.Buffer
	tn, wayNodes, ids := townElements(plan)
	for i, n := range tn {
		fmt.Fprintf(&nodes, " <node id=\"%d\" version=\"1\" lat=\"%.7f\" lon=\"%.7f\"", i+1, n.lat, n.lon)
		if len(n.tags) == 0 {
			nodes.WriteString("/>\n")
			continue
		}
		nodes.WriteString(">\n")
		for _, t := range n.tags {
			fmt.Fprintf(&nodes, "  <tag k=\"%s\" v=\"%s\"/>\n", t[0], t[1])
		}
		nodes.WriteString(" </node>\n")
	}
	for wi, w := range plan {
		fmt.Fprintf(&ways, " <way id=\"%d\" version=\"1\">\n", wi+1)
		for _, id := range wayNodes[wi] {
			fmt.Fprintf(&ways, "  <nd ref=\"%d\"/>\n", id)
		}
		for _, t := range w.tags {
			fmt.Fprintf(&ways, "  <tag k=\"%s\" v=\"%s\"/>\n", t[0], t[1])
		}
		ways.WriteString(" </way>\n")
	}
	var relations bytes.Buffer
	for ri, r := range rels {
		fmt.Fprintf(&relations, " <relation id=\"%d\" version=\"1\">\n", ri+1)
		for _, m := range r.members(ids) {
			fmt.Fprintf(&relations, "  <member type=\"%s\" ref=\"%d\" role=\"%s\"/>\n", m.kind, m.ref, m.role)
		}
		for _, t := range r.tags {
			fmt.Fprintf(&relations, "  <tag k=\"%s\" v=\"%s\"/>\n", t[0], t[1])
		}
		relations.WriteString(" </relation>\n")
	}
	var b bytes.Buffer
	b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
	fmt.Fprintf(&b, "<!-- Generated by %s; do not edit. -->\n", source)
	fmt.Fprintf(&b, "<osm version=\"0.6\" generator=\"%s\">\n", generator)
	b.Write(nodes.Bytes())
	b.Write(ways.Bytes())
	b.Write(relations.Bytes())
	b.WriteString("</osm>\n")
	return b.Bytes()
}

// relMember is a member of a test relation.
type relMember struct {
	kind string // "node" or "way"
	ref  int
	role string
}

// members are the relation's members: from way, via node or ways, to way.
func (r townRelation) members(ids map[[2]float64]int) []relMember {
	out := []relMember{{"way", r.from + 1, "from"}}
	if r.via != nil {
		out = append(out, relMember{"node", ids[*r.via], "via"})
	}
	for _, w := range r.viaWays {
		out = append(out, relMember{"way", w + 1, "via"})
	}
	return append(out, relMember{"way", r.to + 1, "to"})
}

var (
	townPath    = filepath.Join("testdata", "town.osm")
	townPBFPath = filepath.Join("testdata", "town.osm.pbf")
)

// TestTownFixture keeps testdata/town.osm and town.osm.pbf in step with the
// plan above.
func TestTownFixture(t *testing.T) {
	checkFixtures(t, map[string][]byte{townPath: townOSM(), townPBFPath: townPBF(t)}, "TestTownFixture")
}

// checkFixtures compares generated fixtures with the files, rewriting
// them first with -update.
func checkFixtures(t *testing.T, files map[string][]byte, test string) {
	t.Helper()
	for path, want := range files {
		if *update {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update to write it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%s is out of date: run go test ./geo/road -run %s -update", path, test)
		}
	}
}

// townPBF renders the town as an .osm.pbf.
func townPBF(t testing.TB) []byte { return planPBF(t, town(), nil, "rounds town fixture") }

// planPBF renders a test plan as an .osm.pbf: a header block, then one
// data block of densely stored nodes, a group of ways and, when there are
// any, a group of relations, zlib-packed.
func planPBF(t testing.TB, plan []townWay, rels []townRelation, generator string) []byte {
	nodes, wayNodes, pointIDs := townElements(plan)
	strs := []string{""}
	index := map[string]uint64{"": 0}
	str := func(s string) uint64 {
		if i, ok := index[s]; ok {
			return i
		}
		index[s] = uint64(len(strs))
		strs = append(strs, s)
		return index[s]
	}
	var ids, lats, lons, kv []uint64
	var prev [3]int64
	for i, n := range nodes {
		v := [3]int64{int64(i + 1), int64(math.Round(n.lat * 1e7)), int64(math.Round(n.lon * 1e7))}
		ids, lats, lons = append(ids, zig(v[0]-prev[0])), append(lats, zig(v[1]-prev[1])), append(lons, zig(v[2]-prev[2]))
		prev = v
		for _, tag := range n.tags {
			kv = append(kv, str(tag[0]), str(tag[1]))
		}
		kv = append(kv, 0)
	}
	var dense, ways []byte
	dense = pbPacked(dense, 1, ids)
	dense = pbPacked(dense, 8, lats)
	dense = pbPacked(dense, 9, lons)
	dense = pbPacked(dense, 10, kv)
	for wi, w := range plan {
		var way, keys, vals, refs []byte
		way = pbVarint(way, 1, uint64(wi+1))
		var ks, vs, rs []uint64
		for _, tag := range w.tags {
			ks, vs = append(ks, str(tag[0])), append(vs, str(tag[1]))
		}
		prevRef := int64(0)
		for _, id := range wayNodes[wi] {
			rs = append(rs, zig(int64(id)-prevRef))
			prevRef = int64(id)
		}
		keys, vals, refs = pbPacked(nil, 2, ks), pbPacked(nil, 3, vs), pbPacked(nil, 8, rs)
		way = append(append(append(way, keys...), vals...), refs...)
		ways = pbBytes(ways, 3, way)
	}
	var relations []byte
	for ri, r := range rels {
		var rel []byte
		rel = pbVarint(rel, 1, uint64(ri+1))
		var ks, vs, roles, memids, types []uint64
		for _, tag := range r.tags {
			ks, vs = append(ks, str(tag[0])), append(vs, str(tag[1]))
		}
		prevRef := int64(0)
		for _, m := range r.members(pointIDs) {
			roles = append(roles, str(m.role))
			memids = append(memids, zig(int64(m.ref)-prevRef))
			prevRef = int64(m.ref)
			kind := uint64(0)
			if m.kind == "way" {
				kind = 1
			}
			types = append(types, kind)
		}
		rel = pbPacked(rel, 2, ks)
		rel = pbPacked(rel, 3, vs)
		rel = pbPacked(rel, 8, roles)
		rel = pbPacked(rel, 9, memids)
		rel = pbPacked(rel, 10, types)
		relations = pbBytes(relations, 4, rel)
	}
	var table []byte
	for _, s := range strs {
		table = pbBytes(table, 1, []byte(s))
	}
	var blockData []byte
	blockData = pbBytes(blockData, 1, table)
	blockData = pbBytes(blockData, 2, pbBytes(nil, 2, dense))
	blockData = pbBytes(blockData, 2, ways)
	if len(relations) > 0 {
		blockData = pbBytes(blockData, 2, relations)
	}

	var header []byte
	header = pbBytes(header, 4, []byte("OsmSchema-V0.6"))
	header = pbBytes(header, 4, []byte("DenseNodes"))
	header = pbBytes(header, 16, []byte(generator))

	var out bytes.Buffer
	for _, b := range []struct {
		kind string
		data []byte
	}{{"OSMHeader", header}, {"OSMData", blockData}} {
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		if _, err := zw.Write(b.data); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		blob := pbVarint(nil, 2, uint64(len(b.data)))
		blob = pbBytes(blob, 3, z.Bytes())
		hdr := pbBytes(nil, 1, []byte(b.kind))
		hdr = pbVarint(hdr, 3, uint64(len(blob)))
		out.Write(binary.BigEndian.AppendUint32(nil, uint32(len(hdr))))
		out.Write(hdr)
		out.Write(blob)
	}
	return out.Bytes()
}

// Protocol buffer writing, for the fixture.
func zig(v int64) uint64 { return uint64(v<<1) ^ uint64(v>>63) }

func pbVarint(b []byte, field int, v uint64) []byte {
	b = binary.AppendUvarint(b, uint64(field)<<3)
	return binary.AppendUvarint(b, v)
}

func pbBytes(b []byte, field int, v []byte) []byte {
	b = binary.AppendUvarint(b, uint64(field)<<3|2)
	b = binary.AppendUvarint(b, uint64(len(v)))
	return append(b, v...)
}

func pbPacked(b []byte, field int, vs []uint64) []byte {
	var packed []byte
	for _, v := range vs {
		packed = binary.AppendUvarint(packed, v)
	}
	return pbBytes(b, field, packed)
}
