package api

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/rounds-dev/rounds/api/jobs"
	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/geo/matrixcache"
	"github.com/rounds-dev/rounds/roster"
)

// flakyEngine stands for a routing engine that fails its first fails
// requests, naming its address as a real client's error would, and then
// answers with straight-line legs.
type flakyEngine struct {
	fails int64
	calls atomic.Int64
}

func (f *flakyEngine) Source() roster.TravelSource {
	return roster.TravelSource{Provider: "osrm", Version: "test@10.0.0.7:5000"}
}

func (f *flakyEngine) Matrix(ctx context.Context, points []roster.Location, mode roster.Mode) (*geo.Matrix, error) {
	if f.calls.Add(1) <= f.fails {
		return nil, errors.New("geo: osrm table: dial tcp 10.0.0.7:5000: connect: connection refused")
	}
	sl, _ := geo.NewStraightLine(nil)
	return sl.Matrix(ctx, points, mode)
}

// runOneJob queues the small day on a memory store, runs a worker on it
// until the job finishes, and returns the job.
func runOneJob(t *testing.T, w *Worker) *jobs.Job {
	t.Helper()
	store := jobs.NewMemory(4, time.Hour)
	w.Name, w.Jobs = "test", store
	day, err := os.ReadFile("../testdata/small_day.json")
	if err != nil {
		t.Fatal(err)
	}
	pl, _ := json.Marshal(payload{Instance: day, Options: JobOptions{TimeLimitMS: 200, Seed: 1}})
	job, err := store.Submit(context.Background(), "k", pl)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		j, err := store.Get(context.Background(), "k", job.ID)
		if err == nil && j.Status.Finished() {
			return j
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the job did not finish in 20 s")
	return nil
}

// TestWorkerRetriesTravel: a routing engine that fails for a moment does
// not fail the job; one that stays down fails it with a sentence that does
// not give the engine's address away.
func TestWorkerRetriesTravel(t *testing.T) {
	for _, tt := range []struct {
		name  string
		fails int64
		want  jobs.Status
	}{
		{"a blip", 2, jobs.Done},
		{"down", 100, jobs.Failed},
	} {
		t.Run(tt.name, func(t *testing.T) {
			engine := &flakyEngine{fails: tt.fails}
			cache := matrixcache.New(engine, matrixcache.Config{Registerer: prometheus.NewRegistry()})
			j := runOneJob(t, &Worker{Matrices: cache, TravelRetry: 10 * time.Millisecond, Touch: 20 * time.Millisecond})
			if j.Status != tt.want {
				t.Fatalf("job %s (%s), want %s", j.Status, j.Error, tt.want)
			}
			if tt.want == jobs.Failed && (strings.Contains(j.Error, "10.0.0.7") || !strings.Contains(j.Error, "did not answer")) {
				t.Errorf("failure %q: want a sentence without the engine's address", j.Error)
			}
			if tt.want == jobs.Failed && engine.calls.Load() != 3 {
				t.Errorf("the engine was asked %d times, want 3", engine.calls.Load())
			}
		})
	}
}

// TestWorkerHoldsBudget: a job's travel waits for its share of a memory
// budget that the API's checks have taken, and runs once they give it
// back.
func TestWorkerHoldsBudget(t *testing.T) {
	budget := NewBudget(1000)
	release, err := budget.hold(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	sl, _ := geo.NewStraightLine(nil)
	cache := matrixcache.New(sl, matrixcache.Config{Registerer: prometheus.NewRegistry()})
	released := make(chan time.Time, 1)
	go func() {
		time.Sleep(300 * time.Millisecond)
		released <- time.Now()
		release()
	}()
	j := runOneJob(t, &Worker{Matrices: cache, Budget: budget, Touch: 20 * time.Millisecond})
	if j.Status != jobs.Done {
		t.Fatalf("job %s (%s), want done", j.Status, j.Error)
	}
	if at := <-released; j.Finished.Before(at) {
		t.Fatalf("the job finished at %s, before the budget was given back at %s", j.Finished, at)
	}
}
