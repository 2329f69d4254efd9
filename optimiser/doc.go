// Package optimiser builds carers' rounds for an instance: who visits whom, in
// what order and at what time.
//
// The search works on jobs: a job is the set of visit legs that must be
// placed together. A single-handed visit is one leg; a double-handed visit is
// two legs that start at the same moment on two different carers' rounds;
// visits tied by a simultaneous dependency join one job. Times are computed
// as the earliest schedule that keeps every round's order, every window and
// every tie between rounds (double-handed partners, dependency gaps): a
// monotone fixed point, so adding a leg only ever moves others later.
//
// A plan is built by regret insertion and improved by ruin and recreate
// (random, related and string removals, greedy insertion with blinks) under
// simulated annealing. Over a period the ruins also take out a client's
// visits, recurring call or whole neighbourhood, or two carers' visits over
// the whole period, and recreate may insert a client's visits all at once,
// trying them whole on a few carers (an idle one among them) and keeping
// the cheapest plan, so that a client moves wholesale between carers. The objective is lexicographic: first serve as many
// visits as possible weighted by priority, then minimise a weighted sum of
// travel time, lateness, carers used, paid waiting and unmet soft preferences. Hard
// constraints are never broken in a returned plan.
package optimiser
