package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/rounds-dev/rounds/roster"
)

// Config says what kind of day to generate. Start from DefaultConfig: Generate
// fills in Visits, Centre, RadiusKM and Date when they are left at zero, but
// takes DoubleShare and WalkShare as given, so that 0 means none.
type Config struct {
	// Seed picks the day; the same Config always gives the same day.
	Seed int64
	// Visits is the number of visits the day holds; 0 means DefaultVisits.
	Visits int
	// Carers is the number of carers; 0 chooses enough for the demand
	// (about one for every six visits when 40% are double-handed).
	Carers int
	// DoubleShare is the share of visits that are double-handed, from 0
	// to 1.
	DoubleShare float64
	// WalkShare is the share of carers who walk between visits, from 0 to 1.
	WalkShare float64
	// Centre is the town centre; the zero location means Keighley.
	Centre roster.Location
	// RadiusKM is how far the town reaches from its centre; 0 means
	// DefaultRadiusKM.
	RadiusKM float64
	// Date is the planning day, YYYY-MM-DD; empty means DefaultDate.
	Date string
	// Habitable, when set, says whether a home may stand at a place, e.g.
	// near a street of a real map. Each home is drawn again until it says
	// yes, up to MaxHomeDraws times; nil takes every draw.
	Habitable func(roster.Location) bool
}

// MaxHomeDraws is how often a home is drawn again when Habitable turns it
// down before Generate gives up.
const MaxHomeDraws = 500

// The defaults of DefaultConfig.
const (
	// DefaultVisits is a mid-sized locality's day.
	DefaultVisits = 150
	// DefaultDoubleShare is close to the 44% of visits Bradford found
	// double-handed.
	DefaultDoubleShare = 0.4
	// DefaultWalkShare is the share of carers who do not drive.
	DefaultWalkShare = 0.3
	// DefaultRadiusKM is a small town's reach.
	DefaultRadiusKM = 3.0
	// DefaultDate is a Tuesday in late November.
	DefaultDate = "2026-11-24"
	// TimeZone is the zone of every generated day.
	TimeZone = "Europe/London"
)

// Limits of the values Generate accepts.
const (
	// MaxVisits is the most visits of one generated day, a large district's.
	MaxVisits = 5000
	// MaxCarers is the most carers of one generated day.
	MaxCarers = 2000
	// MaxRadiusKM is the widest generated locality.
	MaxRadiusKM = 50.0
)

// Keighley is the centre of the default town, a West Yorkshire market town
// in the Bradford district.
var Keighley = roster.Location{Lat: 53.8679, Lon: -1.9064}

// DefaultConfig returns the default day: 150 visits in Keighley, 40%
// double-handed, 30% of carers walking, carers chosen for the demand, seed 1.
func DefaultConfig() Config {
	return Config{
		Seed:        1,
		Visits:      DefaultVisits,
		DoubleShare: DefaultDoubleShare,
		WalkShare:   DefaultWalkShare,
		Centre:      Keighley,
		RadiusKM:    DefaultRadiusKM,
		Date:        DefaultDate,
	}
}

// resolve fills in the defaults of zero fields and checks the rest.
func (cfg Config) resolve() (Config, error) {
	if cfg.Visits == 0 {
		cfg.Visits = DefaultVisits
	}
	if cfg.Centre == (roster.Location{}) {
		cfg.Centre = Keighley
	}
	if cfg.RadiusKM == 0 {
		cfg.RadiusKM = DefaultRadiusKM
	}
	if cfg.Date == "" {
		cfg.Date = DefaultDate
	}
	switch {
	case cfg.Visits < 0 || cfg.Visits > MaxVisits:
		return cfg, fmt.Errorf("synth: visits: must be from 1 to %d, got %d", MaxVisits, cfg.Visits)
	case cfg.Carers < 0 || cfg.Carers > MaxCarers:
		return cfg, fmt.Errorf("synth: carers: must be from 0 (chosen for the demand) to %d, got %d", MaxCarers, cfg.Carers)
	case !(cfg.DoubleShare >= 0 && cfg.DoubleShare <= 1):
		return cfg, fmt.Errorf("synth: double share: must be from 0 to 1, got %v", cfg.DoubleShare)
	case !(cfg.WalkShare >= 0 && cfg.WalkShare <= 1):
		return cfg, fmt.Errorf("synth: walk share: must be from 0 to 1, got %v", cfg.WalkShare)
	case !(cfg.RadiusKM > 0 && cfg.RadiusKM <= MaxRadiusKM):
		return cfg, fmt.Errorf("synth: radius: must be more than 0 and at most %v km, got %v", MaxRadiusKM, cfg.RadiusKM)
	case !(math.Abs(cfg.Centre.Lat) <= 80) || !(math.Abs(cfg.Centre.Lon) <= 180):
		return cfg, fmt.Errorf("synth: centre: want a latitude within ±80 and a longitude within ±180, got %v,%v", cfg.Centre.Lat, cfg.Centre.Lon)
	case cfg.Carers == 1 && cfg.DoubleShare > 0:
		return cfg, fmt.Errorf("synth: carers: double-handed visits need at least 2 carers, got 1")
	}
	if _, err := time.Parse(time.DateOnly, cfg.Date); err != nil || len(cfg.Date) != len(time.DateOnly) {
		return cfg, fmt.Errorf("synth: date: want a date as YYYY-MM-DD, got %q", cfg.Date)
	}
	return cfg, nil
}

// Generate makes a synthetic locality day. It is deterministic: the same
// Config always gives the same day. The only errors are about the Config.
//
// With Carers at 0 the day is servable (see the package documentation).
// With Carers set, the carers' shifts and skills are still fitted to the
// demand as well as that many carers allow; too few carers give a day that
// cannot all be served, which is sometimes what a test wants.
func Generate(cfg Config) (*roster.Instance, error) {
	cfg, err := cfg.resolve()
	if err != nil {
		return nil, err
	}
	g := &generator{
		cfg: cfg,
		r:   newRand(cfg.Seed),
	}
	g.layOutTown()
	g.makeDemand()
	g.makeCarers()
	g.fitSkills()
	g.makePreferences()
	if g.err != nil {
		return nil, g.err
	}
	return g.instance(), nil
}

// generator holds a day while it is made.
type generator struct {
	cfg     Config
	r       *rand.Rand
	town    []neighbourhood
	clients []client
	visits  []visit
	deps    []roster.Dependency
	carers  []carer
	// err is set when no habitable home could be drawn.
	err error
}

// habitable draws a home until Config.Habitable accepts it.
func (g *generator) habitable(draw func() roster.Location) roster.Location {
	l := draw()
	if g.cfg.Habitable == nil {
		return l
	}
	for try := 1; !g.cfg.Habitable(l); try++ {
		if try == MaxHomeDraws {
			if g.err == nil {
				g.err = fmt.Errorf("synth: no habitable home found in %d draws around %.5f,%.5f: is the centre on the map, and the radius right?", MaxHomeDraws, g.cfg.Centre.Lat, g.cfg.Centre.Lon)
			}
			return l
		}
		l = draw()
	}
	return l
}

// client is a client with the needs that shape their visits.
type client struct {
	roster.Client
	double                                 bool
	meds, dementia, catheter, peg, insulin bool
	visits                                 []int
}

// visit is a visit with its client's index and the part of the day it
// falls in.
type visit struct {
	roster.Visit
	client int
	band   int
}

// carer is a carer with the kind of shift pattern they work.
type carer struct {
	roster.Carer
	pattern string
}

// instance assembles the roster.Instance.
func (g *generator) instance() *roster.Instance {
	in := &roster.Instance{
		Name:     fmt.Sprintf("Synthetic locality %s (seed %d)", g.cfg.Date, g.cfg.Seed),
		Date:     g.cfg.Date,
		TimeZone: TimeZone,
		Carers:   make([]roster.Carer, len(g.carers)),
		Clients:  make([]roster.Client, len(g.clients)),
		Visits:   make([]roster.Visit, len(g.visits)),
	}
	for i := range g.carers {
		c := g.carers[i].Carer
		c.Skills = canonicalSkills(c.Skills)
		in.Carers[i] = c
	}
	for i := range g.clients {
		in.Clients[i] = g.clients[i].Client
	}
	for i := range g.visits {
		in.Visits[i] = g.visits[i].Visit
	}
	if len(g.deps) > 0 {
		in.Dependencies = g.deps
	}
	return in
}

// ids formats identifiers with a prefix and a zero-padded number at least
// width digits wide, wider where n needs it.
func idFormat(prefix string, width, n int) string {
	if d := len(fmt.Sprint(n)); d > width {
		width = d
	}
	return fmt.Sprintf("%s%%0%dd", prefix, width)
}

// pick draws an index with probability proportional to its weight.
func pick(r *rand.Rand, weights ...float64) int {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	x := r.Float64() * total
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

// chance reports true with probability p.
func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// newRand is the generator's source of randomness for a seed. The second
// PCG word is fixed so that the seed alone picks the day.
func newRand(seed int64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), 0x5eed_da7a_0b5e_55ed))
}
