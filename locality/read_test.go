package locality

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/importer"
	"github.com/rounds-dev/rounds/internal/badimports"
	"github.com/rounds-dev/rounds/roster"
)

const demandTable = "../testdata/invalid/demand.json"

// readCase reads a case's demand with its postcodes file, if any.
func readCase(files map[string]string) (*District, error) {
	var opts DemandOptions
	if pc := files["postcodes"]; pc != "" {
		opts.Postcodes = importer.File{Name: "postcodes.csv", R: strings.NewReader(pc)}
	}
	return ReadDemand(importer.File{Name: "demand.csv", R: strings.NewReader(files["demand"])}, opts)
}

// TestReadDemand: the table's base reads; its places come from lat and lon
// or the postcode file, its bands and double-handed flags as written, its
// header case-blind.
func TestReadDemand(t *testing.T) {
	base, _, _, err := badimports.Base(demandTable)
	if err != nil {
		t.Fatal(err)
	}
	base["demand"] = strings.Replace(base["demand"], "weekly_hours,calls_a_day", "Weekly Hours,CALLS_A_DAY", 1)
	d, err := readCase(base)
	if err != nil {
		t.Fatalf("the base does not read: %v", err)
	}
	want := []Client{
		{ID: "C1", Location: roster.Location{Lat: 53.8679, Lon: -1.9064}, WeeklyHours: 14, Bands: []Band{Morning, Lunch, Tea, Bed}, Double: true, Skills: []string{"hoist"}},
		{ID: "C2", Location: roster.Location{Lat: 53.8701, Lon: -1.9102}, WeeklyHours: 7, Bands: []Band{Morning, Bed}},
	}
	if !reflect.DeepEqual(d.Clients, want) {
		t.Errorf("clients\n got %+v\nwant %+v", d.Clients, want)
	}
	if d.TimeZone != importer.DefaultTimeZone || d.WeeklyHours() != 21 {
		t.Errorf("time zone %q, %g hours a week", d.TimeZone, d.WeeklyHours())
	}
}

// TestReadDemandRefuses: each bad demand of the table is refused with an
// importer.Errors whose first problem names the file, line and column the
// case gives, and no problem repeats a postcode.
func TestReadDemandRefuses(t *testing.T) {
	cases, err := badimports.Read(demandTable)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			d, err := readCase(c.Files)
			var es importer.Errors
			if !errors.As(err, &es) || d != nil {
				t.Fatalf("got %v, %v; want importer.Errors", d, err)
			}
			got := es[0]
			if got.File != c.File || got.Row != c.Row || got.Column != c.Column {
				t.Errorf("first problem at %s:%d:%s, want %s:%d:%s (%v)", got.File, got.Row, got.Column, c.File, c.Row, c.Column, err)
			}
			for _, pc := range []string{"BD21", "ZZ9"} {
				if strings.Contains(err.Error(), pc) {
					t.Errorf("the error repeats a postcode: %v", err)
				}
			}
		})
	}
}

// TestReadDemandCollects: problems on several rows are all reported, in
// the order of the lines.
func TestReadDemandCollects(t *testing.T) {
	csv := "id,lat,lon,weekly_hours,bands\nC1,53.8,-1.9,0,morning\nC1,53.8,-1.9,3,tea\nC3,53.8,-1.9,3,supper\n"
	_, err := ReadDemand(importer.File{Name: "demand.csv", R: strings.NewReader(csv)}, DemandOptions{})
	var es importer.Errors
	if !errors.As(err, &es) {
		t.Fatalf("got %v", err)
	}
	var at []string
	for _, e := range es {
		at = append(at, e.Path())
	}
	want := []string{"demand.csv[2].weekly_hours", "demand.csv[3].id", "demand.csv[4].bands"}
	if !reflect.DeepEqual(at, want) {
		t.Errorf("problems at %v, want %v (%v)", at, want, err)
	}
	if !strings.Contains(err.Error(), "demand.csv:2:weekly_hours: must be more than 0") {
		t.Errorf("error %q does not read file:line:column: reason", err)
	}
}

// TestWriteDemandRoundTrip: a district written and read back is the same
// district.
func TestWriteDemandRoundTrip(t *testing.T) {
	d := &District{TimeZone: importer.DefaultTimeZone, Clients: []Client{
		{ID: "A", Location: roster.Location{Lat: 53.86791, Lon: -1.906401}, WeeklyHours: 12.25, Bands: []Band{Morning, Lunch, Tea, Bed}, Double: true, Skills: []string{"hoist", "dementia"}},
		{ID: "B,2", Location: roster.Location{Lat: 53.9, Lon: -1.8}, WeeklyHours: 1.0 / 3, Bands: []Band{Bed}},
		{ID: "C", Location: roster.Location{Lat: -0.5, Lon: 0}, WeeklyHours: 40, Bands: []Band{Morning, Morning, Tea}},
	}}
	var buf bytes.Buffer
	if err := WriteDemand(&buf, d); err != nil {
		t.Fatal(err)
	}
	back, err := ReadDemand(importer.File{Name: "demand.csv", R: &buf}, DemandOptions{})
	if err != nil {
		t.Fatalf("the written demand does not read: %v", err)
	}
	if !reflect.DeepEqual(back, d) {
		t.Errorf("round trip\n got %+v\nwant %+v", back, d)
	}
}
