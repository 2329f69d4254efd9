package synth

import (
	"math"
	"reflect"
	"testing"

	"github.com/rounds-dev/rounds/locality"
)

// districtFigures are the totals a commissioner reads off a district.
func districtFigures(d *locality.District) (hours, doubleShare float64, visits int) {
	doubled := 0
	for i := range d.Clients {
		c := &d.Clients[i]
		visits += c.CallsADay()
		if c.Double {
			doubled += c.CallsADay()
		}
	}
	return d.WeeklyHours(), float64(doubled) / float64(visits), visits
}

// TestGenerateDistrictTotals: the Bradford-shaped default and a district
// twice its size each hold the clients asked for exactly, their weekly
// hours within 2%, their double-handed visits within 3 points of the
// share, every client 2-40 hours a week in 1-4 calls a day in order.
func TestGenerateDistrictTotals(t *testing.T) {
	big := DefaultDistrictConfig()
	big.Seed, big.Clients, big.WeeklyHours = 7, 3000, 39200
	for _, cfg := range []DistrictConfig{DefaultDistrictConfig(), big} {
		d, err := GenerateDistrict(cfg)
		if err != nil {
			t.Fatal(err)
		}
		hours, share, visits := districtFigures(d)
		t.Logf("%d clients, %.0f hours a week, %d visits a day, %.1f%% double-handed", len(d.Clients), hours, visits, 100*share)
		if len(d.Clients) != cfg.Clients {
			t.Errorf("%d clients, want %d", len(d.Clients), cfg.Clients)
		}
		if math.Abs(hours-cfg.WeeklyHours) > 0.02*cfg.WeeklyHours {
			t.Errorf("%g hours a week, want %g ± 2%%", hours, cfg.WeeklyHours)
		}
		if math.Abs(share-cfg.DoubleShare) > 0.03 {
			t.Errorf("%.3f of visits double-handed, want %.2f ± 0.03", share, cfg.DoubleShare)
		}
		seen := map[string]bool{}
		for _, c := range d.Clients {
			if seen[c.ID] {
				t.Errorf("id %s twice", c.ID)
			}
			seen[c.ID] = true
			if c.WeeklyHours < MinClientHours || c.WeeklyHours > MaxClientHours {
				t.Errorf("%s: %g hours a week", c.ID, c.WeeklyHours)
			}
			if n := c.CallsADay(); n < 1 || n > 4 {
				t.Errorf("%s: %d calls a day", c.ID, n)
			}
			for j := 1; j < len(c.Bands); j++ {
				if c.Bands[j] <= c.Bands[j-1] {
					t.Errorf("%s: bands %v out of the order of the day", c.ID, c.Bands)
				}
			}
		}
	}
}

// TestGenerateDistrictDensity: clients within 1 km of the main centre
// are at least ten times as dense as those in the outer fifth of the
// district's radius.
func TestGenerateDistrictDensity(t *testing.T) {
	cfg := DefaultDistrictConfig()
	d, err := GenerateDistrict(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := cfg.RadiusKM
	inner, outer := 0, 0
	for _, c := range d.Clients {
		switch km := distanceM(cfg.Centre, c.Location) / 1000; {
		case km <= 1:
			inner++
		case km >= 0.8*r:
			outer++
		}
		if km := distanceM(cfg.Centre, c.Location) / 1000; km > r*1.0001 {
			t.Errorf("%s is %.2f km out, past the district's %g", c.ID, km, r)
		}
	}
	innerDensity := float64(inner) / (math.Pi * 1)
	outerDensity := float64(outer) / (math.Pi * (r*r - 0.64*r*r))
	t.Logf("%.1f clients a km² within 1 km of the centre, %.2f at the edges", innerDensity, outerDensity)
	if outer == 0 || innerDensity < 10*outerDensity {
		t.Errorf("centre %.1f a km², edges %.2f: want the edges thin but not empty, the centre ten times denser", innerDensity, outerDensity)
	}
}

// TestGenerateDistrictDeterministic: a seed gives the same district every
// time; another seed another.
func TestGenerateDistrictDeterministic(t *testing.T) {
	cfg := DefaultDistrictConfig()
	a, err1 := GenerateDistrict(cfg)
	b, err2 := GenerateDistrict(cfg)
	cfg.Seed = 2
	c, err3 := GenerateDistrict(cfg)
	if err1 != nil || err2 != nil || err3 != nil {
		t.Fatal(err1, err2, err3)
	}
	if !reflect.DeepEqual(a, b) {
		t.Error("the same seed gave two districts")
	}
	if reflect.DeepEqual(a.Clients, c.Clients) {
		t.Error("seeds 1 and 2 gave the same district")
	}
}

// TestGenerateDistrictRefuses: impossible totals are refused, not bent.
func TestGenerateDistrictRefuses(t *testing.T) {
	for name, mod := range map[string]func(*DistrictConfig){
		"50 hours a client":     func(c *DistrictConfig) { c.WeeklyHours = 50 * float64(c.Clients) },
		"1 hour a client":       func(c *DistrictConfig) { c.WeeklyHours = float64(c.Clients) },
		"negative clients":      func(c *DistrictConfig) { c.Clients = -1 },
		"a share over 1":        func(c *DistrictConfig) { c.DoubleShare = 1.2 },
		"no radius to speak of": func(c *DistrictConfig) { c.RadiusKM = -3 },
	} {
		cfg := DefaultDistrictConfig()
		mod(&cfg)
		if d, err := GenerateDistrict(cfg); err == nil {
			t.Errorf("%s: made a district of %d clients", name, len(d.Clients))
		}
	}
}
