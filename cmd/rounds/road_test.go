package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// townOSM is the small street plan the road package's tests are built on.
const townOSM = "../../geo/road/testdata/town.osm"

// TestGenSolveCheckOnRoads: a day generated on an extract's streets is
// solved on them, and its plan passes `rounds check` with the same
// extract, but not with straight lines, which are other travel.
func TestGenSolveCheckOnRoads(t *testing.T) {
	dir := t.TempDir()
	day, plan := filepath.Join(dir, "day.json"), filepath.Join(dir, "plan.json")
	if code, _, errOut := runCLI(t, "gen", "--osm", townOSM, "--visits", "24", "--seed", "5", "-o", day); code != exitOK {
		t.Fatalf("gen exit %d: %s", code, errOut)
	}
	code, out, errOut := runCLI(t, "solve", day, "--osm", townOSM, "--iterations", "300", "--workers", "1", "-o", plan)
	if code != exitOK {
		t.Fatalf("solve exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "road network: ") || !strings.Contains(out, "visits served") {
		t.Errorf("no road network line or summary:\n%s\n%s", errOut, out)
	}
	var p struct {
		Travel struct{ Provider, Version string }
	}
	b, err := os.ReadFile(plan)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	if p.Travel.Provider != "osm-road" || !strings.HasPrefix(p.Travel.Version, "town.osm;") {
		t.Errorf("the plan records travel %+v, want osm-road on town.osm", p.Travel)
	}
	if code, out, errOut := runCLI(t, "check", day, plan, "--osm", townOSM); code != exitOK || !strings.Contains(out, "plan OK") {
		t.Fatalf("check --osm exit %d:\n%s%s", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, "check", day, plan); code != exitUsage || !strings.Contains(errOut, "osm-road") {
		t.Errorf("check on straight lines: exit %d, stderr %q; want 2 naming the plan's travel", code, errOut)
	}
	// The export draws rounds along the streets with the extract, and
	// straight without it.
	for _, tt := range []struct {
		args      []string
		want, not string
	}{
		{[]string{"export", day, plan, "--format", "geojson", "--osm", townOSM}, `"path":"streets"`, `"path":"straight"`},
		{[]string{"export", day, plan, "--format", "geojson"}, `"path":"straight"`, `"path":"streets"`},
	} {
		code, out, errOut := runCLI(t, tt.args...)
		if code != exitOK || !strings.Contains(out, tt.want) || strings.Contains(out, tt.not) {
			t.Errorf("%v: exit %d, %s; want every round %s", tt.args[3:], code, errOut, tt.want)
		}
	}
	code, _, errOut = runCLI(t, "export", day, plan, "--format", "geojson", "--osm", townOSM, "--walk-kmh", "5")
	if code != exitOK || !strings.Contains(errOut, "rounds are drawn straight") {
		t.Errorf("export on other paces: exit %d, stderr %q; want a note that rounds are straight", code, errOut)
	}
}

// TestMatrixCommand computes a matrix on the town's streets, and turns
// away far places, bad extracts and unrouted modes with exit 2.
func TestMatrixCommand(t *testing.T) {
	// (0.5, 1.05) and (1.5, 1.05) squares from the town's corner, as
	// lon,lat: 100 m apart along One Way Street, eastwards.
	pts := writeFile(t, "pts.txt", "-0.5992604,52.6009432;-0.5977812,52.6009432")
	out := filepath.Join(t.TempDir(), "m.json")
	code, _, errOut := runCLI(t, "matrix", pts, "--osm", townOSM, "--mode", "drive", "-o", out)
	if code != exitOK {
		t.Fatalf("matrix exit %d: %s", code, errOut)
	}
	var m matrixOutput
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.DistancesM) != 2 || m.DistancesM[0][1] < 95 || m.DistancesM[0][1] > 105 || m.DistancesM[1][0] < 450 {
		t.Fatalf("distances %v: want about 100 m east along the one-way street and a detour back", m.DistancesM)
	}
	if m.Source.Provider != "osm-road" || m.Mode != "drive" {
		t.Errorf("source %+v mode %q", m.Source, m.Mode)
	}

	far := writeFile(t, "far.json", `[{"lat": 52.6009, "lon": -0.599}, {"lat": 52.7, "lon": -0.5}]`)
	bad := writeFile(t, "bad.osm.pbf", "not a map")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"far place", []string{"matrix", far, "--osm", townOSM}, "locations[1]: "},
		{"corrupt extract", []string{"matrix", pts, "--osm", bad}, "not an OpenStreetMap extract"},
		{"missing extract", []string{"matrix", pts, "--osm", "nowhere.osm.pbf"}, "no such file"},
		{"public transport", []string{"matrix", pts, "--osm", townOSM, "--mode", "public"}, "does not route mode"},
		{"bad mode", []string{"matrix", pts, "--mode", "boat"}, "--mode"},
		{"bad location", []string{"matrix", writeFile(t, "x.txt", "1,2;3")}, "locations[1]"},
		{"engine without url", []string{"matrix", pts, "--engine", "osrm"}, "--engine-url"},
		{"two sources", []string{"matrix", pts, "--engine", "osrm", "--engine-url", "http://127.0.0.1:1", "--osm", townOSM}, "choose one"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, c.args...)
			if code != exitUsage || !strings.Contains(errOut, c.want) {
				t.Fatalf("exit %d, stderr %q; want 2 and %q", code, errOut, c.want)
			}
		})
	}
}

// fakeOSRM answers OSRM /table requests, for any profile, with legs of
// 60 s and 500 m per step between place numbers, so that answers are easy
// to predict; with noRoute, no leg leads to the last place.
func fakeOSRM(t *testing.T, noRoute bool) (*httptest.Server, *atomic.Int64) {
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		parts := strings.SplitN(r.URL.Path, "/", 5) // "", "table", "v1", profile, places
		if len(parts) != 5 || parts[1] != "table" || parts[2] != "v1" {
			http.Error(w, `{"code":"InvalidUrl","message":"unknown service"}`, http.StatusBadRequest)
			return
		}
		n := len(strings.Split(parts[4], ";"))
		idx := func(param string) []int {
			v := r.URL.Query().Get(param)
			if v == "" || v == "all" {
				out := make([]int, n)
				for i := range out {
					out[i] = i
				}
				return out
			}
			var out []int
			for _, s := range strings.Split(v, ";") {
				k, _ := strconv.Atoi(s)
				out = append(out, k)
			}
			return out
		}
		src, dst := idx("sources"), idx("destinations")
		dur, dist := make([][]*float64, len(src)), make([][]*float64, len(src))
		for i, a := range src {
			for _, b := range dst {
				step := float64(max(a-b, b-a))
				d, l := 60*step, 500*step
				if noRoute && b == n-1 && a != b {
					dur[i], dist[i] = append(dur[i], nil), append(dist[i], nil)
					continue
				}
				dur[i], dist[i] = append(dur[i], &d), append(dist[i], &l)
			}
		}
		json.NewEncoder(w).Encode(map[string]any{"code": "Ok", "durations": dur, "distances": dist})
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

// TestEngineTravel takes travel from a routing engine: rounds matrix
// returns its answer, and a plan solved on it records the engine and
// checks against it.
func TestEngineTravel(t *testing.T) {
	srv, calls := fakeOSRM(t, false)
	pts := writeFile(t, "pts.txt", "-1.90,53.86;-1.91,53.87;-1.92,53.88")
	out := filepath.Join(t.TempDir(), "m.json")
	code, _, errOut := runCLI(t, "matrix", pts, "--engine", "osrm", "--engine-url", srv.URL, "--engine-version", "test-1", "-o", out)
	if code != exitOK {
		t.Fatalf("matrix exit %d: %s", code, errOut)
	}
	var m matrixOutput
	b, _ := os.ReadFile(out)
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m.Source.Provider != "osrm" || !strings.HasPrefix(m.Source.Version, "test-1@") || m.DurationsS[0][2] != 120 || m.DistancesM[2][1] != 500 {
		t.Fatalf("matrix %+v from %+v", m.DurationsS, m.Source)
	}
	plan := filepath.Join(t.TempDir(), "plan.json")
	code, _, errOut = runCLI(t, "solve", "../../testdata/small_day.json", "--engine", "osrm", "--engine-url", srv.URL, "--iterations", "200", "--workers", "1", "-o", plan)
	if code != exitOK {
		t.Fatalf("solve exit %d: %s", code, errOut)
	}
	if code, out, errOut := runCLI(t, "check", "../../testdata/small_day.json", plan, "--engine", "osrm", "--engine-url", srv.URL); code != exitOK || !strings.Contains(out, "plan OK") {
		t.Fatalf("check exit %d:\n%s%s", code, out, errOut)
	}
	if calls.Load() < 3 {
		t.Errorf("the engine was asked %d times, want at least once per command", calls.Load())
	}
}

// TestEngineNoRoute: a routing engine that finds no route to a place is an
// error naming the places by their fields.
func TestEngineNoRoute(t *testing.T) {
	srv, _ := fakeOSRM(t, true)
	code, _, errOut := runCLI(t, "solve", "../../testdata/small_day.json", "--engine", "osrm", "--engine-url", srv.URL, "--iterations", "10")
	if code != exitUsage || !strings.Contains(errOut, "clients[0].location: no walk route to carers[2].start") {
		t.Fatalf("exit %d, stderr %q; want 2 naming the unreachable places", code, errOut)
	}
}

// TestServeStreets: rounds serve --osm maps the extract's streets at
// /v1/streets; without it the answer is empty and says so.
func TestServeStreets(t *testing.T) {
	box := "/v1/streets?bbox=-0.61,52.59,-0.59,52.61"
	for _, tt := range []struct {
		args   []string
		header string
		lines  bool
	}{
		{[]string{"--osm", townOSM}, "", true},
		{nil, "none", false},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		var out, errOut syncBuffer
		done := make(chan int)
		go func() {
			done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--redis", "", "--workers", "0"}, tt.args...), &out, &errOut)
		}()
		var url string
		for deadline := time.Now().Add(10 * time.Second); url == ""; time.Sleep(20 * time.Millisecond) {
			if s := out.String(); strings.Contains(s, "serving on ") {
				url = strings.TrimSpace(s[strings.Index(s, "http://"):])
			} else if time.Now().After(deadline) {
				cancel()
				t.Fatalf("serve did not start: %s %s", out.String(), errOut.String())
			}
		}
		res, err := http.Get(url + box)
		if err != nil {
			cancel()
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || res.Header.Get("X-Rounds-Streets") != tt.header || strings.Contains(string(b), `"highway":"residential"`) != tt.lines {
			t.Errorf("serve %v: %d %v %s", tt.args, res.StatusCode, res.Header, b)
		}
		cancel()
		if code := <-done; code != exitOK {
			t.Errorf("serve %v exit %d: %s", tt.args, code, errOut.String())
		}
	}
}
