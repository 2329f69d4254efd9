package api

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/rounds-dev/rounds/api/jobs"
	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/geo/matrixcache"
	"github.com/rounds-dev/rounds/internal/redistest"
)

// TestShutdownHandsJobBack: a worker told to stop lets its running job go
// on for the grace period, then hands it back to the queue, where another
// worker takes it as a first attempt and finishes it.
func TestShutdownHandsJobBack(t *testing.T) {
	rc := redistest.Client(t)
	ctx := context.Background()
	store, err := jobs.NewRedis(ctx, rc, jobs.RedisConfig{Prefix: redistest.Prefix(t, rc), MaxQueue: 4, ResultTTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	sl, _ := geo.NewStraightLine(nil)
	cache := matrixcache.New(sl, matrixcache.Config{Registerer: prometheus.NewRegistry()})
	day, err := os.ReadFile("../testdata/locality_day.json")
	if err != nil {
		t.Fatal(err)
	}
	pl, _ := json.Marshal(payload{Instance: day, Options: JobOptions{TimeLimitMS: 3000, Seed: 1}})
	job, err := store.Submit(ctx, "k", pl)
	if err != nil {
		t.Fatal(err)
	}
	first := &Worker{Name: "first", Jobs: store, Matrices: cache, Touch: 50 * time.Millisecond, Grace: 200 * time.Millisecond}
	stop, cancel := context.WithCancel(ctx)
	stopped := make(chan struct{})
	go func() { first.Run(stop); close(stopped) }()
	for {
		j, _ := store.Get(ctx, "k", job.ID)
		if j.Status == jobs.Running {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	select {
	case <-stopped:
	case <-time.After(10 * time.Second):
		t.Fatal("the worker did not stop within 10 s of shutdown with a 200 ms grace")
	}
	j, _ := store.Get(ctx, "k", job.ID)
	if j.Status != jobs.Queued || j.Attempts != 0 {
		t.Fatalf("after shutdown the job is %s with %d attempts; want queued, 0", j.Status, j.Attempts)
	}
	second := &Worker{Name: "second", Jobs: store, Matrices: cache, Touch: 50 * time.Millisecond}
	run, cancel2 := context.WithCancel(ctx)
	defer cancel2()
	go second.Run(run)
	deadline := time.Now().Add(30 * time.Second)
	for {
		j, _ = store.Get(ctx, "k", job.ID)
		if j.Status.Finished() {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the handed-back job was not finished in 30 s: %s", j.Status)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if j.Status != jobs.Done || j.Attempts != 1 || len(j.Plan) == 0 {
		t.Fatalf("job finished %s after %d attempts with %d bytes of plan", j.Status, j.Attempts, len(j.Plan))
	}
}

// failingSaves is a job store whose Finish fails, as when Redis goes away
// while a worker records a result, until heal is called; it counts claims
// and saves.
type failingSaves struct {
	jobs.Store
	mu       sync.Mutex
	healed   bool
	claims   int
	attempts int
	failed   chan struct{} // closed at the first failed save
}

func newFailingSaves(s jobs.Store) *failingSaves {
	return &failingSaves{Store: s, failed: make(chan struct{})}
}

func (f *failingSaves) Claim(ctx context.Context, consumer string, wait time.Duration) (*jobs.Claim, error) {
	cl, err := f.Store.Claim(ctx, consumer, wait)
	if err == nil {
		f.mu.Lock()
		f.claims++
		f.mu.Unlock()
	}
	return cl, err
}

func (f *failingSaves) Finish(ctx context.Context, id string, plan []byte, failure string) error {
	f.mu.Lock()
	f.attempts++
	healed := f.healed
	if !healed && f.attempts == 1 {
		close(f.failed)
	}
	f.mu.Unlock()
	if !healed {
		return errors.New("dial tcp 127.0.0.1:6379: connect: connection refused")
	}
	return f.Store.Finish(ctx, id, plan, failure)
}

func (f *failingSaves) heal() {
	f.mu.Lock()
	f.healed = true
	f.mu.Unlock()
}

func (f *failingSaves) counts() (claims, attempts int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.claims, f.attempts
}

func smallJob(t *testing.T, store jobs.Store) *jobs.Job {
	t.Helper()
	day, err := os.ReadFile("../testdata/small_day.json")
	if err != nil {
		t.Fatal(err)
	}
	pl, _ := json.Marshal(payload{Instance: day, Options: JobOptions{TimeLimitMS: 100, Seed: 1}})
	j, err := store.Submit(context.Background(), "k", pl)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// TestWorkerKeepsResultUntilStoreReturns: a worker whose store fails while
// it records a result keeps the result and tries again with back-off; once
// the store is back the job is done at its first attempt, solved once.
func TestWorkerKeepsResultUntilStoreReturns(t *testing.T) {
	store := newFailingSaves(jobs.NewMemory(4, time.Hour))
	sl, _ := geo.NewStraightLine(nil)
	cache := matrixcache.New(sl, matrixcache.Config{Registerer: prometheus.NewRegistry()})
	job := smallJob(t, store)
	w := &Worker{Name: "w", Jobs: store, Matrices: cache, Touch: 50 * time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { w.Run(ctx); close(stopped) }()
	defer func() { cancel(); <-stopped }()
	select {
	case <-store.failed:
	case <-time.After(20 * time.Second):
		t.Fatal("the worker did not try to save within 20 s")
	}
	time.Sleep(time.Second) // the store is down for a while
	store.heal()
	deadline := time.Now().Add(10 * time.Second)
	for {
		j, _ := store.Get(context.Background(), "k", job.ID)
		if j.Status.Finished() {
			if j.Status != jobs.Done || len(j.Plan) == 0 || j.Attempts != 1 {
				t.Fatalf("job ended %s at attempt %d with %d bytes of plan; want done at attempt 1", j.Status, j.Attempts, len(j.Plan))
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the result was not recorded within 10 s of the store's return: job %s", j.Status)
		}
		time.Sleep(20 * time.Millisecond)
	}
	claims, attempts := store.counts()
	if claims != 1 || attempts < 3 {
		t.Fatalf("%d claims and %d saves; want the job solved once and its save tried again with back-off over a second", claims, attempts)
	}
	if attempts > 12 {
		t.Fatalf("%d saves in about a second; want back-off", attempts)
	}
}

// TestWorkerGivesUpSaveAtShutdown: at shutdown a worker still trying to
// record a result goes on for the grace period and then stops, so that
// shutdown is bounded while the store is down.
func TestWorkerGivesUpSaveAtShutdown(t *testing.T) {
	store := newFailingSaves(jobs.NewMemory(4, time.Hour))
	sl, _ := geo.NewStraightLine(nil)
	cache := matrixcache.New(sl, matrixcache.Config{Registerer: prometheus.NewRegistry()})
	smallJob(t, store)
	w := &Worker{Name: "w", Jobs: store, Matrices: cache, Touch: 50 * time.Millisecond, Grace: 300 * time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { w.Run(ctx); close(stopped) }()
	select {
	case <-store.failed:
	case <-time.After(20 * time.Second):
		t.Fatal("the worker did not try to save within 20 s")
	}
	start := time.Now()
	cancel()
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("the worker did not stop within 5 s of shutdown with a 300 ms grace")
	}
	if d := time.Since(start); d < 250*time.Millisecond {
		t.Fatalf("the worker gave up its result %s after shutdown; want it kept for the 300 ms grace", d)
	}
	if _, attempts := store.counts(); attempts < 2 {
		t.Fatalf("%d saves; want the save tried again during the grace period", attempts)
	}
}
