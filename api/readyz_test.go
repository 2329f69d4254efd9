package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/rounds-dev/rounds/api/jobs"
	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/geo/matrixcache"
)

// pingingJobs is an in-memory job store whose readiness check asks Redis,
// as the Redis job store's does, so that all three of /readyz's checks
// wait on one Redis.
type pingingJobs struct {
	*jobs.Memory
	c redis.UniversalClient
}

func (p pingingJobs) Check(ctx context.Context) error { return p.c.Ping(ctx).Err() }

// TestReadyzAnswersPromptlyWithRedisDown: with Redis configured at a port
// nothing listens on, and the client set up as rounds serve sets it up
// (default retries), /readyz answers degraded, naming each check, within
// its one overall deadline of a second rather than a second per check.
func TestReadyzAnswersPromptlyWithRedisDown(t *testing.T) {
	down := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	defer down.Close()
	sl, err := geo.NewStraightLine(nil)
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	cache := matrixcache.New(sl, matrixcache.Config{Redis: matrixcache.NewRedisStore(down, time.Hour), Registerer: reg})
	srv, err := New(Config{Jobs: pingingJobs{jobs.NewMemory(1, time.Hour), down}, Matrices: cache, Redis: down, Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	// The matrix cache leaves Redis alone after two failures in a row
	// (its breaker), and only then reports memory only.
	for _, tc := range []struct {
		name       string
		wantMatrix bool
	}{
		{"first check: one failure, the breaker still closed", false},
		{"second check: the breaker open", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			rec := httptest.NewRecorder()
			srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
			took := time.Since(start)
			var got map[string]string
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatalf("readyz body %q: %v", rec.Body, err)
			}
			want := map[string]string{"status": "degraded", "redis": "unreachable", "jobs": "unavailable"}
			if tc.wantMatrix {
				want["matrix_cache"] = "memory only"
			}
			if rec.Code != http.StatusOK || len(got) != len(want) {
				t.Fatalf("readyz: %d %v, want 200 %v", rec.Code, got, want)
			}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("readyz %s = %q, want %q", k, got[k], v)
				}
			}
			if took > 1500*time.Millisecond {
				t.Errorf("readyz took %s, want under 1.5 s", took)
			}
		})
	}
}
