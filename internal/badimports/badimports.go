// Package badimports reads testdata/invalid/import.json, the bad CSV
// imports that package importer, the command line and the API must each
// refuse naming the file, line and column, so that all three test the
// same files; and testdata/invalid/demand.json, the bad district demand
// CSVs (files demand and postcodes) package locality refuses, in the same
// shape.
package badimports

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
)

// Case is one bad import: its files (carers, clients, care and, when not
// empty, postcodes, each CSV text), the period, and the problem it must
// report.
type Case struct {
	Name   string
	Files  map[string]string
	Start  string
	Days   int
	File   string
	Row    int
	Column string
}

// Read reads the cases of the file at path, each case's files laid over
// the base's.
func Read(path string) ([]Case, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f struct {
		Start string            `json:"start"`
		Days  int               `json:"days"`
		Base  map[string]string `json:"base"`
		Cases []struct {
			Name   string            `json:"name"`
			Files  map[string]string `json:"files"`
			File   string            `json:"file"`
			Row    int               `json:"row"`
			Column string            `json:"column"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(f.Cases) == 0 {
		return nil, fmt.Errorf("%s: no cases", path)
	}
	out := make([]Case, len(f.Cases))
	for i, c := range f.Cases {
		files := maps.Clone(f.Base)
		maps.Copy(files, c.Files)
		out[i] = Case{Name: c.Name, Files: files, Start: f.Start, Days: f.Days, File: c.File, Row: c.Row, Column: c.Column}
	}
	return out, nil
}

// Base returns the table's good files and period, which import cleanly.
func Base(path string) (files map[string]string, start string, days int, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, "", 0, err
	}
	var f struct {
		Start string            `json:"start"`
		Days  int               `json:"days"`
		Base  map[string]string `json:"base"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, "", 0, fmt.Errorf("%s: %w", path, err)
	}
	return f.Base, f.Start, f.Days, nil
}
