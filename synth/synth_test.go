package synth_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/roster"
	"github.com/rounds-dev/rounds/synth"
)

var update = flag.Bool("update", false, "rewrite the fixtures in testdata/ from the generator")

// fixtures are the generated days kept in the repository's testdata/.
var fixtures = []struct {
	file string
	cfg  func() synth.Config
}{
	// The README's day: 150 visits, 25 carers, 40% double-handed, 30% of
	// carers walking. Carers is pinned so that the day keeps its team.
	{"locality_day.json", func() synth.Config {
		c := synth.DefaultConfig()
		c.Carers = 25
		return c
	}},
	// A larger locality's day, carers chosen for the demand.
	{"locality_day_300.json", func() synth.Config {
		c := synth.DefaultConfig()
		c.Seed, c.Visits = 7, 300
		return c
	}},
}

// encode writes an instance as the CLI does: indented by two spaces, with
// a final newline.
func encode(t *testing.T, in *roster.Instance) []byte {
	t.Helper()
	b, err := json.MarshalIndent(in, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

func generate(t *testing.T, cfg synth.Config) *roster.Instance {
	t.Helper()
	in, err := synth.Generate(cfg)
	if err != nil {
		t.Fatalf("Generate(%+v): %v", cfg, err)
	}
	return in
}

// TestWriteFixtures rewrites the fixtures; run
// "go test ./synth -run TestWriteFixtures -update" after changing the
// generator.
func TestWriteFixtures(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rewrite the fixtures")
	}
	for _, f := range fixtures {
		path := filepath.Join("..", "testdata", f.file)
		if err := os.WriteFile(path, encode(t, generate(t, f.cfg())), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFixturesUpToDate checks that the fixtures are what the generator makes
// now, so that a change to the generator is seen in the fixtures too.
func TestFixturesUpToDate(t *testing.T) {
	for _, f := range fixtures {
		t.Run(f.file, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join("..", "testdata", f.file))
			if err != nil {
				t.Fatalf("%v (run go test ./synth -run TestWriteFixtures -update)", err)
			}
			if got := encode(t, generate(t, f.cfg())); !bytes.Equal(got, want) {
				t.Errorf("testdata/%s differs from the generator's day; run go test ./synth -run TestWriteFixtures -update", f.file)
			}
			if _, err := roster.DecodeInstance(bytes.NewReader(want)); err != nil {
				t.Errorf("testdata/%s does not decode: %v", f.file, err)
			}
		})
	}
}

// TestGenerateDeterministic checks that a Config always gives the same day,
// byte for byte.
func TestGenerateDeterministic(t *testing.T) {
	for _, seed := range []int64{1, 2, -5, math.MaxInt64} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			cfg := synth.DefaultConfig()
			cfg.Seed = seed
			a, b := encode(t, generate(t, cfg)), encode(t, generate(t, cfg))
			if !bytes.Equal(a, b) {
				t.Fatal("two days from the same config differ")
			}
		})
	}
}

// TestGenerateSeedsDiffer checks that different seeds give different days,
// in where the clients live and in what they need.
func TestGenerateSeedsDiffer(t *testing.T) {
	days := make(map[string]int64)
	for seed := int64(1); seed <= 5; seed++ {
		cfg := synth.DefaultConfig()
		cfg.Seed = seed
		in := generate(t, cfg)
		in.Name = ""
		key := string(encode(t, in))
		if prev, ok := days[key]; ok {
			t.Fatalf("seeds %d and %d give the same day", prev, seed)
		}
		days[key] = seed
	}
	a, b := synth.DefaultConfig(), synth.DefaultConfig()
	b.Seed = 2
	ia, ib := generate(t, a), generate(t, b)
	if ia.Clients[0].Location == ib.Clients[0].Location {
		t.Error("seeds 1 and 2 put the first client in the same place")
	}
}

// TestGenerateDefaults checks that the zero fields of a Config take the
// defaults, and that DefaultConfig holds the documented values.
func TestGenerateDefaults(t *testing.T) {
	def := synth.DefaultConfig()
	if def.Visits != 150 || def.Carers != 0 || def.DoubleShare != 0.4 || def.WalkShare != 0.3 ||
		def.Centre != synth.Keighley || def.RadiusKM != 3 || def.Date != "2026-11-24" {
		t.Fatalf("DefaultConfig() = %+v", def)
	}
	sparse := synth.Config{Seed: 1, DoubleShare: 0.4, WalkShare: 0.3}
	if !bytes.Equal(encode(t, generate(t, sparse)), encode(t, generate(t, def))) {
		t.Error("a Config with zero Visits, Centre, RadiusKM and Date differs from DefaultConfig")
	}
	in := generate(t, def)
	if in.Date != "2026-11-24" || in.TimeZone != "Europe/London" {
		t.Errorf("date %q, time zone %q", in.Date, in.TimeZone)
	}
}

// TestGenerateConfigErrors checks that a bad Config is an error naming the
// field at fault.
func TestGenerateConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		edit func(*synth.Config)
		want string
	}{
		{"negative visits", func(c *synth.Config) { c.Visits = -3 }, "visits"},
		{"too many visits", func(c *synth.Config) { c.Visits = synth.MaxVisits + 1 }, "visits"},
		{"negative carers", func(c *synth.Config) { c.Carers = -1 }, "carers"},
		{"one carer for double-handed visits", func(c *synth.Config) { c.Carers = 1 }, "carers"},
		{"double share over 1", func(c *synth.Config) { c.DoubleShare = 1.5 }, "double share"},
		{"negative double share", func(c *synth.Config) { c.DoubleShare = -0.1 }, "double share"},
		{"double share NaN", func(c *synth.Config) { c.DoubleShare = math.NaN() }, "double share"},
		{"walk share over 1", func(c *synth.Config) { c.WalkShare = 2 }, "walk share"},
		{"negative radius", func(c *synth.Config) { c.RadiusKM = -1 }, "radius"},
		{"centre off the map", func(c *synth.Config) { c.Centre = roster.Location{Lat: 95, Lon: 0} }, "centre"},
		{"date not a date", func(c *synth.Config) { c.Date = "2026-02-30" }, "date"},
		{"date in the wrong shape", func(c *synth.Config) { c.Date = "24/11/2026" }, "date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := synth.DefaultConfig()
			tt.edit(&cfg)
			in, err := synth.Generate(cfg)
			if err == nil {
				t.Fatalf("Generate(%+v) = %d visits, want an error", cfg, len(in.Visits))
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not name %q", err, tt.want)
			}
		})
	}
}

// shapes are the configurations the day's properties are checked on.
var shapes = []struct {
	name string
	cfg  synth.Config
	// servable says that the carers were chosen for the demand (or are
	// known to be enough), so the day must be servable.
	servable bool
}{
	{"default", synth.DefaultConfig(), true},
	{"fixture", func() synth.Config { c := synth.DefaultConfig(); c.Carers = 25; return c }(), true},
	{"seed 2", func() synth.Config { c := synth.DefaultConfig(); c.Seed = 2; return c }(), true},
	{"seed 3", func() synth.Config { c := synth.DefaultConfig(); c.Seed = 3; return c }(), true},
	{"small", func() synth.Config { c := synth.DefaultConfig(); c.Seed, c.Visits = 4, 60; return c }(), true},
	{"large", func() synth.Config { c := synth.DefaultConfig(); c.Seed, c.Visits = 7, 400; return c }(), true},
	{"no double-handed", func() synth.Config { c := synth.DefaultConfig(); c.Seed, c.DoubleShare = 5, 0; return c }(), true},
	{"mostly double-handed", func() synth.Config { c := synth.DefaultConfig(); c.Seed, c.DoubleShare = 6, 0.7; return c }(), true},
	{"all walk", func() synth.Config { c := synth.DefaultConfig(); c.Seed, c.WalkShare = 8, 1; return c }(), true},
	{"nobody walks", func() synth.Config { c := synth.DefaultConfig(); c.Seed, c.WalkShare = 9, 0; return c }(), true},
	{"wide town", func() synth.Config { c := synth.DefaultConfig(); c.Seed, c.RadiusKM = 10, 8; return c }(), true},
	{"few carers", func() synth.Config { c := synth.DefaultConfig(); c.Seed, c.Carers = 11, 6; return c }(), false},
}

// TestGenerateShape checks the make-up of the day against the Config: the
// number of visits, the shares of double-handed visits and of walkers, the
// ids, and that the instance is valid.
func TestGenerateShape(t *testing.T) {
	for _, tt := range shapes {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg
			in := generate(t, cfg)
			if err := in.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if got, want := len(in.Visits), cfg.Visits; math.Abs(float64(got-want)) > 0.05*float64(want) {
				t.Errorf("%d visits, want %d ± 5%%", got, want)
			}
			if cfg.Carers > 0 && len(in.Carers) != cfg.Carers {
				t.Errorf("%d carers, want %d", len(in.Carers), cfg.Carers)
			}
			double := 0
			for i := range in.Visits {
				if in.Visits[i].CarersNeeded() == 2 {
					double++
				}
			}
			if share := float64(double) / float64(len(in.Visits)); math.Abs(share-cfg.DoubleShare) > 0.1 {
				t.Errorf("double-handed share %.2f, want %.2f ± 0.1", share, cfg.DoubleShare)
			}
			walkers := 0
			for i := range in.Carers {
				if in.Carers[i].Mode == roster.Walk {
					walkers++
				}
			}
			// Rounded to whole carers.
			n := float64(len(in.Carers))
			if share := float64(walkers) / n; math.Abs(share-cfg.WalkShare) > 0.5/n+1e-9 {
				t.Errorf("walking share %.2f (%d of %d), want %.2f", share, walkers, len(in.Carers), cfg.WalkShare)
			}
			checkIDs(t, in)
			t.Logf("%d visits (%d double-handed), %d clients, %d carers (%d walk), %d dependencies",
				len(in.Visits), double, len(in.Clients), len(in.Carers), walkers, len(in.Dependencies))
		})
	}
}

// checkIDs checks that the ids are unique and readable: C001, V0001, K01.
func checkIDs(t *testing.T, in *roster.Instance) {
	t.Helper()
	lists := []struct {
		what string
		re   *regexp.Regexp
		ids  func(yield func(string) bool)
	}{
		{"carer", regexp.MustCompile(`^K\d{2,}$`), func(yield func(string) bool) {
			for _, c := range in.Carers {
				if !yield(c.ID) {
					return
				}
			}
		}},
		{"client", regexp.MustCompile(`^C\d{3,}$`), func(yield func(string) bool) {
			for _, c := range in.Clients {
				if !yield(c.ID) {
					return
				}
			}
		}},
		{"visit", regexp.MustCompile(`^V\d{4,}$`), func(yield func(string) bool) {
			for _, v := range in.Visits {
				if !yield(v.ID) {
					return
				}
			}
		}},
	}
	for _, l := range lists {
		seen := make(map[string]bool)
		for id := range l.ids {
			if !l.re.MatchString(id) {
				t.Errorf("%s id %q does not match %s", l.what, id, l.re)
			}
			if seen[id] {
				t.Errorf("%s id %q repeats", l.what, id)
			}
			seen[id] = true
		}
	}
}

// callBand names the part of the day a window opening falls in.
func callBand(start roster.Clock) string {
	switch {
	case start >= hm(7, 0) && start <= hm(10, 0):
		return "breakfast"
	case start >= hm(12, 0) && start <= hm(14, 0):
		return "lunch"
	case start >= hm(16, 30) && start <= hm(18, 0):
		return "tea"
	case start >= hm(19, 30) && start <= hm(22, 0):
		return "bed"
	}
	return ""
}

func hm(h, m int) roster.Clock { return roster.Clock(h*3600 + m*60) }

// TestGenerateVisits checks the calls: each client has one to four, in the
// usual bands and in order; windows are a planned time ± 15 to 45 minutes;
// durations are 30 to 60 minutes except for checks; a double-handed client
// needs two hoist-trained carers at every call; time-critical calls are
// hard; dependencies tie visits of one client and can be met.
func TestGenerateVisits(t *testing.T) {
	for _, tt := range shapes {
		t.Run(tt.name, func(t *testing.T) {
			in := generate(t, tt.cfg)
			byClient := make(map[string][]*roster.Visit)
			for i := range in.Visits {
				v := &in.Visits[i]
				byClient[v.Client] = append(byClient[v.Client], v)
				if len(v.Windows) != 1 {
					t.Fatalf("visit %s has %d windows, want 1", v.ID, len(v.Windows))
				}
				w := v.Windows[0]
				if w.Start > w.End {
					t.Errorf("visit %s: window %v-%v ends before it opens", v.ID, w.Start, w.End)
				}
				if callBand(w.Start) == "" || callBand(w.End) != callBand(w.Start) {
					t.Errorf("visit %s: window %v-%v is not inside one of the four call bands", v.ID, w.Start, w.End)
				}
				if width := w.End - w.Start; width < 30*60 || width > 90*60 {
					t.Errorf("visit %s: window %v-%v, want a planned time ± 15 to 45 minutes", v.ID, w.Start, w.End)
				}
				switch {
				case v.Check && (v.DurationMin < 15 || v.DurationMin > 20 || v.CarersNeeded() != 1):
					t.Errorf("visit %s: a check of %d minutes for %d carers", v.ID, v.DurationMin, v.CarersNeeded())
				case !v.Check && (v.DurationMin < 30 || v.DurationMin > 60):
					t.Errorf("visit %s: %d minutes and not a check", v.ID, v.DurationMin)
				}
				if v.CarersNeeded() == 2 && !slices.Contains(v.RequiredSkills, "hoist") {
					t.Errorf("visit %s is double-handed without needing the hoist", v.ID)
				}
				// Time-critical calls (insulin) have the top priority.
				if v.Priority == 3 && (v.IsSoft() || w.End-w.Start != 30*60) {
					t.Errorf("visit %s: a time-critical call with a %s window %v-%v, want hard and ± 15 minutes", v.ID, v.WindowType, w.Start, w.End)
				}
				if v.IsSoft() && v.LatenessCost <= 0 {
					t.Errorf("visit %s: soft without a lateness cost", v.ID)
				}
			}
			for id, vs := range byClient {
				if len(vs) < 1 || len(vs) > 4 {
					t.Errorf("client %s has %d calls, want 1 to 4", id, len(vs))
				}
				for j := 1; j < len(vs); j++ {
					if callBand(vs[j].Windows[0].Start) == callBand(vs[j-1].Windows[0].Start) {
						t.Errorf("client %s has two %s calls", id, callBand(vs[j].Windows[0].Start))
					}
					if vs[j].Windows[0].Start <= vs[j-1].Windows[0].Start {
						t.Errorf("client %s: visits %s and %s out of order", id, vs[j-1].ID, vs[j].ID)
					}
					if vs[j].CarersNeeded() != vs[0].CarersNeeded() {
						t.Errorf("client %s is double-handed at some calls only", id)
					}
				}
			}
			ix := roster.NewIndex(in)
			for _, d := range in.Dependencies {
				a, b := &in.Visits[ix.Visit[d.First]], &in.Visits[ix.Visit[d.Second]]
				if a.Client != b.Client {
					t.Errorf("dependency %s -> %s ties two clients' visits", d.First, d.Second)
				}
				lo, hi := b.Windows[0].Start-a.Windows[0].End, b.Windows[0].End-a.Windows[0].Start
				maxGap := roster.Clock(math.MaxInt32)
				if d.MaxGapMin != nil {
					maxGap = roster.Clock(*d.MaxGapMin * 60)
				}
				if d.Type != roster.Sequential || hi < roster.Clock(d.MinGapMin*60) || lo > maxGap {
					t.Errorf("dependency %+v cannot be met inside the windows %v-%v and %v-%v",
						d, a.Windows[0].Start, a.Windows[0].End, b.Windows[0].Start, b.Windows[0].End)
				}
			}
		})
	}
}

// legs is the straight-line travel between an instance's points by every
// mode, whether or not a carer uses it.
type legs map[roster.Mode]*geo.Matrix

// Leg is the travel time and distance from point i to j by mode.
func (l legs) Leg(mode roster.Mode, i, j int) (durS, distM int) { return l[mode].Leg(i, j) }

// matrices builds the straight-line travel of an instance.
func matrices(t *testing.T, in *roster.Instance) legs {
	t.Helper()
	p, err := geo.NewStraightLine(in.Travel)
	if err != nil {
		t.Fatal(err)
	}
	ms := make(legs)
	for _, mode := range roster.Modes {
		m, err := p.Matrix(context.Background(), in.Points(), mode)
		if err != nil {
			t.Fatal(err)
		}
		ms[mode] = m
	}
	return ms
}

// reaches reports whether carer k can leave home at the start of one of
// their shifts, start visit v inside its window and be home by the shift's
// end.
func reaches(in *roster.Instance, ms legs, k, client int, v *roster.Visit) bool {
	c := &in.Carers[k]
	out, _ := ms.Leg(c.Mode, in.CarerStartPoint(k), in.ClientPoint(client))
	back, _ := ms.Leg(c.Mode, in.ClientPoint(client), in.CarerEndPoint(k))
	for _, s := range c.Shifts {
		for _, w := range v.Windows {
			start := max(w.Start, s.Start+roster.Clock(out))
			if start <= w.End && start+roster.Clock(v.DurationS()+back) <= s.End {
				return true
			}
		}
	}
	return false
}

// qualifies reports whether carer c holds visit v's skills and client cl
// accepts them.
func qualifies(c *roster.Carer, cl *roster.Client, v *roster.Visit) bool {
	for _, s := range v.RequiredSkills {
		if !c.HasSkill(s) {
			return false
		}
	}
	if g := cl.Preferences.CarerGender; g != "" && c.Gender != g {
		return false
	}
	return !cl.Preferences.Excludes(c.ID)
}

// TestGenerateQualifiedCarers checks that every visit has at least as many
// carers as it needs who hold its skills, are of the gender its client asks
// for, are not declined by the client, and can get there from home within
// their shift and in its window; and that most have one to spare.
func TestGenerateQualifiedCarers(t *testing.T) {
	for _, tt := range shapes {
		if !tt.servable {
			continue
		}
		t.Run(tt.name, func(t *testing.T) {
			in := generate(t, tt.cfg)
			ms := matrices(t, in)
			ix := roster.NewIndex(in)
			spare := 0
			for i := range in.Visits {
				v := &in.Visits[i]
				ci := ix.Client[v.Client]
				n := 0
				for k := range in.Carers {
					if qualifies(&in.Carers[k], &in.Clients[ci], v) && reaches(in, ms, k, ci, v) {
						n++
					}
				}
				if n < v.CarersNeeded() {
					t.Errorf("visit %s needs %d carers; %d qualify and can reach it", v.ID, v.CarersNeeded(), n)
				}
				if n > v.CarersNeeded() {
					spare++
				}
			}
			if share := float64(spare) / float64(len(in.Visits)); share < 0.95 {
				t.Errorf("only %.0f%% of visits have a qualified carer to spare", 100*share)
			}
		})
	}
}

// TestGeneratePreferences checks the clients' wishes: some ask for female
// carers, a few for a language or for preferred carers; preferred carers
// hold the skills of all the client's visits; languages asked for are
// spoken by some carer.
func TestGeneratePreferences(t *testing.T) {
	in := generate(t, synth.DefaultConfig())
	ix := roster.NewIndex(in)
	var female, language, preferred, excluded int
	for i := range in.Clients {
		pr := &in.Clients[i].Preferences
		if pr.CarerGender == "female" {
			female++
		}
		if pr.Language != "" {
			language++
			if !slices.ContainsFunc(in.Carers, func(c roster.Carer) bool { return c.Speaks(pr.Language) }) {
				t.Errorf("client %s asks for %q, which no carer speaks", in.Clients[i].ID, pr.Language)
			}
		}
		if len(pr.PreferredCarers) > 0 {
			preferred++
		}
		if len(pr.ExcludedCarers) > 0 {
			excluded++
		}
		for _, id := range pr.PreferredCarers {
			c := &in.Carers[ix.Carer[id]]
			for j := range in.Visits {
				if v := &in.Visits[j]; v.Client == in.Clients[i].ID && !qualifies(c, &in.Clients[i], v) {
					t.Errorf("client %s prefers %s, who cannot serve visit %s", in.Clients[i].ID, id, v.ID)
				}
			}
		}
	}
	women := 0
	for i := range in.Carers {
		if in.Carers[i].Gender == "female" {
			women++
		}
	}
	n := len(in.Clients)
	if female == 0 || female > n/2 || language == 0 || preferred == 0 || excluded > n/10 {
		t.Errorf("of %d clients %d ask for women, %d for a language, %d have preferred carers, %d decline a carer",
			n, female, language, preferred, excluded)
	}
	if women*2 < len(in.Carers) {
		t.Errorf("%d of %d carers are women, want most", women, len(in.Carers))
	}
}

// TestGenerateCarers checks the team: split shifts for many, breaks for
// those on long shifts, walkers living among clients they can reach on
// foot, and clients clustered towards the centre.
func TestGenerateCarers(t *testing.T) {
	for _, tt := range shapes {
		t.Run(tt.name, func(t *testing.T) {
			in := generate(t, tt.cfg)
			ms := matrices(t, in)
			split := 0
			for k := range in.Carers {
				c := &in.Carers[k]
				if len(c.Shifts) == 2 {
					split++
				}
				long := slices.ContainsFunc(c.Shifts, func(s roster.Shift) bool { return s.End-s.Start > 6*3600 })
				if long != (c.Break != nil) {
					t.Errorf("carer %s: shifts %v, break rule %v; want one for a shift over six hours", c.ID, c.Shifts, c.Break)
				}
				if c.Mode != roster.Walk {
					continue
				}
				// A walker must have clients within 20 minutes on foot.
				near := 0
				for ci := range in.Clients {
					if s, _ := ms.Leg(roster.Walk, in.CarerStartPoint(k), in.ClientPoint(ci)); s <= 20*60 {
						near++
					}
				}
				if near < min(3, len(in.Clients)) {
					t.Errorf("walker %s has %d clients within 20 minutes' walk", c.ID, near)
				}
			}
			if split*3 < len(in.Carers) {
				t.Errorf("%d of %d carers on split shifts, want many", split, len(in.Carers))
			}
			centre, radius := tt.cfg.Centre, tt.cfg.RadiusKM*1000
			inner := 0
			for i := range in.Clients {
				if d := metres(centre, in.Clients[i].Location); d <= radius/2 {
					inner++
				}
			}
			// A uniform spread would put a quarter within half the radius.
			if share := float64(inner) / float64(len(in.Clients)); share < 0.35 {
				t.Errorf("%.0f%% of clients within half the radius, want them denser near the centre", 100*share)
			}
		})
	}
}

// metres is the rough distance between two nearby places.
func metres(a, b roster.Location) float64 {
	const m = 6378137 * math.Pi / 180
	dy := (a.Lat - b.Lat) * m
	dx := (a.Lon - b.Lon) * m * math.Cos(a.Lat*math.Pi/180)
	return math.Hypot(dx, dy)
}

// loadBands are the stretches of the day a capacity estimate compares: each
// call band with the hour or so after it in which its visits finish.
var loadBands = []struct {
	name     string
	from, to roster.Clock
}{
	{"breakfast", hm(7, 0), hm(11, 30)},
	{"lunch", hm(11, 30), hm(15, 30)},
	{"tea", hm(15, 30), hm(19, 15)},
	{"bed", hm(19, 15), hm(23, 0)},
}

// maxLoad is the most of the carers' time in a part of the day that the
// visits and travel may take.
const maxLoad = 0.75

// TestGenerateCapacity makes a crude estimate of the load in each part of
// the day and checks it stays under maxLoad: the carer-minutes of the visits
// starting then, plus for each carer-visit a leg to the third-nearest other
// client with a call then (walked or driven in the proportion of the team,
// and at least five minutes), against the carers' shift minutes then, scaled
// down by their working-time caps, less their legs from home and back. The
// same is checked for the hoisting visits against the hoist-trained carers.
func TestGenerateCapacity(t *testing.T) {
	for _, tt := range shapes {
		if !tt.servable {
			continue
		}
		t.Run(tt.name, func(t *testing.T) {
			in := generate(t, tt.cfg)
			ms := matrices(t, in)
			ix := roster.NewIndex(in)
			walkers := 0
			for i := range in.Carers {
				if in.Carers[i].Mode == roster.Walk {
					walkers++
				}
			}
			walkShare := float64(walkers) / float64(len(in.Carers))
			hoist := func(v *roster.Visit) bool { return slices.Contains(v.RequiredSkills, "hoist") }
			for b, lb := range loadBands {
				var clients []int
				for i := range in.Visits {
					if v := &in.Visits[i]; bandOfVisit(v) == b {
						clients = append(clients, ix.Client[v.Client])
					}
				}
				var demand, hoistDemand float64
				for i := range in.Visits {
					v := &in.Visits[i]
					if bandOfVisit(v) != b {
						continue
					}
					ci := ix.Client[v.Client]
					walk := thirdNearest(ms, roster.Walk, ci, clients)
					drive := thirdNearest(ms, roster.Drive, ci, clients)
					legMin := max(5, (walkShare*float64(walk)+(1-walkShare)*float64(drive))/60)
					m := float64(v.CarersNeeded()) * (float64(v.DurationMin) + legMin)
					demand += m
					if hoist(v) {
						hoistDemand += m
					}
				}
				var supply, hoistSupply float64
				for k := range in.Carers {
					s := carerMinutes(in, ms, k, clients, lb.from, lb.to)
					supply += s
					if in.Carers[k].HasSkill("hoist") {
						hoistSupply += s
					}
				}
				load := demand / supply
				t.Logf("%-9s demand %5.0f min, carers %5.0f min, load %.2f", lb.name, demand, supply, load)
				if load > maxLoad {
					t.Errorf("%s: the visits and travel take %.0f%% of the carers' time, want at most %.0f%%", lb.name, 100*load, 100*maxLoad)
				}
				if hoistDemand > 0 && hoistDemand/hoistSupply > maxLoad {
					t.Errorf("%s: the hoisting visits take %.0f%% of the hoist-trained carers' time, want at most %.0f%%",
						lb.name, 100*hoistDemand/hoistSupply, 100*maxLoad)
				}
			}
		})
	}
}

// bandOfVisit is the index in loadBands of the stretch a visit's window
// opens in.
func bandOfVisit(v *roster.Visit) int {
	for b, lb := range loadBands {
		if v.Windows[0].Start >= lb.from && v.Windows[0].Start < lb.to {
			return b
		}
	}
	return -1
}

// thirdNearest is the travel time by mode from client ci to the third
// nearest other client in clients.
func thirdNearest(ms legs, mode roster.Mode, ci int, clients []int) int {
	var legs []int
	seen := map[int]bool{ci: true}
	for _, cj := range clients {
		if !seen[cj] {
			seen[cj] = true
			s, _ := ms.Leg(mode, ci, cj)
			legs = append(legs, s)
		}
	}
	if len(legs) == 0 {
		return 0
	}
	slices.Sort(legs)
	return legs[min(2, len(legs)-1)]
}

// carerMinutes is the time carer k has for visits between from and to: the
// overlap of their shifts, scaled down where the working-time cap is less
// than the shifts, less the legs from home to the nearest client of the
// stretch and back where a shift starts or ends in it.
func carerMinutes(in *roster.Instance, ms legs, k int, clients []int, from, to roster.Clock) float64 {
	c := &in.Carers[k]
	total := 0.0
	for _, s := range c.Shifts {
		total += float64(s.End-s.Start) / 60
	}
	f := 1.0
	if c.MaxWorkingMin > 0 && float64(c.MaxWorkingMin) < total {
		f = float64(c.MaxWorkingMin) / total
	}
	homeLeg := math.Inf(1)
	for _, ci := range clients {
		s, _ := ms.Leg(c.Mode, in.CarerStartPoint(k), ci)
		homeLeg = min(homeLeg, float64(s)/60)
	}
	if math.IsInf(homeLeg, 1) {
		homeLeg = 0
	}
	m := 0.0
	for _, s := range c.Shifts {
		if lo, hi := max(s.Start, from), min(s.End, to); hi > lo {
			m += float64(hi-lo) / 60 * f
		}
		if s.Start >= from && s.Start < to {
			m -= homeLeg
		}
		if s.End > from && s.End <= to {
			m -= homeLeg
		}
	}
	return max(m, 0)
}

// ExampleGenerate makes the default day: 150 visits in Keighley.
func ExampleGenerate() {
	in, err := synth.Generate(synth.DefaultConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(in.Date, in.TimeZone, len(in.Visits), "visits")
	// Output: 2026-11-24 Europe/London 150 visits
}

// TestHabitable: every home of a day lies where Habitable allows, and a
// Habitable that allows nowhere is an error, not a day with homes in the sea.
func TestHabitable(t *testing.T) {
	cfg := synth.DefaultConfig()
	cfg.Visits = 60
	west := func(l roster.Location) bool { return l.Lon < cfg.Centre.Lon }
	cfg.Habitable = west
	in, err := synth.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range in.Clients {
		if !west(c.Location) {
			t.Fatalf("client %d lives at %v, east of the centre", i, c.Location)
		}
	}
	for i, c := range in.Carers {
		if !west(c.Start) {
			t.Fatalf("carer %d starts at %v, east of the centre", i, c.Start)
		}
	}
	cfg.Habitable = func(roster.Location) bool { return false }
	if _, err := synth.Generate(cfg); err == nil || !strings.Contains(err.Error(), "habitable") {
		t.Fatalf("got %v, want an error about finding no habitable home", err)
	}
}
