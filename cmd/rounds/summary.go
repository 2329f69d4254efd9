package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/rounds-dev/rounds/roster"
)

// printSummary writes the plan's rounds and KPIs as a table for a
// coordinator; for a period, each round's date and then the period's
// figures (printPeriod).
func printSummary(w io.Writer, in *roster.Instance, p *roster.Plan) {
	period := in.IsPeriod()
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	if period {
		fmt.Fprint(tw, "date\t")
	}
	fmt.Fprintln(tw, "carer\tshift\tmode\tleaves\tback\tvisits\tdouble\ttravel\twaiting\tpaid\t")
	for _, r := range p.Rounds {
		if period {
			fmt.Fprintf(tw, "%s\t", dayName(r.Date))
		}
		double, travel, wait := 0, r.ReturnTravelS, 0
		for _, s := range r.Stops {
			if s.Partner != "" {
				double++
			}
			travel += s.TravelS
			wait += s.WaitingS
		}
		paid := int(r.Return - r.Departure)
		if r.Break != nil {
			paid -= int(r.Break.End - r.Break.Start)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%d\t%d\t%s\t%s\t%s\t\n", r.Carer, r.Shift+1, r.Mode,
			r.Departure, r.Return, len(r.Stops), double, hm(travel), hm(wait), hm(paid))
	}
	tw.Flush()
	k := p.KPIs
	fmt.Fprintln(w)
	fmt.Fprintf(w, "visits served      %d of %d (%d unassigned)\n", k.VisitsServed, k.Visits, k.VisitsUnassigned)
	fmt.Fprintf(w, "care delivered     %s carer-hours\n", hm(k.ContactS))
	fmt.Fprintf(w, "paid time          %s; travel %s (%.1f%% of paid), waiting %s\n", hm(k.PaidS), hm(k.TravelS), 100*k.TravelShare, hm(k.WaitingS))
	for _, m := range roster.Modes {
		if t, ok := k.TravelByMode[m]; ok {
			fmt.Fprintf(w, "  %-6s           %s, %.1f km", m, hm(t.TravelS), float64(t.DistanceM)/1000)
			if t.CO2Kg > 0 {
				fmt.Fprintf(w, ", %.1f kg CO2e", t.CO2Kg)
			}
			fmt.Fprintln(w)
		}
	}
	fmt.Fprintf(w, "travel source      %s %s\n", p.Travel.Provider, p.Travel.Version)
	fmt.Fprintf(w, "late visits        %d (%s late in all)\n", k.LateVisits, hm(k.LatenessS))
	fmt.Fprintf(w, "carers used        %d of %d\n", k.CarersUsed, len(in.Carers))
	fmt.Fprintf(w, "visits under 30min %d (not marked as checks)\n", k.ShortVisits)
	if period {
		printPeriod(w, in, p)
	}
	if len(p.Unassigned) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "unassigned:")
		for _, u := range p.Unassigned {
			fmt.Fprintf(w, "  %s  %s: %s\n", u.Visit, u.Reason, u.Detail)
		}
	}
	if p.Affected != nil {
		printAffected(w, p.Affected)
	}
}

// printAffected writes who a re-plan affects, for the coordinator to
// telephone: each carer with the dates and how many visits they gain,
// lose or have moved, and each client with the dates and what changed.
func printAffected(w io.Writer, a *roster.Affected) {
	fmt.Fprintln(w)
	if len(a.Carers) == 0 && len(a.Clients) == 0 {
		fmt.Fprintf(w, "affected: no one (no visit changed carer or moved by more than %d min)\n", a.MovedMin)
		return
	}
	fmt.Fprintf(w, "affected: %d carers and %d clients (visits gained or lost, or moved by more than %d min)\n", len(a.Carers), len(a.Clients), a.MovedMin)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  carer\tgained\tlost\tmoved\tdates")
	for _, c := range a.Carers {
		var gained, lost, moved int
		for _, v := range c.Visits {
			had := v.Before != nil && slices.Contains(v.Before.Carers, c.Carer)
			has := v.After != nil && slices.Contains(v.After.Carers, c.Carer)
			switch {
			case has && !had:
				gained++
			case had && !has:
				lost++
			default:
				moved++
			}
		}
		fmt.Fprintf(tw, "  %s\t%d\t%d\t%d\t%s\n", c.Carer, gained, lost, moved, dayList(c.Dates))
	}
	tw.Flush()
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  client\tnew carer\tmoved\tdropped\tadded\tdates")
	for _, c := range a.Clients {
		n := map[string]int{}
		for _, v := range c.Visits {
			n[v.Change]++
		}
		fmt.Fprintf(tw, "  %s\t%d\t%d\t%d\t%d\t%s\n", c.Client, n[roster.ChangeCarer], n[roster.ChangeTime], n[roster.ChangeDropped], n[roster.ChangeAdded], dayList(c.Dates))
	}
	tw.Flush()
}

// dayList writes dates for a rota: "Wed 2026-11-25, Thu 2026-11-26".
func dayList(dates []string) string {
	out := make([]string, len(dates))
	for i, d := range dates {
		out[i] = dayName(d)
	}
	return strings.Join(out, ", ")
}

// dayName writes a date for a rota: "Mon 2026-11-23".
func dayName(date string) string {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return date
	}
	return t.Format("Mon 2006-01-02")
}

// printPeriod writes what a coordinator judges a period's plan by: each
// carer's weeks (paid hours against contract, days worked, travel), each
// client's continuity (distinct carers, regular carers' share, COC) and
// each care entry's call-time spread. The figures are the plan's
// period_kpis, or worked out when it has none.
func printPeriod(w io.Writer, in *roster.Instance, p *roster.Plan) {
	var k roster.PeriodKPIs
	if p.PeriodKPIs != nil {
		k = *p.PeriodKPIs
	} else {
		var err error
		if k, err = roster.ComputePeriodKPIs(in, p, roster.DefaultPaySettings()); err != nil {
			fmt.Fprintf(w, "\nperiod figures: %v\n", err)
			return
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "carers' weeks (contracted hours min/target/max; short: paid under the minimum)")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "carer\tweek\tfrom\tdays\tpaid\tcontract\tshort\ttravel\tdistance\t")
	for _, c := range k.CarerWeeks {
		short := "-"
		if c.ContractMinH != nil && float64(c.PaidS) < *c.ContractMinH*3600 {
			short = hm(int(*c.ContractMinH*3600) - c.PaidS)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%s\t%s/%s/%s\t%s\t%s\t%.1f km\t\n", c.Carer, c.Week, c.Start, c.DaysWorked,
			hm(c.PaidS), hours(c.ContractMinH), hours(c.ContractTargetH), hours(c.ContractMaxH), short,
			hm(c.TravelS), float64(c.DistanceM)/1000)
	}
	tw.Flush()

	fmt.Fprintln(w)
	fmt.Fprintln(w, "clients' continuity (carer-visits: a double-handed visit counts for each carer)")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "client\tvisits\tcarers\tregulars\tshare\tCOC\t")
	var cocs []float64
	for _, c := range k.Clients {
		if c.COC != nil {
			cocs = append(cocs, *c.COC)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\t\n", c.Client, c.CarerVisits, c.DistinctCarers, c.Regulars, ratio(c.RegularShare), ratio(c.COC))
	}
	tw.Flush()
	if len(cocs) > 0 {
		fmt.Fprintf(w, "median COC %.2f over %d clients\n", median(cocs), len(cocs))
	}

	if len(k.Care) == 0 {
		return
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "call-time spread (latest start minus earliest, wall-clock)")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "care\tserved\tspread\t")
	var spreads []float64
	for _, c := range k.Care {
		spread := "-"
		if c.SpreadMin != nil {
			spreads = append(spreads, *c.SpreadMin)
			spread = strconv.FormatFloat(*c.SpreadMin, 'f', 0, 64) + " min"
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t\n", c.Care, c.VisitsServed, spread)
	}
	tw.Flush()
	if len(spreads) > 0 {
		fmt.Fprintf(w, "median spread %.0f min, widest %.0f min over %d care entries\n", median(spreads), slices.Max(spreads), len(spreads))
	}
}

// hours writes contracted hours, "-" when not set.
func hours(h *float64) string {
	if h == nil {
		return "-"
	}
	return strconv.FormatFloat(*h, 'f', -1, 64)
}

// ratio writes a share or an index to two places, "-" when not defined.
func ratio(r *float64) string {
	if r == nil {
		return "-"
	}
	return fmt.Sprintf("%.2f", *r)
}

// median is the middle of xs (the mean of the middle two for an even
// count); xs is sorted in place.
func median(xs []float64) float64 {
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}
