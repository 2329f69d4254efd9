package synth

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/rounds-dev/rounds/locality"
	"github.com/rounds-dev/rounds/roster"
)

// DistrictConfig says what kind of district GenerateDistrict makes: a
// council's area with several town centres of different sizes, its
// clients dense around them and thin over the rural edges, and the totals
// a commissioner gives. Start from DefaultDistrictConfig: GenerateDistrict
// fills in Clients, WeeklyHours, Centres, Centre and RadiusKM when they are
// left at zero, but takes DoubleShare as given, so that 0 means none.
type DistrictConfig struct {
	// Seed picks the district; the same config always gives the same one.
	Seed int64
	// Clients is the number of clients; 0 means DefaultDistrictClients.
	Clients int
	// WeeklyHours is the district's contact hours a week, spread over the
	// clients (2 to 40 hours each); 0 means DefaultDistrictHours.
	WeeklyHours float64
	// DoubleShare is the share of visits that are double-handed, 0 to 1.
	DoubleShare float64
	// Centres is the number of town centres, the first the largest; 0
	// means DefaultDistrictCentres.
	Centres int
	// Centre is the largest town's centre; the zero location means
	// Bradford.
	Centre roster.Location
	// RadiusKM is how far the district reaches from Centre; 0 means
	// DefaultDistrictRadiusKM.
	RadiusKM float64
}

// The defaults of DefaultDistrictConfig: a district shaped on Bradford's
// (docs/DOMAIN.md): about 1,500 people receiving 19,600 hours of care a
// week, 44% of visits double-handed.
const (
	DefaultDistrictClients     = 1500
	DefaultDistrictHours       = 19600.0
	DefaultDistrictDoubleShare = 0.44
	DefaultDistrictCentres     = 5
	DefaultDistrictRadiusKM    = 12.0
)

// Limits of the districts GenerateDistrict makes.
const (
	// MaxDistrictClients bounds a district's clients: enough for the
	// benchmark's districts of tens of thousands of visits a week many
	// times over.
	MaxDistrictClients = 200_000
	// MinClientHours and MaxClientHours bound a client's weekly hours.
	MinClientHours = 2.0
	MaxClientHours = 40.0
	// MaxDistrictCentres bounds the town centres.
	MaxDistrictCentres = 50
)

// CentreShare is the share of a district's clients who live around its
// town centres; the rest are scattered evenly over the whole district.
const CentreShare = 0.8

// Bradford is the centre of the default district.
var Bradford = roster.Location{Lat: 53.7960, Lon: -1.7594}

// DefaultDistrictConfig returns the Bradford-shaped district, seed 1.
func DefaultDistrictConfig() DistrictConfig {
	return DistrictConfig{Seed: 1, Clients: DefaultDistrictClients, WeeklyHours: DefaultDistrictHours,
		DoubleShare: DefaultDistrictDoubleShare, Centres: DefaultDistrictCentres, Centre: Bradford, RadiusKM: DefaultDistrictRadiusKM}
}

// Calls a day of single- and double-handed clients (index: calls), and
// the mean of each: a client who needs two carers, mostly to hoist, has
// more calls.
var (
	singleCalls = [5]float64{0, 30, 25, 20, 25}
	doubleCalls = [5]float64{0, 0, 15, 20, 65}
)

// GenerateDistrict makes a district's demand: Clients clients, each with
// weekly hours (lognormal about the mean, 2 to 40, in quarter hours,
// together WeeklyHours), 1 to 4 calls a day in the usual bands, and about
// DoubleShare of the visits double-handed (by a share of clients, who
// have more calls, with a hoist). CentreShare of the clients live around
// Centres town centres, the largest at Centre and each smaller one with
// fewer clients packed less tightly; the rest are scattered over the disc
// of RadiusKM. Skills: hoist for the double-handed, some medication and
// dementia care.
func GenerateDistrict(cfg DistrictConfig) (*locality.District, error) {
	if cfg.Clients == 0 {
		cfg.Clients = DefaultDistrictClients
	}
	if cfg.WeeklyHours == 0 {
		cfg.WeeklyHours = DefaultDistrictHours
	}
	if cfg.Centres == 0 {
		cfg.Centres = DefaultDistrictCentres
	}
	if cfg.Centre == (roster.Location{}) {
		cfg.Centre = Bradford
	}
	if cfg.RadiusKM == 0 {
		cfg.RadiusKM = DefaultDistrictRadiusKM
	}
	switch {
	case cfg.Clients < 1 || cfg.Clients > MaxDistrictClients:
		return nil, fmt.Errorf("synth: clients must be from 1 to %d, got %d", MaxDistrictClients, cfg.Clients)
	case !(cfg.WeeklyHours >= MinClientHours*float64(cfg.Clients) && cfg.WeeklyHours <= MaxClientHours*float64(cfg.Clients)):
		return nil, fmt.Errorf("synth: %g weekly hours for %d clients is %.1f a client; want %g to %g", cfg.WeeklyHours, cfg.Clients, cfg.WeeklyHours/float64(cfg.Clients), MinClientHours, MaxClientHours)
	case !(cfg.DoubleShare >= 0 && cfg.DoubleShare <= 1):
		return nil, fmt.Errorf("synth: the double-handed share must be from 0 to 1, got %v", cfg.DoubleShare)
	case cfg.Centres < 1 || cfg.Centres > MaxDistrictCentres:
		return nil, fmt.Errorf("synth: centres must be from 1 to %d, got %d", MaxDistrictCentres, cfg.Centres)
	case !(cfg.RadiusKM > 0 && cfg.RadiusKM <= MaxRadiusKM):
		return nil, fmt.Errorf("synth: the radius must be more than 0 and at most %g km, got %v", MaxRadiusKM, cfg.RadiusKM)
	case !(math.Abs(cfg.Centre.Lat) <= 80 && math.Abs(cfg.Centre.Lon) <= 180):
		return nil, fmt.Errorf("synth: the centre must lie within ±80 latitude and ±180 longitude")
	}
	r := newRand(cfg.Seed)
	n := cfg.Clients
	d := &locality.District{Name: fmt.Sprintf("Synthetic district (seed %d)", cfg.Seed), TimeZone: TimeZone, Clients: make([]locality.Client, n)}
	places := districtPlaces(r, cfg)
	double := doubleClients(r, n, cfg.DoubleShare)
	idf := idFormat("P", 4, n)
	for i := range d.Clients {
		c := &d.Clients[i]
		c.ID = fmt.Sprintf(idf, i+1)
		c.Location = places[i]
		c.Double = double[i]
		dist := singleCalls
		pats := callPatterns
		if c.Double {
			dist, pats = doubleCalls, doubleCallPatterns
		}
		calls := pick(r, dist[:]...)
		ws := make([]float64, len(pats[calls]))
		for j := range ws {
			ws[j] = pats[calls][j].weight
		}
		for _, b := range pats[calls][pick(r, ws...)].bands {
			c.Bands = append(c.Bands, locality.Band(b))
		}
		if c.Double {
			c.Skills = append(c.Skills, SkillHoist)
		}
		if chance(r, 0.3) {
			c.Skills = append(c.Skills, SkillMedication)
		}
		if chance(r, 0.15) {
			c.Skills = append(c.Skills, SkillDementia)
		}
	}
	spreadHours(r, d.Clients, cfg.WeeklyHours)
	return d, nil
}

// doubleClients marks the clients who need two carers: as many as make
// share of the visits double-handed when each kind has its mean number of
// calls, chosen at random.
func doubleClients(r *rand.Rand, n int, share float64) []bool {
	mean := func(w [5]float64) float64 {
		s, t := 0.0, 0.0
		for k, x := range w {
			s += float64(k) * x
			t += x
		}
		return s / t
	}
	m1, m2 := mean(singleCalls), mean(doubleCalls)
	q := 1.0
	if share < 1 {
		q = share * m1 / (m2*(1-share) + share*m1)
	}
	out := make([]bool, n)
	for _, i := range r.Perm(n)[:int(math.Round(q*float64(n)))] {
		out[i] = true
	}
	return out
}

// districtPlaces draws the clients' homes: CentreShare of them around the
// centres (the first at cfg.Centre, the others 30% to 80% of the radius
// away, each smaller than the one before in clients and less tightly
// packed), the rest evenly over the district's disc.
func districtPlaces(r *rand.Rand, cfg DistrictConfig) []roster.Location {
	radiusM := cfg.RadiusKM * 1000
	type centre struct {
		at     roster.Location
		weight float64
		sigmaM float64
	}
	cs := make([]centre, cfg.Centres)
	for k := range cs {
		cs[k].weight = 1 / float64(k+1)
		// The main town spreads over a tenth of the radius; a smaller
		// one, with half the clients, over 0.7 of that: denser than the
		// edges, less than the city.
		cs[k].sigmaM = 0.1 * radiusM * math.Sqrt(cs[k].weight)
		if k == 0 {
			cs[k].at = cfg.Centre
			continue
		}
		dist, bearing := radiusM*(0.3+0.5*r.Float64()), 2*math.Pi*r.Float64()
		cs[k].at = offset(cfg.Centre, dist*math.Sin(bearing), dist*math.Cos(bearing))
	}
	weights := make([]float64, len(cs))
	for k := range cs {
		weights[k] = cs[k].weight
	}
	inside := func(l roster.Location) bool { return distanceM(cfg.Centre, l) <= radiusM }
	out := make([]roster.Location, cfg.Clients)
	for i := range out {
		if !chance(r, CentreShare) {
			d, b := radiusM*math.Sqrt(r.Float64()), 2*math.Pi*r.Float64()
			out[i] = offset(cfg.Centre, d*math.Sin(b), d*math.Cos(b))
			continue
		}
		c := &cs[pick(r, weights...)]
		for tries := 0; ; tries++ {
			l := offset(c.at, r.NormFloat64()*c.sigmaM, r.NormFloat64()*c.sigmaM)
			if inside(l) || tries == 20 {
				if !inside(l) {
					l = c.at
				}
				out[i] = l
				break
			}
		}
	}
	return out
}

// spreadHours gives the clients weekly hours that sum to total: each
// call's length drawn lognormal about 35 minutes, the hours scaled
// together to the total and kept within MinClientHours to MaxClientHours,
// then rounded to the quarter hour.
func spreadHours(r *rand.Rand, clients []locality.Client, total float64) {
	h := make([]float64, len(clients))
	for i := range clients {
		callMin := 35 * math.Exp(0.45*r.NormFloat64())
		h[i] = float64(clients[i].CallsADay()) * 7 * callMin / 60
	}
	for range 50 {
		sum := 0.0
		for _, x := range h {
			sum += x
		}
		if math.Abs(sum-total) < 1e-6*total {
			break
		}
		f := total / sum
		for i := range h {
			h[i] = min(max(h[i]*f, MinClientHours), MaxClientHours)
		}
	}
	for i := range clients {
		clients[i].WeeklyHours = min(max(math.Round(h[i]*4)/4, MinClientHours), MaxClientHours)
	}
}
