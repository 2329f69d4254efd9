package api

import (
	"context"
	"errors"
	"net/http"
	"runtime/debug"
	"sync"
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/rounds-dev/rounds/roster"
)

// tooLarge answers an instance over the service's limits: 413, naming each
// field that makes it too large, under prefix ("instance" in a check or
// re-plan, "" for a bare instance).
func tooLarge(err error, prefix string) error {
	var tl *roster.TooLargeError
	if !errors.As(err, &tl) {
		return err
	}
	p := invalid(tl.FieldErrors, prefix)
	p.Status, p.Type, p.Title = http.StatusRequestEntityTooLarge, typeTooLarge, "Too large"
	return p
}

// withinLimits checks in against the configured limits before anything is
// built for it.
func (s *Server) withinLimits(in *roster.Instance, prefix string) error {
	if err := s.cfg.Limits.Check(in); err != nil {
		return tooLarge(err, prefix)
	}
	return nil
}

// workQueue bounds the memory that expensive requests (travel matrices for
// a check, a matrix answer) hold at once: each takes its estimate from a
// shared budget before it starts and gives it back when done, so that
// several large requests queue instead of adding up. Memory the large ones
// held is handed back to the operating system after them.
type workQueue struct {
	budget int64
	sem    *semaphore.Weighted
	wait   time.Duration

	mu      sync.Mutex
	pending bool // a hand-back is scheduled
}

func newWorkQueue(budget int64, wait time.Duration) *workQueue {
	return &workQueue{budget: budget, sem: semaphore.NewWeighted(budget), wait: wait}
}

// bigWork is the estimate past which a request's memory is handed back to
// the operating system when it finishes.
const bigWork = 64 << 20

// acquire waits for bytes of the budget (at most the whole budget), for up
// to the queue's wait. It answers 503 with Retry-After when the budget
// stays taken, and returns the function that gives the bytes back.
func (q *workQueue) acquire(ctx context.Context, bytes int64) (func(), error) {
	bytes = min(max(bytes, 1), q.budget)
	wctx, cancel := context.WithTimeout(ctx, q.wait)
	defer cancel()
	if err := q.sem.Acquire(wctx, bytes); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		p := newProblem(http.StatusServiceUnavailable, typeBusy, "Busy",
			"the service is at its memory budget for large requests; try again shortly")
		p.retryAfter = "5"
		return nil, p
	}
	return func() {
		q.sem.Release(bytes)
		if bytes >= bigWork {
			q.giveBack()
		}
	}, nil
}

// giveBack returns freed memory to the operating system shortly after a
// large request, once for a burst of them: the runtime would otherwise keep
// the heap a large request grew for minutes.
func (q *workQueue) giveBack() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.pending {
		return
	}
	q.pending = true
	time.AfterFunc(200*time.Millisecond, func() {
		q.mu.Lock()
		q.pending = false
		q.mu.Unlock()
		debug.FreeOSMemory()
	})
}
