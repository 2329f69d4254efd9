package locality

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

// clusteredClients is a district shaped like a northern town: n clients,
// four in five in a few dense centres of a few hundred metres, the rest
// scattered thinly over about 20 by 14 km, with 5 to 25 hours a week
// each.
func clusteredClients(n int, seed uint64) []Client {
	rng := rand.New(rand.NewPCG(seed, 1))
	const lat0, lon0 = 53.79, -1.75
	mPerLat := earthRadiusM * math.Pi / 180
	mPerLon := mPerLat * math.Cos(lat0*math.Pi/180)
	type centre struct{ x, y, sd float64 }
	centres := []centre{{0, 0, 900}, {-5000, 2500, 500}, {4500, 3000, 400}, {3000, -3500, 600},
		{-3000, -4000, 350}, {7000, -500, 300}, {-7500, -1000, 450}, {500, 5000, 300}}
	out := make([]Client, n)
	for i := range out {
		var x, y float64
		if rng.Float64() < 0.8 {
			c := centres[rng.IntN(len(centres))]
			x, y = c.x+rng.NormFloat64()*c.sd, c.y+rng.NormFloat64()*c.sd
		} else {
			x, y = (rng.Float64()-0.5)*20000, (rng.Float64()-0.5)*14000
		}
		out[i] = Client{
			ID:          fmt.Sprintf("c%04d", i),
			Location:    roster.Location{Lat: lat0 + y/mPerLat, Lon: lon0 + x/mPerLon},
			WeeklyHours: 5 + math.Round(rng.Float64()*20),
			Bands:       []Band{Morning, Bed},
		}
	}
	return out
}

func gridFor(t testing.TB, clients []Client, k int) *Grid {
	t.Helper()
	g, err := GridFor(clients, k, 0)
	if err != nil {
		t.Fatalf("NewGrid: %v", err)
	}
	return g
}

// TestProposeContiguousAndBalanced checks, for the sizes commissioners
// buy in, that every proposed region is one piece, that every cell is in
// a region, and that Propose balances hours better than k-means.
func TestProposeContiguousAndBalanced(t *testing.T) {
	clients := clusteredClients(1500, 7)
	for _, k := range []int{6, 10, 35} {
		t.Run(fmt.Sprint("k=", k), func(t *testing.T) {
			g := gridFor(t, clients, k)
			p, err := Propose(g, k, ProposeOptions{Seed: 1})
			if err != nil {
				t.Fatalf("Propose: %v", err)
			}
			km, err := KMeans(g, k, 1)
			if err != nil {
				t.Fatalf("KMeans: %v", err)
			}
			for r := 0; r < k; r++ {
				if !p.Contiguous(r) {
					t.Errorf("region %d is in pieces", r)
				}
				if p.Hours[r] <= 0 {
					t.Errorf("region %d holds no care", r)
				}
			}
			total := 0.0
			for _, h := range p.Hours {
				total += h
			}
			if math.Abs(total-g.Hours) > 1e-6 {
				t.Errorf("regions hold %.1f h, grid %.1f h", total, g.Hours)
			}
			pmm, pcv := p.Balance()
			kmm, kcv := km.Balance()
			ppp, kpp := meanPP(p.Outlines()), meanPP(km.Outlines())
			t.Logf("k=%d cells=%d cell=%.0fm: propose max/min %.3f cv %.3f PP %.3f spread %.0f m balanced %v (passes %d moves %d); kmeans max/min %.3f cv %.3f PP %.3f spread %.0f m",
				k, len(g.Cells), g.CellM, pmm, pcv, ppp, p.Spread(), p.Balanced, p.Passes, p.Moves, kmm, kcv, kpp, km.Spread())
			if pmm >= kmm {
				t.Errorf("propose max/min %.3f does not beat k-means %.3f", pmm, kmm)
			}
			if !p.Balanced {
				t.Errorf("propose is not within ±%.0f%% of the mean: %v", 100*p.Tolerance, p.Hours)
			}
		})
	}
}

func meanPP(b *Boundaries) float64 {
	s := 0.0
	for _, v := range b.Compactness() {
		s += v
	}
	return s / float64(b.Len())
}

// TestOutlinesRoundTrip checks that a proposal's outlines pass
// ReadBoundaries' own checks after a trip through GeoJSON, and that
// allocating the clients to them puts each in their own region.
func TestOutlinesRoundTrip(t *testing.T) {
	clients := clusteredClients(800, 3)
	for _, k := range []int{5, 12} {
		g := gridFor(t, clients, k)
		for _, method := range []string{"azp", "kmeans"} {
			t.Run(fmt.Sprintf("%s k=%d", method, k), func(t *testing.T) {
				var p *Partition
				var err error
				if method == "azp" {
					p, err = Propose(g, k, ProposeOptions{Seed: 5})
				} else {
					p, err = KMeans(g, k, 5)
				}
				if err != nil {
					t.Fatal(err)
				}
				var buf bytes.Buffer
				if err := p.Outlines().WriteGeoJSON(&buf, nil); err != nil {
					t.Fatal(err)
				}
				b, err := ReadBoundaries(&buf)
				if err != nil {
					t.Fatalf("outlines fail their own checks: %v", err)
				}
				by, un := b.Allocate(clients)
				if len(un) > 0 {
					t.Fatalf("%d clients in no outline, first %d", len(un), un[0])
				}
				want := p.ClientRegions()
				for r, cs := range by {
					for _, c := range cs {
						if want[c] != r {
							t.Errorf("client %d allocated to %s, proposed in region %d", c, b.Names[r], want[c])
						}
					}
				}
			})
		}
	}
}

func TestProposeDeterministic(t *testing.T) {
	clients := clusteredClients(600, 11)
	g := gridFor(t, clients, 8)
	a, err := Propose(g, 8, ProposeOptions{Seed: 42})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Propose(g, 8, ProposeOptions{Seed: 42})
	c, _ := Propose(g, 8, ProposeOptions{Seed: 43})
	if fmt.Sprint(a.Region) != fmt.Sprint(b.Region) {
		t.Error("the same seed gave two proposals")
	}
	if fmt.Sprint(a.Region) == fmt.Sprint(c.Region) {
		t.Error("another seed gave the same proposal; is the seed used?")
	}
	g2 := gridFor(t, clients, 8)
	d, _ := KMeans(g, 8, 42)
	e, _ := KMeans(g2, 8, 42)
	if fmt.Sprint(d.Region) != fmt.Sprint(e.Region) {
		t.Error("k-means: the same seed on the same clients gave two proposals")
	}
}

func TestProposeRefuses(t *testing.T) {
	clients := clusteredClients(50, 2)
	g := gridFor(t, clients, 2)
	for _, tc := range []struct {
		name string
		k    int
		opts ProposeOptions
	}{
		{"no localities", 0, ProposeOptions{}},
		{"more localities than cells with clients", 10000, ProposeOptions{}},
		{"negative tolerance", 2, ProposeOptions{Tolerance: -0.1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Propose(g, tc.k, tc.opts); err == nil {
				t.Error("want an error")
			}
		})
	}
	if _, err := KMeans(g, 0, 1); err == nil {
		t.Error("k-means with k 0: want an error")
	}
	if _, err := Propose(nil, 2, ProposeOptions{}); err == nil {
		t.Error("no grid: want an error")
	}
}

// TestProposeOneLocality is the degenerate case: every cell in one
// region, exactly balanced.
func TestProposeOneLocality(t *testing.T) {
	clients := clusteredClients(100, 4)
	g := gridFor(t, clients, 1)
	p, err := Propose(g, 1, ProposeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !p.Balanced || !p.Contiguous(0) || math.Abs(p.Hours[0]-g.Hours) > 1e-9 {
		t.Errorf("one locality: balanced %v contiguous %v hours %v of %v", p.Balanced, p.Contiguous(0), p.Hours[0], g.Hours)
	}
}

// TestKeepsWhole checks the donor-contiguity rule against a plain
// search over the region's territories: keepsWhole says a territory may
// leave exactly when the rest of its region stays in one piece.
func TestKeepsWhole(t *testing.T) {
	clients := clusteredClients(300, 9)
	g := gridFor(t, clients, 6)
	p, err := KMeans(g, 6, 2)
	if err != nil {
		t.Fatal(err)
	}
	cx, cy, _ := lloyd(g, 6, 2)
	s := newSearch(g, newTerritories(g), 6, 0, 0.1, cx, cy)
	for u, c := range s.t.home {
		s.region[u] = p.Region[c]
		s.add(u, s.region[u], 1)
	}
	pieces := func(a, skip int) int {
		seen := map[int]bool{}
		n := 0
		for u := range s.region {
			if s.region[u] != a || u == skip || seen[u] {
				continue
			}
			n++
			stack := []int{u}
			seen[u] = true
			for len(stack) > 0 {
				x := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				for _, v := range s.t.adj[x] {
					if v != skip && s.region[v] == a && !seen[v] {
						seen[v] = true
						stack = append(stack, v)
					}
				}
			}
		}
		return n
	}
	checked := 0
	for u := range s.region {
		a := s.region[u]
		if s.n[a] <= 1 || pieces(a, -1) != 1 {
			continue
		}
		checked++
		if got, want := s.keepsWhole(u), pieces(a, u) == 1; got != want {
			t.Fatalf("territory %d: keepsWhole %v, search says %v", u, got, want)
		}
	}
	if checked == 0 {
		t.Fatal("no territory checked")
	}
}

func BenchmarkPropose1500k35(b *testing.B) {
	clients := clusteredClients(1500, 7)
	b.ReportAllocs()
	for b.Loop() {
		g, err := GridFor(clients, 35, 0)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Propose(g, 35, ProposeOptions{Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkKMeans1500k35(b *testing.B) {
	clients := clusteredClients(1500, 7)
	g, err := GridFor(clients, 35, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := KMeans(g, 35, 1); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOutlines1500k35(b *testing.B) {
	clients := clusteredClients(1500, 7)
	g, err := GridFor(clients, 35, 0)
	if err != nil {
		b.Fatal(err)
	}
	p, err := Propose(g, 35, ProposeOptions{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		p.Outlines()
	}
}

// TestSearchCostsAgree checks the search's incremental costs against the
// objective computed afresh: delta for single moves, and a kept
// recombination's own account of the two regions' costs.
func TestSearchCostsAgree(t *testing.T) {
	clients := clusteredClients(400, 11)
	g := gridFor(t, clients, 6)
	cx, cy, _ := lloyd(g, 6, 3)
	s := newSearch(g, newTerritories(g), 6, 1, 0.08, cx, cy)
	if err := s.balancedStart(cx, cy); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	checked := 0
	for range 300 {
		u := rng.IntN(len(s.region))
		a := s.region[u]
		for _, v := range s.t.adj[u] {
			b := s.region[v]
			if b == a || s.n[a] <= 1 {
				continue
			}
			before := s.objective()
			d := s.delta(u, a, b)
			s.add(u, a, -1)
			s.region[u] = b
			s.add(u, b, 1)
			if got := s.objective() - before; math.Abs(got-d) > 1e-9*math.Max(1, math.Abs(before)) {
				t.Fatalf("moving %d from %d to %d: delta %.12g, objective changed by %.12g", u, a, b, d, got)
			}
			checked++
			break
		}
	}
	kept := 0
	for range 30 {
		a, b := rng.IntN(6), rng.IntN(6)
		if a == b {
			continue
		}
		before, pairBefore := s.objective(), pairCost(s, a, b)
		if want, ok := s.recombine(a, b, rng, 4); ok {
			kept++
			after, pair := s.objective(), pairCost(s, a, b)
			if after >= before {
				t.Fatalf("recombining %d and %d: objective %.9g, was %.9g", a, b, after, before)
			}
			if math.Abs(pair-want) > 1e-9 || math.Abs((after-before)-(pair-pairBefore)) > 1e-9 {
				t.Fatalf("recombining %d and %d: the pair costs %.12g, recombine said %.12g", a, b, pair, want)
			}
		}
	}
	if checked == 0 || kept == 0 {
		t.Fatalf("checked %d moves and kept %d recombinations: want some of each", checked, kept)
	}
}

// pairCost is regions a and b's costs, computed afresh.
func pairCost(s *search, a, b int) float64 {
	return s.regionCost(a) + s.regionCost(b)
}

// TestProposeByTolerance: a band of hours given to ProposeBy binds region
// growing and judges k-means; none given is the default band.
func TestProposeByTolerance(t *testing.T) {
	g := gridFor(t, clusteredClients(300, 9), 6)
	for _, m := range []string{"azp", "kmeans"} {
		wide, err := ProposeBy(g, 6, m, ProposeOptions{Seed: 3, Tolerance: 1})
		if err != nil {
			t.Fatal(err)
		}
		def, err := ProposeBy(g, 6, m, ProposeOptions{Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		if wide.Tolerance != 1 || def.Tolerance != DefaultTolerance {
			t.Errorf("%s: tolerances %v and %v, want 1 and %v", m, wide.Tolerance, def.Tolerance, DefaultTolerance)
		}
		// Within ±100% of the mean every region is balanced, since none
		// can hold twice the mean when all hold some.
		mean := g.Hours / 6
		for r, h := range wide.Hours {
			if ok := math.Abs(h-mean) <= mean; ok != wide.Balanced && !ok {
				t.Errorf("%s: region %d holds %.0f h against a mean of %.0f, yet judged balanced", m, r, h, mean)
			}
		}
		if m == "azp" && !def.Balanced {
			t.Errorf("azp within the default band: not balanced, hours %v", def.Hours)
		}
	}
	if _, err := ProposeBy(g, 6, "kmeans", ProposeOptions{Seed: 3, Tolerance: -1}); err == nil {
		t.Error("a negative tolerance was taken")
	}
	// A wider band is used: the localities follow the clients more closely
	// (less spread) and are less balanced than within the default band,
	// while keeping to their own band.
	def, err := Propose(g, 6, ProposeOptions{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	wide, err := Propose(g, 6, ProposeOptions{Seed: 3, Tolerance: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	ratio := slices.Max(wide.Hours) / slices.Min(wide.Hours)
	if !wide.Balanced || wide.Spread() >= def.Spread() || ratio < 1.5 {
		t.Errorf("within ±50%%: balanced %v, max/min hours %.2f, spread %.0f m against %.0f m within the default band", wide.Balanced, ratio, wide.Spread(), def.Spread())
	}
	t.Logf("spread %.0f m within ±10%%, %.0f m within ±50%%; hours %v and %v", def.Spread(), wide.Spread(), def.Hours, wide.Hours)
}

// TestProposals checks the proposals of a run: region growing once a
// band, k-means once judged by the first, named by band only when there
// are several.
func TestProposals(t *testing.T) {
	one := Proposals([]string{"azp", "kmeans"}, []float64{0.1})
	if len(one) != 2 || one[0].Name(6) != "k06-azp" || one[1].Name(6) != "k06-kmeans" || one[0].Group() != "azp" {
		t.Errorf("one band: %+v", one)
	}
	bands := Proposals([]string{"azp", "kmeans"}, []float64{0.3, 1})
	var names, groups []string
	for _, p := range bands {
		names, groups = append(names, p.Name(10)), append(groups, p.Group())
	}
	if want := []string{"k10-azp-t30", "k10-azp-t100", "k10-kmeans"}; !slices.Equal(names, want) {
		t.Errorf("names %q, want %q", names, want)
	}
	if want := []string{"azp ±30%", "azp ±100%", "kmeans"}; !slices.Equal(groups, want) {
		t.Errorf("groups %q, want %q", groups, want)
	}
	if bands[2].Tolerance != 0.3 {
		t.Errorf("k-means judged by %v, want the first band", bands[2].Tolerance)
	}
	// Shares whose percentage is not exact in binary are named cleanly.
	odd := Proposals([]string{"azp"}, []float64{0.07, 0.125, 0.29})
	for i, want := range []string{"k06-azp-t7", "k06-azp-t12.5", "k06-azp-t29"} {
		if got := odd[i].Name(6); got != want {
			t.Errorf("band %v: named %q, want %q", odd[i].Tolerance, got, want)
		}
	}
	if got := odd[0].Group(); got != "azp ±7%" {
		t.Errorf("group %q, want %q", got, "azp ±7%")
	}
}
