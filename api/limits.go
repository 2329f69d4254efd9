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

// Budget bounds the memory, by estimate, that expensive work holds at
// once: travel matrices for a check or a solve job, a matrix answer. Each
// piece of work takes its estimate from the budget before it starts and
// gives it back when done, so that several large ones queue instead of
// adding up; memory the large ones held is handed back to the operating
// system after them. One Budget may be shared by a Server and the Worker
// in its process.
type Budget struct {
	bytes int64
	sem   *semaphore.Weighted

	mu      sync.Mutex
	pending bool // a hand-back is scheduled
}

// NewBudget returns a budget of bytes.
func NewBudget(bytes int64) *Budget {
	return &Budget{bytes: bytes, sem: semaphore.NewWeighted(bytes)}
}

// BudgetFor is the default budget under limits l: twice the largest
// instance's matrices (room for one being built and copied while another
// is answered), or 1 GiB when the matrices are unbounded.
func BudgetFor(l roster.Limits) *Budget {
	if l.MaxMatrixBytes <= 0 {
		return NewBudget(1 << 30)
	}
	return NewBudget(2 * l.MaxMatrixBytes)
}

// bigWork is the estimate past which a piece of work's memory is handed
// back to the operating system when it finishes.
const bigWork = 64 << 20

// hold waits until bytes of the budget (at most the whole budget) are free
// or ctx ends, and returns the function that gives them back.
func (b *Budget) hold(ctx context.Context, bytes int64) (func(), error) {
	bytes = min(max(bytes, 1), b.bytes)
	if err := b.sem.Acquire(ctx, bytes); err != nil {
		return nil, err
	}
	return func() {
		b.sem.Release(bytes)
		if bytes >= bigWork {
			b.giveBack()
		}
	}, nil
}

// acquire is hold for a request: it waits at most wait, then answers 503
// with Retry-After.
func (b *Budget) acquire(ctx context.Context, bytes int64, wait time.Duration) (func(), error) {
	wctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	release, err := b.hold(wctx, bytes)
	if err == nil {
		return release, nil
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	p := newProblem(http.StatusServiceUnavailable, typeBusy, "Busy",
		"the service is at its memory budget for large requests; try again shortly")
	p.retryAfter = "5"
	return nil, p
}

// giveBack returns freed memory to the operating system shortly after a
// large piece of work, once for a burst of them: the runtime would
// otherwise keep the heap a large request grew for minutes.
func (b *Budget) giveBack() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.pending {
		return
	}
	b.pending = true
	time.AfterFunc(200*time.Millisecond, func() {
		b.mu.Lock()
		b.pending = false
		b.mu.Unlock()
		debug.FreeOSMemory()
	})
}
