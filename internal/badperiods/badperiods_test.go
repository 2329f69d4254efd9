package badperiods

import "testing"

// TestRead: the repository's table reads whole, each case with a name, a
// path and a document; a missing file is an error.
func TestRead(t *testing.T) {
	cases, err := Read("../../testdata/invalid/periods.json")
	if err != nil || len(cases) < 5 {
		t.Fatalf("%d cases, %v; want the issue's five at least", len(cases), err)
	}
	for _, c := range cases {
		if c.Name == "" || c.Path == "" || len(c.Document) < 2 {
			t.Errorf("case %+v is missing a field", c)
		}
	}
	if _, err := Read("no-such-file.json"); err == nil {
		t.Error("a missing file read without error")
	}
}
