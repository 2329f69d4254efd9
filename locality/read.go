package locality

import (
	"encoding/csv"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rounds-dev/rounds/importer"
)

// DemandOptions say where the demand CSV's postcodes are looked up and
// what the district is called.
type DemandOptions struct {
	// Postcodes, when its reader is not nil, is a postcode file in the
	// shape of the ONS Postcode Directory (pcds, lat, long), read for the
	// postcodes of the rows without lat and lon.
	Postcodes importer.File
	// Name names the district for people; TimeZone is its IANA zone (""
	// is importer.DefaultTimeZone).
	Name, TimeZone string
	// MaxRows bounds the clients; 0 is DefaultMaxDemandRows.
	MaxRows int
}

// DefaultMaxDemandRows bounds the clients of a demand CSV when
// DemandOptions.MaxRows is 0: a large council buys care for a few
// thousand people, and the benchmark grows districts well past that.
const DefaultMaxDemandRows = 200_000

// MaxCallsADay is the most calls a day a client of the demand CSV may
// have.
const MaxCallsADay = 6

// demandColumns are the demand CSV's columns, in the order WriteDemand
// writes them (postcode only when read).
var demandColumns = importer.Columns{
	Names: []string{"id", "lat", "lon", "postcode", "weekly_hours", "calls_a_day", "bands", "double_handed", "skills"},
}

// ReadDemand reads a demand CSV (docs/FORMAT.md, "District demand CSV"),
// one row per client, into a district. Every problem is an
// importer.RowError naming the file, the line and the column, collected
// into importer.Errors; none repeats a postcode or a place.
func ReadDemand(f importer.File, opts DemandOptions) (*District, error) {
	var p importer.Problems
	if opts.TimeZone == "" {
		opts.TimeZone = importer.DefaultTimeZone
	}
	if _, err := time.LoadLocation(opts.TimeZone); err != nil || opts.TimeZone == "Local" {
		p.Add("", 0, "time_zone", "%q is not an IANA time zone such as Europe/London", opts.TimeZone)
	}
	t, ok := importer.ReadTable(f, demandColumns, max(opts.MaxRows, 0), &p)
	if t != nil && ok {
		ok = needDemandColumns(t, f.Name, &p)
	}
	if !ok {
		return nil, p.Err()
	}
	d := &District{Name: opts.Name, TimeZone: opts.TimeZone, Clients: make([]Client, t.Len())}
	seen := map[string]int{}
	places := importer.Places{Postcodes: opts.Postcodes}
	for i := range t.Len() {
		r := t.Row(i)
		d.Clients[i] = readClient(r, seen)
		places.Add(r, &d.Clients[i].Location)
	}
	places.Find(&p)
	if err := p.Err(); err != nil {
		return nil, err
	}
	return d, nil
}

// needDemandColumns checks the header: an id, the hours, the bands and a
// place.
func needDemandColumns(t *importer.Table, file string, p *importer.Problems) bool {
	ok := true
	need := func(col, why string) {
		if !t.Has(col) {
			p.Add(file, 1, col, "missing column; %s", why)
			ok = false
		}
	}
	need("id", "every client needs an id")
	need("weekly_hours", "each client's contact hours a week")
	need("bands", "the parts of the day of each client's calls, e.g. morning;lunch;tea;bed")
	if t.Has("lat") != t.Has("lon") {
		need("lat", "lat and lon go together")
		need("lon", "lat and lon go together")
	}
	if !t.Has("lat") && !t.Has("postcode") {
		p.Add(file, 1, "postcode", "missing column; give each client's place as lat and lon, or postcode")
		ok = false
	}
	return ok
}

// readClient reads one row's client but for its place.
func readClient(r *importer.Row, seen map[string]int) Client {
	var c Client
	if c.ID = r.Required("id", "the client's id"); c.ID != "" {
		if line, dup := seen[c.ID]; dup {
			r.Fail("id", "%q is already on line %d", c.ID, line)
		} else {
			seen[c.ID] = r.Line()
		}
	}
	c.WeeklyHours = weeklyHours(r)
	for _, s := range r.List("bands") {
		b, err := ParseBand(strings.ToLower(s))
		if err != nil {
			r.Fail("bands", "%v", err)
			c.Bands = nil
			break
		}
		c.Bands = append(c.Bands, b)
	}
	switch n := len(c.Bands); {
	case r.Get("bands") == "":
		r.Fail("bands", "missing; want the parts of the day of the client's calls, one entry a call, e.g. morning;bed")
	case n == 0 && !r.Bad():
		r.Fail("bands", "no bands; want one entry a call, e.g. morning;bed")
	case n > MaxCallsADay:
		r.Fail("bands", "%d calls a day; at most %d", n, MaxCallsADay)
	}
	slices.Sort(c.Bands)
	if calls := r.Integer("calls_a_day", 1, MaxCallsADay, 0); calls > 0 && len(c.Bands) > 0 && calls != len(c.Bands) {
		r.Fail("calls_a_day", "%d calls a day, but bands lists %d; give one band a call", calls, len(c.Bands))
	}
	if c.WeeklyHours > 0 && len(c.Bands) > 0 {
		if m := c.CallMin(); m < 1 {
			r.Fail("weekly_hours", "%g hours a week over %d calls a day makes calls of under a minute", c.WeeklyHours, len(c.Bands))
		}
	}
	c.Double = r.Boolean("double_handed")
	c.Skills = r.List("skills")
	return c
}

// weeklyHours reads a row's weekly hours: more than 0, and no more than
// the hours of a week.
func weeklyHours(r *importer.Row) float64 {
	s := r.Required("weekly_hours", "the client's contact hours a week")
	if s == "" {
		return 0
	}
	v, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil || math.IsNaN(v) || math.IsInf(v, 0):
		r.Fail("weekly_hours", "%q is not a number; want hours a week, e.g. 10.5", s)
	case v <= 0:
		r.Fail("weekly_hours", "must be more than 0 hours a week, got %g; leave out a client who receives no care", v)
	case v > 168:
		r.Fail("weekly_hours", "%g is more than the 168 hours of a week", v)
	default:
		return v
	}
	return 0
}

// WriteDemand writes a district as a demand CSV that ReadDemand reads
// back to the same clients: places as lat and lon, numbers in their
// shortest exact form.
func WriteDemand(w io.Writer, d *District) error {
	cw := csv.NewWriter(w)
	header := slices.DeleteFunc(slices.Clone(demandColumns.Names), func(s string) bool { return s == "postcode" })
	if err := cw.Write(header); err != nil {
		return err
	}
	num := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	for i := range d.Clients {
		c := &d.Clients[i]
		bands := make([]string, len(c.Bands))
		for j, b := range c.Bands {
			bands[j] = b.String()
		}
		double := "no"
		if c.Double {
			double = "yes"
		}
		rec := []string{c.ID, num(c.Location.Lat), num(c.Location.Lon), num(c.WeeklyHours),
			strconv.Itoa(len(c.Bands)), strings.Join(bands, ";"), double, strings.Join(c.Skills, ";")}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
