package roster

import "math"

// CO2KgPerKm is the greenhouse gas emitted per kilometre a carer travels by
// each mode, in kg of CO2 equivalent. It is read, never written.
//
//   - drive: 0.17, an average car of unknown fuel, from the UK Government
//     GHG Conversion Factors for Company Reporting (2023 set, "Passenger
//     vehicles: average car, unknown fuel", per vehicle-km, rounded);
//   - public: 0.10, an average local bus per passenger-km, from the same
//     2023 set (rounded);
//   - walk and cycle: 0, nothing from the journey itself.
//
// A mode not listed emits 0.
var CO2KgPerKm = map[Mode]float64{
	Walk:   0,
	Drive:  0.17,
	Cycle:  0,
	Public: 0.10,
}

// co2Kg is the emission of distM metres by mode m in kg of CO2 equivalent,
// rounded to three decimals (grams).
func co2Kg(m Mode, distM int) float64 {
	return roundGrams(float64(distM) / 1000 * CO2KgPerKm[m])
}

// roundGrams rounds kilograms to three decimals.
func roundGrams(kg float64) float64 { return math.Round(kg*1000) / 1000 }

// ComputeKPIs works out a plan's key figures from its own rounds and stops,
// taking their times and legs as stated (Check judges those). in gives the
// visits' count, durations and check marks; either argument may be nil.
//
//   - visits is len(in.Visits); visits_served counts the instance's visits
//     with at least one stop; visits_unassigned is len(p.Unassigned);
//   - contact_s sums end minus start over the stops, so a double-handed
//     visit counts twice;
//   - paid_s sums each round's return minus departure, less the length of
//     its break when that is a rest break: the round's carer has a break
//     rule and the break lasts at least its duration_min (a shorter pause,
//     or any pause without a rule or without an instance, is paid time);
//   - travel_s and distance_m sum the stops' legs and the rounds' journeys
//     back, and travel_by_mode splits them by the mode of each round's
//     carer (the round's own mode when the carer is unknown), listing each
//     mode some round has and no other; travel_share is travel_s / paid_s,
//     or 0 when paid_s is 0;
//   - waiting_s and lateness_s sum the stops' waiting_s and lateness_s, so
//     that, as in contact_s, a late double-handed visit counts once for
//     each of its carers (carer-seconds); late_visits counts the distinct
//     visits with lateness, each once;
//   - each travel_by_mode entry's co2_kg is its distance times the mode's
//     factor in CO2KgPerKm, rounded to three decimals; co2_kg is the sum of
//     those, rounded to three decimals;
//   - carers_used counts the distinct carers with at least one stop;
//   - short_visits counts the served visits of under 30 minutes not marked
//     as a check.
//
// For a period document the figures are the whole period's: its visits
// are the expanded ones and its rounds' times are read from their dates
// into instants (Expanded.PlanInstants), so a round across the clock
// change is paid for the time that passed.
func ComputeKPIs(in *Instance, p *Plan) KPIs {
	if in != nil && p != nil && in.IsPeriod() {
		// A period's plan is dated and wall-clock: count its visits and
		// time over the expanded period, in instants.
		if flatIn, flat, _, _, err := newPeriodView(in, p); err == nil {
			in, p = flatIn, flat
		}
	}
	k := KPIs{TravelByMode: map[Mode]ModeTravel{}}
	if in != nil {
		k.Visits = len(in.Visits)
	}
	if p == nil {
		return k
	}
	k.VisitsUnassigned = len(p.Unassigned)
	var ix *Index
	if in != nil {
		ix = NewIndex(in)
	}
	served := map[string]bool{}
	late := map[string]bool{}
	carers := map[string]bool{}
	for i := range p.Rounds {
		r := &p.Rounds[i]
		var rule *BreakRule
		mode := r.Mode
		if ix != nil {
			if c, ok := ix.Carer[r.Carer]; ok {
				rule, mode = in.Carers[c].Break, in.Carers[c].Mode
			}
		}
		addRoundKPIs(&k, r, mode, rule)
		for j := range r.Stops {
			s := &r.Stops[j]
			served[s.Visit] = true
			carers[r.Carer] = true
			if s.LatenessS > 0 {
				late[s.Visit] = true
			}
		}
	}
	k.LateVisits = len(late)
	k.CarersUsed = len(carers)
	for _, m := range Modes {
		if mt, ok := k.TravelByMode[m]; ok {
			mt.CO2Kg = co2Kg(m, mt.DistanceM)
			k.TravelByMode[m] = mt
			k.CO2Kg += mt.CO2Kg
		}
	}
	k.CO2Kg = roundGrams(k.CO2Kg)
	countServed(&k, in, ix, served)
	if k.PaidS != 0 {
		k.TravelShare = float64(k.TravelS) / float64(k.PaidS)
	}
	return k
}

// addRoundKPIs adds round r's time, travel, waiting and lateness to k; the
// round's carer travels by mode and has break rule rule, if any.
func addRoundKPIs(k *KPIs, r *Round, mode Mode, rule *BreakRule) {
	k.PaidS += int(roundPaidS(rule, r))
	for j := range r.Stops {
		s := &r.Stops[j]
		k.ContactS += int(s.End) - int(s.Start)
		k.WaitingS += s.WaitingS
		k.LatenessS += s.LatenessS
	}
	travel, dist := roundTravelS(r), roundDistanceM(r)
	k.TravelS += travel
	k.DistanceM += dist
	mt := k.TravelByMode[mode]
	mt.TravelS += travel
	mt.DistanceM += dist
	k.TravelByMode[mode] = mt
}

// roundPaidS is a round's paid time: from departure to return, less its
// break when that is a rest break under rule (see roundRestS).
func roundPaidS(rule *BreakRule, r *Round) int64 {
	return int64(r.Return) - int64(r.Departure) - roundRestS(rule, r)
}

// roundRestS is the length of round r's break when it counts as the rest
// break of a carer with break rule rule: the carer has a rule and the break
// lasts at least the rule's duration. Any other pause is paid time, so that
// a short pause cannot lower paid time below the rule's threshold, nor
// below a working-time cap.
func roundRestS(rule *BreakRule, r *Round) int64 {
	b := r.Break
	if rule == nil || b == nil {
		return 0
	}
	if length := int64(b.End) - int64(b.Start); length >= int64(rule.DurationMin)*60 {
		return length
	}
	return 0
}

// roundTravelS is the travel time of round r: its stops' legs and the
// journey back.
func roundTravelS(r *Round) int {
	t := r.ReturnTravelS
	for j := range r.Stops {
		t += r.Stops[j].TravelS
	}
	return t
}

// roundDistanceM is the distance of round r: its stops' legs and the
// journey back.
func roundDistanceM(r *Round) int {
	d := r.ReturnDistanceM
	for j := range r.Stops {
		d += r.Stops[j].DistanceM
	}
	return d
}

// countServed sets the served and short visit counts from the ids of the
// visits with a stop. Without an instance every id counts as served.
func countServed(k *KPIs, in *Instance, ix *Index, served map[string]bool) {
	if in == nil {
		k.VisitsServed = len(served)
		return
	}
	for id := range served {
		vi, ok := ix.Visit[id]
		if !ok {
			continue
		}
		k.VisitsServed++
		if v := &in.Visits[vi]; v.DurationMin < 30 && !v.Check {
			k.ShortVisits++
		}
	}
}
