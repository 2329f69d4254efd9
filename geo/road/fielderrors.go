package road

import (
	"fmt"
	"math"

	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/roster"
)

// FieldErrors names the far places among points, each by path(i) for the
// index i of every point at a far place.
func (e *FarError) FieldErrors(points []roster.Location, path func(int) string) roster.FieldErrors {
	far := make(map[roster.Location]float64, len(e.Far))
	for _, f := range e.Far {
		far[f.Location] = f.DistanceM
	}
	var out roster.FieldErrors
	seen := make(map[string]bool)
	for i, p := range points {
		d, ok := far[p]
		if !ok || seen[path(i)] {
			continue
		}
		seen[path(i)] = true
		reason := fmt.Sprintf("%.0f m from the nearest road usable by %s (at most %.0f m)", d, e.Mode, e.MaxSnapM)
		if math.IsInf(d, 0) {
			reason = "not a place on the globe"
		}
		out = append(out, roster.FieldError{Path: path(i), Reason: reason})
	}
	return out
}

var _ geo.PlaceErrors = (*FarError)(nil)
