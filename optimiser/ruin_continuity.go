package optimiser

// continuityMoves selects the ruins a period adds for continuity of care.
type continuityMoves uint8

const (
	moveRecurrence  continuityMoves = 1 << iota // ruiner.recurrence
	moveClient                                  // ruiner.client
	moveReassign                                // ruiner.reassign
	moveNearClients                             // ruiner.nearClients
	moveCarers                                  // ruiner.carers
)

// allContinuityMoves are the continuity ruins the search uses. On
// generated weeks of 150 visits a day (seeds 1-3, 10,000 iterations) each
// served more visits than none (3,062 of 3,201): recurrence 3,086, client
// 3,083, reassign 3,084 with 0.6% less travel, all three 3,096; COC and
// spread hardly moved with any, so all three stay, for serving.
//
// nearClients came with the consistent VRP benchmark, where one carer a
// client made every other ruin unable to swap two clients between carers:
// on its small set (convrp_10_test_2, L unlimited) the search stayed 8%
// above the optimum without it (docs/BENCHMARKS.md, "Consistent VRP").
// When the plan leaves visits unserved, half its draws seed on one of
// them, so that their client's visits go back in together.
//
// carers came with recreate's whole-client insertion (insert_client.go):
// on that set, convrp_10_test_2 needed two drivers' clients split afresh
// (capacity full on day 1), and the two together took it from 107.0 to its
// optimum 99.07 at every L, and the set from 23 to 28 optima of 30. Both
// serve a period whose clients are held to one or two carers
// (problem.tightCap): on generated home-care weeks, whose caps are looser,
// they cost served visits at equal time (1,386 of 1,515 against 1,414 in
// 60 s on the 1,500-visit week, 1,054 of 1,070 against 1,062 in 30 s on
// testdata/week_locality.json), so there the search goes without them.
const allContinuityMoves = moveRecurrence | moveClient | moveReassign | moveNearClients | moveCarers

// continuityMovesFor are the continuity ruins for p: all of them when a
// client is held to one or two carers, else all but carers.
func continuityMovesFor(p *problem) continuityMoves {
	if p.tightCap {
		return allContinuityMoves
	}
	return allContinuityMoves &^ moveCarers
}

// continuityShare is the share of a period's ruins that are continuity
// ruins, shared among those in use.
const continuityShare = 0.3

// unservedTask picks one of the n unserved tasks of s at random.
func (r *ruiner) unservedTask(s *solution, n int) int32 {
	k := r.rng.IntN(n)
	for t := range s.veh {
		if s.veh[t] < 0 {
			if k == 0 {
				return int32(t)
			}
			k--
		}
	}
	return -1
}

// continuity ruins around the seed with one of the continuity ruins, with
// probability continuityShare, and reports whether it did. A one-day plan
// never comes here, so its search draws the random numbers it always drew.
func (r *ruiner) continuity(s *solution, seed int32, unserved, q int) bool {
	var use []continuityMoves
	for _, m := range []continuityMoves{moveRecurrence, moveClient, moveReassign, moveNearClients, moveCarers} {
		if r.moves&m != 0 {
			use = append(use, m)
		}
	}
	if len(use) == 0 || r.p.clientVisits == nil || r.rng.Float64() >= continuityShare {
		return false
	}
	switch use[r.rng.IntN(len(use))] {
	case moveRecurrence:
		r.recurrence(s, seed)
	case moveClient:
		r.client(s, seed)
	case moveReassign:
		r.reassign(s, seed)
	case moveNearClients:
		if unserved > 0 && r.rng.IntN(2) == 0 {
			seed = r.unservedTask(s, unserved)
		}
		r.nearClients(s, seed, q)
	case moveCarers:
		r.carers(s, seed, q)
	}
	return true
}
