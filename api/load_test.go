package api

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/rounds-dev/rounds/api/jobs"
	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/geo/matrixcache"
	"github.com/rounds-dev/rounds/internal/redistest"
)

var (
	loadRun     = flag.Bool("load", false, "run the load test (go test ./api -run TestLoad -load -v)")
	loadJobs    = flag.Int("load.jobs", 200, "jobs the load test submits")
	loadClients = flag.Int("load.clients", 16, "concurrent clients in the load test")
	loadQueue   = flag.Int("load.queue", 8, "queue bound in the load test")
)

// TestLoad submits small solve jobs from concurrent clients to a server on
// loopback with a bounded queue, against each job store: every job is
// answered (done, or refused with 429), none is lost or run twice, and the
// latencies are reported. It runs only with -load.
func TestLoad(t *testing.T) {
	if !*loadRun {
		t.Skip("the load test runs with -load")
	}
	t.Run("memory", func(t *testing.T) { loadTest(t, jobs.NewMemory(*loadQueue, time.Hour)) })
	t.Run("redis", func(t *testing.T) {
		rc := redistest.Client(t)
		s, err := jobs.NewRedis(context.Background(), rc, jobs.RedisConfig{Prefix: redistest.Prefix(t, rc), MaxQueue: *loadQueue, ResultTTL: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		loadTest(t, s)
	})
}

func loadTest(t *testing.T, store jobs.Store) {
	sl, _ := geo.NewStraightLine(nil)
	reg := prometheus.NewRegistry()
	cache := matrixcache.New(sl, matrixcache.Config{Registerer: reg})
	srv, err := New(Config{Keys: []Key{{Name: "load", Hash: HashKey("load")}}, Jobs: store, Matrices: cache, Registry: reg, RatePerSecond: 1000, Burst: 1000})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler()) // loopback only
	defer hs.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	w := &Worker{Name: "load", Jobs: store, Matrices: cache, Concurrency: 2, SolverWorkers: 1, Touch: 200 * time.Millisecond}
	go func() { w.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	day, err := os.ReadFile("../testdata/small_day.json")
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Timeout: 30 * time.Second}
	call := func(method, url string, body []byte) (int, []byte, time.Duration, error) {
		req, _ := http.NewRequest(method, url, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer load")
		req.Header.Set("Content-Type", "application/json")
		start := time.Now()
		res, err := client.Do(req)
		if err != nil {
			return 0, nil, 0, err
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, b, time.Since(start), nil
	}
	type outcome struct {
		id       string
		status   int
		submit   time.Duration // the submit request's round trip
		complete time.Duration // from submit to the job seen done
		attempts int
		err      error
	}
	work := make(chan int)
	results := make(chan outcome, *loadJobs)
	var wg sync.WaitGroup
	deadline := time.Now().Add(5 * time.Minute)
	for c := 0; c < *loadClients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range work {
				var o outcome
				start := time.Now()
				code, b, d, err := call("POST", hs.URL+"/v1/jobs?time_limit=100ms", day)
				o.status, o.submit, o.err = code, d, err
				if err == nil && code == http.StatusAccepted {
					var j jobs.Job
					json.Unmarshal(b, &j)
					o.id = j.ID
					for time.Now().Before(deadline) {
						_, b, _, err := call("GET", hs.URL+"/v1/jobs/"+j.ID, nil)
						if err != nil {
							o.err = err
							break
						}
						json.Unmarshal(b, &j)
						if j.Status.Finished() {
							if j.Status != jobs.Done || len(j.Plan) == 0 {
								o.err = fmt.Errorf("job %s ended %s: %s", j.ID, j.Status, j.Error)
							}
							o.complete, o.attempts = time.Since(start), j.Attempts
							break
						}
						time.Sleep(20 * time.Millisecond)
					}
					if o.complete == 0 && o.err == nil {
						o.err = fmt.Errorf("job %s not done within the time bound", j.ID)
					}
				}
				results <- o
			}
		}()
	}
	began := time.Now()
	for i := 0; i < *loadJobs; i++ {
		work <- i
	}
	close(work)
	wg.Wait()
	close(results)
	wall := time.Since(began)

	var submits, completes []time.Duration
	ids := map[string]bool{}
	refused := 0
	for o := range results {
		switch {
		case o.err != nil:
			t.Errorf("lost or failed: %v", o.err)
		case o.status == http.StatusTooManyRequests:
			refused++
			submits = append(submits, o.submit)
		case o.status == http.StatusAccepted:
			if ids[o.id] {
				t.Errorf("job id %s given twice", o.id)
			}
			ids[o.id] = true
			if o.attempts != 1 {
				t.Errorf("job %s ran %d times", o.id, o.attempts)
			}
			submits = append(submits, o.submit)
			completes = append(completes, o.complete)
		default:
			t.Errorf("submit answered %d", o.status)
		}
	}
	if len(ids)+refused != *loadJobs {
		t.Errorf("%d done + %d refused, want %d answered", len(ids), refused, *loadJobs)
	}
	if n, _ := store.Depth(context.Background()); n != 0 {
		t.Errorf("%d jobs still in the queue", n)
	}
	q := func(ds []time.Duration, p float64) time.Duration {
		if len(ds) == 0 {
			return 0
		}
		slices.Sort(ds)
		return ds[min(len(ds)-1, int(p*float64(len(ds))))]
	}
	t.Logf("%d jobs from %d clients, queue bound %d, 2 workers, 100 ms solves: %d done, %d refused with 429, none lost or run twice; wall %.1f s",
		*loadJobs, *loadClients, *loadQueue, len(ids), refused, wall.Seconds())
	t.Logf("submit round trip: p50 %.1f ms, p99 %.1f ms; submit to done: p50 %.2f s, p99 %.2f s",
		ms(q(submits, 0.5)), ms(q(submits, 0.99)), q(completes, 0.5).Seconds(), q(completes, 0.99).Seconds())
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
