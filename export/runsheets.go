package export

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rounds-dev/rounds/roster"
)

// RunSheet is one carer's day: their rounds on the date, in the order they
// leave.
type RunSheet struct {
	// CarerID is the carer's id, Carer what the sheet calls them.
	CarerID, Carer string
	Date           string
	Rounds         []SheetRound
}

// SheetRound is one round of a run sheet: leaving the carer's start, the
// calls and any rest break in the order they come, and the way back.
type SheetRound struct {
	Shift             int
	Mode              roster.Mode
	Departure, Return roster.Clock
	Lines             []SheetLine
}

// The kinds of line on a run sheet.
const (
	LineDepart = "depart"
	LineVisit  = "visit"
	LineBreak  = "break"
	LineReturn = "return"
)

// SheetLine is one line of a round: leaving, a call, a break or getting
// back.
type SheetLine struct {
	// Kind is LineDepart, LineVisit, LineBreak or LineReturn.
	Kind string
	// Stop is a call's place in the round, from 1; 0 on other lines.
	Stop int
	// Start and End are when care begins and ends on a call, the break's
	// bounds on a break; leaving and getting back have Start only.
	Start, End roster.Clock
	// Visit, ClientID, Client and Address are the call's, Address also
	// where the carer leaves from or gets back to.
	Visit, ClientID, Client, Address string
	// What the call needs: its length, the skills it asks for, whether it
	// is a short check call, and the other carer of a double-handed call.
	DurationMin        int
	Skills             []string
	Check              bool
	PartnerID, Partner string
	// NextTravelS and NextDistanceM are the journey to the next call (or
	// home) from this line's place, on leaving and after a call.
	NextTravelS, NextDistanceM int
	HasNext                    bool
}

// Labels: how a sheet names people and places. The instance holds ids and
// coordinates alone for now; these are the one place that changes when
// clients and carers gain names and addresses.

// clientLabel is what a run sheet calls a client.
func clientLabel(c *roster.Client) string { return cmp.Or(c.Name, c.ID) }

// carerLabel is what a run sheet calls a carer.
func carerLabel(c *roster.Carer) string { return cmp.Or(c.Name, c.ID) }

// addressLabel is where a client lives, as a run sheet gives it.
func addressLabel(c *roster.Client) string {
	if c.Address != "" {
		return c.Address
	}
	return placeLabel(c.Location)
}

// placeLabel is a place as latitude and longitude.
func placeLabel(l roster.Location) string { return coord(l.Lat) + ", " + coord(l.Lon) }

// DateError is a run sheet's date that is missing, malformed, or not a
// date of the plan; callers name their own field for it.
type DateError struct{ Reason string }

func (e *DateError) Error() string { return "export: date: " + e.Reason }

// RunSheets is each carer's run sheet for date, carers in the instance's
// order, those with no round that day left out. A plan for a period needs
// a date inside it; a one-day plan takes its own date when date is empty.
func RunSheets(in *roster.Instance, p *roster.Plan, date string) ([]RunSheet, error) {
	date, err := sheetDate(in, date)
	if err != nil {
		return nil, err
	}
	pl := newPlaces(in)
	flat, err := visitsOf(in)
	if err != nil {
		return nil, err
	}
	visits := roster.NewIndex(flat).Visit
	byCarer := map[string]*RunSheet{}
	for i := range p.Rounds {
		r := &p.Rounds[i]
		if roundDate(in, r) != date {
			continue
		}
		c, err := pl.carer(r.Carer)
		if err != nil {
			return nil, err
		}
		sr, err := sheetRound(pl, flat, visits, c, r)
		if err != nil {
			return nil, err
		}
		sh := byCarer[r.Carer]
		if sh == nil {
			sh = &RunSheet{CarerID: c.ID, Carer: carerLabel(c), Date: date}
			byCarer[r.Carer] = sh
		}
		sh.Rounds = append(sh.Rounds, sr)
	}
	var out []RunSheet
	for k := range in.Carers {
		if sh := byCarer[in.Carers[k].ID]; sh != nil {
			slices.SortStableFunc(sh.Rounds, func(a, b SheetRound) int {
				return cmp.Or(cmp.Compare(a.Departure, b.Departure), cmp.Compare(a.Shift, b.Shift))
			})
			out = append(out, *sh)
			delete(byCarer, in.Carers[k].ID)
		}
	}
	return out, nil
}

// sheetDate is the date the sheets are for: date itself, checked against
// the plan's days, or a one-day plan's own.
func sheetDate(in *roster.Instance, date string) (string, error) {
	per := in.PeriodOf()
	if date == "" {
		if in.IsPeriod() && per.Days > 1 {
			return "", &DateError{fmt.Sprintf("the plan is for %d days from %s: say which date's run sheets", per.Days, per.Start)}
		}
		return per.Start, nil
	}
	d, err := time.Parse(time.DateOnly, date)
	if err != nil || d.Format(time.DateOnly) != date {
		return "", &DateError{fmt.Sprintf("%q is not a date YYYY-MM-DD", date)}
	}
	start, err := time.Parse(time.DateOnly, per.Start)
	if err != nil {
		return "", fmt.Errorf("export: the instance's date %q is not a date", per.Start)
	}
	if days := int(d.Sub(start).Hours() / 24); d.Before(start) || days >= per.Days {
		if per.Days == 1 {
			return "", &DateError{fmt.Sprintf("%s is not the plan's date, %s", date, per.Start)}
		}
		return "", &DateError{fmt.Sprintf("%s is not in the plan's %d days from %s", date, per.Days, per.Start)}
	}
	return date, nil
}

// sheetRound lays round r out as lines: leaving, each call with the
// journey after it, a break where it falls, and getting back.
func sheetRound(pl places, flat *roster.Instance, visits map[string]int, c *roster.Carer, r *roster.Round) (SheetRound, error) {
	sr := SheetRound{Shift: r.Shift, Mode: r.Mode, Departure: r.Departure, Return: r.Return}
	next := func(k int) (int, int) {
		if k < len(r.Stops) {
			return r.Stops[k].TravelS, r.Stops[k].DistanceM
		}
		return r.ReturnTravelS, r.ReturnDistanceM
	}
	t, d := next(0)
	sr.Lines = append(sr.Lines, SheetLine{Kind: LineDepart, Start: r.Departure, Address: placeLabel(c.Start),
		NextTravelS: t, NextDistanceM: d, HasNext: true})
	// The break goes after the last call that ends by its start.
	breakAfter := -1
	if r.Break != nil {
		for k := range r.Stops {
			if r.Stops[k].End <= r.Break.Start {
				breakAfter = k
			}
		}
	}
	addBreak := func() {
		sr.Lines = append(sr.Lines, SheetLine{Kind: LineBreak, Start: r.Break.Start, End: r.Break.End})
	}
	if r.Break != nil && breakAfter < 0 {
		addBreak()
	}
	for k := range r.Stops {
		st := &r.Stops[k]
		ci, ok := pl.clients[st.Client]
		if !ok {
			return sr, fmt.Errorf("export: the plan names client %q, who is not in the instance", st.Client)
		}
		client := &pl.in.Clients[ci]
		vi, ok := visits[st.Visit]
		if !ok {
			return sr, fmt.Errorf("export: the plan serves visit %q, which is not in the instance", st.Visit)
		}
		v := &flat.Visits[vi]
		t, d := next(k + 1)
		line := SheetLine{Kind: LineVisit, Stop: k + 1, Start: st.Start, End: st.End, Visit: st.Visit,
			ClientID: client.ID, Client: clientLabel(client), Address: addressLabel(client),
			DurationMin: v.DurationMin, Skills: v.RequiredSkills, Check: v.Check,
			NextTravelS: t, NextDistanceM: d, HasNext: true}
		if st.Partner != "" {
			partner, err := pl.carer(st.Partner)
			if err != nil {
				return sr, err
			}
			line.PartnerID, line.Partner = partner.ID, carerLabel(partner)
		}
		sr.Lines = append(sr.Lines, line)
		if r.Break != nil && breakAfter == k {
			addBreak()
		}
	}
	sr.Lines = append(sr.Lines, SheetLine{Kind: LineReturn, Start: r.Return, Address: placeLabel(c.EndLocation())})
	return sr, nil
}

// minutes is a journey's time in whole minutes, rounded up: a sheet that
// says 0 min for a short walk would mislead.
func minutes(s int) int { return (s + 59) / 60 }

// km is a distance in kilometres to one decimal.
func km(m int) string { return strconv.FormatFloat(float64(m)/1000, 'f', 1, 64) }

// RunSheetColumns are the columns of RunSheetsCSV, in order.
var RunSheetColumns = []string{
	"date", "carer_id", "carer", "shift", "mode", "line", "stop", "start", "end",
	"visit", "client_id", "client", "address", "duration_min", "skills", "check",
	"partner_id", "partner", "travel_next_min", "travel_next_km",
}

// RunSheetsCSV writes the run sheets for date (see RunSheets) as CSV: a
// header of RunSheetColumns, then a row for each line of each round.
// Skills are separated by semicolons; travel is to the next call, or home.
func RunSheetsCSV(w io.Writer, in *roster.Instance, p *roster.Plan, date string) error {
	sheets, err := RunSheets(in, p, date)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(RunSheetColumns); err != nil {
		return err
	}
	for _, sh := range sheets {
		for _, r := range sh.Rounds {
			for _, l := range r.Lines {
				cell := map[string]string{
					"date": sh.Date, "carer_id": sh.CarerID, "carer": sh.Carer, "shift": strconv.Itoa(r.Shift), "mode": string(r.Mode),
					"line": l.Kind, "start": l.Start.String(), "visit": l.Visit, "client_id": l.ClientID, "client": l.Client,
					"address": l.Address, "skills": strings.Join(l.Skills, ";"), "partner_id": l.PartnerID, "partner": l.Partner,
				}
				if l.Stop > 0 {
					cell["stop"], cell["duration_min"] = strconv.Itoa(l.Stop), strconv.Itoa(l.DurationMin)
				}
				if l.Kind == LineVisit || l.Kind == LineBreak {
					cell["end"] = l.End.String()
				}
				if l.Check {
					cell["check"] = "yes"
				}
				if l.HasNext {
					cell["travel_next_min"], cell["travel_next_km"] = strconv.Itoa(minutes(l.NextTravelS)), km(l.NextDistanceM)
				}
				row := make([]string, len(RunSheetColumns))
				for i, col := range RunSheetColumns {
					row[i] = cell[col]
				}
				if err := cw.Write(row); err != nil {
					return err
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
