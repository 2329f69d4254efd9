package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/paulmach/orb/geojson"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/rounds-dev/rounds/api"
	"github.com/rounds-dev/rounds/api/jobs"
	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/geo/matrixcache"
	"github.com/rounds-dev/rounds/geo/road"
	"github.com/rounds-dev/rounds/roster"
)

// The browser test drives the board in Debian's Chromium, headless, against
// the API served in process. It needs /usr/bin/chromium: without it the
// test is skipped, except under CI=true, where it fails.
const chromiumPath = "/usr/bin/chromium"

// testKey is the service's one API key: the page asks for it at the first
// 401, as a coordinator would be asked.
const testKey = "board-test-key"

// screens is where the screenshots are written, for the README and for
// people to look at.
const screens = "testdata/screens"

// The example CSV set of testdata/import and the period it is imported
// for: recurring care, a week from a Monday.
const (
	importDir   = "../testdata/import"
	importStart = "2026-11-23"
	importDays  = "7"
	importOSM   = "../testdata/import/town.osm"
)

// TestBoard runs the coordinator's day on the board.
func TestBoard(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the browser test needs Chromium at %s (apt-get install chromium): %v", chromiumPath, err)
		}
		t.Skipf("the browser test needs Chromium at %s (apt-get install chromium); skipped", chromiumPath)
	}
	if testing.Short() {
		t.Skip("the browser test takes a minute; skipped with -short")
	}
	if err := os.MkdirAll(screens, 0o755); err != nil {
		t.Fatal(err)
	}

	// What the service does today: open JSON instances, solve them, draw
	// a day, a week and a 300-visit day, and flag a saved plan's broken
	// rules.
	t.Run("json instances", func(t *testing.T) {
		sl, err := geo.NewStraightLine(nil)
		if err != nil {
			t.Fatal(err)
		}
		b := open(t, sl)

		day := readJSON(t, "../testdata/example_day.json")
		b.openJSON("example_day.json", day)
		b.solve(2)
		b.assertEveryRoundDrawn()
		b.assertPlanChecks(day)
		b.screenshot("board-day.png")

		// The key figures are the plan's own.
		served := b.text(`document.querySelector('[data-testid=kpi-served] dd').firstChild.textContent`)
		plan := b.plan()
		if want := fmt.Sprintf("%d / %d", plan.KPIs.VisitsServed, plan.KPIs.Visits); served != want {
			t.Errorf("served shows %q, want %q", served, want)
		}

		// A saved plan with a visit moved past its window: the checker's
		// violations are flagged next to the stop.
		broken, visit := breakPlan(t, day, plan)
		b.openJSON("saved.json", map[string]any{"instance": json.RawMessage(day), "plan": broken})
		b.poll(`document.getElementById('violations').dataset.checked === 'true'`, 20*time.Second)
		b.assertFlagNextTo(visit, "")
		b.screenshot("board-violation.png")

		week := readJSON(t, "../testdata/week_small.json")
		b.openJSON("week_small.json", week)
		b.solve(3)
		b.assertEveryRoundDrawn()
		b.assertPlanChecks(week)
		b.do(chromedp.Click(chromedp.ID("view-week")))
		b.poll(`document.getElementById('timeline').dataset.view === 'week'`, 5*time.Second)
		b.assertEveryRoundDrawn()

		// A 300-visit day: from the plan's arrival to the next animation
		// frame, measured in the page.
		big := readJSON(t, "../testdata/locality_day_300.json")
		b.openJSON("locality_day_300.json", big)
		b.solve(3)
		b.assertEveryRoundDrawn()
		ms := b.number(`Number(document.body.dataset.renderMs)`)
		t.Logf("300-visit day drawn %.1f ms after the plan arrived (%s ms of script)", ms, b.text(`document.body.dataset.renderScriptMs`))
		if ms <= 0 || ms >= 1000 {
			t.Errorf("the 300-visit day took %.1f ms to draw, want well under a second", ms)
		}
		if n := b.number(`Number(document.getElementById('timeline').dataset.visits)`); n < 250 {
			t.Errorf("the timeline draws %v visits of the 300-visit day", n)
		}
		// Straight-line travel: the map does not ask for streets.
		b.poll(`document.getElementById('map').dataset.streetState === 'none'`, 5*time.Second)
		if n := b.number(`Number(document.getElementById('map').dataset.streetPaths)`); n != 0 {
			t.Errorf("the map draws %v rounds along streets on straight-line travel", n)
		}
		b.assertNoErrors()
	})

	// The desk as a coordinator uses it: import the CSV set, solve on the
	// road network, move a visit by hand and see the rule it breaks, pin
	// it, re-optimise the rest, export.
	t.Run("csv import, changes by hand, export", func(t *testing.T) {
		n, err := road.LoadFile(context.Background(), importOSM, road.Options{})
		if err != nil {
			t.Fatal(err)
		}
		b := open(t, n)

		b.importCSV()
		inst := []byte(b.text(`JSON.stringify(window.roundsBoard.instance)`))
		b.solve(5)
		b.assertEveryRoundDrawn()
		b.assertPlanChecks(inst)
		// The imported town's first day, on its streets, is the README's
		// picture of the board.
		if n := b.number(`Number(document.getElementById('map').dataset.streets)`); n == 0 {
			t.Error("the map has no streets from the service's extract")
		}
		b.assertRoundsFollowStreets()
		b.screenshot("board-day.png")

		// Drag a visit onto another carer's row, past its window: the
		// evaluated plan flags the stop.
		mv := b.dragCandidate()
		t.Logf("moving %s from %s to %s at %s", mv.Visit, mv.From, mv.To, mv.Start)
		b.drag(mv)
		b.poll(`document.body.dataset.busy === '' && document.getElementById('violations').dataset.count > 0`, 30*time.Second)
		b.assertFlagNextTo(mv.Visit, mv.To)
		if n := b.number(`Number(document.getElementById('map').dataset.flags)`); n < 1 {
			t.Errorf("the map shows %v flags, want the moved stop's", n)
		}
		// The changed plan's rounds follow the streets too, once asked.
		b.assertRoundsFollowStreets()
		b.screenshot("board-violation.png")

		// The moved visit's Start reads the 24-hour clock, and the arrow
		// keys step it five minutes.
		start := b.text(`document.getElementById('move-start').value`)
		if !regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`).MatchString(start) {
			t.Errorf("the Start field reads %q, want HH:MM on the 24-hour clock", start)
		}
		b.do(chromedp.Focus(chromedp.ID("move-start")), chromedp.KeyEvent(kb.ArrowUp))
		if got, want := b.text(`document.getElementById('move-start').value`), stepped(t, start, 5*time.Minute); got != want {
			t.Errorf("Up in the Start field %s: %s, want %s", start, got, want)
		}

		// Pin it and re-optimise the rest: the pin holds and the plan
		// keeps every rule.
		b.clickBlockStart(mv.Visit, mv.To)
		b.poll(`document.getElementById('detail-pin') !== null`, 5*time.Second)
		b.do(chromedp.Click(chromedp.ID("detail-pin")))
		b.poll(fmt.Sprintf(`window.roundsBoard.pins.has(%q)`, mv.Visit), 5*time.Second)
		b.setValue("time-limit", "5")
		b.do(chromedp.Click(chromedp.ID("replan")))
		b.waitSolved()
		plan := b.assertPlanChecks(inst)
		held := false
		for _, r := range plan.Rounds {
			for _, s := range r.Stops {
				held = held || (s.Visit == mv.Visit && r.Carer == mv.To)
			}
		}
		if !held {
			t.Errorf("after re-optimising, %s is not with %s, whom it was pinned to", mv.Visit, mv.To)
		}
		if n := b.number(`Number(document.getElementById('violations').dataset.count)`); n != 0 {
			t.Errorf("the board lists %v broken rules after re-optimising", n)
		}

		// The week of the re-optimised plan, along the streets.
		b.do(chromedp.Click(chromedp.ID("view-week")))
		b.poll(`document.getElementById('timeline').dataset.view === 'week'`, 5*time.Second)
		b.assertEveryRoundDrawn()
		b.assertRoundsFollowStreets()
		b.screenshot("board-week.png")

		// Export GeoJSON: a line for every round.
		raw := b.download("export-geojson")
		fc, err := geojson.UnmarshalFeatureCollection(raw)
		if err != nil {
			t.Fatalf("the GeoJSON export: %v", err)
		}
		lines := 0
		for _, f := range fc.Features {
			if f.Geometry.GeoJSONType() == "LineString" || f.Geometry.GeoJSONType() == "MultiLineString" {
				lines++
			}
		}
		if lines != len(plan.Rounds) {
			t.Errorf("the GeoJSON export has %d lines for %d rounds", lines, len(plan.Rounds))
		}
		if html := b.download("export-runsheets-html"); !bytes.Contains(html, []byte("<html")) && !bytes.Contains(html, []byte("<!doctype")) {
			t.Errorf("the run sheets are not HTML: %.200s", html)
		}
		b.assertNoErrors()
	})
}

// TestBoardServed checks the page as the API serves it: at /, with its
// assets under /assets/, each under the strict CSP.
func TestBoardServed(t *testing.T) {
	sl, err := geo.NewStraightLine(nil)
	if err != nil {
		t.Fatal(err)
	}
	url := serve(t, sl)
	for _, c := range []struct {
		path, contentType string
		status            int
	}{
		{"/", "text/html; charset=utf-8", 200},
		{"/assets/board.js", "text/javascript; charset=utf-8", 200},
		{"/assets/board.css", "text/css; charset=utf-8", 200},
		{"/assets/index.html", "", 404},
	} {
		res, err := http.Get(url + c.path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != c.status {
			t.Errorf("GET %s: %d, want %d", c.path, res.StatusCode, c.status)
			continue
		}
		if c.status != 200 {
			continue
		}
		if got := res.Header.Get("Content-Type"); got != c.contentType {
			t.Errorf("GET %s: Content-Type %q, want %q", c.path, got, c.contentType)
		}
		if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
			t.Errorf("GET %s: CSP %q", c.path, csp)
		}
	}
}

// board is a browser tab on the board, with the service behind it.
type board struct {
	t     *testing.T
	ctx   context.Context
	url   string
	cache *matrixcache.Cache
	errs  *pageErrors
}

// pageErrors are what the page logged as errors.
type pageErrors struct {
	mu   sync.Mutex
	list []string
}

func (e *pageErrors) add(s string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.list = append(e.list, s)
}

// serve starts the API in process: an in-memory job store, a worker, one
// API key and travel from provider. It answers the service's URL.
func serve(t *testing.T, provider geo.Provider) string {
	url, _ := serveWith(t, provider)
	return url
}

// serveWith is serve, also answering the matrix cache. A road network
// also draws the streets of the map and the exports, and places imported
// rows by address, as rounds serve --osm does.
func serveWith(t *testing.T, provider geo.Provider) (string, *matrixcache.Cache) {
	t.Helper()
	reg := prometheus.NewRegistry()
	cache := matrixcache.New(provider, matrixcache.Config{Registerer: reg})
	store := jobs.NewMemory(8, time.Hour)
	cfg := api.Config{
		Keys: []api.Key{{Name: "coordinator", Hash: api.HashKey(testKey)}},
		Jobs: store, Matrices: cache, Registry: reg,
	}
	if n, ok := provider.(*road.Network); ok {
		withNetwork(t, &cfg, n)
	}
	srv, err := api.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	w := &api.Worker{Name: "board-test", Jobs: store, Matrices: cache, SolverWorkers: 1, Touch: 100 * time.Millisecond, Grace: time.Second}
	go func() { w.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return hs.URL, cache
}

// withNetwork hands the network to the service's streets, exports and
// imports, as rounds serve --osm does.
func withNetwork(t *testing.T, cfg *api.Config, n *road.Network) {
	t.Helper()
	cfg.Streets = n
	cfg.Addresses = n.Addresses()
}

// open starts the service and Chromium, and opens the board.
func open(t *testing.T, provider geo.Provider) *board {
	t.Helper()
	url, cache := serveWith(t, provider)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		// A coordinator's browser in Britain. (Debian's Chromium keeps
		// its other locales in chromium-l10n: without it the browser's own
		// formats stay American, which is why the page's time fields are
		// its own 24-hour ones.)
		chromedp.Flag("lang", "en-GB"),
		chromedp.Flag("accept-lang", "en-GB"),
		chromedp.Env("LANGUAGE=en_GB"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1440, 960),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelTab(); cancelAlloc() })
	b := &board{t: t, ctx: ctx, url: url, cache: cache, errs: &pageErrors{}}

	// Exceptions and console errors (a CSP refusal is one) fail the test.
	exceptions := chromedp.Events(ctx, runtime.ExceptionThrown)
	console := chromedp.Events(ctx, runtime.ConsoleAPICalled)
	b.do(chromedp.Navigate(url + "/"))
	go func() {
		for ev, err := range exceptions {
			if err != nil {
				return
			}
			b.errs.add("exception: " + ev.ExceptionDetails.Text + " " + exceptionDescription(ev))
		}
	}()
	go func() {
		for ev, err := range console {
			if err != nil {
				return
			}
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning {
				var parts []string
				for _, a := range ev.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				b.errs.add(string(ev.Type) + ": " + strings.Join(parts, " "))
			}
		}
	}()
	b.poll(`document.body.dataset.ready === '1'`, 10*time.Second)
	if got := b.text(`navigator.language`); got != "en-GB" {
		t.Fatalf("Chromium's language is %q, want en-GB", got)
	}
	return b
}

func exceptionDescription(ev runtime.EventExceptionThrown) string {
	if ev.ExceptionDetails.Exception != nil {
		return ev.ExceptionDetails.Exception.Description
	}
	return ""
}

func (b *board) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatal(err)
	}
}

// poll waits until the expression is truthy.
func (b *board) poll(expr string, limit time.Duration) {
	b.t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(limit), chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		status := b.text(`document.getElementById('status').textContent + ' | ' + document.getElementById('problems').textContent`)
		b.t.Fatalf("waiting %s for %s: %v (the page says %q)", limit, expr, err, status)
	}
}

func (b *board) text(expr string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		b.t.Fatalf("%s: %v", expr, err)
	}
	return s
}

func (b *board) number(expr string) float64 {
	b.t.Helper()
	f, err := chromedp.Run(b.ctx, chromedp.Evaluate[float64](expr))
	if err != nil {
		b.t.Fatalf("%s: %v", expr, err)
	}
	return f
}

func (b *board) setValue(id, v string) {
	b.t.Helper()
	b.do(chromedp.SetValue(chromedp.ID(id), v))
}

// answerKey gives the page the API key if it is asking for it.
func (b *board) answerKey() {
	b.t.Helper()
	b.poll(`document.getElementById('key-dialog').open || document.body.dataset.busy === '' || document.body.classList.contains('has-instance')`, 10*time.Second)
	if b.text(`String(document.getElementById('key-dialog').open)`) == "true" {
		b.do(chromedp.SendKeys(chromedp.ID("key-input"), testKey), chromedp.Click(chromedp.ID("key-submit")))
	}
}

// openJSON opens a document through the page's file input.
func (b *board) openJSON(name string, doc any) {
	b.t.Helper()
	raw, ok := doc.([]byte)
	if !ok {
		var err error
		if raw, err = json.Marshal(doc); err != nil {
			b.t.Fatal(err)
		}
	}
	path := filepath.Join(b.t.TempDir(), name)
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.do(chromedp.Evaluate[chromedp.Void](`document.body.classList.remove('has-instance'); document.getElementById('instance-name').textContent = ''`))
	b.do(chromedp.SetUploadFiles(chromedp.ID("file-json"), []string{path}))
	b.answerKey()
	b.poll(`document.body.classList.contains('has-instance') && document.getElementById('instance-name').textContent !== ''`, 20*time.Second)
}

// importCSV loads the example CSV set through the import form.
func (b *board) importCSV() {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.ID("import-toggle")))
	for _, f := range []string{"carers", "clients", "care", "postcodes"} {
		path, err := filepath.Abs(filepath.Join(importDir, f+".csv"))
		if err != nil {
			b.t.Fatal(err)
		}
		if _, err := os.Stat(path); err != nil {
			if f == "postcodes" {
				continue // optional
			}
			b.t.Fatalf("the example CSV set: %v", err)
		}
		b.do(chromedp.SetUploadFiles(chromedp.ID("csv-"+f), []string{path}))
	}
	b.setValue("import-start", importStart)
	b.setValue("import-days", importDays)
	b.do(chromedp.Click(chromedp.ID("import-btn")))
	b.answerKey()
	b.poll(`document.body.classList.contains('has-instance')`, 30*time.Second)
}

// solve solves the open instance for limitS seconds and waits for the
// plan and its check.
func (b *board) solve(limitS int) {
	b.t.Helper()
	b.setValue("time-limit", fmt.Sprint(limitS))
	b.poll(`!document.getElementById('solve').disabled`, 10*time.Second)
	b.do(chromedp.Click(chromedp.ID("solve")))
	// The bar moves while the search runs.
	b.poll(`document.getElementById('progress-box').dataset.state === 'running'`, 10*time.Second)
	b.waitSolved()
}

func (b *board) waitSolved() {
	b.t.Helper()
	b.poll(`['done', 'failed', 'cancelled'].includes(document.getElementById('progress-box').dataset.state)`, 2*time.Minute)
	if state := b.text(`document.getElementById('progress-box').dataset.state`); state != "done" {
		b.t.Fatalf("the solve ended %s: %s", state, b.text(`document.getElementById('problems').textContent`))
	}
	b.poll(`document.getElementById('violations').dataset.checked === 'true'`, 30*time.Second)
}

// plan is the plan on the board.
func (b *board) plan() *roster.Plan {
	b.t.Helper()
	raw := b.text(`JSON.stringify(window.roundsBoard.plan)`)
	p, err := roster.DecodePlan(strings.NewReader(raw))
	if err != nil {
		b.t.Fatalf("the board's plan: %v", err)
	}
	return p
}

// assertPlanChecks checks the plan of the board's last job as the service
// answers it, with the independent checker, and that the board shows no
// broken rule; it answers the plan.
func (b *board) assertPlanChecks(instance []byte) *roster.Plan {
	b.t.Helper()
	id := b.text(`document.body.dataset.job || ''`)
	req, _ := http.NewRequest("GET", b.url+"/v1/jobs/"+id, nil)
	req.Header.Set("X-API-Key", testKey)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	var job jobs.Job
	if err := json.NewDecoder(res.Body).Decode(&job); err != nil || job.Status != jobs.Done {
		b.t.Fatalf("job %s: %v %+v", id, err, job)
	}
	in, err := roster.DecodeInstance(bytes.NewReader(instance))
	if err != nil {
		b.t.Fatal(err)
	}
	plan, err := roster.DecodePlan(bytes.NewReader(job.Plan))
	if err != nil {
		b.t.Fatal(err)
	}
	travel, err := geo.TravelFor(context.Background(), b.cache, in)
	if err != nil {
		b.t.Fatal(err)
	}
	if vs := roster.Check(in, travel, plan); len(vs) > 0 {
		b.t.Errorf("the job's plan breaks %d rules, the first %s", len(vs), vs[0])
	}
	if n := b.number(`Number(document.getElementById('violations').dataset.count)`); n != 0 {
		b.t.Errorf("the board lists %v broken rules for a solved plan", n)
	}
	return plan
}

// drawn is what the page draws of the rounds on the dates shown.
type drawn struct {
	Rounds  int      `json:"rounds"`
	Paths   int      `json:"paths"`
	Missing []string `json:"missing"`
}

// assertEveryRoundDrawn checks that every round on the dates shown has a
// timeline row holding its visits and a path on the map.
func (b *board) assertEveryRoundDrawn() {
	b.t.Helper()
	raw := b.text(`(() => {
		const s = window.roundsBoard;
		const rows = [...document.querySelectorAll('#timeline [data-testid=row]')];
		const dates = new Set(rows.map((r) => r.dataset.date));
		const byRow = new Map();
		let rounds = 0;
		for (const r of s.plan.rounds) {
			const d = r.date || s.instance.date || s.instance.period.start;
			if (!dates.has(d) || r.stops.length === 0) continue;
			rounds++;
			const k = r.carer + '|' + d;
			byRow.set(k, (byRow.get(k) || 0) + r.stops.length);
		}
		const missing = [];
		for (const [k, n] of byRow) {
			const [carer, d] = k.split('|');
			const row = rows.find((r) => r.dataset.carer === carer && r.dataset.date === d);
			const got = row ? row.querySelectorAll('[data-testid=visit]').length : -1;
			if (got !== n) missing.push(k + ': ' + got + ' of ' + n + ' visits drawn');
		}
		return JSON.stringify({ rounds, paths: Number(document.getElementById('map').dataset.paths), missing });
	})()`)
	var d drawn
	if err := json.Unmarshal([]byte(raw), &d); err != nil {
		b.t.Fatal(err)
	}
	if d.Rounds == 0 {
		b.t.Fatal("no round on the dates shown")
	}
	if len(d.Missing) > 0 {
		b.t.Errorf("rounds without their timeline row: %v", d.Missing)
	}
	if d.Paths != d.Rounds {
		b.t.Errorf("the map draws %d paths for %d rounds", d.Paths, d.Rounds)
	}
}

// assertRoundsFollowStreets checks that, once the service has answered
// the plan's GeoJSON, every round on the map follows the streets: the plan
// was made on the service's road network.
func (b *board) assertRoundsFollowStreets() {
	b.t.Helper()
	b.poll(`['done', 'failed'].includes(document.getElementById('map').dataset.streetState)`, 30*time.Second)
	if st := b.text(`document.getElementById('map').dataset.streetState`); st != "done" {
		b.t.Fatalf("asking for the rounds along the streets %s", st)
	}
	paths := b.number(`Number(document.getElementById('map').dataset.paths)`)
	streets := b.number(`Number(document.getElementById('map').dataset.streetPaths)`)
	if paths == 0 || streets != paths {
		b.t.Errorf("%v of the %v rounds drawn follow the streets", streets, paths)
	}
}

// assertFlagNextTo checks that a red flag is drawn next to the visit's
// block (of carer, if given) on the timeline.
func (b *board) assertFlagNextTo(visit, carer string) {
	b.t.Helper()
	sel := fmt.Sprintf(`[data-visit=%q]`, visit)
	if carer != "" {
		sel += fmt.Sprintf(`[data-carer=%q]`, carer)
	}
	got := b.text(fmt.Sprintf(`(() => {
		const flag = document.querySelector('#timeline [data-testid=flag]%[1]s');
		const block = document.querySelector('#timeline [data-testid=visit]%[1]s');
		if (!flag || !block) return 'flag ' + !!flag + ', block ' + !!block;
		flag.scrollIntoView({ block: 'center' });
		const f = flag.getBoundingClientRect(), v = block.getBoundingClientRect();
		const near = f.left >= v.left && f.left <= v.right + 16 && f.top <= v.bottom && f.bottom >= v.top;
		return near ? 'ok' : 'flag at ' + f.left + ',' + f.top + ', block at ' + v.left + '-' + v.right + ',' + v.top;
	})()`, sel))
	if got != "ok" {
		listed := b.text(`JSON.stringify(window.roundsBoard.violations)`)
		b.t.Errorf("flag next to %s: %s; the violations: %s", visit, got, listed)
	}
}

// move is a visit to drag: from one carer to another on a date, to a
// start past its window, at page coordinates.
type move struct {
	Visit, From, To, Date, Start string
	FromX, FromY, ToX, ToY       float64
	Err                          string
}

// dragCandidate finds a visit to move by hand whose new carer could serve
// it (qualified, driving) once re-optimised, so that the rule broken is
// the start past the window, which a re-plan that keeps the pin can mend.
func (b *board) dragCandidate() move {
	b.t.Helper()
	raw := b.text(`(() => {
		const s = window.roundsBoard, ix = s.index;
		const svg = document.getElementById('timeline');
		const rows = [...svg.querySelectorAll('[data-testid=row]')];
		// Carers who already see a client come first: a new face could
		// break a cap on the carers a client sees, which no re-plan that
		// keeps the pin could mend.
		const seen = new Set(s.plan.rounds.flatMap((r) => r.stops.map((st) => r.carer + '|' + st.client)));
		for (const familiar of [true, false]) {
			for (const block of svg.querySelectorAll('[data-testid=visit]')) {
				const v = ix.visit(block.dataset.visit);
				if (v.carers !== 1 || !v.hard || v.windows.length !== 1) continue;
				const client = ix.clients.get(v.client);
				const prefs = (client && client.preferences) || {};
				// The nearest rows first, so that both are in sight for the drag.
				const y = block.getBoundingClientRect().top;
				const near = [...rows].sort((a, c) => Math.abs(a.getBoundingClientRect().top - y) - Math.abs(c.getBoundingClientRect().top - y));
				for (const row of near) {
					const to = ix.carers.get(row.dataset.carer).carer;
					if (to.id === block.dataset.carer || row.dataset.date !== block.dataset.date || to.mode !== 'drive') continue;
					if (familiar !== seen.has(to.id + '|' + v.client)) continue;
					if (!v.skills.every((k) => (to.skills || []).includes(k))) continue;
					if ((prefs.excluded_carers || []).includes(to.id)) continue;
					if (prefs.carer_gender && to.gender !== prefs.carer_gender) continue;
					// A shift in which the new carer could make the visit in its
					// window (with half an hour to get there), and a start an
					// hour past the window in the same shift.
					const w = v.windows[0], dur = v.durationMin * 60;
					const t = w.end + 3600;
					const shift = ix.shifts(to.id, row.dataset.date).find((sh) =>
						sh.start + 1800 <= w.end && t + dur + 1800 <= sh.end);
					if (!shift) continue;
					block.scrollIntoView({ block: 'center' });
					row.scrollIntoView({ block: 'nearest' });
					const r = row.getBoundingClientRect(), b1 = block.getBoundingClientRect();
					const svgBox = svg.getBoundingClientRect();
					const x = svgBox.left + Number(svg.dataset.labelW) + (t - Number(svg.dataset.t0)) * Number(svg.dataset.scale);
					return JSON.stringify({ visit: block.dataset.visit, from: block.dataset.carer, to: to.id, date: row.dataset.date,
						start: String(t), fromX: b1.left + 2, fromY: b1.top + b1.height / 2, toX: x + 2, toY: r.top + r.height / 2 });
				}
			}
		}
		return JSON.stringify({ err: 'no visit to move' });
	})()`)
	var m move
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		b.t.Fatal(err)
	}
	if m.Err != "" {
		b.t.Fatal(m.Err)
	}
	return m
}

// clickBlockStart clicks a visit's block near its start, clear of its pin
// toggle at the end, which selects it.
func (b *board) clickBlockStart(visit, carer string) {
	b.t.Helper()
	raw := b.text(fmt.Sprintf(`(() => {
		const el = document.querySelector('#timeline [data-testid=visit][data-visit=%q][data-carer=%q] rect');
		el.scrollIntoView({ block: 'center' });
		const r = el.getBoundingClientRect();
		return JSON.stringify([r.left + 3, r.top + r.height / 2]);
	})()`, visit, carer))
	var at [2]float64
	if err := json.Unmarshal([]byte(raw), &at); err != nil {
		b.t.Fatal(err)
	}
	b.do(chromedp.MouseClickXY(at[0], at[1]))
}

// drag drags with the mouse, as a coordinator does.
func (b *board) drag(m move) {
	b.t.Helper()
	actions := []chromedp.Action[chromedp.Void]{
		chromedp.MouseEvent(chromedp.MouseMoved, m.FromX, m.FromY),
		chromedp.MouseEvent(chromedp.MousePressed, m.FromX, m.FromY, chromedp.ButtonLeft, chromedp.ClickCount(1)),
	}
	for i := 1; i <= 8; i++ {
		f := float64(i) / 8
		actions = append(actions, chromedp.MouseEvent(chromedp.MouseMoved, m.FromX+(m.ToX-m.FromX)*f, m.FromY+(m.ToY-m.FromY)*f, chromedp.ButtonLeft))
	}
	actions = append(actions, chromedp.MouseEvent(chromedp.MouseReleased, m.ToX, m.ToY, chromedp.ButtonLeft, chromedp.ClickCount(1)))
	b.do(actions...)
}

// download clicks an export button and answers the file it saves.
func (b *board) download(button string) []byte {
	b.t.Helper()
	return b.save(`document.getElementById('export').open = true`, button)
}

// save runs the script prepare (which shows the button), clicks the
// button and answers the file the page saves.
func (b *board) save(prepare, button string) []byte {
	b.t.Helper()
	dir := b.t.TempDir()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	progress := chromedp.Events(ctx, browser.DownloadProgress)
	b.do(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: ptr(true),
		})
		return err
	}), chromedp.Evaluate[chromedp.Void](prepare), chromedp.Click(chromedp.ID(button)))
	for ev, err := range progress {
		if err != nil {
			b.t.Fatalf("%s: %v", button, err)
		}
		switch ev.State {
		case browser.DownloadProgressStateCompleted:
			raw, err := os.ReadFile(filepath.Join(dir, ev.GUID))
			if err != nil {
				b.t.Fatal(err)
			}
			return raw
		case browser.DownloadProgressStateCanceled:
			b.t.Fatalf("%s: the download was cancelled", button)
		}
	}
	b.t.Fatalf("%s: no download", button)
	return nil
}

func ptr[T any](v T) *T { return &v }

// stepped is clock ("HH:MM") rounded to five minutes and moved by d.
func stepped(t *testing.T, clock string, d time.Duration) string {
	t.Helper()
	at, err := time.Parse("15:04", clock)
	if err != nil {
		t.Fatal(err)
	}
	return at.Round(5 * time.Minute).Add(d).Format("15:04")
}

// screenshot saves the whole page as a PNG.
func (b *board) screenshot(name string) {
	b.t.Helper()
	// Let the map and the hover state settle.
	b.do(chromedp.Evaluate[chromedp.Void](`new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))`, awaitPromise))
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(screens, name), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

func awaitPromise(p *runtime.EvaluateParams) { p.AwaitPromise = ptr(true) }

func (b *board) assertNoErrors() {
	b.t.Helper()
	b.errs.mu.Lock()
	defer b.errs.mu.Unlock()
	for _, e := range b.errs.list {
		b.t.Errorf("the page logged %s", e)
	}
}

// readJSON reads a test file.
func readJSON(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// breakPlan starts the last visit of a round a quarter of an hour after
// its window closes, as a hand edit might, where the round still ends
// within its shift; it answers the plan, with figures that follow from it,
// and the visit.
func breakPlan(t *testing.T, instance []byte, p *roster.Plan) (*roster.Plan, string) {
	t.Helper()
	in, err := roster.DecodeInstance(bytes.NewReader(instance))
	if err != nil {
		t.Fatal(err)
	}
	visits := map[string]roster.Visit{}
	for _, v := range in.Visits {
		visits[v.ID] = v
	}
	carers := map[string]roster.Carer{}
	for _, c := range in.Carers {
		carers[c.ID] = c
	}
	for i := range p.Rounds {
		r := &p.Rounds[i]
		if len(r.Stops) == 0 {
			continue
		}
		s := &r.Stops[len(r.Stops)-1]
		v, ok := visits[s.Visit]
		if !ok || s.Partner != "" || len(v.Windows) == 0 || v.WindowType == roster.Soft {
			continue
		}
		w := v.Windows[len(v.Windows)-1]
		later := w.End - s.Start + 15*60
		if later <= 0 || r.Return+later > carers[r.Carer].Shifts[r.Shift].End {
			continue
		}
		s.Start += later
		s.End += later
		s.WaitingS += int(later)
		r.Return += later
		k := roster.ComputeKPIs(in, p)
		p.KPIs = &k
		return p, s.Visit
	}
	t.Fatal("no round to break")
	return nil, ""
}
