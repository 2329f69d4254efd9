package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb/geojson"
)

// TestExport: a solved day exports as CSV with a row per stop and as
// GeoJSON that orb reads, to a file or standard output; a bad format or a
// plan of another instance is exit 2.
func TestExport(t *testing.T) {
	dir := t.TempDir()
	day := "../../testdata/small_day.json"
	plan := filepath.Join(dir, "plan.json")
	if code, _, errOut := runCLI(t, "solve", day, "--iterations", "200", "--workers", "1", "--quiet", "-o", plan); code != exitOK {
		t.Fatalf("solve: exit %d: %s", code, errOut)
	}
	code, out, errOut := runCLI(t, "export", day, plan)
	if code != exitOK {
		t.Fatalf("export csv: exit %d: %s", code, errOut)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) < 2 || rows[0][0] != "date" {
		t.Fatalf("csv: %v, %d rows: %q", err, len(rows), out)
	}
	gj := filepath.Join(dir, "plan.geojson")
	if code, _, errOut := runCLI(t, "export", day, plan, "--format", "geojson", "-o", gj); code != exitOK {
		t.Fatalf("export geojson: exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(gj)
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		t.Fatal(err)
	}
	stops := 0
	for _, f := range fc.Features {
		if f.Properties["kind"] == "stop" {
			stops++
		}
	}
	if stops != len(rows)-1 {
		t.Errorf("%d stop points, %d CSV rows", stops, len(rows)-1)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"export", day, plan, "--format", "kml"}, `"kml" is not csv or geojson`},
		{[]string{"export", "../../testdata/example_day.json", plan}, "plan.json"},
	} {
		if code, _, errOut := runCLI(t, tt.args...); code != exitUsage || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 naming %q", tt.args[1:], code, errOut, tt.want)
		}
	}
}
