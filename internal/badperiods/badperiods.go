// Package badperiods reads testdata/invalid/periods.json, the bad inputs to a
// period that the command line and the API must each refuse by field
// path, so that both test the same documents.
package badperiods

import (
	"encoding/json"
	"fmt"
	"os"
)

// Case is one bad document and the field path its error must name.
type Case struct {
	Name     string          `json:"name"`
	Path     string          `json:"path"`
	Document json.RawMessage `json:"document"`
}

// Read reads the cases of the file at path.
func Read(path string) ([]Case, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f struct {
		Cases []Case `json:"cases"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(f.Cases) == 0 {
		return nil, fmt.Errorf("%s: no cases", path)
	}
	return f.Cases, nil
}
