package optimiser

// The call-time spread cap is a hard rule keyed by recurring call (a care
// entry, or a series of dated visits sharing a stem: roster.Expanded's
// Series; "entry" below means either): the served visits of one entry
// start, as wall-clock time of day on each visit's
// date, within rules.call_time_spread_max_min of each other (latest minus
// earliest), as roster.Check's call_time_spread measures it. Those visits
// are pinned: compress leaves their starts where the schedule puts them,
// so that the plan writes the starts the rule was asked of. settle asks it
// of every entry with a visit on a round that moved (touchCare);
// insertion narrows a leg's start to the band its entry's other visits
// leave (spreadBounds), so that most refusals are cheap.

// touchCare records the care entries with a visit on vehicle v's round,
// for spreadsHold.
func (s *solution) touchCare(v int32) {
	p := s.p
	if p.spreadCapS < 0 {
		return
	}
	for _, k := range s.routes[v] {
		if e := p.visits[p.tasks[k].visit].care; e >= 0 && !s.careMark[e] {
			s.careMark[e] = true
			s.careTouched = append(s.careTouched, e)
		}
	}
}

// clearCare forgets the care entries touchCare recorded.
func (s *solution) clearCare() {
	for _, e := range s.careTouched {
		s.careMark[e] = false
	}
	s.careTouched = s.careTouched[:0]
}

// spreadsHold reports whether every care entry touchCare recorded keeps the
// cap, and forgets them.
func (s *solution) spreadsHold() bool {
	ok := true
	for _, e := range s.careTouched {
		if ok {
			lo, hi, any := s.careSpan(e, -1)
			ok = !any || hi-lo <= s.p.spreadCapS
		}
	}
	s.clearCare()
	return ok
}

// careSpan is the earliest and latest wall-clock start of care entry e's
// served visits other than skip, and whether there are any.
func (s *solution) careSpan(e, skip int32) (lo, hi int32, any bool) {
	p := s.p
	for _, vis := range p.careVisits[e] {
		if vis == skip {
			continue
		}
		vi := &p.visits[vis]
		k := vi.legs[0]
		if s.veh[k] < 0 {
			continue
		}
		st := s.start[k]
		for _, u := range vi.legs[1:] {
			st = min(st, s.start[u])
		}
		w := p.wall.of(vi.day, st)
		if !any {
			lo, hi, any = w, w, true
		}
		lo, hi = min(lo, w), max(hi, w)
	}
	return lo, hi, any
}

// spreadLatest is the latest instant pinned visit vis may start on its day
// within the cap of its entry's other served starts (no bound when there
// are none). As spreadBounds, it may be an hour off near a clock change.
func (s *solution) spreadLatest(vis int32) int32 {
	p := s.p
	vi := &p.visits[vis]
	lo, _, any := s.careSpan(vi.care, vis)
	if !any {
		return 1 << 30
	}
	return p.wall.instant(vi.day, lo+p.spreadCapS, vi.wins[0].open)
}

// brokenSpreads appends to out the entries whose served starts spread
// over the cap, and returns it.
func (s *solution) brokenSpreads(out []int32) []int32 {
	if s.p.spreadCapS < 0 {
		return out
	}
	for e := range s.p.careVisits {
		if lo, hi, any := s.careSpan(int32(e), -1); any && hi-lo > s.p.spreadCapS {
			out = append(out, int32(e))
		}
	}
	return out
}

// spreadBounds narrows the start of a leg of visit vis to [lo, hi]: the
// instants on its day within the cap of its care entry's other served
// starts. Near a clock change the bounds may be an hour off; settle has
// the last word.
func (s *solution) spreadBounds(vis int32, lo, hi int32) (int32, int32) {
	p := s.p
	vi := &p.visits[vis]
	if !vi.pinned {
		return lo, hi
	}
	wlo, whi, any := s.careSpan(vi.care, vis)
	if !any {
		return lo, hi
	}
	near := vi.wins[0].open
	lo = max(lo, p.wall.instant(vi.day, whi-p.spreadCapS, near))
	hi = min(hi, p.wall.instant(vi.day, wlo+p.spreadCapS, near))
	return lo, hi
}
