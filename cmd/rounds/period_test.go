package main

import (
	"strings"
	"testing"
)

// TestPeriodNotYetPlanned: solve and check refuse a period document by its
// fields (exit 2) rather than plan it as a day.
func TestPeriodNotYetPlanned(t *testing.T) {
	code, _, errOut := runCLI(t, "solve", "../../testdata/week_small.json", "--iterations", "10", "--quiet")
	if code != exitUsage || !strings.Contains(errOut, "period: planning with this is not built yet") || !strings.Contains(errOut, "care:") {
		t.Fatalf("solve of a week: exit %d, stderr %q; want 2 naming period and care", code, errOut)
	}
}
