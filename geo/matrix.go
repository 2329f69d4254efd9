package geo

import (
	"context"
	"fmt"

	"github.com/rounds-dev/rounds/roster"
)

// Matrix holds travel times (seconds) and distances (metres) between N
// points, row-major: the leg from i to j is at i*N+j.
type Matrix struct {
	N     int
	DurS  []int32
	DistM []int32
}

// NewMatrix returns an n×n matrix of zeros.
func NewMatrix(n int) *Matrix {
	return &Matrix{N: n, DurS: make([]int32, n*n), DistM: make([]int32, n*n)}
}

// Leg returns the time and distance from point i to point j.
func (m *Matrix) Leg(i, j int) (durS, distM int) {
	k := i*m.N + j
	return int(m.DurS[k]), int(m.DistM[k])
}

// Provider computes travel matrices for a list of points and a mode.
type Provider interface {
	// Matrix returns the travel between every pair of points by mode.
	Matrix(ctx context.Context, points []roster.Location, mode roster.Mode) (*Matrix, error)
	// Source names the provider and its data version, for plans.
	Source() roster.TravelSource
}

// LegsProvider is a Provider that can also compute the legs from some
// points to others, so that a cache holding most of a matrix computes only
// the rows and columns it lacks.
type LegsProvider interface {
	Provider
	// Legs returns the travel from each of from to each of to by mode,
	// row-major: the leg from from[i] to to[j] is at i*len(to)+j.
	Legs(ctx context.Context, from, to []roster.Location, mode roster.Mode) (durS, distM []int32, err error)
}

// Matrices holds one matrix per travel mode over the same points. It
// implements roster.Travel.
type Matrices struct {
	source roster.TravelSource
	byMode map[roster.Mode]*Matrix
}

var _ roster.Travel = (*Matrices)(nil)

// Leg returns the travel between points from and to by mode. It panics if
// the matrices were built without that mode, which is a programming error:
// ForInstance builds every mode a carer of the instance uses.
func (ms *Matrices) Leg(mode roster.Mode, from, to int) (durS, distM int) {
	m, ok := ms.byMode[mode]
	if !ok {
		panic(fmt.Sprintf("geo: no %s matrix", mode))
	}
	return m.Leg(from, to)
}

// Mode returns the matrix of one mode, or nil when it was not built.
func (ms *Matrices) Mode(mode roster.Mode) *Matrix { return ms.byMode[mode] }

// Dense returns the matrix of one mode as row-major slices over n points,
// for callers that read many legs and would rather not copy them; ok is
// false when the matrices were built without that mode. The slices must
// not be changed.
func (ms *Matrices) Dense(mode roster.Mode) (n int, durS, distM []int32, ok bool) {
	m, ok := ms.byMode[mode]
	if !ok {
		return 0, nil, nil, false
	}
	return m.N, m.DurS, m.DistM, true
}

// Source names the provider the matrices came from.
func (ms *Matrices) Source() roster.TravelSource { return ms.source }

// ForInstance computes the matrices over in.Points() for every mode that one
// of the instance's carers travels by.
func ForInstance(ctx context.Context, p Provider, in *roster.Instance) (*Matrices, error) {
	points := in.Points()
	ms := &Matrices{source: p.Source(), byMode: make(map[roster.Mode]*Matrix)}
	for _, mode := range roster.Modes {
		used := false
		for i := range in.Carers {
			if in.Carers[i].Mode == mode {
				used = true
				break
			}
		}
		if !used {
			continue
		}
		m, err := p.Matrix(ctx, points, mode)
		if err != nil {
			return nil, fmt.Errorf("geo: %s matrix: %w", mode, err)
		}
		if m.N != len(points) {
			return nil, fmt.Errorf("geo: %s matrix: provider returned %d points, want %d", mode, m.N, len(points))
		}
		ms.byMode[mode] = m
	}
	return ms, nil
}
