package jobs

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/rounds-dev/rounds/internal/redistest"
)

// stores runs a test against both stores.
func stores(t *testing.T, max int, f func(t *testing.T, s Store)) {
	t.Run("memory", func(t *testing.T) { f(t, NewMemory(max, time.Hour)) })
	t.Run("redis", func(t *testing.T) {
		rc := redistest.Client(t)
		s, err := NewRedis(context.Background(), rc, RedisConfig{Prefix: redistest.Prefix(t, rc), MaxQueue: max, ResultTTL: time.Hour, Visibility: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		f(t, s)
	})
}

func TestLifecycle(t *testing.T) {
	stores(t, 4, func(t *testing.T, s Store) {
		ctx := context.Background()
		j, err := s.Submit(ctx, "alice", []byte(`{"x":1}`))
		if err != nil || j.Status != Queued {
			t.Fatalf("submit: %v %v", j, err)
		}
		if _, err := s.Get(ctx, "bob", j.ID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("another owner read the job: %v", err)
		}
		if _, err := s.Cancel(ctx, "bob", j.ID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("another owner cancelled the job: %v", err)
		}
		cl, err := s.Claim(ctx, "w1", time.Second)
		if err != nil || cl.ID != j.ID || string(cl.Payload) != `{"x":1}` || cl.Owner != "alice" || cl.Attempt != 1 {
			t.Fatalf("claim: %+v %v", cl, err)
		}
		if st, err := s.Touch(ctx, "w1", j.ID, Progress{Iteration: 7, Served: 3}); err != nil || st != Running {
			t.Fatalf("touch: %v %v", st, err)
		}
		got, _ := s.Get(ctx, "alice", j.ID)
		if got.Status != Running || got.Progress == nil || got.Progress.Iteration != 7 || got.Started == nil {
			t.Fatalf("running job reads %+v", got)
		}
		if n, _ := s.Depth(ctx); n != 1 {
			t.Errorf("depth %d with one job running, want 1", n)
		}
		if err := s.Finish(ctx, j.ID, []byte(`{"rounds":[]}`), ""); err != nil {
			t.Fatal(err)
		}
		got, _ = s.Get(ctx, "alice", j.ID)
		if got.Status != Done || string(got.Plan) != `{"rounds":[]}` || got.Finished == nil {
			t.Fatalf("finished job reads %+v", got)
		}
		if n, _ := s.Depth(ctx); n != 0 {
			t.Errorf("depth %d after the job finished, want 0", n)
		}
		if _, err := s.Claim(ctx, "w1", 100*time.Millisecond); !errors.Is(err, ErrNoJob) {
			t.Fatalf("claim on an empty queue: %v", err)
		}
	})
}

func TestQueueBoundAndCancel(t *testing.T) {
	stores(t, 2, func(t *testing.T, s Store) {
		ctx := context.Background()
		a, _ := s.Submit(ctx, "k", nil)
		b, _ := s.Submit(ctx, "k", nil)
		if _, err := s.Submit(ctx, "k", nil); !errors.Is(err, ErrQueueFull) {
			t.Fatalf("third submit to a queue of 2: %v, want full", err)
		}
		c, err := s.Cancel(ctx, "k", a.ID)
		if err != nil || c.Status != Cancelled {
			t.Fatalf("cancel queued: %+v %v", c, err)
		}
		// The cancelled job freed its place and is never claimed.
		if _, err := s.Submit(ctx, "k", nil); err != nil {
			t.Fatalf("submit after a cancel: %v", err)
		}
		cl, err := s.Claim(ctx, "w", time.Second)
		if err != nil || cl.ID != b.ID {
			t.Fatalf("claimed %+v %v, want the second job", cl, err)
		}
		// Cancelling a running job: the worker sees it at its next touch.
		if _, err := s.Cancel(ctx, "k", b.ID); err != nil {
			t.Fatal(err)
		}
		if st, _ := s.Touch(ctx, "w", b.ID, Progress{}); st != Cancelled {
			t.Fatalf("touch after cancel: %v", st)
		}
		s.Finish(ctx, b.ID, []byte(`{}`), "")
		if got, _ := s.Get(ctx, "k", b.ID); got.Status != Cancelled || got.Plan != nil {
			t.Fatalf("a cancelled job finished as %+v", got)
		}
	})
}

func TestRelease(t *testing.T) {
	stores(t, 4, func(t *testing.T, s Store) {
		ctx := context.Background()
		j, _ := s.Submit(ctx, "k", []byte("p"))
		if _, err := s.Claim(ctx, "w1", time.Second); err != nil {
			t.Fatal(err)
		}
		if err := s.Release(ctx, j.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Get(ctx, "k", j.ID); got.Status != Queued {
			t.Fatalf("released job is %s", got.Status)
		}
		cl, err := s.Claim(ctx, "w2", time.Second)
		if err != nil || cl.ID != j.ID || cl.Attempt != 1 {
			t.Fatalf("claim after release: %+v %v; want the job, attempt 1", cl, err)
		}
	})
}

// TestJobSurvivesWorkerDeath: a worker claims a job and dies (stops
// touching it); after the visibility timeout another worker takes it over
// and finishes it. Touching keeps a live worker's job its own.
func TestJobSurvivesWorkerDeath(t *testing.T) {
	rc := redistest.Client(t)
	ctx := context.Background()
	s, err := NewRedis(ctx, rc, RedisConfig{Prefix: redistest.Prefix(t, rc), MaxQueue: 4, ResultTTL: time.Hour, Visibility: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	j, _ := s.Submit(ctx, "k", []byte("p"))
	if _, err := s.Claim(ctx, "dies", time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Claim(ctx, "lives", 200*time.Millisecond); !errors.Is(err, ErrNoJob) {
		t.Fatalf("a job claimed a moment ago was taken over: %v", err)
	}
	cl, err := s.Claim(ctx, "lives", 3*time.Second)
	if err != nil || cl.ID != j.ID || cl.Attempt != 2 {
		t.Fatalf("after the first worker died: %+v %v; want the job, attempt 2", cl, err)
	}
	// The new holder touches the job: it is not taken from it.
	for i := 0; i < 4; i++ {
		time.Sleep(200 * time.Millisecond)
		if _, err := s.Touch(ctx, "lives", j.ID, Progress{Iteration: i}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Claim(ctx, "thief", 100*time.Millisecond); !errors.Is(err, ErrNoJob) {
		t.Fatalf("a touched job was taken over: %v", err)
	}
	if err := s.Finish(ctx, j.ID, []byte(`{"ok":1}`), ""); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Get(ctx, "k", j.ID); got.Status != Done || got.Attempts != 2 {
		t.Fatalf("job after takeover: %+v", got)
	}
}

// TestPoisonJobFails: a job whose workers keep dying is failed after the
// allowed attempts rather than killing every worker in turn.
func TestPoisonJobFails(t *testing.T) {
	rc := redistest.Client(t)
	ctx := context.Background()
	s, err := NewRedis(ctx, rc, RedisConfig{Prefix: redistest.Prefix(t, rc), MaxQueue: 4, ResultTTL: time.Hour, Visibility: 100 * time.Millisecond, MaxAttempts: 2})
	if err != nil {
		t.Fatal(err)
	}
	j, _ := s.Submit(ctx, "k", nil)
	for i := 0; i < 2; i++ {
		time.Sleep(150 * time.Millisecond)
		if _, err := s.Claim(ctx, "w", time.Second); err != nil {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
	}
	time.Sleep(150 * time.Millisecond)
	if cl, err := s.Claim(ctx, "w", 200*time.Millisecond); !errors.Is(err, ErrNoJob) {
		t.Fatalf("third attempt got %+v %v", cl, err)
	}
	got, _ := s.Get(ctx, "k", j.ID)
	if got.Status != Failed || got.Error == "" {
		t.Fatalf("poison job: %+v", got)
	}
}

// TestCancelRunningStaysReadable: a running job cancelled by its owner
// reads as cancelled while its worker stops, is not swept by the next
// submission, and is kept for the result TTL after the worker lets go.
func TestCancelRunningStaysReadable(t *testing.T) {
	stores(t, 4, func(t *testing.T, s Store) {
		ctx := context.Background()
		j, _ := s.Submit(ctx, "k", []byte("p"))
		if _, err := s.Claim(ctx, "w", time.Second); err != nil {
			t.Fatal(err)
		}
		if c, err := s.Cancel(ctx, "k", j.ID); err != nil || c.Status != Cancelled {
			t.Fatalf("cancel running: %+v %v", c, err)
		}
		for _, step := range []string{"after the cancel", "after another submission"} {
			got, err := s.Get(ctx, "k", j.ID)
			if err != nil || got.Status != Cancelled {
				t.Fatalf("%s the job reads %+v, %v; want cancelled", step, got, err)
			}
			s.Submit(ctx, "k", nil) // sweeps expired jobs in memory
		}
		if st, err := s.Touch(ctx, "w", j.ID, Progress{}); err != nil || st != Cancelled {
			t.Fatalf("the worker's touch: %v %v; want cancelled", st, err)
		}
		if err := s.Finish(ctx, j.ID, nil, ""); err != nil {
			t.Fatal(err)
		}
		s.Submit(ctx, "k", nil)
		got, err := s.Get(ctx, "k", j.ID)
		if err != nil || got.Status != Cancelled || got.Finished == nil {
			t.Fatalf("after the worker stopped the job reads %+v, %v; want cancelled with a finish time", got, err)
		}
	})
}

// TestMemoryCancelledExpires: once its worker has stopped, a cancelled
// job is kept for the result TTL and then dropped.
func TestMemoryCancelledExpires(t *testing.T) {
	ctx := context.Background()
	m := NewMemory(4, time.Hour)
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	m.now = func() time.Time { return now }
	j, _ := m.Submit(ctx, "k", nil)
	m.Claim(ctx, "w", time.Second)
	m.Cancel(ctx, "k", j.ID)
	now = now.Add(2 * time.Hour) // a worker slow to notice keeps its job readable
	if got, err := m.Get(ctx, "k", j.ID); err != nil || got.Status != Cancelled {
		t.Fatalf("a cancelled job still held by its worker reads %+v, %v", got, err)
	}
	m.Finish(ctx, j.ID, nil, "")
	now = now.Add(59 * time.Minute)
	if _, err := m.Get(ctx, "k", j.ID); err != nil {
		t.Fatalf("59 minutes into a 1 h TTL: %v", err)
	}
	now = now.Add(2 * time.Minute)
	if _, err := m.Get(ctx, "k", j.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("past the TTL: %v, want not found", err)
	}
}

// forget deletes every key under prefix, as when Redis restarts empty or
// is flushed (the shared test server is never flushed).
func forget(t *testing.T, rc *redis.Client, prefix string) {
	t.Helper()
	ctx := context.Background()
	iter := rc.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	for iter.Next(ctx) {
		if err := rc.Del(ctx, iter.Val()).Err(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestRedisLosesItsData: after Redis loses the queue and its consumer
// group (restarted empty, flushed, or the group destroyed), a worker
// waiting for jobs re-creates them and runs the next job submitted; jobs
// that were queued or running are gone, and say so: not found.
func TestRedisLosesItsData(t *testing.T) {
	losses := []struct {
		name string
		lose func(t *testing.T, rc *redis.Client, s *Redis, prefix string)
	}{
		{"flushed", func(t *testing.T, rc *redis.Client, s *Redis, prefix string) { forget(t, rc, prefix) }},
		{"group destroyed", func(t *testing.T, rc *redis.Client, s *Redis, prefix string) {
			if err := rc.XGroupDestroy(context.Background(), s.stream, s.group).Err(); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tc := range losses {
		t.Run(tc.name, func(t *testing.T) {
			rc := redistest.Client(t)
			prefix := redistest.Prefix(t, rc)
			ctx := context.Background()
			s, err := NewRedis(ctx, rc, RedisConfig{Prefix: prefix, MaxQueue: 8, ResultTTL: time.Hour, Visibility: time.Second})
			if err != nil {
				t.Fatal(err)
			}
			running, _ := s.Submit(ctx, "k", []byte("running"))
			if _, err := s.Claim(ctx, "w", time.Second); err != nil {
				t.Fatal(err)
			}
			queued, _ := s.Submit(ctx, "k", []byte("queued"))
			tc.lose(t, rc, s, prefix)

			// A worker waiting on the queue sees no error, at most a job it
			// should run; the job still held by its worker is not one.
			want := map[string]bool{fresh(t, s).ID: true}
			if tc.name == "group destroyed" {
				want[queued.ID] = true // its entry and record survived
			}
			for len(want) > 0 {
				if _, err := s.Touch(ctx, "w", running.ID, Progress{}); tc.name != "flushed" && err != nil {
					t.Fatalf("the holder's touch after the loss: %v", err)
				}
				cl, err := s.Claim(ctx, "w2", 300*time.Millisecond)
				if err != nil {
					t.Fatalf("claim after the loss, still waiting for %v: %v", want, err)
				}
				if !want[cl.ID] {
					t.Fatalf("claimed %s, want one of %v", cl.ID, want)
				}
				delete(want, cl.ID)
				if err := s.Finish(ctx, cl.ID, []byte(`{}`), ""); err != nil {
					t.Fatal(err)
				}
			}
			if tc.name == "group destroyed" {
				// The running job's entry, delivered again to the new group,
				// stays with the worker that touches it.
				if cl, err := s.Claim(ctx, "w2", 200*time.Millisecond); !errors.Is(err, ErrNoJob) {
					t.Fatalf("a job its worker still touches was claimed again: %+v %v", cl, err)
				}
				if err := s.Finish(ctx, running.ID, []byte(`{}`), ""); err != nil {
					t.Fatal(err)
				}
				if got, _ := s.Get(ctx, "k", running.ID); got.Status != Done || got.Attempts != 1 {
					t.Fatalf("the job running through the loss ended %+v; want done at its first attempt", got)
				}
			}
			if tc.name != "flushed" {
				return
			}
			for _, id := range []string{running.ID, queued.ID} {
				if _, err := s.Get(ctx, "k", id); !errors.Is(err, ErrNotFound) {
					t.Errorf("job %s lost with Redis's data reads %v, want not found", id, err)
				}
			}
			if _, err := s.Touch(ctx, "w", running.ID, Progress{}); !errors.Is(err, ErrNotFound) {
				t.Errorf("touching a lost job: %v, want not found", err)
			}
			if err := s.Finish(ctx, running.ID, []byte(`{}`), ""); !errors.Is(err, ErrNotFound) {
				t.Errorf("finishing a lost job: %v, want not found", err)
			}
		})
	}
}

// fresh submits a job after a loss.
func fresh(t *testing.T, s Store) *Job {
	t.Helper()
	j, err := s.Submit(context.Background(), "k", []byte("fresh"))
	if err != nil {
		t.Fatalf("submit after the loss: %v", err)
	}
	return j
}

// TestFirstResultKept: when a job is taken over from a worker that was
// only slow to record its result (Redis was away longer than the
// visibility timeout), the first result recorded is kept, and the worker
// that took it over learns at its next touch that the job is done.
func TestFirstResultKept(t *testing.T) {
	rc := redistest.Client(t)
	ctx := context.Background()
	s, err := NewRedis(ctx, rc, RedisConfig{Prefix: redistest.Prefix(t, rc), MaxQueue: 4, ResultTTL: time.Hour, Visibility: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	j, _ := s.Submit(ctx, "k", []byte("p"))
	if _, err := s.Claim(ctx, "slow", time.Second); err != nil {
		t.Fatal(err)
	}
	time.Sleep(150 * time.Millisecond)
	if cl, err := s.Claim(ctx, "second", time.Second); err != nil || cl.ID != j.ID {
		t.Fatalf("takeover: %+v %v", cl, err)
	}
	if err := s.Finish(ctx, j.ID, []byte(`{"by":"slow"}`), ""); err != nil {
		t.Fatal(err)
	}
	if st, err := s.Touch(ctx, "second", j.ID, Progress{}); err != nil || st != Done {
		t.Fatalf("the second worker's touch: %v %v; want done", st, err)
	}
	if err := s.Finish(ctx, j.ID, []byte(`{"by":"second"}`), ""); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Get(ctx, "k", j.ID); got.Status != Done || string(got.Plan) != `{"by":"slow"}` {
		t.Fatalf("job reads %s with plan %s; want the first result", got.Status, got.Plan)
	}
}

// TestFinishResult: a job that is not a solve finishes with its result
// beside, never in, the plan; its progress keeps its localities; a second
// result does not replace the first; a failed one keeps its error.
func TestFinishResult(t *testing.T) {
	stores(t, 4, func(t *testing.T, s Store) {
		ctx := context.Background()
		j, err := s.Submit(ctx, "alice", []byte(`{"kind":"localities-evaluate"}`))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Claim(ctx, "w1", time.Second); err != nil {
			t.Fatal(err)
		}
		p := Progress{ElapsedS: 2, Localities: &LocalitiesProgress{Done: 1, Total: 3, Solves: 9, Option: "current"}}
		if _, err := s.Touch(ctx, "w1", j.ID, p); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Get(ctx, "alice", j.ID)
		if got.Progress == nil || got.Progress.Localities == nil || *got.Progress.Localities != *p.Localities {
			t.Fatalf("progress reads %+v", got.Progress)
		}
		if err := s.FinishResult(ctx, j.ID, []byte(`{"kind":"localities-evaluate"}`), ""); err != nil {
			t.Fatal(err)
		}
		if err := s.FinishResult(ctx, j.ID, []byte(`{"kind":"second"}`), ""); err != nil && !errors.Is(err, ErrNotFound) {
			t.Fatal(err)
		}
		got, _ = s.Get(ctx, "alice", j.ID)
		if got.Status != Done || string(got.Result) != `{"kind":"localities-evaluate"}` || got.Plan != nil || got.Finished == nil {
			t.Fatalf("finished job reads %+v", got)
		}

		f, _ := s.Submit(ctx, "alice", []byte(`{}`))
		if _, err := s.Claim(ctx, "w1", time.Second); err != nil {
			t.Fatal(err)
		}
		if err := s.FinishResult(ctx, f.ID, nil, "the district has no clients"); err != nil {
			t.Fatal(err)
		}
		got, _ = s.Get(ctx, "alice", f.ID)
		if got.Status != Failed || got.Error != "the district has no clients" || got.Result != nil {
			t.Fatalf("failed job reads %+v", got)
		}
	})
}
