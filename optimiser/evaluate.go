package optimiser

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/rounds-dev/rounds/roster"
)

// A coordinator changes a rota by hand: drags a visit to another carer or
// another place in a round, or moves its time (docs/DESIGN-desk.md,
// section 3). Evaluate times such a rota with the search's own schedule,
// so that a round is timed one way whoever arranged it: the same forward
// pass, ties between double-handed and dependent visits, rest breaks
// placed by the break rule, and waiting gathered before a round starts
// (compress). It searches nothing and refuses nothing: the problem is
// relaxed for timing only (relaxForHand), so that a visit given to a
// carer without its skill, a round past its shift's end, a visit late for
// a hard window or a double-handed visit with one carer are timed as well
// as they can be and left for the checker to report.

// Evaluate times the rounds of skeleton sk, a rota of instance in
// arranged by hand, in the order given, with the given travel. The
// instance must have passed Validate. The plan's rounds are in the
// skeleton's order, so that rounds[i] of the plan is sk.Rounds[i] (a
// round given no visits is written empty, from its shift's start), and
// its figures are a solve's (kpis, and period_kpis for a period); visits
// in no round are unassigned with roster.ReasonByHand. A malformed
// skeleton is roster.FieldErrors with paths from its root (see
// roster.Skeleton.Read); a rule the rota breaks is no error.
func Evaluate(ctx context.Context, in *roster.Instance, travel roster.Travel, sk *roster.Skeleton) (*roster.Plan, error) {
	if in == nil || travel == nil || sk == nil {
		return nil, errors.New("optimiser: nil instance, travel or skeleton")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	x, err := roster.Expand(in)
	if err != nil {
		return nil, err
	}
	hand, err := sk.Read(in, x)
	if err != nil {
		return nil, err
	}
	flat, px, err := expandForSolve(in)
	if err != nil {
		return nil, err
	}
	p, err := newPeriodProblem(flat, px, travel, DefaultWeights)
	if err != nil {
		return nil, err
	}
	ix := roster.NewIndex(flat)
	// Read the skeleton's visits and requested starts into the problem's
	// indexes and instants: a one-day document is planned in its own
	// wall-clock times (px nil).
	requested := make([]int32, len(p.visits))
	for v := range requested {
		requested[v] = -1
	}
	rounds := make([][]int32, len(hand)) // visits of each round, by index of p
	vehs := make([]int32, len(hand))
	for i, hr := range hand {
		vehs[i] = p.carers[hr.Carer].vehicles[hr.Shift]
		for j, hv := range hr.Visits {
			v, ok := ix.Visit[x.Instance.Visits[hv].ID]
			if !ok {
				return nil, fmt.Errorf("optimiser: rounds[%d].visits[%d]: visit %s is not in the planned instance", i, j, x.Instance.Visits[hv].ID)
			}
			rounds[i] = append(rounds[i], int32(v))
			if c := hr.Starts[j]; c >= 0 {
				at := int32(c)
				if px != nil {
					t, err := x.Instant(x.Date(hr.Day), c)
					if err != nil {
						return nil, roster.FieldErrors{{Path: fmt.Sprintf("rounds[%d].visits[%d].start", i, j), Reason: err.Error()}}
					}
					at = int32(t)
				}
				requested[v] = max(requested[v], at)
			}
		}
	}
	p.relaxForHand(requested)

	s := newSolution(p)
	used := make([]int, len(p.visits)) // legs of each visit placed so far
	for i, r := range rounds {
		for _, v := range r {
			s.insertTask(p.visits[v].legs[used[v]], int(vehs[i]), len(s.routes[vehs[i]]))
			used[v]++
		}
	}
	if !s.reschedule() && !s.timeUntied() {
		return nil, errors.New("optimiser: the rota arranged by hand could not be timed (a bug)")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	verdicts := make([]verdict, len(p.visits))
	for v := range verdicts {
		verdicts[v] = verdict{roster.ReasonByHand, fmt.Sprintf("Visit %s is in no round of the rota as arranged by hand.", flat.Visits[v].ID)}
	}
	pl, written := s.writePlan(travel, verdicts)
	pl.Rounds = s.inHandOrder(pl.Rounds, written, vehs)
	// The relaxed problem took every visit as soft, some with a requested
	// start for a window: write lateness as the instance measures it.
	for i := range pl.Rounds {
		for j := range pl.Rounds[i].Stops {
			st := &pl.Rounds[i].Stops[j]
			st.LatenessS = flat.Visits[ix.Visit[st.Visit]].LatenessS(st.Start)
		}
	}
	kpis := roster.ComputeKPIs(flat, pl)
	pl.KPIs = &kpis
	return datePlan(in, px, pl)
}

// relaxForHand makes p time any rota rather than refuse it, changing
// nothing in how a rota that keeps the rules is timed: every visit is
// soft (a hard visit reached late starts late rather than failing), and
// one with a requested start (an instant, -1 for none) starts no earlier;
// shifts do not end, legs have no limit, no visit is too late for the
// period, and without waiting (noWait) a visit reached early waits. Of
// the carer rules only the rest break stays, placed where a day has room
// for one; caps on working time, the week's rules and the client rules
// are the checker's to report.
func (p *problem) relaxForHand(requested []int32) {
	p.byHand = true
	p.horizon = math.MaxInt32 / 2
	for v := range p.visits {
		vi := &p.visits[v]
		vi.soft = true
		if r := requested[v]; r >= 0 {
			var wins []window
			for _, w := range vi.wins {
				if w.close >= r {
					wins = append(wins, window{max(w.open, r), w.close})
				}
			}
			if len(wins) == 0 {
				// Later than every window: it starts then, late, or on
				// arrival if later still.
				wins = []window{{r, r}}
			}
			vi.wins = wins
		}
	}
	for v := range p.vehicles {
		p.vehicles[v].close = math.MaxInt32 / 2
		p.vehicles[v].legCapS = noLegCap
	}
	for c := range p.carers {
		p.carers[c].legCapS = noLegCap
		p.carers[c].maxWorkS = 0
	}
	p.rules = []carerRule{handBreakRule{}}
	p.weekRules = nil
	for c := range p.clientCap {
		p.clientCap[c] = 0
	}
	p.capped, p.tightCap = false, false
	// The spread cap is not asked, but visits it pinned stay pinned, so
	// that compress times them as a solve does.
	p.spreadCapS = -1
}

// handBreakRule is the rest-break rule for a rota arranged by hand: it
// places a break where the day calls for one and has a place for it, and
// otherwise lets the day stand for the checker to report.
type handBreakRule struct{ restBreakRule }

var (
	_ carerRule     = handBreakRule{}
	_ carerRepairer = handBreakRule{}
)

func (handBreakRule) name() string {
	return "a rest break, where the day calls for one and has a place for it"
}

func (r handBreakRule) holds(p *problem, c int, d *carerDay) bool {
	return r.restBreakRule.holds(p, c, d) || d.slotV < 0
}

// timeUntied times every round on its own, as if no visits were tied to
// each other, for a rota whose ties cannot all be met (two double-handed
// visits in opposite orders on their carers' rounds chase each other
// round a cycle): the checker reports the partners who do not start
// together. It reports false only if the relaxed schedule fails, which it
// cannot.
func (s *solution) timeUntied() bool {
	for t := range s.lb {
		s.lb[t] = 0
	}
	for v := range s.brk {
		s.brk[v] = -1
	}
	s.untied = true
	defer func() { s.untied = false }()
	for v := range s.routes {
		if !s.forward(v) {
			return false
		}
	}
	return s.settle()
}

// inHandOrder returns rounds (written for vehicles written) in the order
// of the skeleton's rounds, vehs: a skeleton round with no visits is an
// empty round from its shift's start.
func (s *solution) inHandOrder(rounds []roster.Round, written, vehs []int32) []roster.Round {
	p := s.p
	at := make(map[int32]int, len(written))
	for i, v := range written {
		at[v] = i
	}
	out := make([]roster.Round, len(vehs))
	for i, v := range vehs {
		if j, ok := at[v]; ok {
			out[i] = rounds[j]
			continue
		}
		veh := &p.vehicles[v]
		carer := &p.in.Carers[veh.carer]
		out[i] = roster.Round{Carer: carer.ID, Shift: int(veh.shift), Mode: carer.Mode,
			Departure: roster.Clock(veh.open), Return: roster.Clock(veh.open), Stops: []roster.Stop{}}
	}
	return out
}
