package engine

import (
	"errors"
	"fmt"
	"strings"

	"github.com/rounds-dev/rounds/roster"
)

// ErrBadAnswer is wrapped by the errors for answers that are not valid JSON
// in the engine's format, or whose shape or values do not fit the request.
var ErrBadAnswer = errors.New("engine answer malformed")

// maxListedPairs is how many unreachable pairs an UnreachableError lists.
const maxListedPairs = 10

// Pair is one leg of a matrix, as indices into the points (Matrix) or into
// from and to (Legs).
type Pair struct {
	From, To int
}

// UnreachableError reports legs the engine found no route for, which a
// Client never turns into zeros.
type UnreachableError struct {
	// Mode is the travel mode asked for.
	Mode roster.Mode
	// Pairs lists the first unreachable legs (at most 10) in row-major
	// order.
	Pairs []Pair
	// Count is how many legs are unreachable in all.
	Count int
}

// Error lists the first pairs and says how many more there are.
func (e *UnreachableError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "no %s route for %d leg", e.Mode, e.Count)
	if e.Count != 1 {
		b.WriteString("s")
	}
	b.WriteString(" (from→to):")
	for i, p := range e.Pairs {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, " %d→%d", p.From, p.To)
	}
	if more := e.Count - len(e.Pairs); more > 0 {
		fmt.Fprintf(&b, " and %d more", more)
	}
	return b.String()
}

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
