package road

import (
	"errors"
	"fmt"
	"math"

	"github.com/rounds-dev/rounds/roster"
)

// InstanceErrors turns a *FarError from a matrix over in.Points() into
// field errors naming each far location's field in the instance, e.g.
// "clients[3].location: 812 m from the nearest road usable by drive (at
// most 500 m)". Other errors come back as they are.
func InstanceErrors(in *roster.Instance, err error) error {
	var fe *FarError
	if !errors.As(err, &fe) || len(fe.Far) == 0 || fe.Far[0].List != "points" {
		return err
	}
	var out roster.FieldErrors
	seen := make(map[string]bool)
	for _, f := range fe.Far {
		path := in.PointPath(f.Index)
		if seen[path] {
			continue
		}
		seen[path] = true
		reason := fmt.Sprintf("%.0f m from the nearest road usable by %s in the extract (at most %.0f m)", f.DistanceM, fe.Mode, fe.MaxSnapM)
		if math.IsInf(f.DistanceM, 0) {
			reason = "not a place on the globe"
		}
		out = append(out, roster.FieldError{Path: path, Reason: reason})
	}
	return out
}
