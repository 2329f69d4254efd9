// Package mankowska reads and evaluates the home health care routing and
// scheduling instances of Mankowska, Meisel and Bierwirth (2014), "The home
// health care routing and scheduling problem with interdependent services",
// Health Care Management Science 17:15–30, the standard benchmark for
// routing with skills and double-service patients. It is groundwork for
// benchmarking the optimiser and does not depend on it: Read parses an
// instance, ReadBKS the table of best-known values, ReadSolution and
// WriteSolution the published solutions' JSON, and Evaluate is an
// independent checker of the published objective.
//
// # Instances
//
// There are 70 instances: sets A, B, C and D (10, 25, 50 and 75 patients,
// files InstanzCPLEX_HCSRP_<n>_<k>.txt) and E, F and G (100, 200 and 300
// patients, files InstanzVNS_HCSRP_<n>_<k>.txt), ten each (k = 1 to 10).
// Label maps a file name to its label (InstanzVNS_HCSRP_100_3 → E3) and
// InstanceName back.
//
// # Text format
//
// A file is a sequence of sections, each a keyword alone on its line
// followed by lines of whitespace-separated decimal numbers. The published
// files give the sections in the order below; Read accepts any order, blank
// lines, CRLF line ends and integers written as decimals, but each section
// must appear exactly once. Let N be the number of nodes, V of caregivers
// and S of services. Nodes are numbered from 0: node 0 is the depot as the
// start of every route, nodes 1 to N-2 are the patients and node N-1 is the
// depot again as the end of every route.
//
//	keyword  values
//	nbNodes  N = patients + 2
//	nbVehi   V, the number of caregivers ("vehicles")
//	nbServi  S, the number of service types (6 in every published file)
//	r        N rows of S values 0/1: r[i][s] = 1 if node i requires service s;
//	         a patient requires one or two services (the depot rows are all 1
//	         and are ignored)
//	DS       the double-service patients as 1-based node numbers: "11" is
//	         node 10; exactly the patients requiring two services
//	a        V rows of S values 0/1: caregiver v is qualified for service s
//	x, y     N coordinates each (integers from 0 to 99 in the published files)
//	d        N rows of N values: the distance, which is also the travel time
//	p        N·V rows of S values: row i·V+v (node-major) is the processing
//	         time of each service at node i by caregiver v
//	mind     N values: δmin of each double-service patient
//	maxd     N values: δmax; for nodes other than double-service patients both
//	         hold meaningless numbers and are ignored
//	e, l     N values each: the window [e_i, l_i] for the start of each service
//	         at node i
//
// In a matrix section each row is one line of exactly the expected number of
// values; the values of a vector section (DS, x, y, mind, maxd, e, l) may
// spread over any number of lines. Read rejects anything else with a
// *ParseError naming the input, the line and the section.
//
// A double-service patient needs two services s1 < s2 from two different
// caregivers, each qualified for its service. If δmin = δmax = 0 they are
// Simultaneous: both start at the same time. Otherwise they are Sequential:
// the lower-numbered service s1 starts first and δmin ≤ start(s2) −
// start(s1) ≤ δmax. The files do not state this order, but all 1197
// sequential patients of the Ceschia et al. solutions satisfy it and every
// one of them breaks the opposite reading.
//
// # Objective
//
// A caregiver starts a service no earlier than the patient's e_i and its own
// arrival; arriving early means waiting. Starting after l_i is allowed and
// costs tardiness. With D the total travel distance of all routes (depot to
// depot), T the sum over every service (a double-service patient counts
// twice) of max(0, start − l_i) and Tmax the largest such term, the cost
// all best-known values use is (D + T + Tmax) / 3. The depot's end window
// is not enforced: 124 of the 997 non-empty routes of the published
// Ceschia et al. solutions return after it.
//
// # Solutions
//
// Solutions are JSON in the shape of Ceschia, Di Gaspero, Rosati and
// Schaerf (2024), "Multi-neighborhood simulated annealing for the home
// healthcare routing and scheduling problem", ITOR: one route per
// caregiver, each with its caregiver_id ("c<v+1>") and its locations in
// order, each a patient ("p<node>"), a service ("s<s+1>"), an
// arrival_time, which is the start of the service, and a departure_time,
// the start plus the processing time. Idle caregivers have no locations
// key, and the depot legs are implicit. See Solution.
//
// # Agreement with the published costs
//
// Evaluated against the text instances, all 70 Ceschia et al. solutions
// listed in bks.csv are feasible and their costs are within 0.0066 of
// bks.csv's ceschia2024_cost (the largest difference at F1, whose cost
// bks.csv gives to six significant digits); the travel is within 0.0005 of
// ceschia2024_travel and both tardiness terms equal the published ones to
// the three decimals given. The published times are rounded to three
// decimals, so Evaluate compares times with Tolerance = 0.002; the largest
// slack any published solution needs is 0.0005. TestPublishedSolutions
// repeats this check, with a cost tolerance of 0.01; it is opt-in, run when
// MANKOWSKA_DATA names the data directory, and skipped otherwise.
//
// # Notes for the integrator
//
// These facts were measured over all 70 instances; TestPublishedInstanceFacts
// checks them.
//
//   - Units. The files name no unit. Distances are Euclidean distances on
//     integer coordinates (0 to 99), and the same matrix is the travel time,
//     so travel is one distance unit per time unit. All time windows,
//     processing times (10 to 19) and gaps are integers; every patient's
//     window is 120 wide and the depot's start window is [0, 600]: the
//     scale reads as minutes (a 10-hour day, 2-hour windows), so 60 s per
//     unit is the natural conversion, but nothing in the data fixes it.
//   - Horizon. The largest latest start over all nodes of all instances is
//     1000, the depot's end window in sets A–D (600 in sets E–G); the
//     largest patient latest start is 599. Tardiness can push work past
//     them: in the published solutions the latest service start is 698.648
//     and the latest return to the depot 755.227. At 60 s per unit the
//     horizon is 60 000 s and the latest published return about 45 314 s,
//     well within 172 800 s; the cap would allow up to 172.8 s per unit.
//   - Travel times equal distances: there is one matrix, d, used as both.
//     It matches the Euclidean distance of x and y to within 7.2e-6 (the
//     files print it at single precision). The largest distance is 110.463.
//   - The matrix is exactly symmetric, its diagonal is zero and the depot's
//     start and end rows and columns are identical. 158 pairs of distinct
//     nodes share coordinates and are at distance 0.
//   - Triangle inequality: it holds up to the printing precision. 34 902
//     triples (i, k, j) have d[i][j] > d[i][k] + d[k][j], by at most 1e-5
//     (collinear points). Converted to whole seconds at 60 s per unit,
//     rounding to the nearest second breaks it by up to 1 s, rounding up
//     breaks it nowhere. Either way each leg is off by up to 1 s, so report
//     costs by evaluating the schedule in the original units with Evaluate.
//   - Processing times do not depend on the caregiver in any published
//     file, though Requirement keeps one per caregiver as the format allows.
//   - BKS: best_known in bks.csv is Ceschia et al. 2024 for 69 instances;
//     for C9 it is 531.2 from the BRKGA-MP-IPR logs, with no solution file.
package mankowska
