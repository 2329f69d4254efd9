package matrixcache

import (
	"sync"
	"time"
)

// BreakerState is whether the cache uses Redis: closed, it does; open, it
// goes straight to memory and the provider; half-open, one request tries
// Redis to see whether it is back.
type BreakerState int

const (
	BreakerClosed BreakerState = iota
	BreakerHalfOpen
	BreakerOpen
)

func (s BreakerState) String() string {
	switch s {
	case BreakerClosed:
		return "closed"
	case BreakerHalfOpen:
		return "half-open"
	default:
		return "open"
	}
}

// breaker is a circuit breaker in front of Redis. While Redis is down each
// call waits on the client's timeouts (seconds), and a matrix lookup makes
// several; the breaker opens after failures consecutive failed calls, so
// that lookups skip Redis, and after coolDown lets one call through to
// probe it. A success closes it, a failure opens it for another coolDown.
type breaker struct {
	mu        sync.Mutex
	state     BreakerState
	failures  int // consecutive, while closed
	openedAt  time.Time
	probing   bool // a half-open call is out
	threshold int
	coolDown  time.Duration
	now       func() time.Time
	onOpen    func() // called when the breaker opens from closed
}

// allow reports whether a call may go to Redis now. A caller allowed in
// must report its outcome with done.
func (b *breaker) allow() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch b.state {
	case BreakerClosed:
		return true
	case BreakerOpen:
		if b.now().Sub(b.openedAt) < b.coolDown {
			return false
		}
		b.state = BreakerHalfOpen
	}
	if b.probing {
		return false
	}
	b.probing = true
	return true
}

// done records the outcome of a call to Redis: ok closes the breaker; a
// failure counts towards opening it, or opens it again from half-open.
// Probes made outside allow (readyz's ping) report here too.
func (b *breaker) done(ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.probing = false
	if ok {
		b.state, b.failures = BreakerClosed, 0
		return
	}
	b.failures++
	if b.state == BreakerClosed && b.failures < b.threshold {
		return
	}
	if b.state == BreakerClosed && b.onOpen != nil {
		b.onOpen()
	}
	b.state, b.openedAt = BreakerOpen, b.now()
}

// abandon gives back a call allowed by allow whose outcome is unknown (its
// caller went away): it counts neither way.
func (b *breaker) abandon() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.probing = false
}

func (b *breaker) current() BreakerState {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.state
}
