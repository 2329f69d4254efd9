package locality

import (
	"context"
	"errors"
	"math"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/paulmach/orb"
	"github.com/rounds-dev/rounds/roster"
)

// squareAround is a square locality of side sideM metres around c.
func squareAround(c roster.Location, sideM float64) orb.MultiPolygon {
	h := sideM / 2
	pt := func(e, n float64) orb.Point { l := offset(c, e, n); return orb.Point{l.Lon, l.Lat} }
	return orb.MultiPolygon{{{pt(-h, -h), pt(h, -h), pt(h, h), pt(-h, h), pt(-h, -h)}}}
}

// twoTownsDistrict is a district of two towns 10 km apart, each inside its own
// square locality, a third square of empty ground, and a village outside
// every square.
func twoTownsDistrict(t *testing.T) (*District, *Boundaries, int) {
	t.Helper()
	east := offset(keighley, 10000, 0)
	village := offset(keighley, 5000, 8000)
	d := &District{Name: "two towns"}
	d.Clients = append(d.Clients, clientsAround(3, 14, keighley, 1)...)
	d.Clients = append(d.Clients, clientsAround(4, 10, east, 1)...)
	outside := clientsAround(5, 3, village, 0.3)
	d.Clients = append(d.Clients, outside...)
	for i := range d.Clients {
		d.Clients[i].ID = "C" + string(rune('A'+i/10)) + string(rune('0'+i%10))
	}
	b := newBoundaries([]string{"West", "East", "Moor"}, []orb.MultiPolygon{
		squareAround(keighley, 4000), squareAround(east, 4000), squareAround(offset(keighley, 5000, -8000), 3000),
	})
	return d, b, len(outside)
}

var quickEval = EvaluateOptions{Name: "squares", Size: SizeOptions{Planner: solve, Seed: 1, Iterations: 100}, Workers: 2}

// TestEvaluateRows checks an option's report: a row a locality in the
// boundaries' order with its sizing's figures and compactness, a row of
// zeros with a note for the empty locality, and the clients in no locality
// kept in an explicit unallocated row with a warning; every plan checked.
func TestEvaluateRows(t *testing.T) {
	d, b, nOutside := twoTownsDistrict(t)
	var mu sync.Mutex
	var last EvaluateProgress
	calls := 0
	opts := quickEval
	opts.Progress = func(p EvaluateProgress) {
		mu.Lock()
		defer mu.Unlock()
		if p.Done < last.Done || p.Solves < last.Solves || p.Done > p.Total {
			t.Errorf("progress went from %+v to %+v", last, p)
		}
		last, calls = p, calls+1
	}
	ev, err := Evaluate(context.Background(), d, b, DefaultSupply, nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(ev.Rows) != 4 {
		t.Fatalf("%d rows, want 3 localities and the unallocated", len(ev.Rows))
	}
	for i, name := range []string{"West", "East", "Moor", UnallocatedName} {
		if ev.Rows[i].Name != name {
			t.Errorf("row %d is %q, want %q", i, ev.Rows[i].Name, name)
		}
	}
	for i, n := range []int{14, 10} {
		r, s := ev.Rows[i], ev.Sizings[i]
		if r.Clients != n || s == nil || r.CarersNeeded != s.CarersNeeded || r.CarersNeeded < 1 {
			t.Errorf("%s: %d clients, %d carers; want %d clients and the sizing's carers", r.Name, r.Clients, r.CarersNeeded, n)
			continue
		}
		checked(t, r.Name, s.Day, s.Travel, s.Plan)
		// A square's Polsby–Popper score is π/4.
		if math.Abs(r.Compactness-math.Pi/4) > 0.01 {
			t.Errorf("%s: compactness %.3f, want π/4", r.Name, r.Compactness)
		}
	}
	moor := ev.Rows[2]
	if moor.Clients != 0 || moor.WeeklyHours != 0 || moor.CarersNeeded != 0 || moor.Note == "" || ev.Sizings[2] != nil {
		t.Errorf("the empty locality's row %+v: want zeros and a note", moor)
	}
	u := ev.Rows[3]
	if !u.Unallocated || u.Clients != nOutside || len(ev.Unallocated) != nOutside || u.WeeklyHours <= 0 || u.CarersNeeded != 0 {
		t.Errorf("unallocated row %+v, want %d clients with their hours", u, nOutside)
	}
	if len(ev.Warnings) != 2 {
		t.Errorf("warnings %q: want the empty locality and the unallocated clients", ev.Warnings)
	}
	want, _ := Balance(ev.Rows)
	if ev.MaxOverMin != want || !math.IsInf(want, 1) {
		t.Errorf("balance %v, want %v (+Inf with an empty locality)", ev.MaxOverMin, want)
	}
	if last.Done != last.Total || last.Total != 3 || last.Solves != ev.Solves || ev.Solves == 0 || calls < ev.Solves {
		t.Errorf("last progress %+v after %d calls; want 3 of 3 and %d solves", last, calls, ev.Solves)
	}
	var table strings.Builder
	if err := WriteTable(&table, []Option{ev.Option}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(table.String(), "Moor: "+moor.Note) {
		t.Errorf("the table does not give the empty locality's note:\n%s", table.String())
	}
}

// TestEvaluateWorkersAgree checks that localities sized side by side give
// the figures they give one at a time.
func TestEvaluateWorkersAgree(t *testing.T) {
	d, b, _ := twoTownsDistrict(t)
	one, two := quickEval, quickEval
	one.Workers, two.Workers = 1, 3
	one.Size.WalkFactor, two.Size.WalkFactor = -1, -1
	a, err := Evaluate(context.Background(), d, b, DefaultSupply, nil, one)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Evaluate(context.Background(), d, b, DefaultSupply, nil, two)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.Rows, c.Rows) {
		t.Errorf("rows differ:\n%+v\n%+v", a.Rows, c.Rows)
	}
}

// TestEvaluateRefuses checks the input Evaluate refuses before any solve,
// each at its field.
func TestEvaluateRefuses(t *testing.T) {
	d, b, _ := twoTownsDistrict(t)
	long := *d
	long.Clients = append([]Client(nil), d.Clients...)
	long.Clients[5].WeeklyHours, long.Clients[5].Bands = 100, []Band{Morning}
	none := *d
	none.Clients = append([]Client(nil), d.Clients...)
	none.Clients[2].WeeklyHours = 0
	bad := DefaultSupply
	bad.Utilisation = 0
	for _, tc := range []struct {
		name   string
		d      *District
		b      *Boundaries
		supply Supply
		path   string
	}{
		{"a call too long for its shift", &long, b, DefaultSupply, "clients[5] (" + d.Clients[5].ID + ").bands[0]"},
		{"a client with no hours", &none, b, DefaultSupply, "clients[2] (" + d.Clients[2].ID + ").weekly_hours"},
		{"no clients", &District{}, b, DefaultSupply, "clients"},
		{"no localities", d, newBoundaries(nil, nil), DefaultSupply, "features"},
		{"a supply out of range", d, b, bad, "supply"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Evaluate(context.Background(), tc.d, tc.b, tc.supply, nil, quickEval)
			var fes roster.FieldErrors
			var fe roster.FieldError
			switch {
			case errors.As(err, &fes):
				if fes[0].Path != tc.path {
					t.Errorf("error at %q (%v), want %q", fes[0].Path, err, tc.path)
				}
			case errors.As(err, &fe):
				if fe.Path != tc.path {
					t.Errorf("error at %q (%v), want %q", fe.Path, err, tc.path)
				}
			default:
				t.Errorf("error %v, want a field error at %s", err, tc.path)
			}
		})
	}
}

// TestEvaluateCancelled checks that a cancelled evaluation says so rather
// than answering.
func TestEvaluateCancelled(t *testing.T) {
	d, b, _ := twoTownsDistrict(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Evaluate(ctx, d, b, DefaultSupply, nil, quickEval); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}
