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
// few qualified carers, no shift that reaches it in a window, or a working
// time cap it would break on its own. Visits tied into one job share the
// fate of their partners.
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

// visitVerdict checks visit i on its own against every carer.
func (p *problem) visitVerdict(i int) verdict {
	in := p.in
	v := &in.Visits[i]
	vi := &p.visits[i]
	need := v.CarersNeeded()
	cl := &in.Clients[vi.client]
	var qualified, inShift, inCap int
	var noSkill, wrongGender, excluded int
	for c := range in.Carers {
		carer := &in.Carers[c]
		if !p.allowed[i*p.nCarers+c] {
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
		qualified++
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
	case qualified == 0 && need == 1:
		return verdict{roster.ReasonNoQualifiedCarer, fmt.Sprintf("No carer can serve visit %s: %s.", v.ID, whyNot(v, cl, noSkill, wrongGender, excluded))}
	case qualified < need:
		return verdict{roster.ReasonTooFewQualifiedCarers, fmt.Sprintf("Visit %s needs %d carers and only %d qualify: %s.", v.ID, need, qualified, whyNot(v, cl, noSkill, wrongGender, excluded))}
	case inShift < need:
		return verdict{roster.ReasonOutsideShifts, fmt.Sprintf("Visit %s needs %d carer(s) starting in %s; of %d qualified carers, %d can reach client %s in time and get back within a shift.", v.ID, need, windowsText(v), qualified, inShift, v.Client)}
	case inCap < need:
		return verdict{roster.ReasonMaxWorkingTime, fmt.Sprintf("Visit %s on its own would take all but %d of its qualified carers past their maximum working time.", v.ID, inCap)}
	}
	return verdict{}
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

func windowsText(v *roster.Visit) string {
	var parts []string
	for _, w := range v.Windows {
		parts = append(parts, w.Start.String()+"-"+w.End.String())
	}
	return strings.Join(parts, " or ")
}
