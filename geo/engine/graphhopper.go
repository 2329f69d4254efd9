package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// graphHopper speaks GraphHopper's matrix API:
//
//	POST /matrix?key=..
//	{"from_points": [[lon, lat]], "to_points": [[lon, lat]], "profile": "car",
//	 "out_arrays": ["times", "distances"], "fail_fast": false}
//
// answered by {"times": [[s|null]], "distances": [[m|null]]} or, on failure,
// {"message": "...", "hints": [{"message": "..."}]}. fail_fast false makes
// GraphHopper answer null for the legs it cannot route rather than fail the
// whole request. When the sources and the destinations are the same list it
// is sent once, as "points".
type graphHopper struct{}

func (graphHopper) operation() string { return "matrix" }

// graphHopperRequest is the body of a matrix request.
type graphHopperRequest struct {
	Points     [][2]float64 `json:"points,omitempty"`
	FromPoints [][2]float64 `json:"from_points,omitempty"`
	ToPoints   [][2]float64 `json:"to_points,omitempty"`
	Profile    string       `json:"profile"`
	OutArrays  []string     `json:"out_arrays"`
	FailFast   bool         `json:"fail_fast"`
}

func (graphHopper) fetch(ctx context.Context, c *Client, q query) (grid, error) {
	req := graphHopperRequest{Profile: q.profile, OutArrays: []string{"times", "distances"}}
	if q.same {
		for _, l := range q.from {
			req.Points = append(req.Points, lonLat(l))
		}
	} else {
		for _, l := range q.from {
			req.FromPoints = append(req.FromPoints, lonLat(l))
		}
		for _, l := range q.to {
			req.ToPoints = append(req.ToPoints, lonLat(l))
		}
	}
	body, err := json.Marshal(req)
	if err != nil {
		return grid{}, fmt.Errorf("encoding request: %w", err)
	}
	u := c.endpoint("/matrix")
	if c.apiKey != "" {
		u.RawQuery = url.Values{"key": {c.apiKey}}.Encode()
	}
	status, answer, err := c.do(ctx, http.MethodPost, u, body)
	if err != nil {
		return grid{}, err
	}
	return decodeGraphHopper(status, answer, len(q.from), len(q.to))
}

// graphHopperAnswer is GraphHopper's matrix answer, success or failure.
type graphHopperAnswer struct {
	Times     [][]*float64 `json:"times"`
	Distances [][]*float64 `json:"distances"`
	Message   string       `json:"message"`
	Hints     []struct {
		Message string `json:"message"`
	} `json:"hints"`
}

// decodeGraphHopper reads a matrix answer for rows sources and cols
// destinations.
func decodeGraphHopper(status int, body []byte, rows, cols int) (grid, error) {
	var a graphHopperAnswer
	if status/100 != 2 {
		if json.Unmarshal(body, &a) != nil || (a.Message == "" && len(a.Hints) == 0) {
			return grid{}, &EngineError{StatusCode: status, Message: snippet(body)}
		}
		return grid{}, &EngineError{StatusCode: status, Message: graphHopperMessage(a)}
	}
	if err := decodeJSON(body, &a); err != nil {
		return grid{}, err
	}
	if a.Times == nil && a.Message != "" {
		// An error answered with a success status.
		return grid{}, &EngineError{StatusCode: status, Message: graphHopperMessage(a)}
	}
	return decodeGrid("times", a.Times, a.Distances, rows, cols, 1)
}

// graphHopperMessage joins the message and the first few distinct hints.
func graphHopperMessage(a graphHopperAnswer) string {
	const maxHints = 3
	parts := []string{}
	if a.Message != "" {
		parts = append(parts, a.Message)
	}
	seen := map[string]bool{a.Message: true}
	for _, h := range a.Hints {
		if len(parts) > maxHints || seen[h.Message] {
			continue
		}
		seen[h.Message] = true
		parts = append(parts, h.Message)
	}
	return strings.Join(parts, "; ")
}
