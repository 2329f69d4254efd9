package importer_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/importer"
	"github.com/rounds-dev/rounds/internal/badimports"
	"github.com/rounds-dev/rounds/roster"
)

const tablePath = "../testdata/invalid/import.json"

// files turns CSV texts into the three files and the options, named as the
// API names them; a postcodes text of "" gives no postcode file.
func files(texts map[string]string, start string, days int) (carers, clients, care importer.File, opts importer.Options) {
	f := func(name string) importer.File {
		return importer.File{Name: name + ".csv", R: strings.NewReader(texts[name])}
	}
	opts = importer.Options{Start: start, Days: days}
	if texts["postcodes"] != "" {
		opts.Postcodes = f("postcodes")
	}
	return f("carers"), f("clients"), f("care"), opts
}

func read(t *testing.T, texts map[string]string, start string, days int) (*roster.Instance, error) {
	t.Helper()
	a, b, c, opts := files(texts, start, days)
	return importer.Read(a, b, c, opts)
}

// reencode writes an instance as JSON and reads it back with roster's
// strict decoder, as rounds solve would read the imported file.
func reencode(t *testing.T, in *roster.Instance) *roster.Instance {
	t.Helper()
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := roster.DecodeInstance(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the imported instance does not decode: %v", err)
	}
	return out
}

// TestReadPeriod: the bad-row table's base files import as a week: a
// pattern from the weekday columns, a contract, recurring care and a dated
// call, places from lat/lon and from the postcode file, and names and
// addresses kept.
func TestReadPeriod(t *testing.T) {
	base, start, days, err := badimports.Base(tablePath)
	if err != nil {
		t.Fatal(err)
	}
	in, err := read(t, base, start, days)
	if err != nil {
		t.Fatal(err)
	}
	in = reencode(t, in)
	if in.Period == nil || in.Period.Start != start || in.Period.Days != days || in.TimeZone != "Europe/London" {
		t.Errorf("period %+v in %q, want %s for %d days in Europe/London", in.Period, in.TimeZone, start, days)
	}
	k1, k2 := in.Carers[0], in.Carers[1]
	if k1.ID != "K1" || k1.Name != "Ann Carer" || k1.Mode != roster.Drive || len(k1.Pattern) != 5 || k1.Contract == nil || k1.Contract.MaxHours != 37.5 {
		t.Errorf("K1 reads as %+v", k1)
	}
	if len(k2.Pattern["mon"]) != 2 || k2.Pattern["mon"][1].Start != 16*3600 || len(k2.Pattern["wed"]) != 0 {
		t.Errorf("K2's split shifts read as %+v", k2.Pattern)
	}
	c1, c2 := in.Clients[0], in.Clients[1]
	if c1.Location != (roster.Location{Lat: 52.601, Lon: -0.601}) || c1.Address != "1 High Street, Rutham" || c1.Name != "Cath Client" {
		t.Errorf("C1 reads as %+v", c1)
	}
	if c2.Location != (roster.Location{Lat: 52.6015, Lon: -0.5985}) {
		t.Errorf("C2 is at %+v, want its postcode's place", c2.Location)
	}
	if len(in.Care) != 2 || !in.Care[0].Days.Has("sun") || in.Care[1].Days.Has("tue") || *in.Care[0].Time != 8*3600 || in.Care[0].ToleranceMin != 30 {
		t.Errorf("care reads as %+v", in.Care)
	}
	if len(in.Visits) != 1 || in.Visits[0].Date != "2026-11-25" || in.Visits[0].Windows[0] != (roster.Window{Start: 9*3600 + 45*60, End: 10*3600 + 15*60}) {
		t.Errorf("the dated call reads as %+v", in.Visits)
	}
}

// TestReadDay: dated calls alone make one day; each carer works the
// shifts of that date's weekday, and a carer who does not work that day is
// left out, and off the clients' lists. Headers match whatever their case
// and spacing.
func TestReadDay(t *testing.T) {
	texts := map[string]string{
		"carers": "ID,Name,Mode,Start Lat,Start Lon,Monday,Wednesday\n" +
			"K1,Ann,drive,52.6,-0.6,07:00-14:00,07:00-14:00\n" +
			"K2,Bob,walk,52.602,-0.598,07:00-14:00,\n",
		// A byte-order mark and Windows line ends, as spreadsheets write.
		"clients": "\ufeffid,lat,lon,team\r\nC1,52.601,-0.601,K1;K2\r\n",
		"care":    "id,client,date,window_start,window_end,duration_min\nC1-am,C1,2026-11-25,08:00,09:00,30\n",
	}
	in, err := read(t, texts, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	in = reencode(t, in)
	if in.Date != "2026-11-25" || in.Period != nil {
		t.Errorf("date %q, period %+v; want the calls' Wednesday", in.Date, in.Period)
	}
	if len(in.Carers) != 1 || in.Carers[0].ID != "K1" || len(in.Carers[0].Shifts) != 1 {
		t.Errorf("carers %+v; want K1 alone, who works on Wednesdays", in.Carers)
	}
	if len(in.Clients[0].Team) != 1 || in.Clients[0].Team[0] != "K1" {
		t.Errorf("team %v; want K1 alone", in.Clients[0].Team)
	}

	texts["care"] += "C1-pm,C1,2026-11-26,16:00,17:00,30\n"
	_, err = read(t, texts, "", 0)
	wantProblem(t, err, "care.csv", 3, "date")
	texts["care"] = "id,client,days,window_start,window_end,duration_min\nC1-am,C1,daily,08:00,09:00,30\n"
	_, err = read(t, texts, "", 0)
	wantProblem(t, err, "care.csv", 2, "days")
}

// wantProblem fails unless err is an Errors list holding a problem at
// file, row and column.
func wantProblem(t *testing.T, err error, file string, row int, column string) {
	t.Helper()
	var es importer.Errors
	if !errors.As(err, &es) {
		t.Fatalf("error %v, want an importer.Errors naming %s:%d:%s", err, file, row, column)
	}
	for _, e := range es {
		if e.File == file && e.Row == row && e.Column == column {
			return
		}
	}
	t.Errorf("no problem at %s:%d:%s in\n%v", file, row, column, err)
}

// TestBadRows: each bad import of testdata/invalid/import.json is refused
// with a problem at its file, line and column, and no problem repeats a
// name, an address or a postcode of the files.
func TestBadRows(t *testing.T) {
	cases, err := badimports.Read(tablePath)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			_, err := read(t, c.Files, c.Start, c.Days)
			wantProblem(t, err, c.File, c.Row, c.Column)
			for _, s := range []string{"Ann Carer", "Bob Carer", "Cath Client", "Dan Client", "High Street", "RU1 2AB", "RU9 9ZZ", "52.601"} {
				if strings.Contains(err.Error(), s) {
					t.Errorf("the problems repeat %q:\n%v", s, err)
				}
			}
		})
	}
}

// TestRowError: a problem reads as file:line:column: reason, and its path
// as file[line].column.
func TestRowError(t *testing.T) {
	for _, c := range []struct {
		e          importer.RowError
		text, path string
	}{
		{importer.RowError{File: "care.csv", Row: 12, Column: "time", Reason: `"25:99" is not a time`}, `care.csv:12:time: "25:99" is not a time`, "care.csv[12].time"},
		{importer.RowError{File: "care.csv", Row: 12, Reason: "3 cells"}, "care.csv:12: 3 cells", "care.csv[12]"},
		{importer.RowError{File: "care.csv", Reason: "missing"}, "care.csv: missing", "care.csv"},
		{importer.RowError{Column: "start", Reason: "bad"}, "start: bad", "start"},
	} {
		if got := c.e.Error(); got != c.text {
			t.Errorf("Error() = %q, want %q", got, c.text)
		}
		if got := c.e.Path(); got != c.path {
			t.Errorf("Path() = %q, want %q", got, c.path)
		}
	}
	fes := importer.Errors{{File: "care.csv", Row: 12, Column: "time", Reason: "r"}}.FieldErrors()
	if len(fes) != 1 || fes[0].Path != "care.csv[12].time" || fes[0].Reason != "r" {
		t.Errorf("FieldErrors() = %v", fes)
	}
}

// TestManyProblems: past MaxErrors, Read stops listing and says so.
func TestManyProblems(t *testing.T) {
	var care strings.Builder
	care.WriteString("id,client,days,time,tolerance_min,duration_min\n")
	for i := range 300 {
		care.WriteString("V" + strings.Repeat("x", i%3) + ",C1,daily,25:99,30,30\n")
	}
	base, start, days, err := badimports.Base(tablePath)
	if err != nil {
		t.Fatal(err)
	}
	base["care"] = care.String()
	_, err = read(t, base, start, days)
	var es importer.Errors
	if !errors.As(err, &es) || len(es) != importer.MaxErrors+1 || !strings.Contains(es[importer.MaxErrors].Reason, "more than 100") {
		t.Fatalf("%d problems, want %d and a last that says it stopped", len(es), importer.MaxErrors+1)
	}
}

// addressBook is a map's addresses for the tests.
type addressBook map[string][2]float64

func (a addressBook) Lookup(number, street, postcode string) (float64, float64, bool) {
	p, ok := a[strings.ToUpper(number+" "+street+"|"+postcode)]
	return p[0], p[1], ok
}

// TestPlaceOrder: lat and lon come first, then the postcode file, then the
// map's addresses (with the postcode to tell places apart); a postcode the
// file lists without a grid reference is no place.
func TestPlaceOrder(t *testing.T) {
	texts := map[string]string{
		"carers": "id,mode,start_address,start_postcode,shift_start,shift_end\nK1,walk,\"Flat 2, 7 Mill Lane, Rutham\",RU1 3CD,07:00,14:00\n",
		"clients": "id,lat,lon,postcode,address\n" +
			"C1,52.61,-0.61,RU1 2AB,\"1 High Street\"\n" +
			"C2,,,ru12ab,\"1 High Street\"\n" +
			"C3,,,RU7 7ZZ,\"3 High Street\"\n" +
			"C4,,,,\"5 High Street\"\n" +
			"C5,,,RU1 9NG,\n",
		"care":      "id,client,date,time,tolerance_min,duration_min\nV1,C1,2026-11-23,09:00,30,30\n",
		"postcodes": "PCDS,Lat,Long,extra\nRU1 2AB,52.6015,-0.5985,x\nRU1 9NG,99.999999,0.000000,x\n",
	}
	a, b, c, opts := files(texts, "", 0)
	opts.Addresses = addressBook{"7 MILL LANE|RU1 3CD": {52.62, -0.62}, "3 HIGH STREET|RU7 7ZZ": {52.63, -0.63}, "5 HIGH STREET|": {52.64, -0.64}}
	_, err := importer.Read(a, b, c, opts)
	// C5's postcode has no grid reference and no address to fall back on.
	wantProblem(t, err, "clients.csv", 6, "postcode")
	var es importer.Errors
	errors.As(err, &es)
	if len(es) != 1 {
		t.Fatalf("want C5's problem alone, got\n%v", err)
	}

	texts["clients"] = strings.Replace(texts["clients"], "C5,,,RU1 9NG,\n", "", 1)
	a, b, c, opts2 := files(texts, "", 0)
	opts2.Addresses = opts.Addresses
	in, err := importer.Read(a, b, c, opts2)
	if err != nil {
		t.Fatal(err)
	}
	want := []roster.Location{{Lat: 52.61, Lon: -0.61}, {Lat: 52.6015, Lon: -0.5985}, {Lat: 52.63, Lon: -0.63}, {Lat: 52.64, Lon: -0.64}}
	for i, w := range want {
		if in.Clients[i].Location != w {
			t.Errorf("%s is at %+v, want %+v", in.Clients[i].ID, in.Clients[i].Location, w)
		}
	}
	if in.Carers[0].Start != (roster.Location{Lat: 52.62, Lon: -0.62}) || in.Carers[0].Address == "" {
		t.Errorf("K1 starts at %+v (address %q), want the map's 7 Mill Lane", in.Carers[0].Start, in.Carers[0].Address)
	}
}

// FuzzRead: no care file, however mangled, makes Read panic, and whatever
// it accepts is a valid instance.
func FuzzRead(f *testing.F) {
	base, start, days, err := badimports.Base(tablePath)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(base["care"])
	f.Add("id,client,days,time,tolerance_min,duration_min\nX,C1,daily,\"25:99\",30,30\n")
	f.Add("\xef\xbb\xbfid,\"client\nx\",days\n")
	f.Fuzz(func(t *testing.T, care string) {
		texts := map[string]string{"carers": base["carers"], "clients": base["clients"], "care": care, "postcodes": base["postcodes"]}
		in, err := read(t, texts, start, days)
		if err == nil {
			if verr := in.Validate(); verr != nil {
				t.Fatalf("Read accepted an instance that does not validate: %v", verr)
			}
		}
	})
}
