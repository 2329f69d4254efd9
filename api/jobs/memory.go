package jobs

import (
	"context"
	"sync"
	"time"
)

// Memory keeps jobs in this process: the embedded default when no Redis is
// configured. Finished jobs are dropped after the result TTL.
type Memory struct {
	mu      sync.Mutex
	max     int
	ttl     time.Duration
	jobs    map[string]*memJob
	queue   []string // queued ids, oldest first
	running int
	wake    chan struct{}
	now     func() time.Time
}

type memJob struct {
	job     Job
	payload []byte
	expires time.Time
	// held is set while a worker runs the job: a job cancelled then is
	// finished in status but does not expire until the worker lets go.
	held bool
}

// expired reports whether j has finished, been let go by its worker and
// outlived the result TTL.
func (j *memJob) expired(now time.Time) bool {
	return j.job.Status.Finished() && !j.held && now.After(j.expires)
}

// NewMemory returns a store that queues at most max jobs (queued and
// running together) and keeps results for ttl.
func NewMemory(max int, ttl time.Duration) *Memory {
	return &Memory{max: max, ttl: ttl, jobs: map[string]*memJob{}, wake: make(chan struct{}, 1), now: time.Now}
}

func (m *Memory) sweep() {
	now := m.now()
	for id, j := range m.jobs {
		if j.expired(now) {
			delete(m.jobs, id)
		}
	}
}

func (m *Memory) Submit(_ context.Context, owner string, payload []byte) (*Job, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sweep()
	if len(m.queue)+m.running >= m.max {
		return nil, ErrQueueFull
	}
	j := &memJob{job: Job{ID: newID(), Owner: owner, Status: Queued, Created: m.now().UTC()}, payload: payload}
	m.jobs[j.job.ID] = j
	m.queue = append(m.queue, j.job.ID)
	m.signal()
	cp := j.job
	return &cp, nil
}

// owned returns owner's job id, if it has not expired. m.mu is held.
func (m *Memory) owned(owner, id string) (*memJob, bool) {
	j, ok := m.jobs[id]
	if !ok || j.job.Owner != owner || j.expired(m.now()) {
		return nil, false
	}
	return j, true
}

func (m *Memory) Get(_ context.Context, owner, id string) (*Job, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	j, ok := m.owned(owner, id)
	if !ok {
		return nil, ErrNotFound
	}
	cp := j.job
	return &cp, nil
}

func (m *Memory) Cancel(_ context.Context, owner, id string) (*Job, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	j, ok := m.owned(owner, id)
	if !ok {
		return nil, ErrNotFound
	}
	switch j.job.Status {
	case Queued:
		m.removeQueued(id)
		m.finish(j, Cancelled)
	case Running:
		// The worker sees it at its next Touch and stops; the job stays
		// readable (held) until then, and its TTL starts when it does.
		j.job.Status = Cancelled
	}
	cp := j.job
	return &cp, nil
}

// signal wakes a worker waiting in Claim.
func (m *Memory) signal() {
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

func (m *Memory) removeQueued(id string) {
	for i, q := range m.queue {
		if q == id {
			m.queue = append(m.queue[:i], m.queue[i+1:]...)
			return
		}
	}
}

func (m *Memory) finish(j *memJob, s Status) {
	now := m.now().UTC()
	j.job.Status = s
	j.job.Finished = &now
	j.expires = now.Add(m.ttl)
	j.payload = nil
}

func (m *Memory) Claim(ctx context.Context, _ string, wait time.Duration) (*Claim, error) {
	t := time.NewTimer(wait)
	defer t.Stop()
	for {
		m.mu.Lock()
		if len(m.queue) > 0 {
			id := m.queue[0]
			m.queue = m.queue[1:]
			j := m.jobs[id]
			now := m.now().UTC()
			j.job.Status = Running
			j.job.Started = &now
			j.job.Attempts++
			j.held = true
			m.running++
			c := &Claim{ID: id, Owner: j.job.Owner, Payload: j.payload, Attempt: j.job.Attempts}
			m.mu.Unlock()
			return c, nil
		}
		m.mu.Unlock()
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-t.C:
			return nil, ErrNoJob
		case <-m.wake:
		}
	}
}

func (m *Memory) Touch(_ context.Context, _, id string, p Progress) (Status, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	j, ok := m.jobs[id]
	if !ok {
		return "", ErrNotFound
	}
	if j.job.Status == Running {
		j.job.Progress = &p
	}
	return j.job.Status, nil
}

// stopRunning looks up a running job that its worker is done with. m.mu
// is held.
func (m *Memory) stopRunning(id string) (*memJob, error) {
	j, ok := m.jobs[id]
	if !ok || !j.held {
		return nil, ErrNotFound
	}
	j.held = false
	m.running--
	return j, nil
}

func (m *Memory) Finish(_ context.Context, id string, plan []byte, failure string) error {
	return m.finishWith(id, plan, false, failure)
}

func (m *Memory) FinishResult(_ context.Context, id string, result []byte, failure string) error {
	return m.finishWith(id, result, true, failure)
}

// finishWith records a plan, or with isResult another job's result.
func (m *Memory) finishWith(id string, out []byte, isResult bool, failure string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	j, err := m.stopRunning(id)
	if err != nil {
		return err
	}
	switch {
	case j.job.Status == Cancelled:
		m.finish(j, Cancelled)
	case failure != "":
		j.job.Error = failure
		m.finish(j, Failed)
	case isResult:
		j.job.Result = out
		m.finish(j, Done)
	default:
		j.job.Plan = out
		m.finish(j, Done)
	}
	return nil
}

func (m *Memory) Release(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	j, err := m.stopRunning(id)
	if err != nil {
		return err
	}
	if j.job.Status == Cancelled {
		m.finish(j, Cancelled)
		return nil
	}
	j.job.Status = Queued
	j.job.Progress = nil
	j.job.Started = nil
	j.job.Attempts-- // a handed-back attempt does not count
	m.queue = append([]string{id}, m.queue...)
	m.signal()
	return nil
}

func (m *Memory) Depth(context.Context) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.queue) + m.running, nil
}
