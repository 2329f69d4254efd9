package locality

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

// keighley is the centre of the test localities.
var keighley = roster.Location{Lat: 53.8679, Lon: -1.9064}

// clientsAround makes n clients within radiusKM of centre, drawn with
// seed: one to four calls a day of 20 to 50 minutes (about 2-23 hours a
// week), a fifth of them double-handed with a hoist on four 45-minute
// calls, some needing medication.
func clientsAround(seed uint64, n int, centre roster.Location, radiusKM float64) []Client {
	r := rand.New(rand.NewPCG(seed, 1))
	patterns := [][]Band{
		{Morning}, {Morning, Bed}, {Morning, Tea}, {Morning, Lunch, Bed},
		{Morning, Lunch, Tea, Bed}, {Lunch}, {Morning, Tea, Bed},
	}
	out := make([]Client, n)
	for i := range out {
		d := radiusKM * 1000 * math.Sqrt(r.Float64())
		a := 2 * math.Pi * r.Float64()
		c := Client{
			ID:       fmt.Sprintf("C%03d", i+1),
			Location: offset(centre, d*math.Sin(a), d*math.Cos(a)),
			Bands:    patterns[r.IntN(len(patterns))],
		}
		callMin := 20 + 30*r.Float64()
		if r.Float64() < 0.2 {
			c.Double = true
			c.Bands = []Band{Morning, Lunch, Tea, Bed}
			c.Skills = []string{"hoist"}
			callMin = 45
		}
		c.WeeklyHours = callMin * float64(len(c.Bands)) * 7 / 60
		if r.Float64() < 0.4 {
			c.Skills = append(c.Skills, "medication")
		}
		out[i] = c
	}
	return out
}

// offset moves l east and north by metres.
func offset(l roster.Location, east, north float64) roster.Location {
	const m = 111320.0
	return roster.Location{Lat: l.Lat + north/m, Lon: l.Lon + east/(m*math.Cos(l.Lat*math.Pi/180))}
}

// TestDayDecodes checks that the representative day survives JSON and the
// strict decoder, and holds what it should: a visit per call with the
// band's window, two carers for a double-handed call, the walk share, and
// every skill held by every carer.
func TestDayDecodes(t *testing.T) {
	clients := clientsAround(1, 40, keighley, 1.5)
	in, err := Day(clients, DefaultSupply, 25, DayOptions{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	back, err := roster.DecodeInstance(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decoding the day: %v", err)
	}
	calls := 0
	for i := range clients {
		calls += clients[i].CallsADay()
	}
	if len(back.Visits) != calls {
		t.Errorf("%d visits, want one per call: %d", len(back.Visits), calls)
	}
	walkers := 0
	for _, c := range back.Carers {
		if c.Mode == roster.Walk {
			walkers++
		}
		if !c.HasSkill("hoist") || !c.HasSkill("medication") {
			t.Errorf("carer %s holds %v, want every skill the clients need", c.ID, c.Skills)
		}
	}
	if want := 5; walkers != want { // 0.2 × 25
		t.Errorf("%d walkers, want %d", walkers, want)
	}
	v := 0
	for i := range clients {
		c := &clients[i]
		for k, b := range c.Bands {
			got := back.Visits[v]
			v++
			if got.Client != c.ID {
				t.Fatalf("visit %s is of %s, want %s", got.ID, got.Client, c.ID)
			}
			if want := max(10, int(math.Round(c.CallMin()))); got.DurationMin != want {
				t.Errorf("%s: %d min, want %d", got.ID, got.DurationMin, want)
			}
			if c.Double != (got.CarersNeeded() == 2) {
				t.Errorf("%s: %d carers, double-handed %v", got.ID, got.CarersNeeded(), c.Double)
			}
			w := got.Windows[0]
			if w.Start != bandWindows[b].Start || w.End > bandWindows[b].End || w.End < w.Start {
				t.Errorf("%s (call %d, %s): window %v-%v outside the band", got.ID, k, b, w.Start, w.End)
			}
		}
	}
}

// TestDayPoolNested checks that a pool of n carers is the first n of a
// larger one, so that the search's pools differ only by the carers added.
func TestDayPoolNested(t *testing.T) {
	clients := clientsAround(2, 30, keighley, 1)
	small, err := Day(clients, DefaultSupply, 9, DayOptions{Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	big, err := Day(clients, DefaultSupply, 20, DayOptions{Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	for k := range small.Carers {
		a, b := small.Carers[k], big.Carers[k]
		if a.ID != b.ID || a.Start != b.Start || a.Mode != b.Mode {
			t.Errorf("carer %d differs: %s at %v by %s, and %s at %v by %s", k, a.ID, a.Start, a.Mode, b.ID, b.Start, b.Mode)
		}
	}
	walk, err := Day(clients, DefaultSupply, 9, DayOptions{Seed: 5, AllWalk: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range walk.Carers {
		if c.Mode != roster.Walk {
			t.Errorf("all-walk day: carer %s %s", c.ID, c.Mode)
		}
	}
}

// TestDayRefuses checks the errors of days that cannot be built.
func TestDayRefuses(t *testing.T) {
	ok := clientsAround(3, 3, keighley, 1)
	for _, tc := range []struct {
		name    string
		change  func(cs []Client)
		carers  int
		wantErr string
	}{
		{"no calls", func(cs []Client) { cs[1].Bands = nil }, 3, "clients[1] (C002).bands: no calls"},
		{"no hours", func(cs []Client) { cs[0].WeeklyHours = 0 }, 3, "clients[0] (C001).weekly_hours"},
		{"call too long", func(cs []Client) { cs[2].WeeklyHours = 50; cs[2].Bands = []Band{Bed} }, 3, "a 429-minute bed call does not fit"},
		{"bad band", func(cs []Client) { cs[2].Bands = []Band{NBands} }, 3, "is not a band"},
		{"no carers", func([]Client) {}, 0, "at least one carer"},
		{"repeated id", func(cs []Client) { cs[1].ID = cs[0].ID }, 3, "already the id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cs := make([]Client, len(ok))
			copy(cs, ok)
			tc.change(cs)
			_, err := Day(cs, DefaultSupply, tc.carers, DayOptions{})
			if err == nil || !bytes.Contains([]byte(err.Error()), []byte(tc.wantErr)) {
				t.Errorf("error %v, want one saying %q", err, tc.wantErr)
			}
		})
	}
}

// TestDayLongCall checks that a call too long to end in its half of the
// shift from the band's opening starts early enough to: a two-hour lunch
// call starts at 11:45 to end, with a quarter of an hour to get home, by
// 14:00.
func TestDayLongCall(t *testing.T) {
	c := Client{ID: "C1", Location: keighley, WeeklyHours: 14, Bands: []Band{Lunch}}
	in, err := Day([]Client{c}, DefaultSupply, 1, DayOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w := in.Visits[0].Windows[0]
	if want := hm(11, 45); w.Start != want || w.End != want {
		t.Errorf("window %v-%v, want %v", w.Start, w.End, want)
	}
}
