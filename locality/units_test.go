package locality

import (
	"errors"
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/rounds-dev/rounds/roster"
)

func TestNewGrid(t *testing.T) {
	clients := clusteredClients(400, 5)
	g, err := NewGrid(clients, 500)
	if err != nil {
		t.Fatal(err)
	}
	total := 0.0
	for i := range clients {
		c := g.ClientCell[i]
		cell := &g.Cells[c]
		p := g.clientXY(i)
		// A client lies in their cell: no further from its centre than a
		// corner, and inside its outline.
		if d := math.Hypot(p[0]-cell.X, p[1]-cell.Y); d > g.CellM/math.Sqrt(3)+1e-9 {
			t.Errorf("client %d is %.0f m from their cell's centre", i, d)
		}
		ll := orb.Point{clients[i].Location.Lon, clients[i].Location.Lat}
		if !planar.PolygonContains(g.Polygon(c), ll) {
			t.Errorf("client %d is outside their cell's outline", i)
		}
		total += clients[i].WeeklyHours
	}
	sum := 0.0
	for c := range g.Cells {
		cell := &g.Cells[c]
		h := 0.0
		for _, i := range cell.Clients {
			h += clients[i].WeeklyHours
			if g.ClientCell[i] != c {
				t.Errorf("cell %d lists client %d of cell %d", c, i, g.ClientCell[i])
			}
		}
		if math.Abs(h-cell.Hours) > 1e-9 {
			t.Errorf("cell %d: hours %.1f, its clients' %.1f", c, cell.Hours, h)
		}
		sum += cell.Hours
		for e, n := range cell.Neighbours {
			if n < 0 {
				if cell.Hours > 0 {
					t.Errorf("cell %d holds clients but has no neighbour across edge %d: the ring is missing", c, e)
				}
				continue
			}
			if back := g.Cells[n].Neighbours[(e+3)%6]; back != c {
				t.Errorf("cell %d's neighbour %d across edge %d has %d across the opposite edge", c, n, e, back)
			}
			if d := math.Hypot(g.Cells[n].X-cell.X, g.Cells[n].Y-cell.Y); math.Abs(d-g.CellM) > 1e-6 {
				t.Errorf("cells %d and %d are %.3f m apart, want %.0f", c, n, d, g.CellM)
			}
			// Neighbours share the two corners of their edge exactly.
			p, q := g.Polygon(c)[0], g.Polygon(n)[0]
			if p[e] != q[(e+4)%6] || p[e+1] != q[(e+3)%6] {
				t.Errorf("cells %d and %d do not share the corners of edge %d exactly", c, n, e)
			}
		}
	}
	if math.Abs(sum-total) > 1e-6 || math.Abs(g.Hours-total) > 1e-6 {
		t.Errorf("cells hold %.1f h, grid %.1f h, clients %.1f h", sum, g.Hours, total)
	}
}

// TestNewGridJoinsPieces checks that groups of clients far apart are
// joined by cells across the empty ground, so the grid is connected.
func TestNewGridJoinsPieces(t *testing.T) {
	clients := []Client{loc(-1.75, 53.79), loc(-1.751, 53.791), loc(-1.60, 53.79), loc(-1.75, 53.70)}
	g, err := NewGrid(clients, 300)
	if err != nil {
		t.Fatal(err)
	}
	region := make([]int, len(g.Cells))
	if n := reach(g, region, 0, -1, make([]int, len(g.Cells)), 1); n != len(g.Cells) {
		t.Errorf("%d of %d cells reachable", n, len(g.Cells))
	}
	// About 10 km east and 10 km south at 300 m: the lines add some 70
	// cells; a grid of the whole box would hold about 1,000.
	if len(g.Cells) > 200 {
		t.Errorf("%d cells: the joins are not short lines", len(g.Cells))
	}
}

func TestNewGridRefuses(t *testing.T) {
	good := []Client{loc(-1.75, 53.79)}
	for _, tc := range []struct {
		name    string
		clients []Client
		cellM   float64
	}{
		{"no clients", nil, 100},
		{"no cell size", good, 0},
		{"negative cell size", good, -5},
		{"not a number", good, math.NaN()},
		{"bad place", []Client{{Location: roster.Location{Lat: 95, Lon: 0}, WeeklyHours: 1}}, 100},
		{"no hours", []Client{{Location: roster.Location{Lat: 53, Lon: 0}}}, 100},
		{"far too small cells", []Client{loc(-1.75, 53.79), loc(1.75, 50.79)}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := NewGrid(tc.clients, tc.cellM); err == nil {
				t.Error("want an error")
			}
		})
	}
	_, err := NewGrid([]Client{loc(0, 0), {Location: roster.Location{Lat: 53}, WeeklyHours: -1}}, 100)
	var fe roster.FieldErrors
	if !errors.As(err, &fe) || fe[0].Path != "clients[1].weekly_hours" {
		t.Errorf("want the client's hours named, got %v", err)
	}
}

// TestCellSize checks the automatic grid's rules: the cover holds about
// 40 cells a locality; the cells are fine enough that none holds more
// than 5% of a locality's mean hours (or one and a half times the
// heaviest client), unless at the floor; and the grid spans the cover as
// well as the cells that hold clients and their ring.
func TestCellSize(t *testing.T) {
	clients := clusteredClients(1500, 7)
	total, single := 0.0, 0.0
	for _, c := range clients {
		total += c.WeeklyHours
		single = math.Max(single, c.WeeklyHours)
	}
	for _, k := range []int{4, 10, 35} {
		cover, cell := CoverSize(clients, k), CellSize(clients, k)
		coarse, err := NewGrid(clients, cover)
		if err != nil {
			t.Fatal(err)
		}
		if per := float64(len(coarse.Cells)) / float64(k); per < 30 || per > 60 {
			t.Errorf("k=%d: %.0f m cover, %.1f cells a locality", k, cover, per)
		}
		floor := math.Max(minCellM, cover/maxCoverRatio)
		if cell > cover || cell < floor-1 {
			t.Errorf("k=%d: cell %.0f m outside [%.0f, %.0f]", k, cell, floor, cover)
		}
		g, err := GridFor(clients, k, 0)
		if err != nil {
			t.Fatal(err)
		}
		bound := math.Max(maxCellShare*total/float64(k), 1.5*single)
		for _, c := range g.Cells {
			if c.Hours > bound && cell > floor+1 {
				t.Errorf("k=%d: a cell of %.0f m holds %.0f h, over %.0f h", k, cell, c.Hours, bound)
				break
			}
		}
		plain, err := NewGrid(clients, cell)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range plain.Cells {
			if c.Hours == 0 {
				continue
			}
			for _, d := range hexDirs {
				if _, ok := g.index[hexKey{c.Q + d.q, c.R + d.r}]; !ok {
					t.Fatalf("k=%d: cell %d,%d by clients is not in GridFor's grid", k, c.Q+d.q, c.R+d.r)
				}
			}
		}
		for _, c := range coarse.Cells {
			if c.Hours == 0 {
				continue
			}
			if _, ok := g.index[g.keyOf(orb.Point{c.X, c.Y})]; !ok {
				t.Fatalf("k=%d: the centre of cover cell %d,%d is not in GridFor's grid", k, c.Q, c.R)
			}
		}
		t.Logf("k=%d: cover %.0f m (%d cells), cells %.0f m (%d)", k, cover, len(coarse.Cells), cell, len(g.Cells))
	}
	if CellSize(nil, 5) != 0 || CellSize(clients, 0) != 0 || CoverSize(nil, 5) != 0 {
		t.Error("no clients or no k: want 0")
	}
	if g, err := GridFor(clients, 5, 900); err != nil || g.CellM != 900 {
		t.Errorf("GridFor with a cell size: %v", err)
	}
}

func TestHexRound(t *testing.T) {
	g := &Grid{CellM: 100}
	for q := -3; q <= 3; q++ {
		for r := -3; r <= 3; r++ {
			k := hexKey{q, r}
			c := g.centreXY(k)
			for e := range 6 {
				// Just inside each corner and edge, a point is in its cell.
				a := float64(e)*math.Pi/3 - math.Pi/6
				p := orb.Point{c[0] + 0.99*g.side()*math.Cos(a), c[1] + 0.99*g.side()*math.Sin(a)}
				if got := g.keyOf(p); got != k {
					t.Fatalf("a point near corner %d of %v is in %v", e, k, got)
				}
			}
		}
	}
}
