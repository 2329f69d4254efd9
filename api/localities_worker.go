package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/rounds-dev/rounds/api/jobs"
	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/locality"
	"github.com/rounds-dev/rounds/locality/planner"
	"github.com/rounds-dev/rounds/roster"
)

// A localities job runs on a worker like a solve, but its many
// representative days are solves of their own: each is submitted to the
// queue of solves (Worker.Solves) as an ordinary solve payload, owned by
// the job's owner, and the job waits for its plan. Every worker drains
// that queue before it claims a new job from the main one, so that with
// Redis the days spread over every worker on every machine; and the
// localities job's own worker runs solves from it while the job waits,
// one at a time, never another localities job, so that a service with one
// worker completes the job alone. When the job is cancelled, or stops, its
// solves still queued or running are cancelled too.

// How often a waiting localities job looks at its solve: soon at first,
// for a small day, then every childPollMax.
const (
	childPollFirst = 5 * time.Millisecond
	childPollMax   = 100 * time.Millisecond
	// helpClaimWait is how long the localities job's worker waits on the
	// queue of solves before it looks again whether the job has ended.
	helpClaimWait = 100 * time.Millisecond
)

// evaluateResult is the result of a localities-evaluate job.
type evaluateResult struct {
	Kind    string          `json:"kind"`
	Options []optionResult  `json:"options"`
	Supply  locality.Supply `json:"supply"`
}

// optionResult is one boundary option evaluated.
type optionResult struct {
	Name       string          `json:"name"`
	Rows       []locality.Row  `json:"rows"`
	MaxOverMin *float64        `json:"max_over_min"`
	CV         float64         `json:"cv"`
	Warnings   []string        `json:"warnings"`
	Boundaries json.RawMessage `json:"boundaries"`
}

// proposeResult is the result of a localities-propose job.
type proposeResult struct {
	Kind      string           `json:"kind"`
	Proposals []proposalResult `json:"proposals"`
	// WalkableK is the smallest k with every locality walkable, by either
	// method; null when none is, or the proposals were not evaluated.
	WalkableK *int `json:"walkable_k"`
	// ViableK is every k asked for, ascending, whose proposal by either
	// method has every locality's hours viable; null when none. It is a
	// list, not a range: a k between two viable ones may not be.
	ViableK []int           `json:"viable_k"`
	Supply  locality.Supply `json:"supply"`
}

// proposalResult is one proposal.
type proposalResult struct {
	// Name is the option's name: k06-azp, k06-kmeans, or k06-azp-t30 in
	// a job of several bands.
	Name   string `json:"name"`
	K      int    `json:"k"`
	Method string `json:"method"`
	// Tolerance is the band of hours region growing kept to, and the one
	// k-means was judged by.
	Tolerance  float64         `json:"tolerance"`
	Boundaries json.RawMessage `json:"boundaries"`
	Rows       []locality.Row  `json:"rows,omitempty"`
	Warnings   []string        `json:"warnings,omitempty"`
	MaxOverMin *float64        `json:"max_over_min"`
	CV         float64         `json:"cv"`
	Balanced   bool            `json:"balanced"`
}

// localities runs a localities job and returns its result's JSON, or a
// failure a client can read. after waits for the solve this worker took
// on for others, once the result is recorded.
func (w *Worker) localities(ctx, jobCtx context.Context, cl *jobs.Claim, report func(jobs.Progress)) ([]byte, string, func()) {
	var pl localitiesPayload
	if err := json.Unmarshal(cl.Payload, &pl); err != nil {
		return nil, "the job's stored request is unreadable", nil
	}
	plan, after := w.plannerFor(ctx, cl.Owner)
	var travel geo.Provider
	if w.Matrices != nil {
		travel = w.Matrices
	}
	r := &localitiesRun{w: w, pl: &pl, planner: plan, travel: travel, start: time.Now(), report: report}
	var res any
	var err error
	switch pl.Kind {
	case kindEvaluate:
		res, err = r.evaluate(jobCtx)
	case kindPropose:
		res, err = r.propose(jobCtx)
	default:
		return nil, fmt.Sprintf("the job's kind %q is not one this worker runs", pl.Kind), after
	}
	if err != nil {
		if jobCtx.Err() != nil {
			return nil, "the job was stopped", after
		}
		return nil, err.Error(), after
	}
	b, err := json.Marshal(res)
	if err != nil {
		return nil, err.Error(), after
	}
	return b, "", after
}

// localitiesRun is one localities job under way.
type localitiesRun struct {
	w       *Worker
	pl      *localitiesPayload
	planner locality.Planner
	travel  geo.Provider
	start   time.Time
	report  func(jobs.Progress)

	mu                  sync.Mutex
	done, total, solves int
}

// progress reports an evaluation's progress within the job's.
func (r *localitiesRun) progress(option string) func(locality.EvaluateProgress) {
	return func(p locality.EvaluateProgress) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.report(jobs.Progress{ElapsedS: time.Since(r.start).Seconds(), Localities: &jobs.LocalitiesProgress{
			Done: r.done + p.Done, Total: r.total, Solves: r.solves + p.Solves, Option: option}})
	}
}

// finished counts an option's localities and solves as done.
func (r *localitiesRun) finished(option string, localities, solves int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.done += localities
	r.solves += solves
	r.report(jobs.Progress{ElapsedS: time.Since(r.start).Seconds(), Localities: &jobs.LocalitiesProgress{
		Done: r.done, Total: r.total, Solves: r.solves, Option: option}})
}

// evaluateOne evaluates one option.
func (r *localitiesRun) evaluateOne(ctx context.Context, name string, b *locality.Boundaries) (*locality.Evaluation, error) {
	workers := r.w.Localities
	if r.w.Solves == nil {
		workers = 1 // the days are planned in this job's slot
	}
	ev, err := locality.Evaluate(ctx, &r.pl.District, b, r.pl.Supply, r.travel, locality.EvaluateOptions{
		Name:     name,
		Size:     locality.SizeOptions{Planner: r.planner, Seed: r.pl.Seed, Iterations: r.pl.Iterations},
		Workers:  workers,
		Progress: r.progress(name),
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	r.finished(name, b.Len(), ev.Solves)
	return ev, nil
}

func (r *localitiesRun) evaluate(ctx context.Context) (*evaluateResult, error) {
	bs := make([]*locality.Boundaries, len(r.pl.Options))
	for i, o := range r.pl.Options {
		b, err := locality.ReadBoundaries(bytes.NewReader(o.Boundaries))
		if err != nil {
			return nil, fmt.Errorf("options[%d].boundaries: %w", i, err)
		}
		bs[i] = b
		r.total += b.Len()
	}
	res := &evaluateResult{Kind: kindEvaluate, Supply: r.pl.Supply, Options: []optionResult{}}
	for i, o := range r.pl.Options {
		ev, err := r.evaluateOne(ctx, o.Name, bs[i])
		if err != nil {
			return nil, err
		}
		fc, err := boundariesWithFigures(bs[i], o.Name, ev.Rows)
		if err != nil {
			return nil, err
		}
		res.Options = append(res.Options, optionResult{Name: o.Name, Rows: ev.Rows, MaxOverMin: maxOverMin(ev.MaxOverMin), CV: ev.CV,
			Warnings: append([]string{}, ev.Warnings...), Boundaries: fc})
	}
	return res, nil
}

func (r *localitiesRun) propose(ctx context.Context) (*proposeResult, error) {
	specs := locality.Proposals(r.pl.Methods, r.pl.bands())
	for _, k := range r.pl.K {
		r.total += k * len(specs)
	}
	viab := locality.DefaultViability
	res := &proposeResult{Kind: kindPropose, Supply: r.pl.Supply, Proposals: []proposalResult{}}
	walkable, viable := 0, []int{}
	for _, k := range r.pl.K {
		g, err := locality.GridFor(r.pl.District.Clients, k, r.pl.CellM)
		if err != nil {
			return nil, fmt.Errorf("k %d: %w", k, err)
		}
		for _, spec := range specs {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			p, err := locality.ProposeBy(g, k, spec.Method, locality.ProposeOptions{Seed: uint64(r.pl.Seed), Tolerance: spec.Tolerance})
			if err != nil {
				return nil, fmt.Errorf("k %d: %w", k, err)
			}
			name := spec.Name(k)
			b := p.Outlines()
			pr := proposalResult{Name: name, K: k, Method: spec.Method, Tolerance: spec.Tolerance, Balanced: p.Balanced}
			allViable, allWalkable := true, false
			if r.pl.Evaluate {
				ev, err := r.evaluateOne(ctx, name, b)
				if err != nil {
					return nil, err
				}
				pr.Rows, pr.Warnings = ev.Rows, ev.Warnings
				pr.MaxOverMin, pr.CV = maxOverMin(ev.MaxOverMin), ev.CV
				allWalkable = true
				for _, row := range ev.Rows {
					if !row.Unallocated {
						allViable = allViable && row.Viable
						allWalkable = allWalkable && row.Walkable
					}
				}
				if pr.Boundaries, err = boundariesWithFigures(b, name, ev.Rows); err != nil {
					return nil, err
				}
			} else {
				mm, cv := p.Balance()
				pr.MaxOverMin, pr.CV = maxOverMin(mm), cv
				props := make([]map[string]any, b.Len())
				for i := range props {
					h := 0.0
					if i < len(p.Hours) {
						h = p.Hours[i]
					}
					v := viab.Viable(h)
					props[i] = map[string]any{"option": name, "weekly_hours": h, "viable": v}
					allViable = allViable && v
				}
				var buf bytes.Buffer
				if err := b.WriteGeoJSON(&buf, props); err != nil {
					return nil, err
				}
				pr.Boundaries = bytes.TrimSpace(buf.Bytes())
				r.finished(name, k, 0)
			}
			if allWalkable && (walkable == 0 || k < walkable) {
				walkable = k
			}
			if allViable && !slices.Contains(viable, k) {
				viable = append(viable, k)
			}
			res.Proposals = append(res.Proposals, pr)
		}
	}
	if walkable > 0 {
		res.WalkableK = &walkable
	}
	if len(viable) > 0 {
		slices.Sort(viable)
		res.ViableK = viable
	}
	return res, nil
}

// boundariesWithFigures writes boundaries as GeoJSON whose features carry
// their rows' figures (the rows' JSON fields) and the option's name.
func boundariesWithFigures(b *locality.Boundaries, option string, rows []locality.Row) (json.RawMessage, error) {
	props, err := locality.FigureProperties(option, rows, b.Len())
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := b.WriteGeoJSON(&buf, props); err != nil {
		return nil, err
	}
	return bytes.TrimSpace(buf.Bytes()), nil
}

// plannerFor returns the Planner of owner's localities job and, with a
// queue of solves, starts this worker running solves from it until after
// is called; after waits for the one it is running.
func (w *Worker) plannerFor(ctx context.Context, owner string) (locality.Planner, func()) {
	if w.Solves == nil {
		return planner.Optimiser, nil
	}
	helpCtx, stopHelping := context.WithCancel(ctx)
	helped := make(chan struct{})
	claimSolve := func(ctx context.Context) (jobs.Store, *jobs.Claim, error) {
		cl, err := w.Solves.Claim(ctx, w.Name, helpClaimWait)
		return w.Solves, cl, err
	}
	go func() {
		defer close(helped)
		// A solve runs under the worker's own context, as any other: at
		// shutdown it has the grace period, then goes back to the queue.
		w.serve(helpCtx, ctx, claimSolve, "claiming a solve failed")
	}()
	return w.childPlanner(owner), func() { stopHelping(); <-helped }
}

// childPlanner plans a representative day as a solve on the queue of
// solves, owned by owner, and waits for its plan. It stops, cancelling the
// solve, when ctx ends.
func (w *Worker) childPlanner(owner string) locality.Planner {
	return func(ctx context.Context, day *roster.Instance, _ roster.Travel, req locality.PlanRequest) (*roster.Plan, error) {
		in, err := json.Marshal(day)
		if err != nil {
			return nil, err
		}
		var from json.RawMessage
		if req.Previous != nil {
			if from, err = json.Marshal(req.Previous); err != nil {
				return nil, err
			}
		}
		pl, err := json.Marshal(payload{Instance: in, StartFrom: from, Options: JobOptions{
			TimeLimitMS: req.TimeLimit.Milliseconds(), Seed: req.Seed,
			Iterations: req.Iterations, Workers: req.Workers, CarerUsed: req.CarerUsed,
		}})
		if err != nil {
			return nil, err
		}
		// A full queue, or a store away for a moment, is waited out while
		// the job runs.
		var child *jobs.Job
		for delay := childPollMax; ; delay = min(2*delay, 2*time.Second) {
			if child, err = w.Solves.Submit(ctx, owner, pl); err == nil {
				break
			}
			if !errors.Is(err, jobs.ErrQueueFull) && ctx.Err() == nil {
				w.Logger.Warn("queueing a representative day's solve failed", "err", err)
			}
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(delay):
			}
		}
		store := context.WithoutCancel(ctx)
		for delay := childPollFirst; ; delay = min(2*delay, childPollMax) {
			select {
			case <-ctx.Done():
				if _, err := w.Solves.Cancel(store, owner, child.ID); err != nil && !errors.Is(err, jobs.ErrNotFound) {
					w.Logger.Warn("cancelling a representative day's solve failed", "job", child.ID, "err", err)
				}
				return nil, ctx.Err()
			case <-time.After(delay):
			}
			j, err := w.Solves.Get(ctx, owner, child.ID)
			switch {
			case errors.Is(err, jobs.ErrNotFound):
				return nil, errors.New("a representative day's solve was lost from the queue of solves")
			case err != nil:
				if ctx.Err() == nil {
					w.Logger.Warn("reading a representative day's solve failed", "job", child.ID, "err", err)
				}
				continue
			case !j.Status.Finished():
				continue
			case j.Status == jobs.Done:
				return roster.DecodePlan(bytes.NewReader(j.Plan))
			case j.Status == jobs.Failed:
				return nil, fmt.Errorf("a representative day's solve failed: %s", j.Error)
			default:
				return nil, errors.New("a representative day's solve was cancelled")
			}
		}
	}
}
