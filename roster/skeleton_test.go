package roster_test

import (
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

// TestSkeletonReadPeriod: a week's rota arranged by hand is read against
// the week's expansion, and each way it cannot be is named at its field.
func TestSkeletonReadPeriod(t *testing.T) {
	in := wkSmall(t)
	x, err := roster.Expand(in)
	if err != nil {
		t.Fatal(err)
	}
	stops := func(ids ...string) []roster.SkeletonStop {
		var out []roster.SkeletonStop
		for _, id := range ids {
			out = append(out, roster.SkeletonStop{Visit: id})
		}
		return out
	}
	// K2 works two shifts on Monday 23 November, none on Tuesday.
	good := roster.Skeleton{Rounds: []roster.SkeletonRound{
		{Carer: "K2", Date: "2026-11-23", Shift: 1, Visits: stops("C1-bed@2026-11-23")},
		{Carer: "K1", Date: "2026-11-23", Shift: 0, Visits: stops("C1-breakfast@2026-11-23")},
		{Carer: "K2", Date: "2026-11-23", Shift: 0, Visits: stops("C1-breakfast@2026-11-23")},
	}}
	hand, err := good.Read(in, x)
	if err != nil {
		t.Fatal(err)
	}
	if hand[0].Day != 0 || x.ShiftDay[hand[0].Carer][hand[0].Shift] != 0 || x.Instance.Visits[hand[0].Visits[0]].ID != "C1-bed@2026-11-23" {
		t.Fatalf("rounds[0] read as %+v", hand[0])
	}
	for _, c := range []struct {
		name string
		r    roster.SkeletonRound
		path string
	}{
		{"no date", roster.SkeletonRound{Carer: "K1", Visits: stops("C1-bed@2026-11-24")}, "rounds[0].date"},
		{"a date outside the week", roster.SkeletonRound{Carer: "K1", Date: "2026-12-01"}, "rounds[0].date"},
		{"a day off", roster.SkeletonRound{Carer: "K2", Date: "2026-11-24", Visits: stops("C1-bed@2026-11-24")}, "rounds[0].shift"},
		{"a date care does not occur", roster.SkeletonRound{Carer: "K1", Date: "2026-11-24", Visits: stops("C2-lunch@2026-11-24")}, "rounds[0].visits[0].visit"},
		{"one carer in both places", roster.SkeletonRound{Carer: "K1", Date: "2026-11-23", Visits: stops("C1-breakfast@2026-11-23", "C1-breakfast@2026-11-23")}, "rounds[0].visits[1].visit"},
	} {
		t.Run(c.name, func(t *testing.T) {
			sk := roster.Skeleton{Rounds: []roster.SkeletonRound{c.r}}
			_, err := sk.Read(in, x)
			fes, ok := err.(roster.FieldErrors)
			if !ok || len(fes) == 0 || fes[0].Path != c.path {
				t.Fatalf("got %v; want a problem at %s", err, c.path)
			}
		})
	}
}
