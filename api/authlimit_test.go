package api

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

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
