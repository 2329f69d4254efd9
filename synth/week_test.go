package synth_test

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rounds-dev/rounds/roster"
	"github.com/rounds-dev/rounds/synth"
)

// weekFixtures are the generated periods kept in the repository's
// testdata/; docs/FORMAT.md names the command that writes the same file.
var weekFixtures = []struct {
	file string
	cfg  func() synth.WeekConfig
}{
	// rounds gen --days 7 --start 2026-11-23 --seed 1 --visits 150 --history
	{"week_locality.json", func() synth.WeekConfig {
		c := synth.DefaultWeekConfig()
		c.History = true
		return c
	}},
}

func generateWeek(t *testing.T, cfg synth.WeekConfig) *roster.Instance {
	t.Helper()
	in, err := synth.GenerateWeek(cfg)
	if err != nil {
		t.Fatalf("GenerateWeek(%+v): %v", cfg, err)
	}
	return in
}

// TestWriteWeekFixtures rewrites the week fixtures; run
// "go test ./synth -run TestWriteWeekFixtures -update".
func TestWriteWeekFixtures(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rewrite the fixtures")
	}
	for _, f := range weekFixtures {
		if err := os.WriteFile(filepath.Join("..", "testdata", f.file), encode(t, generateWeek(t, f.cfg())), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestWeekFixturesUpToDate checks that the week fixtures are what the
// generator makes now and that they decode and expand.
func TestWeekFixturesUpToDate(t *testing.T) {
	for _, f := range weekFixtures {
		t.Run(f.file, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join("..", "testdata", f.file))
			if err != nil {
				t.Fatalf("%v (run go test ./synth -run TestWriteWeekFixtures -update)", err)
			}
			if got := encode(t, generateWeek(t, f.cfg())); !bytes.Equal(got, want) {
				t.Errorf("testdata/%s differs from the generator's week; run go test ./synth -run TestWriteWeekFixtures -update", f.file)
			}
			in, err := roster.DecodeInstance(bytes.NewReader(want))
			if err != nil {
				t.Fatalf("testdata/%s does not decode: %v", f.file, err)
			}
			if _, err := roster.Expand(in); err != nil {
				t.Errorf("testdata/%s does not expand: %v", f.file, err)
			}
		})
	}
}

// TestGenerateWeekDeterministic: a WeekConfig always gives the same
// period, byte for byte, and another seed another one.
func TestGenerateWeekDeterministic(t *testing.T) {
	cfg := synth.DefaultWeekConfig()
	cfg.VisitsPerDay, cfg.History = 60, true
	a, b := encode(t, generateWeek(t, cfg)), encode(t, generateWeek(t, cfg))
	if !bytes.Equal(a, b) {
		t.Error("one WeekConfig gave two different periods")
	}
	cfg.Seed++
	if c := encode(t, generateWeek(t, cfg)); bytes.Equal(a, c) {
		t.Error("seeds 1 and 2 gave the same period")
	}
}

// TestGenerateWeekConfigErrors: each bad field is named.
func TestGenerateWeekConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		edit func(*synth.WeekConfig)
		want string
	}{
		{"days too many", func(c *synth.WeekConfig) { c.Days = 29 }, "days: must be from 1 to 28, got 29"},
		{"days negative", func(c *synth.WeekConfig) { c.Days = -1 }, "days: must be from 1 to 28"},
		{"start not a date", func(c *synth.WeekConfig) { c.Start = "2026-02-30" }, `start: want a date as YYYY-MM-DD, got "2026-02-30"`},
		{"visits negative", func(c *synth.WeekConfig) { c.VisitsPerDay = -5 }, "visits per day: must be from 1"},
		{"clients too many", func(c *synth.WeekConfig) { c.Clients = synth.MaxClients + 1 }, "clients: must be from 0"},
		{"double share", func(c *synth.WeekConfig) { c.DoubleShare = 1.2 }, "double share: must be from 0 to 1"},
		{"walk share", func(c *synth.WeekConfig) { c.WalkShare = math.NaN() }, "walk share: must be from 0 to 1"},
		{"one carer, double-handed", func(c *synth.WeekConfig) { c.Carers = 1 }, "double-handed visits need at least 2 carers"},
		{"max distinct carers", func(c *synth.WeekConfig) { c.MaxDistinctCarers = -1 }, "max distinct carers: must be from 1 to 1000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := synth.DefaultWeekConfig()
			tt.edit(&cfg)
			_, err := synth.GenerateWeek(cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("GenerateWeek: error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// weekdayIndex is w's place from Monday.
func weekdayIndex(w roster.Weekday) int { return slices.Index(roster.Weekdays, w) }

// TestGenerateWeekProperties generates periods over many seeds, sizes and
// lengths and checks each: it validates and expands; every care entry
// occurs; each day's visits stay near the target; each client's care is
// 9-14 contact hours a week in 1-4 calls a day; the double-handed share
// is near DoubleShare; every team has 3-5 carers (fewer only where the
// client accepts fewer), each qualified for all
// the client's care and accepted by the client; contracts are 16-40 h
// targets with the rota's one or two days off; about WalkShare walk.
func TestGenerateWeekProperties(t *testing.T) {
	type size struct {
		visits, days int
		start        string
	}
	sizes := []size{
		{20, 7, "2026-11-23"}, {60, 7, "2026-11-25"}, {150, 7, "2026-11-23"},
		{100, 3, "2026-11-27"}, {80, 14, "2026-10-19"}, {40, 1, "2026-11-24"}, {250, 7, "2026-03-23"},
	}
	for _, sz := range sizes {
		for seed := int64(1); seed <= 6; seed++ {
			t.Run(fmt.Sprintf("visits=%d/days=%d/seed=%d", sz.visits, sz.days, seed), func(t *testing.T) {
				cfg := synth.DefaultWeekConfig()
				cfg.Seed, cfg.VisitsPerDay, cfg.Days, cfg.Start, cfg.History = seed, sz.visits, sz.days, sz.start, seed%2 == 0
				in := generateWeek(t, cfg)
				if err := in.Validate(); err != nil {
					t.Fatalf("Validate: %v", err)
				}
				x, err := roster.Expand(in)
				if err != nil {
					t.Fatalf("Expand: %v", err)
				}
				checkWeek(t, cfg, in, x)
			})
		}
	}
}

// checkWeek checks the properties TestGenerateWeekProperties lists.
func checkWeek(t *testing.T, cfg synth.WeekConfig, in *roster.Instance, x *roster.Expanded) {
	t.Helper()
	// Every care entry occurs at least once.
	occurs := make([]int, len(in.Care))
	for _, c := range x.VisitCare {
		if c >= 0 {
			occurs[c]++
		}
	}
	for i, n := range occurs {
		if n == 0 {
			t.Errorf("care[%d] (%s) never occurs", i, in.Care[i].ID)
		}
	}
	// Visits a day: near the target; weekends a little lighter.
	perDay := make([]int, cfg.Days)
	double := 0
	for i := range x.Instance.Visits {
		perDay[x.VisitDay[i]]++
		if x.Instance.Visits[i].CarersNeeded() == 2 {
			double++
		}
	}
	for d, n := range perDay {
		lo, hi := 0.75*float64(cfg.VisitsPerDay)-6, 1.2*float64(cfg.VisitsPerDay)+8
		if float64(n) < lo || float64(n) > hi {
			t.Errorf("day %d (%s) has %d visits, want %.0f to %.0f for %d a day", d, x.Date(d), n, lo, hi, cfg.VisitsPerDay)
		}
	}
	// A client brings a week's calls at once, some 5% of the visits of a
	// locality of 60 a day: the share is held close only from 100 a day,
	// and in a locality of fewer than 50 a day (under 20 clients) it is
	// left to chance.
	tol := 0.12
	if cfg.VisitsPerDay >= 100 {
		tol = 0.06
	}
	if share := float64(double) / float64(len(x.Instance.Visits)); cfg.VisitsPerDay >= 50 && math.Abs(share-cfg.DoubleShare) > tol {
		t.Errorf("double-handed share %.3f, want %.2f ± %.2f", share, cfg.DoubleShare, tol)
	}
	// Packages: 9-14 contact hours in a week of seven days, 1-4 calls a
	// day, each call at its band's usual time as time ± 15 or 30 minutes.
	weekMin := map[string]int{}
	callsOn := map[string]*[7]int{}
	for _, c := range in.Care {
		n := len(c.Days)
		weekMin[c.Client] += c.DurationMin * n
		if callsOn[c.Client] == nil {
			callsOn[c.Client] = &[7]int{}
		}
		for _, d := range c.Days {
			callsOn[c.Client][weekdayIndex(d)]++
		}
		if c.Time == nil || (c.ToleranceMin != 30 && c.ToleranceMin != 15) {
			t.Errorf("care %s: want time ± 15 or 30 min, got %v ± %d", c.ID, c.Time, c.ToleranceMin)
		} else if band := callBand(*c.Time - roster.Clock(c.ToleranceMin*60)); band == "" || band != callBand(*c.Time+roster.Clock(c.ToleranceMin*60)) {
			t.Errorf("care %s: %v ± %d is outside the usual bands", c.ID, *c.Time, c.ToleranceMin)
		}
		if c.Carers == 2 && !slices.Contains(c.RequiredSkills, synth.SkillHoist) {
			t.Errorf("care %s is double-handed without hoisting", c.ID)
		}
	}
	if cfg.Days >= 7 {
		// Only a whole week holds every entry; a shorter period drops the
		// Mon/Wed/Fri calls that do not fall in it.
		for _, cl := range in.Clients {
			if m := weekMin[cl.ID]; m < 9*60 || m > 14*60 {
				t.Errorf("client %s has %.2f h of care a week, want 9 to 14", cl.ID, float64(m)/60)
			}
			for d, n := range callsOn[cl.ID] {
				if n > 4 {
					t.Errorf("client %s has %d calls on %s, want at most 4", cl.ID, n, roster.Weekdays[d])
				}
			}
		}
	}
	// Teams: 3-5 carers, each qualified for all the client's care, and
	// accepted by the client.
	carers := map[string]*roster.Carer{}
	for i := range in.Carers {
		carers[in.Carers[i].ID] = &in.Carers[i]
	}
	for _, cl := range in.Clients {
		// Three at least, unless the client accepts fewer carers (a man
		// asked for where few carers are men).
		accepted := 0
		for _, k := range in.Carers {
			if !cl.Preferences.Excludes(k.ID) && (cl.Preferences.CarerGender == "" || k.Gender == cl.Preferences.CarerGender) {
				accepted++
			}
		}
		if len(cl.Team) < min(3, accepted) || len(cl.Team) > 5 {
			t.Errorf("client %s: team of %d, want 3 (or the %d carers the client accepts) to 5", cl.ID, len(cl.Team), accepted)
		}
		for _, id := range cl.Team {
			k := carers[id]
			if cl.Preferences.Excludes(id) || (cl.Preferences.CarerGender != "" && k.Gender != cl.Preferences.CarerGender) {
				t.Errorf("client %s: team member %s is one the client does not accept", cl.ID, id)
			}
			for _, c := range in.Care {
				for _, s := range c.RequiredSkills {
					if c.Client == cl.ID && !k.HasSkill(s) {
						t.Errorf("client %s: team member %s lacks %s for %s", cl.ID, id, s, c.ID)
					}
				}
			}
		}
		if cl.MaxCarers != 0 && cl.MaxCarers < len(cl.Team) {
			t.Errorf("client %s: max_carers %d is below a team of %d", cl.ID, cl.MaxCarers, len(cl.Team))
		}
	}
	// Carers: contracts, days off, pay, modes.
	walkers := 0
	for _, k := range in.Carers {
		if k.Mode == roster.Walk {
			walkers++
		}
		c := k.Contract
		if c == nil || c.TargetHours < 16 || c.TargetHours > 40 || c.MinHours > c.TargetHours || c.MaxHours < c.TargetHours {
			t.Errorf("carer %s: contract %+v, want a target of 16-40 h within min and max", k.ID, c)
		}
		if k.HourlyRateGBP < 12.21 || k.HourlyRateGBP > 13.5 {
			t.Errorf("carer %s: £%.2f an hour, want £12.21 to £13.50", k.ID, k.HourlyRateGBP)
		}
		off := 7 - len(k.Pattern)
		for _, d := range k.DaysOff {
			if dt, _ := time.Parse(time.DateOnly, d); dt.Sub(mustDate(t, cfg.Start)) < 7*24*time.Hour {
				off++
			}
		}
		if cfg.Days >= 7 && (off < 1 || off > 2) {
			t.Errorf("carer %s has %d days off in the first week, want 1 or 2", k.ID, off)
		}
		// The minimum is within reach of the shifts of the first week.
		if cfg.Days >= 7 {
			onShiftMin := 0.0
			for d, shifts := range k.Pattern {
				offDate := slices.ContainsFunc(k.DaysOff, func(date string) bool {
					dt, _ := time.Parse(time.DateOnly, date)
					gap := dt.Sub(mustDate(t, cfg.Start))
					return gap >= 0 && gap < 7*24*time.Hour && roster.Weekdays[(int(dt.Weekday())+6)%7] == d
				})
				for _, sh := range shifts {
					if !offDate {
						onShiftMin += float64(sh.End-sh.Start) / 60
					}
				}
			}
			if c != nil && c.MinHours > 0.6*onShiftMin/60+1e-9 {
				t.Errorf("carer %s: contracted minimum %v h of %.1f h on shift in the first week, want at most 60%%", k.ID, c.MinHours, onShiftMin/60)
			}
		}
	}
	if n := len(in.Carers); n >= 20 {
		if share := float64(walkers) / float64(n); math.Abs(share-cfg.WalkShare) > 0.1 {
			t.Errorf("%d of %d carers walk, want about %.0f%%", walkers, n, 100*cfg.WalkShare)
		}
	}
	// History: last week, mostly by the team.
	if cfg.History {
		if len(in.History) == 0 {
			t.Error("no history, though asked for")
		}
		byTeam, total := 0, 0
		for _, h := range in.History {
			total += h.Visits
			for _, cl := range in.Clients {
				if cl.ID == h.Client && slices.Contains(cl.Team, h.Carer) {
					byTeam += h.Visits
				}
			}
		}
		if share := float64(byTeam) / float64(total); share < 0.6 {
			t.Errorf("history: %.2f of past visits by the clients' teams, want most", share)
		}
	} else if len(in.History) > 0 {
		t.Errorf("history of %d entries, though not asked for", len(in.History))
	}
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestGenerateWeekSizing: with carers chosen for the demand, the carers'
// contracted target hours reach ContractSlack times the care's carer time
// (each carer of a double-handed call counted, plus at least five
// minutes' travel a carer-visit), and a week of 1,500 visits is generated
// well within a second.
func TestGenerateWeekSizing(t *testing.T) {
	cfg := synth.DefaultWeekConfig()
	cfg.VisitsPerDay = 215
	start := time.Now()
	in := generateWeek(t, cfg)
	took := time.Since(start)
	x, err := roster.Expand(in)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(x.Instance.Visits); n < 1450 || n > 1600 {
		t.Errorf("%d visits, want about 1,500", n)
	}
	careMin := 0.0
	for _, v := range x.Instance.Visits {
		careMin += float64(v.CarersNeeded() * (v.DurationMin + 5))
	}
	targetH := 0.0
	for _, k := range in.Carers {
		targetH += k.Contract.TargetHours
	}
	if targetH < synth.ContractSlack*careMin/60 {
		t.Errorf("contracted %.0f h a week for %.0f h of care and travel, want at least %.2f times", targetH, careMin/60, synth.ContractSlack)
	}
	// Generous for -race on a shared machine; it takes some 60 ms alone.
	if took > 900*time.Millisecond {
		t.Errorf("a week of %d visits took %v, want well under a second", len(x.Instance.Visits), took)
	}
	t.Logf("%d visits, %d clients, %d carers, %.0f h contracted for %.0f h of care, in %v",
		len(x.Instance.Visits), len(in.Clients), len(in.Carers), targetH, careMin/60, took)
}

// BenchmarkGenerateWeek1500 times a 7-day week of about 1,500 visits.
func BenchmarkGenerateWeek1500(b *testing.B) {
	cfg := synth.DefaultWeekConfig()
	cfg.VisitsPerDay = 215
	b.ReportAllocs()
	for b.Loop() {
		if _, err := synth.GenerateWeek(cfg); err != nil {
			b.Fatal(err)
		}
	}
}
