package road

import (
	"testing"

	"github.com/paulmach/osm"
)

// TestResolveRestrictions checks how restrictions land on states: a from
// way ending at the via node bans one turn; a from or to way running on
// through it is ambiguous and skipped; a way onto itself bans only the
// U-turns; a via node that is no junction is skipped.
func TestResolveRestrictions(t *testing.T) {
	// Way 10 runs 0 → 1 → 2 through junction 1; way 20 runs 1 → 3, and
	// way 30 runs 4 → 1, ending there.
	edges := []edge{{from: 0, to: 1}, {from: 1, to: 2}, {from: 1, to: 3}, {from: 4, to: 1}}
	wayOf := []int64{10, 10, 20, 30}
	vertexOf := func(id int64) int32 {
		if id == 100 {
			return 1
		}
		return -1
	}
	both := [numModes]bool{driveIdx: true, cycleIdx: true}
	rs := []rawRestriction{
		{from: 30, via: 100, to: 20, binds: both},                                       // ends at 1 onto a way that starts there: obeyed
		{from: 10, via: 100, to: 20, binds: both},                                       // from way runs on through 1: skipped
		{from: 30, via: 100, to: 10, binds: both},                                       // to way runs on through 1: skipped
		{from: 10, via: 100, to: 10, binds: both},                                       // U-turns on way 10: obeyed
		{from: 30, via: 999, to: 20, binds: both},                                       // via node not a junction: skipped
		{from: 30, viaWays: []int64{10}, to: 20, binds: both},                           // via a way: skipped
		{from: 30, via: 100, to: 20, only: true, binds: [numModes]bool{driveIdx: true}}, // cars only
	}
	rules, obeyed, skipped := resolveRestrictions(rs, edges, wayOf, vertexOf)
	if obeyed != 3 || skipped != 4 {
		t.Fatalf("obeyed %d, skipped %d; want 3 and 4", obeyed, skipped)
	}
	in30, out20 := stateOf(3, true), stateOf(2, true)
	for _, m := range []int{driveIdx, cycleIdx} {
		if !rules[m].banned[turnBan{in30, out20}] {
			t.Errorf("mode %d: the turn from way 30 onto way 20 is not banned", m)
		}
		// U-turns at 1 on way 10, from either side, and nothing else.
		for _, b := range []turnBan{{stateOf(0, true), stateOf(0, false)}, {stateOf(1, false), stateOf(1, true)}} {
			if !rules[m].banned[b] {
				t.Errorf("mode %d: U-turn %v not banned", m, b)
			}
		}
		if rules[m].banned[turnBan{stateOf(0, true), stateOf(1, true)}] {
			t.Errorf("mode %d: straight on along way 10 banned", m)
		}
	}
	if got := rules[driveIdx].only[in30]; len(got) != 1 || got[0] != out20 {
		t.Errorf("cars: only from way 30 = %v, want [%d]", got, out20)
	}
	if len(rules[cycleIdx].only) != 0 {
		t.Errorf("bicycles bound by a cars-only restriction: %v", rules[cycleIdx].only)
	}
	if len(rules[walkIdx].banned) != 0 || len(rules[walkIdx].only) != 0 {
		t.Error("walkers bound by a restriction")
	}
}

// TestRestrictionOf checks the reading of a relation's tags and members.
func TestRestrictionOf(t *testing.T) {
	mem := []member{{osm.TypeWay, 1, "from"}, {osm.TypeNode, 5, "via"}, {osm.TypeWay, 2, "to"}}
	tags := func(kv ...string) osm.Tags {
		var out osm.Tags
		for i := 0; i+1 < len(kv); i += 2 {
			out = append(out, osm.Tag{Key: kv[i], Value: kv[i+1]})
		}
		return out
	}
	cases := []struct {
		name         string
		tags         osm.Tags
		members      []member
		ok, only     bool
		drive, cycle bool
	}{
		{"no left turn", tags("type", "restriction", "restriction", "no_left_turn"), mem, true, false, true, true},
		{"only straight on", tags("type", "restriction", "restriction", "only_straight_on"), mem, true, true, true, true},
		{"except bicycles", tags("type", "restriction", "restriction", "no_right_turn", "except", "psv;bicycle"), mem, true, false, true, false},
		{"except vehicles", tags("type", "restriction", "restriction", "no_right_turn", "except", "vehicle"), mem, false, false, false, false},
		{"cars only", tags("type", "restriction", "restriction:motorcar", "no_u_turn"), mem, true, false, true, false},
		{"bicycles only", tags("type", "restriction", "restriction:bicycle", "only_left_turn"), mem, true, true, false, true},
		{"conditional", tags("type", "restriction", "restriction:conditional", "no_left_turn @ (Mo-Fr 07:00-09:00)"), mem, false, false, false, false},
		{"heavy goods only", tags("type", "restriction", "restriction:hgv", "no_left_turn"), mem, false, false, false, false},
		{"not a restriction", tags("type", "route", "restriction", "no_left_turn"), mem, false, false, false, false},
		{"two from ways", tags("type", "restriction", "restriction", "no_left_turn"), append([]member{{osm.TypeWay, 3, "from"}}, mem...), false, false, false, false},
		{"via way", tags("type", "restriction", "restriction", "no_left_turn"),
			[]member{{osm.TypeWay, 1, "from"}, {osm.TypeWay, 4, "via"}, {osm.TypeWay, 2, "to"}}, true, false, true, true},
		{"via node and way", tags("type", "restriction", "restriction", "no_left_turn"), append([]member{{osm.TypeWay, 4, "via"}}, mem...), false, false, false, false},
	}
	for _, c := range cases {
		r, ok := restrictionOf(c.tags, c.members)
		if ok != c.ok {
			t.Errorf("%s: ok %v, want %v", c.name, ok, c.ok)
			continue
		}
		if ok && (r.only != c.only || r.binds[driveIdx] != c.drive || r.binds[cycleIdx] != c.cycle || r.binds[walkIdx]) {
			t.Errorf("%s: only %v, binds %v; want only %v, drive %v, cycle %v", c.name, r.only, r.binds, c.only, c.drive, c.cycle)
		}
	}
}
