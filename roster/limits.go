package roster

import "fmt"

// Limits bound the size of one instance that a service takes on, so that
// no request can exhaust its memory: travel matrices grow with the square
// of the places. A zero field sets no bound.
type Limits struct {
	// MaxPlaces bounds the instance's points (Instance.Points): each
	// client's home and each carer's start and end.
	MaxPlaces int
	// MaxVisits and MaxCarers bound the visits and carers.
	MaxVisits int
	MaxCarers int
	// MaxMatrixBytes bounds MatrixBytes for the instance: the memory its
	// travel matrices take before any copy.
	MaxMatrixBytes int64
}

// DefaultLimits are the API's limits unless configured otherwise: room
// for a generated day of 5,000 visits (1,684 clients and 833 carers make
// 3,350 places; 257 MiB of matrices for their three modes), and none for
// the 20,000-client request whose matrices alone would take 3 GiB.
func DefaultLimits() Limits {
	return Limits{MaxPlaces: 5000, MaxVisits: 10000, MaxCarers: 2000, MaxMatrixBytes: 400 << 20}
}

// MatrixBytes is the memory taken by the travel matrices of places points
// by modes modes: a time and a distance of 4 bytes each for every ordered
// pair. Copies (a cache's, an answer's encoding) come on top.
func MatrixBytes(places, modes int) int64 {
	return 8 * int64(places) * int64(places) * int64(modes)
}

// MatrixBytes is the memory the instance's travel matrices take: one over
// all its points for each mode a carer travels by.
func (in *Instance) MatrixBytes() int64 {
	var used [8]bool
	modes := 0
	for i := range in.Carers {
		for k, m := range Modes {
			if in.Carers[i].Mode == m && !used[k] {
				used[k] = true
				modes++
			}
		}
	}
	return MatrixBytes(len(in.Clients)+2*len(in.Carers), modes)
}

// TooLargeError lists the limits an instance exceeds, each at the field
// that makes it too large. A service answers it with 413.
type TooLargeError struct {
	FieldErrors
}

// Unwrap lets errors.As find the field errors.
func (e *TooLargeError) Unwrap() error { return e.FieldErrors }

// Check returns a *TooLargeError naming each limit in exceeds, or nil. It
// counts only, so it is safe to call before any matrix is built. A
// period's visits are counted expanded (PeriodSize); its places, and so
// its matrices, do not grow with the days.
func (l Limits) Check(in *Instance) error {
	var es FieldErrors
	places := len(in.Clients) + 2*len(in.Carers)
	// Name the list that contributes most places.
	placesPath := "clients"
	if 2*len(in.Carers) > len(in.Clients) {
		placesPath = "carers"
	}
	if l.MaxPlaces > 0 && places > l.MaxPlaces {
		es.add(placesPath, "%s and %s make %d places (each client's home, each carer's start and end); this service takes at most %d",
			count(len(in.Clients), "client"), count(len(in.Carers), "carer"), places, l.MaxPlaces)
	}
	if visits, _, _ := in.PeriodSize(); l.MaxVisits > 0 && visits > l.MaxVisits {
		path, what := "visits", count(visits, "visit")
		if len(in.Care) > 0 {
			// The care entries are what make a period's visits many.
			path, what = "care", fmt.Sprintf("%s and %s expand to %s", count(len(in.Visits), "dated visit"), entries(len(in.Care)), what)
		}
		es.add(path, "%s; this service takes at most %d", what, l.MaxVisits)
	}
	if l.MaxCarers > 0 && len(in.Carers) > l.MaxCarers {
		es.add("carers", "%s; this service takes at most %d", count(len(in.Carers), "carer"), l.MaxCarers)
	}
	if b := in.MatrixBytes(); l.MaxMatrixBytes > 0 && b > l.MaxMatrixBytes && len(es) == 0 {
		es.add(placesPath, "the travel matrices for %d places would take %s; this service allows %s (fewer places, or fewer travel modes among the carers)",
			places, mebibytes(b), mebibytes(l.MaxMatrixBytes))
	}
	if len(es) == 0 {
		return nil
	}
	return &TooLargeError{es}
}

// mebibytes formats n bytes for a person.
func mebibytes(n int64) string {
	return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
}

// count says how many of a thing there are, as "1 carer" or "3 carers".
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// entries says how many care entries there are.
func entries(n int) string {
	if n == 1 {
		return "1 care entry"
	}
	return fmt.Sprintf("%d care entries", n)
}

// planSlack is how far over the largest plan of an instance a plan may be
// and still be judged by the checker rather than refused unread.
const planSlack = 16

// CheckPlanSize returns a *TooLargeError when plan is far larger than any
// plan of in could be: more than twice as many rounds as the carers have
// shifts, stops as the visits need carers, or unassigned entries as there
// are visits (each with 16 to spare), a period's counted over all its days
// (PeriodSize). A check's work and answer then stay
// in proportion to the instance, which Limits bound; a plan within these
// bounds but over the exact ones (a visit served twice) is for the checker
// to report.
func CheckPlanSize(in *Instance, plan *Plan) error {
	visits, legs, shifts := in.PeriodSize()
	stops := 0
	for i := range plan.Rounds {
		stops += len(plan.Rounds[i].Stops)
	}
	var es FieldErrors
	if len(plan.Rounds) > 2*shifts+planSlack {
		es.add("plan.rounds", "%d rounds for %s with %d shifts between them; a plan has at most one round a shift",
			len(plan.Rounds), count(len(in.Carers), "carer"), shifts)
	}
	if stops > 2*legs+planSlack {
		es.add("plan.rounds", "%s in all for %s needing %d carers' visits between them", count(stops, "stop"), count(visits, "visit"), legs)
	}
	if len(plan.Unassigned) > 2*visits+planSlack {
		es.add("plan.unassigned", "%d unassigned entries for %s", len(plan.Unassigned), count(visits, "visit"))
	}
	if len(es) == 0 {
		return nil
	}
	return &TooLargeError{es}
}

// PeriodSize counts what planning the instance works on without expanding
// it: its visits, the carers they need (a double-handed visit needs two)
// and the carers' shifts, each carer counting at least one. A period's
// visits are its dated ones and every visit its care expands to, and its
// shifts are every shift of every day (days off, availability, pattern or
// shifts, as Expand reads them); a one-day document, or a period too
// malformed to count by day (Validate reports it), is counted as written.
func (in *Instance) PeriodSize() (visits, legs, shifts int) {
	visits = len(in.Visits)
	for i := range in.Visits {
		legs += in.Visits[i].CarersNeeded()
	}
	// Only dates and weekdays are counted, so any time zone will do.
	var cal *calendar
	if in.IsPeriod() {
		cal = newCalendar(*in.Period, "UTC")
	}
	if cal == nil {
		for i := range in.Carers {
			shifts += max(1, len(in.Carers[i].Shifts))
		}
		return visits, legs, shifts
	}
	for i := range in.Care {
		c := &in.Care[i]
		need := (&Visit{Carers: c.Carers}).CarersNeeded()
		for d := 0; d < cal.days; d++ {
			if c.occurs(cal, d) {
				visits++
				legs += need
			}
		}
	}
	for k := range in.Carers {
		n := 0
		for _, day := range carerDays(&in.Carers[k], "", cal) {
			n += len(day)
		}
		shifts += max(1, n)
	}
	return visits, legs, shifts
}
