package engine

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/rounds-dev/rounds/roster"
)

// osrm speaks OSRM's table service:
//
//	GET /table/v1/{profile}/{lon,lat;lon,lat...}?annotations=duration,distance&sources=..&destinations=..
//
// answered by {"code": "Ok", "durations": [[s|null]], "distances": [[m|null]]}
// or, on failure, {"code": "NoSegment", "message": "..."}. When the sources
// and the destinations are the same list it is sent once, without sources
// and destinations.
type osrm struct{}

func (osrm) operation() string { return "table" }

func (osrm) fetch(ctx context.Context, c *Client, q query) (grid, error) {
	var path strings.Builder
	path.WriteString("/table/v1/")
	path.WriteString(q.profile)
	path.WriteString("/")
	n := 0
	add := func(locs []roster.Location) {
		for _, l := range locs {
			if n > 0 {
				path.WriteString(";")
			}
			path.WriteString(coord(l.Lon))
			path.WriteString(",")
			path.WriteString(coord(l.Lat))
			n++
		}
	}
	add(q.from)
	raw := "annotations=duration,distance"
	if !q.same {
		add(q.to)
		raw += "&sources=" + indexList(0, len(q.from)) + "&destinations=" + indexList(len(q.from), len(q.from)+len(q.to))
	}
	u := c.endpoint(path.String())
	u.RawQuery = raw
	status, body, err := c.do(ctx, http.MethodGet, u, nil)
	if err != nil {
		return grid{}, err
	}
	return decodeOSRM(status, body, len(q.from), len(q.to))
}

// indexList returns "lo;lo+1;...;hi-1".
func indexList(lo, hi int) string {
	var b strings.Builder
	for i := lo; i < hi; i++ {
		if i > lo {
			b.WriteString(";")
		}
		b.WriteString(strconv.Itoa(i))
	}
	return b.String()
}

// osrmAnswer is OSRM's table answer, success or failure.
type osrmAnswer struct {
	Code      string       `json:"code"`
	Message   string       `json:"message"`
	Durations [][]*float64 `json:"durations"`
	Distances [][]*float64 `json:"distances"`
}

// decodeOSRM reads a table answer for rows sources and cols destinations.
func decodeOSRM(status int, body []byte, rows, cols int) (grid, error) {
	var a osrmAnswer
	if status/100 != 2 {
		if json.Unmarshal(body, &a) == nil && (a.Code != "" || a.Message != "") {
			return grid{}, &EngineError{StatusCode: status, Code: a.Code, Message: a.Message}
		}
		return grid{}, &EngineError{StatusCode: status, Message: snippet(body)}
	}
	if err := decodeJSON(body, &a); err != nil {
		return grid{}, err
	}
	if a.Code != "Ok" {
		return grid{}, &EngineError{StatusCode: status, Code: a.Code, Message: a.Message}
	}
	return decodeGrid("durations", a.Durations, a.Distances, rows, cols, 1)
}
