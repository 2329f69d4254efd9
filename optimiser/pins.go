package optimiser

import (
	"fmt"
	"math"
	"strings"

	"github.com/rounds-dev/rounds/roster"
)

// A re-plan with pins (Options.Pins) keeps each pinned visit with the
// carers the earlier plan gives it, and with keep_time at its start: the
// freeze's machinery (freeze.go) holds it, to its carers and, with its
// time, in a window of one instant; no ruin takes it out; and its job's
// priority outweighs every other job's together, so that the search
// serves pins before anything else. roster.CheckPins checks the result.

// heldPin is a pin read against the problem: the pinned visit, its
// carers in the earlier plan and, when it keeps its time, its start.
type heldPin struct {
	visit    int
	carers   []int
	keepTime bool
	start    int32
}

// noFreeze is the freeze instant of a re-plan with pins and no freeze:
// before every time, so that nothing is frozen by time or cut.
const noFreeze = math.MinInt32

// readPins reads pins against prev, the earlier plan in the problem's
// instants. A pin of a visit the problem lacks, or that prev does not
// serve, is a FieldError at changes.pins[i].
func (p *problem) readPins(prev *roster.Plan, pins []roster.Pin) ([]heldPin, error) {
	ix := roster.NewIndex(p.in)
	type served struct {
		carers []int
		start  int32
	}
	by := map[int]*served{}
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
			s := by[v]
			if s == nil {
				s = &served{start: int32(st.Start)}
				by[v] = s
			}
			s.carers = append(s.carers, k)
		}
	}
	var out []heldPin
	var es roster.FieldErrors
	for i, pin := range pins {
		path := fmt.Sprintf("changes.pins[%d].visit", i)
		v, ok := ix.Visit[pin.Visit]
		s := by[v]
		switch {
		case !ok:
			es = append(es, roster.FieldError{Path: path, Reason: fmt.Sprintf("no visit %q in the instance re-planned", pin.Visit)})
		case s == nil:
			es = append(es, roster.FieldError{Path: path, Reason: fmt.Sprintf("the earlier plan does not serve visit %s", pin.Visit)})
		default:
			out = append(out, heldPin{visit: v, carers: s.carers, keepTime: pin.KeepTime, start: s.start})
		}
	}
	if len(es) > 0 {
		return nil, es
	}
	return out, nil
}

// pin gives each job with a pinned visit (the keys of pinned) a priority
// above that of all other jobs together, and marks it for the first
// insertions.
func (p *problem) pin(pinned map[int][]int) {
	if len(pinned) == 0 {
		return
	}
	total := 0
	for j := range p.jobs {
		total += p.jobs[j].priority
	}
	p.pinnedJob = make([]bool, len(p.jobs))
	for v := range pinned {
		j := p.visits[v].job
		if !p.pinnedJob[j] {
			p.pinnedJob[j] = true
			p.jobs[j].priority += total + 1
		}
	}
}

// pinsServable returns, as FieldErrors at changes.pins[i], the pins whose
// visits triage found no plan can serve as pinned.
func (p *problem) pinsServable(pins []heldPin, tri *triage) error {
	var es roster.FieldErrors
	for i, pin := range pins {
		if vd := tri.verdicts[pin.visit]; vd.reason != "" {
			var ids []string
			for _, k := range pin.carers {
				ids = append(ids, p.in.Carers[k].ID)
			}
			es = append(es, roster.FieldError{Path: fmt.Sprintf("changes.pins[%d]", i), Reason: fmt.Sprintf(
				"no plan can serve visit %s with %s as pinned (%s): %s", p.in.Visits[pin.visit].ID, strings.Join(ids, " and "), vd.reason, vd.detail)})
		}
	}
	if len(es) > 0 {
		return es
	}
	return nil
}
