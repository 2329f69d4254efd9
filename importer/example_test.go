package importer_test

// The example import, testdata/import/: Rutham, a made-up town of ten by
// ten streets 250 m apart around 52.60, -0.60, with 25 carers, 50 clients
// and a week of their care. The files are written by this test from the
// plan below (go test ./importer -run TestExampleSet -update); the test
// then checks that they are up to date, import cleanly with the town's
// map and postcodes, and that every place lies on the streets of its
// carers' modes. None of the people are real, and the postcode area RU is
// not a UK one.

import (
	"bytes"
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/geo/road"
	"github.com/rounds-dev/rounds/importer"
	"github.com/rounds-dev/rounds/roster"
)

var update = flag.Bool("update", false, "rewrite testdata/import/ from the plan in example_test.go")

const exampleDir = "../testdata/import"

// The town's grid: street i runs at i*250 m from the south-west corner.
const (
	ruLat0    = 52.60 - 4.5*ruCellLat
	ruLon0    = -0.60 - 4.5*ruCellLon
	ruCellLat = 250 / 111_320.0
	ruCellLon = 250 / (111_320.0 * 0.6074) // cos(52.6°)
)

// ruAt is the place x streets east and y streets north of the corner.
func ruAt(x, y float64) roster.Location {
	return roster.Location{Lat: round7(ruLat0 + y*ruCellLat), Lon: round7(ruLon0 + x*ruCellLon)}
}

func round7(v float64) float64 { return math.Round(v*1e7) / 1e7 }

// The streets: rows run east-west at y = 0..9, columns north-south at
// x = 0..9.
var (
	ruRows = []string{"Abbey Road", "Bridge Street", "Church Lane", "Dale Road", "High Street",
		"Field Way", "Green Lane", "Queen Street", "Ivy Close", "Jubilee Road"}
	ruCols = []string{"King Street", "Lime Grove", "Mill Lane", "North Street", "Orchard Way",
		"London Road", "Park Road", "Rectory Lane", "Station Road", "Tower Street"}
)

// ruSegment is the tags of the stretch of a street from junction k to k+1.
func ruSegment(row bool, i, k int) [][2]string {
	name := ruCols[i]
	if row {
		name = ruRows[i]
	}
	tags := [][2]string{{"highway", "residential"}, {"name", name}}
	switch {
	case row && i == 4 && k == 4:
		// The market place: High Street is pedestrian between
		// London Road's neighbours.
		tags[0][1] = "pedestrian"
	case row && i == 4, !row && i == 5:
		tags[0][1] = "primary"
	case row && i == 7:
		tags = append(tags, [2]string{"oneway", "yes"})
	case !row && i == 2 && k >= 7:
		// Mill Lane ends in a footpath across the green.
		tags = [][2]string{{"highway", "footway"}, {"name", name}}
	}
	return tags
}

// ruFootpaths are paths across blocks: walkers' short cuts.
var ruFootpaths = [][2][2]float64{{{2, 2}, {3, 3}}, {{6, 6}, {7, 7}}, {{1, 5}, {2, 6}}}

// ruHouse is a house tagged with its address on the map.
type ruHouse struct {
	number, street, postcode string
	at                       roster.Location
}

// Where a person's home is: a point along a street, set back from it.
type spot struct {
	row      bool // on an east-west street
	street   int  // its index
	along    float64
	number   int
	postcode string
}

// location of a home: 20 m north of a row street or east of a column one.
func (s spot) location() roster.Location {
	const back = 20.0 / 250
	if s.row {
		return ruAt(s.along, float64(s.street)+back)
	}
	return ruAt(float64(s.street)+back, s.along)
}

func (s spot) streetName() string {
	if s.row {
		return ruRows[s.street]
	}
	return ruCols[s.street]
}

// ruPostcodes are the town's postcode units, one to each block of four
// squares, each placed at its block's middle.
func ruPostcodes() (codes []string, at map[string]roster.Location) {
	at = map[string]roster.Location{}
	letters := "ABDEFGHJLNPQRSTUWXYZ"
	for by := 0; by < 5; by++ {
		for bx := 0; bx < 5; bx++ {
			k := by*5 + bx
			code := fmt.Sprintf("RU%d %d%c%c", 1+by/3, 1+bx, letters[k%20], letters[(k*7+3)%20])
			codes = append(codes, code)
			at[code] = ruAt(2*float64(bx)+0.9, 2*float64(by)+0.6)
		}
	}
	return codes, at
}

// postcodeOf is the unit whose block holds a place x, y streets in.
func postcodeOf(codes []string, x, y float64) string {
	bx, by := min(4, int(x/2)), min(4, int(y/2))
	return codes[by*5+bx]
}

// exampleFiles renders the plan: the CSV files, the postcode file and the
// map's houses.
func exampleFiles() (files map[string][]byte, houses []ruHouse) {
	rng := rand.New(rand.NewPCG(12, 2026))
	codes, _ := ruPostcodes()
	firsts := []string{"Ada", "Bernard", "Cecily", "Dennis", "Edna", "Frank", "Gladys", "Harold", "Irene", "Jack",
		"Kathleen", "Leonard", "Mabel", "Norman", "Olive", "Percy", "Queenie", "Ronald", "Sylvia", "Thomas"}
	lasts := []string{"Ashby", "Barrow", "Catmose", "Dalby", "Empingham", "Fenton", "Glaston", "Hambleton",
		"Ingthorpe", "Ketton", "Lyndon", "Manton", "Normanton", "Oakley", "Preston", "Ridlington", "Seaton", "Teigh"}
	used := map[[2]int]bool{}
	newSpot := func() spot {
		for {
			s := spot{row: rng.IntN(2) == 0, street: rng.IntN(10), along: 0.15 + 0.7*rng.Float64() + float64(rng.IntN(9))}
			s.along = math.Round(s.along*20) / 20
			key := [2]int{s.street, int(math.Round(s.along * 20))}
			if s.row {
				key[0] += 10
			}
			if used[key] {
				continue
			}
			used[key] = true
			s.number = 2 + 2*int(math.Round(s.along*20))
			x, y := float64(s.street), s.along
			if s.row {
				x, y = s.along, float64(s.street)
			}
			s.postcode = postcodeOf(codes, x, y)
			return s
		}
	}
	address := func(s spot) string { return fmt.Sprintf("%d %s, Rutham", s.number, s.streetName()) }
	addHouse := func(s spot) {
		houses = append(houses, ruHouse{number: fmt.Sprint(s.number), street: s.streetName(), postcode: s.postcode, at: s.location()})
	}
	csvOf := func(rows [][]string) []byte {
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		w.WriteAll(rows) //nolint:errcheck // a bytes.Buffer does not fail
		return b.Bytes()
	}
	ll := func(l roster.Location) (string, string) {
		return fmt.Sprintf("%.6f", l.Lat), fmt.Sprintf("%.6f", l.Lon)
	}

	// Carers: 15 drive, 8 walk, 2 cycle; early, split and late shifts.
	carers := [][]string{{"id", "name", "mode", "start_lat", "start_lon", "start_postcode", "start_address", "skills", "gender",
		"languages", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "contract_min_h", "contract_target_h", "contract_max_h",
		"wtr_opt_out", "hourly_rate_gbp"}}
	const (
		early = "07:00-14:30"
		split = "07:30-13:30;16:00-20:30"
		late  = "12:00-22:00"
	)
	var carerIDs []string
	for i := range 25 {
		id := fmt.Sprintf("K%02d", i+1)
		carerIDs = append(carerIDs, id)
		mode := "drive"
		switch {
		case i%3 == 1 && i < 24:
			mode = "walk"
		case i == 11 || i == 23:
			mode = "cycle"
		}
		var skills []string
		if i%5 < 3 {
			skills = append(skills, "hoist")
		}
		if i%2 == 0 {
			skills = append(skills, "medication")
		}
		if i%8 == 3 {
			skills = append(skills, "catheter")
		}
		gender := "female"
		if i%6 == 5 {
			gender = "male"
		}
		lang := ""
		switch i % 9 {
		case 2:
			lang = "en;pa"
		case 7:
			lang = "en;pl"
		}
		shift := []string{early, split, late}[i%3]
		week := make([]string, 7)
		for d := range 7 {
			// Five days on; who is off which days turns with the carer.
			if (d+i)%7 < 5 {
				week[d] = shift
			}
		}
		s := newSpot()
		lat, lon := ll(s.location())
		pc, addr := "", ""
		switch {
		case i%8 == 4:
			// Placed by postcode.
			lat, lon, pc = "", "", s.postcode
		case i == 6 || i == 17:
			// Placed by the map's addresses.
			lat, lon, addr = "", "", address(s)
			addHouse(s)
		}
		name := firsts[(i*7)%len(firsts)] + " " + lasts[(i*5+3)%len(lasts)]
		minH, target, maxH := "", "", ""
		switch i % 4 {
		case 0:
			minH, target, maxH = "16", "30", "37.5"
		case 1:
			target, maxH = "25", "35"
		case 2:
			minH, maxH = "20", "40"
		}
		optOut := ""
		if i == 9 {
			optOut = "yes"
		}
		rate := fmt.Sprintf("%.2f", 12.60+0.10*float64(i%4))
		carers = append(carers, append([]string{id, name, mode, lat, lon, pc, addr, strings.Join(skills, ";"), gender, lang},
			append(week, minH, target, maxH, optOut, rate)...))
	}

	// Clients: 50, placed a third each by lat/lon and by postcode, six
	// by address; their calls through the day.
	clients := [][]string{{"id", "name", "address", "postcode", "lat", "lon", "gender_preference", "language",
		"preferred_carers", "excluded_carers", "team", "max_carers"}}
	care := [][]string{{"id", "client", "days", "date", "time", "tolerance_min", "window_start", "window_end",
		"duration_min", "carers", "skills", "from", "to"}}
	for i := range 50 {
		id := fmt.Sprintf("C%02d", i+1)
		s := newSpot()
		lat, lon := ll(s.location())
		pc := s.postcode
		switch {
		case i%8 == 5:
			// Placed by the map's addresses.
			lat, lon, pc = "", "", ""
			addHouse(s)
		case i%2 == 1:
			lat, lon = "", ""
		default:
			pc = ""
		}
		name := firsts[(i*3+1)%len(firsts)] + " " + lasts[(i*11+5)%len(lasts)]
		gp, lang, pref, excl, team, maxC := "", "", "", "", "", ""
		if i%7 == 3 {
			gp = "female"
		}
		if i%13 == 2 {
			lang = "pa"
		}
		if i%9 == 4 {
			pref = carerIDs[(i*3)%25]
		}
		if i%11 == 6 {
			excl = carerIDs[(i*5+2)%25]
		}
		if i%6 == 0 {
			team = strings.Join([]string{carerIDs[(i+3)%25], carerIDs[(i+12)%25], carerIDs[(i+21)%25]}, ";")
		}
		if i%10 == 7 {
			maxC = "6"
		}
		clients = append(clients, []string{id, name, address(s), pc, lat, lon, gp, lang, pref, excl, team, maxC})

		double := i%8 == 2
		skills := ""
		if double {
			skills = "hoist"
		}
		carersN := ""
		if double {
			carersN = "2"
		}
		am := []string{"07:30", "08:00", "08:30", "09:00", "09:30"}[i%5]
		dur := "30"
		if i%3 == 0 || double {
			dur = "45"
		}
		meds := ""
		if i%4 == 1 && !double {
			meds = "medication"
		}
		care = append(care, []string{id + "-am", id, "daily", "", am, "45", "", "", dur, carersN, strings.Trim(skills+";"+meds, ";"), "", ""})
		if i%5 < 2 {
			care = append(care, []string{id + "-lunch", id, "daily", "", "12:30", "30", "", "", "30", "", meds, "", ""})
		}
		if i%2 == 0 {
			care = append(care, []string{id + "-tea", id, "daily", "", "", "", "16:15", "17:45", "30", "", "", "", ""})
		}
		if i%10 < 5 || double {
			care = append(care, []string{id + "-bed", id, "daily", "", "", "", "19:00", "21:30", "30", carersN, skills, "", ""})
		}
		if i%9 == 1 {
			care = append(care, []string{id + "-shower", id, "mon;wed;fri", "", "10:45", "45", "", "", "60", "", "", "", ""})
		}
	}
	// A package that starts mid-week, and a one-off escort.
	care = append(care,
		[]string{"C07-lunch-new", "C07", "daily", "", "13:00", "30", "", "", "30", "", "", "2026-11-26", ""},
		[]string{"C12-gp", "C12", "", "2026-11-25", "10:30", "15", "", "", "60", "", "", "", ""})

	// The postcode file, in the Directory's shape: more columns than
	// the three read, a unit no client uses and one without a grid
	// reference.
	codes, at := ruPostcodes()
	pcRows := [][]string{{"pcd", "pcd2", "pcds", "dointr", "doterm", "oscty", "ctry", "rgn", "lat", "long"}}
	for _, c := range codes {
		lat, lon := ll(at[c])
		pcRows = append(pcRows, []string{strings.ReplaceAll(c, " ", ""), c, c, "202001", "", "E99999999", "E92000001", "E12000004", lat, lon})
	}
	pcRows = append(pcRows, []string{"RU99ZZ", "RU9 9ZZ", "RU9 9ZZ", "202001", "202312", "E99999999", "E92000001", "E12000004", "99.999999", "0.000000"})
	return map[string][]byte{
		"carers.csv": csvOf(carers), "clients.csv": csvOf(clients), "care.csv": csvOf(care), "postcodes.csv": csvOf(pcRows),
		"town.osm": townOSM(houses),
	}, houses
}

// townOSM writes the town's streets and houses as OSM XML: the junctions
// are nodes 1..100, houses follow, then the ways.
func townOSM(houses []ruHouse) []byte {
	var b bytes.Buffer
	b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
	b.WriteString("<!-- Generated by importer/example_test.go (go test ./importer -run TestExampleSet -update); do not edit. -->\n")
	b.WriteString("<osm version=\"0.6\" generator=\"rounds example town\">\n")
	node := func(x, y int) int { return y*10 + x + 1 }
	for y := range 10 {
		for x := range 10 {
			l := ruAt(float64(x), float64(y))
			fmt.Fprintf(&b, " <node id=\"%d\" version=\"1\" lat=\"%.7f\" lon=\"%.7f\"/>\n", node(x, y), l.Lat, l.Lon)
		}
	}
	for i, h := range houses {
		fmt.Fprintf(&b, " <node id=\"%d\" version=\"1\" lat=\"%.7f\" lon=\"%.7f\">\n", 1001+i, h.at.Lat, h.at.Lon)
		fmt.Fprintf(&b, "  <tag k=\"addr:housenumber\" v=\"%s\"/>\n  <tag k=\"addr:street\" v=\"%s\"/>\n  <tag k=\"addr:postcode\" v=\"%s\"/>\n  <tag k=\"addr:city\" v=\"Rutham\"/>\n",
			h.number, h.street, h.postcode)
		b.WriteString(" </node>\n")
	}
	wayID := 1
	way := func(nodes []int, tags [][2]string) {
		fmt.Fprintf(&b, " <way id=\"%d\" version=\"1\">\n", wayID)
		wayID++
		for _, n := range nodes {
			fmt.Fprintf(&b, "  <nd ref=\"%d\"/>\n", n)
		}
		for _, t := range tags {
			fmt.Fprintf(&b, "  <tag k=\"%s\" v=\"%s\"/>\n", t[0], t[1])
		}
		b.WriteString(" </way>\n")
	}
	// Each street is cut into ways where its tags change.
	for _, row := range []bool{true, false} {
		for i := range 10 {
			at := func(k int) int {
				if row {
					return node(k, i)
				}
				return node(i, k)
			}
			start := 0
			for k := 1; k <= 9; k++ {
				if k == 9 || !slices.Equal(ruSegment(row, i, k), ruSegment(row, i, start)) {
					var nodes []int
					for j := start; j <= k; j++ {
						nodes = append(nodes, at(j))
					}
					way(nodes, ruSegment(row, i, start))
					start = k
				}
			}
		}
	}
	for _, p := range ruFootpaths {
		way([]int{node(int(p[0][0]), int(p[0][1])), node(int(p[1][0]), int(p[1][1]))}, [][2]string{{"highway", "footway"}})
	}
	b.WriteString("</osm>\n")
	return b.Bytes()
}

// TestExampleSet keeps testdata/import/ in step with the plan above, and
// checks that it imports as a valid week, with every place on the streets
// its carers use.
func TestExampleSet(t *testing.T) {
	want, houses := exampleFiles()
	for name, data := range want {
		path := filepath.Join(exampleDir, name)
		if *update {
			if err := os.MkdirAll(exampleDir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./importer -run TestExampleSet -update to write it)", err)
		}
		if !bytes.Equal(got, data) {
			t.Fatalf("%s is out of date: run go test ./importer -run TestExampleSet -update", path)
		}
	}
	if len(want["town.osm"]) > 300<<10 {
		t.Errorf("town.osm is %d KB; keep it under 300", len(want["town.osm"])>>10)
	}
	n, err := road.LoadFile(context.Background(), filepath.Join(exampleDir, "town.osm"), road.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := n.Addresses().Len(); got != len(houses) {
		t.Errorf("the map holds %d addresses, want the %d houses", got, len(houses))
	}
	open := func(name string) importer.File {
		return importer.File{Name: name, R: bytes.NewReader(want[name])}
	}
	in, err := importer.Read(open("carers.csv"), open("clients.csv"), open("care.csv"), importer.Options{
		Start: "2026-11-23", Days: 7, Name: "Rutham week 48", Postcodes: open("postcodes.csv"), Addresses: n.Addresses()})
	if err != nil {
		t.Fatal(err)
	}
	in = reencode(t, in)
	if len(in.Carers) != 25 || len(in.Clients) != 50 || len(in.Care) < 120 || len(in.Visits) != 1 {
		t.Errorf("%d carers, %d clients, %d care entries, %d dated visits", len(in.Carers), len(in.Clients), len(in.Care), len(in.Visits))
	}
	// Every client and every carer's start lies on the streets of each
	// mode the team uses (Legs refuses a place too far from them).
	var pts []roster.Location
	for _, c := range in.Clients {
		pts = append(pts, c.Location)
	}
	for _, k := range in.Carers {
		pts = append(pts, k.Start)
	}
	for _, m := range []roster.Mode{roster.Walk, roster.Drive, roster.Cycle} {
		if _, _, err := n.Legs(context.Background(), pts, pts[:1], m); err != nil {
			t.Errorf("%s: %v", m, err)
		}
	}
}
