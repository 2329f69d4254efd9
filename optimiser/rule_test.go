package optimiser

import "testing"

// TestCarerRules checks each carer rule against timed days: the working
// time rule holds up to the cap and fails beyond it, with no cap meaning
// none; the rest break rule holds up to its threshold, or beyond it with a
// break, and fails beyond it without one.
func TestCarerRules(t *testing.T) {
	p := &problem{carers: []carerInfo{
		{maxWorkS: 8 * 3600, breakAftS: 6 * 3600, breakDurS: 1200},
		{}, // no cap, no break rule
	}}
	cases := []struct {
		name  string
		rule  carerRule
		carer int
		day   carerDay
		want  bool
	}{
		{"working time at the cap", workingTimeRule{}, 0, carerDay{paidS: 8 * 3600}, true},
		{"working time a second over the cap", workingTimeRule{}, 0, carerDay{paidS: 8*3600 + 1}, false},
		{"working time without a cap", workingTimeRule{}, 1, carerDay{paidS: 20 * 3600}, true},
		{"break not yet due", restBreakRule{}, 0, carerDay{paidS: 6 * 3600}, true},
		{"break due and taken", restBreakRule{}, 0, carerDay{paidS: 7 * 3600, hasBreak: true}, true},
		{"break due and missing", restBreakRule{}, 0, carerDay{paidS: 7 * 3600}, false},
		{"no break rule", restBreakRule{}, 1, carerDay{paidS: 12 * 3600}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.rule.holds(p, c.carer, &c.day); got != c.want {
				t.Errorf("%s: holds = %v, want %v", c.rule.name(), got, c.want)
			}
		})
	}
}

// TestRestBreakRepair: a day with no place for a break cannot be mended;
// a day with one gets its break there, and then keeps every rule.
func TestRestBreakRepair(t *testing.T) {
	_, s := benchProblem(t, "../testdata/locality_day.json")
	p := s.p
	if (restBreakRule{}).repair(s, 0, &carerDay{slotV: -1, slotAfter: -1}) {
		t.Error("a day with no place for a break was mended")
	}
	for c := range p.carers {
		if p.carers[c].breakAftS == 0 {
			continue
		}
		for _, v := range p.carers[c].vehicles {
			if len(s.routes[v]) < 2 || s.brk[v] >= 0 {
				continue
			}
			d := carerDay{slotV: int(v), slotAfter: 0}
			if !(restBreakRule{}).repair(s, c, &d) {
				continue // the break pushes a visit past its window
			}
			if s.brk[v] != s.routes[v][0] {
				t.Fatalf("break after task %d, want after the round's first visit %d", s.brk[v], s.routes[v][0])
			}
			if !s.keepCarerRules(c) {
				t.Fatalf("carer %d breaks a rule once a break is placed", c)
			}
			s.timeDay(c, 0, &d)
			if !d.hasBreak {
				t.Fatalf("carer %d's timed day shows no break after one was placed", c)
			}
			return
		}
	}
	t.Fatal("no round of the locality day could take a break")
}
