package api

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/rounds-dev/rounds/api/jobs"
)

// TestFailedAuthThrottled: 2,000 requests with a wrong key from one
// address are mostly answered 429 with Retry-After, as problems; while the
// address is throttled even a good key from it waits, and other addresses
// are untouched.
func TestFailedAuthThrottled(t *testing.T) {
	f := newFixture(t, jobs.NewMemory(1, time.Hour), true)
	h := f.srv.Handler()
	call := func(addr, key string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", "/v1/jobs/0123456789abcdef01234567", nil)
		req.RemoteAddr = addr
		// A client may claim any address; only the connection's counts.
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("203.0.113.%d", time.Now().UnixNano()%250))
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	const attacker, n = "192.0.2.7:40000", 2000
	start := time.Now()
	counts := map[int]int{}
	for i := range n {
		key := "guess-" + strconv.Itoa(i)
		if i%10 == 0 {
			key = "" // no key at all is a failure too
		}
		rec := call(attacker, key)
		counts[rec.Code]++
		if rec.Code == http.StatusTooManyRequests {
			if rec.Header().Get("Content-Type") != "application/problem+json" {
				t.Fatalf("429 without a problem body: %s", rec.Body)
			}
			if s, err := strconv.Atoi(rec.Header().Get("Retry-After")); err != nil || s < 1 {
				t.Fatalf("429 with Retry-After %q", rec.Header().Get("Retry-After"))
			}
		}
	}
	// Only the burst and what refilled while the test ran may be 401s.
	allowed := defaultFailedAuthBurst + int(time.Since(start).Seconds()*defaultFailedAuthPerSecond) + 1
	if counts[http.StatusUnauthorized] > allowed || counts[http.StatusTooManyRequests] < n-allowed ||
		counts[http.StatusUnauthorized]+counts[http.StatusTooManyRequests] != n {
		t.Fatalf("answers %v, want at most %d 401s and the rest 429s", counts, allowed)
	}
	if rec := call(attacker, aliceKey); rec.Code != http.StatusTooManyRequests {
		t.Errorf("a good key from the throttled address: %d, want 429", rec.Code)
	}
	if rec := call("[2001:db8:1:2::7]:40000", "guess"); rec.Code != http.StatusUnauthorized {
		t.Errorf("a wrong key from another address: %d, want 401", rec.Code)
	}
	if rec := call("198.51.100.1:50000", aliceKey); rec.Code != http.StatusNotFound {
		t.Errorf("a good key from another address: %d %s, want 404 for the unknown job", rec.Code, rec.Body)
	}
}

// TestAuthFailuresBounded: the failure limiter holds at most its bound of
// addresses, however many fail; an IPv6 /64 counts as one address.
func TestAuthFailuresBounded(t *testing.T) {
	a := newAuthFailures(1, 3, 100)
	now := time.Now()
	for i := range 5000 {
		a.fail(fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255), now)
	}
	if n := a.len(); n > 100 {
		t.Fatalf("%d addresses held, want at most 100", n)
	}
	// Ten seconds on, every address has its allowance back and may go.
	later := now.Add(10 * time.Second)
	for i := range 3 {
		if _, over := a.fail(fmt.Sprintf("2001:db8:0:1::%x", i+1), later); over {
			t.Fatalf("failure %d of a /64 over the burst of 3", i+1)
		}
	}
	if _, over := a.fail("2001:db8:0:1:ffff::9", later); !over {
		t.Error("a fourth failure from the same /64 is not throttled")
	}
}

// TestAuthOverflowSparesGoodKeys: once the failure table is full, the
// failures of addresses it does not hold share one overflow allowance.
// Draining it (an attacker rotating IPv6 /64s) gets wrong keys 429 from
// any new address, but never refuses a good key: only an address's own
// exhausted allowance is checked before the key.
func TestAuthOverflowSparesGoodKeys(t *testing.T) {
	f := newFixture(t, jobs.NewMemory(1, time.Hour), true)
	// Ten addresses and a burst of three, refilled only hourly, so that no
	// allowance comes back while the test runs, however slowly.
	f.srv.failures = newAuthFailures(rate.Every(time.Hour), 3, 10)
	h := f.srv.Handler()
	call := func(addr, key string) int {
		req := httptest.NewRequest("GET", "/v1/jobs/0123456789abcdef01234567", nil)
		req.RemoteAddr = addr
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	rotating := 0
	next := func() string { rotating++; return fmt.Sprintf("[2001:db8:%x::1]:40000", rotating) }
	// The steps share the limiter's state and run in order.
	for _, step := range []struct {
		name string
		send func() int
		want int
	}{
		{"fill the table: ten addresses fail once each", func() int {
			for i := range 10 {
				if code := call(fmt.Sprintf("10.0.0.%d:40000", i), "guess"); code != http.StatusUnauthorized {
					return code
				}
			}
			return http.StatusUnauthorized
		}, http.StatusUnauthorized},
		{"exhaust one held address", func() int {
			call("10.0.0.0:40000", "guess")
			call("10.0.0.0:40000", "guess")
			return call("10.0.0.0:40000", "guess")
		}, http.StatusTooManyRequests},
		{"a good key from the exhausted held address waits", func() int { return call("10.0.0.0:40000", aliceKey) }, http.StatusTooManyRequests},
		{"a good key from a held address with allowance left", func() int { return call("10.0.0.1:40000", aliceKey) }, http.StatusNotFound},
		{"rotating addresses draw the overflow's three", func() int {
			for range 3 {
				if code := call(next(), "guess"); code != http.StatusUnauthorized {
					return code
				}
			}
			return http.StatusUnauthorized
		}, http.StatusUnauthorized},
		{"a wrong key from another new address once the overflow is drained", func() int { return call(next(), "guess") }, http.StatusTooManyRequests},
		{"no key from another new address once the overflow is drained", func() int { return call(next(), "") }, http.StatusTooManyRequests},
		{"a good key from a new address while the overflow is drained", func() int { return call("198.51.100.1:50000", aliceKey) }, http.StatusNotFound},
		{"a good key from a new IPv6 address while the overflow is drained", func() int { return call(next(), bobKey) }, http.StatusNotFound},
	} {
		t.Run(step.name, func(t *testing.T) {
			if got := step.send(); got != step.want {
				t.Errorf("status %d, want %d", got, step.want)
			}
		})
	}
	if n := f.srv.failures.len(); n > 10 {
		t.Errorf("%d addresses held, want at most 10", n)
	}
}
