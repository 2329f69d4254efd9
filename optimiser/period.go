package optimiser

import (
	"math"
	"time"

	"github.com/rounds-dev/rounds/roster"
)

// A period document is planned in its expansion (roster.Expand): one flat
// instance whose times are instants, seconds since the period's start,
// with the day of each round slot and visit and the care entry each visit
// came from. A one-day document is planned as it is, a period of one day
// whose instants are its times; the checker reads it the same way.

// expandForSolve returns the instance the search plans and, for a period
// document, its expansion (nil for a one-day document, planned as it is).
func expandForSolve(in *roster.Instance) (*roster.Instance, *roster.Expanded, error) {
	if !in.IsPeriod() {
		return in, nil, nil
	}
	x, err := roster.Expand(in)
	if err != nil {
		return nil, nil, err
	}
	return x.Instance, x, nil
}

// setPeriod reads the period's days and rules into p: from x for a period
// document, and for a one-day document (x nil) a period of one day.
func (p *problem) setPeriod(x *roster.Expanded) {
	in := p.in
	p.days = 1
	p.dayStart = []int32{0, 24 * 3600}
	p.horizon = int32(roster.MaxClock)
	if x != nil {
		p.days = x.Period.Days
		p.dayStart = make([]int32, len(x.DayStart))
		for d, t := range x.DayStart {
			p.dayStart[d] = int32(t)
		}
		p.horizon = int32(x.Instance.Horizon)
		for d := 0; d < p.days; d++ {
			p.dates = append(p.dates, x.Date(d))
		}
	}
	if x != nil {
		p.dailyRestS = int32(in.Rules.DailyRestH() * 3600)
		p.weeklyRestS = int32(in.Rules.WeeklyRestH() * 3600)
	}
	p.spreadCapS = -1
	if m, ok := in.Rules.CallTimeSpreadCapMin(); ok && x != nil {
		p.spreadCapS = int32(m * 60)
	}
	p.noWait = in.Rules.WaitingForbidden()
	p.wall = newWallClock(x)
}

// weeks is the number of weeks of the period: days 0-6, 7-13, ...
func (p *problem) weeks() int { return (p.days + 6) / 7 }

// weekDays is the number of days of week w: 7, or fewer for a last week.
func (p *problem) weekDays(w int) int { return min(7, p.days-7*w) }

// weekCaps is carer c's cap on paid seconds in each week: the rules'
// max_week_hours unless they have opted out, and their contract's
// max_hours pro-rated to a shorter last week, whichever is less; -1 where
// neither applies. roster.Check allows a contract's paid seconds up to
// hours*3600 + 1e-6, so the cap is the whole seconds that allows.
func (p *problem) weekCaps(c *roster.Carer) []int64 {
	caps := make([]int64, p.weeks())
	for w := range caps {
		caps[w] = -1
		if !c.WTROptOut {
			caps[w] = int64(p.in.Rules.WeekHoursCap()) * 3600
		}
		if c.Contract != nil && c.Contract.MaxHours > 0 {
			limit := c.Contract.MaxHours * float64(p.weekDays(w)) / 7
			s := int64(math.Floor(limit*3600 + 1e-6))
			if caps[w] < 0 || s < caps[w] {
				caps[w] = s
			}
		}
	}
	return caps
}

// clientRules reads each client's cap on distinct carers and, when any
// client rule or term needs them, each client's and care entry's visits.
func (p *problem) clientRules(x *roster.Expanded) {
	in := p.in
	p.clientCap = make([]int32, len(in.Clients))
	for i := range in.Clients {
		n := in.Clients[i].MaxCarers
		if n == 0 {
			n, _ = in.Rules.DistinctCarersCap()
		}
		p.clientCap[i] = int32(n)
		p.capped = p.capped || n > 0
		p.tightCap = p.tightCap || (n > 0 && n <= 2)
	}
	if p.capped || p.days > 1 {
		p.clientVisits = make([][]int32, len(in.Clients))
		for i := range p.visits {
			c := p.visits[i].client
			p.clientVisits[c] = append(p.clientVisits[c], int32(i))
		}
	}
	if x != nil {
		n := 0
		for i := range p.visits {
			n = max(n, int(p.visits[i].care)+1)
		}
		p.careVisits = make([][]int32, n)
		for i := range p.visits {
			if e := p.visits[i].care; e >= 0 {
				p.careVisits[e] = append(p.careVisits[e], int32(i))
			}
		}
	}
}

// periodTerms are the objective's terms that only a period has: a one-day
// plan is costed by the day's terms alone, as before the period came.
func (p *problem) periodTerms() []costTerm {
	if p.days <= 1 {
		return nil
	}
	terms := []costTerm{distinctCarersTerm{perCarer: p.w.DistinctCarer}}
	if p.w.TeamShare > 0 {
		terms = append(terms, newTeamShareTerm(p.in, p.dates[0], p.w.TeamShare))
	}
	if t := newContractTerm(p, p.w); t != nil {
		terms = append(terms, t)
	}
	if p.w.CallSpread > 0 && len(p.careVisits) > 0 {
		terms = append(terms, newCallSpreadTerm(p, p.w.CallSpread))
		p.startsCosted = true
	}
	return terms
}

// wallClock turns instants into wall-clock time of day on a visit's date,
// as roster.Check measures call-time spread, through the time zone's
// clock changes in the period, without asking the time package in the hot
// path.
type wallClock struct {
	base   int64   // the period's origin less midnight UTC of its first date
	at     []int32 // instants at which the offset from UTC changes
	offset []int32 // offset[i] holds from at[i] (at[0] is the origin)
}

// newWallClock reads the offsets of x's time zone over its period; for a
// one-day document (x nil) instants are wall-clock times already.
func newWallClock(x *roster.Expanded) wallClock {
	if x == nil {
		return wallClock{at: []int32{0}, offset: []int32{0}}
	}
	start, _ := time.Parse(time.DateOnly, x.Period.Start)
	origin := x.Origin.Unix()
	end := origin + int64(x.Instance.Horizon)
	w := wallClock{}
	t := x.Origin
	_, off := t.Zone()
	w.at, w.offset = []int32{0}, []int32{int32(off)}
	w.base = origin - start.Unix()
	for {
		_, next := t.ZoneBounds()
		if next.IsZero() || next.Unix() > end {
			break
		}
		t = next.In(x.Location)
		_, off = t.Zone()
		w.at = append(w.at, int32(next.Unix()-origin))
		w.offset = append(w.offset, int32(off))
	}
	return w
}

// of is instant t as wall-clock seconds since 00:00 of day d's date (past
// 24:00 for the next morning).
func (w *wallClock) of(d int32, t int32) int32 {
	i := len(w.at) - 1
	for i > 0 && w.at[i] > t {
		i--
	}
	return int32(int64(t) + int64(w.offset[i]) + w.base - int64(d)*86400)
}

// instant is the instant at which day d's wall clock reads c, taking the
// offset in force at instant near: exact away from a clock change, and a
// bound to narrow a search by anywhere.
func (w *wallClock) instant(d int32, c int32, near int32) int32 {
	i := len(w.at) - 1
	for i > 0 && w.at[i] > near {
		i--
	}
	return int32(int64(c) - int64(w.offset[i]) - w.base + int64(d)*86400)
}
