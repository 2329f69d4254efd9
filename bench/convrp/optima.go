package convrp

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

// Optimum is one known optimal value: an instance solved at one L.
type Optimum struct {
	// Instance is the instance's Name, such as "convrp_10_test_1".
	Instance string
	// L is the largest allowed spread of arrival times, math.Inf(1) for
	// "unlimited".
	L float64
	// Distance is the optimal total distance.
	Distance float64
	// Vehicles is the number of drivers of the optimal solution found, or
	// -1 when the file does not give it.
	Vehicles int
}

// ReadOptimaFile reads known_optima.csv at path; see ReadOptima.
func ReadOptimaFile(path string) ([]Optimum, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("convrp: %w", err)
	}
	defer f.Close()
	return ReadOptima(f, path)
}

// ReadOptima reads a table of known optima in the shape of
// known_optima.csv: a column "instance", and for each L a column
// "optimum_L<L>" (a number, or "_unlimited") with, optionally, a matching
// "vehicles_L<L>". It returns one Optimum per instance and L, in the order
// of the rows and then the columns. An empty cell means no value known and
// gives no Optimum. name identifies the input in errors, which are
// *ParseError values naming the line and the column.
func ReadOptima(r io.Reader, name string) ([]Optimum, error) {
	p := &reader{path: name}
	if r == nil {
		return nil, p.errorf(0, "", "no input")
	}
	cr := csv.NewReader(r)
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, p.errorf(1, "header", "empty file, want a header line")
	}
	if err != nil {
		return nil, p.errorf(1, "header", "%w", err)
	}
	type column struct {
		l        float64
		opt, veh int
	}
	var cols []column
	at := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if _, dup := at[h]; dup {
			return nil, p.errorf(1, h, "column repeated")
		}
		at[h] = i
	}
	inst, ok := at["instance"]
	if !ok {
		return nil, p.errorf(1, "header", "missing column \"instance\"")
	}
	for i, h := range header {
		h = strings.TrimSpace(h)
		suffix, ok := strings.CutPrefix(h, "optimum_L")
		if !ok {
			continue
		}
		c := column{opt: i, veh: -1}
		if suffix == "_unlimited" {
			c.l = math.Inf(1)
		} else if c.l, err = strconv.ParseFloat(suffix, 64); err != nil || math.IsNaN(c.l) || c.l < 0 {
			return nil, p.errorf(1, h, "want optimum_L<number> or optimum_L_unlimited")
		}
		if v, ok := at["vehicles_L"+suffix]; ok {
			c.veh = v
		}
		cols = append(cols, c)
	}
	if len(cols) == 0 {
		return nil, p.errorf(1, "header", "no optimum_L<L> column")
	}
	var out []Optimum
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, p.errorf(pe.Line, "", "%w", pe.Err)
			}
			return nil, p.errorf(0, "", "%w", err)
		}
		line, _ := cr.FieldPos(0)
		id := strings.TrimSpace(rec[inst])
		if id == "" {
			return nil, p.errorf(line, "instance", "empty")
		}
		if first, dup := seen[id]; dup {
			return nil, p.errorf(line, "instance", "%s repeated (first at line %d)", id, first)
		}
		seen[id] = line
		for _, c := range cols {
			s := strings.TrimSpace(rec[c.opt])
			if s == "" {
				continue
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				return nil, p.errorf(line, header[c.opt], "want a finite number ≥ 0, got %q", s)
			}
			o := Optimum{Instance: id, L: c.l, Distance: v, Vehicles: -1}
			if c.veh >= 0 {
				if vs := strings.TrimSpace(rec[c.veh]); vs != "" {
					if o.Vehicles, err = strconv.Atoi(vs); err != nil || o.Vehicles < 1 {
						return nil, p.errorf(line, header[c.veh], "want a positive integer, got %q", vs)
					}
				}
			}
			out = append(out, o)
		}
	}
	return out, nil
}
