package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/rounds-dev/rounds/api/jobs"
	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/geo/matrixcache"
	"github.com/rounds-dev/rounds/optimiser"
	"github.com/rounds-dev/rounds/roster"
)

// Worker runs solve jobs from a store: in the service's own process, or
// in `rounds worker` processes on other machines sharing a Redis.
type Worker struct {
	// Name identifies this worker to the store; unique per process.
	Name string
	// Jobs is the store to claim from.
	Jobs jobs.Store
	// Matrices computes travel for instances without their own.
	Matrices *matrixcache.Cache
	// Limits bound the instances it takes on, as the API's do, for jobs
	// queued by a service with larger limits; the zero value means
	// roster.DefaultLimits.
	Limits roster.Limits
	// Concurrency is how many jobs run at once (default 1); each solve
	// uses SolverWorkers searches.
	Concurrency   int
	SolverWorkers int
	// Touch is how often a running job reports progress and checks for
	// cancellation (default 1 s); it must be well under the store's
	// visibility timeout.
	Touch time.Duration
	// Grace is how long a running job may go on after Run's context ends
	// before it is stopped and handed back to the queue (default 10 s).
	Grace  time.Duration
	Logger *slog.Logger
}

// Run claims and runs jobs until ctx ends, then lets running jobs finish
// within the grace period and hands back those that do not.
func (w *Worker) Run(ctx context.Context) {
	if w.Concurrency <= 0 {
		w.Concurrency = 1
	}
	if w.SolverWorkers <= 0 {
		w.SolverWorkers = 1
	}
	if w.Limits == (roster.Limits{}) {
		w.Limits = roster.DefaultLimits()
	}
	if w.Touch <= 0 {
		w.Touch = time.Second
	}
	if w.Grace <= 0 {
		w.Grace = 10 * time.Second
	}
	if w.Logger == nil {
		w.Logger = slog.New(slog.DiscardHandler)
	}
	var wg sync.WaitGroup
	for i := 0; i < w.Concurrency; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				cl, err := w.Jobs.Claim(ctx, w.Name, 2*time.Second)
				if err != nil {
					if !errors.Is(err, jobs.ErrNoJob) && ctx.Err() == nil {
						w.Logger.Warn("claiming a job failed", "err", err)
						time.Sleep(time.Second)
					}
					continue
				}
				w.run(ctx, cl)
			}
		}()
	}
	wg.Wait()
}

// run solves one claimed job. The solve stops early when its owner
// cancels it; when ctx ends, it has the grace period to finish before it
// is stopped and released.
func (w *Worker) run(ctx context.Context, cl *jobs.Claim) {
	log := w.Logger.With("job", cl.ID, "attempt", cl.Attempt)
	log.Info("job started")
	// The store calls must outlive ctx, so that a shutting-down worker can
	// still record and release its job.
	store := context.WithoutCancel(ctx)
	solveCtx, stop := context.WithCancel(store)
	defer stop()
	var mu sync.Mutex
	var last jobs.Progress
	shutdown := false
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(w.Touch)
		defer t.Stop()
		var grace <-chan time.Time
		ending := ctx.Done()
		for {
			select {
			case <-done:
				return
			case <-ending:
				grace, ending = time.After(w.Grace), nil
			case <-grace:
				mu.Lock()
				shutdown = true
				mu.Unlock()
				stop()
				return
			case <-t.C:
				mu.Lock()
				p := last
				mu.Unlock()
				st, err := w.Jobs.Touch(store, w.Name, cl.ID, p)
				if err == nil && st == jobs.Cancelled {
					stop()
				}
			}
		}
	}()
	plan, failure := w.solve(solveCtx, cl.Payload, func(p optimiser.Progress) {
		mu.Lock()
		last = jobs.Progress{Iteration: p.Iteration, ElapsedS: p.Elapsed.Seconds(), Served: p.Served, Unserved: p.Unserved}
		mu.Unlock()
	})
	close(done)
	mu.Lock()
	released := shutdown
	mu.Unlock()
	if released {
		if err := w.Jobs.Release(store, cl.ID); err != nil {
			log.Error("handing a job back failed", "err", err)
		}
		log.Info("job handed back at shutdown")
		return
	}
	if err := w.Jobs.Finish(store, cl.ID, plan, failure); err != nil {
		log.Error("recording a job's result failed", "err", err)
		return
	}
	log.Info("job finished", "failed", failure != "")
}

// solve runs one payload and returns the plan's JSON, or a failure a
// client can read.
func (w *Worker) solve(ctx context.Context, raw []byte, progress func(optimiser.Progress)) ([]byte, string) {
	var pl payload
	if err := json.Unmarshal(raw, &pl); err != nil {
		return nil, "the job's stored request is unreadable"
	}
	in, err := roster.DecodeInstance(bytes.NewReader(pl.Instance))
	if err != nil {
		return nil, "invalid instance: " + err.Error()
	}
	if err := w.Limits.Check(in); err != nil {
		return nil, "the instance is larger than this worker takes: " + err.Error()
	}
	var configured geo.Provider
	if w.Matrices != nil {
		configured = w.Matrices
	}
	travel, err := geo.TravelFor(ctx, configured, in)
	if err != nil {
		return nil, "travel: " + err.Error()
	}
	opts := optimiser.Options{
		Seed: pl.Options.Seed, TimeLimit: time.Duration(pl.Options.TimeLimitMS) * time.Millisecond,
		Workers: w.SolverWorkers, Progress: progress,
	}
	if len(pl.Previous) > 0 {
		prev, err := roster.DecodePlan(bytes.NewReader(pl.Previous))
		if err != nil {
			return nil, "invalid previous plan: " + err.Error()
		}
		opts.Previous = prev
	}
	plan, err := optimiser.Solve(ctx, in, travel, opts)
	if err != nil {
		return nil, err.Error()
	}
	if vs := roster.Check(in, travel, plan); len(vs) > 0 {
		return nil, fmt.Sprintf("the optimiser's plan breaks %d rules (a bug; it has been logged): %s", len(vs), vs[0])
	}
	b, err := json.Marshal(plan)
	if err != nil {
		return nil, err.Error()
	}
	return b, ""
}
