package api

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/rounds-dev/rounds/api/jobs"
	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/geo/matrixcache"
)

// TestTrustedProxies: behind a trusted proxy each client is throttled by
// the address the proxy puts last in X-Forwarded-For, so that one client's
// failures do not throttle the others; without a trusted proxy, or from a
// peer outside the trusted ranges, X-Forwarded-For is ignored.
func TestTrustedProxies(t *testing.T) {
	newHandler := func(t *testing.T, trusted []netip.Prefix) http.Handler {
		t.Helper()
		sl, err := geo.NewStraightLine(nil)
		if err != nil {
			t.Fatal(err)
		}
		reg := prometheus.NewRegistry()
		srv, err := New(Config{
			Keys: []Key{{Name: "alice", Hash: HashKey(aliceKey)}},
			Jobs: jobs.NewMemory(1, time.Hour), Matrices: matrixcache.New(sl, matrixcache.Config{Registerer: reg}),
			Registry: reg, TrustedProxies: trusted,
			// A burst of three, refilled only hourly: nothing comes back
			// while the test runs.
			FailedAuthPerSecond: 1.0 / 3600, FailedAuthBurst: 3,
		})
		if err != nil {
			t.Fatal(err)
		}
		return srv.Handler()
	}
	type request struct {
		peer, xff, key string
		want           int
	}
	// exhaust spends the burst of 203.0.113.1, as its proxy reports it.
	exhaust := []request{
		{"127.0.0.1:5000", "203.0.113.1", "guess", http.StatusUnauthorized},
		{"127.0.0.1:5000", "203.0.113.1", "guess", http.StatusUnauthorized},
		{"127.0.0.1:5000", "203.0.113.1", "guess", http.StatusUnauthorized},
		{"127.0.0.1:5000", "203.0.113.1", "guess", http.StatusTooManyRequests},
	}
	loopback := []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	for _, tc := range []struct {
		name    string
		trusted []netip.Prefix
		then    request
	}{
		{"trusted proxy: another client is throttled separately", loopback,
			request{"127.0.0.1:5000", "203.0.113.2", "guess", http.StatusUnauthorized}},
		{"trusted proxy: another client's good key passes", loopback,
			request{"127.0.0.1:5000", "203.0.113.2", aliceKey, http.StatusNotFound}},
		{"trusted proxy: the throttled client waits, even with a good key", loopback,
			request{"127.0.0.1:5000", "203.0.113.1", aliceKey, http.StatusTooManyRequests}},
		{"trusted proxy: an address the client made up before its own is not the one counted", loopback,
			request{"127.0.0.1:5000", "198.51.100.9, 203.0.113.1", "guess", http.StatusTooManyRequests}},
		{"trusted proxy: a peer outside the trusted ranges is counted by its own address", loopback,
			request{"192.0.2.5:5000", "203.0.113.2", "guess", http.StatusUnauthorized}},
		{"trusted proxy written as IPv4-mapped IPv6: another client is throttled separately",
			[]netip.Prefix{netip.MustParsePrefix("::ffff:127.0.0.0/104")},
			request{"127.0.0.1:5000", "203.0.113.2", "guess", http.StatusUnauthorized}},
		{"no trusted proxy: X-Forwarded-For is ignored", nil,
			request{"127.0.0.1:5000", "203.0.113.2", "guess", http.StatusTooManyRequests}},
		{"a trusted range that does not hold the peer: X-Forwarded-For is ignored",
			[]netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")},
			request{"127.0.0.1:5000", "203.0.113.2", "guess", http.StatusTooManyRequests}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHandler(t, tc.trusted)
			for i, r := range append(exhaust[:len(exhaust):len(exhaust)], tc.then) {
				req := httptest.NewRequest("GET", "/v1/jobs/0123456789abcdef01234567", nil)
				req.RemoteAddr = r.peer
				req.Header.Set("X-Forwarded-For", r.xff)
				req.Header.Set("Authorization", "Bearer "+r.key)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != r.want {
					t.Fatalf("request %d from %s for %s: %d, want %d", i+1, r.peer, r.xff, rec.Code, r.want)
				}
			}
		})
	}
}

// TestTrustedProxiesInvalid: a range that is not one is refused by name.
func TestTrustedProxiesInvalid(t *testing.T) {
	sl, err := geo.NewStraightLine(nil)
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	_, err = New(Config{Jobs: jobs.NewMemory(1, time.Hour), Matrices: matrixcache.New(sl, matrixcache.Config{}), Registry: reg,
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), {}}})
	if err == nil || !strings.Contains(err.Error(), "TrustedProxies[1]") {
		t.Fatalf("New with an invalid range: %v, want an error naming TrustedProxies[1]", err)
	}
}
