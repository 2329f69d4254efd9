package matrixcache

import (
	"testing"
	"time"
)

// TestBreaker walks the breaker through its states with a stopped clock.
func TestBreaker(t *testing.T) {
	type step struct {
		advance time.Duration
		call    string // "allow" expects allowed, "deny" expects refused; "ok"/"fail" report
		want    BreakerState
	}
	cases := []struct {
		name  string
		steps []step
	}{
		{"a failure below the threshold leaves it closed", []step{
			{0, "allow", BreakerClosed}, {0, "fail", BreakerClosed}, {0, "allow", BreakerClosed}, {0, "ok", BreakerClosed},
			{0, "fail", BreakerClosed},
		}},
		{"consecutive failures open it; it refuses until the cool-down", []step{
			{0, "fail", BreakerClosed}, {0, "fail", BreakerOpen}, {0, "deny", BreakerOpen},
			{4 * time.Second, "deny", BreakerOpen},
		}},
		{"after the cool-down one probe goes through; a success closes it", []step{
			{0, "fail", BreakerClosed}, {0, "fail", BreakerOpen},
			{5 * time.Second, "allow", BreakerHalfOpen}, {0, "deny", BreakerHalfOpen},
			{0, "ok", BreakerClosed}, {0, "allow", BreakerClosed},
		}},
		{"a failed probe opens it for another cool-down", []step{
			{0, "fail", BreakerClosed}, {0, "fail", BreakerOpen},
			{5 * time.Second, "allow", BreakerHalfOpen}, {0, "fail", BreakerOpen},
			{4 * time.Second, "deny", BreakerOpen}, {time.Second, "allow", BreakerHalfOpen},
		}},
		{"a probe from outside (readyz's ping) closes it before the cool-down", []step{
			{0, "fail", BreakerClosed}, {0, "fail", BreakerOpen}, {time.Second, "ok", BreakerClosed}, {0, "allow", BreakerClosed},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
			opened := 0
			b := &breaker{threshold: 2, coolDown: 5 * time.Second, now: func() time.Time { return now }, onOpen: func() { opened++ }}
			for i, s := range tc.steps {
				now = now.Add(s.advance)
				switch s.call {
				case "allow", "deny":
					if got := b.allow(); got != (s.call == "allow") {
						t.Fatalf("step %d: allow() = %v", i, got)
					}
				case "ok", "fail":
					b.done(s.call == "ok")
				}
				if got := b.current(); got != s.want {
					t.Fatalf("step %d (%s): state %s, want %s", i, s.call, got, s.want)
				}
			}
			if opened > 1 {
				t.Errorf("opened from closed %d times", opened)
			}
		})
	}
}
