package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb/geojson"
	"github.com/rounds-dev/rounds/locality"
	"github.com/rounds-dev/rounds/synth"
)

// smallDistrict writes a generated district of 120 clients (about 2,400
// visits a week) as a demand CSV in dir.
func smallDistrict(t *testing.T, dir string) string {
	t.Helper()
	cfg := synth.DefaultDistrictConfig()
	cfg.Clients, cfg.WeeklyHours, cfg.RadiusKM = 120, 1600, 6
	d, err := synth.GenerateDistrict(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := locality.WriteDemand(&b, d); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "district.csv")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// quickSizing are the flags that keep the tests' solves short.
var quickSizing = []string{"--iterations", "60", "--workers", "2", "--seed", "3"}

// TestLocalitiesProposeThenEvaluate: propose writes each k and method's
// boundaries with the figures as feature properties and answers the
// questions over the k; evaluate reads the written boundaries back and
// compares two options side by side, with the CSV and GeoJSON it is asked
// for.
func TestLocalitiesProposeThenEvaluate(t *testing.T) {
	dir := t.TempDir()
	demand := smallDistrict(t, dir)
	out := filepath.Join(dir, "prop") + "/"
	args := append([]string{"localities", "propose", demand, "--k", "2,3", "--method", "both", "-o", out}, quickSizing...)
	code, stdout, stderr := runCLI(t, args...)
	if code != exitOK {
		t.Fatalf("propose: exit %d: %s", code, stderr)
	}
	for _, want := range []string{"k02-azp", "k03-kmeans", "azp: smallest k with every locality walkable:", "kmeans: k with every locality viable (700-2000 h a week):"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("propose's output lacks %q:\n%s", want, stdout)
		}
	}
	for _, name := range []string{"k02-azp", "k02-kmeans", "k03-azp", "k03-kmeans"} {
		data, err := os.ReadFile(out + name + ".geojson")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := locality.ReadBoundaries(bytes.NewReader(data)); err != nil {
			t.Errorf("%s does not read back as boundaries: %v", name, err)
		}
		fc, err := geojson.UnmarshalFeatureCollection(data)
		if err != nil {
			t.Fatal(err)
		}
		for i, f := range fc.Features {
			if n, ok := f.Properties["carers_needed"].(float64); !ok || n < 1 || f.Properties["option"] != name {
				t.Errorf("%s: feature %d's properties %v lack its carers and option", name, i, f.Properties)
			}
		}
	}

	csvPath, geoOut := filepath.Join(dir, "report.csv"), filepath.Join(dir, "eval.geojson")
	args = append([]string{"localities", "evaluate", demand, out + "k02-azp.geojson", out + "k03-kmeans.geojson", "--csv", csvPath, "-o", geoOut}, quickSizing...)
	code, stdout, stderr = runCLI(t, args...)
	if code != exitOK {
		t.Fatalf("evaluate: exit %d: %s", code, stderr)
	}
	head := strings.SplitN(stdout, "\n", 2)[0]
	if !strings.Contains(head, "k02-azp") || !strings.Contains(head, "k03-kmeans") {
		t.Errorf("the table's head %q does not compare both options", head)
	}
	for _, want := range []string{"carers needed a day", "balance CV of hours", "CO2 0.17 kg a driven km"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("evaluate's output lacks %q:\n%s", want, stdout)
		}
	}
	f, err := os.Open(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil || len(recs) != 1+2+3 {
		t.Errorf("CSV: %d records (%v), want a header and 5 localities", len(recs), err)
	}
	for _, name := range []string{"eval-k02-azp.geojson", "eval-k03-kmeans.geojson"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("no %s: %v", name, err)
		}
	}
}

// TestLocalitiesProposeHoursOnly: with --no-evaluate a scan over k
// answers the viability question from the hours alone, and says it did not
// ask about walking.
func TestLocalitiesProposeHoursOnly(t *testing.T) {
	dir := t.TempDir()
	demand := smallDistrict(t, dir)
	code, stdout, stderr := runCLI(t, "localities", "propose", demand, "--k", "1-4", "--tolerance", "0.05", "--no-evaluate", "-o", filepath.Join(dir, "p-"))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// 1,600 hours: one locality (and two of 800) are viable, three and
	// four of about 530 and 400 are not. The table's balance column
	// names the tolerance asked for.
	for _, want := range []string{"1   azp     ±5%", "azp: k with every locality viable (700-2000 h a week): 1-2", "walkable: not asked (--no-evaluate)"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "p-k04-azp.geojson")); err != nil {
		t.Error(err)
	}
}

// TestLocalitiesProposeBands: a list of tolerances proposes once a band
// by region growing and once by k-means, names each file and each
// answer by its band, and keeps each band: the wider band's localities
// are no better balanced than the narrow one's.
func TestLocalitiesProposeBands(t *testing.T) {
	dir := t.TempDir()
	demand := smallDistrict(t, dir)
	code, stdout, stderr := runCLI(t, "localities", "propose", demand, "--k", "2-3", "--method", "both", "--tolerance", "0.05,1", "--no-evaluate", "-o", dir+"/")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"3   azp     ±5%", "3   azp     ±100%", "3   kmeans  ±5%", "wrote 6 proposals",
		"azp ±5%: k with every locality viable", "azp ±100%: k with every locality viable", "kmeans: k with every locality viable"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	hours := func(name string) []float64 {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, name+".geojson"))
		if err != nil {
			t.Fatal(err)
		}
		var fc struct {
			Features []struct {
				Properties struct {
					WeeklyHours float64 `json:"weekly_hours"`
				} `json:"properties"`
			} `json:"features"`
		}
		if err := json.Unmarshal(b, &fc); err != nil {
			t.Fatal(err)
		}
		var out []float64
		for _, f := range fc.Features {
			out = append(out, f.Properties.WeeklyHours)
		}
		return out
	}
	spread := func(h []float64) float64 { return slices.Max(h) / slices.Min(h) }
	for _, k := range []string{"k02", "k03"} {
		narrow, wide := hours(k+"-azp-t5"), hours(k+"-azp-t100")
		if len(narrow) == 0 || len(wide) != len(narrow) || len(hours(k+"-kmeans")) != len(narrow) {
			t.Fatalf("%s: %d, %d and %d localities", k, len(narrow), len(wide), len(hours(k+"-kmeans")))
		}
		mean := 0.0
		for _, h := range narrow {
			mean += h / float64(len(narrow))
		}
		for _, h := range narrow {
			if math.Abs(h-mean) > 0.05*mean {
				t.Errorf("%s within ±5%%: a locality of %.0f h against a mean of %.0f", k, h, mean)
			}
		}
		if spread(wide) < spread(narrow) {
			t.Errorf("%s: ±100%% gave max/min %.2f, tighter than ±5%%'s %.2f", k, spread(wide), spread(narrow))
		}
	}
}

// TestLocalitiesWarnsUnallocated: clients outside every locality are
// counted in their own row and warned of, not dropped.
func TestLocalitiesWarnsUnallocated(t *testing.T) {
	dir := t.TempDir()
	demand := smallDistrict(t, dir)
	// A box around Bradford's centre, 2 km across: most clients lie outside.
	c := synth.Bradford
	box := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Centre"},"geometry":{"type":"Polygon","coordinates":[[` +
		pt(c.Lon-0.015, c.Lat-0.009) + "," + pt(c.Lon+0.015, c.Lat-0.009) + "," + pt(c.Lon+0.015, c.Lat+0.009) + "," +
		pt(c.Lon-0.015, c.Lat+0.009) + "," + pt(c.Lon-0.015, c.Lat-0.009) + `]]}}]}`
	path := filepath.Join(dir, "centre.geojson")
	if err := os.WriteFile(path, []byte(box), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, append([]string{"localities", "evaluate", demand, path}, quickSizing...)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "warning: centre:") || !strings.Contains(stderr, "lie in no locality") {
		t.Errorf("no warning of the unallocated clients: %s", stderr)
	}
	if !strings.Contains(stdout, "unallocated") {
		t.Errorf("no unallocated row:\n%s", stdout)
	}
}

func pt(lon, lat float64) string {
	return "[" + strconv.FormatFloat(lon, 'f', -1, 64) + "," + strconv.FormatFloat(lat, 'f', -1, 64) + "]"
}

// TestLocalitiesRefuses: bad input exits 2 and names the file and field
// or the flag at fault.
func TestLocalitiesRefuses(t *testing.T) {
	dir := t.TempDir()
	demand := smallDistrict(t, dir)
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	feature := func(name, ring string) string {
		return `{"type":"Feature","properties":{"name":"` + name + `"},"geometry":{"type":"Polygon","coordinates":[` + ring + `]}}`
	}
	bow := write("bow.geojson", `{"type":"FeatureCollection","features":[`+feature("A", "[[0,0],[1,1],[1,0],[0,1],[0,0]]")+`]}`)
	overlapping := write("overlap.geojson", `{"type":"FeatureCollection","features":[`+
		feature("A", "[[0,0],[2,0],[2,2],[0,2],[0,0]]")+","+feature("B", "[[1,1],[3,1],[3,3],[1,3],[1,1]]")+`]}`)
	good := write("good.geojson", `{"type":"FeatureCollection","features":[`+feature("A", "[[-3,53],[0,53],[0,55],[-3,55],[-3,53]]")+`]}`)
	zero := write("zero.csv", "id,lat,lon,weekly_hours,bands\nc1,53.8,-1.75,0,morning\n")
	long := write("long.csv", "id,lat,lon,weekly_hours,bands\nc1,53.8,-1.75,100,morning\n")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"a self-intersecting polygon", []string{"evaluate", demand, bow}, "bow.geojson: features[0].geometry.coordinates[0]: the ring crosses itself"},
		{"overlapping localities", []string{"evaluate", demand, overlapping}, "overlap.geojson: features[1].geometry: overlaps features[0]"},
		{"a row of zero hours", []string{"evaluate", zero, good}, "weekly_hours"},
		{"a call too long for its shift", []string{"evaluate", long, good}, "long.csv: clients[0] (c1).bands[0]: a 857-minute morning call does not fit in the shift"},
		{"no boundaries", []string{"evaluate", demand}, "want a demand CSV and at least one boundaries GeoJSON"},
		{"a missing file", []string{"evaluate", demand, filepath.Join(dir, "none.geojson")}, "none.geojson"},
		{"a walk share over 1", []string{"evaluate", demand, good, "--walk-share", "1.5"}, "--walk-share: must be from 0 to 1"},
		{"no k", []string{"propose", demand}, "--k: give the numbers of localities"},
		{"a k backwards", []string{"propose", demand, "--k", "9-4"}, `--k: "9-4"`},
		{"an unknown method", []string{"propose", demand, "--k", "3", "--method", "voronoi"}, "--method: want azp, kmeans or both"},
		{"a tolerance of nothing", []string{"propose", demand, "--k", "3", "--tolerance", "0"}, `--tolerance: "0": want shares of the mean from 0.01 to 1`},
		{"a band that is no number", []string{"propose", demand, "--k", "3", "--tolerance", "0.1,wide"}, `--tolerance: "wide": want shares of the mean`},
		{"a band given twice", []string{"propose", demand, "--k", "3", "--tolerance", "0.1,0.3,0.1"}, "--tolerance: 0.1 is given twice"},
		{"bands for k-means alone", []string{"propose", demand, "--k", "3", "--method", "kmeans", "--tolerance", "0.1,0.3"}, "--tolerance: several bands are for region growing"},
		{"sizing seeds without sizing", []string{"propose", demand, "--k", "3", "--no-evaluate", "--sizing-seeds", "2"}, "--sizing-seeds: with --no-evaluate nothing is sized"},
		{"more localities than clients' cells", []string{"propose", demand, "--k", "500", "--no-evaluate"}, "--k 500:"},
		{"no subcommand", nil, "usage: rounds localities evaluate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append(append([]string{"localities"}, tc.args...), "--iterations", "30", "-o", filepath.Join(dir, "out")+"/")
			if tc.args == nil {
				args = []string{"localities"}
			}
			code, _, stderr := runCLI(t, args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d: %s", code, exitUsage, stderr)
			}
			if !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr lacks %q:\n%s", tc.want, stderr)
			}
		})
	}
}

// TestLocalitiesSizingSeeds: --sizing-seeds 3 sizes the option with seeds
// 1, 2 and 3, says how its figures moved, and shows one of the sizings:
// its tables are those of that seed alone. (TestSpreadOf checks that it
// is the median by travel share.)
func TestLocalitiesSizingSeeds(t *testing.T) {
	dir := t.TempDir()
	demand := smallDistrict(t, dir)
	code, _, stderr := runCLI(t, "localities", "propose", demand, "--k", "2", "--no-evaluate", "-o", dir+"/")
	if code != exitOK {
		t.Fatalf("propose: exit %d: %s", code, stderr)
	}
	evaluate := func(extra ...string) string {
		t.Helper()
		args := append([]string{"localities", "evaluate", demand, filepath.Join(dir, "k02-azp.geojson"), "--iterations", "40", "--workers", "2", "--quiet"}, extra...)
		code, stdout, stderr := runCLI(t, args...)
		if code != exitOK {
			t.Fatalf("evaluate %v: exit %d: %s", extra, code, stderr)
		}
		return stdout
	}
	out := evaluate("--sizing-seeds", "3")
	i := strings.Index(out, "k02-azp over 3 sizing seeds (1 to 3): travel share ")
	if i < 0 {
		t.Fatalf("no spread line:\n%s", out)
	}
	var shown int64
	if _, err := fmt.Sscanf(out[strings.Index(out[i:], "the tables show sizing seed ")+i:], "the tables show sizing seed %d", &shown); err != nil || shown < 1 || shown > 3 {
		t.Fatalf("the shown seed: %v (%d)", err, shown)
	}
	// The tables, down to the supply line, are those of the shown seed's
	// sizing alone.
	tables := func(s string) string { return s[:strings.Index(s, "\nsupply:")] }
	one := evaluate("--seed", strconv.FormatInt(shown, 10))
	if tables(out) != tables(one) {
		t.Errorf("the tables differ from seed %d's:\n%s\nagainst\n%s", shown, tables(out), tables(one))
	}
	if strings.Contains(one, "sizing seeds") {
		t.Error("one sizing seed printed a spread line")
	}
	if code, _, stderr := runCLI(t, "localities", "evaluate", demand, filepath.Join(dir, "k02-azp.geojson"), "--sizing-seeds", "0"); code != exitUsage || !strings.Contains(stderr, "--sizing-seeds") {
		t.Errorf("--sizing-seeds 0: exit %d, %s", code, stderr)
	}
}
