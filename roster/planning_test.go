package roster_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

// TestNotYetPlanned: every one-day fixture asks nothing of the period's
// planning; each week fixture is named field by field, so that no edge
// plans it without its care, patterns and period.
func TestNotYetPlanned(t *testing.T) {
	files, _ := filepath.Glob("../testdata/*.json")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		in, err := roster.DecodeInstance(strings.NewReader(string(b)))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		es := roster.NotYetPlanned(in)
		// The week fixtures are named week_*.json.
		week := strings.HasPrefix(filepath.Base(f), "week_")
		if week != (len(es) > 0) {
			t.Errorf("%s: NotYetPlanned = %v", f, es)
		}
		if week && (es[0].Path != "period" || !strings.Contains(es.Error(), "care")) {
			t.Errorf("%s: %v; want period first and care among them", f, es)
		}
	}
}
