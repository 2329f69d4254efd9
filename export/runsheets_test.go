package export_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/rounds-dev/rounds/export"
	"github.com/rounds-dev/rounds/roster"
)

// dayRounds are the plan's rounds on date, carers in the instance's order
// and each carer's rounds in the order they leave: the order of the sheets.
func dayRounds(in *roster.Instance, p *roster.Plan, date string) []roster.Round {
	var out []roster.Round
	for _, c := range in.Carers {
		var mine []roster.Round
		for _, r := range p.Rounds {
			d := r.Date
			if d == "" {
				d = in.PeriodOf().Start
			}
			if r.Carer == c.ID && d == date {
				mine = append(mine, r)
			}
		}
		for i := 1; i < len(mine); i++ {
			for j := i; j > 0 && mine[j].Departure < mine[j-1].Departure; j-- {
				mine[j], mine[j-1] = mine[j-1], mine[j]
			}
		}
		out = append(out, mine...)
	}
	return out
}

// visitsOf indexes the visits of the instance, a period's expanded.
func visitsOf(t *testing.T, in *roster.Instance) map[string]roster.Visit {
	t.Helper()
	flat := in
	if in.IsPeriod() {
		x, err := roster.Expand(in)
		if err != nil {
			t.Fatal(err)
		}
		flat = x.Instance
	}
	out := map[string]roster.Visit{}
	for _, v := range flat.Visits {
		out[v.ID] = v
	}
	return out
}

// busiest is the date with the most rounds in the plan.
func busiest(in *roster.Instance, p *roster.Plan) string {
	count := map[string]int{}
	best := in.PeriodOf().Start
	for _, r := range p.Rounds {
		if r.Date != "" {
			count[r.Date]++
			if count[r.Date] > count[best] {
				best = r.Date
			}
		}
	}
	return best
}

// TestRunSheetsCSV: for the day asked, each round of each carer is a row
// leaving the carer's start, a row per call in visiting order (with the
// call's times, client, length, skills, partner and the journey to the
// next call or home) and a row getting back, under RunSheetColumns.
func TestRunSheetsCSV(t *testing.T) {
	for _, path := range instances {
		t.Run(path, func(t *testing.T) {
			in, p := planned(t, path)
			date := busiest(in, p)
			arg := date
			if !in.IsPeriod() {
				arg = "" // a one-day plan takes its own date
			}
			var buf bytes.Buffer
			if err := export.RunSheetsCSV(&buf, in, p, arg); err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(&buf).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(rows[0], ",") != strings.Join(export.RunSheetColumns, ",") {
				t.Fatalf("header %v", rows[0])
			}
			col := map[string]int{}
			for i, h := range rows[0] {
				col[h] = i
			}
			visits := visitsOf(t, in)
			n := 1
			next := func() []string {
				t.Helper()
				if n >= len(rows) {
					t.Fatalf("%d rows, want more", len(rows)-1)
				}
				n++
				return rows[n-1]
			}
			rounds := dayRounds(in, p, date)
			stops := 0
			for _, r := range rounds {
				row := next()
				if row[col["line"]] != "depart" || row[col["carer_id"]] != r.Carer || row[col["start"]] != r.Departure.String() ||
					row[col["date"]] != date || row[col["shift"]] != strconv.Itoa(r.Shift) ||
					row[col["travel_next_min"]] != strconv.Itoa((r.Stops[0].TravelS+59)/60) {
					t.Errorf("row %d %v, want %s leaving at %s", n-1, row, r.Carer, r.Departure)
				}
				for k, st := range r.Stops {
					row := next()
					if row[col["line"]] == "break" {
						row = next()
					}
					v := visits[st.Visit]
					travel, dist := r.ReturnTravelS, r.ReturnDistanceM
					if k+1 < len(r.Stops) {
						travel, dist = r.Stops[k+1].TravelS, r.Stops[k+1].DistanceM
					}
					want := map[string]string{
						"line": "visit", "stop": strconv.Itoa(k + 1), "visit": st.Visit, "client_id": st.Client, "client": st.Client,
						"start": st.Start.String(), "end": st.End.String(), "duration_min": strconv.Itoa(v.DurationMin),
						"skills": strings.Join(v.RequiredSkills, ";"), "partner_id": st.Partner, "partner": st.Partner,
						"travel_next_min": strconv.Itoa((travel + 59) / 60), "travel_next_km": strconv.FormatFloat(float64(dist)/1000, 'f', 1, 64),
					}
					for c, w := range want {
						if row[col[c]] != w {
							t.Errorf("row %d %s = %q, want %q (stop %d of %s)", n-1, c, row[col[c]], w, k+1, r.Carer)
						}
					}
					if row[col["address"]] == "" {
						t.Errorf("row %d has no address", n-1)
					}
					stops++
				}
				if row := next(); row[col["line"]] == "break" {
					row = next()
					if row[col["line"]] != "return" {
						t.Errorf("row %d %v, want the way back", n-1, row)
					}
				} else if row[col["line"]] != "return" || row[col["start"]] != r.Return.String() {
					t.Errorf("row %d %v, want %s back at %s", n-1, row, r.Carer, r.Return)
				}
			}
			if n != len(rows) || stops == 0 {
				t.Errorf("%d rows, %d read for %d rounds of %d calls", len(rows)-1, n-1, len(rounds), stops)
			}
		})
	}
}

// TestRunSheetsBreak: a carer who must rest has the break on their sheet,
// after the last call that ends by its start.
func TestRunSheetsBreak(t *testing.T) {
	in, p := plannedWith(t, "../testdata/small_day.json", func(in *roster.Instance) {
		for i := range in.Carers {
			in.Carers[i].Break = &roster.BreakRule{AfterWorkingMin: 60, DurationMin: 20}
		}
	})
	sheets, err := export.RunSheets(in, p, "")
	if err != nil {
		t.Fatal(err)
	}
	breaks := 0
	for _, sh := range sheets {
		for _, r := range sh.Rounds {
			var lastEnd roster.Clock
			for i, l := range r.Lines {
				switch l.Kind {
				case export.LineVisit:
					if l.Start < lastEnd {
						t.Errorf("%s: call %s at %s before the line before ends (%s)", sh.CarerID, l.Visit, l.Start, lastEnd)
					}
					lastEnd = l.End
				case export.LineBreak:
					breaks++
					if l.Start < lastEnd || i == 0 {
						t.Errorf("%s: break at %s, after a call ending %s", sh.CarerID, l.Start, lastEnd)
					}
					lastEnd = l.End
				}
			}
		}
	}
	want := 0
	for _, r := range p.Rounds {
		if r.Break != nil {
			want++
		}
	}
	if breaks != want || want == 0 {
		t.Errorf("%d breaks on the sheets, %d in the plan", breaks, want)
	}
}

// TestRunSheetsDate: a period's sheets need one of its dates; a one-day
// plan's take its own date or none.
func TestRunSheetsDate(t *testing.T) {
	day, dp := planned(t, "../testdata/small_day.json")
	week, wp := planned(t, "../testdata/week_small.json")
	for _, tt := range []struct {
		name string
		in   *roster.Instance
		p    *roster.Plan
		date string
		want string
	}{
		{"a period without a date", week, wp, "", "say which date"},
		{"before the period", week, wp, "2026-11-22", "not in the plan's 7 days"},
		{"after the period", week, wp, "2026-11-30", "not in the plan's 7 days"},
		{"not a date", week, wp, "2026-11-31", "not a date"},
		{"another day", day, dp, "2026-11-25", "not the plan's date"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := export.RunSheetsCSV(&bytes.Buffer{}, tt.in, tt.p, tt.date)
			var de *export.DateError
			if !errors.As(err, &de) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want a date error saying %q", err, tt.want)
			}
		})
	}
	for _, date := range []string{"", "2026-11-24"} {
		if _, err := export.RunSheets(day, dp, date); err != nil {
			t.Errorf("the day's own date %q: %v", date, err)
		}
	}
}

// TestRunSheetsHTML: the page parses as HTML with a section per carer who
// works that day, a table per round with the calls as rows in visiting
// order, a break between carers' pages when printed, the day in every
// header, and nothing fetched from elsewhere.
func TestRunSheetsHTML(t *testing.T) {
	for _, path := range instances {
		t.Run(path, func(t *testing.T) {
			in, p := planned(t, path)
			date := busiest(in, p)
			var buf bytes.Buffer
			if err := export.RunSheetsHTML(&buf, in, p, date); err != nil {
				t.Fatal(err)
			}
			page := buf.String()
			doc, err := html.Parse(strings.NewReader(page))
			if err != nil {
				t.Fatal(err)
			}
			type round struct {
				carer  string
				visits []string
			}
			var got []round
			var sections []string
			var walk func(n *html.Node, carer string)
			walk = func(n *html.Node, carer string) {
				if n.Type == html.ElementNode {
					switch {
					case n.Data == "section" && attr(n, "class") == "sheet":
						carer = attr(n, "data-carer")
						sections = append(sections, carer)
					case n.Data == "table" && attr(n, "class") == "round":
						got = append(got, round{carer: carer})
					case n.Data == "tr" && attr(n, "class") == "visit":
						got[len(got)-1].visits = append(got[len(got)-1].visits, attr(n, "data-visit"))
					case n.Data == "script" || n.Data == "link" || n.Data == "img" || attr(n, "src") != "":
						t.Errorf("the page fetches %s", n.Data)
					}
				}
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c, carer)
				}
			}
			walk(doc, "")
			rounds := dayRounds(in, p, date)
			if len(got) != len(rounds) || len(rounds) == 0 {
				t.Fatalf("%d round tables, want %d", len(got), len(rounds))
			}
			carers := map[string]bool{}
			for i, r := range rounds {
				carers[r.Carer] = true
				var want []string
				for _, st := range r.Stops {
					want = append(want, st.Visit)
				}
				if got[i].carer != r.Carer || strings.Join(got[i].visits, " ") != strings.Join(want, " ") {
					t.Errorf("table %d: %s with %v, want %s with %v", i, got[i].carer, got[i].visits, r.Carer, want)
				}
			}
			if len(sections) != len(carers) {
				t.Errorf("sections %v for %d carers", sections, len(carers))
			}
			if !strings.Contains(page, "break-after: page") || strings.Contains(page, "url(") {
				t.Error("the page does not break between carers, or fetches something")
			}
			if c := strings.Count(page, "Run sheet: "+in.Name); c != len(sections) {
				t.Errorf("%d headers name %q, want one per carer", c, in.Name)
			}
		})
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// TestRunSheetsNames: a run sheet is read by people, so it calls carers,
// clients and partners by the names the instance gives, and homes by
// their addresses; where none is given it falls back on the id and the
// coordinates. The page shows times to the minute.
func TestRunSheetsNames(t *testing.T) {
	in, p := planned(t, instances[0])
	named := map[string]string{}
	for i := range in.Carers {
		in.Carers[i].Name = "Carer Name " + in.Carers[i].ID
		named[in.Carers[i].Name] = ""
	}
	for i := range in.Clients {
		in.Clients[i].Name = "Client Name " + in.Clients[i].ID
		in.Clients[i].Address = "1 Street of " + in.Clients[i].ID + ", Town"
	}
	date := busiest(in, p)
	var csvBuf, page bytes.Buffer
	if err := export.RunSheetsCSV(&csvBuf, in, p, date); err != nil {
		t.Fatal(err)
	}
	if err := export.RunSheetsHTML(&page, in, p, date); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&csvBuf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	visits, partners := 0, 0
	for _, r := range rows[1:] {
		if r[col["carer"]] != "Carer Name "+r[col["carer_id"]] {
			t.Errorf("carer %q for id %q", r[col["carer"]], r[col["carer_id"]])
		}
		if r[col["line"]] != export.LineVisit {
			continue
		}
		visits++
		id := r[col["client_id"]]
		if r[col["client"]] != "Client Name "+id || r[col["address"]] != "1 Street of "+id+", Town" {
			t.Errorf("client %q at %q for id %q", r[col["client"]], r[col["address"]], id)
		}
		if pid := r[col["partner_id"]]; pid != "" {
			partners++
			if r[col["partner"]] != "Carer Name "+pid {
				t.Errorf("partner %q for id %q", r[col["partner"]], pid)
			}
		}
		if !strings.Contains(page.String(), ">Client Name "+id+"<") {
			t.Errorf("the page does not name client %s", id)
		}
	}
	if visits == 0 {
		t.Fatal("no visit lines")
	}
	t.Logf("%d visit lines, %d double-handed", visits, partners)
	for _, r := range p.Rounds {
		for _, st := range r.Stops {
			if st.Start%60 != 0 && strings.Contains(page.String(), ">"+st.Start.String()+"–") {
				t.Errorf("the page shows %s with its seconds", st.Start)
			}
		}
	}
}
