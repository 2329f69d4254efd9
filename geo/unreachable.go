package geo

import (
	"fmt"
	"strings"

	"github.com/rounds-dev/rounds/roster"
)

// MaxListedPairs is how many unreachable legs an UnreachableError lists.
const MaxListedPairs = 10

// Pair is one leg of a matrix: indices into the points (Matrix) or into
// from and to (Legs), and the places themselves, so that a caller who asked
// through a cache for only some rows can still tell which places they are.
type Pair struct {
	From, To     int
	FromAt, ToAt roster.Location
}

// UnreachableError reports legs a provider found no route for: a routing
// engine's missing routes, or a fault in a road network. No provider turns
// such a leg into a zero.
type UnreachableError struct {
	// Mode is the travel mode asked for.
	Mode roster.Mode
	// Pairs lists the first unreachable legs (at most MaxListedPairs) in
	// row-major order.
	Pairs []Pair
	// Count is how many legs are unreachable in all.
	Count int
}

// Error lists the first pairs by index and says how many more there are.
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

// FieldErrors names the listed legs by the fields of their places among
// points, path(i) naming point i: one error at each leg's start, e.g.
// "clients[3].location: no drive route to carers[1].start". Places are
// matched by location, as the error may come from a cache that asked for
// only some rows; legs between the same two fields are named once. A leg
// whose places are not among points is named by its coordinates.
func (e *UnreachableError) FieldErrors(points []roster.Location, path func(int) string) roster.FieldErrors {
	at := make(map[roster.Location]string, len(points))
	for i := len(points) - 1; i >= 0; i-- {
		at[points[i]] = path(i)
	}
	name := func(l roster.Location) string {
		if p, ok := at[l]; ok {
			return p
		}
		return fmt.Sprintf("(%.6f, %.6f)", l.Lat, l.Lon)
	}
	var out roster.FieldErrors
	seen := make(map[roster.FieldError]bool)
	for _, p := range e.Pairs {
		// A carer who starts and ends at home has two points at one
		// place: name the leg once.
		fe := roster.FieldError{Path: name(p.FromAt), Reason: fmt.Sprintf("no %s route to %s", e.Mode, name(p.ToAt))}
		if !seen[fe] {
			seen[fe] = true
			out = append(out, fe)
		}
	}
	if more := e.Count - len(e.Pairs); more > 0 && len(out) > 0 {
		last := &out[len(out)-1]
		last.Reason += fmt.Sprintf(" (and %d more legs without a route)", more)
	}
	return out
}
