package roster_test

import (
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

// TestCarerMaxLegS: a carer's own max_leg_min wins; left out, walkers and
// cyclists are held to 45 minutes and drivers and public transport users
// have no limit.
func TestCarerMaxLegS(t *testing.T) {
	tests := []struct {
		name      string
		mode      roster.Mode
		maxLegMin int
		want      int
	}{
		{"walker, default", roster.Walk, 0, 45 * 60},
		{"cyclist, default", roster.Cycle, 0, 45 * 60},
		{"driver, default", roster.Drive, 0, 0},
		{"public transport, default", roster.Public, 0, 0},
		{"walker, shorter", roster.Walk, 20, 20 * 60},
		{"walker, longer", roster.Walk, 90, 90 * 60},
		{"driver with a limit", roster.Drive, 30, 30 * 60},
		{"unknown mode", roster.Mode("rocket"), 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := roster.Carer{ID: "k", Mode: tc.mode, MaxLegMin: tc.maxLegMin}
			if got := c.MaxLegS(); got != tc.want {
				t.Errorf("MaxLegS() = %d, want %d", got, tc.want)
			}
			if tc.maxLegMin == 0 && roster.DefaultMaxLegMin(tc.mode)*60 != tc.want {
				t.Errorf("DefaultMaxLegMin(%s) = %d min, want %d s", tc.mode, roster.DefaultMaxLegMin(tc.mode), tc.want)
			}
		})
	}
}
