package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb/geojson"

	"github.com/rounds-dev/rounds/export"
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

	// Run sheets: a one-day plan takes its own date; each stop is a visit
	// line, and the page has a section per carer at work.
	code, out, errOut = runCLI(t, "export", day, plan, "--format", "runsheets-csv")
	if code != exitOK {
		t.Fatalf("export runsheets-csv: exit %d: %s", code, errOut)
	}
	sheet, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(sheet) < 2 || strings.Join(sheet[0], ",") != strings.Join(export.RunSheetColumns, ",") {
		t.Fatalf("run sheets csv: %v: %q", err, out)
	}
	visits, carers := 0, map[string]bool{}
	for _, row := range sheet[1:] {
		if row[5] == "visit" {
			visits++
		}
		carers[row[1]] = true
	}
	if visits != len(rows)-1 {
		t.Errorf("%d visit lines on the run sheets, %d stops", visits, len(rows)-1)
	}
	page := filepath.Join(dir, "sheets.html")
	if code, _, errOut := runCLI(t, "export", day, plan, "--format", "runsheets-html", "--date", "2026-11-24", "-o", page); code != exitOK {
		t.Fatalf("export runsheets-html: exit %d: %s", code, errOut)
	}
	b, err = os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), `<section class="sheet"`); n != len(carers) {
		t.Errorf("%d sections for %d carers", n, len(carers))
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"export", day, plan, "--format", "kml"}, `"kml" is not csv, geojson`},
		{[]string{"export", "../../testdata/example_day.json", plan}, "plan.json"},
		{[]string{"export", day, plan, "--date", "2026-11-24"}, "--date: only run sheets"},
		{[]string{"export", day, plan, "--format", "runsheets-csv", "--date", "2026-11-25"}, "--date: 2026-11-25 is not the plan's date"},
		{[]string{"export", day, plan, "--format", "runsheets-html", "--date", "24/11/2026"}, "--date: \"24/11/2026\" is not a date"},
		{[]string{"export", day, plan, "--format", "csv", "--osm", townOSM}, "--osm: only GeoJSON"},
		{[]string{"export", day, plan, "--format", "geojson", "--osm", "no-such.osm"}, "--osm"},
	} {
		if code, _, errOut := runCLI(t, tt.args...); code != exitUsage || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 naming %q", tt.args[1:], code, errOut, tt.want)
		}
	}
}

// TestExportPeriodRunSheets: a week's run sheets need --date, one of its
// days.
func TestExportPeriodRunSheets(t *testing.T) {
	dir := t.TempDir()
	week := "../../testdata/week_small.json"
	plan := filepath.Join(dir, "plan.json")
	if code, _, errOut := runCLI(t, "solve", week, "--iterations", "100", "--workers", "1", "--quiet", "-o", plan); code != exitOK {
		t.Fatalf("solve: exit %d: %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, "export", week, plan, "--format", "runsheets-csv"); code != exitUsage || !strings.Contains(errOut, "--date: the plan is for 7 days") {
		t.Errorf("without --date: exit %d, %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, "export", week, plan, "--format", "runsheets-csv", "--date", "2026-12-01"); code != exitUsage || !strings.Contains(errOut, "not in the plan's 7 days") {
		t.Errorf("a date after the week: exit %d, %q", code, errOut)
	}
	code, out, errOut := runCLI(t, "export", week, plan, "--format", "runsheets-csv", "--date", "2026-11-24")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("%v: %q", err, out)
	}
	for _, row := range rows[1:] {
		if row[0] != "2026-11-24" {
			t.Errorf("row %v of another day", row)
		}
	}
}
