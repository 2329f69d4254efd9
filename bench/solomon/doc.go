// Package solomon reads the Solomon (1987) vehicle routing benchmark with
// time windows (VRPTW) and checks solutions to it, as groundwork for
// benchmarking the optimiser. It is pure parsing and evaluation: it depends
// on the standard library only, not on the optimiser.
//
//   - Read and ReadFile parse an instance in the classic Solomon text format
//     into an Instance (Customers[0] is the depot).
//   - ReadBKS reads the table of best-known values (bks.csv) under both
//     conventions below.
//   - Instance.Dist gives distances under either convention; Evaluate checks
//     a Solution independently (every customer once, capacity, time windows,
//     return to the depot, fleet size) and computes its cost.
//   - WriteSol, ReadSol and ReadSolFile write and read the CVRPLIB .sol
//     format ("Route #1: 5 3 7" lines, then "Cost 827.3").
//
// # Model
//
// Travel time equals Euclidean distance (no speed factor). A route leaves
// the depot at its ready time (0), serves each customer starting at
// max(arrival, ready) — waiting is allowed — and no later than its due
// time (the due time bounds the start of service, not its end), stays for
// the service time, and must be back at the depot by the depot's due time,
// the horizon. Each vehicle carries at most the capacity; the fleet size in
// the file (25 throughout) is an upper bound on the number of routes.
//
// # Conventions
//
// The literature reports two incompatible kinds of best-known solution, and
// every function that computes distances takes a dimacs flag to choose:
//
//   - Hierarchical (dimacs false): minimise the number of vehicles, then the
//     total distance, with exact double-precision Euclidean distances
//     sqrt(dx² + dy²). Values from the SINTEF table, reported to two
//     decimals (bks.csv columns sintef_vehicles, sintef_distance).
//   - DIMACS (dimacs true): minimise total distance only, the number of
//     vehicles being free up to the fleet size, with every arc's distance
//     and travel time truncated to one decimal, floor(10·d)/10, and the cost
//     the sum of the truncated arcs. This is the DIMACS 2021 implementation
//     challenge, CVRPLIB and PyVRP convention (bks.csv columns
//     dimacs_vehicles, the route count of that solution, and
//     dimacs_distance).
//
// Comparing a cost under one convention with a best-known value under the
// other is meaningless: DIMACS values are lower (C101: 827.3 with 10 routes
// against 828.94) and often use more routes (R101: 20 routes, 1637.7,
// against 19, 1650.80). Nor do solutions carry over: of the 56 CVRPLIB
// (DIMACS) best-known solutions, 8 miss a time window when recomputed with
// exact distances (R102, R105, R107, R108, R112, R211, RC101, RC105).
// Which convention to use depends on the optimiser's objective; an
// objective that does not put the number of vehicles first should be
// compared with the DIMACS values.
//
// # Units for the optimiser
//
// The optimiser works in whole seconds with a day of at most 48 h =
// 172 800 s (MaxDaySeconds). Solomon times are whole numbers of abstract
// units, and the largest horizon over all 56 instances is 3390 units
// (MaxHorizon, class C2; C1 1236, R1 230, R2 1000, RC1 240, RC2 960).
// ToInstance takes 30 seconds for a unit under both conventions
// (SecondsPerUnit), so the horizon is at most 101 700 s:
//
//   - DIMACS: every truncated travel time is a whole number of tenths of a
//     unit, so every time becomes a whole number of seconds exactly.
//   - Hierarchical: no scale is exact, as distances are irrational. Windows
//     and service times scale exactly, and travel times are rounded up, so
//     that a plan feasible in seconds is feasible in the original units,
//     each arc then being less than one second (1/30 of a unit) too long. A
//     solution with less slack than that on some arc can be lost, and a cost
//     summed from the seconds overstates the exact distance a little.
//
// In both cases report costs by converting the optimiser's routes to a
// Solution and calling Evaluate, not by summing scaled times.
//
// # Data
//
// The benchmark itself is not part of the module. The test
// TestBenchmarkData is opt-in: it reads the directory named by
// $SOLOMON100_DIR (instances/*.txt, vrplib/*.vrp and *.sol, bks.csv; see its
// PROVENANCE.md) and skips when the variable is unset or the data absent; the
// unit tests use the hand-made instances in testdata.
package solomon
