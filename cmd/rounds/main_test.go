package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// runCLI runs the command line in-process and returns its exit code and
// output.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSolveThenCheck: a solved plan written with -o passes `rounds check`,
// and the summary names every carer's round.
func TestSolveThenCheck(t *testing.T) {
	plan := filepath.Join(t.TempDir(), "plan.json")
	code, out, errOut := runCLI(t, "solve", "../../testdata/small_day.json", "-o", plan, "--iterations", "500", "--workers", "1")
	if code != exitOK {
		t.Fatalf("solve exit %d, stderr:\n%s", code, errOut)
	}
	for _, want := range []string{"carer", "visits served      10 of 10", "carers used"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, "solving:") {
		t.Errorf("no progress line on stderr: %q", errOut)
	}
	code, out, errOut = runCLI(t, "check", "../../testdata/small_day.json", plan)
	if code != exitOK || !strings.Contains(out, "plan OK") {
		t.Fatalf("check exit %d:\n%s%s", code, out, errOut)
	}
}

// TestSolveCPUProfile: --cpuprofile writes a profile that go tool pprof
// reads (a gzip stream), and a profile path that cannot be created is a
// failure, not a silent skip.
func TestSolveCPUProfile(t *testing.T) {
	prof := filepath.Join(t.TempDir(), "cpu.prof")
	code, _, errOut := runCLI(t, "solve", "../../testdata/small_day.json", "--iterations", "200", "--quiet", "--workers", "1", "--cpuprofile", prof)
	if code != exitOK {
		t.Fatalf("solve exit %d, stderr:\n%s", code, errOut)
	}
	b, err := os.ReadFile(prof)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Errorf("profile is not a gzip stream: % x", b[:min(len(b), 8)])
	}
	code, _, errOut = runCLI(t, "solve", "../../testdata/small_day.json", "--iterations", "10", "--quiet", "--cpuprofile", filepath.Join(t.TempDir(), "missing", "cpu.prof"))
	if code != exitFailure || !strings.Contains(errOut, "--cpuprofile") {
		t.Errorf("unwritable profile: exit %d, stderr %q; want exit %d naming the flag", code, errOut, exitFailure)
	}
}

// solvedSmallDay solves the small day briefly with the command line and
// returns the plan it wrote, as generic JSON to be tampered with.
func solvedSmallDay(t *testing.T) map[string]any {
	t.Helper()
	plan := filepath.Join(t.TempDir(), "plan.json")
	if code, _, errOut := runCLI(t, "solve", "../../testdata/small_day.json", "-o", plan, "--iterations", "200", "--quiet", "--workers", "1"); code != exitOK {
		t.Fatalf("solve: %s", errOut)
	}
	b, err := os.ReadFile(plan)
	if err != nil {
		t.Fatal(err)
	}
	var p map[string]any
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCheckFindsTamperedPlan: moving a visit's start outside its window
// makes `rounds check` exit 1 and name the stop.
func TestCheckFindsTamperedPlan(t *testing.T) {
	p := solvedSmallDay(t)
	stop := p["rounds"].([]any)[0].(map[string]any)["stops"].([]any)[0].(map[string]any)
	stop["start"], stop["end"] = "05:00", "05:30"
	b, _ := json.Marshal(p)
	tampered := writeFile(t, "tampered.json", string(b))
	code, out, _ := runCLI(t, "check", "../../testdata/small_day.json", tampered)
	if code != exitViolations {
		t.Fatalf("check of a tampered plan: exit %d, want %d:\n%s", code, exitViolations, out)
	}
	if !strings.Contains(out, "rounds[0].stops[0]") {
		t.Errorf("violations do not name the tampered stop:\n%s", out)
	}
}

// TestBadInput: every kind of bad input gets exit code 2 and a message that
// names the field at fault, never a panic.
func TestBadInput(t *testing.T) {
	base, err := os.ReadFile("../../testdata/small_day.json")
	if err != nil {
		t.Fatal(err)
	}
	edit := func(from, to string) string {
		if !strings.Contains(string(base), from) {
			t.Fatalf("fixture lacks %q", from)
		}
		return strings.Replace(string(base), from, to, 1)
	}
	cases := []struct {
		name, body, want string
	}{
		{"malformed JSON", `{"date": "2026-11-24",`, "line"},
		{"unknown client", edit(`"client": "C2"`, `"client": "C99"`), "visits[1].client"},
		{"unknown excluded carer", edit(`"excluded_carers": ["K1"]`, `"excluded_carers": ["K9"]`), "clients[5].preferences.excluded_carers[0]"},
		{"window ends before it starts", edit(`{"start": "07:30", "end": "08:30"}`, `{"start": "08:30", "end": "07:30"}`), "visits[0].windows[0].end"},
		{"negative duration", edit(`"duration_min": 45, "windows": [{"start": "07:30"`, `"duration_min": -45, "windows": [{"start": "07:30"`), "visits[1].duration_min"},
		{"NaN coordinate", edit(`"lat": 53.8720`, `"lat": NaN`), "line"},
		{"wrong type", edit(`"duration_min": 30, "windows": [{"start": "07:30", "end": "08:30"}]`, `"duration_min": "30", "windows": [{"start": "07:30", "end": "08:30"}]`), "visits[0].duration_min"},
		{"unknown field", edit(`"check": true`, `"chek": true`), "chek"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, "day.json", tc.body)
			code, _, errOut := runCLI(t, "solve", path, "--quiet")
			if code != exitUsage {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitUsage, errOut)
			}
			if !strings.Contains(errOut, tc.want) {
				t.Errorf("stderr does not name %q:\n%s", tc.want, errOut)
			}
		})
	}
	t.Run("double-handed visit with one carer", func(t *testing.T) {
		var in map[string]any
		if err := json.Unmarshal(base, &in); err != nil {
			t.Fatal(err)
		}
		in["carers"] = in["carers"].([]any)[:1]
		in["clients"].([]any)[5].(map[string]any)["preferences"] = map[string]any{}
		b, _ := json.Marshal(in)
		code, _, errOut := runCLI(t, "solve", writeFile(t, "day.json", string(b)), "--quiet")
		if code != exitUsage || !strings.Contains(errOut, "visits[4].carers") {
			t.Errorf("exit %d, stderr:\n%s", code, errOut)
		}
	})
	t.Run("missing file", func(t *testing.T) {
		code, _, errOut := runCLI(t, "solve", "no/such/day.json")
		if code != exitUsage || !strings.Contains(errOut, "no/such/day.json") {
			t.Errorf("exit %d, stderr:\n%s", code, errOut)
		}
	})
	t.Run("bad flag", func(t *testing.T) {
		code, _, _ := runCLI(t, "solve", "../../testdata/small_day.json", "--time", "-1s")
		if code != exitUsage {
			t.Errorf("exit %d, want %d", code, exitUsage)
		}
	})
	t.Run("unknown command", func(t *testing.T) {
		code, _, errOut := runCLI(t, "solv")
		if code != exitUsage || !strings.Contains(errOut, "unknown command") {
			t.Errorf("exit %d, stderr:\n%s", code, errOut)
		}
	})
}

// TestGenThenSolve: a generated day decodes, validates and solves with
// every visit served, and the same seed writes the same file.
func TestGenThenSolve(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")
	for _, path := range []string{a, b} {
		if code, _, errOut := runCLI(t, "gen", "--seed", "3", "--visits", "40", "-o", path); code != exitOK {
			t.Fatalf("gen exit %d: %s", code, errOut)
		}
	}
	ab, _ := os.ReadFile(a)
	bb, _ := os.ReadFile(b)
	if !bytes.Equal(ab, bb) {
		t.Error("two runs of gen with one seed wrote different days")
	}
	code, out, errOut := runCLI(t, "solve", a, "--iterations", "300", "--workers", "1")
	if code != exitOK {
		t.Fatalf("solve exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "visits served      40 of 40") {
		t.Errorf("not every generated visit served:\n%s", out)
	}
}

// TestGenBadFlags: out-of-range values name the flag and exit 2.
func TestGenBadFlags(t *testing.T) {
	for _, args := range [][]string{{"--double", "1.5"}, {"--visits", "-3"}, {"--walk", "x"}} {
		code, _, errOut := runCLI(t, append([]string{"gen"}, args...)...)
		if code != exitUsage || !strings.Contains(errOut, strings.TrimLeft(args[0], "-")) {
			t.Errorf("gen %v: exit %d, stderr %q", args, code, errOut)
		}
	}
}

// TestBenchMankowska runs the benchmark command on a hand-made three-patient
// instance laid out as the real data is: it writes both tables, the
// converted instance, the plan (which `rounds check` accepts) and the
// solution in the field's JSON form.
func TestBenchMankowska(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, "bench", "mankowska", "--data", "testdata/benchdata", "--time", "200ms", "--workers", "1", "--out", out)
	if code != exitOK {
		t.Fatalf("bench exit %d:\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "set A: 1 instances, mean gap") || !strings.Contains(stderr, "[1/1] A1: cost") {
		t.Errorf("no progress or summary:\n%s%s", stdout, stderr)
	}
	for _, f := range []string{"mankowska.csv", "mankowska.md", "instances/A1.json", "plans/A1.json", "solutions/A1.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing %s: %v", f, err)
		}
	}
	md, _ := os.ReadFile(filepath.Join(out, "mankowska.md"))
	if !strings.Contains(string(md), "| A1 | 3 | 3 |") || !strings.Contains(string(md), "| yes |") {
		t.Errorf("table:\n%s", md)
	}
	code, outCheck, errCheck := runCLI(t, "check", filepath.Join(out, "instances/A1.json"), filepath.Join(out, "plans/A1.json"))
	if code != exitOK {
		t.Errorf("check of the benchmark plan: exit %d\n%s%s", code, outCheck, errCheck)
	}
}

// TestBenchMissingData: a missing data directory is named, not a panic.
func TestBenchMissingData(t *testing.T) {
	code, _, stderr := runCLI(t, "bench", "mankowska", "--data", "no/such/dir", "--out", t.TempDir())
	if code != exitUsage || !strings.Contains(stderr, "no/such/dir") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = runCLI(t, "bench", "mankowska", "--data", "testdata/benchdata", "--instances", "Z9", "--out", t.TempDir())
	if code != exitUsage || !strings.Contains(stderr, "Z9") {
		t.Errorf("unknown instance: exit %d, stderr %q", code, stderr)
	}
}

// TestBenchSolomon runs both conventions on a hand-checked four-customer
// instance laid out as the real data is: the optimum (two routes, 27.2
// under DIMACS, 27.26 exact) is found, the tables and .sol files are
// written, and `rounds check` accepts each plan.
func TestBenchSolomon(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, "bench", "solomon", "--data", "testdata/benchdata", "--time", "200ms", "--workers", "1", "--out", out)
	if code != exitOK {
		t.Fatalf("bench exit %d:\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"solomon dimacs: 1 instances, mean gap 0.00%", "solomon hierarchical: 1 instances, mean gap -0.0", "best-known vehicles or fewer on 1"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q:\n%s%s", want, stdout, stderr)
		}
	}
	for _, conv := range []string{"dimacs", "hierarchical"} {
		d := filepath.Join(out, "solomon-"+conv)
		sol, err := os.ReadFile(filepath.Join(d, "solutions", "TINY10.sol"))
		if err != nil || !strings.Contains(string(sol), "Route #2:") {
			t.Errorf("%s solution: %v\n%s", conv, err, sol)
		}
		if code, o, e := runCLI(t, "check", filepath.Join(d, "instances", "TINY10.json"), filepath.Join(d, "plans", "TINY10.json")); code != exitOK {
			t.Errorf("%s: check exit %d\n%s%s", conv, code, o, e)
		}
	}
}

// syncBuffer is a bytes.Buffer safe to write from a command's goroutine
// while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServeAndShutdown: rounds serve with a keys file answers on the port
// it prints, refuses requests without a key, and exits 0 when interrupted.
func TestServeAndShutdown(t *testing.T) {
	dir := t.TempDir()
	keys := filepath.Join(dir, "keys.txt")
	var hash bytes.Buffer
	if code := runHashKey([]string{"s3cret"}, nil, &hash, io.Discard); code != exitOK {
		t.Fatalf("hash-key exit %d", code)
	}
	if err := os.WriteFile(keys, []byte("# test keys\ncoordinator "+strings.TrimSpace(hash.String())+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--keys", keys, "--redis", "", "--grace", "1s"}, &out, &errOut)
	}()
	var url string
	for deadline := time.Now().Add(10 * time.Second); url == ""; {
		if s := out.String(); strings.Contains(s, "serving on ") {
			url = strings.TrimSpace(s[strings.Index(s, "http://"):])
			break
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve did not start: %s %s", out.String(), errOut.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	res, err := http.Get(url + "/healthz")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", res, err)
	}
	res.Body.Close()
	res, err = http.Post(url+"/v1/validate", "application/json", strings.NewReader("{}"))
	if err != nil || res.StatusCode != 401 {
		t.Fatalf("validate without a key: %v %v", res, err)
	}
	res.Body.Close()
	// validate posts body to /v1/validate with the key and wants code.
	validate := func(what string, body []byte, code int) {
		t.Helper()
		req, _ := http.NewRequest("POST", url+"/v1/validate", bytes.NewReader(body))
		req.Header.Set("X-API-Key", "s3cret")
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil || res.StatusCode != code {
			t.Fatalf("validate %s with the key: %v %v", what, res, err)
		}
		res.Body.Close()
	}
	validate("an empty instance", []byte("{}"), 400)
	day, err := os.ReadFile("../../testdata/small_day.json")
	if err != nil {
		t.Fatal(err)
	}
	validate("the small day", day, 200)
	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Fatalf("serve exit %d: %s", code, errOut.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop 20 s after the interrupt")
	}
	// The small day's places: the log names a request's route and timing,
	// never a place. Its longitudes are the probes: a duration is never
	// negative, while a latitude such as 53.8679 could be read in one
	// (53.867912ms). They are written as a re-encoded float would write
	// them (-1.915 for -1.9150).
	log := errOut.String()
	if !strings.Contains(log, "/v1/validate") {
		t.Fatalf("the log does not record the requests:\n%s", log)
	}
	for _, c := range []string{"-1.915", "-1.899", "-1.9064", "-1.912", "-1.901"} {
		if strings.Contains(log, c) {
			t.Errorf("the log holds the coordinate %s:\n%s", c, log)
		}
	}
}

func TestServeBadKeys(t *testing.T) {
	keys := filepath.Join(t.TempDir(), "keys.txt")
	os.WriteFile(keys, []byte("coordinator not-a-hash\n"), 0o600)
	code, _, errOut := runCLI(t, "serve", "--keys", keys, "--redis", "")
	if code != exitUsage || !strings.Contains(errOut, "coordinator") {
		t.Fatalf("bad key hash: exit %d, %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "serve", "--keys", filepath.Join(t.TempDir(), "none"))
	if code != exitUsage || !strings.Contains(errOut, "--keys") {
		t.Fatalf("missing keys file: exit %d, %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "worker", "--redis", "")
	if code != exitUsage || !strings.Contains(errOut, "--redis") {
		t.Fatalf("worker without Redis: exit %d, %q", code, errOut)
	}
}

// TestSolvePrevious: --previous re-plans from an earlier plan; a missing
// or bad plan file is a usage error naming it.
func TestSolvePrevious(t *testing.T) {
	dir := t.TempDir()
	first, second := filepath.Join(dir, "first.json"), filepath.Join(dir, "second.json")
	if code, _, errOut := runCLI(t, "solve", "../../testdata/small_day.json", "-o", first, "--iterations", "300", "--quiet", "--workers", "1"); code != exitOK {
		t.Fatalf("first solve: %d %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, "solve", "../../testdata/small_day.json", "-o", second, "--previous", first, "--iterations", "300", "--quiet", "--workers", "1"); code != exitOK {
		t.Fatalf("re-plan: %d %s", code, errOut)
	}
	if code, out, errOut := runCLI(t, "check", "../../testdata/small_day.json", second); code != exitOK {
		t.Fatalf("check re-plan: %d %s%s", code, out, errOut)
	}
	bad := writeFile(t, "bad.json", `{"rounds": 3}`)
	code, _, errOut := runCLI(t, "solve", "../../testdata/small_day.json", "--previous", bad, "--quiet")
	if code != exitUsage || !strings.Contains(errOut, "rounds") {
		t.Fatalf("bad previous plan: exit %d, %q", code, errOut)
	}
}
