package locality

import (
	"math"
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

// TestShiftSupply: a split shift brings each band its overlap with the
// band's stretch less a leg from or to home where a shift starts or ends;
// a working-time cap scales the overlaps down.
func TestShiftSupply(t *testing.T) {
	split := []roster.Shift{{Start: hm(7, 0), End: hm(14, 0)}, {Start: hm(16, 0), End: hm(22, 0)}}
	tests := []struct {
		name   string
		shifts []roster.Shift
		capMin int
		want   BandMinutes
	}{
		// 07:00-11:30 less the leg out; 11:30-14:00 less the leg home;
		// 16:00-19:15 less the leg out; 19:15-22:00 less the leg home.
		{"split", split, 0, BandMinutes{270 - 10, 150 - 10, 195 - 10, 165 - 10}},
		{"split capped at 9h of its 13h", split, 540, BandMinutes{270*540.0/780 - 10, 150*540.0/780 - 10, 195*540.0/780 - 10, 165*540.0/780 - 10}},
		{"a late shift", []roster.Shift{{Start: hm(12, 0), End: hm(20, 0)}}, 0, BandMinutes{0, 210 - 10, 225, 45 - 10}},
		{"none", nil, 0, BandMinutes{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ShiftSupply(tc.shifts, tc.capMin)
			for b := range got {
				if math.Abs(got[b]-tc.want[b]) > 1e-9 {
					t.Errorf("%v: %g minutes, want %g", Band(b), got[b], tc.want[b])
				}
			}
		})
	}
}

// TestCovers: a band without need is covered by nothing; one with need
// only by as much time.
func TestCovers(t *testing.T) {
	have := BandMinutes{100, 0, 50, 50}
	if !have.Covers(BandMinutes{100, 0, 10, 50}) {
		t.Error("exact cover refused")
	}
	if have.Covers(BandMinutes{100, 1, 0, 0}) {
		t.Error("a band with need and no time covered")
	}
}

// TestMeanNearestM: three places in a row 100 m and 300 m apart have
// nearest neighbours at 100, 100 and 300 m; one place has none.
func TestMeanNearestM(t *testing.T) {
	a := roster.Location{Lat: 53.8, Lon: -1.9}
	north := func(m float64) roster.Location {
		return roster.Location{Lat: a.Lat + m/6378137*180/math.Pi, Lon: a.Lon}
	}
	mean, ok := MeanNearestM([]roster.Location{a, north(100), north(400)})
	if !ok || math.Abs(mean-500.0/3) > 0.01 {
		t.Errorf("mean %g, %v; want 166.67", mean, ok)
	}
	if _, ok := MeanNearestM([]roster.Location{a}); ok {
		t.Error("one place has a nearest neighbour")
	}
}

// TestTravelAllowanceMin: walkers at 4.7 km/h with a 1.35 detour, drivers
// at 30 km/h with 1.3; never under five minutes.
func TestTravelAllowanceMin(t *testing.T) {
	walk := 1000 * 1.35 / (4.7 / 3.6) / 60
	drive := 1000 * 1.3 / (30 / 3.6) / 60
	if got, want := TravelAllowanceMin(1000, 0.5), (walk+drive)/2; math.Abs(got-want) > 1e-9 {
		t.Errorf("1 km half walked: %g minutes, want %g", got, want)
	}
	if got := TravelAllowanceMin(10, 0); got != MinAllowanceMin {
		t.Errorf("10 m driven: %g minutes, want the floor %d", got, MinAllowanceMin)
	}
}

// TestEstimateCarers: ten clients at one place with an hour's breakfast
// call each take 10 × (60 + 5) carer minutes; at 70% utilisation on split
// shifts (260 minutes of the morning each) that is 3.57 carers, so 4;
// double-handed, 7.14, so 8. Shifts that miss the morning, or no
// utilisation, give no estimate.
func TestEstimateCarers(t *testing.T) {
	clients := make([]Client, 10)
	for i := range clients {
		clients[i] = Client{ID: string(rune('A' + i)), Location: roster.Location{Lat: 53.8, Lon: -1.9}, WeeklyHours: 7, Bands: []Band{Morning}}
	}
	s := Supply{Utilisation: 0.7}
	if n, ok := EstimateCarers(clients, s, nil); n != 4 || !ok {
		t.Errorf("single-handed: %d, %v; want 4", n, ok)
	}
	for i := range clients {
		clients[i].Double = true
	}
	if n, ok := EstimateCarers(clients, s, nil); n != 8 || !ok {
		t.Errorf("double-handed: %d, %v; want 8", n, ok)
	}
	if n, ok := EstimateCarers(nil, s, nil); n != 0 || !ok {
		t.Errorf("no clients: %d, %v; want 0", n, ok)
	}
	if _, ok := EstimateCarers(clients, s, []roster.Shift{{Start: hm(16, 0), End: hm(22, 0)}}); ok {
		t.Error("evening shifts estimated for morning calls")
	}
	if _, ok := EstimateCarers(clients, Supply{}, nil); ok {
		t.Error("an estimate at no utilisation")
	}
}
