package optimiser

// Carer rules are the hard rules over all of one carer's rounds on the
// day, each one type in a rule_*.go file, registered in carerRules. After
// every change to the schedule, settle times the days of the carers whose
// rounds moved (timeDay) and asks each rule whether the day keeps it; a
// rule that can mend a day (the rest break, by placing one) may change the
// schedule once, after which the day is timed again and every rule asked
// again.

// carerRule is a hard rule over one carer's day.
type carerRule interface {
	// name says what the rule forbids, for documentation and tests.
	name() string
	// holds reports whether carer c's day, as timed in d, keeps the rule.
	holds(p *problem, c int, d *carerDay) bool
}

// carerRepairer is a carerRule that can make a day keep it by changing
// the schedule. repair reports false when it cannot; the schedule may then
// have changed, and the caller rejects it.
type carerRepairer interface {
	repair(s *solution, c int, d *carerDay) bool
}

// carerRules registers the carer rules, one line per rule, in the order
// they are asked.
func carerRules() []carerRule {
	return []carerRule{
		workingTimeRule{},
		restBreakRule{},
	}
}

// carerDay is what the rules read of a carer's day once timeDay has moved
// every visit as late as it can go.
type carerDay struct {
	paidS int32 // paid time of all the carer's rounds
	// hasBreak: a placed break, an idle period between two visits, or a
	// gap between two rounds, at least the carer's break long.
	hasBreak bool
	// The visit after which a break would go, should the day need one
	// and have none: the one followed by the longest idle period, else
	// the middle visit of the first round with two; slotV < 0 for none.
	slotV, slotAfter int
}

// timeDay compresses each round of carer c (see compress: departures as
// late as the round allows) and gathers what the carer rules read into d.
func (s *solution) timeDay(c int, d *carerDay) {
	p := s.p
	ci := &p.carers[c]
	var cs [256]int32
	buf := cs[:]
	*d = carerDay{slotV: -1, slotAfter: -1}
	bestGap := int32(-1)
	prevRet := int32(-1)
	for _, v := range ci.vehicles {
		s.mark(v) // compress sets its departure
		if n := len(s.routes[v]); n > len(buf) {
			buf = make([]int32, n)
		}
		gap, after := s.compress(int(v), buf)
		if len(s.routes[v]) == 0 {
			continue
		}
		d.paidS += s.paid(int(v))
		if s.brk[v] >= 0 {
			d.hasBreak = true
		}
		if prevRet >= 0 && ci.breakDurS > 0 && s.depart[v]-prevRet >= ci.breakDurS {
			d.hasBreak = true
		}
		prevRet = s.ret[v]
		if gap >= ci.breakDurS {
			d.hasBreak = true
		}
		if after >= 0 && gap > bestGap {
			bestGap, d.slotV, d.slotAfter = gap, int(v), after
		} else if d.slotV < 0 && len(s.routes[v]) > 1 {
			bestGap, d.slotV, d.slotAfter = 0, int(v), len(s.routes[v])/2-1
		}
	}
}

// keepCarerRules reports whether carer c's day keeps every carer rule,
// letting each rule that can mend the day do so once.
func (s *solution) keepCarerRules(c int) bool {
	d := &s.day // not a local: the rules' interface calls would move it to the heap
	s.timeDay(c, d)
	repaired := uint64(0) // per rule index, whether it has mended the day
	rules := s.p.rules
	for i := 0; i < len(rules); i++ {
		if rules[i].holds(s.p, c, d) {
			continue
		}
		r, ok := rules[i].(carerRepairer)
		if !ok || repaired&(1<<i) != 0 || !r.repair(s, c, d) {
			return false
		}
		repaired |= 1 << i
		// The mended schedule may break a rule asked before; time the day
		// again and ask every rule again.
		s.timeDay(c, d)
		i = -1
	}
	return true
}

// settle checks the carers of every round touched since the last settle
// against the carer rules, which may place rest breaks. Placing a break
// can move tied rounds of other carers, so it repeats until nothing is
// touched.
func (s *solution) settle() bool {
	p := s.p
	for {
		again := false
		for c := range p.carers {
			hit := false
			for _, v := range p.carers[c].vehicles {
				if s.touched[v] {
					hit = true
					s.touched[v] = false
				}
			}
			if hit {
				again = true
				if !s.keepCarerRules(c) {
					for v := range s.touched {
						s.touched[v] = false
					}
					return false
				}
			}
		}
		if !again {
			return true
		}
	}
}
