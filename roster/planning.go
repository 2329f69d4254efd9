package roster

import "fmt"

// NotYetPlanned lists, by field path, what an instance asks of the planning
// of a period that the optimiser and the checker do not yet take into
// account: a period, recurring care, patterns and availability, contracts,
// continuity and history (docs/DESIGN-week.md: the model reads and expands
// them; planning with them comes next). The API and the command line refuse
// such an instance by these fields rather than plan it without them.
func NotYetPlanned(in *Instance) FieldErrors {
	var es FieldErrors
	const why = "planning with this is not built yet: this version plans one day from date, carers' shifts and dated visits"
	field := func(path string) { es.add(path, "%s", why) }
	if in.Period != nil {
		field("period")
	}
	if in.Rules != nil {
		field("rules")
	}
	if len(in.Care) > 0 {
		field("care")
	}
	if len(in.History) > 0 {
		field("history")
	}
	for k := range in.Carers {
		c := &in.Carers[k]
		path := fmt.Sprintf("carers[%d]", k)
		switch {
		case len(c.Pattern) > 0:
			field(path + ".pattern")
		case len(c.Availability) > 0:
			field(path + ".availability")
		case len(c.DaysOff) > 0:
			field(path + ".days_off")
		case c.Contract != nil:
			field(path + ".contract")
		case c.WTROptOut:
			field(path + ".wtr_opt_out")
		case c.HourlyRateGBP != 0:
			field(path + ".hourly_rate_gbp")
		}
	}
	for i := range in.Clients {
		c := &in.Clients[i]
		switch {
		case c.MaxCarers != 0:
			field(fmt.Sprintf("clients[%d].max_carers", i))
		case len(c.Team) > 0:
			field(fmt.Sprintf("clients[%d].team", i))
		}
	}
	for i := range in.Visits {
		if in.Visits[i].Date != "" && in.Visits[i].Date != in.Date {
			field(fmt.Sprintf("visits[%d].date", i))
		}
	}
	return es
}
