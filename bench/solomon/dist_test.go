package solomon

import (
	"math"
	"math/big"
	"testing"
)

func TestDist(t *testing.T) {
	in := readTiny(t)
	tests := []struct {
		name          string
		i, j          int
		exact, dimacs float64
	}{
		{"same node", 2, 2, 0, 0},
		{"3-4-5", 0, 1, 5, 5},
		{"3-4-5 again", 1, 2, 5, 5},
		{"6-8-10", 2, 0, 10, 10},
		{"sqrt 2 truncated", 0, 3, math.Sqrt2, 1.4},
		{"sqrt 5 truncated", 3, 4, math.Sqrt(5), 2.2},
		{"sqrt 13 truncated, not rounded up", 4, 0, math.Sqrt(13), 3.6},
		{"sqrt 41 truncated", 4, 2, math.Sqrt(41), 6.4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, d := range []struct {
				dimacs bool
				want   float64
			}{{false, tc.exact}, {true, tc.dimacs}} {
				if got := in.Dist(tc.i, tc.j, d.dimacs); got != d.want {
					t.Errorf("Dist(%d, %d, %v) = %v, want %v", tc.i, tc.j, d.dimacs, got, d.want)
				}
				if got := in.Dist(tc.j, tc.i, d.dimacs); got != d.want {
					t.Errorf("Dist(%d, %d, %v) = %v, want %v (symmetry)", tc.j, tc.i, d.dimacs, got, d.want)
				}
			}
		})
	}
}

// TestDistTruncationExact compares the DIMACS truncation with exact integer
// arithmetic, floor(sqrt(100·(dx²+dy²))), for every integer offset up to
// the size of a Solomon grid and a few far beyond.
func TestDistTruncationExact(t *testing.T) {
	in := &Instance{Customers: make([]Customer, 2)}
	check := func(dx, dy int64) {
		t.Helper()
		in.Customers[1].X, in.Customers[1].Y = float64(dx), float64(dy)
		n := new(big.Int).SetInt64(100 * (dx*dx + dy*dy))
		want := float64(new(big.Int).Sqrt(n).Int64())
		if got := in.tenths(0, 1); got != want {
			t.Fatalf("tenths for offset (%d, %d) = %v, want %v", dx, dy, got, want)
		}
		if got, want := in.Dist(0, 1, true), want/10; got != want {
			t.Fatalf("Dist(dimacs) for offset (%d, %d) = %v, want %v", dx, dy, got, want)
		}
		if exact := in.Dist(0, 1, false); in.Dist(0, 1, true) > exact || exact-in.Dist(0, 1, true) >= 0.1+1e-9 {
			t.Fatalf("offset (%d, %d): truncated %v is not within 0.1 below exact %v", dx, dy, in.Dist(0, 1, true), exact)
		}
	}
	for dx := int64(0); dx <= 200; dx++ {
		for dy := int64(0); dy <= 200; dy++ {
			check(dx, dy)
		}
	}
	for _, d := range [][2]int64{{1 << 20, 1}, {3_000_000, 4_000_000}, {123_456, 654_321}, {-70_000, 99_999}} {
		check(d[0], d[1])
	}
}
