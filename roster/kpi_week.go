package roster

import (
	"cmp"
	"math"
	"slices"
)

// Pay settings in pounds sterling, until an instance can set them: the
// rate of a carer without hourly_rate_gbp, the National Living Wage that
// effective hourly pay is flagged below (for workers 21 and over from
// April 2025) and HMRC's approved mileage rate for the first 10,000 miles
// a year by car.
const (
	DefaultHourlyRateGBP  = 12.21
	NationalLivingWageGBP = 12.21
	MileageGBPPerMile     = 0.45
)

// metresPerMile is one statute mile.
const metresPerMile = 1609.344

// PaySettings are the rates the pay figures are worked out with.
type PaySettings struct {
	// DefaultHourlyGBP is the pay per paid hour of a carer without
	// hourly_rate_gbp.
	DefaultHourlyGBP float64
	// LivingWageGBP is the hourly pay below which a carer week is flagged.
	LivingWageGBP float64
	// MileageGBPPerMile is paid on the distance a driving carer drives.
	MileageGBPPerMile float64
}

// DefaultPaySettings are the settings Check works the figures out with.
func DefaultPaySettings() PaySettings {
	return PaySettings{DefaultHourlyGBP: DefaultHourlyRateGBP, LivingWageGBP: NationalLivingWageGBP, MileageGBPPerMile: MileageGBPPerMile}
}

// PeriodKPIs are the figures a plan is judged by over its period:
// continuity per client, call-time spread per care entry and each carer's
// hours and pay per week (docs/FORMAT.md, "Key figures of a period").
type PeriodKPIs struct {
	Clients    []ClientKPIs    `json:"clients"`
	Care       []CareKPIs      `json:"care"`
	CarerWeeks []CarerWeekKPIs `json:"carer_weeks"`
}

// ClientKPIs are one client's continuity of care over the period. Visits
// are counted per carer: a double-handed visit is two carer-visits, one for
// each carer.
type ClientKPIs struct {
	Client string `json:"client"`
	// CarerVisits is N, the client's served carer-visits.
	CarerVisits int `json:"carer_visits"`
	// DistinctCarers counts the carers who visit.
	DistinctCarers int `json:"distinct_carers"`
	// Regulars says who RegularShare counts: "team" (the client's team)
	// or "top3" (the three carers with most carer-visits, for a client
	// without a team).
	Regulars string `json:"regulars"`
	// RegularShare is the share of carer-visits made by the regulars; left
	// out when N is 0.
	RegularShare *float64 `json:"regular_share,omitempty"`
	// COC is the Bice-Boxerman continuity of care index,
	// (Σ n_j² − N) / (N (N − 1)) for n_j carer-visits by carer j: 1 when
	// one carer makes every visit, 0 when each is by another; left out
	// when N is under 2.
	COC *float64 `json:"coc,omitempty"`
}

// CareKPIs are one recurring call's times over the period: a care entry's,
// or a series of dated visits' (Expanded.Series).
type CareKPIs struct {
	// Care is the care entry's id, or the stem of the dated visits' ids.
	Care string `json:"care"`
	// Client is the client of a series of dated visits; left out for a
	// care entry.
	Client       string `json:"client,omitempty"`
	VisitsServed int    `json:"visits_served"`
	// SpreadMin is the latest start minus the earliest, in minutes of
	// wall-clock time of day on each visit's date; left out when no visit
	// is served.
	SpreadMin *float64 `json:"spread_min,omitempty"`
}

// CarerWeekKPIs are one carer's hours and pay in one week of the period
// (days 0-6, 7-13, ...).
type CarerWeekKPIs struct {
	Carer string `json:"carer"`
	// Week counts from 1; Start is its first date and Days its days (7,
	// or fewer for a last week).
	Week  int    `json:"week"`
	Start string `json:"start"`
	Days  int    `json:"days"`
	// PaidS is paid time, as kpis.paid_s: each round from departure to
	// return, rest breaks excluded (contact, travel and waiting).
	PaidS int `json:"paid_s"`
	// ContractMinH, ContractTargetH and ContractMaxH are the carer's
	// contracted hours for the week (pro-rated for a shorter week), each
	// left out when the contract does not set it.
	ContractMinH    *float64 `json:"contract_min_h,omitempty"`
	ContractTargetH *float64 `json:"contract_target_h,omitempty"`
	ContractMaxH    *float64 `json:"contract_max_h,omitempty"`
	// DaysWorked counts the week's days with at least one round.
	DaysWorked int `json:"days_worked"`
	ContactS   int `json:"contact_s"`
	TravelS    int `json:"travel_s"`
	DistanceM  int `json:"distance_m"`
	WaitingS   int `json:"waiting_s"`
	// UnpaidS is unpaid time between leaving and returning: the rounds'
	// rest breaks.
	UnpaidS int `json:"unpaid_s"`
	// HourlyRateGBP is the carer's rate (or the default); PayGBP is the rate
	// times the paid hours and MileageGBP the mileage rate times the miles
	// driven (driving carers only), each to the penny.
	HourlyRateGBP float64 `json:"hourly_rate_gbp"`
	PayGBP        float64 `json:"pay_gbp"`
	MileageGBP    float64 `json:"mileage_gbp"`
	// EffectiveHourlyGBP is pay over the hours given to the work, paid time
	// plus unpaid time (contact + travel + waiting + breaks), to the
	// penny; 0 in a week without work. BelowLivingWage flags it under the
	// National Living Wage setting.
	EffectiveHourlyGBP float64 `json:"effective_hourly_gbp"`
	BelowLivingWage    bool    `json:"below_living_wage"`
}

// ComputePeriodKPIs works out the period figures of a plan for an
// instance (a period document or a one-day one, which is a period of one
// day), taking the plan's times and legs as stated (Check judges those).
// A round dated outside the period is left out. Its error is Expand's.
func ComputePeriodKPIs(in *Instance, p *Plan, pay PaySettings) (PeriodKPIs, error) {
	if p == nil {
		p = &Plan{}
	}
	flatIn, flat, v, _, err := newPeriodView(in, p)
	if err != nil {
		return PeriodKPIs{}, err
	}
	return computePeriodKPIs(flatIn, flat, v, pay), nil
}

// computePeriodKPIs works the figures out over the flattened instance and
// plan of period v.
func computePeriodKPIs(in *Instance, p *Plan, v *periodView, pay PaySettings) PeriodKPIs {
	ix := NewIndex(in)
	out := PeriodKPIs{Clients: []ClientKPIs{}, Care: []CareKPIs{}, CarerWeeks: []CarerWeekKPIs{}}
	// Each known visit's stops, in plan order.
	type stopAt struct {
		carer string
		start Clock
	}
	stops := make([][]stopAt, len(in.Visits))
	for i := range p.Rounds {
		r := &p.Rounds[i]
		if v.roundDay[i] < 0 {
			continue
		}
		for j := range r.Stops {
			if vi, ok := ix.Visit[r.Stops[j].Visit]; ok {
				stops[vi] = append(stops[vi], stopAt{r.Carer, r.Stops[j].Start})
			}
		}
	}

	hasVisits := map[string]bool{}
	counts := map[string]map[string]int{}
	for vi := range in.Visits {
		id := in.Visits[vi].Client
		hasVisits[id] = true
		for _, s := range stops[vi] {
			if counts[id] == nil {
				counts[id] = map[string]int{}
			}
			counts[id][s.carer]++
		}
	}
	for ci := range in.Clients {
		cl := &in.Clients[ci]
		if hasVisits[cl.ID] {
			out.Clients = append(out.Clients, clientKPIs(cl, counts[cl.ID]))
		}
	}

	for e, sr := range v.series {
		ck := CareKPIs{Care: sr.ID}
		if sr.Care < 0 {
			ck.Client = sr.Client
		}
		var lo, hi Clock
		for vi, ce := range v.visitSeries {
			if ce != e || len(stops[vi]) == 0 {
				continue
			}
			start := stops[vi][0].start
			for _, s := range stops[vi][1:] {
				start = min(start, s.start)
			}
			w := v.wall(v.visitDay[vi], start)
			if ck.VisitsServed == 0 || w < lo {
				lo = w
			}
			if ck.VisitsServed == 0 || w > hi {
				hi = w
			}
			ck.VisitsServed++
		}
		if ck.VisitsServed > 0 {
			ck.SpreadMin = ptrFloat(float64(hi-lo) / 60)
		}
		out.Care = append(out.Care, ck)
	}

	for k := range in.Carers {
		for w := 0; w < v.weeks(); w++ {
			out.CarerWeeks = append(out.CarerWeeks, carerWeekKPIs(in, p, v, k, w, pay))
		}
	}
	return out
}

// clientKPIs works out a client's continuity from n, their carer-visits by
// carer id.
func clientKPIs(cl *Client, n map[string]int) ClientKPIs {
	ck := ClientKPIs{Client: cl.ID, DistinctCarers: len(n), Regulars: "team"}
	sumSq := 0
	for _, nj := range n {
		ck.CarerVisits += nj
		sumSq += nj * nj
	}
	N := ck.CarerVisits
	if N >= 2 {
		ck.COC = ptrFloat(float64(sumSq-N) / float64(N*(N-1)))
	}
	regular := 0
	if len(cl.Team) > 0 {
		for _, id := range cl.Team {
			regular += n[id]
		}
	} else {
		ck.Regulars = "top3"
		var top []int
		for _, nj := range n {
			top = append(top, nj)
		}
		slices.SortFunc(top, func(a, b int) int { return cmp.Compare(b, a) })
		for _, nj := range top[:min(3, len(top))] {
			regular += nj
		}
	}
	if N > 0 {
		ck.RegularShare = ptrFloat(float64(regular) / float64(N))
	}
	return ck
}

// carerWeekKPIs works out carer k's figures for week w.
func carerWeekKPIs(in *Instance, p *Plan, v *periodView, k, w int, pay PaySettings) CarerWeekKPIs {
	carer := &in.Carers[k]
	n := v.weekDays(w)
	cw := CarerWeekKPIs{Carer: carer.ID, Week: w + 1, Days: n, HourlyRateGBP: carer.HourlyRateGBP}
	if v.x != nil {
		cw.Start = v.x.Date(7 * w)
	} else {
		cw.Start = in.Date
	}
	if cw.HourlyRateGBP == 0 {
		cw.HourlyRateGBP = pay.DefaultHourlyGBP
	}
	if ct := carer.Contract; ct != nil {
		for _, f := range []struct {
			h   float64
			dst **float64
		}{{ct.MinHours, &cw.ContractMinH}, {ct.TargetHours, &cw.ContractTargetH}, {ct.MaxHours, &cw.ContractMaxH}} {
			if f.h > 0 {
				*f.dst = ptrFloat(contractHours(f.h, n))
			}
		}
	}
	worked := map[int]bool{}
	for i := range p.Rounds {
		r := &p.Rounds[i]
		d := v.roundDay[i]
		if r.Carer != carer.ID || d < 0 || d/7 != w {
			continue
		}
		worked[d] = true
		cw.PaidS += int(roundPaidS(carer.Break, r))
		cw.UnpaidS += int(roundRestS(carer.Break, r))
		cw.TravelS += roundTravelS(r)
		cw.DistanceM += roundDistanceM(r)
		for j := range r.Stops {
			cw.ContactS += int(r.Stops[j].End) - int(r.Stops[j].Start)
			cw.WaitingS += r.Stops[j].WaitingS
		}
	}
	cw.DaysWorked = len(worked)
	pounds := cw.HourlyRateGBP * float64(cw.PaidS) / 3600
	cw.PayGBP = roundPence(pounds)
	if carer.Mode == Drive {
		cw.MileageGBP = roundPence(pay.MileageGBPPerMile * float64(cw.DistanceM) / metresPerMile)
	}
	if given := cw.PaidS + cw.UnpaidS; given > 0 {
		eff := pounds / (float64(given) / 3600)
		cw.EffectiveHourlyGBP = roundPence(eff)
		cw.BelowLivingWage = eff < pay.LivingWageGBP-1e-9
	}
	return cw
}

// roundPence rounds pounds to the penny.
func roundPence(gbp float64) float64 { return math.Round(gbp*100) / 100 }

// ptrFloat returns a pointer to a copy of f.
func ptrFloat(f float64) *float64 { return &f }

// kpiField is one field of a row of the period figures, for comparison: a
// text, or a number (nil when left out) compared within tol.
type kpiField struct {
	name  string
	text  string
	num   *float64
	tol   float64
	isNum bool
}

// numField is a whole-number or flag field.
func numField(name string, v float64) kpiField {
	return kpiField{name: name, num: &v, tol: 1e-9, isNum: true}
}

// optField is a real-number field that may be left out, compared within
// tol.
func optField(name string, v *float64, tol float64) kpiField {
	return kpiField{name: name, num: v, tol: tol, isNum: true}
}

// flag is 1 for true and 0 for false.
func flag(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// clientFields are the fields of a client's row; the first names the row.
func clientFields(k ClientKPIs) []kpiField {
	return []kpiField{{name: "client", text: k.Client}, numField("carer_visits", float64(k.CarerVisits)),
		numField("distinct_carers", float64(k.DistinctCarers)), {name: "regulars", text: k.Regulars},
		optField("regular_share", k.RegularShare, 1e-4), optField("coc", k.COC, 1e-4)}
}

// careFields are the fields of a recurring call's row.
func careFields(k CareKPIs) []kpiField {
	return []kpiField{{name: "care", text: k.Care}, {name: "client", text: k.Client}, numField("visits_served", float64(k.VisitsServed)),
		optField("spread_min", k.SpreadMin, 1e-3)}
}

// carerWeekFields are the fields of a carer week's row. Money agrees to
// the penny.
func carerWeekFields(k CarerWeekKPIs) []kpiField {
	f := func(v float64) *float64 { return &v }
	return []kpiField{{name: "carer", text: k.Carer}, numField("week", float64(k.Week)), {name: "start", text: k.Start},
		numField("days", float64(k.Days)), numField("paid_s", float64(k.PaidS)),
		optField("contract_min_h", k.ContractMinH, 1e-3), optField("contract_target_h", k.ContractTargetH, 1e-3),
		optField("contract_max_h", k.ContractMaxH, 1e-3), numField("days_worked", float64(k.DaysWorked)),
		numField("contact_s", float64(k.ContactS)), numField("travel_s", float64(k.TravelS)),
		numField("distance_m", float64(k.DistanceM)), numField("waiting_s", float64(k.WaitingS)),
		numField("unpaid_s", float64(k.UnpaidS)), optField("hourly_rate_gbp", f(k.HourlyRateGBP), 5e-3),
		optField("pay_gbp", f(k.PayGBP), 5e-3), optField("mileage_gbp", f(k.MileageGBP), 5e-3),
		optField("effective_hourly_gbp", f(k.EffectiveHourlyGBP), 5e-3), numField("below_living_wage", flag(k.BelowLivingWage))}
}
