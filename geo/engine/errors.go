package engine

import (
	"errors"
	"fmt"
	"strings"
)

// ErrBadAnswer is wrapped by the errors for answers that are not valid JSON
// in the engine's format, or whose shape or values do not fit the request.
var ErrBadAnswer = errors.New("engine answer malformed")

// EngineError is an answer in which the engine refused the request: an HTTP
// error status, or an error code in the answer.
type EngineError struct {
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Code is the engine's error code, if it gave one: OSRM's code (such as
	// "NoSegment") or Valhalla's error_code (such as "171").
	Code string
	// Message is the engine's own explanation, or the start of the answer
	// when the engine gave none.
	Message string
}

// Error gives the status, the code and the engine's message.
func (e *EngineError) Error() string {
	s := fmt.Sprintf("HTTP %d", e.StatusCode)
	if e.Code != "" {
		s += " " + e.Code
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// snippet returns the start of an answer that is not in the engine's error
// format, on one line, for an error message.
func snippet(body []byte) string {
	const max = 200
	s := strings.Join(strings.Fields(strings.ToValidUTF8(string(body), "?")), " ")
	if len(s) > max {
		s = strings.ToValidUTF8(s[:max], "") + "…"
	}
	return s
}
