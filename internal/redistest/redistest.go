// Package redistest connects tests to the real Redis server they need: the
// one at REDIS_URL, or at 127.0.0.1:6379. Where none answers, a test is
// skipped on a developer's machine and fails in CI (CI=true), so that a
// missing Redis never passes for green.
package redistest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// URL is the server tests use.
func URL() string {
	if u := os.Getenv("REDIS_URL"); u != "" {
		return u
	}
	return "redis://127.0.0.1:6379/0"
}

// Client returns a client for the test server, closed when t ends.
func Client(t testing.TB) *redis.Client {
	t.Helper()
	opt, err := redis.ParseURL(URL())
	if err != nil {
		t.Fatalf("REDIS_URL: %v", err)
	}
	c := redis.NewClient(opt)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		c.Close()
		if os.Getenv("CI") == "true" {
			t.Fatalf("Redis at %s does not answer (%v); in CI the tests that need it fail rather than skip", opt.Addr, err)
		}
		t.Skipf("Redis at %s does not answer (%v); ./scripts/test starts one", opt.Addr, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// Prefix returns a key prefix of the test's own, and deletes every key
// under it when t ends, so that tests run at once never meet.
func Prefix(t testing.TB, c *redis.Client) string {
	t.Helper()
	var b [6]byte
	rand.Read(b[:])
	p := "rounds-test:" + hex.EncodeToString(b[:]) + ":"
	t.Cleanup(func() {
		ctx := context.Background()
		iter := c.Scan(ctx, 0, p+"*", 1000).Iterator()
		for iter.Next(ctx) {
			c.Del(ctx, iter.Val())
		}
	})
	return p
}
