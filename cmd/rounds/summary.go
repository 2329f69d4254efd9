package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/rounds-dev/rounds/roster"
)

// printSummary writes the plan's rounds and KPIs as a table for a
// coordinator.
func printSummary(w io.Writer, in *roster.Instance, p *roster.Plan) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "carer\tshift\tmode\tleaves\tback\tvisits\tdouble\ttravel\twaiting\tpaid\t")
	for _, r := range p.Rounds {
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
	if len(p.Unassigned) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "unassigned:")
		for _, u := range p.Unassigned {
			fmt.Fprintf(w, "  %s  %s: %s\n", u.Visit, u.Reason, u.Detail)
		}
	}
}
