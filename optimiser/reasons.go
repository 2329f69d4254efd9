package optimiser

import (
	"fmt"
	"strings"

	"github.com/rounds-dev/rounds/roster"
)

// verdict is why a visit cannot be served whatever the other visits do, or
// ok when nothing rules it out.
type verdict struct {
	reason roster.Reason
	detail string
}

// staticVerdicts finds, for each visit, a reason it can never be served: too
// few qualified carers, too few of them who can reach it within their
// maximum leg, no shift that reaches it in a window, or a working time cap
// it would break on its own. Visits tied into one job share the fate of
// their partners.
func (p *problem) staticVerdicts() []verdict {
	in := p.in
	out := make([]verdict, len(p.visits))
	for i := range p.visits {
		out[i] = p.visitVerdict(i)
	}
	for j := range p.jobs {
		jb := &p.jobs[j]
		if len(jb.tasks) > p.nCarers {
			for _, v := range jb.visits {
				if out[v].reason == "" {
					out[v] = verdict{roster.ReasonTooFewQualifiedCarers, fmt.Sprintf(
						"Visit %s is tied to visits needing %d carers at once; the day has %d carers.",
						in.Visits[v].ID, len(jb.tasks), p.nCarers)}
				}
			}
		}
		for _, v := range jb.visits {
			if out[v].reason == "" || out[v].reason == roster.ReasonDependency {
				continue
			}
			for _, w := range jb.visits {
				if out[w].reason == "" {
					out[w] = verdict{roster.ReasonDependency, fmt.Sprintf(
						"Visit %s must start together with visit %s, which cannot be served (%s).",
						in.Visits[w].ID, in.Visits[v].ID, out[v].reason)}
				}
			}
		}
	}
	return out
}

// visitVerdict checks visit i on its own against every carer, in the
// order of the reasons: qualification, reach within the maximum leg, then
// shifts and working time among the carers who can reach it.
func (p *problem) visitVerdict(i int) verdict {
	in := p.in
	v := &in.Visits[i]
	vi := &p.visits[i]
	need := v.CarersNeeded()
	cl := &in.Clients[vi.client]
	var nQualified, reaching, inShift, inCap int
	var noSkill, wrongGender, excluded int
	var beyond []int // qualified carers who cannot reach the visit
	for c := range in.Carers {
		carer := &in.Carers[c]
		if !qualified(carer, v, &cl.Preferences) {
			switch {
			case !hasSkills(carer, v.RequiredSkills):
				noSkill++
			case cl.Preferences.CarerGender != "" && carer.Gender != cl.Preferences.CarerGender:
				wrongGender++
			default:
				excluded++
			}
			continue
		}
		nQualified++
		if !p.allowed[i*p.nCarers+c] {
			beyond = append(beyond, c)
			continue
		}
		reaching++
		fits, fitsCap := false, false
		for _, vh := range p.carers[c].vehicles {
			veh := &p.vehicles[vh]
			there := p.travel(veh, veh.startPt, vi.pt)
			back := p.travel(veh, vi.pt, veh.endPt)
			st, ok := vi.earliestStart(veh.open + there)
			if !ok || st+vi.durS+back > veh.close {
				continue
			}
			fits = true
			if p.carers[c].maxWorkS == 0 || there+vi.durS+back <= p.carers[c].maxWorkS {
				fitsCap = true
			}
		}
		if fits {
			inShift++
		}
		if fitsCap {
			inCap++
		}
	}
	switch {
	case nQualified == 0 && need == 1:
		return verdict{roster.ReasonNoQualifiedCarer, fmt.Sprintf("No carer can serve visit %s: %s.", v.ID, whyNot(v, cl, noSkill, wrongGender, excluded))}
	case nQualified < need:
		return verdict{roster.ReasonTooFewQualifiedCarers, fmt.Sprintf("Visit %s needs %d carers and only %d qualify: %s.", v.ID, need, nQualified, whyNot(v, cl, noSkill, wrongGender, excluded))}
	case reaching < need:
		return verdict{roster.ReasonBeyondMaxLeg, fmt.Sprintf("Visit %s needs %d carer(s); of its %d qualified carers, %d can get to client %s and on to the end of their round by legs no longer than they may be given (%s).",
			v.ID, need, nQualified, reaching, v.Client, p.legCapsText(beyond))}
	}
	// Where a maximum leg rules some qualified carers out, the time tests
	// count only those within reach, and say so.
	within := ""
	if len(beyond) > 0 {
		within = " within reach"
	}
	switch {
	case inShift < need:
		return verdict{roster.ReasonOutsideShifts, fmt.Sprintf("Visit %s needs %d carer(s) starting in %s; of %d qualified carers%s, %d can reach client %s in time and get back within a shift.", v.ID, need, p.windowsText(i), reaching, within, inShift, v.Client)}
	case inCap < need:
		return verdict{roster.ReasonMaxWorkingTime, fmt.Sprintf("Visit %s on its own would take all but %d of its qualified carers%s past their maximum working time.", v.ID, inCap, within)}
	}
	return verdict{}
}

// legCapsText describes the maximum legs of carers, grouped by mode and
// limit, e.g. "2 walking carers held to 45 min a leg; 1 cycling carer held
// to 30 min a leg".
func (p *problem) legCapsText(carers []int) string {
	type key struct {
		mode roster.Mode
		capS int
	}
	var keys []key
	count := map[key]int{}
	for _, c := range carers {
		carer := &p.in.Carers[c]
		k := key{carer.Mode, carer.MaxLegS()}
		if count[k] == 0 {
			keys = append(keys, k)
		}
		count[k]++
	}
	parts := make([]string, len(keys))
	for n, k := range keys {
		noun := "carer"
		if count[k] > 1 {
			noun = "carers"
		}
		parts[n] = fmt.Sprintf("%d %s %s held to %s a leg", count[k], modeAdjective(k.mode), noun, minutesText(k.capS))
	}
	return strings.Join(parts, "; ")
}

// modeAdjective describes carers who travel by mode m.
func modeAdjective(m roster.Mode) string {
	switch m {
	case roster.Walk:
		return "walking"
	case roster.Cycle:
		return "cycling"
	case roster.Drive:
		return "driving"
	case roster.Public:
		return "public-transport"
	}
	return string(m)
}

// minutesText writes seconds as minutes, e.g. "45 min" or "1h30m".
func minutesText(s int) string {
	if h, m := s/3600, s/60%60; h > 0 {
		return fmt.Sprintf("%dh%02dm", h, m)
	}
	return fmt.Sprintf("%d min", s/60)
}

// hasSkills reports whether carer c holds every one of skills.
func hasSkills(c *roster.Carer, skills []string) bool {
	for _, s := range skills {
		if !c.HasSkill(s) {
			return false
		}
	}
	return true
}

func whyNot(v *roster.Visit, cl *roster.Client, noSkill, wrongGender, excluded int) string {
	var parts []string
	if noSkill > 0 {
		parts = append(parts, fmt.Sprintf("%d lack a required skill (%s)", noSkill, strings.Join(v.RequiredSkills, ", ")))
	}
	if wrongGender > 0 {
		parts = append(parts, fmt.Sprintf("%d are not %s as client %s asks", wrongGender, cl.Preferences.CarerGender, cl.ID))
	}
	if excluded > 0 {
		parts = append(parts, fmt.Sprintf("%d were declined by client %s", excluded, cl.ID))
	}
	if len(parts) == 0 {
		return "no carers"
	}
	return strings.Join(parts, "; ")
}

// windowsText writes visit i's windows for a reason, as the document
// gives them.
func (p *problem) windowsText(i int) string {
	vi := &p.visits[i]
	var parts []string
	for _, w := range vi.wins {
		a, b := p.wall.of(vi.day, w.open), p.wall.of(vi.day, w.close)
		parts = append(parts, roster.Clock(a).String()+"-"+roster.Clock(b).String())
	}
	text := strings.Join(parts, " or ")
	if p.dates != nil {
		// A period's windows, as its document gives them: wall-clock
		// times on the visit's date.
		text += " on " + p.dates[vi.day]
	}
	return text
}
