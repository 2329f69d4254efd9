package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
)

// valhalla speaks Valhalla's matrix service:
//
//	POST /sources_to_targets
//	{"sources": [{"lat": .., "lon": ..}], "targets": [...], "costing": "auto", "units": "kilometers"}
//
// It reads both forms of answer. The classic (verbose) form, the default,
// has "sources_to_targets" as rows of {"from_index", "to_index", "time" (s),
// "distance" (km)}; the concise form that recent versions give for
// "verbose": false has "sources_to_targets" as {"durations": [[..]],
// "distances": [[..]]}. Either way null means no route. Failures answer
// {"error_code": 171, "error": "...", "status_code": 400}; error 442 (no
// route between any of the locations) is read as every leg unreachable, so
// a block of a split matrix reports what the whole matrix would.
type valhalla struct{}

func (valhalla) operation() string { return "sources_to_targets" }

// valhallaLocation is a source or target in a request.
type valhallaLocation struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// valhallaRequest is the body of a sources_to_targets request.
type valhallaRequest struct {
	Sources []valhallaLocation `json:"sources"`
	Targets []valhallaLocation `json:"targets"`
	Costing string             `json:"costing"`
	Units   string             `json:"units"`
}

func (valhalla) fetch(ctx context.Context, c *Client, q query) (grid, error) {
	req := valhallaRequest{Costing: q.profile, Units: "kilometers"}
	for _, l := range q.from {
		req.Sources = append(req.Sources, valhallaLocation{Lat: l.Lat, Lon: l.Lon})
	}
	for _, l := range q.to {
		req.Targets = append(req.Targets, valhallaLocation{Lat: l.Lat, Lon: l.Lon})
	}
	body, err := json.Marshal(req)
	if err != nil {
		return grid{}, fmt.Errorf("encoding request: %w", err)
	}
	status, answer, err := c.do(ctx, http.MethodPost, c.endpoint("/sources_to_targets"), body)
	if err != nil {
		return grid{}, err
	}
	return decodeValhalla(status, answer, len(q.from), len(q.to))
}

// valhallaNoRoute is Valhalla's error code for "no path could be found for
// input": no source reaches any target.
const valhallaNoRoute = 442

// valhallaError is Valhalla's failure answer.
type valhallaError struct {
	ErrorCode  *int   `json:"error_code"`
	Error      string `json:"error"`
	StatusCode int    `json:"status_code"`
	Status     string `json:"status"`
}

// valhallaAnswer is Valhalla's matrix answer; SourcesToTargets takes one of
// two forms, told apart by its first byte.
type valhallaAnswer struct {
	SourcesToTargets json.RawMessage `json:"sources_to_targets"`
	Units            string          `json:"units"`
}

// valhallaCell is one leg in the classic form.
type valhallaCell struct {
	FromIndex *int     `json:"from_index"`
	ToIndex   *int     `json:"to_index"`
	Time      *float64 `json:"time"`
	Distance  *float64 `json:"distance"`
}

// valhallaConcise is the concise form.
type valhallaConcise struct {
	Durations [][]*float64 `json:"durations"`
	Distances [][]*float64 `json:"distances"`
}

// decodeValhalla reads a sources_to_targets answer for rows sources and cols
// targets.
func decodeValhalla(status int, body []byte, rows, cols int) (grid, error) {
	if status/100 != 2 {
		var e valhallaError
		if json.Unmarshal(body, &e) != nil || (e.ErrorCode == nil && e.Error == "") {
			return grid{}, &EngineError{StatusCode: status, Message: snippet(body)}
		}
		if e.ErrorCode != nil && *e.ErrorCode == valhallaNoRoute {
			g := grid{durS: make([]float64, rows*cols), distM: make([]float64, rows*cols)}
			for k := range g.durS {
				g.durS[k], g.distM[k] = math.NaN(), math.NaN()
			}
			return g, nil
		}
		ee := &EngineError{StatusCode: status, Message: e.Error}
		if e.ErrorCode != nil {
			ee.Code = strconv.Itoa(*e.ErrorCode)
		}
		return grid{}, ee
	}
	var a valhallaAnswer
	if err := decodeJSON(body, &a); err != nil {
		return grid{}, err
	}
	var scale float64
	switch a.Units {
	case "", "kilometers", "km":
		scale = 1000
	case "miles", "mi":
		scale = 1609.344
	default:
		return grid{}, fmt.Errorf("%w: unknown units %q", ErrBadAnswer, a.Units)
	}
	raw := bytes.TrimSpace(a.SourcesToTargets)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return grid{}, fmt.Errorf("%w: no sources_to_targets in the answer", ErrBadAnswer)
	}
	if raw[0] == '{' {
		var m valhallaConcise
		if err := decodeJSON(raw, &m); err != nil {
			return grid{}, err
		}
		return decodeGrid("durations", m.Durations, m.Distances, rows, cols, scale)
	}
	var m [][]*valhallaCell
	if err := decodeJSON(raw, &m); err != nil {
		return grid{}, err
	}
	if len(m) != rows {
		return grid{}, fmt.Errorf("%w: %d rows in sources_to_targets, want %d", ErrBadAnswer, len(m), rows)
	}
	g := grid{durS: make([]float64, 0, rows*cols), distM: make([]float64, 0, rows*cols)}
	for i, row := range m {
		if len(row) != cols {
			return grid{}, fmt.Errorf("%w: row %d of sources_to_targets has %d entries, want %d", ErrBadAnswer, i, len(row), cols)
		}
		for j, cell := range row {
			if cell == nil {
				return grid{}, fmt.Errorf("%w: sources_to_targets[%d][%d] is null", ErrBadAnswer, i, j)
			}
			if (cell.FromIndex != nil && *cell.FromIndex != i) || (cell.ToIndex != nil && *cell.ToIndex != j) {
				return grid{}, fmt.Errorf("%w: sources_to_targets[%d][%d] is the leg %s→%s", ErrBadAnswer, i, j, optInt(cell.FromIndex), optInt(cell.ToIndex))
			}
			g.durS = append(g.durS, nullable(cell.Time))
			g.distM = append(g.distM, nullable(cell.Distance)*scale)
		}
	}
	return g, nil
}

// optInt formats an optional index.
func optInt(p *int) string {
	if p == nil {
		return "?"
	}
	return strconv.Itoa(*p)
}
