package roster

import (
	"fmt"
	"strconv"
	"strings"
)

// A skeleton is a rota as a coordinator arranges it by hand: which carer
// makes which visits, in which order, in which shift, and now and then the
// earliest time a visit may begin. It has no times of its own; the
// optimiser times it (optimiser.Evaluate) and the checker judges the
// result. A skeleton is malformed only when it cannot be read against its
// instance (an unknown carer or visit, a shift the carer does not have, a
// visit given more carers than it needs); a rota that breaks a rule is
// not malformed, and is timed as well as it can be.

// Skeleton is a rota arranged by hand: the rounds in the order the
// coordinator lists them. Visits in no round are left unserved
// (ReasonByHand).
type Skeleton struct {
	Rounds []SkeletonRound `json:"rounds"`
}

// SkeletonRound is one carer's round in one shift, as arranged by hand.
type SkeletonRound struct {
	Carer string `json:"carer"`
	// Date is the round's date, YYYY-MM-DD, required in a period of more
	// than one day; a one-day document's rounds may leave it out.
	Date string `json:"date,omitempty"`
	// Shift is the index of the shift among the carer's shifts on Date.
	Shift int `json:"shift"`
	// Visits are the round's visits in the order the carer makes them.
	Visits []SkeletonStop `json:"visits"`
}

// SkeletonStop is one visit of a round arranged by hand.
type SkeletonStop struct {
	Visit string `json:"visit"`
	// Start, when given, is the earliest the care may begin, wall-clock on
	// the round's date: where the coordinator moved it to. The visit
	// starts then or later, never earlier.
	Start *Clock `json:"start,omitempty"`
}

// ReasonByHand: the visit is in no round of a rota arranged by hand
// (optimiser.Evaluate). Check cannot judge it: a coordinator may leave any
// visit out.
const ReasonByHand Reason = "by_hand"

// HandRound is a skeleton round read against its instance's expansion
// (Expand): indexes into Expanded.Instance.
type HandRound struct {
	// Carer indexes the carers; Shift the carer's shifts over the period
	// (a round slot).
	Carer, Shift int
	// Day is the round's day of the period.
	Day int
	// Visits index the visits, in the round's order.
	Visits []int
	// Starts are the stops' requested starts, wall-clock on the round's
	// date; -1 where none was asked for.
	Starts []Clock
}

// Read checks sk against instance in and reads it into slots of in's
// expansion x (Expand(in)). Problems are FieldErrors with paths from the
// skeleton's root ("rounds[2].visits[1].visit"): a missing or unknown
// carer or visit, a date outside the period (or missing in a period of
// more than one day), a shift the carer does not have on that date, two
// rounds for one shift, a visit twice in one round or in more rounds than
// it needs carers, one carer given both places of a double-handed visit,
// and a requested start that does not exist on the round's date.
func (sk *Skeleton) Read(in *Instance, x *Expanded) ([]HandRound, error) {
	var es FieldErrors
	ix := NewIndex(x.Instance)
	out := make([]HandRound, 0, len(sk.Rounds))
	taken := map[[2]int]int{} // (carer, shift slot) -> round
	placed := map[int][]int{} // visit -> rounds holding it
	at := map[int][]string{}  // visit -> paths of its places
	for i, r := range sk.Rounds {
		path := "rounds[" + strconv.Itoa(i) + "]"
		hr := HandRound{Carer: -1, Shift: -1}
		switch k, ok := ix.Carer[r.Carer]; {
		case r.Carer == "":
			es.add(path+".carer", "missing carer id")
		case !ok:
			es.add(path+".carer", "no carer %q in the instance", r.Carer)
		default:
			hr.Carer = k
		}
		dayOK := true
		switch {
		case r.Date == "" && x.cal.days > 1:
			es.add(path+".date", "missing; a round of a period of %d days names its date, YYYY-MM-DD", x.cal.days)
			dayOK = false
		case r.Date != "":
			d, err := x.day(r.Date)
			if err != nil {
				es.add(path+".date", "the date %s", err)
				dayOK = false
			}
			hr.Day = d
		}
		if hr.Carer >= 0 && dayOK {
			ds := x.dayShifts(hr.Carer, hr.Day)
			switch {
			case r.Shift < 0 || r.Shift >= len(ds):
				es.add(path+".shift", "carer %s has %s on %s; the round names shift %d", r.Carer, dayShiftRange(len(ds)), x.cal.date(hr.Day), r.Shift)
			default:
				hr.Shift = ds[r.Shift]
				key := [2]int{hr.Carer, hr.Shift}
				if j, dup := taken[key]; dup {
					es.add(path+".shift", "rounds[%d] is already carer %s's round for shift %d on %s; a shift holds one round", j, r.Carer, r.Shift, x.cal.date(hr.Day))
				} else {
					taken[key] = i
				}
			}
		}
		for j, st := range r.Visits {
			sp := path + ".visits[" + strconv.Itoa(j) + "]"
			v, ok := ix.Visit[st.Visit]
			switch {
			case st.Visit == "":
				es.add(sp+".visit", "missing visit id")
				continue
			case !ok:
				es.add(sp+".visit", "no visit %q in the instance%s", st.Visit, occurrenceHint(in, st.Visit))
				continue
			}
			rounds := placed[v]
			need := x.Instance.Visits[v].CarersNeeded()
			switch {
			case len(rounds) > 0 && rounds[len(rounds)-1] == i:
				es.add(sp+".visit", "visit %s is already in this round, at %s", st.Visit, at[v][len(at[v])-1])
			case len(rounds) >= need:
				es.add(sp+".visit", "visit %s needs %s and is already at %s", st.Visit, carersText(need), strings.Join(at[v], " and "))
			case hr.Carer >= 0 && len(rounds) > 0 && out[rounds[0]].Carer == hr.Carer:
				es.add(sp+".visit", "visit %s needs two different carers, and carer %s already has it at %s", st.Visit, r.Carer, at[v][0])
			}
			placed[v] = append(placed[v], i)
			at[v] = append(at[v], sp)
			start := Clock(-1)
			if st.Start != nil {
				start = *st.Start
				if dayOK {
					if _, ok := x.cal.instantAfter(hr.Day, start, 0, false); !ok {
						es.add(sp+".start", "%s", x.cal.missingTime(hr.Day, start))
					}
				}
			}
			hr.Visits = append(hr.Visits, v)
			hr.Starts = append(hr.Starts, start)
		}
		out = append(out, hr)
		if len(es) >= maxDecodeProblems {
			// As many as decoding lists: the rest are likely the same.
			break
		}
	}
	if len(es) > 0 {
		return nil, es
	}
	return out, nil
}

// carersText is "one carer" or "n carers".
func carersText(n int) string {
	if n == 1 {
		return "one carer"
	}
	return fmt.Sprintf("%d carers", n)
}
