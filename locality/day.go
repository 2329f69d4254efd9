package locality

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/rounds-dev/rounds/roster"
)

// DayOptions shape a locality's representative day.
type DayOptions struct {
	// Seed draws the carers' homes among the clients: the same clients,
	// seed and pool size give the same day.
	Seed int64
	// AllWalk makes every carer a walker, for asking whether walkers
	// alone could serve the locality; otherwise Supply.WalkShare of them
	// walk and the rest drive.
	AllWalk bool
	// Name names the instance; empty gives "representative day".
	Name string
	// Date is the day, a weekday as YYYY-MM-DD; empty gives DefaultDate.
	Date string
	// TimeZone is the IANA zone of the day's times; empty gives
	// Europe/London.
	TimeZone string
	// MaxWorkingMin caps each carer's paid time on the day: 0 gives
	// DefaultMaxWorkingMin, a negative value sets no cap beyond the
	// shifts.
	MaxWorkingMin int
}

// DefaultDate is the representative day's date when DayOptions leave it
// out: a Tuesday, outside any bank holiday or change of the clocks.
const DefaultDate = "2026-11-24"

// DefaultMaxWorkingMin caps a carer's paid time on the representative day
// at ten hours of the thirteen their split shift spans, a cap many
// providers put on long split shifts.
const DefaultMaxWorkingMin = 600

// Every carer of the representative day works the split shift of
// capacity.go, splitShifts: each is present in every band, so the number
// of carers the day needs is set by its busiest band.
var (
	// breakRule is the Working Time Regulations' 20 minutes after six
	// hours' work; the gap between the two halves of the split shift
	// gives it.
	breakRule = roster.BreakRule{AfterWorkingMin: 360, DurationMin: 20}
)

// bandWindows are the start times each band's calls may take: breakfast
// 07:00-10:00, lunch 12:00-14:00, tea 16:30-18:00 and bed 19:30-22:00, as
// in the generated days of package synth. A call also starts early enough
// to end, with shiftMarginS to get home, before its half of the split
// shift does.
var bandWindows = [NBands]roster.Window{
	Morning: {Start: hm(7, 0), End: hm(10, 0)},
	Lunch:   {Start: hm(12, 0), End: hm(14, 0)},
	Tea:     {Start: hm(16, 30), End: hm(18, 0)},
	Bed:     {Start: hm(19, 30), End: hm(22, 0)},
}

// shiftMarginS is the time a carer keeps at the end of a shift to get
// home from its last call.
const shiftMarginS = 15 * 60

// minCallMin is the shortest call of the representative day: a client's
// weekly hours spread over many calls never make a call shorter.
const minCallMin = 10

// Day is a representative weekday of a locality as a one-day instance:
// one visit for each call of each client, of the client's call length
// rounded to the minute (at least minCallMin), with the band's window
// (hard; a call too long to end in its half of the shift from the band's
// opening starts earlier) and the client's skills, double-handed calls needing two carers;
// and a pool of carers carers on split shifts, round(WalkShare × carers)
// of them walking (all with AllWalk), every one holding every skill the
// clients need, living at clients' homes drawn with the seed. The pool is
// nested: carer k is the same whatever the pool's size, so that pools of
// n and n−1 carers differ by one carer only. The instance has passed
// roster's Validate.
func Day(clients []Client, supply Supply, carers int, opts DayOptions) (*roster.Instance, error) {
	if len(clients) == 0 {
		return nil, errors.New("locality: a representative day needs at least one client")
	}
	if carers < 1 {
		return nil, fmt.Errorf("locality: a representative day needs at least one carer, got %d", carers)
	}
	if !(supply.WalkShare >= 0 && supply.WalkShare <= 1) {
		return nil, fmt.Errorf("locality: supply.walk_share: must be from 0 to 1, got %v", supply.WalkShare)
	}
	in := &roster.Instance{
		Name:     opts.Name,
		Date:     opts.Date,
		TimeZone: opts.TimeZone,
	}
	if in.Name == "" {
		in.Name = "representative day"
	}
	if in.Date == "" {
		in.Date = DefaultDate
	}
	if in.TimeZone == "" {
		in.TimeZone = "Europe/London"
	}
	var skills []string
	for i := range clients {
		c := &clients[i]
		if err := addVisits(in, i, c); err != nil {
			return nil, err
		}
		for _, s := range c.Skills {
			if !slices.Contains(skills, s) {
				skills = append(skills, s)
			}
		}
	}
	slices.Sort(skills)
	in.Carers = pool(clients, supply, carers, opts, skills)
	if err := in.Validate(); err != nil {
		return nil, fmt.Errorf("locality: representative day: %w", err)
	}
	return in, nil
}

// callError is a client whose calls cannot make a representative day:
// client i's field and the reason.
type callError struct {
	i             int
	id            string
	field, reason string
}

func (e *callError) Error() string { return "locality: " + e.fieldError(true).Error() }

// fieldError is the problem at its path, "clients[3].bands[0]", with the
// client's id after the index when withID is set: "clients[3] (C004)".
func (e *callError) fieldError(withID bool) roster.FieldError {
	path := fmt.Sprintf("clients[%d]", e.i)
	if withID {
		path += " (" + e.id + ")"
	}
	return roster.FieldError{Path: path + "." + e.field, Reason: e.reason}
}

// addVisits adds client i and one visit for each of their calls.
func addVisits(in *roster.Instance, i int, c *Client) *callError {
	fail := func(field, format string, args ...any) *callError {
		return &callError{i: i, id: c.ID, field: field, reason: fmt.Sprintf(format, args...)}
	}
	if len(c.Bands) == 0 {
		return fail("bands", "no calls")
	}
	if !(c.WeeklyHours > 0) || math.IsInf(c.WeeklyHours, 0) {
		return fail("weekly_hours", "must be a positive number, got %v", c.WeeklyHours)
	}
	dur := max(minCallMin, int(math.Round(c.CallMin())))
	carers := 1
	if c.Double {
		carers = 2
	}
	in.Clients = append(in.Clients, roster.Client{ID: c.ID, Location: c.Location})
	for k, b := range c.Bands {
		if b < 0 || b >= NBands {
			return fail(fmt.Sprintf("bands[%d]", k), "%v is not a band", b)
		}
		w := bandWindows[b]
		sh := shiftOf(w.Start)
		w.End = min(w.End, sh.End-roster.Clock(dur*60+shiftMarginS))
		if w.End < w.Start {
			// A long call starts earlier than its band, at the latest
			// time that lets it end before the shift does.
			w.Start = w.End
		}
		if w.Start < sh.Start {
			return fail(fmt.Sprintf("bands[%d]", k), "a %d-minute %s call does not fit in the shift", dur, b)
		}
		in.Visits = append(in.Visits, roster.Visit{
			ID:             fmt.Sprintf("%s.%d", c.ID, k+1),
			Client:         c.ID,
			DurationMin:    dur,
			Windows:        []roster.Window{w},
			RequiredSkills: slices.Clone(c.Skills),
			Carers:         carers,
		})
	}
	return nil
}

// shiftOf is the half of the split shift that holds t.
func shiftOf(t roster.Clock) roster.Shift {
	for _, s := range splitShifts {
		if t >= s.Start && t < s.End {
			return s
		}
	}
	return splitShifts[len(splitShifts)-1]
}

// pool draws n carers. Carer k lives at the home of the client at
// position k (cycling) of a seeded shuffle, and walks when the running
// count round(WalkShare × (k+1)) steps up at k, so that any first m
// carers hold round(WalkShare × m) walkers.
func pool(clients []Client, supply Supply, n int, opts DayOptions, skills []string) []roster.Carer {
	r := rand.New(rand.NewPCG(uint64(opts.Seed), 0x10ca1e))
	homes := r.Perm(len(clients))
	capMin := opts.MaxWorkingMin
	switch {
	case capMin == 0:
		capMin = DefaultMaxWorkingMin
	case capMin < 0:
		capMin = 0
	}
	walkers := func(m int) int { return int(math.Round(supply.WalkShare * float64(m))) }
	out := make([]roster.Carer, n)
	for k := range out {
		mode := roster.Drive
		if opts.AllWalk || walkers(k+1) > walkers(k) {
			mode = roster.Walk
		}
		b := breakRule
		out[k] = roster.Carer{
			ID:            fmt.Sprintf("K%03d", k+1),
			Start:         clients[homes[k%len(homes)]].Location,
			Shifts:        slices.Clone(splitShifts),
			Mode:          mode,
			Skills:        slices.Clone(skills),
			MaxWorkingMin: capMin,
			Break:         &b,
		}
	}
	return out
}
