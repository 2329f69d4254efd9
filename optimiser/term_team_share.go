package optimiser

import (
	"time"

	"github.com/rounds-dev/rounds/roster"
)

// teamShareTerm costs Weights.TeamShare for each visit leg served by a
// carer outside the client's regulars: the client's team, or, for a client
// without a team, the carers with most visits to them in the seven days of
// history before the period (Birdie's rule, ties all counting). A client
// with neither has no regulars and costs nothing. It is a term of periods
// of more than one day only (problem.periodTerms); its estimate is exact.
type teamShareTerm struct {
	perLeg float64
	// outside[cl*nCarers+c] is true when carer c is not a regular of
	// client cl, who has regulars.
	outside []bool
	nCarers int
}

var (
	_ costTerm    = teamShareTerm{}
	_ visitCoster = teamShareTerm{}
)

func (teamShareTerm) name() string { return "team_share" }

func (t teamShareTerm) visitCost(s *solution, c int, k int32) float64 {
	if t.outside[int(s.p.visits[s.p.tasks[k].visit].client)*t.nCarers+c] {
		return t.perLeg
	}
	return 0
}

func (t teamShareTerm) estimate(_ *solution, at *insertion) float64 {
	if t.outside[int(at.vi.client)*t.nCarers+int(at.carer)] {
		return t.perLeg
	}
	return 0
}

// newTeamShareTerm reads each client's regulars from the instance in (the
// expanded period, whose history is the document's) starting on date
// start, YYYY-MM-DD.
func newTeamShareTerm(in *roster.Instance, start string, perLeg float64) teamShareTerm {
	nc := len(in.Carers)
	t := teamShareTerm{perLeg: perLeg, outside: make([]bool, len(in.Clients)*nc), nCarers: nc}
	carer := make(map[string]int, nc)
	for k := range in.Carers {
		carer[in.Carers[k].ID] = k
	}
	client := make(map[string]int, len(in.Clients))
	for i := range in.Clients {
		client[in.Clients[i].ID] = i
	}
	// Visits in the week before the period, per client and carer.
	from := ""
	if d, err := time.Parse(time.DateOnly, start); err == nil {
		from = d.AddDate(0, 0, -7).Format(time.DateOnly)
	}
	seen := make([][]int, len(in.Clients))
	for _, h := range in.History {
		cl, ok1 := client[h.Client]
		k, ok2 := carer[h.Carer]
		if !ok1 || !ok2 || h.Date < from || h.Date >= start {
			continue
		}
		if seen[cl] == nil {
			seen[cl] = make([]int, nc)
		}
		seen[cl][k] += h.Visits
	}
	for cl := range in.Clients {
		regular := make([]bool, nc)
		any := false
		for _, id := range in.Clients[cl].Team {
			if k, ok := carer[id]; ok {
				regular[k], any = true, true
			}
		}
		if !any && seen[cl] != nil {
			most := 0
			for _, n := range seen[cl] {
				most = max(most, n)
			}
			for k, n := range seen[cl] {
				if n == most && n > 0 {
					regular[k], any = true, true
				}
			}
		}
		if !any {
			continue
		}
		for k := range regular {
			t.outside[cl*nc+k] = !regular[k]
		}
	}
	return t
}
