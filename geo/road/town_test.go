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

// townElements numbers the plan's distinct points as nodes 1, 2, ... and
// returns them with each way's node ids.
func townElements() (nodes []townNode, wayNodes [][]int) {
	ids := map[[2]float64]int{}
	for _, w := range town() {
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
	return nodes, wayNodes
}

// townOSM renders the plan as OSM XML.
func townOSM() []byte {
	var nodes, ways bytes.Buffer
	tn, wayNodes := townElements()
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
	for wi, w := range town() {
		fmt.Fprintf(&ways, " <way id=\"%d\" version=\"1\">\n", wi+1)
		for _, id := range wayNodes[wi] {
			fmt.Fprintf(&ways, "  <nd ref=\"%d\"/>\n", id)
		}
		for _, t := range w.tags {
			fmt.Fprintf(&ways, "  <tag k=\"%s\" v=\"%s\"/>\n", t[0], t[1])
		}
		ways.WriteString(" </way>\n")
	}
	var b bytes.Buffer
	b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
	b.WriteString("<!-- Generated by geo/road/town_test.go (go test ./geo/road -run TestTownFixture -update); do not edit. -->\n")
	b.WriteString("<osm version=\"0.6\" generator=\"rounds town fixture\">\n")
	b.Write(nodes.Bytes())
	b.Write(ways.Bytes())
	b.WriteString("</osm>\n")
	return b.Bytes()
}

var (
	townPath    = filepath.Join("testdata", "town.osm")
	townPBFPath = filepath.Join("testdata", "town.osm.pbf")
)

// TestTownFixture keeps testdata/town.osm and town.osm.pbf in step with the
// plan above.
func TestTownFixture(t *testing.T) {
	for path, want := range map[string][]byte{townPath: townOSM(), townPBFPath: townPBF(t)} {
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
			t.Fatalf("%s is out of date: run go test ./geo/road -run TestTownFixture -update", path)
		}
	}
}

// townPBF renders the plan as an .osm.pbf: a header block, then one data
// block of densely stored nodes and a group of ways, zlib-packed.
func townPBF(t testing.TB) []byte {
	nodes, wayNodes := townElements()
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
	for wi, w := range town() {
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
	var table []byte
	for _, s := range strs {
		table = pbBytes(table, 1, []byte(s))
	}
	var blockData []byte
	blockData = pbBytes(blockData, 1, table)
	blockData = pbBytes(blockData, 2, pbBytes(nil, 2, dense))
	blockData = pbBytes(blockData, 2, ways)

	var header []byte
	header = pbBytes(header, 4, []byte("OsmSchema-V0.6"))
	header = pbBytes(header, 4, []byte("DenseNodes"))
	header = pbBytes(header, 16, []byte("rounds town fixture"))

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
