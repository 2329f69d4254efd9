package roster

// Plan is the answer for one instance: each carer's rounds, the visits left
// unserved with their reasons, and the day's key figures.
type Plan struct {
	// Instance is the name of the instance the plan was made for.
	Instance string `json:"instance,omitempty"`
	// Travel names the travel-time source the plan was built and is checked
	// with; left out, the plan is checked with whatever travel it is given.
	Travel     TravelSource `json:"travel,omitzero"`
	Rounds     []Round      `json:"rounds"`
	Unassigned []Unassigned `json:"unassigned"`
	// KPIs are the day's key figures, which follow from the rest of the
	// plan (see ComputeKPIs); a plan may leave them out, and Check compares
	// them only when they are given.
	KPIs *KPIs `json:"kpis,omitempty"`
	// PeriodKPIs are the period's figures per client, care entry and carer
	// week (see ComputePeriodKPIs); like KPIs, they may be left out, and
	// Check compares them only when they are given.
	PeriodKPIs *PeriodKPIs `json:"period_kpis,omitempty"`
	// Affected, in a re-plan, is who the plan affects compared with the
	// plan it was re-planned from (ComputeAffected); CheckReplan compares it
	// when it is given.
	Affected *Affected `json:"affected,omitempty"`
	// Solver describes the run that made the plan; its fields depend on the
	// run (elapsed time) and are left out of comparisons.
	Solver *SolverInfo `json:"solver,omitempty"`
}

// TravelSource names a travel-time provider and the version of its data.
type TravelSource struct {
	Provider string `json:"provider"`
	Version  string `json:"version,omitempty"`
}

// SolverInfo describes an optimiser run.
type SolverInfo struct {
	Seed       int64   `json:"seed"`
	Iterations int     `json:"iterations"`
	ElapsedS   float64 `json:"elapsed_s"`
	Objective  float64 `json:"objective"`
}

// Round is one carer's round for one shift.
type Round struct {
	Carer string `json:"carer"`
	// Date is the round's date, YYYY-MM-DD, in a plan for a period; its
	// times are wall-clock on that date (past 24:00 for the next morning).
	// A one-day plan leaves it out (or gives the instance's date), and so
	// may a plan for a period of one day.
	Date string `json:"date,omitempty"`
	// Shift is the index of the shift among the carer's shifts on the
	// round's date (in a one-day plan, the carer's Shifts).
	Shift int  `json:"shift"`
	Mode  Mode `json:"mode"`
	// Departure is when the carer leaves the start location.
	Departure Clock  `json:"departure"`
	Stops     []Stop `json:"stops"`
	// Return is when the carer reaches the end location, after travelling
	// ReturnTravelS seconds and ReturnDistanceM metres from the last stop.
	Return          Clock `json:"return"`
	ReturnTravelS   int   `json:"return_travel_s"`
	ReturnDistanceM int   `json:"return_distance_m"`
	// Break is the unpaid rest break taken inside this round, if any.
	Break *Break `json:"break,omitempty"`
}

// Stop is one visit in a round.
type Stop struct {
	Visit  string `json:"visit"`
	Client string `json:"client"`
	// Arrival is when the carer reaches the client, Start when care begins
	// (Arrival plus WaitingS) and End when it finishes.
	Arrival Clock `json:"arrival"`
	Start   Clock `json:"start"`
	End     Clock `json:"end"`
	// TravelS and DistanceM are the leg from the previous stop, or from the
	// start location for the first stop.
	TravelS   int `json:"travel_s"`
	DistanceM int `json:"distance_m"`
	WaitingS  int `json:"waiting_s"`
	// LatenessS is how long after its window closed a soft visit started.
	LatenessS int `json:"lateness_s,omitempty"`
	// Partner is the other carer of a double-handed visit.
	Partner string `json:"partner,omitempty"`
}

// Break is a rest break: the carer is idle from Start to End.
type Break struct {
	Start Clock `json:"start"`
	End   Clock `json:"end"`
}

// Reason says why a visit was left unserved.
type Reason string

// The reasons a visit can be left unserved.
const (
	// ReasonNoQualifiedCarer: no carer has the skills, the gender the client
	// asks for, and is not excluded by the client.
	ReasonNoQualifiedCarer Reason = "no_qualified_carer"
	// ReasonTooFewQualifiedCarers: a double-handed visit, or a visit with
	// the visits that must start with it, needs more carers at once than
	// can be found each qualified for their part.
	ReasonTooFewQualifiedCarers Reason = "too_few_qualified_carers"
	// ReasonBeyondMaxLeg: enough carers are qualified, but fewer than the
	// visit needs can reach it by legs within their own maximum leg
	// (Carer.MaxLegS). Carer c can reach visit v when, in the graph whose
	// nodes are c's start, c's end and the locations of all the instance's
	// visits, with an edge from a to b when the leg from a to b by c's mode
	// takes no longer than c's limit, there is a path from c's start to v's
	// location and one from v's location to c's end, each passing through
	// visit locations only. A carer without a limit reaches every visit.
	// The test ignores time: it asks only whether any round could take the
	// carer there and home in legs they may be given.
	ReasonBeyondMaxLeg Reason = "beyond_max_leg"
	// ReasonOutsideShifts: no qualified carer who can reach the visit
	// (see ReasonBeyondMaxLeg) has a shift that lets them travel straight
	// to the client, start within a window and get back before the shift
	// ends.
	ReasonOutsideShifts Reason = "outside_shifts"
	// ReasonMaxWorkingTime: the visit alone would take every qualified
	// carer who can reach it past their maximum working time.
	ReasonMaxWorkingTime Reason = "max_working_time"
	// ReasonDependency: the visit must start at the same moment as other
	// visits (a simultaneous dependency, directly or through others), and
	// they cannot all be served together: one of them can never be served,
	// or no set of qualified carers can be at all of them at once within
	// their shifts. A sequential tie is never a reason: its gap binds only
	// when both visits are served.
	ReasonDependency Reason = "dependency"
	// ReasonNoFeasibleRound: the visit, tied to no other by a simultaneous
	// dependency, passes the tests above, yet no qualified carer (or pair
	// of carers, for a double-handed visit) can fit it into an otherwise
	// empty round: travel, shifts, windows, rest breaks, working-time caps
	// and capacity leave no time that works for all.
	ReasonNoFeasibleRound Reason = "no_feasible_round"
	// ReasonCarersBusy: qualified carers could serve the visit (with the
	// visits it must start with) on otherwise empty rounds, but not
	// alongside the visits the plan serves: those take the carers' time,
	// their working-time allowance or their rounds' capacity. It was once
	// called no_capacity, which read like the carer's capacity field.
	ReasonCarersBusy Reason = "carers_busy"
)

// Reasons lists every reason code, in the order a visit is tested for
// them: a visit is given the first that holds (ReasonByHand is given by
// the coordinator, never found). It is read, never written.
var Reasons = []Reason{
	ReasonByHand, ReasonBeforeFreeze, ReasonNoQualifiedCarer, ReasonTooFewQualifiedCarers, ReasonBeyondMaxLeg,
	ReasonOutsideShifts, ReasonMaxWorkingTime, ReasonDependency,
	ReasonNoFeasibleRound, ReasonCarersBusy,
}

// Unassigned is a visit the plan does not serve.
type Unassigned struct {
	Visit  string `json:"visit"`
	Reason Reason `json:"reason"`
	// Detail is a sentence for the coordinator.
	Detail string `json:"detail"`
}

// KPIs are the figures a coordinator and a commissioner judge a plan by.
type KPIs struct {
	Visits           int `json:"visits"`
	VisitsServed     int `json:"visits_served"`
	VisitsUnassigned int `json:"visits_unassigned"`
	// ContactS is care delivered, in carer-seconds: a double-handed visit
	// counts twice.
	ContactS int `json:"contact_s"`
	// PaidS is the carers' working time: from leaving the start to
	// returning, rest breaks excluded.
	PaidS     int `json:"paid_s"`
	TravelS   int `json:"travel_s"`
	DistanceM int `json:"distance_m"`
	// TravelByMode splits travel by mode.
	TravelByMode map[Mode]ModeTravel `json:"travel_by_mode"`
	// CO2Kg is the greenhouse gas the day's travel emits, in kg of CO2
	// equivalent: the sum of TravelByMode's CO2Kg, to three decimals.
	CO2Kg float64 `json:"co2_kg"`
	// TravelShare is TravelS as a share of PaidS.
	TravelShare float64 `json:"travel_share"`
	WaitingS    int     `json:"waiting_s"`
	LatenessS   int     `json:"lateness_s"`
	LateVisits  int     `json:"late_visits"`
	CarersUsed  int     `json:"carers_used"`
	// ShortVisits counts served visits under 30 minutes not marked as a
	// check (the Ethical Care Charter's flag).
	ShortVisits int `json:"short_visits"`
}

// ModeTravel is travel by one mode.
type ModeTravel struct {
	TravelS   int `json:"travel_s"`
	DistanceM int `json:"distance_m"`
	// CO2Kg is DistanceM in kilometres times the mode's factor in
	// CO2KgPerKm, in kg of CO2 equivalent rounded to three decimals.
	CO2Kg float64 `json:"co2_kg"`
}
