package roster

import "fmt"

// NotPlanned lists, by field path, what an instance asks that neither the
// optimiser nor the checker yet takes into account, so that the API and the
// command line refuse it rather than plan without it:
//
//   - care, and carers' pattern, availability and days_off, in a one-day
//     document (date, not period). Only a period document is expanded
//     (Expand), so a day would be planned without its recurring care and
//     with the carers' shifts alone; period {"start": date, "days": 1}
//     plans the same day with them.
//
// Everything else of a period is planned and checked. The soft fields
// (history, clients' team, contracts' min_hours and target_hours) never
// make a plan wrong; the optimiser weighs them and the figures report
// them (docs/FORMAT.md, "Planning a period").
func NotPlanned(in *Instance) FieldErrors {
	var es FieldErrors
	if in.IsPeriod() {
		return es
	}
	oneDay := func(path, what string) {
		es.add(path, "%s needs a period: a one-day document is planned from carers' shifts and dated visits; give period {\"start\": %q, \"days\": 1} instead of date", what, in.Date)
	}
	if len(in.Care) > 0 {
		oneDay("care", "recurring care")
	}
	for k := range in.Carers {
		c := &in.Carers[k]
		path := fmt.Sprintf("carers[%d]", k)
		if len(c.Pattern) > 0 {
			oneDay(path+".pattern", "a weekly pattern")
		}
		if len(c.Availability) > 0 {
			oneDay(path+".availability", "availability by date")
		}
		if len(c.DaysOff) > 0 {
			oneDay(path+".days_off", "days off")
		}
	}
	return es
}
