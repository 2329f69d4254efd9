package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis keeps jobs in a Redis server shared by every process configured
// with it. The queue is a stream read by a consumer group: a job a worker
// has claimed stays pending against it until it finishes, and a pending job
// whose worker has not touched it for the visibility timeout is claimed by
// another worker, so that no job is lost with the process that held it.
// Each job's status, progress and result are a hash that expires after the
// result TTL once the job has finished.
//
// If Redis loses its data (restarted without persistence, or flushed), the
// queue and its consumer group are re-created by the next submission, the
// next worker that looks for a job, or the next readiness check. Jobs that
// were queued or running then are gone with the data: their owners get
// not found (404), which is the truth, and a worker running one stops at
// its next touch and drops its result.
type Redis struct {
	c           redis.UniversalClient
	prefix      string
	stream      string
	group       string
	max         int
	ttl         time.Duration
	visibility  time.Duration
	maxAttempts int
}

// RedisConfig sets up a Redis store.
type RedisConfig struct {
	// Prefix starts every key (default "rounds:v1:jobs:").
	Prefix string
	// MaxQueue bounds the jobs queued and running together.
	MaxQueue int
	// ResultTTL is how long a finished job is kept.
	ResultTTL time.Duration
	// Visibility is how long a claimed job may go untouched before another
	// worker takes it over (default 30 s); workers touch their jobs more
	// often than that.
	Visibility time.Duration
	// MaxAttempts is how many workers may take a job before it is failed,
	// so that a job that kills its worker cannot kill them all (default 3).
	MaxAttempts int
}

// NewRedis returns a store on client c. It creates the stream's consumer
// group if it is missing.
func NewRedis(ctx context.Context, c redis.UniversalClient, cfg RedisConfig) (*Redis, error) {
	if cfg.Prefix == "" {
		cfg.Prefix = "rounds:v1:jobs:"
	}
	if cfg.Visibility <= 0 {
		cfg.Visibility = 30 * time.Second
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 3
	}
	if cfg.MaxQueue <= 0 || cfg.ResultTTL <= 0 {
		return nil, errors.New("jobs: MaxQueue and ResultTTL must be positive")
	}
	r := &Redis{c: c, prefix: cfg.Prefix, stream: cfg.Prefix + "queue", group: "workers",
		max: cfg.MaxQueue, ttl: cfg.ResultTTL, visibility: cfg.Visibility, maxAttempts: cfg.MaxAttempts}
	if err := r.ensureGroup(ctx); err != nil {
		return nil, err
	}
	return r, nil
}

// ensureGroup creates the stream and its consumer group if either is
// missing. The group reads from the start of the stream, so that jobs
// queued after an old group was lost are delivered; finished jobs' entries
// are deleted from the stream, so none of them runs again.
func (r *Redis) ensureGroup(ctx context.Context) error {
	err := r.c.XGroupCreateMkStream(ctx, r.stream, r.group, "0").Err()
	if err != nil && !strings.HasPrefix(err.Error(), "BUSYGROUP") {
		return fmt.Errorf("jobs: creating the consumer group: %w", err)
	}
	return nil
}

// lostGroup reports whether err says the stream or its consumer group is
// missing, as after Redis restarted empty or was flushed; a worker blocked
// on the stream when it was deleted is told so as UNBLOCKED.
func lostGroup(err error) bool {
	if err == nil {
		return false
	}
	m := err.Error()
	return strings.HasPrefix(m, "NOGROUP") || strings.HasPrefix(m, "UNBLOCKED")
}

// Check tells whether jobs can be queued and claimed: Redis answers and the
// consumer group exists. A group lost with Redis's data is re-created here,
// so that a readiness probe repairs what it would otherwise report.
func (r *Redis) Check(ctx context.Context) error { return r.ensureGroup(ctx) }

func (r *Redis) key(id string) string { return r.prefix + "job:" + id }

// queuedTTL bounds how long an unfinished job's record lives, so that
// nothing stays forever if every worker is gone.
const queuedTTL = 7 * 24 * time.Hour

// ensureGroupLua defines ensureGroup(group), for scripts that add to the
// stream (KEYS[2] for release, KEYS[1] for submit, passed as s): when the
// stream is missing, Redis has lost it and its group, and adding to it
// would make a stream no worker reads.
const ensureGroupLua = `
local function ensureGroup(s, group)
  if redis.call('EXISTS', s) == 0 then
    redis.call('XGROUP', 'CREATE', s, group, '0', 'MKSTREAM')
  end
end
`

var submitScript = redis.NewScript(ensureGroupLua + `
if redis.call('XLEN', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
ensureGroup(KEYS[1], ARGV[7])
local e = redis.call('XADD', KEYS[1], '*', 'id', ARGV[2])
redis.call('HSET', KEYS[2], 'owner', ARGV[3], 'status', 'queued', 'created', ARGV[4], 'payload', ARGV[5], 'attempts', 0, 'entry', e)
redis.call('EXPIRE', KEYS[2], ARGV[6])
return 1
`)

func (r *Redis) Submit(ctx context.Context, owner string, payload []byte) (*Job, error) {
	id := newID()
	now := time.Now().UTC()
	ok, err := submitScript.Run(ctx, r.c, []string{r.stream, r.key(id)},
		r.max, id, owner, now.Format(time.RFC3339Nano), payload, int(queuedTTL.Seconds()), r.group).Int()
	if err != nil {
		return nil, err
	}
	if ok == 0 {
		return nil, ErrQueueFull
	}
	return &Job{ID: id, Owner: owner, Status: Queued, Created: now}, nil
}

var jobFields = []string{"owner", "status", "created", "started", "finished", "attempts", "progress", "plan", "result", "error"}

func (r *Redis) Get(ctx context.Context, owner, id string) (*Job, error) {
	if !validID(id) {
		return nil, ErrNotFound
	}
	vals, err := r.c.HMGet(ctx, r.key(id), jobFields...).Result()
	if err != nil {
		return nil, err
	}
	f := map[string]string{}
	for i, v := range vals {
		if s, ok := v.(string); ok {
			f[jobFields[i]] = s
		}
	}
	if f["status"] == "" || f["owner"] != owner {
		return nil, ErrNotFound
	}
	j := &Job{ID: id, Owner: owner, Status: Status(f["status"]), Error: f["error"]}
	j.Created, _ = time.Parse(time.RFC3339Nano, f["created"])
	if t, err := time.Parse(time.RFC3339Nano, f["started"]); err == nil {
		j.Started = &t
	}
	if t, err := time.Parse(time.RFC3339Nano, f["finished"]); err == nil {
		j.Finished = &t
	}
	j.Attempts, _ = strconv.Atoi(f["attempts"])
	if p := f["progress"]; p != "" {
		j.Progress = new(Progress)
		if err := json.Unmarshal([]byte(p), j.Progress); err != nil {
			j.Progress = nil
		}
	}
	if p := f["plan"]; p != "" {
		j.Plan = json.RawMessage(p)
	}
	if r := f["result"]; r != "" {
		j.Result = json.RawMessage(r)
	}
	return j, nil
}

// validID keeps ids to the hex form newID makes, so that no request can
// reach another key.
func validID(id string) bool {
	if len(id) != 24 {
		return false
	}
	for _, c := range id {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// ackEntryLua defines ackEntry(group) for the scripts below: it takes the
// job's stream entry (KEYS[2] is the stream, KEYS[1] the job) off the
// pending list and out of the stream.
const ackEntryLua = `
local function ackEntry(group)
  local e = redis.call('HGET', KEYS[1], 'entry')
  if e then
    redis.call('XACK', KEYS[2], group, e)
    redis.call('XDEL', KEYS[2], e)
  end
end
`

var cancelScript = redis.NewScript(ackEntryLua + `
local st = redis.call('HGET', KEYS[1], 'status')
if not st or redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return false end
if st == 'queued' then
  redis.call('HSET', KEYS[1], 'status', 'cancelled', 'finished', ARGV[2])
  redis.call('HDEL', KEYS[1], 'payload')
  redis.call('EXPIRE', KEYS[1], ARGV[3])
  ackEntry(ARGV[4])
elseif st == 'running' then
  redis.call('HSET', KEYS[1], 'status', 'cancelled')
end
return st
`)

func (r *Redis) Cancel(ctx context.Context, owner, id string) (*Job, error) {
	if !validID(id) {
		return nil, ErrNotFound
	}
	err := cancelScript.Run(ctx, r.c, []string{r.key(id), r.stream},
		owner, time.Now().UTC().Format(time.RFC3339Nano), int(r.ttl.Seconds()), r.group).Err()
	if errors.Is(err, redis.Nil) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return r.Get(ctx, owner, id)
}

// startScript marks a claimed job running. It answers 'run' with the
// payload, 'skip' when the entry no longer leads to a runnable job (it was
// cancelled, or expired), 'wait' when a job already running is delivered
// afresh (ARGV[6] is 'new'), or 'fail' when the job has used its attempts.
//
// A running job is delivered afresh only when the consumer group was lost
// and re-created while a worker held it. Its entry is left pending with
// the claimer: the holder's next touch claims it back, and if the holder
// has died the entry is taken over after the visibility timeout, like any
// other.
var startScript = redis.NewScript(`
local st = redis.call('HGET', KEYS[1], 'status')
if st ~= 'queued' and st ~= 'running' then
  redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
  redis.call('XDEL', KEYS[2], ARGV[2])
  return {'skip'}
end
if st == 'running' and ARGV[6] == 'new' then return {'wait'} end
local n = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
if n > tonumber(ARGV[4]) then
  redis.call('HSET', KEYS[1], 'status', 'failed', 'finished', ARGV[3], 'error', 'the job stopped its worker ' .. (n - 1) .. ' times; it was not tried again')
  redis.call('HDEL', KEYS[1], 'payload', 'progress')
  redis.call('EXPIRE', KEYS[1], ARGV[5])
  redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
  redis.call('XDEL', KEYS[2], ARGV[2])
  return {'fail'}
end
redis.call('HSET', KEYS[1], 'status', 'running', 'started', ARGV[3], 'entry', ARGV[2])
return {'run', redis.call('HGET', KEYS[1], 'payload'), redis.call('HGET', KEYS[1], 'owner'), n}
`)

func (r *Redis) Claim(ctx context.Context, consumer string, wait time.Duration) (*Claim, error) {
	deadline := time.Now().Add(wait)
	for {
		msgs, _, err := r.c.XAutoClaim(ctx, &redis.XAutoClaimArgs{
			Stream: r.stream, Group: r.group, Consumer: consumer, MinIdle: r.visibility, Start: "0-0", Count: 1,
		}).Result()
		if lostGroup(err) {
			if err := r.ensureGroup(ctx); err != nil {
				return nil, err
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		delivery := "takeover"
		if len(msgs) == 0 {
			left := time.Until(deadline)
			if left <= 0 {
				return nil, ErrNoJob
			}
			// Block no longer than half the visibility timeout, so that a
			// dead worker's job is looked for again while waiting.
			streams, err := r.c.XReadGroup(ctx, &redis.XReadGroupArgs{
				Group: r.group, Consumer: consumer, Streams: []string{r.stream, ">"}, Count: 1,
				Block: max(time.Millisecond, min(left, r.visibility/2)),
			}).Result()
			if errors.Is(err, redis.Nil) {
				continue
			}
			if lostGroup(err) {
				if err := r.ensureGroup(ctx); err != nil {
					return nil, err
				}
				continue
			}
			if err != nil {
				return nil, err
			}
			for _, s := range streams {
				msgs = append(msgs, s.Messages...)
			}
			delivery = "new"
		}
		for _, m := range msgs {
			id, _ := m.Values["id"].(string)
			res, err := startScript.Run(ctx, r.c, []string{r.key(id), r.stream},
				r.group, m.ID, time.Now().UTC().Format(time.RFC3339Nano), r.maxAttempts, int(r.ttl.Seconds()), delivery).Slice()
			if err != nil {
				return nil, err
			}
			if len(res) == 4 && res[0] == "run" {
				payload, _ := res[1].(string)
				owner, _ := res[2].(string)
				n, _ := res[3].(int64)
				return &Claim{ID: id, Owner: owner, Payload: []byte(payload), Attempt: int(n)}, nil
			}
		}
		if time.Now().After(deadline) {
			return nil, ErrNoJob
		}
	}
}

func (r *Redis) Touch(ctx context.Context, consumer, id string, p Progress) (Status, error) {
	b, _ := json.Marshal(p)
	st, err := r.c.HGet(ctx, r.key(id), "status").Result()
	if errors.Is(err, redis.Nil) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", err
	}
	entry, err := r.c.HGet(ctx, r.key(id), "entry").Result()
	if err != nil {
		return "", err
	}
	pipe := r.c.TxPipeline()
	// Claiming its own entry again resets the entry's idle time: the sign
	// that this worker is alive.
	pipe.XClaimJustID(ctx, &redis.XClaimArgs{Stream: r.stream, Group: r.group, Consumer: consumer, MinIdle: 0, Messages: []string{entry}})
	if Status(st) == Running {
		pipe.HSet(ctx, r.key(id), "progress", b)
	}
	_, err = pipe.Exec(ctx)
	if lostGroup(err) {
		// The group went with Redis's data while the job's record stayed
		// (the group alone was destroyed): re-create it. The entry, when a
		// claimer meets it again, is left pending for this worker's next
		// touch to claim back.
		err = r.ensureGroup(ctx)
	}
	if err != nil {
		return "", err
	}
	return Status(st), nil
}

// finishScript records a result, in the field ARGV[6] names: "plan" for a
// solve, "result" for another job. A job already done or failed keeps the
// result recorded first: a second comes only from a worker that took the
// job over from one slow to record it, or from a save tried again.
var finishScript = redis.NewScript(ackEntryLua + `
local st = redis.call('HGET', KEYS[1], 'status')
if not st then return 0 end
if st == 'done' or st == 'failed' then
  ackEntry(ARGV[5])
  return 1
end
if st == 'cancelled' then
  redis.call('HSET', KEYS[1], 'finished', ARGV[3])
elseif ARGV[2] ~= '' then
  redis.call('HSET', KEYS[1], 'status', 'failed', 'error', ARGV[2], 'finished', ARGV[3])
else
  redis.call('HSET', KEYS[1], 'status', 'done', ARGV[6], ARGV[1], 'finished', ARGV[3])
end
redis.call('HDEL', KEYS[1], 'payload')
redis.call('EXPIRE', KEYS[1], ARGV[4])
ackEntry(ARGV[5])
return 1
`)

func (r *Redis) Finish(ctx context.Context, id string, plan []byte, failure string) error {
	return r.finish(ctx, id, "plan", plan, failure)
}

func (r *Redis) FinishResult(ctx context.Context, id string, result []byte, failure string) error {
	return r.finish(ctx, id, "result", result, failure)
}

// finish records out in field ("plan" or "result"), or the failure.
func (r *Redis) finish(ctx context.Context, id, field string, out []byte, failure string) error {
	n, err := finishScript.Run(ctx, r.c, []string{r.key(id), r.stream},
		out, failure, time.Now().UTC().Format(time.RFC3339Nano), int(r.ttl.Seconds()), r.group, field).Int()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

var releaseScript = redis.NewScript(ackEntryLua + ensureGroupLua + `
local st = redis.call('HGET', KEYS[1], 'status')
if not st then return 0 end
ackEntry(ARGV[1])
ensureGroup(KEYS[2], ARGV[1])
if st == 'cancelled' then
  redis.call('HSET', KEYS[1], 'finished', ARGV[3])
  redis.call('HDEL', KEYS[1], 'payload')
  redis.call('EXPIRE', KEYS[1], ARGV[4])
  return 1
end
local ne = redis.call('XADD', KEYS[2], '*', 'id', ARGV[2])
redis.call('HSET', KEYS[1], 'status', 'queued', 'entry', ne)
redis.call('HINCRBY', KEYS[1], 'attempts', -1)
redis.call('HDEL', KEYS[1], 'progress', 'started')
return 1
`)

// Release puts a running job back at the end of the queue; the attempt it
// used does not count against it.
func (r *Redis) Release(ctx context.Context, id string) error {
	n, err := releaseScript.Run(ctx, r.c, []string{r.key(id), r.stream},
		r.group, id, time.Now().UTC().Format(time.RFC3339Nano), int(r.ttl.Seconds())).Int()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

func (r *Redis) Depth(ctx context.Context) (int, error) {
	n, err := r.c.XLen(ctx, r.stream).Result()
	return int(n), err
}
