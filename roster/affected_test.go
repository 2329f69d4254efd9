package roster_test

import (
	"encoding/json"
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

// TestComputeAffected: carers who gain or lose a visit, or whose visit
// moved by more than the threshold, and the clients of those visits, are
// affected; a visit that moved less, or a partner who keeps a visit at its
// time, is not.
func TestComputeAffected(t *testing.T) {
	stop := func(v, c string, h, m int) roster.Stop {
		return roster.Stop{Visit: v, Client: c, Start: dvHM(h, m)}
	}
	round := func(k string, stops ...roster.Stop) roster.Round {
		return roster.Round{Carer: k, Stops: stops}
	}
	prev := &roster.Plan{Rounds: []roster.Round{
		round("K1", stop("V1", "C1", 8, 0), stop("V2", "C2", 9, 0), stop("V4", "C4", 11, 0)),
		round("K2", stop("V3", "C3", 10, 0), stop("V4", "C4", 11, 0), stop("V6", "C6", 12, 0)),
	}}
	next := &roster.Plan{Rounds: []roster.Round{
		round("K1", stop("V1", "C1", 8, 10), stop("V3", "C3", 10, 30), stop("V4", "C4", 11, 0)),
		round("K2", stop("V2", "C2", 9, 20)),
		round("K3", stop("V4", "C4", 11, 0), stop("V5", "C5", 13, 0)),
	}}
	in := &roster.Instance{Date: "2026-11-23"}
	a := roster.ComputeAffected(in, prev, next, 15)
	got := map[string][]string{}
	for _, c := range a.Carers {
		for _, v := range c.Visits {
			got[c.Carer] = append(got[c.Carer], v.Visit+":"+v.Change)
		}
		if len(c.Dates) != 1 || c.Dates[0] != "2026-11-23" {
			t.Errorf("carer %s: dates %v", c.Carer, c.Dates)
		}
	}
	for _, c := range a.Clients {
		for _, v := range c.Visits {
			got[c.Client] = append(got[c.Client], v.Visit+":"+v.Change)
		}
	}
	want := map[string][]string{
		"K1": {"V2:carer", "V3:carer"},
		"K2": {"V2:carer", "V3:carer", "V4:carer", "V6:dropped"},
		"K3": {"V4:carer", "V5:added"},
		"C2": {"V2:carer"}, "C3": {"V3:carer"}, "C4": {"V4:carer"}, "C5": {"V5:added"}, "C6": {"V6:dropped"},
	}
	gb, _ := json.Marshal(got)
	wb, _ := json.Marshal(want)
	if string(gb) != string(wb) {
		t.Errorf("affected:\n got %s\nwant %s", gb, wb)
	}
	// A threshold of five minutes makes V1's ten-minute move count.
	a = roster.ComputeAffected(in, prev, next, 5)
	if len(a.Clients) == 0 || a.Clients[0].Client != "C1" || a.Clients[0].Visits[0].Change != roster.ChangeTime {
		t.Errorf("with a 5-minute threshold, C1's visit moved 10 minutes is not listed first: %+v", a.Clients)
	}
}
