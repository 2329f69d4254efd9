package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/locality"
	"github.com/rounds-dev/rounds/synth"
)

// The district of the localities test: a small town of a few hundred
// clients, with the Bradford-shaped district's hours a client (19,600
// hours over 1,500 clients) and its share of double-handed visits, so
// that its localities are a few dozen clients each.
const (
	testDistrictClients = 150
	testDistrictHours   = 150 * 19600.0 / 1500
	// testIterations bounds each representative day's solve: enough to
	// size a locality roughly, and quick.
	testIterations = "60"
)

// TestLocalities runs the commissioner's afternoon on the Localities
// view: load a district's demand, ask for proposals of 3 and 5
// localities, colour the map by a figure and another, evaluate the
// council's current boundaries, which leave a client out, and download
// the table.
func TestLocalities(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the browser test needs Chromium at %s (apt-get install chromium): %v", chromiumPath, err)
		}
		t.Skipf("the browser test needs Chromium at %s (apt-get install chromium); skipped", chromiumPath)
	}
	if testing.Short() {
		t.Skip("the browser test takes half a minute; skipped with -short")
	}
	if err := os.MkdirAll(screens, 0o755); err != nil {
		t.Fatal(err)
	}
	d, err := synth.GenerateDistrict(synth.DistrictConfig{Seed: 5, Clients: testDistrictClients, WeeklyHours: testDistrictHours,
		DoubleShare: synth.DefaultDistrictDoubleShare, Centres: 3, Centre: synth.Bradford, RadiusKM: 3})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var csv bytes.Buffer
	if err := locality.WriteDemand(&csv, d); err != nil {
		t.Fatal(err)
	}
	demand := filepath.Join(dir, "demand.csv")
	if err := os.WriteFile(demand, csv.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	sl, err := geo.NewStraightLine(nil)
	if err != nil {
		t.Fatal(err)
	}
	b := open(t, sl)
	// The header's link leads from the rota board to the localities.
	b.do(chromedp.Click(`nav.views a[href="/localities"]`), chromedp.WaitVisible(`#lmap`))
	b.poll(`location.pathname === '/localities' && document.body.dataset.ready === '1'`, 10*time.Second)

	// The demand CSV, through the form.
	b.do(chromedp.Click(chromedp.ID("demand-toggle")))
	b.do(chromedp.SetUploadFiles(chromedp.ID("demand-csv"), []string{demand}))
	b.setValue("demand-name", "Testshire")
	b.do(chromedp.Click(chromedp.ID("demand-btn")))
	b.answerKey()
	b.poll(`document.body.classList.contains('has-district')`, 20*time.Second)
	if n := b.number(`window.roundsLocalities.district.clients.length`); n != testDistrictClients {
		t.Fatalf("the page holds %v clients of the %d in the CSV", n, testDistrictClients)
	}

	// Proposals for 3 and 5 localities, by both methods.
	b.setValue("propose-k", "3, 5")
	b.setValue("iterations", testIterations)
	start := time.Now()
	b.do(chromedp.Click(chromedp.ID("propose")))
	b.waitLocalities()
	t.Logf("proposals for k 3 and 5 took %s", time.Since(start).Round(time.Millisecond))
	names := b.optionNames()
	if want := []string{"k03-azp", "k03-kmeans", "k05-azp", "k05-kmeans"}; !slices.Equal(names, want) {
		t.Fatalf("options %v, want %v", names, want)
	}
	for _, name := range names {
		b.show(name)
		b.assertEveryLocalityDrawn(name)
	}

	// Another figure: the legend follows.
	b.show("k05-azp")
	before := b.text(`document.getElementById('legend').textContent`)
	for _, c := range []struct{ figure, words string }{{"carers_needed", "Carers needed"}, {"walkable", "yes"}, {"weekly_hours", "Weekly hours"}} {
		b.setFigure(c.figure)
		legend := b.text(`document.getElementById('legend').textContent`)
		if !strings.Contains(legend, c.words) || b.text(`document.getElementById('legend').dataset.figure`) != c.figure {
			t.Errorf("coloured by %s, the legend reads %q", c.figure, legend)
		}
		if c.figure != "weekly_hours" && legend == before {
			t.Errorf("coloured by %s, the legend is still %q", c.figure, legend)
		}
		if got := b.text(`document.getElementById('lmap').dataset.figure`); got != c.figure {
			t.Errorf("the map is coloured by %s, want %s", got, c.figure)
		}
	}
	// The k-means proposal of 5, whose localities differ most, for the
	// picture.
	b.show("k05-kmeans")
	b.screenshot("localities-map.png")

	// The council's current boundaries, which leave the easternmost client
	// out, evaluated beside the proposals.
	current := filepath.Join(dir, "current.geojson")
	if err := os.WriteFile(current, currentBoundaries(t, d), 0o644); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.SetUploadFiles(chromedp.ID("boundary-files"), []string{current}))
	b.poll(`window.roundsLocalities.options.some((o) => o.name === 'current') && !document.getElementById('evaluate').disabled`, 10*time.Second)
	b.do(chromedp.Click(chromedp.ID("evaluate")))
	b.waitLocalities()
	b.show("current")
	b.assertEveryLocalityDrawn("current")
	un := b.text(`(() => {
		const r = document.querySelector('#compare tr.unallocated[data-option="current"]');
		return r ? r.querySelector('td').textContent : 'none';
	})()`)
	if un != "1" {
		t.Errorf("the unallocated row of current shows %q clients, want 1", un)
	}
	if n := b.number(`Number(document.getElementById('lmap').dataset.outside)`); n != 1 {
		t.Errorf("the map rings %v clients in no locality, want 1", n)
	}
	if n := b.number(`document.querySelectorAll('#summary thead th[scope=col]').length - 1`); n != 5 {
		t.Errorf("the summary compares %v options, want 5", n)
	}
	b.do(chromedp.Evaluate[chromedp.Void](`document.getElementById('compare').scrollIntoView()`))
	b.screenshot("localities-compare.png")

	// The downloads: the option shown with its figures, and the table.
	raw := b.save(`0`, "download-geojson")
	fc, err := geojson.UnmarshalFeatureCollection(raw)
	if err != nil {
		t.Fatalf("the GeoJSON download: %v", err)
	}
	if len(fc.Features) != 3 || fc.Features[0].Properties["carers_needed"] == nil {
		t.Errorf("the GeoJSON download has %d features, the first's properties %v", len(fc.Features), fc.Features[0].Properties)
	}
	table := string(b.save(`0`, "download-csv"))
	lines := strings.Split(strings.TrimSpace(table), "\r\n")
	rows := int(b.number(`document.querySelectorAll('#compare tr[data-locality]').length`))
	if len(lines) != rows+1 || !strings.HasPrefix(lines[0], "option,locality,unallocated,clients,weekly_hours") {
		t.Errorf("the CSV has %d lines for the table's %d rows; it begins %q", len(lines), rows, lines[0])
	}
	if !strings.Contains(table, "current,unallocated,true,1,") {
		t.Errorf("the CSV has no unallocated row of current:\n%s", table)
	}

	// Several bands: region growing once a band, beside k-means, each
	// named by its band; a band given twice is refused before any job.
	b.setValue("propose-k", "3")
	b.setValue("propose-bands", "10, 10")
	b.do(chromedp.Click(chromedp.ID("propose")))
	b.poll(`document.getElementById('problems').textContent.includes('a band is given twice')`, 5*time.Second)
	b.setValue("propose-bands", "10, 100")
	b.do(chromedp.Click(chromedp.ID("propose")))
	b.waitLocalities()
	names = b.optionNames()
	for _, want := range []string{"k03-azp-t10", "k03-azp-t100", "k03-kmeans"} {
		if !slices.Contains(names, want) {
			t.Errorf("options %v lack %s", names, want)
		}
	}
	b.show("k03-azp-t100")
	b.assertEveryLocalityDrawn("k03-azp-t100")
	if head := b.text(`document.querySelector('#summary thead').textContent`); !strings.Contains(head, "k03-azp-t100region growing ±100%") {
		t.Errorf("the summary's head %q does not name the band", head)
	}
	b.assertNoErrors()
}

// waitLocalities waits for the localities job the page runs, and its
// progress bar.
func (b *board) waitLocalities() {
	b.t.Helper()
	b.poll(`['done', 'failed', 'cancelled'].includes(document.getElementById('progress-box').dataset.state) && document.body.dataset.busy === ''`, 3*time.Minute)
	if st := b.text(`document.getElementById('progress-box').dataset.state`); st != "done" {
		b.t.Fatalf("the localities job ended %s: %s", st, b.text(`document.getElementById('problems').textContent`))
	}
}

// optionNames are the options the page holds, in order.
func (b *board) optionNames() []string {
	b.t.Helper()
	var names []string
	if err := json.Unmarshal([]byte(b.text(`JSON.stringify(window.roundsLocalities.options.map((o) => o.name))`)), &names); err != nil {
		b.t.Fatal(err)
	}
	return names
}

// show chooses the option on the map, as the select does.
func (b *board) show(name string) {
	b.t.Helper()
	b.do(chromedp.SetValue(chromedp.ID("option"), name), chromedp.Evaluate[chromedp.Void](`document.getElementById('option').dispatchEvent(new Event('change'))`))
	b.poll(fmt.Sprintf(`document.getElementById('lmap').dataset.option === %q`, name), 5*time.Second)
}

// setFigure colours the map by figure, as the select does.
func (b *board) setFigure(figure string) {
	b.t.Helper()
	b.do(chromedp.SetValue(chromedp.ID("figure"), figure), chromedp.Evaluate[chromedp.Void](`document.getElementById('figure').dispatchEvent(new Event('change'))`))
	b.poll(fmt.Sprintf(`document.getElementById('legend').dataset.figure === %q`, figure), 5*time.Second)
}

// assertEveryLocalityDrawn checks that each locality of the option shown
// has a polygon on the map and a row in the table, and no more.
func (b *board) assertEveryLocalityDrawn(option string) {
	b.t.Helper()
	var drawn, rows []string
	if err := json.Unmarshal([]byte(b.text(`document.getElementById('lmap').dataset.drawnNames`)), &drawn); err != nil {
		b.t.Fatal(err)
	}
	raw := b.text(fmt.Sprintf(`JSON.stringify([...document.querySelectorAll('#compare tr[data-testid=locality][data-option=%q]')].map((r) => r.dataset.locality))`, option))
	if err := json.Unmarshal([]byte(raw), &rows); err != nil {
		b.t.Fatal(err)
	}
	features := int(b.number(`Number(document.getElementById('lmap').dataset.features)`))
	if len(drawn) == 0 || len(drawn) != features || !slices.Equal(drawn, rows) {
		b.t.Errorf("%s: %d localities, polygons drawn for %v, table rows for %v", option, features, drawn, rows)
	}
}

// currentBoundaries are three side-by-side rectangles over the district,
// west to east, whose east edge stops short of its easternmost client.
func currentBoundaries(t *testing.T, d *locality.District) []byte {
	t.Helper()
	lons := make([]float64, len(d.Clients))
	s, n := 90.0, -90.0
	for i, c := range d.Clients {
		lons[i] = c.Location.Lon
		s, n = min(s, c.Location.Lat), max(n, c.Location.Lat)
	}
	slices.Sort(lons)
	last := len(lons) - 1
	if lons[last] == lons[last-1] {
		t.Fatal("the two easternmost clients share a longitude")
	}
	w, e := lons[0]-0.002, (lons[last-1]+lons[last])/2
	a, b := lons[len(lons)/3], lons[2*len(lons)/3]
	s, n = s-0.002, n+0.002
	fc := geojson.NewFeatureCollection()
	for i, x := range [][2]float64{{w, a}, {a, b}, {b, e}} {
		f := geojson.NewFeature(orb.Polygon{{{x[0], s}, {x[1], s}, {x[1], n}, {x[0], n}, {x[0], s}}})
		f.Properties["name"] = []string{"West", "Middle", "East"}[i]
		fc.Append(f)
	}
	raw, err := json.Marshal(fc)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
