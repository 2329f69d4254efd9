package optimiser

import (
	"fmt"

	"github.com/rounds-dev/rounds/roster"
)

// window is an interval of allowed start times in seconds, ends included.
type window struct{ open, close int32 }

// visitInfo is what the search needs of a visit.
type visitInfo struct {
	pt       int32 // point index of the client's home
	client   int32
	durS     int32
	wins     []window
	soft     bool
	lateCost float64 // objective cost of one second late
	priority int
	load     int32
	legs     []int32 // task ids
	job      int32
	seqs     []int32 // indices into problem.seqs
	day      int32   // the day of the period it falls on
	care     int32   // its recurring call (roster.Expanded.VisitSeries: a care entry or a series of dated visits), -1 for none
	// pinned: its start stays where the schedule puts it when a round is
	// compressed, as a tied visit's does, because the call-time spread cap
	// measures it (see compress).
	pinned bool
}

// task is one leg of a visit: one carer's part of it.
type task struct {
	visit int32
	job   int32
}

// job is what is inserted and removed as a whole: the legs of one visit, or
// of several visits tied by simultaneous dependencies, all starting at one
// moment on different carers' rounds.
type job struct {
	tasks    []int32
	visits   []int32
	priority int
}

// seqCons ties two visits' starts: start(b)-start(a) in [min, max]; max < 0
// means no upper bound. a and b are the first legs of the visits.
type seqCons struct {
	a, b     int32
	min, max int32
	distinct bool // the two visits need different carers
}

// vehicle is one round: a carer in one shift.
type vehicle struct {
	carer          int32
	shift          int32
	startPt, endPt int32
	mode           int
	open, close    int32
	capacity       int32 // 0: no limit
	legCapS        int32 // longest leg the carer may be given; noLegCap: no limit
	day            int32 // the day of the period the shift falls on
}

// carerInfo holds the day-level rules of a carer.
type carerInfo struct {
	maxWorkS  int32 // 0: no cap
	breakAftS int32 // 0: no break rule
	breakDurS int32
	legCapS   int32 // longest leg the carer may be given; noLegCap: no limit
	vehicles  []int32
	// dayFrom[d] is the index in vehicles of the carer's first round slot
	// on day d or after; vehicles[dayFrom[d]:dayFrom[d+1]] are day d's.
	dayFrom []int32
	// weekCapS[w] is the most paid time the carer may have in week w of
	// the period (the 48-hour week unless opted out, and the contract's
	// max_hours pro-rated, as roster.Check counts them); -1: no cap.
	weekCapS []int64
	// weekMinS and weekTargetS[w] are the contract's minimum and target
	// paid time in week w (contractWeeks), -1 where it gives none; nil for
	// a carer whose contract gives neither.
	weekMinS, weekTargetS []int64
}

// problem is the frozen, index-based form of an instance that the search
// reads in its hot paths.
type problem struct {
	in       *roster.Instance
	w        Weights
	eval     *evaluator // the objective's terms
	rules    []carerRule
	nPts     int
	modes    []roster.Mode
	dur      [][]int32 // per mode index, nPts*nPts seconds
	dist     [][]int32
	visits   []visitInfo
	tasks    []task
	jobs     []job
	seqs     []seqCons
	vehicles []vehicle
	carers   []carerInfo
	// allowed[v*nCarers+c]: carer c is qualified for visit v and can reach
	// it by legs within their maximum leg (see limitReach).
	allowed []bool
	// prefCost[v*nCarers+c]: objective cost of carer c serving visit v.
	prefCost []float64
	nCarers  int

	// The period (docs/DESIGN-week.md, section 7): a one-day document is a
	// period of one day.
	days        int
	dayStart    []int32 // instant each day starts; dayStart[days] the period's end
	horizon     int32   // no visit starts after it
	dailyRestS  int32   // rules.min_daily_rest_h; 0: no rule
	weeklyRestS int32   // rules.min_weekly_rest_h; 0: no rule
	clientCap   []int32 // per client, the distinct carers it may see; 0: no cap
	// clientVisits lists each client's visits, for the client rules and
	// terms; nil when no client has a cap and no term reads it.
	clientVisits [][]int32
	spreadCapS   int32     // rules.call_time_spread_max_min in seconds; -1: no cap
	careVisits   [][]int32 // per recurring call (visit.care), its visits day by day
	wall         wallClock // instants as wall-clock time of day
	// startsCosted: a client term reads visits' starts (callSpreadTerm),
	// so a client is costed again when a start of theirs moves, not only
	// when a leg changes carer.
	startsCosted bool
	dates        []string // each day's date, YYYY-MM-DD; nil for a one-day document
	// weekRules are the rules over a carer's whole period that can bind
	// (bindingWeekRules).
	weekRules []weekRule
	// capped: some client has a cap on distinct carers (clientCap);
	// tightCap: a cap of one or two, which whole-client moves serve
	// (insert_client.go, ruin_carers.go).
	capped, tightCap bool
	// noWait: rules.no_waiting, each visit starts on its carer's arrival
	// and each round leaves at its shift's opening (see forward, compress).
	noWait bool
	// frozenJob marks the jobs a freeze fixes (freeze.go), which no ruin
	// takes out; nil without a freeze.
	frozenJob []bool
	// pinnedJob marks the jobs of pinned visits (pins.go), inserted
	// first; nil without pins.
	pinnedJob []bool
	// byHand: the problem times a rota arranged by hand (evaluate.go),
	// which breaks rules rather than being refused: without waiting
	// (noWait), a visit reached early waits instead.
	byHand bool
}

// unservedPenalty is the cost of leaving one unit of priority unserved. It
// dwarfs any day's travel, lateness and carers so that serving visits comes
// first.
const unservedPenalty = 1e9

func newProblem(in *roster.Instance, travel roster.Travel, w Weights) (*problem, error) {
	return newPeriodProblem(in, nil, travel, w)
}

// newPeriodProblem freezes instance in, which is x.Instance when x is the
// expansion of a period document and a one-day document (x nil) as it is.
func newPeriodProblem(in *roster.Instance, x *roster.Expanded, travel roster.Travel, w Weights) (*problem, error) {
	ix := roster.NewIndex(in)
	p := &problem{in: in, w: w, rules: carerRules(), nCarers: len(in.Carers)}
	p.setPeriod(x)
	pts := in.Points()
	p.nPts = len(pts)
	modeIdx := map[roster.Mode]int{}
	for _, c := range in.Carers {
		if _, ok := modeIdx[c.Mode]; !ok {
			modeIdx[c.Mode] = len(p.modes)
			p.modes = append(p.modes, c.Mode)
		}
	}
	n := p.nPts
	for _, m := range p.modes {
		if dt, ok := travel.(denseTravel); ok {
			if dn, d, di, ok := dt.Dense(m); ok && dn == n && len(d) == n*n && len(di) == n*n && nonNegative(d) && nonNegative(di) {
				p.dur = append(p.dur, d)
				p.dist = append(p.dist, di)
				continue
			}
		}
		d := make([]int32, n*n)
		di := make([]int32, n*n)
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				s, m := travel.Leg(m, i, j)
				if s < 0 || m < 0 {
					return nil, fmt.Errorf("optimiser: travel from point %d to %d is negative", i, j)
				}
				d[i*n+j], di[i*n+j] = int32(s), int32(m)
			}
		}
		p.dur = append(p.dur, d)
		p.dist = append(p.dist, di)
	}

	// Vehicles and carers.
	p.carers = make([]carerInfo, len(in.Carers))
	for k := range in.Carers {
		c := &in.Carers[k]
		ci := &p.carers[k]
		ci.maxWorkS = int32(c.MaxWorkingMin * 60)
		ci.legCapS = noLegCap
		if lim := c.MaxLegS(); lim > 0 {
			ci.legCapS = int32(lim)
		}
		if c.Break != nil {
			ci.breakAftS = int32(c.Break.AfterWorkingMin * 60)
			ci.breakDurS = int32(c.Break.DurationMin * 60)
		}
		ci.dayFrom = make([]int32, p.days+1)
		for s, sh := range c.Shifts {
			day := int32(0)
			if x != nil {
				day = int32(x.ShiftDay[k][s])
			}
			ci.vehicles = append(ci.vehicles, int32(len(p.vehicles)))
			p.vehicles = append(p.vehicles, vehicle{
				carer: int32(k), shift: int32(s),
				startPt: int32(in.CarerStartPoint(k)), endPt: int32(in.CarerEndPoint(k)),
				mode: modeIdx[c.Mode], open: int32(sh.Start), close: int32(sh.End), capacity: int32(c.Capacity),
				legCapS: ci.legCapS, day: day,
			})
		}
		for d := 0; d <= p.days; d++ {
			n := int32(0)
			for _, v := range ci.vehicles {
				if int(p.vehicles[v].day) < d {
					n++
				}
			}
			ci.dayFrom[d] = n
		}
		ci.weekCapS = p.weekCaps(c)
		p.contractWeeks(k, c.Contract)
	}
	p.weekRules = p.bindingWeekRules()

	// Visits, qualification and preference costs.
	p.visits = make([]visitInfo, len(in.Visits))
	p.allowed = make([]bool, len(in.Visits)*p.nCarers)
	p.prefCost = make([]float64, len(in.Visits)*p.nCarers)
	for i := range in.Visits {
		v := &in.Visits[i]
		ci, ok := ix.Client[v.Client]
		if !ok {
			return nil, fmt.Errorf("optimiser: visits[%d].client: unknown client %q", i, v.Client)
		}
		cl := &in.Clients[ci]
		vi := &p.visits[i]
		vi.pt = int32(in.ClientPoint(ci))
		vi.client = int32(ci)
		vi.durS = int32(v.DurationS())
		vi.soft = v.IsSoft()
		vi.lateCost = w.Lateness * v.LatenessCostPerMin() / 60
		vi.priority = v.PriorityWeight()
		vi.load = int32(v.Load)
		for _, win := range v.Windows {
			vi.wins = append(vi.wins, window{int32(win.Start), int32(win.End)})
		}
		vi.care = -1
		if x != nil {
			vi.day, vi.care = int32(x.VisitDay[i]), int32(x.VisitSeries[i])
		}
		vi.pinned = vi.care >= 0 && p.spreadCapS >= 0
		for k := range in.Carers {
			c := &in.Carers[k]
			p.allowed[i*p.nCarers+k] = qualified(c, v, &cl.Preferences)
			p.prefCost[i*p.nCarers+k] = preferenceCost(&w, c, &cl.Preferences)
		}
	}
	p.limitReach()
	p.clientRules(x)
	p.eval = newEvaluator(w, p.periodTerms()...)

	// Jobs: visits joined by simultaneous dependencies (union-find).
	parent := make([]int, len(in.Visits))
	for i := range parent {
		parent[i] = i
	}
	find := func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for di, d := range in.Dependencies {
		a, okA := ix.Visit[d.First]
		b, okB := ix.Visit[d.Second]
		if !okA || !okB {
			return nil, fmt.Errorf("optimiser: dependencies[%d]: unknown visit", di)
		}
		if d.Type == roster.Simultaneous {
			parent[find(a)] = find(b)
		}
	}
	jobOf := map[int]int32{}
	for i := range in.Visits {
		r := find(i)
		j, ok := jobOf[r]
		if !ok {
			j = int32(len(p.jobs))
			jobOf[r] = j
			p.jobs = append(p.jobs, job{})
		}
		jb := &p.jobs[j]
		jb.visits = append(jb.visits, int32(i))
		jb.priority += p.visits[i].priority
		p.visits[i].job = j
		for l := 0; l < in.Visits[i].CarersNeeded(); l++ {
			t := int32(len(p.tasks))
			p.tasks = append(p.tasks, task{visit: int32(i), job: j})
			p.visits[i].legs = append(p.visits[i].legs, t)
			jb.tasks = append(jb.tasks, t)
		}
	}
	for _, d := range in.Dependencies {
		if d.Type != roster.Sequential {
			continue
		}
		a, b := ix.Visit[d.First], ix.Visit[d.Second]
		sc := seqCons{a: p.visits[a].legs[0], b: p.visits[b].legs[0], min: int32(d.MinGapMin * 60), max: -1, distinct: d.DistinctCarers}
		if d.MaxGapMin != nil {
			sc.max = int32(*d.MaxGapMin * 60)
		}
		k := int32(len(p.seqs))
		p.seqs = append(p.seqs, sc)
		p.visits[a].seqs = append(p.visits[a].seqs, k)
		p.visits[b].seqs = append(p.visits[b].seqs, k)
	}
	return p, nil
}

// denseTravel is travel held as row-major matrices, which the problem
// reads in place instead of copying (geo.Matrices is one).
type denseTravel interface {
	Dense(mode roster.Mode) (n int, durS, distM []int32, ok bool)
}

func nonNegative(xs []int32) bool {
	for _, x := range xs {
		if x < 0 {
			return false
		}
	}
	return true
}

// qualified reports whether carer c may serve visit v of a client with
// preferences pr: the hard rules only.
func qualified(c *roster.Carer, v *roster.Visit, pr *roster.Preferences) bool {
	if !hasSkills(c, v.RequiredSkills) {
		return false
	}
	if pr.CarerGender != "" && c.Gender != pr.CarerGender {
		return false
	}
	return !pr.Excludes(c.ID)
}

// travel returns the seconds from point a to b for vehicle v.
func (p *problem) travel(v *vehicle, a, b int32) int32 {
	return p.dur[v.mode][int(a)*p.nPts+int(b)]
}

// distance returns the metres from point a to b for vehicle v.
func (p *problem) distance(v *vehicle, a, b int32) int32 {
	return p.dist[v.mode][int(a)*p.nPts+int(b)]
}

// linked reports whether task t's start is tied to another task's.
func (p *problem) linked(t int32) bool {
	tk := &p.tasks[t]
	return len(p.jobs[tk.job].tasks) > 1 || len(p.visits[tk.visit].seqs) > 0
}

// earliestStart returns the first allowed start of visit vi at or after t:
// inside a window, waiting for the next window when between them. A soft
// visit past its last window starts at t (late); a hard one cannot start.
func (vi *visitInfo) earliestStart(t int32) (int32, bool) {
	for _, w := range vi.wins {
		if t <= w.close {
			if t < w.open {
				return w.open, true
			}
			return t, true
		}
	}
	return t, vi.soft
}

// lateness is how long after its last window closed visit vi starts at s.
func (vi *visitInfo) lateness(s int32) int32 {
	last := vi.wins[len(vi.wins)-1].close
	if s > last {
		return s - last
	}
	return 0
}

// windowClose returns the close of the window a start s falls in, so that a
// visit can move later without leaving it; a late soft start cannot move.
func (vi *visitInfo) windowClose(s int32) int32 {
	for _, w := range vi.wins {
		if s >= w.open && s <= w.close {
			return w.close
		}
	}
	return s
}
