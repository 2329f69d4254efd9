package synth

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/rounds-dev/rounds/roster"
)

// WeekConfig says what kind of planning period to generate. Start from
// DefaultWeekConfig: GenerateWeek fills in Days, VisitsPerDay, Start,
// Centre, RadiusKM and MaxDistinctCarers when they are left at zero, but
// takes DoubleShare and WalkShare as given, so that 0 means none.
type WeekConfig struct {
	// Seed picks the period; the same WeekConfig always gives the same
	// period.
	Seed int64
	// Start is the period's first date, YYYY-MM-DD; empty means
	// DefaultWeekStart.
	Start string
	// Days is the length of the period, 1 to roster.MaxPeriodDays; 0
	// means 7.
	Days int
	// VisitsPerDay is the mean number of visits a day of a week of the
	// care packages holds; 0 means DefaultVisits. Clients, when set, wins.
	VisitsPerDay int
	// Clients is the number of clients; 0 makes as many as VisitsPerDay
	// needs.
	Clients int
	// Carers is the number of carers; 0 chooses enough for the demand
	// (see the package documentation).
	Carers int
	// DoubleShare is the share of visits that are double-handed, 0 to 1.
	DoubleShare float64
	// WalkShare is the share of carers who walk between visits, 0 to 1.
	WalkShare float64
	// Centre is the town centre; the zero location means Keighley.
	Centre roster.Location
	// RadiusKM is how far the town reaches; 0 means DefaultRadiusKM.
	RadiusKM float64
	// MaxDistinctCarers is the instance's rules.max_distinct_carers; 0
	// means DefaultMaxDistinctCarers.
	MaxDistinctCarers int
	// History, when true, writes last week's visits to each client by
	// carer and date, mostly by the client's team.
	History bool
	// Habitable is as for Config.
	Habitable func(roster.Location) bool
}

// The defaults of DefaultWeekConfig, and the limits GenerateWeek accepts.
const (
	// DefaultWeekStart is a Monday in late November.
	DefaultWeekStart = "2026-11-23"
	// DefaultMaxDistinctCarers caps the carers a client sees in the
	// period: room for a regular team of three to five and the odd cover
	// on their days off, with a pair at every call for a hoisted client.
	DefaultMaxDistinctCarers = 8
	// DefaultCallTimeSpreadMaxMin caps how far a recurring call's start
	// may wander over the period: an hour, the width of a ±30 min window.
	DefaultCallTimeSpreadMaxMin = 60
	// MaxClients is the most clients of one generated period.
	MaxClients = 2000
)

// DefaultWeekConfig returns the default week: Monday 23 November 2026, 150
// visits a day in Keighley, 40% double-handed, 30% of carers walking,
// carers chosen for the demand, no history, seed 1.
func DefaultWeekConfig() WeekConfig {
	return WeekConfig{
		Seed:         1,
		Start:        DefaultWeekStart,
		Days:         7,
		VisitsPerDay: DefaultVisits,
		DoubleShare:  DefaultDoubleShare,
		WalkShare:    DefaultWalkShare,
		Centre:       Keighley,
		RadiusKM:     DefaultRadiusKM,
	}
}

// resolve fills in the defaults of zero fields and checks the rest.
func (cfg WeekConfig) resolve() (WeekConfig, error) {
	if cfg.Days == 0 {
		cfg.Days = 7
	}
	if cfg.Start == "" {
		cfg.Start = DefaultWeekStart
	}
	if cfg.VisitsPerDay == 0 {
		cfg.VisitsPerDay = DefaultVisits
	}
	if cfg.MaxDistinctCarers == 0 {
		cfg.MaxDistinctCarers = DefaultMaxDistinctCarers
	}
	switch {
	case cfg.Days < 1 || cfg.Days > roster.MaxPeriodDays:
		return cfg, fmt.Errorf("synth: days: must be from 1 to %d, got %d", roster.MaxPeriodDays, cfg.Days)
	case cfg.VisitsPerDay < 1 || cfg.VisitsPerDay > MaxVisits:
		return cfg, fmt.Errorf("synth: visits per day: must be from 1 to %d, got %d", MaxVisits, cfg.VisitsPerDay)
	case cfg.Clients < 0 || cfg.Clients > MaxClients:
		return cfg, fmt.Errorf("synth: clients: must be from 0 (enough for the visits) to %d, got %d", MaxClients, cfg.Clients)
	case cfg.MaxDistinctCarers < 1 || cfg.MaxDistinctCarers > 1000:
		return cfg, fmt.Errorf("synth: max distinct carers: must be from 1 to 1000, got %d", cfg.MaxDistinctCarers)
	}
	if _, err := time.Parse(time.DateOnly, cfg.Start); err != nil || len(cfg.Start) != len(time.DateOnly) {
		return cfg, fmt.Errorf("synth: start: want a date as YYYY-MM-DD, got %q", cfg.Start)
	}
	day := Config{
		Visits: cfg.VisitsPerDay, Carers: cfg.Carers, DoubleShare: cfg.DoubleShare, WalkShare: cfg.WalkShare,
		Centre: cfg.Centre, RadiusKM: cfg.RadiusKM, Date: cfg.Start,
	}
	day, err := day.resolve()
	if err != nil {
		return cfg, err
	}
	cfg.Centre, cfg.RadiusKM = day.Centre, day.RadiusKM
	return cfg, nil
}

// GenerateWeek makes a synthetic locality's planning period: clients with
// recurring care packages, carers with weekly shift patterns, days off and
// contracts, each client's regular team and, optionally, last week's
// history. It is deterministic: the same WeekConfig always gives the same
// instance. The only errors are about the WeekConfig.
//
// Every generated period passes roster.Validate and roster.Expand. With
// Carers at 0 it is staffed by the sizing rule in the package
// documentation; with Carers set, the rotas and skills are fitted as well
// as that many carers allow.
func GenerateWeek(cfg WeekConfig) (*roster.Instance, error) {
	cfg, err := cfg.resolve()
	if err != nil {
		return nil, err
	}
	w := &weekGenerator{
		generator: &generator{
			cfg: Config{
				Seed: cfg.Seed, Visits: cfg.VisitsPerDay, Carers: cfg.Carers,
				DoubleShare: cfg.DoubleShare, WalkShare: cfg.WalkShare,
				Centre: cfg.Centre, RadiusKM: cfg.RadiusKM, Date: cfg.Start, Habitable: cfg.Habitable,
			},
			// A stream of its own, so that a week is not a day's draws
			// continued.
			r: newRand(cfg.Seed ^ 0x7eec),
		},
		cfg: cfg,
	}
	if cfg.Clients > 0 {
		// Neighbourhoods are sized by visits a day: about 2.7 a client.
		w.generator.cfg.Visits = min(max(cfg.Clients*27/10, 1), MaxVisits)
	}
	w.layOutTown()
	w.makePackages()
	w.makeRotas()
	w.fitWeekSkills()
	w.makePreferences()
	w.makeTeams()
	if cfg.History {
		w.makeHistory()
	}
	if w.err != nil {
		return nil, w.err
	}
	return w.instance(), nil
}

// weekGenerator holds a period while it is made. The embedded day
// generator's visits are the care entries, one each, as they fall on any
// day; its carers' Shifts are the shifts of each day they work.
type weekGenerator struct {
	*generator
	cfg WeekConfig
	// careDays[vi] are the weekdays care entry vi occurs on.
	careDays []roster.Days
	// careName[vi] names entry vi within its client, e.g. "breakfast".
	careName []string
	// rota[i] is carer i's week.
	rota []rota
	// history is last week's care, when asked for.
	history []roster.HistoryEntry
}

// rota is a carer's working week besides their daily shifts.
type rota struct {
	// works[d] reports whether the carer works weekday d (Monday first).
	works [7]bool
	// daysOffAsDates gives the days off as days_off dates rather than
	// weekdays left out of the pattern: a rotating rota's way of writing.
	daysOffAsDates bool
	contract       roster.Contract
	optOut         bool
	rateGBP        float64
}

// weekdayOf is the index (Monday 0) of day d of the period.
func (w *weekGenerator) weekdayOf(d int) int {
	t, _ := time.Parse(time.DateOnly, w.cfg.Start)
	return (int(t.AddDate(0, 0, d).Weekday()) + 6) % 7
}

// date is the YYYY-MM-DD date of day d of the period (d may be negative).
func (w *weekGenerator) date(d int) string {
	t, _ := time.Parse(time.DateOnly, w.cfg.Start)
	return t.AddDate(0, 0, d).Format(time.DateOnly)
}

// occurs reports whether care entry vi occurs at least once in the period.
func (w *weekGenerator) occurs(vi int) bool {
	for d := 0; d < min(w.cfg.Days, 7); d++ {
		if w.careDays[vi].Has(roster.Weekdays[w.weekdayOf(d)]) {
			return true
		}
	}
	return false
}

// instance assembles the roster.Instance.
func (w *weekGenerator) instance() *roster.Instance {
	spread := DefaultCallTimeSpreadMaxMin
	maxCarers := w.cfg.MaxDistinctCarers
	in := &roster.Instance{
		Name:     fmt.Sprintf("Synthetic locality, %d days from %s (seed %d)", w.cfg.Days, w.cfg.Start, w.cfg.Seed),
		Period:   &roster.Period{Start: w.cfg.Start, Days: w.cfg.Days},
		TimeZone: TimeZone,
		Rules:    &roster.Rules{MaxDistinctCarers: &maxCarers, CallTimeSpreadMaxMin: &spread},
		Carers:   make([]roster.Carer, len(w.carers)),
		Clients:  make([]roster.Client, len(w.clients)),
		// The care entries hold the visits; an empty list, not null, so
		// that the document reads as it is described.
		Visits:  []roster.Visit{},
		History: w.history,
	}
	for i := range w.carers {
		c := w.carers[i].Carer
		c.Skills = canonicalSkills(c.Skills)
		rt := &w.rota[i]
		daily := c.Shifts
		c.Shifts = nil
		c.Pattern = make(map[roster.Weekday][]roster.Shift, 7)
		for d, day := range roster.Weekdays {
			if rt.works[d] || rt.daysOffAsDates {
				c.Pattern[day] = slices.Clone(daily)
			}
		}
		if rt.daysOffAsDates {
			for d := 0; d < w.cfg.Days; d++ {
				if !rt.works[w.weekdayOf(d)] {
					c.DaysOff = append(c.DaysOff, w.date(d))
				}
			}
		}
		contract := rt.contract
		c.Contract = &contract
		c.WTROptOut = rt.optOut
		c.HourlyRateGBP = rt.rateGBP
		in.Carers[i] = c
	}
	for i := range w.clients {
		in.Clients[i] = w.clients[i].Client
	}
	for vi := range w.visits {
		if !w.occurs(vi) {
			// A Mon/Wed/Fri call in a period of a Tuesday alone.
			continue
		}
		v := &w.visits[vi].Visit
		win := v.Windows[0]
		t := (win.Start + win.End) / 2
		in.Care = append(in.Care, roster.Care{
			ID:             v.ID,
			Client:         v.Client,
			DurationMin:    v.DurationMin,
			Days:           w.careDays[vi],
			Time:           &t,
			ToleranceMin:   int(win.End-win.Start) / 120,
			WindowType:     v.WindowType,
			LatenessCost:   v.LatenessCost,
			RequiredSkills: v.RequiredSkills,
			Carers:         v.Carers,
			Priority:       v.Priority,
			Check:          v.Check,
		})
	}
	return in
}

// weekMinutes is the contact time of client ci's care in a week of seven
// days, in minutes: what the client receives, a double-handed call
// counting once.
func (w *weekGenerator) weekMinutes(ci int) int {
	total := 0
	for _, vi := range w.clients[ci].visits {
		total += w.visits[vi].DurationMin * len(w.careDays[vi])
	}
	return total
}

// carerMinutesByWeekday is the carer time the care takes on each weekday
// and in each part of the day, in minutes, with the travel allowance, a
// double-handed call counting twice.
func (w *weekGenerator) carerMinutesByWeekday(allowance [nBands]float64) [7][nBands]float64 {
	var out [7][nBands]float64
	for vi := range w.visits {
		v := &w.visits[vi]
		for d, day := range roster.Weekdays {
			if w.careDays[vi].Has(day) {
				out[d][v.band] += float64(v.CarersNeeded()) * (float64(v.DurationMin) + allowance[v.band])
			}
		}
	}
	return out
}

// roundPence rounds an amount of money to whole pence.
func roundPence(x float64) float64 { return math.Round(x*100) / 100 }
