package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rounds-dev/rounds/api/jobs"
	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/geo/matrixcache"
	"github.com/rounds-dev/rounds/locality"
	"github.com/rounds-dev/rounds/locality/planner"
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
	// Solves, when set, is the queue of the solves that localities jobs
	// spread their representative days over (see localities_worker.go).
	// The worker claims from it before Jobs, and a localities job's worker
	// runs solves from it while the job waits for its own. Unset, a
	// localities job plans its days in its own slot, one at a time.
	Solves jobs.Store
	// Localities is how many localities a localities job sizes at once,
	// each with one solve on the queue of solves at a time (default 4).
	Localities int
	// Matrices computes travel for instances without their own.
	Matrices *matrixcache.Cache
	// Limits bound the instances it takes on, as the API's do, for jobs
	// queued by a service with larger limits; the zero value means
	// roster.DefaultLimits.
	Limits roster.Limits
	// Budget is the memory budget a job's travel matrices are held
	// against, shared with the Server in the same process; nil means one
	// of the worker's own, BudgetFor(Limits).
	Budget *Budget
	// TravelRetry is how long a job waits before asking a travel provider
	// that failed again (default 1 s, doubling; three tries in all).
	TravelRetry time.Duration
	// Concurrency is how many jobs run at once (default 1); each solve
	// uses SolverWorkers searches.
	Concurrency   int
	SolverWorkers int
	// Touch is how often a running job reports progress and checks for
	// cancellation (default 1 s); it must be well under the store's
	// visibility timeout.
	Touch time.Duration
	// Grace is how long a running job may go on after Run's context ends
	// before it is stopped and handed back to the queue (default 10 s). A
	// result still waiting to be recorded is kept as long, then dropped.
	Grace time.Duration
	// SaveFor bounds how long a finished job's result is kept while the
	// store fails to record it (default 10 minutes); see run.
	SaveFor time.Duration
	Logger  *slog.Logger
}

// Back-off between attempts to record a result: short at first, for a
// blip, and at most a second, so that a worker sees Redis return well
// before the visibility timeout lets another worker take the job over.
const (
	saveFirstDelay = 100 * time.Millisecond
	saveMaxDelay   = time.Second
)

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
	if w.Budget == nil {
		w.Budget = BudgetFor(w.Limits)
	}
	if w.TravelRetry <= 0 {
		w.TravelRetry = time.Second
	}
	if w.Touch <= 0 {
		w.Touch = time.Second
	}
	if w.Grace <= 0 {
		w.Grace = 10 * time.Second
	}
	if w.SaveFor <= 0 {
		w.SaveFor = 10 * time.Minute
	}
	if w.Logger == nil {
		w.Logger = slog.New(slog.DiscardHandler)
	}
	if w.Localities <= 0 {
		w.Localities = 4
	}
	var wg sync.WaitGroup
	for i := 0; i < w.Concurrency; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.serve(ctx, ctx, w.claim, "claiming a job failed")
		}()
	}
	wg.Wait()
}

// serve claims jobs with claim and runs each under runCtx until ctx ends;
// a store that fails to answer is logged with failed and asked again a
// second later.
func (w *Worker) serve(ctx, runCtx context.Context, claim func(context.Context) (jobs.Store, *jobs.Claim, error), failed string) {
	for ctx.Err() == nil {
		store, cl, err := claim(ctx)
		if err != nil {
			if !errors.Is(err, jobs.ErrNoJob) && ctx.Err() == nil {
				w.Logger.Warn(failed, "err", err)
				select {
				case <-ctx.Done():
				case <-time.After(time.Second):
				}
			}
			continue
		}
		w.run(runCtx, store, cl)
	}
}

// How long an idle worker waits for a job on each queue in turn: briefly,
// so that a solve queued by another worker's localities job, or a new job,
// starts within a fraction of a second (with Redis, a worker so asks it
// about a dozen times a second). Without a queue of solves it waits on the
// main queue alone, longer.
const (
	solvesClaimWait = 100 * time.Millisecond
	jobsClaimWait   = 150 * time.Millisecond
	onlyJobsWait    = 2 * time.Second
)

// claim takes the next job and names the store it came from: a solve
// from the queue of solves first, then a job from the main queue.
func (w *Worker) claim(ctx context.Context) (jobs.Store, *jobs.Claim, error) {
	if w.Solves == nil {
		cl, err := w.Jobs.Claim(ctx, w.Name, onlyJobsWait)
		return w.Jobs, cl, err
	}
	cl, err := w.Solves.Claim(ctx, w.Name, solvesClaimWait)
	if err == nil {
		return w.Solves, cl, nil
	}
	if !errors.Is(err, jobs.ErrNoJob) {
		return nil, nil, err
	}
	cl, err = w.Jobs.Claim(ctx, w.Name, jobsClaimWait)
	return w.Jobs, cl, err
}

// run runs one job claimed from store: a solve, or a localities job. The
// solve stops early when its owner cancels it, or when the job has gone
// (Redis lost its data); when ctx ends, it has the grace period to finish
// before it is stopped and released.
//
// A result the store fails to record is kept and its save tried again with
// back-off, for up to SaveFor, while the job is still touched: Redis seldom
// stays away for long, and the result cost a whole solve. While Redis is
// down no other worker can take the job; once it is back this worker's
// next try comes within a second. Should another worker take the job over
// first, the first result recorded is kept and the other worker's solve
// stops at its next touch. At shutdown the retries go on for the grace
// period and then the result is dropped: the job stays pending in Redis
// and is taken over and solved again once Redis returns.
func (w *Worker) run(ctx context.Context, js jobs.Store, cl *jobs.Claim) {
	log := w.Logger.With("job", cl.ID, "attempt", cl.Attempt)
	log.Info("job started")
	// The store calls must outlive ctx, so that a shutting-down worker can
	// still record and release its job.
	store := context.WithoutCancel(ctx)
	solveCtx, stopSolve := context.WithCancel(store)
	defer stopSolve()

	// graceOver closes the grace period after ctx ends.
	graceOver, quit := make(chan struct{}), make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
		case <-quit:
			return
		}
		t := time.NewTimer(w.Grace)
		defer t.Stop()
		select {
		case <-t.C:
			close(graceOver)
		case <-quit:
		}
	}()

	var last atomic.Pointer[jobs.Progress]
	var gone, shutdown atomic.Bool
	solved, touching := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(touching)
		t := time.NewTicker(w.Touch)
		defer t.Stop()
		over := graceOver
		for {
			select {
			case <-quit:
				return
			case <-over:
				select {
				case <-solved: // saving: the save loop watches the grace itself
				default:
					shutdown.Store(true)
					stopSolve()
				}
				over = nil
			case <-t.C:
				p := jobs.Progress{}
				if lp := last.Load(); lp != nil {
					p = *lp
				}
				st, err := js.Touch(store, w.Name, cl.ID, p)
				switch {
				case errors.Is(err, jobs.ErrNotFound):
					gone.Store(true)
					stopSolve()
				case err == nil && st.Finished():
					// Cancelled by its owner, or finished by a worker that
					// took it over: nothing more to compute.
					stopSolve()
				}
			}
		}
	}()
	out, failure, after := w.work(ctx, solveCtx, cl, func(p jobs.Progress) { last.Store(&p) })
	close(solved)
	switch {
	case gone.Load():
		log.Warn("job gone from the store (its data was lost, or it expired); its result is dropped")
	case shutdown.Load():
		if err := js.Release(store, cl.ID); err != nil {
			log.Error("handing a job back failed; another worker takes it over after the visibility timeout", "err", err)
		} else {
			log.Info("job handed back at shutdown")
		}
	default:
		if err := w.save(store, js, graceOver, cl.ID, out, failure, log); err != nil {
			log.Error("recording a job's result failed; it is dropped", "err", err)
		} else {
			log.Info("job finished", "failed", failure != "")
		}
	}
	close(quit)
	<-touching
	if after != nil {
		after()
	}
}

// output is what a job computed: a solve's plan, or another job's
// result.
type output struct {
	data     []byte
	isResult bool
}

// work runs a claimed job's payload: a solve, or a localities job (its
// kind says). report records progress for the next touch. after, when not
// nil, is to be called once the outcome is recorded: a localities job's
// worker finishes there the solve it took on for others.
func (w *Worker) work(ctx, solveCtx context.Context, cl *jobs.Claim, report func(jobs.Progress)) (out output, failure string, after func()) {
	var head struct {
		Kind string `json:"kind"`
	}
	if err := json.Unmarshal(cl.Payload, &head); err != nil {
		return output{}, "the job's stored request is unreadable", nil
	}
	if head.Kind == "" {
		plan, failure := w.solve(solveCtx, cl.Payload, func(p optimiser.Progress) {
			report(jobs.Progress{Iteration: p.Iteration, ElapsedS: p.Elapsed.Seconds(), Served: p.Served, Unserved: p.Unserved})
		})
		return output{data: plan}, failure, nil
	}
	res, failure, after := w.localities(ctx, solveCtx, cl, report)
	return output{data: res, isResult: true}, failure, after
}

// save records a job's result, trying again with back-off while the store
// fails, until SaveFor has passed or graceOver closes. It gives up at once
// if the job has gone from the store.
func (w *Worker) save(ctx context.Context, js jobs.Store, graceOver <-chan struct{}, id string, out output, failure string, log *slog.Logger) error {
	giveUp := time.NewTimer(w.SaveFor)
	defer giveUp.Stop()
	delay := saveFirstDelay
	for tries := 1; ; tries++ {
		var err error
		if out.isResult {
			err = js.FinishResult(ctx, id, out.data, failure)
		} else {
			err = js.Finish(ctx, id, out.data, failure)
		}
		if err == nil || errors.Is(err, jobs.ErrNotFound) {
			if err == nil && tries > 1 {
				log.Info("the result was recorded after the store came back", "tries", tries)
			}
			return err
		}
		if tries == 1 {
			log.Warn("recording a job's result failed; keeping it and trying again", "err", err)
		}
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-giveUp.C:
			t.Stop()
			return fmt.Errorf("the store failed for %s (%d tries): %w", w.SaveFor, tries, err)
		case <-graceOver:
			t.Stop()
			return fmt.Errorf("shutdown came while the store was failing (%d tries): %w", tries, err)
		}
		delay = min(2*delay, saveMaxDelay)
	}
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
	// The matrices, the cache's copy and the search's own tables.
	release, err := w.Budget.hold(ctx, 3*in.MatrixBytes())
	if err != nil {
		return nil, "the job was stopped before it started"
	}
	defer release()
	travel, failure := w.travel(ctx, in)
	if failure != "" {
		return nil, failure
	}
	opts := optimiser.Options{
		Seed: pl.Options.Seed, TimeLimit: time.Duration(pl.Options.TimeLimitMS) * time.Millisecond,
		Workers: w.SolverWorkers, Progress: progress, Iterations: pl.Options.Iterations,
	}
	// A representative day asks for its own searches (never more than
	// this worker runs) and its price of a carer.
	if n := pl.Options.Workers; n > 0 {
		opts.Workers = min(n, w.SolverWorkers)
	}
	if pl.Options.CarerUsed > 0 || len(pl.StartFrom) > 0 {
		// A representative day: the weights its sizing plans with in
		// process.
		wt := planner.Weights(locality.PlanRequest{CarerUsed: pl.Options.CarerUsed})
		opts.Weights = &wt
	}
	if len(pl.Previous) > 0 {
		prev, err := roster.DecodePlan(bytes.NewReader(pl.Previous))
		if err != nil {
			return nil, "invalid previous plan: " + err.Error()
		}
		opts.Previous = prev
	}
	var startFrom *roster.Plan
	if len(pl.StartFrom) > 0 && len(pl.Previous) == 0 {
		if startFrom, err = roster.DecodePlan(bytes.NewReader(pl.StartFrom)); err != nil {
			return nil, "invalid plan to start from: " + err.Error()
		}
		opts.Previous = startFrom
	}
	if pl.FreezeBefore != "" {
		t, err := roster.ParseFreeze(in, pl.FreezeBefore)
		if err != nil {
			return nil, "invalid freeze: " + err.Error()
		}
		opts.FreezeBefore = t
	}
	opts.Pins = pl.Pins
	plan, err := optimiser.Solve(ctx, in, travel, opts)
	if err != nil {
		return nil, err.Error()
	}
	vs := roster.Check(in, travel, plan)
	if opts.Previous != nil && startFrom == nil {
		// Who the re-plan affects, for the coordinator to telephone.
		plan.Affected = roster.ComputeAffected(in, opts.Previous, plan, roster.DefaultMovedMin)
		vs = append(vs, roster.CheckReplan(in, opts.Previous, plan, opts.FreezeBefore)...)
		vs = append(vs, roster.CheckPins(in, opts.Previous, plan, opts.Pins)...)
	}
	if len(vs) > 0 {
		return nil, fmt.Sprintf("the optimiser's plan breaks %d rules (a bug; it has been logged): %s", len(vs), vs[0])
	}
	b, err := json.Marshal(plan)
	if err != nil {
		return nil, err.Error()
	}
	return b, ""
}

// travel builds a job's travel. A problem with the instance's places
// fails the job, naming them; a provider that fails (a routing engine that
// does not answer) is asked again twice, after TravelRetry and twice that,
// before the job fails with a sentence that leaves the provider's address
// and error to the log.
func (w *Worker) travel(ctx context.Context, in *roster.Instance) (*geo.Matrices, string) {
	var configured geo.Provider
	if w.Matrices != nil {
		configured = w.Matrices
	}
	wait := w.TravelRetry
	for try := 1; ; try++ {
		ms, err := geo.TravelFor(ctx, configured, in)
		var fes roster.FieldErrors
		switch {
		case err == nil:
			return ms, ""
		case errors.As(err, &fes):
			return nil, "travel: " + fes.Error()
		case ctx.Err() != nil:
			return nil, "the job was stopped while its travel was computed"
		}
		w.Logger.Warn("the travel provider failed", "try", try, "err", err)
		if try == 3 {
			return nil, "the travel provider did not answer; submit the job again later"
		}
		select {
		case <-ctx.Done():
			return nil, "the job was stopped while its travel was computed"
		case <-time.After(wait):
		}
		wait *= 2
	}
}
