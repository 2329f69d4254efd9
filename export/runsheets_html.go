package export

import (
	_ "embed"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/rounds-dev/rounds/roster"
)

//go:embed runsheets.html
var runSheetsPage string

// runSheetsTemplate lays the sheets out as one page to print: a sheet per
// carer, each starting on a new A4 sheet of paper, black on white with no
// colour or picture a printer could lose, and nothing fetched from
// elsewhere.
var runSheetsTemplate = template.Must(template.New("runsheets").Funcs(template.FuncMap{
	"inc":  func(i int) int { return i + 1 },
	"hm":   hoursMinutes,
	"mins": minutes,
	"km":   km,
	"join": func(s []string) string { return strings.Join(s, ", ") },
}).Parse(runSheetsPage))

// hoursMinutes is a time on a sheet a carer reads: HH:MM, the seconds
// dropped (the CSV keeps them).
func hoursMinutes(c roster.Clock) roster.Clock { return c - c%60 }

// RunSheetsHTML writes the run sheets for date (see RunSheets) as one HTML
// page to print: a section per carer with a header naming them, the
// instance and the day, and a table per round of the times, clients,
// addresses, what each call needs and the journey after it.
func RunSheetsHTML(w io.Writer, in *roster.Instance, p *roster.Plan, date string) error {
	sheets, err := RunSheets(in, p, date)
	if err != nil {
		return err
	}
	date, _ = sheetDate(in, date)
	day := date
	if d, err := time.Parse(time.DateOnly, date); err == nil {
		day = d.Format("Monday 2 January 2006")
	}
	title := in.Name
	if title == "" {
		title = "Rounds"
	}
	return runSheetsTemplate.Execute(w, struct {
		Title, Day string
		Sheets     []RunSheet
	}{title, day, sheets})
}
