package road_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"testing"

	"github.com/rounds-dev/rounds/geo/road"
)

// addrNode and addrWay are the elements of a small extract written for the
// address tests, as XML or PBF.
type addrNode struct {
	id       int
	lat, lon float64
	tags     [][2]string
}

type addrWay struct {
	id    int
	nodes []int
	tags  [][2]string
}

// addressExtract is two streets crossing, three houses tagged on nodes, a
// building outline tagged on its way, a house whose node and building both
// carry the address, and "1 Mill Lane" in two postcodes far apart.
func addressExtract() ([]addrNode, []addrWay) {
	p := func(x, y float64) (float64, float64) { l := at(x, y); return l.Lat, l.Lon }
	var ns []addrNode
	node := func(id int, x, y float64, tags ...[2]string) {
		lat, lon := p(x, y)
		ns = append(ns, addrNode{id, math.Round(lat*1e7) / 1e7, math.Round(lon*1e7) / 1e7, tags})
	}
	house := func(no, street, pc string) [][2]string {
		t := [][2]string{{"addr:housenumber", no}, {"addr:street", street}}
		if pc != "" {
			t = append(t, [2]string{"addr:postcode", pc})
		}
		return t
	}
	node(1, 0, 0)
	node(2, 4, 0)
	node(3, 2, -2)
	node(4, 2, 2)
	node(5, 2, 0)
	node(10, 1, 0.2, house("12", "High Street", "RU1 2AB")...)
	node(11, 3, 0.2, house("14a", "High  Street", "ru12ab")...)
	node(12, 2.2, 1, house("1", "Mill Lane", "RU1 3CD")...)
	node(13, 2.2, 30, house("1", "Mill Lane", "RU9 9ZZ")...)
	node(14, 1.9, 1.5, house("7", "Mill Lane", "")...)
	// A building's corners, untagged; the way carries the address.
	node(20, 0.5, -0.5)
	node(21, 0.7, -0.5)
	node(22, 0.7, -0.3)
	node(23, 0.5, -0.3)
	// A house node inside its own tagged outline.
	node(24, 3.5, -0.4, house("3", "High Street", "RU1 2AB")...)
	node(25, 3.4, -0.5)
	node(26, 3.6, -0.5)
	node(27, 3.6, -0.3)
	node(28, 3.4, -0.3)
	ws := []addrWay{
		{1, []int{1, 5, 2}, [][2]string{{"highway", "residential"}, {"name", "High Street"}}},
		{2, []int{3, 5, 4}, [][2]string{{"highway", "residential"}, {"name", "Mill Lane"}}},
		{3, []int{20, 21, 22, 23, 20}, append([][2]string{{"building", "house"}}, house("5", "High Street", "RU1 2AB")...)},
		{4, []int{25, 26, 27, 28, 25}, append([][2]string{{"building", "house"}}, house("3", "HIGH STREET", "RU1 2AB")...)},
	}
	return ns, ws
}

func addressXML() []byte {
	ns, ws := addressExtract()
	var b bytes.Buffer
	b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<osm version=\"0.6\">\n")
	for _, n := range ns {
		fmt.Fprintf(&b, " <node id=\"%d\" version=\"1\" lat=\"%.7f\" lon=\"%.7f\">\n", n.id, n.lat, n.lon)
		for _, t := range n.tags {
			fmt.Fprintf(&b, "  <tag k=\"%s\" v=\"%s\"/>\n", t[0], t[1])
		}
		b.WriteString(" </node>\n")
	}
	for _, w := range ws {
		fmt.Fprintf(&b, " <way id=\"%d\" version=\"1\">\n", w.id)
		for _, id := range w.nodes {
			fmt.Fprintf(&b, "  <nd ref=\"%d\"/>\n", id)
		}
		for _, t := range w.tags {
			fmt.Fprintf(&b, "  <tag k=\"%s\" v=\"%s\"/>\n", t[0], t[1])
		}
		b.WriteString(" </way>\n")
	}
	b.WriteString("</osm>\n")
	return b.Bytes()
}

// addressPBF writes the same extract as a PBF of one zlib-packed data
// block: dense nodes, then the ways.
func addressPBF(t *testing.T) []byte {
	ns, ws := addressExtract()
	strs, index := []string{""}, map[string]uint64{"": 0}
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
	for _, n := range ns {
		v := [3]int64{int64(n.id), int64(math.Round(n.lat * 1e7)), int64(math.Round(n.lon * 1e7))}
		ids, lats, lons = append(ids, zig(v[0]-prev[0])), append(lats, zig(v[1]-prev[1])), append(lons, zig(v[2]-prev[2]))
		prev = v
		for _, tag := range n.tags {
			kv = append(kv, str(tag[0]), str(tag[1]))
		}
		kv = append(kv, 0)
	}
	dense := pbPacked(pbPacked(pbPacked(pbPacked(nil, 1, ids), 8, lats), 9, lons), 10, kv)
	var ways []byte
	for _, w := range ws {
		var ks, vs, rs []uint64
		for _, tag := range w.tags {
			ks, vs = append(ks, str(tag[0])), append(vs, str(tag[1]))
		}
		prevRef := int64(0)
		for _, id := range w.nodes {
			rs = append(rs, zig(int64(id)-prevRef))
			prevRef = int64(id)
		}
		way := pbPacked(pbPacked(pbPacked(pbVarint(nil, 1, uint64(w.id)), 2, ks), 3, vs), 8, rs)
		ways = pbBytes(ways, 3, way)
	}
	var table []byte
	for _, s := range strs {
		table = pbBytes(table, 1, []byte(s))
	}
	data := pbBytes(pbBytes(pbBytes(nil, 1, table), 2, pbBytes(nil, 2, dense)), 2, ways)
	header := pbBytes(pbBytes(nil, 4, []byte("OsmSchema-V0.6")), 4, []byte("DenseNodes"))
	var out bytes.Buffer
	for _, blk := range []struct {
		kind string
		data []byte
	}{{"OSMHeader", header}, {"OSMData", data}} {
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		if _, err := zw.Write(blk.data); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		blob := pbBytes(pbVarint(nil, 2, uint64(len(blk.data))), 3, z.Bytes())
		hdr := pbVarint(pbBytes(nil, 1, []byte(blk.kind)), 3, uint64(len(blob)))
		out.Write(binary.BigEndian.AppendUint32(nil, uint32(len(hdr))))
		out.Write(hdr)
		out.Write(blob)
	}
	return out.Bytes()
}

// TestAddressesLookup: the index finds an address by its house number,
// street and postcode whatever their case and spacing, places a building
// at the middle of its outline, takes a house's node and outline as one
// place, and refuses to choose between two places that share a number and
// street when no postcode tells them apart; the XML and PBF readers agree.
func TestAddressesLookup(t *testing.T) {
	for _, src := range []struct {
		name string
		data func(*testing.T) []byte
	}{{"xml", func(*testing.T) []byte { return addressXML() }}, {"pbf", addressPBF}} {
		t.Run(src.name, func(t *testing.T) {
			n, err := road.Load(context.Background(), bytes.NewReader(src.data(t)), road.Options{})
			if err != nil {
				t.Fatal(err)
			}
			a := n.Addresses()
			if a.Len() != 6 {
				t.Errorf("%d addresses indexed, want 6 (12, 14A, 5 and 3 High Street; 1 and 7 Mill Lane)", a.Len())
			}
			cases := []struct {
				name                     string
				number, street, postcode string
				ok                       bool
				x, y                     float64
			}{
				{"exact", "12", "High Street", "RU1 2AB", true, 1, 0.2},
				{"case and spaces", " 12 ", "high   street", "ru12ab", true, 1, 0.2},
				{"no postcode given", "12", "High Street", "", true, 1, 0.2},
				{"tagged with extra spaces", "14A", "High Street", "RU1 2AB", true, 3, 0.2},
				{"building outline", "5", "High Street", "RU1 2AB", true, 0.6, -0.4},
				{"node inside its outline", "3", "High Street", "", true, 3.5, -0.4},
				{"two places, postcode decides", "1", "Mill Lane", "RU1 3CD", true, 2.2, 1},
				{"two places, other postcode", "1", "Mill Lane", "RU9 9ZZ", true, 2.2, 30},
				{"two places, no postcode", "1", "Mill Lane", "", false, 0, 0},
				{"untagged postcode accepts any", "7", "Mill Lane", "RU1 3CD", true, 1.9, 1.5},
				{"wrong postcode", "12", "High Street", "RU1 9XX", false, 0, 0},
				{"no such number", "13", "High Street", "", false, 0, 0},
				{"no such street", "12", "Low Street", "", false, 0, 0},
				{"blank", "", "", "", false, 0, 0},
			}
			for _, c := range cases {
				lat, lon, ok := a.Lookup(c.number, c.street, c.postcode)
				if ok != c.ok {
					t.Errorf("%s: ok %v, want %v", c.name, ok, c.ok)
					continue
				}
				if !ok {
					continue
				}
				want := at(c.x, c.y)
				if d := math.Hypot((lat-want.Lat)*111e3, (lon-want.Lon)*111e3*0.6073); d > 2 {
					t.Errorf("%s: at (%.6f, %.6f), %.1f m from where it is tagged", c.name, lat, lon, d)
				}
			}
		})
	}
}

// TestAddressesNone: an extract without addr:* tags has an empty index.
func TestAddressesNone(t *testing.T) {
	n := loadTown(t, road.Options{})
	if a := n.Addresses(); a.Len() != 0 {
		t.Errorf("the test town has %d addresses, want none", a.Len())
	}
	if _, _, ok := n.Addresses().Lookup("1", "South Street", ""); ok {
		t.Error("an address was found in an extract that tags none")
	}
}

// TestNormalisePostcode: postcodes take the Postcode Directory's pcds form.
func TestNormalisePostcode(t *testing.T) {
	for in, want := range map[string]string{
		"ru12ab": "RU1 2AB", "RU1 2AB": "RU1 2AB", " ru1  2ab ": "RU1 2AB", "SW1A1AA": "SW1A 1AA", "ab1": "AB1", "": "",
	} {
		if got := road.NormalisePostcode(in); got != want {
			t.Errorf("NormalisePostcode(%q) = %q, want %q", in, got, want)
		}
	}
}
