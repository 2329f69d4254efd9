package geo

import (
	"context"
	"errors"
	"fmt"

	"github.com/rounds-dev/rounds/roster"
)

// TravelFor decides, in one place for the command line, the API and its
// workers, which travel an instance is planned and checked with, and
// builds it:
//
//  1. Matrices the instance carries (travel.matrices) are its travel,
//     whatever else is configured: they are complete data the caller chose.
//  2. Otherwise, when configured is a road network or a routing engine
//     (possibly behind a cache), that provider's matrices. Straight-line
//     speeds in the instance (travel.modes) do not apply then and are
//     refused rather than ignored.
//  3. Otherwise the straight-line estimate with the instance's own
//     settings, through configured when configured is a straight-line
//     provider (such as a cache of one) with the same settings.
//
// configured may be nil. Problems with the instance's places come back as
// roster.FieldErrors naming each place's field: a place too far from the
// road network (a *FarError from geo/road, turned by its FieldErrors
// method), a leg the provider found no route for (an *UnreachableError),
// speeds that do not apply. Any other error is a failure of the provider
// itself (an engine that does not answer, a cancelled context).
func TravelFor(ctx context.Context, configured Provider, in *roster.Instance) (*Matrices, error) {
	if ms := Given(in); ms != nil {
		return ms, nil
	}
	if configured != nil && configured.Source().Provider != StraightLineProvider {
		if in.Travel != nil && len(in.Travel.Modes) > 0 {
			return nil, roster.FieldErrors{{Path: "travel.modes", Reason: fmt.Sprintf(
				"straight-line speeds do not apply: travel comes from %s (set walking and cycling paces where that provider is configured)", configured.Source().Provider)}}
		}
		ms, err := ForInstance(ctx, configured, in)
		if err != nil {
			return nil, instanceErrors(in, err)
		}
		return ms, nil
	}
	sl, err := NewStraightLine(in.Travel)
	if err != nil {
		return nil, roster.FieldErrors{{Path: "travel", Reason: err.Error()}}
	}
	var prov Provider = sl
	if configured != nil && configured.Source() == sl.Source() {
		prov = configured
	}
	ms, err := ForInstance(ctx, prov, in)
	if err != nil {
		return nil, instanceErrors(in, err)
	}
	return ms, nil
}

// PlaceErrors is what a provider's error about particular places turns
// into field errors; geo/road's FarError is one.
type PlaceErrors interface {
	error
	// FieldErrors names the places among points, path(i) naming point i.
	FieldErrors(points []roster.Location, path func(int) string) roster.FieldErrors
}

var _ PlaceErrors = (*UnreachableError)(nil)

// instanceErrors turns an error about particular places into field errors
// naming them in the instance; other errors come back as they are.
func instanceErrors(in *roster.Instance, err error) error {
	var pe PlaceErrors
	if errors.As(err, &pe) {
		if fes := pe.FieldErrors(in.Points(), in.PointPath); len(fes) > 0 {
			return fes
		}
	}
	return err
}
