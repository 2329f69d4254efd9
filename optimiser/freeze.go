package optimiser

import (
	"fmt"
	"slices"
	"time"

	"github.com/rounds-dev/rounds/roster"
)

// A re-plan with a freeze (Options.FreezeBefore) keeps what the earlier
// plan has already carried out: every visit it starts before the freeze is
// frozen, a job fixed to its carers at its start (a window of one instant,
// hard, which compress cannot move a start out of, and no other carer
// allowed), which no ruin takes out. Nothing else may start before the
// freeze: other visits' windows are cut at it, and a visit with no window
// left is in the past and stays unserved (roster.ReasonBeforeFreeze). A
// soft visit the earlier plan served late after the freeze keeps a window
// of the freeze's instant, so that it can still be served late. The
// problem's windows then differ from the instance's, so the lateness of
// the visits whose windows were replaced is written from the instance's
// own windows (mend).

// freezeState is what a freeze did to a problem.
type freezeState struct {
	at int32 // the freeze, as an instant
	// past lists the visits that stay unserved because their time is
	// before the freeze; cut, the visits whose windows were cut or
	// replaced, whose static verdicts may speak of the cut windows.
	past, cut []bool
	// rewritten marks the visits whose lateness the problem no longer
	// measures as the instance does.
	rewritten []bool
}

// freezeInstant is t as an instant of the problem: for a period document
// seconds since the period's start (x.Origin), for a one-day document
// wall-clock seconds since midnight of its date, as its times are read.
func freezeInstant(in *roster.Instance, x *roster.Expanded, t time.Time) (int32, error) {
	if x != nil {
		return int32(t.Unix() - x.Origin.Unix()), nil
	}
	loc, err := time.LoadLocation(in.TimeZone)
	if err != nil {
		return 0, fmt.Errorf("optimiser: the freeze: %w", err)
	}
	day, err := time.ParseInLocation(time.DateOnly, in.Date, loc)
	if err != nil {
		return 0, fmt.Errorf("optimiser: the freeze: %w", err)
	}
	lt := t.In(loc)
	y, m, d := lt.Date()
	days := int64(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Sub(time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)) / (24 * time.Hour))
	return int32(days*86400 + int64(lt.Hour()*3600+lt.Minute()*60+lt.Second())), nil
}

// applyFreeze freezes, at instant at, the visits prev (in the problem's
// instants) starts before it and cuts every other visit's windows there;
// at is noFreeze for pins alone. Each pinned visit (pins, indexes of
// visits with the earlier plan's carers and, for keep_time, start) is
// held as a frozen one is: to its carers, and at its start when it keeps
// its time; no ruin takes it out, and serving it comes before any other
// visit. It must come before triage, which reads the windows and allowed
// carers.
func (p *problem) applyFreeze(prev *roster.Plan, at int32, pins []heldPin) *freezeState {
	f := &freezeState{at: at, past: make([]bool, len(p.visits)), cut: make([]bool, len(p.visits)), rewritten: make([]bool, len(p.visits))}
	ix := roster.NewIndex(p.in)
	frozenAt := map[int]int32{}
	frozenBy := map[int][]int{}
	servedAfter := make([]bool, len(p.visits))
	if prev != nil {
		for _, r := range prev.Rounds {
			k, ok := ix.Carer[r.Carer]
			if !ok {
				continue
			}
			for _, st := range r.Stops {
				v, ok := ix.Visit[st.Visit]
				if !ok {
					continue
				}
				if int32(st.Start) >= at {
					servedAfter[v] = true
					continue
				}
				frozenAt[v] = int32(st.Start)
				frozenBy[v] = append(frozenBy[v], k)
			}
		}
	}
	pinnedBy := map[int][]int{}
	for _, pin := range pins {
		if _, frozen := frozenAt[pin.visit]; frozen {
			continue
		}
		pinnedBy[pin.visit] = pin.carers
		if pin.keepTime {
			frozenAt[pin.visit], frozenBy[pin.visit] = pin.start, pin.carers
		}
	}
	p.pin(pinnedBy)
	p.frozenJob = make([]bool, len(p.jobs))
	for v := range p.visits {
		vi := &p.visits[v]
		if s, ok := frozenAt[v]; ok {
			vi.wins = []window{{s, s}}
			f.rewritten[v] = vi.soft
			// Hard, so that it starts at s or not at all; compress
			// cannot move it either, as its window closes at s.
			vi.soft = false
			for c := 0; c < p.nCarers; c++ {
				p.allowed[v*p.nCarers+c] = p.allowed[v*p.nCarers+c] && slices.Contains(frozenBy[v], c)
			}
			p.frozenJob[vi.job] = true
			continue
		}
		if carers, ok := pinnedBy[v]; ok {
			for c := 0; c < p.nCarers; c++ {
				p.allowed[v*p.nCarers+c] = p.allowed[v*p.nCarers+c] && slices.Contains(carers, c)
			}
			p.frozenJob[vi.job] = true
		}
		var wins []window
		for _, w := range vi.wins {
			if w.close >= at {
				wins = append(wins, window{max(w.open, at), w.close})
			}
		}
		f.cut[v] = vi.wins[0].open < at
		switch {
		case len(wins) > 0:
			vi.wins = wins
		case vi.soft && servedAfter[v]:
			vi.wins = []window{{at, at}}
			f.rewritten[v] = true
		default:
			f.past[v] = true
		}
	}
	return f
}

// applyToTriage gives the past visits their reason and keeps their jobs
// out of the search, and gives a visit whose windows were cut, and which
// the cut windows keep out of every round, the same reason: its static
// verdict speaks of windows the instance does not have.
func (f *freezeState) applyToTriage(p *problem, t *triage) {
	for v := range p.visits {
		r := t.verdicts[v].reason
		switch {
		case f.past[v]:
		case f.cut[v] && (r == roster.ReasonOutsideShifts || r == roster.ReasonMaxWorkingTime || r == roster.ReasonNoFeasibleRound):
		default:
			continue
		}
		t.verdicts[v] = verdict{roster.ReasonBeforeFreeze, fmt.Sprintf(
			"Visit %s's time begins before the freeze, and the earlier plan did not start it before then; what is left of its time after the freeze fits no qualified carer's round.", p.in.Visits[v].ID)}
	}
	t.open = slices.DeleteFunc(t.open, func(j int32) bool {
		for _, v := range p.jobs[j].visits {
			if t.verdicts[v].reason == roster.ReasonBeforeFreeze {
				return true
			}
		}
		return false
	})
}

// mend writes, in pl (the plan in instants), the lateness of the visits
// whose windows the freeze replaced as the instance measures it, and the
// plan's key figures again.
func (f *freezeState) mend(p *problem, pl *roster.Plan) {
	ix := roster.NewIndex(p.in)
	changed := false
	for i := range pl.Rounds {
		for j := range pl.Rounds[i].Stops {
			st := &pl.Rounds[i].Stops[j]
			v, ok := ix.Visit[st.Visit]
			if !ok || !f.rewritten[v] {
				continue
			}
			st.LatenessS = p.in.Visits[v].LatenessS(st.Start)
			changed = true
		}
	}
	if changed {
		k := roster.ComputeKPIs(p.in, pl)
		pl.KPIs = &k
	}
}
