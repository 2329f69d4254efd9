package api

import (
	"context"
	"encoding/json"
	"os"
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
