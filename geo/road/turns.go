package road

import (
	"math"
	"slices"
)

// Turns. Driving and cycling are routed on a turn-expanded graph: its
// vertices are the directed edges ("states": edge e travelled forwards is
// state 2e, backwards 2e+1) and its arcs the turns from one onto the next
// at the junction between them. A turn a turn restriction bans is left
// out, and a turn costs time by its angle when driving. Walking stays on
// the junction graph: a pedestrian turns freely.
//
// The driving turn cost is OSRM's car profile's (profiles/car.lua,
// process_turn), in seconds:
//
//	turn_penalty / (1 + exp(-(13/b · a/180 − 6.5·b)))   for a turn of a ≥ 0°
//	turn_penalty / (1 + exp(-(13·b · −a/180 − 6.5/b)))  for a < 0°
//
// where a is the angle turned, positive to the right, turn_penalty is
// 7.5 s and b the turn bias: 1.075 where traffic drives on the right and
// 1/1.075 where it drives on the left, so that the turn across oncoming
// traffic costs more (about 5.4 s against 2.1 s at 90°, 0.01 s straight
// on). It is charged at junctions of more than two roads, and for a
// U-turn, which costs 20 s more. As in OSRM, a U-turn is allowed only
// where the road offers no other way on: at a dead end, or where every
// other turn is banned. Traffic signals cost what they cost on the
// junction graph.
const (
	turnPenaltyS = 7.5
	turnBias     = 1.075
	uTurnS       = 20
	// bearingM is how far from a junction a road's direction is taken,
	// so that the last few metres of a kerb's curve do not decide it.
	bearingM = 10
)

// turnGraph is a mode's turn-expanded graph. Its embedded modeGraph holds
// the arcs in compressed sparse row form over states: arc k leaves state
// tail[k] for state head[k], costing the time to travel tail[k]'s edge
// and turn (cost), along tail[k]'s edge's length (lenDM). inComp marks the
// states of the largest strongly connected part.
type turnGraph struct {
	modeGraph
	tail []int32
	// time is each state's time along its edge (ms), -1 where the mode
	// may not go.
	time []int32
	// enter marks the states a search can reach: those of the kept part
	// and those a turn leads into from it (a cul-de-sac up to a bollard).
	enter []bool
	// keeps marks the edges a place may be snapped to: a way reaches one
	// of its states and one of its states turns into the kept part.
	keeps []bool
}

// stateOf is edge e travelled forwards (fwd) or backwards.
func stateOf(e int32, fwd bool) int32 {
	if fwd {
		return 2 * e
	}
	return 2*e + 1
}

// turnBan is a turn the restrictions ban: from one state onto the next.
type turnBan struct{ from, to int32 }

// turnRules are the resolved restrictions of one mode.
type turnRules struct {
	// banned are the turns no_* restrictions ban.
	banned map[turnBan]bool
	// only are, per state, the only turns only_* restrictions allow
	// from it.
	only map[int32][]int32
}

// newTurnGraph expands mode graph g. Turns at blocked junctions are left
// out; delay marks junctions whose leaving costs delayMS; costTurns says
// whether turns cost time (driving) or only obey the rules (cycling).
func newTurnGraph(n *Network, g *modeGraph, rules turnRules, blocked map[int32]bool, delay []bool, delayMS int32, costTurns, driveOnRight bool) *turnGraph {
	states := 2 * len(n.edges)
	t := &turnGraph{time: make([]int32, states)}
	// Per junction: the states arriving at it and leaving it.
	inOff := make([]int32, n.vertices+1)
	outOff := make([]int32, n.vertices+1)
	for e := range n.edges {
		ed := n.edges[e]
		t.time[2*e], t.time[2*e+1] = g.fwd[e], g.bwd[e]
		if g.fwd[e] >= 0 {
			inOff[ed.to+1]++
			outOff[ed.from+1]++
		}
		if g.bwd[e] >= 0 {
			inOff[ed.from+1]++
			outOff[ed.to+1]++
		}
	}
	for v := 0; v < n.vertices; v++ {
		inOff[v+1] += inOff[v]
		outOff[v+1] += outOff[v]
	}
	ins := make([]int32, inOff[n.vertices])
	outs := make([]int32, outOff[n.vertices])
	inNext, outNext := append([]int32(nil), inOff[:n.vertices]...), append([]int32(nil), outOff[:n.vertices]...)
	for e := range n.edges {
		ed := n.edges[e]
		if g.fwd[e] >= 0 {
			ins[inNext[ed.to]] = stateOf(int32(e), true)
			inNext[ed.to]++
			outs[outNext[ed.from]] = stateOf(int32(e), true)
			outNext[ed.from]++
		}
		if g.bwd[e] >= 0 {
			ins[inNext[ed.from]] = stateOf(int32(e), false)
			inNext[ed.from]++
			outs[outNext[ed.to]] = stateOf(int32(e), false)
			outNext[ed.to]++
		}
	}
	// roads counts the edges meeting at each junction that the mode may
	// use in some direction.
	roads := make([]int32, n.vertices)
	for e := range n.edges {
		if g.usable(int32(e)) {
			roads[n.edges[e].from]++
			roads[n.edges[e].to]++
		}
	}

	type turn struct {
		from, to int32
		ms       int32
	}
	var turns []turn
	var allowed []int32
	for v := int32(0); v < int32(n.vertices); v++ {
		if blocked[v] {
			continue
		}
		for _, y := range ins[inOff[v]:inOff[v+1]] {
			allowed = allowed[:0]
			only, hasOnly := rules.only[y]
			for _, z := range outs[outOff[v]:outOff[v+1]] {
				if z == y^1 || rules.banned[turnBan{y, z}] {
					continue
				}
				if hasOnly && !slices.Contains(only, z) {
					continue
				}
				allowed = append(allowed, z)
			}
			if len(allowed) == 0 && t.time[y^1] >= 0 && !rules.banned[turnBan{y, y ^ 1}] && (!hasOnly || slices.Contains(only, y^1)) {
				// No way on but back: turn round.
				allowed = append(allowed, y^1)
			}
			for _, z := range allowed {
				ms := t.time[y]
				if costTurns {
					uturn := z == y^1
					if roads[v] > 2 || uturn {
						a := turnAngle(n.bearingIn(y), n.bearingOut(z))
						ms += turnCostMS(a, uturn, driveOnRight)
					}
				}
				if delay != nil && delay[v] {
					ms += delayMS
				}
				turns = append(turns, turn{y, z, min(ms, maxEdgeMS)})
			}
		}
	}
	t.off = make([]int32, states+1)
	for _, tu := range turns {
		t.off[tu.from+1]++
	}
	for s := 0; s < states; s++ {
		t.off[s+1] += t.off[s]
	}
	m := len(turns)
	t.head, t.cost, t.lenDM, t.arcEdge, t.tail = make([]int32, m), make([]int32, m), make([]int32, m), make([]int32, m), make([]int32, m)
	next := append([]int32(nil), t.off[:states]...)
	for _, tu := range turns {
		k := next[tu.from]
		next[tu.from]++
		e := tu.from / 2
		t.head[k], t.cost[k], t.tail[k] = tu.to, tu.ms, tu.from
		t.lenDM[k], t.arcEdge[k] = int32(n.edges[e].lenM*10+0.5), e
	}
	t.inComp = largestSCC(states, t.off, t.head)
	t.enter = make([]bool, states)
	for k, s := range t.tail {
		if t.inComp[s] {
			t.enter[t.head[k]] = true
		}
	}
	leave := make([]bool, states)
	for k, s := range t.tail {
		if t.inComp[t.head[k]] {
			leave[s] = true
		}
	}
	for s, in := range t.inComp {
		if in {
			t.enter[s], leave[s] = true, true
			t.kept++
		}
	}
	t.keeps = make([]bool, len(n.edges))
	for e := range t.keeps {
		t.keeps[e] = (t.enter[2*e] || t.enter[2*e+1]) && (leave[2*e] || leave[2*e+1])
	}
	return t
}

// turnAngle is the angle turned from arriving on bearing in to leaving on
// bearing out, degrees in (-180, 180], positive to the right.
func turnAngle(in, out float64) float64 {
	a := math.Mod(out-in, 360)
	switch {
	case a > 180:
		a -= 360
	case a <= -180:
		a += 360
	}
	return a
}

// turnCostMS is the time a driven turn of angle a costs (see the comment
// at the top of this file).
func turnCostMS(a float64, uturn, driveOnRight bool) int32 {
	b := turnBias
	if !driveOnRight {
		b = 1 / turnBias
	}
	var s float64
	if a >= 0 {
		s = turnPenaltyS / (1 + math.Exp(-(13/b*a/180 - 6.5*b)))
	} else {
		s = turnPenaltyS / (1 + math.Exp(-(13*b*-a/180 - 6.5/b)))
	}
	if uturn {
		s += uTurnS
	}
	return int32(math.Round(s * 1000))
}

// bearingIn is the bearing (degrees clockwise from north) on which state
// s arrives at its head junction, taken bearingM back along its edge.
func (n *Network) bearingIn(s int32) float64 {
	pts := n.geom[n.geomOff[s/2]:n.geomOff[s/2+1]]
	if s%2 == 0 {
		// Forwards: arriving at the last point.
		return bearing(n, n.walkFrom(pts, len(pts)-1, -1), pts[len(pts)-1])
	}
	return bearing(n, n.walkFrom(pts, 0, 1), pts[0])
}

// bearingOut is the bearing on which state s leaves its tail junction,
// taken bearingM along its edge.
func (n *Network) bearingOut(s int32) float64 {
	pts := n.geom[n.geomOff[s/2]:n.geomOff[s/2+1]]
	if s%2 == 0 {
		return bearing(n, pts[0], n.walkFrom(pts, 0, 1))
	}
	return bearing(n, pts[len(pts)-1], n.walkFrom(pts, len(pts)-1, -1))
}

// walkFrom walks from point i of pts in steps of step until bearingM from
// it, or to the far end, and returns the point it stops at.
func (n *Network) walkFrom(pts []int32, i, step int) int32 {
	p := pts[i]
	d := 0.0
	for j := i + step; j >= 0 && j < len(pts); j += step {
		q := pts[j-step]
		d += distanceM(n.lat[q], n.lon[q], n.lat[pts[j]], n.lon[pts[j]])
		p = pts[j]
		if d >= bearingM {
			break
		}
	}
	return p
}

// bearing is the initial bearing from point p to point q, degrees
// clockwise from north.
func bearing(n *Network, p, q int32) float64 {
	la1, la2 := n.lat[p]*math.Pi/180, n.lat[q]*math.Pi/180
	dl := (n.lon[q] - n.lon[p]) * math.Pi / 180
	y := math.Sin(dl) * math.Cos(la2)
	x := math.Cos(la1)*math.Sin(la2) - math.Sin(la1)*math.Cos(la2)*math.Cos(dl)
	return math.Atan2(y, x) * 180 / math.Pi
}

// turnRulesVersion names the turn rules in the network's data version, so
// that plans and cached tables made under other rules are refused.
func turnRulesVersion(o Options) string {
	side := "left"
	if o.DriveOnRight {
		side = "right"
	}
	return "osrm-car-" + side
}
