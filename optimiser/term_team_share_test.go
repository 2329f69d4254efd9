package optimiser

import (
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

// TestTeamShareRegulars: a client's regulars are their team, else the
// carers with most visits to them in the week before the period (Birdie's
// rule, ties all counting, older history and other clients' left out),
// else nobody, and the term costs a leg exactly when its carer is not one.
func TestTeamShareRegulars(t *testing.T) {
	in := &roster.Instance{
		Carers:  []roster.Carer{{ID: "A"}, {ID: "B"}, {ID: "C"}},
		Clients: []roster.Client{{ID: "team", Team: []string{"B"}}, {ID: "history"}, {ID: "tie"}, {ID: "none"}},
		History: []roster.HistoryEntry{
			{Client: "history", Carer: "A", Date: "2026-03-08", Visits: 2},
			{Client: "history", Carer: "C", Date: "2026-03-07", Visits: 3},
			{Client: "history", Carer: "B", Date: "2026-02-20", Visits: 9}, // more than 7 days before
			{Client: "team", Carer: "A", Date: "2026-03-08", Visits: 9},    // the team wins
			{Client: "tie", Carer: "A", Date: "2026-03-02", Visits: 2},
			{Client: "tie", Carer: "B", Date: "2026-03-08", Visits: 2},
		},
	}
	term := newTeamShareTerm(in, "2026-03-09", 300)
	for _, tc := range []struct {
		client  int
		regular []bool // per carer A, B, C
	}{
		{0, []bool{false, true, false}},
		{1, []bool{false, false, true}},
		{2, []bool{true, true, false}},
		{3, []bool{true, true, true}},
	} {
		t.Run(in.Clients[tc.client].ID, func(t *testing.T) {
			for c, want := range tc.regular {
				at := insertion{vi: &visitInfo{client: int32(tc.client)}, carer: int32(c)}
				cost := term.estimate(nil, &at)
				if got := cost == 0; got != want {
					t.Errorf("carer %s: cost %v, regular %v", in.Carers[c].ID, cost, want)
				}
			}
		})
	}
}
