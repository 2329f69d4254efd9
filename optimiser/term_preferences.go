package optimiser

import "github.com/rounds-dev/rounds/roster"

// preferenceTerm costs the clients' soft wishes about who visits them:
// Weights.NotPreferred for a carer outside the client's preferred carers
// when they name any, Weights.Language for a carer who does not speak the
// client's language, and, when re-planning, Weights.Moved for a carer other
// than the one who had the visit before (applyPrevious). The three are
// summed once per visit and carer into problem.prefCost, so that the term
// is one look-up per leg; its estimate is exact.
type preferenceTerm struct{}

var (
	_ costTerm    = preferenceTerm{}
	_ visitCoster = preferenceTerm{}
)

func (preferenceTerm) name() string { return "preferences" }

func (preferenceTerm) visitCost(s *solution, c int, k int32) float64 {
	return s.p.prefCost[int(s.p.tasks[k].visit)*s.p.nCarers+c]
}

func (preferenceTerm) estimate(s *solution, at *insertion) float64 {
	return s.p.prefCost[int(at.visit)*s.p.nCarers+int(at.carer)]
}

// preferenceCost is the cost under weights w of carer c visiting a client
// with preferences pr, before any cost of moving the visit.
func preferenceCost(w *Weights, c *roster.Carer, pr *roster.Preferences) float64 {
	cost := 0.0
	if len(pr.PreferredCarers) > 0 && !pr.Prefers(c.ID) {
		cost += w.NotPreferred
	}
	if pr.Language != "" && !c.Speaks(pr.Language) {
		cost += w.Language
	}
	return cost
}
