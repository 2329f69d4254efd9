// Package convrp reads and evaluates the Consistent Vehicle Routing Problem
// (ConVRP) instances of Groër, Golden and Wasil (2009), "The consistent
// vehicle routing problem", Manufacturing & Service Operations Management
// 11(4):630–643: several days planned at once, each customer served by the
// same driver on all its days and at about the same time. For home care
// read customer = client, driver = carer, day = day of the rota. It is
// groundwork for benchmarking the optimiser over a planning period and does
// not depend on it: Read parses an instance, ReadOptima the table of known
// optima, ReadSolution and WriteSolution a plain-text solution, and Evaluate
// is an independent checker of the objective and every constraint.
//
// # Instances
//
// There are two sets: small/ (convrp_10_test_1..5 and convrp_12_test_1..5:
// 10 or 12 customers, 3 days, Q = 15, D = 35) and p07/
// (Christofides_k_5_0.7, k = 1..12: the CMT instances, 50 to 199 customers,
// 5 days, each customer needing a visit on each day with probability 0.7).
// The NAME header is the same in many files, so an Instance is named by its
// file (Name) and keeps the header as Title.
//
// # Text format
//
// TSPLIB-like: header lines "KEY: value", then four sections, each keyword
// alone on its line, in this order:
//
//	DIMENSION           customers + 1 (the depot); customers are numbered 1..n
//	NUM_DAYS            T, the horizon
//	CAPACITY            Q, the most demand one route may carry
//	DISTANCE            D, the longest route, travel plus service (9999999: no limit)
//	NAME, TYPE, COMMENT optional; TYPE must be CVRP
//	EDGE_WEIGHT_TYPE    optional, FUNCTION or EUC_2D
//	EDGE_WEIGHT_FORMAT  optional, EUC_2D
//	NODE_COORD_TYPE     optional, TWOD_COORDS
//	NODE_COORD_SECTION  n rows "id x y", customers only
//	DEMAND_SECTION      n rows "id q_1 ... q_T": the demand on each day; -1 means
//	                    no visit that day
//	SVC_TIME_SECTION    n rows "id s_1 ... s_T": the service time on each day
//	DEPOT_SECTION       "x y" of the depot, then -1, then EOF (optional)
//
// Rows of a section may come in any order but each customer exactly once;
// blank lines and CRLF line ends are accepted, any other key or text is an
// error. Every error is a *ParseError naming the file, the line and the
// field, such as "DEMAND_SECTION customer 4 day 1". A visit whose demand
// exceeds Q is refused, since no route could make it. The published files
// have customers who need no visit on any day (one each in Christofides 4,
// 5, 6, 10 and 11); they are kept, with no days. The p07 readme.txt says
// service takes 1 unit, but the files say 0 or 10 (the CMT drop times) and
// Read takes the files' values.
//
// # Distances, times and the spread
//
// The distance between two nodes is the exact Euclidean distance of their
// coordinates in float64, unrounded (Instance.Dist), and travel time equals
// distance. A route leaves the depot at time 0 and never waits: it reaches
// each customer at the previous customer's arrival plus its service time
// plus the travel, and returns to the depot; its duration is its travel
// plus its service times. A customer's spread is its latest arrival minus
// its earliest over the days it is served, and must be at most L, which the
// files do not give (Evaluate takes it as an argument; math.Inf(1) for no
// limit).
//
// This convention reproduces known_optima.csv exactly. That file's optima
// (small set, L unlimited, 5 and 2) were computed by exhaustive search under
// the conventions PROVENANCE.md states (unrounded Euclidean, no waiting,
// departure at 0, unlimited fleet, one route per driver per day). The test
// oracle in this package (oracle_test.go: Held-Karp tours and a set
// partition over customer subsets for L unlimited; every feasible order per
// day and a branch and bound over the days for finite L) solves all ten
// small instances at the three values of L, and Evaluate's distance of each
// of the 30 optimal plans equals the listed optimum to its six decimals,
// with the listed number of drivers. Rounding distances (TSPLIB nint or
// ceil) is ruled out by the values themselves, which are not whole. The
// check is TestKnownOptima; it is opt-in, run when CONVRP_DATA names the
// data directory (../shared/benchdata/convrp), and takes a few seconds.
//
// # Solutions
//
// A Solution is a list of routes, each on one day and driven by one driver
// (a positive number, the same number on different days meaning the same
// driver); an empty route is an idle driver. WriteSolution and ReadSolution
// use this text format:
//
//	# any comment
//	instance convrp_10_test_1
//	day 1
//	driver 1: 3 5 8
//	driver 2: 1 6
//	day 2
//	driver 1: 1 3
//
// Days are numbered from 1 in the text and from 0 in Route.Day. A "driver
// K: c1 c2 ..." line gives the customers of driver K's route that day in
// order; the depot legs are implicit. The instance line is optional;
// comments, blank lines and CRLF line ends are allowed. WriteSolution
// writes the days in order and each day's drivers in order.
//
// # Converting to a planning period
//
// Convert builds rounds' period document of an instance (Back maps a plan of
// it back to a Solution, and costs are reported by Evaluate on that, in the
// instance's units, so rounding in the conversion never touches them):
//
//   - a period of NUM_DAYS days from Monday PeriodStart, in UTC so that
//     times are plain; day d is the period's day d;
//   - n carers D1..Dn (an unlimited fleet: one per customer at most), each
//     at the depot by drive with capacity Q and, every day, a shift from
//     00:00 of D at the scale, rounded down to the second (the whole day
//     without a limit); driver k is carer Dk;
//   - client c<id> per customer, placed in a 0.1° box keeping the plane's
//     shape (places are for readers: travel is given as matrices), with a
//     dated visit c<id>@<date> on each of its days: load the demand,
//     duration the service at the scale, one window over the whole shift;
//   - travel.matrices for drive: durations_s the distance at the scale
//     rounded to the second, distances_m MetresPerUnit a unit;
//   - rules: max_distinct_carers 1, call_time_spread_max_min L at the scale,
//     no_waiting, and no rest or weekly-hours rules (the ConVRP has none).
//
// The scale is the seconds a unit of distance takes (Config.Scale;
// DefaultScale when 0). Every service and L must come out in whole minutes,
// and D and every leg within a day, or Convert says which figure does not.
// rounds' visits last at least a minute, so a visit of no service (every
// visit of the p07 files without a duration limit) is given ZeroServiceS,
// taken off every leg leaving that customer: arrivals and durations stay
// exact and travel drops by a constant, which changes no comparison. A leg
// too short to carry it (CMT 4, 5 and 11 have customers at one place) is
// clipped at 0.
//
// Rounding travel to the second moves a plan's cost by at most half a
// second a leg, so a plan best in the converted instance is at most
// RoundingBound units longer than the best plan. DefaultScale takes the
// largest scale at which D fits in a day (2460 s a unit for D = 35): on the
// small set the bound is at most 0.021 units, under a quarter of the 0.1%
// of the smallest optimum (88.95) the benchmark allows, and
// TestConvertBenchmarkData checks it for each instance and carries each
// known optimum through the conversion and back, within its shift and its
// spread cap. Without a duration limit DefaultScale is UnlimitedScale (the
// day then holds 720 units of travel), and the bound is looser (up to 64
// units on Christofides 5, most of it from clipped legs). Limits are
// rounded too: a route's duration and a customer's arrivals move by at most
// half a second a leg before them, so a plan that meets D or L only to the
// second may miss it in Evaluate by that much.
//
// The spread cap: rules.call_time_spread_max_min binds each recurring call,
// and a customer's visits, dated rather than care because demand and
// service vary by day (which a care entry cannot say), are one: their ids
// share the stem c<id> in roster.VisitID's form, and docs/FORMAT.md
// ("Recurring calls") makes such dated visits of one client a series,
// capped, costed and reported like a care entry. rules.no_waiting is kept
// by the optimiser's schedule (every round leaves at its shift's opening
// and starts each call on arrival) and by roster.Check (violation code
// waiting), so a converted instance is solved as it is: `rounds bench
// convrp` converts, solves, checks, maps back with Back and evaluates with
// Evaluate (docs/BENCHMARKS.md, "Consistent VRP").
package convrp
