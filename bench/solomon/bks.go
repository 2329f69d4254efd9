package solomon

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// Best is a best-known value under one objective.
type Best struct {
	// Vehicles is the number of routes of the best-known solution.
	Vehicles int
	// Distance is its total distance.
	Distance float64
}

// BKS holds the best-known solution values of one instance under both
// conventions.
type BKS struct {
	// Instance is the instance name, as in the instance file ("C101").
	Instance string
	// Hierarchical is the best known under the hierarchical objective
	// (fewest vehicles first, then least distance) with exact Euclidean
	// distances: the SINTEF table, columns sintef_vehicles and
	// sintef_distance, reported to two decimals.
	Hierarchical Best
	// DIMACS is the best known under the distance-only objective with every
	// arc truncated to one decimal (the DIMACS 2021 / CVRPLIB convention),
	// columns dimacs_vehicles and dimacs_distance. Vehicles is merely the
	// number of routes of that solution, not something minimised.
	DIMACS Best
}

// For returns the best-known value under the DIMACS convention if dimacs
// is true and under the hierarchical one otherwise, matching the argument
// of Dist and Evaluate.
func (b BKS) For(dimacs bool) Best {
	if dimacs {
		return b.DIMACS
	}
	return b.Hierarchical
}

// bksTable names the columns of a table of best-known values, beside
// instance: for each objective it holds, the vehicles and the distance
// columns and the Best they fill. Other columns are ignored.
type bksTable []struct {
	vehicles, distance string
	best               func(*BKS) *Best
}

// solomonBKS is the Solomon table's columns (ReadBKS); dimacsBKS the
// DIMACS-only table's (ReadDIMACSBKS).
var (
	solomonBKS = bksTable{
		{"sintef_vehicles", "sintef_distance", func(b *BKS) *Best { return &b.Hierarchical }},
		{"dimacs_vehicles", "dimacs_distance", func(b *BKS) *Best { return &b.DIMACS }},
	}
	dimacsBKS = bksTable{{"vehicles", "distance", func(b *BKS) *Best { return &b.DIMACS }}}
)

// columns lists the columns the table needs, instance first.
func (t bksTable) columns() []string {
	cols := []string{"instance"}
	for _, c := range t {
		cols = append(cols, c.vehicles, c.distance)
	}
	return cols
}

// ReadBKS reads a table of best-known values (bks.csv) keyed by instance
// name. The columns are found by their header names, in any order and
// case, among others; it needs instance, sintef_vehicles, sintef_distance,
// dimacs_vehicles and dimacs_distance, each filled on every row, with a
// positive whole number of vehicles and a positive finite distance, and no
// instance twice.
func ReadBKS(path string) (map[string]BKS, error) {
	return readBKSFile(path, solomonBKS)
}

// readBKSFile reads the table t of best-known values from path.
func readBKSFile(path string, t bksTable) (map[string]BKS, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("solomon: %w", err)
	}
	defer f.Close()
	return readTable(f, path, t)
}

// readBKS is ReadBKS on a reader; name labels it in errors.
func readBKS(r io.Reader, name string) (map[string]BKS, error) {
	return readTable(r, name, solomonBKS)
}

// readTable reads the table t of best-known values from r; name labels
// it in errors.
func readTable(r io.Reader, name string, t bksTable) (map[string]BKS, error) {
	bksColumns := t.columns()
	cr := csv.NewReader(r)
	cr.TrimLeadingSpace = true
	cr.FieldsPerRecord = 0 // every row as long as the header
	wrap := func(err error) error {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return fmt.Errorf("solomon: %s:%d: %w", name, pe.Line, pe.Err)
		}
		return fmt.Errorf("solomon: %s: %w", name, err)
	}
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("solomon: %s: empty file: want a header line naming the columns %s", name, strings.Join(bksColumns, ", "))
	}
	if err != nil {
		return nil, wrap(err)
	}
	headerLine, _ := cr.FieldPos(0)
	col := make(map[string]int)
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff")
		}
		h = strings.ToLower(strings.TrimSpace(h))
		if j, ok := col[h]; ok && h != "" {
			return nil, fmt.Errorf("solomon: %s:%d: column %q appears twice (columns %d and %d)", name, headerLine, h, j+1, i+1)
		}
		col[h] = i
	}
	for _, c := range bksColumns {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("solomon: %s:%d: no column %q in the header (want %s)", name, headerLine, c, strings.Join(bksColumns, ","))
		}
	}
	out := make(map[string]BKS)
	firstLine := make(map[string]int)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, wrap(err)
		}
		line, _ := cr.FieldPos(0)
		cell := func(c string) (string, error) {
			v := strings.TrimSpace(rec[col[c]])
			if v == "" {
				return "", fmt.Errorf("solomon: %s:%d: column %s is empty", name, line, c)
			}
			return v, nil
		}
		var b BKS
		if b.Instance, err = cell("instance"); err != nil {
			return nil, err
		}
		if first, ok := firstLine[b.Instance]; ok {
			return nil, fmt.Errorf("solomon: %s:%d: instance %s appears twice (first on line %d)", name, line, b.Instance, first)
		}
		for _, f := range t {
			vc, dc := f.vehicles, f.distance
			v, err := cell(vc)
			if err != nil {
				return nil, err
			}
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 {
				return nil, fmt.Errorf("solomon: %s:%d: %s: %s %q is not a positive whole number", name, line, b.Instance, vc, v)
			}
			if v, err = cell(dc); err != nil {
				return nil, err
			}
			d, err := strconv.ParseFloat(v, 64)
			if err != nil || !(d > 0) || math.IsInf(d, 0) {
				return nil, fmt.Errorf("solomon: %s:%d: %s: %s %q is not a positive finite number", name, line, b.Instance, dc, v)
			}
			*f.best(&b) = Best{Vehicles: n, Distance: d}
		}
		firstLine[b.Instance] = line
		out[b.Instance] = b
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("solomon: %s:%d: no rows after the header", name, headerLine)
	}
	return out, nil
}
