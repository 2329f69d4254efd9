package optimiser

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

// noisyTravel is travel with a random, one-way time for every pair of
// points, so that the graphs of legs within a limit have one-way edges and
// components of every size.
type noisyTravel struct {
	n   int
	dur []int
}

func newNoisyTravel(rng *rand.Rand, n int) noisyTravel {
	t := noisyTravel{n: n, dur: make([]int, n*n)}
	for i := range t.dur {
		if i/n != i%n {
			t.dur[i] = 60 * (1 + rng.IntN(40))
		}
	}
	return t
}

func (t noisyTravel) Leg(_ roster.Mode, from, to int) (int, int) {
	d := t.dur[from*t.n+to]
	return d, d * 10
}

// reachByBreadthFirst is the definition of roster.ReasonBeyondMaxLeg
// searched directly: carer k reaches point pt when a path of legs within
// their limit, through visit locations, leads from their start to pt and
// one from pt to their end.
func reachByBreadthFirst(in *roster.Instance, travel roster.Travel, k, pt int) bool {
	c := &in.Carers[k]
	limit := c.MaxLegS()
	if limit == 0 {
		return true
	}
	ix := roster.NewIndex(in)
	var pts []int
	seen := map[int]bool{}
	for _, v := range in.Visits {
		if p := in.ClientPoint(ix.Client[v.Client]); !seen[p] {
			seen[p] = true
			pts = append(pts, p)
		}
	}
	leg := func(a, b int) bool { d, _ := travel.Leg(c.Mode, a, b); return d <= limit }
	search := func(from int, forward bool) map[int]bool {
		got := map[int]bool{}
		queue := []int{from}
		for len(queue) > 0 {
			a := queue[0]
			queue = queue[1:]
			for _, b := range pts {
				if !got[b] && ((forward && leg(a, b)) || (!forward && leg(b, a))) {
					got[b] = true
					queue = append(queue, b)
				}
			}
		}
		return got
	}
	return search(in.CarerStartPoint(k), true)[pt] && search(in.CarerEndPoint(k), false)[pt]
}

// TestLimitReachMatchesDefinition: the components and closures that
// limitReach works with allow exactly the carers that a plain search of
// the definition finds within reach, on random one-way travel.
func TestLimitReachMatchesDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	checked := 0
	for day := range 60 {
		in := &roster.Instance{}
		nClients := 1 + rng.IntN(25)
		for i := range nClients {
			in.Clients = append(in.Clients, roster.Client{ID: fmt.Sprintf("C%d", i)})
		}
		for k := range 1 + rng.IntN(5) {
			c := roster.Carer{ID: fmt.Sprintf("K%d", k), Mode: roster.Modes[rng.IntN(len(roster.Modes))],
				MaxLegMin: rng.IntN(15), Shifts: []roster.Shift{{Start: 7 * 3600, End: 15 * 3600}}}
			if rng.IntN(3) == 0 {
				c.Skills = []string{"hoist"}
			}
			in.Carers = append(in.Carers, c)
		}
		for i := range 1 + rng.IntN(30) {
			v := roster.Visit{ID: fmt.Sprintf("V%d", i), Client: in.Clients[rng.IntN(nClients)].ID, DurationMin: 30,
				Windows: []roster.Window{{Start: 8 * 3600, End: 12 * 3600}}}
			if rng.IntN(4) == 0 {
				v.RequiredSkills = []string{"hoist"}
			}
			in.Visits = append(in.Visits, v)
		}
		travel := newNoisyTravel(rng, len(in.Clients)+2*len(in.Carers))
		p, err := newProblem(in, travel, DefaultWeights)
		if err != nil {
			t.Fatal(err)
		}
		for i := range in.Visits {
			v := &in.Visits[i]
			for k := range in.Carers {
				want := qualified(&in.Carers[k], v, &in.Clients[p.visits[i].client].Preferences) &&
					reachByBreadthFirst(in, travel, k, int(p.visits[i].pt))
				if got := p.allowed[i*p.nCarers+k]; got != want {
					t.Fatalf("day %d: carer %s for visit %s allowed %v, want %v", day, in.Carers[k].ID, v.ID, got, want)
				}
				checked++
			}
		}
	}
	t.Logf("%d carer-visit pairs agree", checked)
}

// TestRuinKeepsLegsWithinLimits: on the locality day with every carer held
// to 10 minutes a leg, construction gives no leg over the limit, and no
// ruin leaves one, though taking visits out of a round joins their
// neighbours with longer legs.
func TestRuinKeepsLegsWithinLimits(t *testing.T) {
	in := readDay(t, "../testdata/locality_day.json")
	for k := range in.Carers {
		in.Carers[k].MaxLegMin = 10
	}
	r, s := constructed(t, in)
	p := r.p
	limited := 0
	for v := range s.routes {
		if p.vehicles[v].legCapS != noLegCap && len(s.routes[v]) > 0 {
			limited++
		}
		if k := s.overLongLeg(v); k >= 0 {
			t.Fatalf("construction left round %d with a leg over its limit, to task %d", v, k)
		}
	}
	if limited == 0 {
		t.Fatal("no round has a maximum leg; the test exercises nothing")
	}
	rng := rand.New(rand.NewPCG(7, 8))
	rn := newRuiner(p, r.tri.near, rng)
	saved := s.clone()
	// Taking out each served job alone: where that joins two visits with
	// a leg over the limit, the ruiner takes out the later one too.
	joined := 0
	for j := range p.jobs {
		if !s.assigned(int32(j)) {
			continue
		}
		rn.removed, rn.cut = rn.removed[:0], rn.cut[:0]
		clear(rn.mark)
		rn.remove(s, int32(j))
		over := false
		for _, v := range rn.cut {
			over = over || s.overLongLeg(int(v)) >= 0
		}
		if over {
			joined++
		}
		rn.keepLegsWithin(s)
		for v := range s.routes {
			if k := s.overLongLeg(v); k >= 0 {
				t.Fatalf("taking out job %d left round %d with a leg over its limit, to task %d", j, v, k)
			}
		}
		s.copyFrom(saved)
	}
	if joined == 0 {
		t.Fatal("no removal joined two visits with a leg over the limit; the test exercises nothing")
	}
	t.Logf("%d removals joined two visits with a leg over the limit", joined)
	// Whole ruins, by every operator.
	for it := range 300 {
		removed := rn.ruin(s, 1+rng.IntN(12))
		for v := range s.routes {
			if k := s.overLongLeg(v); k >= 0 {
				t.Fatalf("ruin %d left round %d with a leg over its limit, to task %d", it, v, k)
			}
		}
		for _, j := range removed {
			if s.assigned(j) {
				t.Fatalf("ruin %d reports job %d removed, but it is still served", it, j)
			}
		}
		s.copyFrom(saved)
	}
}

// TestSeedTrimsLongLegs: seeding rounds that hold a leg over the carer's
// limit takes out the visit at its end, and keeps the rest.
func TestSeedTrimsLongLegs(t *testing.T) {
	shift := []roster.Shift{{Start: 7 * 3600, End: 15 * 3600}}
	in := &roster.Instance{
		Carers: []roster.Carer{{ID: "wal", Mode: roster.Walk, MaxLegMin: 20, Shifts: shift}},
		Clients: []roster.Client{
			{ID: "N", Location: roster.Location{Lat: 53.8, Lon: -1.9}},
			{ID: "X", Location: roster.Location{Lat: 53.8, Lon: -1.9}},
		},
		Visits: []roster.Visit{
			{ID: "VN1", Client: "N", DurationMin: 30, Windows: []roster.Window{{Start: 8 * 3600, End: 9 * 3600}}},
			{ID: "VX", Client: "X", DurationMin: 30, Windows: []roster.Window{{Start: 9 * 3600, End: 12 * 3600}}},
			{ID: "VN2", Client: "N", DurationMin: 30, Windows: []roster.Window{{Start: 12 * 3600, End: 13 * 3600}}},
		},
	}
	// N is 5 minutes from the carer's home and X an hour from anywhere.
	travel := noisyTravel{n: 4, dur: []int{
		0, 3600, 300, 300,
		3600, 0, 3600, 3600,
		300, 3600, 0, 0,
		300, 3600, 0, 0,
	}}
	p, err := newProblem(in, travel, DefaultWeights)
	if err != nil {
		t.Fatal(err)
	}
	s := newSolution(p)
	if !s.seed([][]int32{{p.visits[0].legs[0], p.visits[1].legs[0], p.visits[2].legs[0]}}) {
		t.Fatal("the rounds without VX could not be timed")
	}
	want := []int32{p.visits[0].legs[0], p.visits[2].legs[0]}
	if got := s.routes[0]; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("round %v, want %v (VN1 and VN2)", got, want)
	}
}
