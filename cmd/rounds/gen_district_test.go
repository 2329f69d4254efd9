package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/importer"
	"github.com/rounds-dev/rounds/locality"
)

// TestGenDistrict: `gen district` writes a demand CSV that reads back as
// the district its --json file holds, with the clients and hours asked
// for (--scale multiplying both), the same for the same seed.
func TestGenDistrict(t *testing.T) {
	dir := t.TempDir()
	csvPath, jsonPath := filepath.Join(dir, "district.csv"), filepath.Join(dir, "district.json")
	code, _, errOut := runCLI(t, "gen", "district", "--seed", "4", "--clients", "400", "--hours", "5200", "--scale", "0.5", "-o", csvPath, "--json", jsonPath)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "200 clients") {
		t.Errorf("summary %q does not count 200 clients", errOut)
	}
	f, err := os.Open(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := locality.ReadDemand(importer.File{Name: "district.csv", R: f}, locality.DemandOptions{})
	if err != nil {
		t.Fatalf("the written demand does not read: %v", err)
	}
	if len(d.Clients) != 200 || math.Abs(d.WeeklyHours()-2600) > 0.02*2600 {
		t.Errorf("%d clients, %g hours a week; want 200 and 2,600 ± 2%%", len(d.Clients), d.WeeklyHours())
	}
	b, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	var fromJSON locality.District
	if err := json.Unmarshal(b, &fromJSON); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromJSON.Clients, d.Clients) {
		t.Error("the JSON's clients differ from the CSV's")
	}
	_, again, _ := runCLI(t, "gen", "district", "--seed", "4", "--clients", "200", "--hours", "2600")
	written, _ := os.ReadFile(csvPath)
	if again != string(written) {
		t.Error("the same district written twice differs")
	}
}

// TestGenDistrictRefuses: impossible flags exit 2, naming the flag.
func TestGenDistrictRefuses(t *testing.T) {
	for _, tt := range []struct {
		args []string
		flag string
	}{
		{[]string{"--scale", "0"}, "--scale"},
		{[]string{"--clients", "0"}, "--clients"},
		{[]string{"--hours", "100"}, "--hours"},
		{[]string{"--double", "1.5"}, "--double"},
		{[]string{"--centres", "0"}, "--centres"},
		{[]string{"--radius", "0"}, "--radius"},
		{[]string{"--centre", "91,0"}, "--centre"},
		{[]string{"extra"}, "unexpected argument"},
	} {
		code, out, errOut := runCLI(t, append([]string{"gen", "district"}, tt.args...)...)
		if code != exitUsage || out != "" || !strings.Contains(errOut, tt.flag) {
			t.Errorf("%v: exit %d, %q; want 2 naming %s", tt.args, code, errOut, tt.flag)
		}
	}
}
