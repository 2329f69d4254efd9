package road

import (
	"strings"

	"github.com/paulmach/osm"
)

// rawRestriction is a turn restriction relation as read: from one way, by a
// node or a chain of ways, onto another way.
type rawRestriction struct {
	// only is true for only_* restrictions (the one turn allowed from
	// the from way at the via node), false for no_* (the turn banned).
	only bool
	// from and to are way ids; via is the via node's id, or 0 when the
	// restriction goes via ways (viaWays).
	from, to int64
	via      int64
	viaWays  []int64
	// binds says which modes it binds: driving, cycling, or both.
	binds [numModes]bool
}

// member is one member of a relation as read.
type member struct {
	kind osm.Type
	ref  int64
	role string
}

// restrictionOf reads a relation's tags and members as a turn restriction,
// ok false when it is not one rounds obeys:
//   - type=restriction, with restriction=no_*|only_* for every vehicle, or
//     restriction:motorcar, restriction:motor_vehicle (driving) or
//     restriction:bicycle (cycling) for one mode only;
//   - except= lifts it for motorcar, motor_vehicle or vehicle (driving)
//     and bicycle or vehicle (cycling);
//   - exactly one from way, one to way, and one via node or one or more
//     via ways.
//
// Walking is never bound. Conditional restrictions (restriction:conditional,
// with times) are left out, as OSRM's car profile leaves them out.
func restrictionOf(tags osm.Tags, members []member) (rawRestriction, bool) {
	var r rawRestriction
	if t := tags.Find("type"); t != "restriction" {
		return r, false
	}
	kind := ""
	set := func(value string, modes ...int) {
		only, ok := restrictionKind(value)
		if !ok {
			return
		}
		if kind != "" && (kind == "only") != only {
			// One relation naming a no_ for one mode and an only_ for
			// another: rare; keep the first reading.
			return
		}
		if only {
			kind = "only"
		} else {
			kind = "no"
		}
		for _, m := range modes {
			r.binds[m] = true
		}
	}
	set(tags.Find("restriction"), driveIdx, cycleIdx)
	set(tags.Find("restriction:motorcar"), driveIdx)
	set(tags.Find("restriction:motor_vehicle"), driveIdx)
	set(tags.Find("restriction:bicycle"), cycleIdx)
	if kind == "" {
		return r, false
	}
	r.only = kind == "only"
	for _, ex := range strings.Split(tags.Find("except"), ";") {
		switch strings.TrimSpace(ex) {
		case "motorcar", "motor_vehicle":
			r.binds[driveIdx] = false
		case "bicycle":
			r.binds[cycleIdx] = false
		case "vehicle":
			r.binds[driveIdx], r.binds[cycleIdx] = false, false
		}
	}
	if !r.binds[driveIdx] && !r.binds[cycleIdx] {
		return r, false
	}
	froms, tos, vias := 0, 0, 0
	for _, m := range members {
		switch {
		case m.role == "from" && m.kind == osm.TypeWay:
			r.from = m.ref
			froms++
		case m.role == "to" && m.kind == osm.TypeWay:
			r.to = m.ref
			tos++
		case m.role == "via" && m.kind == osm.TypeNode:
			r.via = m.ref
			vias++
		case m.role == "via" && m.kind == osm.TypeWay:
			r.viaWays = append(r.viaWays, m.ref)
		}
	}
	if froms != 1 || tos != 1 || vias > 1 || (vias == 1) == (len(r.viaWays) > 0) {
		return r, false
	}
	return r, true
}

// restrictionKind reads a restriction's value: only_* or no_* (no_entry
// and no_exit included, which ban the turn from the from way to the to
// way as no_* does).
func restrictionKind(v string) (only, ok bool) {
	switch {
	case strings.HasPrefix(v, "only_"):
		return true, true
	case strings.HasPrefix(v, "no_"):
		return false, true
	}
	return false, false
}

// resolveRestrictions turns the restrictions into each mode's rules over
// the network's states. wayOf is each edge's way; vertexOf the junction of
// a node id, or -1. A restriction whose via node is not a junction of its
// from and to ways, whose from or to way runs on through the via node, or
// that goes via ways, is not obeyed and is counted in skipped.
func resolveRestrictions(rs []rawRestriction, edges []edge, wayOf []int64, vertexOf func(id int64) int32) (rules [numModes]turnRules, obeyed, skipped int) {
	for m := range rules {
		rules[m] = turnRules{banned: map[turnBan]bool{}, only: map[int32][]int32{}}
	}
	wayEdges := make(map[int64][]int32)
	for e, w := range wayOf {
		wayEdges[w] = append(wayEdges[w], int32(e))
	}
	for _, r := range rs {
		v := int32(-1)
		if len(r.viaWays) == 0 {
			v = vertexOf(r.via)
		}
		if v < 0 {
			skipped++
			continue
		}
		var froms, tos []int32
		for _, e := range wayEdges[r.from] {
			if edges[e].to == v {
				froms = append(froms, stateOf(e, true))
			}
			if edges[e].from == v {
				froms = append(froms, stateOf(e, false))
			}
		}
		for _, e := range wayEdges[r.to] {
			if edges[e].from == v {
				tos = append(tos, stateOf(e, true))
			}
			if edges[e].to == v {
				tos = append(tos, stateOf(e, false))
			}
		}
		// A from or to way that runs on through the via node leaves the
		// turn meant ambiguous (mappers are asked to split such ways);
		// it is not obeyed rather than obeyed on both sides.
		if len(froms) == 0 || len(tos) == 0 || r.from != r.to && (len(froms) > 1 || len(tos) > 1) {
			skipped++
			continue
		}
		obeyed++
		for m, binds := range r.binds {
			if !binds {
				continue
			}
			for _, y := range froms {
				for _, z := range tos {
					// From a way back onto itself the restriction is
					// about turning round, not about going on along it.
					if r.from == r.to && z != y^1 {
						continue
					}
					if r.only {
						rules[m].only[y] = append(rules[m].only[y], z)
					} else {
						rules[m].banned[turnBan{y, z}] = true
					}
				}
			}
		}
	}
	return rules, obeyed, skipped
}
