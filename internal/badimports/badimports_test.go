package badimports

import "testing"

// TestRead: the repository's table reads whole, each case with a name, the
// three files and the place of its problem; a missing file is an error.
func TestRead(t *testing.T) {
	cases, err := Read("../../testdata/invalid/import.json")
	if err != nil || len(cases) < 10 {
		t.Fatalf("%d cases, %v; want the issue's four and six more at least", len(cases), err)
	}
	for _, c := range cases {
		if c.Name == "" || c.File == "" || c.Row < 1 || c.Column == "" || c.Files["carers"] == "" || c.Files["clients"] == "" || c.Files["care"] == "" {
			t.Errorf("case %q is missing a field", c.Name)
		}
	}
	demand, err := Read("../../testdata/invalid/demand.json")
	if err != nil || len(demand) < 10 {
		t.Fatalf("demand.json: %d cases, %v; want ten at least", len(demand), err)
	}
	for _, c := range demand {
		if c.Name == "" || c.File != "demand.csv" || c.Row < 1 || c.Files["demand"] == "" {
			t.Errorf("demand case %q is missing a field", c.Name)
		}
	}
	if _, err := Read("no-such-file.json"); err == nil {
		t.Error("a missing file read without error")
	}
	if files, start, days, err := Base("../../testdata/invalid/import.json"); err != nil || len(files) != 4 || start == "" || days == 0 {
		t.Errorf("Base: %d files, %q, %d, %v", len(files), start, days, err)
	}
}
