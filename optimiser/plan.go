package optimiser

import (
	"fmt"

	"github.com/rounds-dev/rounds/roster"
)

// plan turns the best solution into the public plan.
func (r *run) plan(travel roster.Travel) *roster.Plan {
	s := r.best
	if s == nil {
		s = newSolution(r.p)
	}
	pl, _ := s.writePlan(travel, r.tri.verdicts)
	pl.Solver = &roster.SolverInfo{Seed: r.opts.Seed, Iterations: r.iters, ElapsedS: r.elapsed.Seconds(), Objective: r.bestCost.rest}
	return pl
}

// writePlan writes s as a plan in the problem's instants, its rounds by
// carer and day, with the reason verdicts gives each visit it leaves
// unserved; it returns besides the vehicle of each round.
func (s *solution) writePlan(travel roster.Travel, verdicts []verdict) (*roster.Plan, []int32) {
	p := s.p
	in := p.in
	pl := &roster.Plan{Instance: in.Name, Rounds: []roster.Round{}, Unassigned: []roster.Unassigned{}}
	if src, ok := travel.(interface{ Source() roster.TravelSource }); ok {
		pl.Travel = src.Source()
	}
	var vehs []int32
	for c := range p.carers {
		ci := &p.carers[c]
		for day := 0; day < p.days; day++ {
			first := len(pl.Rounds)
			for _, v := range ci.vehicles[ci.dayFrom[day]:ci.dayFrom[day+1]] {
				if len(s.routes[v]) > 0 {
					pl.Rounds = append(pl.Rounds, s.round(int(v)))
					vehs = append(vehs, v)
				}
			}
			s.placeGapBreak(c, pl.Rounds[first:])
		}
	}
	for i := range in.Visits {
		if s.veh[p.visits[i].legs[0]] >= 0 {
			continue
		}
		vd := verdicts[i]
		if vd.reason == "" {
			vd = verdict{roster.ReasonCarersBusy, fmt.Sprintf(
				"Visit %s could be served by a qualified carer on an otherwise empty round, but the qualified carers' time, working hours and round capacity are taken up by the visits this plan serves.", in.Visits[i].ID)}
		}
		pl.Unassigned = append(pl.Unassigned, roster.Unassigned{Visit: in.Visits[i].ID, Reason: vd.reason, Detail: vd.detail})
	}
	kpis := roster.ComputeKPIs(in, pl)
	pl.KPIs = &kpis
	return pl, vehs
}

// round writes vehicle v's round with its visits moved as late as they can
// go (see compress), so that the carer is paid for as little waiting as the
// round allows.
func (s *solution) round(v int) roster.Round {
	p := s.p
	veh := &p.vehicles[v]
	carer := &p.in.Carers[veh.carer]
	r := s.routes[v]
	cs := make([]int32, len(r))
	s.compress(v, cs)
	rd := roster.Round{Carer: carer.ID, Shift: int(veh.shift), Mode: carer.Mode, Departure: roster.Clock(s.depart[v])}
	pt := veh.startPt
	t := s.depart[v]
	for i, k := range r {
		tk := &p.tasks[k]
		vi := &p.visits[tk.visit]
		tr := p.travel(veh, pt, vi.pt)
		arr := t + tr
		st := cs[i]
		stop := roster.Stop{
			Visit:     p.in.Visits[tk.visit].ID,
			Client:    p.in.Clients[vi.client].ID,
			Arrival:   roster.Clock(arr),
			Start:     roster.Clock(st),
			End:       roster.Clock(st + vi.durS),
			TravelS:   int(tr),
			DistanceM: int(p.distance(veh, pt, vi.pt)),
			WaitingS:  int(st - arr),
		}
		if vi.soft {
			stop.LatenessS = int(vi.lateness(st))
		}
		for _, u := range vi.legs {
			if u != k && s.veh[u] >= 0 {
				stop.Partner = p.in.Carers[p.vehicles[s.veh[u]].carer].ID
			}
		}
		rd.Stops = append(rd.Stops, stop)
		t = st + vi.durS
		if b := s.breakAfter(v, k); b > 0 {
			rd.Break = &roster.Break{Start: roster.Clock(t), End: roster.Clock(t + b)}
			t += b
		}
		pt = vi.pt
	}
	rd.ReturnTravelS = int(p.travel(veh, pt, veh.endPt))
	rd.ReturnDistanceM = int(p.distance(veh, pt, veh.endPt))
	rd.Return = roster.Clock(s.ret[v])
	return rd
}

// placeGapBreak gives carer c's rest break on a day a place in the plan
// when the day (its rounds, dayRounds) calls for one and it falls in
// waiting time: the break rule accepted the day because some idle period
// was long enough, and the plan names it.
func (s *solution) placeGapBreak(c int, dayRounds []roster.Round) {
	p := s.p
	ci := &p.carers[c]
	if ci.breakAftS == 0 {
		return
	}
	var rounds []*roster.Round
	for i := range dayRounds {
		rounds = append(rounds, &dayRounds[i])
	}
	paid := int32(0)
	for i, rd := range rounds {
		paid += int32(rd.Return - rd.Departure)
		if rd.Break != nil {
			return
		}
		if i > 0 && int32(rd.Departure-rounds[i-1].Return) >= ci.breakDurS {
			return
		}
	}
	if paid <= ci.breakAftS {
		return
	}
	for _, rd := range rounds {
		for i := 1; i < len(rd.Stops); i++ {
			prev, st := &rd.Stops[i-1], &rd.Stops[i]
			if int32(st.WaitingS) >= ci.breakDurS {
				// Rest straight after the previous visit, then travel: the
				// carer arrives later and waits less.
				rd.Break = &roster.Break{Start: prev.End, End: prev.End + roster.Clock(ci.breakDurS)}
				st.Arrival += roster.Clock(ci.breakDurS)
				st.WaitingS -= int(ci.breakDurS)
				return
			}
		}
	}
}
