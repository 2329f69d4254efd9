package roster

import "slices"

// Mode is how a carer travels between visits. Each mode has its own travel
// times and distances.
type Mode string

// The travel modes.
const (
	Walk   Mode = "walk"
	Drive  Mode = "drive"
	Cycle  Mode = "cycle"
	Public Mode = "public"
)

// Modes lists every travel mode in a fixed order.
var Modes = []Mode{Walk, Drive, Cycle, Public}

// Valid reports whether m is one of Modes.
func (m Mode) Valid() bool { return slices.Contains(Modes, m) }

// Location is a point on the ground in WGS84 degrees.
type Location struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// Instance is one locality's day or planning period: who is working, who
// needs care and when.
type Instance struct {
	// Name identifies the day for people, e.g. "Keighley 2026-11-24".
	Name string `json:"name,omitempty"`
	// Date is the planning day, YYYY-MM-DD; an instance gives Date or
	// Period, not both.
	Date string `json:"date,omitempty"`
	// Period is the planning period of up to MaxPeriodDays days.
	Period *Period `json:"period,omitempty"`
	// TimeZone is an IANA zone name, e.g. "Europe/London". Every Clock in the
	// instance and its plans is wall-clock time in this zone.
	TimeZone string `json:"timezone"`
	// Travel configures the straight-line travel estimate; nil uses the
	// defaults of package geo.
	Travel       *TravelConfig `json:"travel,omitempty"`
	Carers       []Carer       `json:"carers"`
	Clients      []Client      `json:"clients"`
	Visits       []Visit       `json:"visits"`
	Dependencies []Dependency  `json:"dependencies,omitempty"`
	// Rules are the continuity and working-time rules; nil takes every
	// default.
	Rules *Rules `json:"rules,omitempty"`
	// Care is recurring care, expanded by Expand into one visit per day it
	// occurs.
	Care []Care `json:"care,omitempty"`
	// History is past care, before the period, for continuity.
	History []HistoryEntry `json:"history,omitempty"`
	// Horizon is set only on an expanded instance (Expanded.Instance): its
	// times are then instants since the period's start, up to Horizon,
	// rather than wall-clock times on one date. It is never read from or
	// written to JSON.
	Horizon Clock `json:"-"`
}

// TravelConfig sets the speed and detour factor of the straight-line travel
// estimate for any of the modes (modes left out keep their defaults), or
// gives the travel outright as matrices.
type TravelConfig struct {
	Modes map[Mode]ModeSpeed `json:"modes,omitempty"`
	// Matrices, when given, are the travel between the instance's points
	// (numbered as by Instance.Points) for each mode a carer uses, from a
	// routing engine of the caller's or a benchmark's own distances. They
	// replace the straight-line estimate.
	Matrices map[Mode]TravelMatrix `json:"matrices,omitempty"`
}

// TravelMatrix is the travel between every pair of an instance's points by
// one mode: row i, column j is the leg from point i to point j.
type TravelMatrix struct {
	DurationsS [][]int `json:"durations_s"`
	DistancesM [][]int `json:"distances_m"`
}

// ModeSpeed is the straight-line model of one mode: the distance travelled is
// the straight-line distance (docs/FORMAT.md, "Travel") times Detour, covered at SpeedKMH.
type ModeSpeed struct {
	SpeedKMH float64 `json:"speed_kmh"`
	Detour   float64 `json:"detour"`
}

// Carer is a member of staff who can be given a round.
type Carer struct {
	ID string `json:"id"`
	// Name and Address are the carer's name and home address as the care
	// management system holds them, for people's eyes only (run sheets,
	// the board): nothing the service logs, counts or reports as an error
	// uses them, only ID.
	Name    string `json:"name,omitempty"`
	Address string `json:"address,omitempty"`
	// Start is where each of the carer's rounds begins (home or office).
	Start Location `json:"start"`
	// End is where each round finishes; omitted, it is Start.
	End *Location `json:"end,omitempty"`
	// Shifts are the carer's working periods on the day, in order and not
	// overlapping; a split shift is two entries. Each shift is one round:
	// the carer leaves Start no earlier than its start and is back at End no
	// later than its end. In a period they are worked every day, unless
	// Pattern, Availability or DaysOff say otherwise; a carer gives Shifts
	// or Pattern, not both.
	Shifts []Shift  `json:"shifts,omitempty"`
	Mode   Mode     `json:"mode"`
	Skills []string `json:"skills,omitempty"`
	// Gender is "female", "male" or empty when not recorded; a client who
	// asks for a carer of one gender is never given a carer whose gender is
	// not recorded as that one.
	Gender    string   `json:"gender,omitempty"`
	Languages []string `json:"languages,omitempty"`
	// MaxWorkingMin caps the carer's paid time over the whole day (travel,
	// visits and waiting between them, breaks excluded); 0 means no cap
	// beyond the shifts.
	MaxWorkingMin int `json:"max_working_min,omitempty"`
	// Break, when set, is the unpaid rest break the carer must be given.
	Break *BreakRule `json:"break,omitempty"`
	// Capacity is what the carer can carry on one round (meals, equipment,
	// or a benchmark vehicle's load); the loads of a round's visits add up
	// to at most this. 0 means no limit.
	Capacity int `json:"capacity,omitempty"`
	// MaxLegMin is the longest single journey, in minutes by the carer's
	// own mode, that any of their rounds may hold: from their start to the
	// first visit, between two visits, or from the last visit to their end.
	// 0 means the default for the mode (DefaultMaxLegMin); a walker who
	// will walk any distance the shift allows can be given 2880.
	MaxLegMin int `json:"max_leg_min,omitempty"`
	// Pattern gives the carer's shifts for each weekday of a period; a
	// weekday left out or empty is not worked.
	Pattern map[Weekday][]Shift `json:"pattern,omitempty"`
	// Availability gives the carer's shifts on particular dates, replacing
	// Shifts or Pattern on those dates.
	Availability []DayShifts `json:"availability,omitempty"`
	// DaysOff are dates on which the carer does not work, whatever else
	// says.
	DaysOff []string `json:"days_off,omitempty"`
	// Contract is the carer's contracted hours per week.
	Contract *Contract `json:"contract,omitempty"`
	// WTROptOut records that the carer has opted out of the Working Time
	// Regulations' 48-hour week (and of nothing else).
	WTROptOut bool `json:"wtr_opt_out,omitempty"`
	// HourlyRateGBP is the carer's pay per paid hour; 0 means the
	// provider's default.
	HourlyRateGBP float64 `json:"hourly_rate_gbp,omitempty"`
}

// DefaultMaxLegMin is the longest single leg, in minutes, that a carer
// travelling by mode m may be given when their max_leg_min is left out; 0
// means no limit. A carer on foot or on a bicycle is not sent on a walk or
// ride of more than 45 minutes between calls (about 3.5 km on foot, 10 km
// by bicycle); driving and public transport have no limit beyond the
// shifts.
func DefaultMaxLegMin(m Mode) int {
	switch m {
	case Walk, Cycle:
		return 45
	}
	return 0
}

// MaxLegS is the longest single leg, in seconds, the carer may be given:
// MaxLegMin, or DefaultMaxLegMin for their mode when that is 0. 0 means no
// limit. (The package constant MaxLegS bounds a leg of a given matrix.)
func (c *Carer) MaxLegS() int {
	if c.MaxLegMin > 0 {
		return c.MaxLegMin * 60
	}
	return DefaultMaxLegMin(c.Mode) * 60
}

// EndLocation is where the carer's rounds finish.
func (c *Carer) EndLocation() Location {
	if c.End != nil {
		return *c.End
	}
	return c.Start
}

// HasSkill reports whether the carer holds skill s.
func (c *Carer) HasSkill(s string) bool {
	for _, v := range c.Skills {
		if v == s {
			return true
		}
	}
	return false
}

// Speaks reports whether the carer speaks language l.
func (c *Carer) Speaks(l string) bool {
	for _, v := range c.Languages {
		if v == l {
			return true
		}
	}
	return false
}

// Shift is one working period.
type Shift struct {
	Start Clock `json:"start"`
	End   Clock `json:"end"`
}

// BreakRule is the Working Time Regulations' rest break: a carer whose paid
// time on the day exceeds AfterWorkingMin must have at least one
// uninterrupted idle period of DurationMin between leaving for the first
// visit and returning from the last. The gap between two rounds of a split
// shift counts, and so does a Break placed inside a round.
type BreakRule struct {
	AfterWorkingMin int `json:"after_working_min"`
	DurationMin     int `json:"duration_min"`
}

// Client is a person who receives care at home.
type Client struct {
	ID string `json:"id"`
	// Name and Address are the client's name and home address, for
	// people's eyes only (run sheets, the board): nothing the service
	// logs, counts or reports as an error uses them, only ID. Location,
	// not Address, is where visits take place.
	Name        string      `json:"name,omitempty"`
	Address     string      `json:"address,omitempty"`
	Location    Location    `json:"location"`
	Preferences Preferences `json:"preferences"`
	// MaxCarers caps the distinct carers the client sees over the period;
	// 0 means the instance's rules.max_distinct_carers.
	MaxCarers int `json:"max_carers,omitempty"`
	// Team are the client's regular carers, favoured (softly) for every
	// visit.
	Team []string `json:"team,omitempty"`
}

// Preferences are a client's wishes about who cares for them. CarerGender and
// ExcludedCarers are hard: never broken. Language and PreferredCarers are
// soft: the optimiser pays a cost when it cannot meet them.
type Preferences struct {
	CarerGender     string   `json:"carer_gender,omitempty"`
	Language        string   `json:"language,omitempty"`
	PreferredCarers []string `json:"preferred_carers,omitempty"`
	ExcludedCarers  []string `json:"excluded_carers,omitempty"`
}

// Excludes reports whether the client has declined carer id.
func (p *Preferences) Excludes(id string) bool {
	for _, v := range p.ExcludedCarers {
		if v == id {
			return true
		}
	}
	return false
}

// Prefers reports whether carer id is one of the client's preferred carers.
func (p *Preferences) Prefers(id string) bool {
	for _, v := range p.PreferredCarers {
		if v == id {
			return true
		}
	}
	return false
}

// WindowType says whether a visit's windows may be missed.
type WindowType string

// The window types.
const (
	// Hard windows must hold: the visit starts inside one of them.
	Hard WindowType = "hard"
	// Soft windows may be missed late, at LatenessCost per minute; a visit
	// never starts before its first window opens.
	Soft WindowType = "soft"
)

// Visit is one call at a client's home.
type Visit struct {
	ID string `json:"id"`
	// Date is the visit's date, YYYY-MM-DD, inside the period; required
	// in a period of more than one day. Its windows are wall-clock times
	// on that date.
	Date        string `json:"date,omitempty"`
	Client      string `json:"client"`
	DurationMin int    `json:"duration_min"`
	// Windows bound the visit's start time: it starts inside one of them.
	// They are in order and do not overlap.
	Windows []Window `json:"windows"`
	// WindowType is "hard" (the default when omitted) or "soft".
	WindowType WindowType `json:"window_type,omitempty"`
	// LatenessCost is the cost of each minute a soft visit starts after its
	// window closes, before the objective's lateness weight; 0 means 1.
	LatenessCost   float64  `json:"lateness_cost,omitempty"`
	RequiredSkills []string `json:"required_skills,omitempty"`
	// Carers is how many carers the visit needs: 1, or 2 for a double-handed
	// visit (both present together, starting at the same moment). Omitted
	// means 1.
	Carers int `json:"carers,omitempty"`
	// Priority weighs the visit when not every visit can be served: a visit
	// of priority 3 counts as three of priority 1. Omitted means 1.
	Priority int `json:"priority,omitempty"`
	// Check marks a short check or prompt call, exempt from the flag on
	// visits under 30 minutes.
	Check bool `json:"check,omitempty"`
	// Load is what the visit takes from the capacity of each carer who
	// serves it; 0 means nothing.
	Load int `json:"load,omitempty"`
}

// CarersNeeded is Carers with its default applied.
func (v *Visit) CarersNeeded() int {
	if v.Carers == 0 {
		return 1
	}
	return v.Carers
}

// PriorityWeight is Priority with its default applied.
func (v *Visit) PriorityWeight() int {
	if v.Priority == 0 {
		return 1
	}
	return v.Priority
}

// IsSoft reports whether the visit's windows are soft.
func (v *Visit) IsSoft() bool { return v.WindowType == Soft }

// LatenessS is how late the visit is when it starts at t, as Check
// measures it: 0 for a hard visit, or inside a window or before the first;
// else t minus the end of the latest window that closed before t.
func (v *Visit) LatenessS(t Clock) int {
	if !v.IsSoft() {
		return 0
	}
	late := int64(0)
	for _, w := range v.Windows {
		if t >= w.Start && t <= w.End {
			return 0
		}
		if w.End < t {
			late = int64(t) - int64(w.End)
		}
	}
	return int(late)
}

// LatenessCostPerMin is LatenessCost with its default applied.
func (v *Visit) LatenessCostPerMin() float64 {
	if v.LatenessCost == 0 {
		return 1
	}
	return v.LatenessCost
}

// DurationS is the visit's duration in seconds.
func (v *Visit) DurationS() int { return v.DurationMin * 60 }

// Window is an interval of allowed start times, both ends included.
type Window struct {
	Start Clock `json:"start"`
	End   Clock `json:"end"`
}

// DependencyType says how two visits are tied in time.
type DependencyType string

// The dependency types.
const (
	// Simultaneous visits start at the same moment, served by different
	// carers; both are served or neither is.
	Simultaneous DependencyType = "simultaneous"
	// Sequential visits start in order: Second starts between MinGapMin and
	// MaxGapMin minutes after First starts. The gap binds when both are
	// served.
	Sequential DependencyType = "sequential"
)

// Dependency ties the start times of two visits.
type Dependency struct {
	Type   DependencyType `json:"type"`
	First  string         `json:"first"`
	Second string         `json:"second"`
	// MinGapMin and MaxGapMin bound Second's start minus First's start for a
	// sequential dependency; MaxGapMin omitted means no upper bound.
	MinGapMin int  `json:"min_gap_min,omitempty"`
	MaxGapMin *int `json:"max_gap_min,omitempty"`
	// DistinctCarers asks that no carer serve both visits of a sequential
	// dependency (simultaneous visits always have different carers).
	DistinctCarers bool `json:"distinct_carers,omitempty"`
}
