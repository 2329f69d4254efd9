package roster_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

// strictBody is a request body of the kind the API reads around an
// instance: raw documents, a mode, places and changes.
type strictBody struct {
	Instance  json.RawMessage   `json:"instance"`
	Mode      roster.Mode       `json:"mode"`
	Locations []roster.Location `json:"locations"`
	Changes   roster.Changes    `json:"changes,omitempty"`
}

// TestDecodeStrict: any document is read as strictly as an instance: every
// problem by field path, with indexes, in words rather than Go types.
func TestDecodeStrict(t *testing.T) {
	const ok = `{"instance": {"a": 1}, "mode": "walk", "locations": [{"lat": 53.8, "lon": -1.9}]`
	tests := []struct {
		name   string
		doc    string
		path   string
		reason string
	}{
		{"field given twice", `{"instance": {}, "mode": "walk", "mode": "drive", "locations": []}`, "mode", "given more than once"},
		{"unknown field", ok + `, "colour": 1}`, "colour", "unknown field"},
		{"near miss", ok + `, "Mode": 1}`, "Mode", `did you mean "mode"`},
		{"missing lat", `{"instance": {}, "mode": "walk", "locations": [{"lat": 1, "lon": 2}, {"lon": 2}]}`, "locations[1].lat", "missing"},
		{"null lon", `{"instance": {}, "mode": "walk", "locations": [{"lat": 1, "lon": null}]}`, "locations[0].lon", "want a number, got null"},
		{"mode as a number", `{"instance": {}, "mode": 3, "locations": []}`, "mode", "want a string, got number"},
		{"locations as an object", `{"instance": {}, "mode": "walk", "locations": {}}`, "locations", "want an array, got object"},
		{"missing instance", `{"mode": "walk", "locations": []}`, "instance", "missing"},
		{"added client without location", ok + `, "changes": {"add_clients": [{"id": "C9"}]}}`, "changes.add_clients[0].location", "missing"},
		{"added client without lon", ok + `, "changes": {"add_clients": [{"id": "C9", "location": {"lat": 53.8}}]}}`, "changes.add_clients[0].location.lon", "missing"},
		{"removed visits as strings", ok + `, "changes": {"remove_visits": "V1"}}`, "changes.remove_visits", "want an array, got string"},
		{"malformed", `{"mode": "walk",`, "", "unexpected end of input"},
		{"trailing data", ok + `} {}`, "", "after the end of the document"},
		{"empty", ``, "", "empty"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b strictBody
			err := roster.DecodeStrict([]byte(tc.doc), &b)
			var es roster.FieldErrors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("err %v, want FieldErrors", err)
			}
			for _, e := range es {
				if strings.Contains(e.Reason, "roster.") || strings.Contains(e.Reason, "[]") {
					t.Errorf("%s: the reason names a Go type", e)
				}
			}
			for _, e := range es {
				if e.Path == tc.path && strings.Contains(e.Reason, tc.reason) {
					return
				}
			}
			t.Errorf("problems %v, want one at %q saying %q", es, tc.path, tc.reason)
		})
	}
	t.Run("good", func(t *testing.T) {
		var b strictBody
		if err := roster.DecodeStrict([]byte(ok+`, "changes": null}`), &b); err != nil {
			t.Fatal(err)
		}
		if string(b.Instance) != `{"a": 1}` || b.Mode != roster.Walk || len(b.Locations) != 1 || b.Locations[0].Lon != -1.9 {
			t.Errorf("decoded %+v", b)
		}
	})
	t.Run("not a pointer to a struct", func(t *testing.T) {
		var n int
		if err := roster.DecodeStrict([]byte(`1`), &n); err == nil {
			t.Error("no error for a pointer to an int")
		}
		if err := roster.DecodeStrict([]byte(`{}`), strictBody{}); err == nil {
			t.Error("no error for a struct value")
		}
	})
}

// FuzzDecodeStrict: whatever the document, DecodeStrict returns a value or
// FieldErrors, never a panic or another kind of error.
func FuzzDecodeStrict(f *testing.F) {
	for _, s := range []string{`{}`, `[]`, `null`, ``, `{"mode":"walk","mode":1}`,
		`{"instance":{},"mode":"walk","locations":[{"lat":1,"lon":2}],"changes":{"add_clients":[{"id":"C"}]}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		var b strictBody
		err := roster.DecodeStrict(doc, &b)
		var es roster.FieldErrors
		if err != nil && (!errors.As(err, &es) || len(es) == 0) {
			t.Fatalf("%q: error %v is not FieldErrors", doc, err)
		}
	})
}
