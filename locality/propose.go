package locality

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"

	"github.com/paulmach/orb"
)

// The defaults of ProposeOptions.
const (
	// DefaultTolerance is how far from the mean a locality's hours may lie
	// for a proposal to count as balanced: ±10%.
	DefaultTolerance = 0.10
	// MinTolerance and MaxTolerance bound the tolerance the CLI and the
	// API take: under 1% few grids can balance, and over 100% balance
	// asks nothing.
	MinTolerance = 0.01
	MaxTolerance = 1.0
	// DefaultSpread weighs the localities' spread, the k-means objective,
	// against balance. The spread is measured against a reference, the
	// spread of the balanced k-means start, so at 1 the whole district's
	// spread counts as much as every locality lying 1/√k off the mean;
	// within 80% of the tolerance, spread therefore comes first, and
	// beyond it balance does (deviations there cost outOfBand times
	// more).
	DefaultSpread = 1.0
	// DefaultMaxPasses bounds the local search.
	DefaultMaxPasses = 500
)

// ProposeOptions steer Propose.
type ProposeOptions struct {
	// Seed makes the draw of seeds, and so the proposal, repeatable.
	Seed uint64
	// Spread is λ, the weight of the spread term; 0 means DefaultSpread
	// and a negative value leaves the term out.
	Spread float64
	// Tolerance is the share of the mean within which every locality's
	// hours must lie for the proposal to be balanced; 0 means
	// DefaultTolerance.
	Tolerance float64
	// MaxPasses bounds the passes of the local search over every cell; 0
	// means DefaultMaxPasses.
	MaxPasses int
}

// Partition is a proposal: every cell of a grid in one of K regions.
type Partition struct {
	Grid *Grid
	K    int
	// Method is "azp" (region growing and local search) or "kmeans".
	Method string
	// Region is each cell's region.
	Region []int
	// Hours are each region's weekly hours.
	Hours []float64
	// Tolerance is the share of the mean hours Balanced was judged by.
	Tolerance float64
	// Balanced is whether every region's hours lie within Tolerance of
	// the mean.
	Balanced bool
	// Passes and Moves are the local search's passes and the cells it
	// moved (Lloyd's iterations for k-means).
	Passes, Moves int
}

// Spread is the hours-weighted root mean square distance of the clients
// from their region's centre of hours, metres: the k-means objective,
// which the travel within localities follows.
func (p *Partition) Spread() float64 {
	k := p.K
	h, sx, sy, sq := make([]float64, k), make([]float64, k), make([]float64, k), make([]float64, k)
	for i := range p.Grid.Clients {
		r, xy, w := p.Region[p.Grid.ClientCell[i]], p.Grid.clientXY(i), p.Grid.Clients[i].WeeklyHours
		h[r] += w
		sx[r] += w * xy[0]
		sy[r] += w * xy[1]
		sq[r] += w * (xy[0]*xy[0] + xy[1]*xy[1])
	}
	total, hours := 0.0, 0.0
	for r := range k {
		total += inertia(h[r], sx[r], sy[r], sq[r])
		hours += h[r]
	}
	if hours == 0 {
		return 0
	}
	return math.Sqrt(total / hours)
}

// Balance is the regions' largest hours over their smallest (+Inf when a
// region holds no hours) and the coefficient of variation of their
// hours.
func (p *Partition) Balance() (maxOverMin, cv float64) {
	lo, hi, sum := math.Inf(1), 0.0, 0.0
	for _, h := range p.Hours {
		lo, hi, sum = math.Min(lo, h), math.Max(hi, h), sum+h
	}
	mean := sum / float64(len(p.Hours))
	ss := 0.0
	for _, h := range p.Hours {
		ss += (h - mean) * (h - mean)
	}
	if lo == 0 {
		maxOverMin = math.Inf(1)
	} else {
		maxOverMin = hi / lo
	}
	return maxOverMin, math.Sqrt(ss/float64(len(p.Hours))) / mean
}

// ClientRegions is the region of each of the grid's clients.
func (p *Partition) ClientRegions() []int {
	out := make([]int, len(p.Grid.ClientCell))
	for i, c := range p.Grid.ClientCell {
		out[i] = p.Region[c]
	}
	return out
}

// Contiguous reports whether region r's cells are one connected piece.
func (p *Partition) Contiguous(r int) bool {
	start, n := -1, 0
	for c, rc := range p.Region {
		if rc == r {
			n++
			if start < 0 {
				start = c
			}
		}
	}
	if n == 0 {
		return false
	}
	return reach(p.Grid, p.Region, start, -1, make([]int, len(p.Region)), 1) == n
}

// reach counts the cells of start's region reachable from start without
// passing through skip, marking them with stamp.
func reach(g *Grid, region []int, start, skip int, mark []int, stamp int) int {
	r := region[start]
	stack := []int{start}
	mark[start] = stamp
	n := 0
	for len(stack) > 0 {
		u := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n++
		for _, v := range g.Cells[u].Neighbours {
			if v >= 0 && v != skip && region[v] == r && mark[v] != stamp {
				mark[v] = stamp
				stack = append(stack, v)
			}
		}
	}
	return n
}

func (p *Partition) judge() {
	p.Hours = make([]float64, p.K)
	for c, r := range p.Region {
		p.Hours[r] += p.Grid.Cells[c].Hours
	}
	mean := p.Grid.Hours / float64(p.K)
	p.Balanced = true
	for _, h := range p.Hours {
		if math.Abs(h-mean) > p.Tolerance*mean {
			p.Balanced = false
		}
	}
}

// checkK refuses a k the grid cannot give k regions with care in each.
func checkK(g *Grid, k int) error {
	if g == nil || len(g.Cells) == 0 {
		return errors.New("no grid to propose localities on")
	}
	if k < 1 {
		return fmt.Errorf("k %d: want at least one locality", k)
	}
	occupied := 0
	for i := range g.Cells {
		if g.Cells[i].Hours > 0 {
			occupied++
		}
	}
	if k > occupied {
		return fmt.Errorf("k %d: only %d cells hold clients; choose fewer localities or smaller cells", k, occupied)
	}
	return nil
}

// seedCells draws k distinct cells holding clients by k-means++: the
// first with chance in proportion to its hours, each next in proportion
// to its hours times its squared distance from the nearest seed so far.
func seedCells(g *Grid, k int, seed uint64) []int {
	rng := rand.New(rand.NewPCG(seed, 0x726f756e6473)) // "rounds"
	d2 := make([]float64, len(g.Cells))
	for i := range d2 {
		d2[i] = 1
	}
	seeds := make([]int, 0, k)
	for len(seeds) < k {
		total := 0.0
		for i := range g.Cells {
			total += g.Cells[i].Hours * d2[i]
		}
		x := rng.Float64() * total
		pick := -1
		for i := range g.Cells {
			w := g.Cells[i].Hours * d2[i]
			if w <= 0 {
				continue
			}
			pick = i
			if x < w {
				break
			}
			x -= w
		}
		seeds = append(seeds, pick)
		for i := range g.Cells {
			dx, dy := g.Cells[i].X-g.Cells[pick].X, g.Cells[i].Y-g.Cells[pick].Y
			d := dx*dx + dy*dy
			if len(seeds) == 1 || d < d2[i] {
				d2[i] = d
			}
		}
	}
	return seeds
}

// Propose divides the grid into k contiguous regions of balanced hours
// whose clients lie close together. It searches from two starts and keeps
// the better: balanced k-means (territories dealt to the nearest k-means
// centre with room for them, its regions then made whole),
// and regions grown from k-means++ seeds (the lightest region always
// takes a neighbouring cell). From each, a local search in the spirit of
// AZP moves cells on a border to the neighbouring region, never
// splitting the region a cell leaves, and recombination redraws the
// border of two neighbouring regions along a spanning tree, while that
// lowers the objective: the squared deviation of the regions' hours from
// the mean, steeply more beyond 80% of the tolerance, plus λ times the
// regions' hours-weighted spread about their centres (the k-means
// objective, which the travel within a locality follows).
func Propose(g *Grid, k int, opts ProposeOptions) (*Partition, error) {
	if err := checkK(g, k); err != nil {
		return nil, err
	}
	if opts.Tolerance == 0 {
		opts.Tolerance = DefaultTolerance
	}
	if opts.Spread == 0 {
		opts.Spread = DefaultSpread
	}
	if opts.Spread < 0 {
		opts.Spread = 0
	}
	if opts.MaxPasses <= 0 {
		opts.MaxPasses = DefaultMaxPasses
	}
	if !(opts.Tolerance > 0) {
		return nil, fmt.Errorf("tolerance %g: want a positive share of the mean", opts.Tolerance)
	}
	cx, cy, _ := lloyd(g, k, opts.Seed)
	t := newTerritories(g)
	starts := []func(s *search) error{
		func(s *search) error { return s.balancedStart(cx, cy) },
		func(s *search) error { return s.grow(seedCells(g, k, opts.Seed)) },
	}
	var best *search
	var err error
	for i, start := range starts {
		// Aim inside the tolerance, so that what the search reaches is
		// within it.
		s := newSearch(g, t, k, opts.Spread, searchBand*opts.Tolerance, cx, cy)
		if e := start(s); e != nil {
			err = e
			continue
		}
		rng := rand.New(rand.NewPCG(opts.Seed, 0x7265636f6d+uint64(i))) // "recom"
		s.settle(opts.MaxPasses, rng)
		if best == nil || s.objective() < best.objective() {
			best = s
		}
	}
	if best == nil {
		return nil, err
	}
	p := &Partition{Grid: g, K: k, Method: "azp", Region: best.cellRegions(), Tolerance: opts.Tolerance, Passes: best.passes, Moves: best.moves}
	p.judge()
	return p, nil
}

// settle improves the regions by moves of single territories, then by
// recombining neighbouring regions, in turn, until neither improves.
func (s *search) settle(maxPasses int, rng *rand.Rand) {
	s.improve(maxPasses)
	for range 20 {
		if !s.recombineAll(rng, 50) {
			break
		}
		s.improve(maxPasses)
	}
}

// objective is the sum of the regions' costs.
func (s *search) objective() float64 {
	c := 0.0
	for r := range s.k {
		c += s.regionCost(r)
	}
	return c
}

// territories are the units the search moves: each cell holding clients
// with the empty cells nearer to it than to any other such cell (in steps
// across the grid). Every territory holds care, so every move changes the
// balance, and territories that touch across empty ground are
// neighbours: hours can flow between areas that empty ground separates.
type territories struct {
	of    []int   // the territory of each cell
	cells [][]int // the cells of each territory
	adj   [][]int // the territories each touches
	// Per territory: hours, and the weight of its cells (their hours and
	// a little for each cell, so that shapes stay compact across empty
	// ground) with its first and second moments.
	h, w, sx, sy, sq []float64
	// home is the cell holding clients each territory grew from.
	home []int
}

func newTerritories(g *Grid) *territories {
	// Each cell carries a tenth of a mean cell's hours of weight.
	eps := 0.1 * g.Hours / float64(len(g.Cells))
	t := &territories{of: make([]int, len(g.Cells))}
	queue := make([]int, 0, len(g.Cells))
	for c := range g.Cells {
		t.of[c] = -1
		if g.Cells[c].Hours > 0 {
			t.of[c] = len(t.home)
			t.home = append(t.home, c)
			queue = append(queue, c)
		}
	}
	for i := 0; i < len(queue); i++ {
		u := queue[i]
		for _, v := range g.Cells[u].Neighbours {
			if v >= 0 && t.of[v] < 0 {
				t.of[v] = t.of[u]
				queue = append(queue, v)
			}
		}
	}
	n := len(t.home)
	t.cells = make([][]int, n)
	t.h, t.w, t.sx, t.sy, t.sq = make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for c := range g.Cells {
		u := t.of[c]
		cell := &g.Cells[c]
		w := cell.Hours + eps
		t.cells[u] = append(t.cells[u], c)
		t.h[u] += cell.Hours
		t.w[u] += w
		t.sx[u] += w * cell.X
		t.sy[u] += w * cell.Y
		t.sq[u] += w * (cell.X*cell.X + cell.Y*cell.Y)
	}
	t.adj = make([][]int, n)
	for u, cs := range t.cells {
		seen := map[int]bool{u: true}
		for _, c := range cs {
			for _, v := range g.Cells[c].Neighbours {
				if v >= 0 && !seen[t.of[v]] {
					seen[t.of[v]] = true
					t.adj[u] = append(t.adj[u], t.of[v])
				}
			}
		}
		sort.Ints(t.adj[u])
	}
	return t
}

// search is the mutable state of region growing and local search over
// territories.
type search struct {
	g      *Grid
	t      *territories
	k      int
	region []int // the region of each territory
	lambda float64
	// Per region: hours, weight and its first and second moments, and
	// territories.
	h, w, sx, sy, sq []float64
	n                []int
	mean             float64
	// ref is the spread the spread term is measured against.
	ref float64
	// band is the deviation from the mean beyond which a region's hours
	// cost outOfBand times more: within it, spread may trade with
	// balance; beyond it, balance comes first.
	band float64
	// inBand weighs the squared deviation within the band: 1 at the
	// default band, less as the band widens, (default band / band)², so
	// that a commissioner who allows a wider band gets localities that
	// use it to follow the towns rather than ones that stay as balanced
	// as the default's.
	inBand float64
	mark   []int
	stamp  int
	// passes and moves count the local search's passes and the
	// territories it moved.
	passes, moves int
}

// searchBand is the share of the tolerance the search keeps to, so that
// the proposal lands inside the tolerance with room to spare.
const searchBand = 0.8

// outOfBand weighs deviations beyond the band.
const outOfBand = 1000

// newSearch starts a search with every territory free. The reference
// spread is that of the territories each given to the nearest of the
// centres (cx, cy): the k-means regions.
func newSearch(g *Grid, t *territories, k int, lambda, band float64, cx, cy []float64) *search {
	s := &search{g: g, t: t, k: k, region: make([]int, len(t.home)), lambda: lambda,
		h: make([]float64, k), w: make([]float64, k), sx: make([]float64, k), sy: make([]float64, k), sq: make([]float64, k),
		n: make([]int, k), mark: make([]int, len(t.home))}
	w, sx, sy, sq := make([]float64, k), make([]float64, k), make([]float64, k), make([]float64, k)
	for u := range s.region {
		r := nearestCentre(t.sx[u]/t.w[u], t.sy[u]/t.w[u], cx, cy)
		w[r], sx[r], sy[r], sq[r] = w[r]+t.w[u], sx[r]+t.sx[u], sy[r]+t.sy[u], sq[r]+t.sq[u]
		s.region[u] = -1
	}
	for r := range k {
		s.ref += inertia(w[r], sx[r], sy[r], sq[r])
	}
	if !(s.ref > 0) {
		s.ref = 1 // every region a point: nothing to spread
	}
	s.mean = g.Hours / float64(k)
	s.band = band
	s.inBand = 1
	if def := searchBand * DefaultTolerance; band > def {
		s.inBand = (def / band) * (def / band)
	}
	return s
}

// inertia is the moment of inertia about their centre of points of total
// weight w with weighted first moments sx, sy and second moment sq.
func inertia(w, sx, sy, sq float64) float64 {
	if w <= 0 {
		return 0
	}
	return math.Max(0, sq-(sx*sx+sy*sy)/w)
}

// nearestCentre is the index of the centre nearest (x, y).
func nearestCentre(x, y float64, cx, cy []float64) int {
	best, bestD := 0, math.Inf(1)
	for r := range cx {
		dx, dy := x-cx[r], y-cy[r]
		if d := dx*dx + dy*dy; d < bestD {
			best, bestD = r, d
		}
	}
	return best
}

func (s *search) add(u, r int, sign float64) {
	t := s.t
	s.h[r] += sign * t.h[u]
	s.w[r] += sign * t.w[u]
	s.sx[r] += sign * t.sx[u]
	s.sy[r] += sign * t.sy[u]
	s.sq[r] += sign * t.sq[u]
	s.n[r] += int(sign)
}

// cellRegions is the region of each cell.
func (s *search) cellRegions() []int {
	out := make([]int, len(s.g.Cells))
	for c, u := range s.t.of {
		out[c] = s.region[u]
	}
	return out
}

// grow assigns every territory: the lightest region that can still grow
// takes the neighbouring free territory nearest its centre.
func (s *search) grow(seeds []int) error {
	t := s.t
	frontier := make([][]int, s.k)
	take := func(u, r int) {
		s.region[u] = r
		s.add(u, r, 1)
		for _, v := range t.adj[u] {
			if s.region[v] < 0 {
				frontier[r] = append(frontier[r], v)
			}
		}
	}
	for r, c := range seeds {
		take(t.of[c], r)
	}
	stuck := make([]bool, s.k)
	free := len(t.home) - s.k
	for free > 0 {
		r := -1
		for q := 0; q < s.k; q++ {
			if !stuck[q] && (r < 0 || s.w[q] < s.w[r]) {
				r = q
			}
		}
		if r < 0 {
			// Every region is walled in: only a grid in pieces does this,
			// and NewGrid joins its pieces.
			return fmt.Errorf("%d areas cannot be reached from any region: the grid is not connected", free)
		}
		cx, cy := s.sx[r]/s.w[r], s.sy[r]/s.w[r]
		best, bestD := -1, math.Inf(1)
		live := frontier[r][:0]
		for _, u := range frontier[r] {
			if s.region[u] >= 0 {
				continue
			}
			live = append(live, u)
			dx, dy := t.sx[u]/t.w[u]-cx, t.sy[u]/t.w[u]-cy
			if d := dx*dx + dy*dy; d < bestD || d == bestD && u < best {
				best, bestD = u, d
			}
		}
		frontier[r] = live
		if best < 0 {
			stuck[r] = true
			continue
		}
		take(best, r)
		free--
	}
	return nil
}

// cost is a region's share of the objective given its sums: the squared
// deviation of its hours from the mean, priced relative to the band
// (inBand), outOfBand times more beyond it, and λ times its weighted
// moment of inertia about its centre over the reference spread.
func (s *search) cost(h, w, sx, sy, sq float64) float64 {
	dev := (h - s.mean) / s.mean
	c := dev * dev * s.inBand
	if over := math.Abs(dev) - s.band; over > 0 {
		c += outOfBand * over * over
	}
	if s.lambda > 0 {
		c += s.lambda * inertia(w, sx, sy, sq) / s.ref
	}
	return c
}

func (s *search) regionCost(r int) float64 {
	return s.cost(s.h[r], s.w[r], s.sx[r], s.sy[r], s.sq[r])
}

// delta is the change in the objective of moving territory u from region
// a to region b.
func (s *search) delta(u, a, b int) float64 {
	t := s.t
	h, w, x, y, q := t.h[u], t.w[u], t.sx[u], t.sy[u], t.sq[u]
	before := s.regionCost(a) + s.regionCost(b)
	after := s.cost(s.h[a]-h, s.w[a]-w, s.sx[a]-x, s.sy[a]-y, s.sq[a]-q) +
		s.cost(s.h[b]+h, s.w[b]+w, s.sx[b]+x, s.sy[b]+y, s.sq[b]+q)
	return after - before
}

// joinCost is the change in the objective of giving free territory u to
// region b.
func (s *search) joinCost(u, b int) float64 {
	t := s.t
	return s.cost(s.h[b]+t.h[u], s.w[b]+t.w[u], s.sx[b]+t.sx[u], s.sy[b]+t.sy[u], s.sq[b]+t.sq[u]) - s.regionCost(b)
}

// keepsWhole reports whether territory u's region stays in one piece
// without it.
func (s *search) keepsWhole(u int) bool {
	a := s.region[u]
	first, inA := -1, 0
	for _, v := range s.t.adj[u] {
		if s.region[v] == a {
			inA++
			if first < 0 {
				first = v
			}
		}
	}
	switch {
	case first < 0:
		return false
	case inA == 1:
		return true // a leaf
	}
	s.stamp++
	stack := []int{first}
	s.mark[first] = s.stamp
	seen := 0
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		seen++
		for _, v := range s.t.adj[x] {
			if v != u && s.region[v] == a && s.mark[v] != s.stamp {
				s.mark[v] = s.stamp
				stack = append(stack, v)
			}
		}
	}
	return seen == s.n[a]-1
}

// improve moves territories on borders between regions while a move
// lowers the objective, pass after pass, until a pass moves none.
func (s *search) improve(maxPasses int) {
	const tiny = 1e-12
	for range maxPasses {
		s.passes++
		moved := 0
		for u := range s.region {
			a := s.region[u]
			if s.n[a] <= 1 {
				continue
			}
			best, bestB := -tiny, -1
			for _, v := range s.t.adj[u] {
				b := s.region[v]
				if b == a || b == bestB {
					continue
				}
				if d := s.delta(u, a, b); d < best {
					best, bestB = d, b
				}
			}
			if bestB < 0 || !s.keepsWhole(u) {
				continue
			}
			s.add(u, a, -1)
			s.region[u] = bestB
			s.add(u, bestB, 1)
			moved++
		}
		s.moves += moved
		if moved == 0 {
			return
		}
	}
}

// KMeans is the baseline: Lloyd's algorithm on the clients weighted by
// their hours, from the same k-means++ seeds as Propose; each cell then
// goes to the nearest centre, so the regions are unions of cells too,
// though not always contiguous.
func KMeans(g *Grid, k int, seed uint64) (*Partition, error) {
	if err := checkK(g, k); err != nil {
		return nil, err
	}
	cx, cy, iters := lloyd(g, k, seed)
	p := &Partition{Grid: g, K: k, Method: "kmeans", Region: make([]int, len(g.Cells)), Tolerance: DefaultTolerance, Passes: iters}
	for c := range g.Cells {
		p.Region[c] = nearestCentre(g.Cells[c].X, g.Cells[c].Y, cx, cy)
	}
	p.judge()
	return p, nil
}

// lloyd is k-means of the clients weighted by their hours, from
// k-means++ seeds: the centres and the iterations it took.
func lloyd(g *Grid, k int, seed uint64) (cx, cy []float64, iters int) {
	cx, cy = make([]float64, k), make([]float64, k)
	for r, c := range seedCells(g, k, seed) {
		cx[r], cy[r] = g.Cells[c].X, g.Cells[c].Y
	}
	xy := make([]orb.Point, len(g.Clients))
	for i := range g.Clients {
		xy[i] = g.clientXY(i)
	}
	assign := make([]int, len(xy))
	for i := range assign {
		assign[i] = -1
	}
	w, sx, sy := make([]float64, k), make([]float64, k), make([]float64, k)
	for ; iters < 300; iters++ {
		changed := false
		for i, p := range xy {
			if r := nearestCentre(p[0], p[1], cx, cy); r != assign[i] {
				assign[i], changed = r, true
			}
		}
		if !changed {
			break
		}
		clear(w)
		clear(sx)
		clear(sy)
		for i, p := range xy {
			h := g.Clients[i].WeeklyHours
			w[assign[i]] += h
			sx[assign[i]] += h * p[0]
			sy[assign[i]] += h * p[1]
		}
		for r := range k {
			if w[r] > 0 {
				cx[r], cy[r] = sx[r]/w[r], sy[r]/w[r]
			}
		}
	}
	return cx, cy, iters
}

// balancedStart gives every territory a region by balanced k-means: of
// all pairs of a territory and a centre, nearest first, the territory
// goes to the centre's region while that region has room for it below
// the mean hours; a territory with no room anywhere goes to the region
// with the fewest hours. The centres then move to their regions' centres of
// hours, and the territories are dealt again, a few times over.
// Territories cut off from the rest of their region are then handed to a
// neighbour.
func (s *search) balancedStart(cx, cy []float64) error {
	t, k := s.t, s.k
	n := len(t.home)
	px, py := make([]float64, n), make([]float64, n)
	for u := range px {
		px[u], py[u] = t.sx[u]/t.w[u], t.sy[u]/t.w[u]
	}
	cx, cy = slices.Clone(cx), slices.Clone(cy)
	type pair struct {
		d    float64
		u, r int32
	}
	pairs := make([]pair, 0, n*k)
	assign := make([]int, n)
	hours, sx, sy := make([]float64, k), make([]float64, k), make([]float64, k)
	for round := range balancedRounds {
		if round > 0 {
			for r := range k {
				if hours[r] > 0 {
					cx[r], cy[r] = sx[r]/hours[r], sy[r]/hours[r]
				}
			}
		}
		pairs = pairs[:0]
		for u := range n {
			assign[u] = -1
			for r := range k {
				dx, dy := px[u]-cx[r], py[u]-cy[r]
				pairs = append(pairs, pair{dx*dx + dy*dy, int32(u), int32(r)})
			}
		}
		slices.SortFunc(pairs, func(a, b pair) int {
			switch {
			case a.d < b.d:
				return -1
			case a.d > b.d:
				return 1
			case a.u != b.u:
				return int(a.u - b.u)
			}
			return int(a.r - b.r)
		})
		clear(hours)
		clear(sx)
		clear(sy)
		take := func(u, r int) {
			assign[u] = r
			hours[r] += t.h[u]
			sx[r] += t.h[u] * px[u]
			sy[r] += t.h[u] * py[u]
		}
		for _, p := range pairs {
			u, r := int(p.u), int(p.r)
			if assign[u] < 0 && hours[r]+t.h[u] <= s.mean {
				take(u, r)
			}
		}
		for u := range n {
			if assign[u] < 0 {
				take(u, slices.Index(hours, slices.Min(hours)))
			}
		}
	}
	for u, r := range assign {
		s.region[u] = r
		s.add(u, r, 1)
	}
	return s.repair()
}

// balancedRounds is how many times balancedStart deals the territories.
const balancedRounds = 8

// repair makes every region one piece: of each region's pieces it keeps
// the one holding the most hours and hands the territories of the others,
// nearest the kept pieces first, to the neighbouring region whose cost
// rises least.
func (s *search) repair() error {
	t := s.t
	n := len(t.home)
	piece := make([]int, n)
	for u := range piece {
		piece[u] = -1
	}
	var pieceHours []float64
	keep := make([]int, s.k)
	for r := range keep {
		keep[r] = -1
	}
	for u0 := range n {
		if piece[u0] >= 0 {
			continue
		}
		id, r := len(pieceHours), s.region[u0]
		piece[u0] = id
		h := 0.0
		for stack := []int{u0}; len(stack) > 0; {
			u := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			h += t.h[u]
			for _, v := range t.adj[u] {
				if piece[v] < 0 && s.region[v] == r {
					piece[v] = id
					stack = append(stack, v)
				}
			}
		}
		pieceHours = append(pieceHours, h)
		if keep[r] < 0 || h > pieceHours[keep[r]] {
			keep[r] = id
		}
	}
	var free []int
	for u := range n {
		if r := s.region[u]; piece[u] != keep[r] {
			s.add(u, r, -1)
			s.region[u] = -1
			free = append(free, u)
		}
	}
	for len(free) > 0 {
		rest := free[:0]
		for _, u := range free {
			best, bestD := -1, math.Inf(1)
			for _, v := range t.adj[u] {
				if b := s.region[v]; b >= 0 {
					if d := s.joinCost(u, b); d < bestD || d == bestD && b < best {
						best, bestD = b, d
					}
				}
			}
			if best < 0 {
				rest = append(rest, u)
				continue
			}
			s.region[u] = best
			s.add(u, best, 1)
		}
		if len(rest) == len(free) {
			return fmt.Errorf("%d areas cannot be reached from any region: the grid is not connected", len(rest))
		}
		free = rest
	}
	for r := range s.k {
		if s.n[r] == 0 {
			return fmt.Errorf("balanced k-means left locality %d empty", r+1)
		}
	}
	return nil
}

// Outlines are the regions as boundaries, named "L01", "L02" and so on:
// each region's outline is its cells' edges with another region or none
// on the other side, chained into rings (anticlockwise outer rings,
// clockwise holes) whose corners neighbouring regions share exactly.
func (p *Partition) Outlines() *Boundaries {
	g := p.Grid
	names := make([]string, p.K)
	shapes := make([]orb.MultiPolygon, p.K)
	for r := range names {
		names[r] = fmt.Sprintf("L%02d", r+1)
	}
	type edge struct{ from, to [2]int }
	edges := make([][]edge, p.K)
	for c := range g.Cells {
		r := p.Region[c]
		k := hexKey{g.Cells[c].Q, g.Cells[c].R}
		for e, v := range g.Cells[c].Neighbours {
			if v < 0 || p.Region[v] != r {
				edges[r] = append(edges[r], edge{cornerOf(k, e), cornerOf(k, (e+1)%6)})
			}
		}
	}
	for r := range shapes {
		// In a hexagonal grid three cells meet at a corner, so a region's
		// border leaves each corner by at most one edge.
		next := make(map[[2]int][2]int, len(edges[r]))
		for _, e := range edges[r] {
			next[e.from] = e.to
		}
		type lring struct {
			pts  [][2]int
			area float64
		}
		var shells, holes []lring
		for _, e := range edges[r] {
			if _, ok := next[e.from]; !ok {
				continue
			}
			var pts [][2]int
			for v := e.from; ; {
				pts = append(pts, v)
				to := next[v]
				delete(next, v)
				v = to
				if v == e.from {
					break
				}
			}
			pts = append(pts, e.from)
			a := 0.0
			for i := 1; i < len(pts); i++ {
				a += float64(pts[i-1][0]*pts[i][1] - pts[i][0]*pts[i-1][1])
			}
			if a > 0 {
				shells = append(shells, lring{pts, a})
			} else {
				holes = append(holes, lring{pts, a})
			}
		}
		toRing := func(pts [][2]int) orb.Ring {
			ring := make(orb.Ring, len(pts))
			for i, v := range pts {
				ring[i] = g.cornerLonLat(v)
			}
			ring[len(ring)-1] = ring[0]
			return ring
		}
		mp := make(orb.MultiPolygon, len(shells))
		for i, sh := range shells {
			mp[i] = orb.Polygon{toRing(sh.pts)}
		}
		for _, h := range holes {
			// The hole belongs to the smallest outer ring around it.
			best, bestA := -1, math.Inf(1)
			pt := orb.Point{float64(h.pts[0][0]), float64(h.pts[0][1])}
			for i, sh := range shells {
				ring := make(orb.Ring, len(sh.pts))
				for j, v := range sh.pts {
					ring[j] = orb.Point{float64(v[0]), float64(v[1])}
				}
				if sh.area < bestA && newShapeIndex(orb.MultiPolygon{{ring}}).locate(pt) == inside {
					best, bestA = i, sh.area
				}
			}
			if best >= 0 {
				mp[best] = append(mp[best], toRing(h.pts))
			}
		}
		shapes[r] = mp
	}
	return newBoundaries(names, shapes)
}

// recombine merges regions a and b and splits them again along the edge
// of a random spanning tree of their territories that gives the lowest
// objective, trying a few trees; it keeps the split when it lowers the
// objective. Both parts are contiguous, being the two sides of a tree.
// This is the "recombination" step of districting by spanning trees; it
// moves hours across a chain of regions that single moves cannot, such as
// out of a region walled in by one neighbour.
//
// It reports the two regions' costs after the split it keeps.
func (s *search) recombine(a, b int, rng *rand.Rand, trees int) (after float64, kept bool) {
	t := s.t
	var us []int
	local := map[int]int{}
	for u, r := range s.region {
		if r == a || r == b {
			local[u] = len(us)
			us = append(us, u)
		}
	}
	n := len(us)
	if n < 2 {
		return 0, false
	}
	type edge struct{ x, y int }
	var edges []edge
	for i, u := range us {
		for _, v := range t.adj[u] {
			if j, ok := local[v]; ok && i < j {
				edges = append(edges, edge{i, j})
			}
		}
	}
	old := s.regionCost(a) + s.regionCost(b)
	total := [5]float64{s.h[a] + s.h[b], s.w[a] + s.w[b], s.sx[a] + s.sx[b], s.sy[a] + s.sy[b], s.sq[a] + s.sq[b]}
	bestCost, bestSide := old-1e-12, []bool(nil)
	uf := make([]int, n)
	find := func(i int) int {
		for uf[i] != i {
			uf[i] = uf[uf[i]]
			i = uf[i]
		}
		return i
	}
	tree := make([][]int, n)
	sums := make([][5]float64, n)
	parent := make([]int, n)
	order := make([]int, 0, n)
	for range trees {
		rng.Shuffle(len(edges), func(i, j int) { edges[i], edges[j] = edges[j], edges[i] })
		for i := range uf {
			uf[i] = i
			tree[i] = tree[i][:0]
		}
		for _, e := range edges {
			if x, y := find(e.x), find(e.y); x != y {
				uf[x] = y
				tree[e.x] = append(tree[e.x], e.y)
				tree[e.y] = append(tree[e.y], e.x)
			}
		}
		order = append(order[:0], 0)
		parent[0] = -1
		for i := 0; i < len(order); i++ {
			x := order[i]
			for _, y := range tree[x] {
				if y != parent[x] {
					parent[y] = x
					order = append(order, y)
				}
			}
		}
		if len(order) < n {
			return 0, false // the two regions do not touch
		}
		for i := range sums {
			u := us[i]
			sums[i] = [5]float64{t.h[u], t.w[u], t.sx[u], t.sy[u], t.sq[u]}
		}
		best := -1
		for i := n - 1; i > 0; i-- {
			x := order[i]
			in := sums[x]
			if in[0] > 0 && total[0]-in[0] > 0 {
				c := s.cost(in[0], in[1], in[2], in[3], in[4]) +
					s.cost(total[0]-in[0], total[1]-in[1], total[2]-in[2], total[3]-in[3], total[4]-in[4])
				if c < bestCost {
					bestCost, best = c, x
				}
			}
			p := parent[x]
			for f := range in {
				sums[p][f] += in[f]
			}
		}
		if best >= 0 {
			// The cut's side: best's subtree.
			side := make([]bool, n)
			side[best] = true
			for _, x := range order {
				if parent[x] >= 0 && side[parent[x]] {
					side[x] = true
				}
			}
			bestSide = side
		}
	}
	if bestSide == nil {
		return 0, false
	}
	for i, u := range us {
		s.add(u, s.region[u], -1)
		r := b
		if bestSide[i] {
			r = a
		}
		s.region[u] = r
		s.add(u, r, 1)
	}
	return bestCost, true
}

// recombineAll tries recombining every pair of neighbouring regions,
// round after round, until a round improves none; it reports whether any
// did.
func (s *search) recombineAll(rng *rand.Rand, maxRounds int) bool {
	any := false
	for range maxRounds {
		pairs := map[[2]int]bool{}
		var list [][2]int
		for u, a := range s.region {
			for _, v := range s.t.adj[u] {
				if b := s.region[v]; a < b && !pairs[[2]int{a, b}] {
					pairs[[2]int{a, b}] = true
					list = append(list, [2]int{a, b})
				}
			}
		}
		sort.Slice(list, func(i, j int) bool {
			if list[i][0] != list[j][0] {
				return list[i][0] < list[j][0]
			}
			return list[i][1] < list[j][1]
		})
		improved := false
		for _, p := range list {
			if _, kept := s.recombine(p[0], p[1], rng, 4); kept {
				improved = true
			}
		}
		if !improved {
			break
		}
		any = true
	}
	return any
}

// ProposeBy proposes k localities by a method as the CLI and the API name
// it: "azp" is Propose (region growing and local search), any other the
// k-means baseline, judged for balance by the same tolerance.
func ProposeBy(g *Grid, k int, method string, opts ProposeOptions) (*Partition, error) {
	if method == "azp" {
		return Propose(g, k, opts)
	}
	p, err := KMeans(g, k, opts.Seed)
	if err != nil || opts.Tolerance == 0 {
		return p, err
	}
	if !(opts.Tolerance > 0) {
		return nil, fmt.Errorf("tolerance %g: want a positive share of the mean", opts.Tolerance)
	}
	p.Tolerance = opts.Tolerance
	p.judge()
	return p, nil
}

// A Proposal is one proposal of a run over methods and bands of hours,
// as the CLI and the API make them.
type Proposal struct {
	Method string
	// Tolerance is the band of hours region growing keeps to, and the one
	// k-means is judged by.
	Tolerance float64
	// Banded says that the run asked for several bands, so that the name
	// carries this one's.
	Banded bool
}

// Proposals lists what a run proposes for each k: region growing once a
// band, any other method (k-means) once, judged by the first band.
func Proposals(methods []string, tolerances []float64) []Proposal {
	var out []Proposal
	for _, m := range methods {
		if m != "azp" {
			out = append(out, Proposal{Method: m, Tolerance: tolerances[0]})
			continue
		}
		for _, t := range tolerances {
			out = append(out, Proposal{Method: m, Tolerance: t, Banded: len(tolerances) > 1})
		}
	}
	return out
}

// Name names the proposal of k localities: k06-azp, k06-kmeans, or
// k06-azp-t30 for region growing within ±30% in a run of several bands.
func (p Proposal) Name(k int) string {
	if p.Banded {
		return fmt.Sprintf("k%02d-%s-t%s", k, p.Method, Percent(p.Tolerance))
	}
	return fmt.Sprintf("k%02d-%s", k, p.Method)
}

// Group names the proposals that answers over k are given for: the
// method, with its band in a run of several bands.
func (p Proposal) Group() string {
	if p.Banded {
		return fmt.Sprintf("%s ±%s%%", p.Method, Percent(p.Tolerance))
	}
	return p.Method
}

// Percent writes a share as a percentage to a tenth of a point at most,
// without trailing zeros: 0.07 is "7", not "7.000000000000001", and
// 0.125 is "12.5".
func Percent(share float64) string {
	return strconv.FormatFloat(math.Round(1000*share)/10, 'f', -1, 64)
}
