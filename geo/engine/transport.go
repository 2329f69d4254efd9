package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"strconv"

	"github.com/rounds-dev/rounds/roster"
)

// endpoint returns the base URL with path appended.
func (c *Client) endpoint(path string) *url.URL {
	u := *c.base
	u.Path += path
	return &u
}

// do sends one request within the per-request timeout and returns the
// answer's status and body. Errors name the method and the host only, so
// that neither the coordinates nor an API key in the query reach logs.
func (c *Client) do(ctx context.Context, method string, u *url.URL, body []byte) (status int, answer []byte, err error) {
	rctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(rctx, method, u.String(), rd)
	if err != nil {
		return 0, nil, fmt.Errorf("%s %s: %w", method, u.Host, unwrapURLError(err))
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, c.transportError(ctx, method, u.Host, err)
	}
	defer resp.Body.Close()
	answer, err = io.ReadAll(io.LimitReader(resp.Body, maxAnswerBytes+1))
	if err != nil {
		return 0, nil, c.transportError(ctx, method, u.Host, err)
	}
	if len(answer) > maxAnswerBytes {
		return 0, nil, fmt.Errorf("%s %s: %w: answer longer than %d bytes", method, u.Host, ErrBadAnswer, maxAnswerBytes)
	}
	return resp.StatusCode, answer, nil
}

// transportError describes a request that got no complete answer. A
// timeout always wraps context.DeadlineExceeded, whether the per-request
// deadline, the caller's or the HTTP client's own timeout ran out.
func (c *Client) transportError(ctx context.Context, method, host string, err error) error {
	err = unwrapURLError(err)
	if ctx.Err() != nil {
		// The caller cancelled or ran out of time; say so plainly.
		return fmt.Errorf("%s %s: %w", method, host, context.Cause(ctx))
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		if !errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("%w (%w)", err, context.DeadlineExceeded)
		}
		return fmt.Errorf("%s %s: timed out (request timeout %s): %w", method, host, c.timeout, err)
	}
	return fmt.Errorf("%s %s: %w", method, host, err)
}

// unwrapURLError drops the *url.Error layer, whose message carries the whole
// URL.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// decodeJSON reads an answer into v, wrapping ErrBadAnswer when it is not
// JSON of the expected form.
func decodeJSON(body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("%w: %v (answer starts %q)", ErrBadAnswer, err, snippet(body))
	}
	return nil
}

// nullable turns a decoded JSON number or null into a float, NaN for null.
func nullable(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// decodeRows flattens rows of numbers or nulls that must be rows×cols,
// scaling each by scale; name says which array it was.
// decodeGrid reads an answer's durations (seconds, named durName in the
// engine's JSON) and distances (metres once multiplied by distScale).
func decodeGrid(durName string, dur, dist [][]*float64, rows, cols int, distScale float64) (grid, error) {
	d, err := decodeRows(durName, dur, rows, cols, 1)
	if err != nil {
		return grid{}, err
	}
	l, err := decodeRows("distances", dist, rows, cols, distScale)
	if err != nil {
		return grid{}, err
	}
	return grid{durS: d, distM: l}, nil
}

func decodeRows(name string, v [][]*float64, rows, cols int, scale float64) ([]float64, error) {
	if v == nil {
		return nil, fmt.Errorf("%w: no %s in the answer", ErrBadAnswer, name)
	}
	if len(v) != rows {
		return nil, fmt.Errorf("%w: %d rows of %s, want %d", ErrBadAnswer, len(v), name, rows)
	}
	out := make([]float64, 0, rows*cols)
	for i, row := range v {
		if len(row) != cols {
			return nil, fmt.Errorf("%w: row %d of %s has %d entries, want %d", ErrBadAnswer, i, name, len(row), cols)
		}
		for _, p := range row {
			out = append(out, nullable(p)*scale)
		}
	}
	return out, nil
}

// coord formats a coordinate to six decimals, about 0.1 m.
func coord(v float64) string { return strconv.FormatFloat(v, 'f', 6, 64) }

// lonLat is a [longitude, latitude] pair, the order GraphHopper's points
// take.
func lonLat(l roster.Location) [2]float64 { return [2]float64{l.Lon, l.Lat} }
