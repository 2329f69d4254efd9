// Package jobs holds solve jobs from submission to result: a bounded queue
// that workers claim from, each job's status, progress and plan, and
// cancellation. Two stores keep them: Memory, inside one process, and
// Redis, shared by every process that points at the same server, where a
// job held by a worker that dies is taken over by another.
package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"
)

// Status is where a job is in its life.
type Status string

const (
	Queued    Status = "queued"
	Running   Status = "running"
	Done      Status = "done"
	Failed    Status = "failed"
	Cancelled Status = "cancelled"
)

// Finished reports whether a job in this status will not change again.
func (s Status) Finished() bool { return s == Done || s == Failed || s == Cancelled }

// Progress is what a running job last reported: a solve its search, a
// localities job its localities.
type Progress struct {
	Iteration int     `json:"iteration"`
	ElapsedS  float64 `json:"elapsed_s"`
	Served    int     `json:"served"`
	Unserved  int     `json:"unserved"`
	// Localities is how far a localities job has gone; nil for a solve.
	Localities *LocalitiesProgress `json:"localities,omitempty"`
}

// LocalitiesProgress is how far a localities job has gone.
type LocalitiesProgress struct {
	// Done of Total localities are sized, over every option or proposal
	// of the job.
	Done  int `json:"done"`
	Total int `json:"total"`
	// Solves counts the representative days planned so far.
	Solves int `json:"solves"`
	// Option names the option or proposal being evaluated.
	Option string `json:"option,omitempty"`
}

// Job is a solve job as its owner sees it.
type Job struct {
	ID       string          `json:"id"`
	Owner    string          `json:"-"`
	Status   Status          `json:"status"`
	Created  time.Time       `json:"created"`
	Started  *time.Time      `json:"started,omitempty"`
	Finished *time.Time      `json:"finished,omitempty"`
	Attempts int             `json:"attempts"`
	Progress *Progress       `json:"progress,omitempty"`
	Plan     json.RawMessage `json:"plan,omitempty"`
	// Result is what a job other than a solve answers (a localities
	// job's figures); a solve's answer is its Plan.
	Result json.RawMessage `json:"result,omitempty"`
	Error  string          `json:"error,omitempty"`
}

// Claim is a job a worker has taken, with what it needs to run it.
type Claim struct {
	ID      string
	Owner   string
	Payload []byte
	Attempt int
}

var (
	// ErrNotFound: no such job, or it belongs to another owner.
	ErrNotFound = errors.New("jobs: no such job")
	// ErrQueueFull: the queue holds as many jobs as it may.
	ErrQueueFull = errors.New("jobs: queue full")
	// ErrNoJob: no job was waiting when Claim gave up.
	ErrNoJob = errors.New("jobs: no job waiting")
)

// Store is where jobs live.
type Store interface {
	// Submit queues a job for owner with the payload a worker will run.
	Submit(ctx context.Context, owner string, payload []byte) (*Job, error)
	// Get returns owner's job id.
	Get(ctx context.Context, owner, id string) (*Job, error)
	// Cancel stops owner's job id if it has not finished and returns it.
	Cancel(ctx context.Context, owner, id string) (*Job, error)

	// Claim takes the next queued job for the worker named consumer,
	// waiting up to wait for one; it returns ErrNoJob if none came.
	Claim(ctx context.Context, consumer string, wait time.Duration) (*Claim, error)
	// Touch records a running job's progress and tells the store the
	// worker is alive; it returns the job's status, so that the worker
	// sees a cancellation.
	Touch(ctx context.Context, consumer, id string, p Progress) (Status, error)
	// Finish records the result of a solve job: the plan, or the error.
	Finish(ctx context.Context, id string, plan []byte, failure string) error
	// FinishResult records the result of a job that is not a solve (a
	// localities job): its result, or the error. It behaves as Finish
	// does.
	FinishResult(ctx context.Context, id string, result []byte, failure string) error
	// Release hands a running job back to the queue, as on shutdown.
	Release(ctx context.Context, id string) error
	// Depth is the number of jobs queued or running.
	Depth(ctx context.Context) (int, error)
}

// Checker is a Store that depends on a server of its own (Redis).
type Checker interface {
	// Check reports whether jobs can be queued and claimed now, first
	// repairing what the server lost (a consumer group) where it can.
	Check(ctx context.Context) error
}

var _ Checker = (*Redis)(nil)

// newID returns a random job id.
func newID() string {
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
