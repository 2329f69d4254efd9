package solomon

import "testing"

// TestScales: the converter's scale makes every DIMACS time (whole tenths
// of a unit) a whole number of seconds and keeps the longest horizon within
// the optimiser's day.
func TestScales(t *testing.T) {
	if SecondsPerUnit%10 != 0 || MaxHorizon*SecondsPerUnit > MaxDaySeconds {
		t.Errorf("SecondsPerUnit %d is not an exact scale that fits the day", SecondsPerUnit)
	}
}

func TestScaledDist(t *testing.T) {
	in := readTiny(t)
	tests := []struct {
		name   string
		i, j   int
		dimacs bool
		scale  int
		want   int64
	}{
		{"whole distance, exact", 0, 1, false, 50, 250},
		{"whole distance, DIMACS", 0, 1, true, 10, 50},
		{"sqrt 2 rounded up", 0, 3, false, 50, 71},    // 70.71
		{"sqrt 2 by 1 rounded up", 0, 3, false, 1, 2}, // 1.41
		{"sqrt 2 DIMACS exact", 0, 3, true, 10, 14},   // 1.4
		{"sqrt 2 DIMACS ×50 exact", 0, 3, true, 50, 70},
		{"sqrt 13 DIMACS ×1 rounded up", 4, 0, true, 1, 4},    // 3.6
		{"sqrt 13 DIMACS ×15 rounded up", 4, 0, true, 15, 54}, // 54.0
		{"sqrt 5 DIMACS ×15 rounded up", 3, 4, true, 15, 33},  // 2.2 × 15 = 33
		{"sqrt 41 DIMACS ×3 rounded up", 4, 2, true, 3, 20},   // 6.4 × 3 = 19.2
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := in.ScaledDist(tc.i, tc.j, tc.dimacs, tc.scale); got != tc.want {
				t.Errorf("ScaledDist(%d, %d, %v, %d) = %d, want %d", tc.i, tc.j, tc.dimacs, tc.scale, got, tc.want)
			}
			// Never shorter than the true distance, by less than one unit.
			exact := in.Dist(tc.i, tc.j, tc.dimacs) * float64(tc.scale)
			if got := float64(in.ScaledDist(tc.i, tc.j, tc.dimacs, tc.scale)); got < exact-1e-9 || got >= exact+1 {
				t.Errorf("ScaledDist %v is not within [%v, %v+1)", got, exact, exact)
			}
		})
	}
	t.Run("bad scale panics", func(t *testing.T) {
		defer func() {
			if recover() == nil {
				t.Error("no panic")
			}
		}()
		in.ScaledDist(0, 1, false, 0)
	})
}
