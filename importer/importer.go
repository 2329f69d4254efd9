package importer

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/rounds-dev/rounds/roster"
)

// Options say what the import makes and where places come from.
type Options struct {
	// Start (YYYY-MM-DD) and Days (1 to roster.MaxPeriodDays) make a
	// planning period: recurring care (a days column) is expanded over it,
	// and dated care must fall inside it. Left out, every call must be
	// dated, all on one date, and the instance is that one day.
	Start string
	Days  int
	// TimeZone is the IANA zone of every time in the files; "" is
	// Europe/London.
	TimeZone string
	// Name names the instance for people, e.g. "Rutham week 48".
	Name string
	// Postcodes, when its reader is not nil, is a postcode file in the
	// shape of the ONS Postcode Directory (columns pcds, lat, long, any
	// others ignored), read for the postcodes the rows give.
	Postcodes File
	// Addresses, when not nil, places rows by their address (a map's
	// addr:* tags, *road.AddressIndex).
	Addresses Addresses
	// MaxRows bounds the data rows of each file; 0 is DefaultMaxRows.
	MaxRows int
}

// DefaultTimeZone is the time zone of an import that names none.
const DefaultTimeZone = "Europe/London"

// The files' columns. Each has its canonical name; the weekday columns may
// also be headed by the day's full name.
var (
	carersSchema = schema{
		columns: []string{"id", "name", "mode", "start_lat", "start_lon", "start_postcode", "start_address",
			"skills", "gender", "languages", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "shift_start", "shift_end",
			"contract_min_h", "contract_target_h", "contract_max_h", "wtr_opt_out", "hourly_rate_gbp"},
		aliases: map[string]string{"monday": "mon", "tuesday": "tue", "wednesday": "wed", "thursday": "thu",
			"friday": "fri", "saturday": "sat", "sunday": "sun"},
	}
	clientsSchema = schema{
		columns: []string{"id", "name", "address", "postcode", "lat", "lon", "gender_preference", "language",
			"preferred_carers", "excluded_carers", "team", "max_carers"},
	}
	careSchema = schema{
		columns: []string{"id", "client", "days", "date", "time", "tolerance_min", "window_start", "window_end",
			"duration_min", "carers", "skills", "from", "to"},
	}
)

// origin is where an element of the instance came from, so that a problem
// the instance's validation finds is reported at its row and column.
type origin struct {
	line int
	// place is the column a place came from; shifts the column the
	// carer's shifts did (on a day); windows "time" or "window_start".
	place, shifts, windows string
}

// reader holds one import's state.
type reader struct {
	opts    Options
	c       collector
	names   [3]string // the files' names: carers, clients, care
	day     string    // the date of a one-day import
	carers  []origin
	clients []origin
	care    []origin
	visits  []origin
}

// Read reads the carers, clients and care files into an instance that
// passes roster's validation. Every problem, in the files, the options or
// the instance they make, is a RowError in the returned Errors.
func Read(carers, clients, care File, opts Options) (*roster.Instance, error) {
	if opts.TimeZone == "" {
		opts.TimeZone = DefaultTimeZone
	}
	if opts.MaxRows <= 0 {
		opts.MaxRows = DefaultMaxRows
	}
	r := &reader{opts: opts, names: [3]string{carers.Name, clients.Name, care.Name}}
	r.checkOptions()
	in := &roster.Instance{Name: opts.Name, TimeZone: opts.TimeZone, Carers: []roster.Carer{}, Clients: []roster.Client{}, Visits: []roster.Visit{}}
	if opts.Start != "" || opts.Days != 0 {
		in.Period = &roster.Period{Start: opts.Start, Days: opts.Days}
	}
	tc, okC := readTable(carers, carersSchema, opts.MaxRows, &r.c)
	tl, okL := readTable(clients, clientsSchema, opts.MaxRows, &r.c)
	tv, okV := readTable(care, careSchema, opts.MaxRows, &r.c)
	okC = okC && r.needColumns(tc, carerPlace, true)
	okL = okL && r.needColumns(tl, clientPlace, false)
	okV = okV && r.needCareColumns(tv)
	if !okC || !okL || !okV {
		return nil, r.c.err()
	}
	var places []placeRef
	// The care comes first: on a day, its date picks the carers' shifts.
	r.readCare(tv, in)
	if in.Period == nil {
		in.Date = r.day
	}
	places = r.readCarers(tc, in, places)
	places = r.readClients(tl, in, places)
	r.placeAll(places)
	r.checkReferences(in)
	if err := r.c.err(); err != nil {
		return nil, err
	}
	if in.Period == nil {
		r.dropIdle(in)
	}
	if err := in.Validate(); err != nil {
		var fes roster.FieldErrors
		if !errors.As(err, &fes) {
			r.c.add("", 0, "", "%v", err)
		}
		for _, fe := range fes {
			file, line, col := r.locate(fe.Path)
			r.c.add(file, line, col, "%s", fe.Reason)
		}
		return nil, r.c.err()
	}
	return in, nil
}

// checkOptions checks the period and the time zone.
func (r *reader) checkOptions() {
	o := r.opts
	if o.Start != "" || o.Days != 0 {
		if !isDate(o.Start) {
			r.c.add("", 0, "start", "want the period's first date as YYYY-MM-DD")
		}
		if o.Days < 1 || o.Days > roster.MaxPeriodDays {
			r.c.add("", 0, "days", "want the period's length in days, 1 to %d", roster.MaxPeriodDays)
		}
	}
	if _, err := time.LoadLocation(o.TimeZone); err != nil || o.TimeZone == "Local" {
		r.c.add("", 0, "time_zone", "%q is not an IANA time zone such as Europe/London", o.TimeZone)
	}
}

// needColumns checks a people file's header: an id, a place, and for
// carers a mode and shifts.
func (r *reader) needColumns(t *table, pc placeColumns, carers bool) bool {
	ok := true
	need := func(col, why string) {
		if !t.has(col) {
			r.c.add(t.file, 1, col, "missing column; %s", why)
			ok = false
		}
	}
	need("id", "every row needs an id")
	if carers {
		need("mode", "how each carer travels: walk, drive or cycle")
		weekday := false
		for _, d := range roster.Weekdays {
			weekday = weekday || t.has(string(d))
		}
		if !weekday && !t.has("shift_start") && !t.has("shift_end") {
			r.c.add(t.file, 1, "mon", "missing column; give each carer's hours in weekday columns mon to sun, or in shift_start and shift_end")
			ok = false
		}
		if t.has("shift_start") != t.has("shift_end") {
			need("shift_start", "shift_start and shift_end go together")
			need("shift_end", "shift_start and shift_end go together")
		}
	}
	if t.has(pc.lat) != t.has(pc.lon) {
		need(pc.lat, pc.lat+" and "+pc.lon+" go together")
		need(pc.lon, pc.lat+" and "+pc.lon+" go together")
	}
	if !t.has(pc.lat) && !t.has(pc.postcode) && !t.has(pc.address) {
		r.c.add(t.file, 1, pc.postcode, "missing column; give each place as %s and %s, %s or %s", pc.lat, pc.lon, pc.postcode, pc.address)
		ok = false
	}
	return ok
}

// needCareColumns checks the care file's header.
func (r *reader) needCareColumns(t *table) bool {
	ok := true
	need := func(col, why string) {
		if !t.has(col) {
			r.c.add(t.file, 1, col, "missing column; %s", why)
			ok = false
		}
	}
	need("id", "every call needs an id")
	need("client", "the client's id")
	need("duration_min", "how long each call lasts, in minutes")
	if !t.has("days") && !t.has("date") {
		r.c.add(t.file, 1, "days", "missing column; give days (recurring care) or date (one call)")
		ok = false
	}
	if !t.has("time") && !t.has("window_start") {
		r.c.add(t.file, 1, "time", "missing column; give time and tolerance_min, or window_start and window_end")
		ok = false
	}
	if t.has("time") {
		need("tolerance_min", "how many minutes either side of time a call may start")
	}
	if t.has("window_start") || t.has("window_end") {
		need("window_start", "window_start and window_end go together")
		need("window_end", "window_start and window_end go together")
	}
	return ok
}

// ids checks that a row's id is given and new, and records it.
func ids(x *cells, seen map[string]int) string {
	id := x.required("id", "an id")
	if id == "" {
		return ""
	}
	if line, dup := seen[id]; dup {
		x.fail("id", "%q is already on line %d", id, line)
		return ""
	}
	seen[id] = x.r.line
	return id
}

// readCarers reads the carers, collecting their places to find.
func (r *reader) readCarers(t *table, in *roster.Instance, places []placeRef) []placeRef {
	seen := map[string]int{}
	for _, rw := range t.rows {
		x := &cells{t: t, r: rw, c: &r.c}
		k := roster.Carer{ID: ids(x, seen), Name: x.get("name")}
		mode := strings.ToLower(x.get("mode"))
		switch k.Mode = roster.Mode(mode); {
		case mode == "":
			x.fail("mode", "missing; want walk, drive, cycle or public")
		case !k.Mode.Valid():
			x.fail("mode", "%q is not a travel mode; want walk, drive, cycle or public", x.get("mode"))
		}
		k.Skills, k.Languages = x.list("skills"), x.list("languages")
		switch g := strings.ToLower(x.get("gender")); g {
		case "", "female", "male", "other":
			k.Gender = g
		default:
			x.fail("gender", "%q is not female, male, other or blank", x.get("gender"))
		}
		o := origin{line: rw.line}
		k.Shifts, k.Pattern, o.shifts = r.carerShifts(x)
		var kc roster.Contract
		kc.MinHours = x.number("contract_min_h", 0, 168)
		kc.TargetHours = x.number("contract_target_h", 0, 168)
		kc.MaxHours = x.number("contract_max_h", 0, 168)
		if kc != (roster.Contract{}) {
			k.Contract = &kc
		}
		k.WTROptOut = x.boolean("wtr_opt_out")
		k.HourlyRateGBP = x.number("hourly_rate_gbp", 0, roster.MaxHourlyRateGBP)
		in.Carers = append(in.Carers, k)
		r.carers = append(r.carers, o)
	}
	// The places are found once every row is read: the slices no longer
	// grow, so their elements' addresses hold.
	for i, rw := range t.rows {
		k := &in.Carers[i]
		k.Address = t.get(rw, "start_address")
		places = append(places, readPlace(t, rw, carerPlace, &k.Start, &r.carers[i].place))
	}
	return places
}

// carerShifts reads a carer's hours: the weekday columns (a pattern in a
// period, the date's weekday on a day) or shift_start and shift_end
// (worked every day). col is the column the day's shifts came from.
func (r *reader) carerShifts(x *cells) (shifts []roster.Shift, pattern map[roster.Weekday][]roster.Shift, col string) {
	var week map[roster.Weekday][]roster.Shift
	weekCols := false
	for _, d := range roster.Weekdays {
		if sh := x.shifts(string(d)); len(sh) > 0 {
			if week == nil {
				week = map[roster.Weekday][]roster.Shift{}
			}
			week[d] = sh
		}
		weekCols = weekCols || x.t.has(string(d))
	}
	var every []roster.Shift
	if x.get("shift_start") != "" || x.get("shift_end") != "" {
		a, okA := x.clock("shift_start")
		b, okB := x.clock("shift_end")
		if okA && okB {
			every = []roster.Shift{{Start: a, End: b}}
		}
	}
	switch {
	case x.bad:
		return nil, nil, ""
	case week != nil && every != nil:
		x.fail("shift_start", "give the hours in the weekday columns or in shift_start and shift_end, not both")
		return nil, nil, ""
	case week == nil && every == nil:
		col := "shift_start"
		if weekCols {
			col = "mon"
		}
		x.fail(col, "no working hours; give them in the weekday columns (e.g. 07:00-14:00) or in shift_start and shift_end")
		return nil, nil, ""
	case every != nil:
		return every, nil, "shift_start"
	case r.opts.Start != "" || r.opts.Days != 0:
		return nil, week, ""
	}
	// On a day, the shifts of the date's weekday; none means the carer
	// does not work that day (dropIdle leaves them out).
	wd := weekdayOfDate(r.day)
	return week[wd], nil, string(wd)
}

// weekdayOfDate is the weekday of a valid YYYY-MM-DD date ("" otherwise).
func weekdayOfDate(date string) roster.Weekday {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return ""
	}
	return roster.Weekdays[(int(t.Weekday())+6)%7]
}

// readClients reads the clients, collecting their places to find.
func (r *reader) readClients(t *table, in *roster.Instance, places []placeRef) []placeRef {
	seen := map[string]int{}
	for _, rw := range t.rows {
		x := &cells{t: t, r: rw, c: &r.c}
		cl := roster.Client{ID: ids(x, seen), Name: x.get("name"), Address: x.get("address")}
		switch g := strings.ToLower(x.get("gender_preference")); g {
		case "", "female", "male":
			cl.Preferences.CarerGender = g
		default:
			x.fail("gender_preference", "%q is not female, male or blank", x.get("gender_preference"))
		}
		cl.Preferences.Language = x.get("language")
		cl.Preferences.PreferredCarers = x.list("preferred_carers")
		cl.Preferences.ExcludedCarers = x.list("excluded_carers")
		cl.Team = x.list("team")
		cl.MaxCarers = x.integer("max_carers", 0, 1000, 0)
		in.Clients = append(in.Clients, cl)
		r.clients = append(r.clients, origin{line: rw.line})
	}
	for i, rw := range t.rows {
		places = append(places, readPlace(t, rw, clientPlace, &in.Clients[i].Location, &r.clients[i].place))
	}
	return places
}

// readCare reads the calls: a row with days is recurring care, one with a
// date a single visit.
func (r *reader) readCare(t *table, in *roster.Instance) {
	seen := map[string]int{}
	period := in.Period != nil
	for _, rw := range t.rows {
		x := &cells{t: t, r: rw, c: &r.c}
		id := ids(x, seen)
		client := x.required("client", "the client's id")
		duration := x.integer("duration_min", 1, roster.MaxDurationMin, 0)
		if x.get("duration_min") == "" {
			x.fail("duration_min", "missing; want the call's length in minutes")
		}
		carers := x.integer("carers", 1, 2, 0)
		skills := x.list("skills")
		o := origin{line: rw.line}
		var tm *roster.Clock
		var tol int
		var windows []roster.Window
		switch {
		case x.get("time") != "" && (x.get("window_start") != "" || x.get("window_end") != ""):
			x.fail("time", "give time and tolerance_min, or window_start and window_end, not both")
		case x.get("time") != "":
			o.windows = "time"
			if c, ok := x.clock("time"); ok {
				tm = &c
			}
			if x.get("tolerance_min") == "" {
				x.fail("tolerance_min", "missing; want the minutes either side of time the call may start (0 for on the dot)")
			}
			tol = x.integer("tolerance_min", 0, roster.MaxDayMin, 0)
		case x.get("window_start") != "" || x.get("window_end") != "":
			o.windows = "window_start"
			a, okA := x.clock("window_start")
			b, okB := x.clock("window_end")
			if okA && okB {
				windows = []roster.Window{{Start: a, End: b}}
			}
		default:
			col := "time"
			if !t.has("time") {
				col = "window_start"
			}
			x.fail(col, "missing; want time and tolerance_min, or window_start and window_end")
		}
		days, date := x.get("days"), x.date("date")
		switch {
		case days != "" && x.get("date") != "":
			x.fail("date", "give days (recurring care) or a date (one call), not both")
		case days != "" && !period:
			x.fail("days", "recurring care needs a period: give its start and number of days")
		case days != "":
			cr := roster.Care{ID: id, Client: client, DurationMin: duration, Days: x.days("days"),
				From: x.date("from"), To: x.date("to"), Time: tm, ToleranceMin: tol, Windows: windows,
				RequiredSkills: skills, Carers: carers}
			if !x.bad {
				in.Care = append(in.Care, cr)
				r.care = append(r.care, o)
			}
		case x.get("date") == "":
			x.fail("days", "missing; want days (\"daily\", or e.g. mon;wed;fri) or a date")
		default:
			for _, col := range []string{"from", "to"} {
				if x.get(col) != "" {
					x.fail(col, "%s is for recurring care; a dated call occurs on its date", col)
				}
			}
			if !period && date != "" {
				if r.day == "" {
					r.day = date
				} else if date != r.day {
					x.fail("date", "%s is not %s, the date of the calls above; give a period's start and days to import several dates", date, r.day)
				}
			}
			if tm != nil {
				windows = []roster.Window{{Start: *tm - roster.Clock(tol*60), End: *tm + roster.Clock(tol*60)}}
			}
			v := roster.Visit{ID: id, Date: date, Client: client, DurationMin: duration, Windows: windows,
				RequiredSkills: skills, Carers: carers}
			if !x.bad {
				in.Visits = append(in.Visits, v)
				r.visits = append(r.visits, o)
			}
		}
	}
	if !period && r.day == "" && len(r.c.list) == 0 {
		r.c.add(t.file, 0, "date", "no dated calls to take the day from; recurring care needs a period (a start and a number of days)")
	}
}

// placeAll reads the postcode file for the postcodes the rows give, then
// places every row.
func (r *reader) placeAll(places []placeRef) {
	p := &placer{addresses: r.opts.Addresses}
	if f := r.opts.Postcodes; f.R != nil {
		p.postcodesName = f.Name
		if wanted := wantedPostcodes(places); len(wanted) > 0 {
			p.postcodes = readPostcodes(f, wanted, &r.c)
		}
	}
	for _, ref := range places {
		p.place(ref, &r.c)
	}
}

// wantedPostcodes are the postcodes (in postcodeKey form) of the
// references that have no lat and lon to place them.
func wantedPostcodes(places []placeRef) map[string]bool {
	wanted := map[string]bool{}
	for _, ref := range places {
		if ref.lat == "" && ref.lon == "" && ref.postcode != "" {
			wanted[postcodeKey(ref.postcode)] = true
		}
	}
	return wanted
}

// checkReferences checks that each call's client is in the clients file
// and each carer a client names in the carers file, so that the problem is
// reported with the row that names it.
func (r *reader) checkReferences(in *roster.Instance) {
	clients := map[string]bool{}
	for _, cl := range in.Clients {
		clients[cl.ID] = true
	}
	carers := map[string]bool{}
	for _, k := range in.Carers {
		carers[k.ID] = true
	}
	check := func(file string, line int, col, id string) {
		if id != "" && !clients[id] {
			r.c.add(file, line, col, "unknown client %q; not in %s", id, r.names[1])
		}
	}
	for i, cr := range in.Care {
		check(r.names[2], r.care[i].line, "client", cr.Client)
	}
	for i, v := range in.Visits {
		check(r.names[2], r.visits[i].line, "client", v.Client)
	}
	for i, cl := range in.Clients {
		for _, l := range []struct {
			col string
			ids []string
		}{{"preferred_carers", cl.Preferences.PreferredCarers}, {"excluded_carers", cl.Preferences.ExcludedCarers}, {"team", cl.Team}} {
			for _, id := range l.ids {
				if !carers[id] {
					r.c.add(r.names[1], r.clients[i].line, l.col, "unknown carer %q; not in %s", id, r.names[0])
				}
			}
		}
	}
}

// dropIdle leaves out of a one-day instance the carers who do not work
// that day, and takes them off clients' lists: a carer absent on the day
// can neither be preferred nor turned away.
func (r *reader) dropIdle(in *roster.Instance) {
	idle := map[string]bool{}
	var carers []roster.Carer
	var origins []origin
	for i, k := range in.Carers {
		if len(k.Shifts) == 0 {
			idle[k.ID] = true
			continue
		}
		carers, origins = append(carers, k), append(origins, r.carers[i])
	}
	if len(idle) == 0 {
		return
	}
	in.Carers, r.carers = carers, origins
	keep := func(ids []string) []string {
		return slices.DeleteFunc(ids, func(id string) bool { return idle[id] })
	}
	for i := range in.Clients {
		cl := &in.Clients[i]
		cl.Preferences.PreferredCarers = keep(cl.Preferences.PreferredCarers)
		cl.Preferences.ExcludedCarers = keep(cl.Preferences.ExcludedCarers)
		cl.Team = keep(cl.Team)
	}
}

// carerFields, clientFields and callFields map the instance's fields to
// the columns they come from.
var (
	carerFields = map[string]string{"id": "id", "mode": "mode", "skills": "skills", "gender": "gender",
		"languages": "languages", "wtr_opt_out": "wtr_opt_out", "hourly_rate_gbp": "hourly_rate_gbp"}
	contractFields = map[string]string{"min_hours": "contract_min_h", "max_hours": "contract_max_h", "target_hours": "contract_target_h"}
	clientFields   = map[string]string{"id": "id", "team": "team", "max_carers": "max_carers",
		"carer_gender": "gender_preference", "language": "language", "preferred_carers": "preferred_carers",
		"excluded_carers": "excluded_carers"}
	callFields = map[string]string{"id": "id", "client": "client", "duration_min": "duration_min", "days": "days",
		"from": "from", "to": "to", "except": "days", "date": "date", "time": "time", "tolerance_min": "tolerance_min",
		"required_skills": "skills", "carers": "carers"}
)

// locate turns a field path of the instance ("care[3].windows[0].end")
// into the file, line and column it came from.
func (r *reader) locate(path string) (file string, line int, col string) {
	head, rest, _ := strings.Cut(path, ".")
	list, idx := splitIndex(head)
	segs := strings.Split(rest, ".")
	for i := range segs {
		segs[i], _ = splitIndex(segs[i])
	}
	field := segs[0]
	next := ""
	if len(segs) > 1 {
		next = segs[1]
	}
	pick := func(origins []origin) (origin, bool) {
		if idx < 0 || idx >= len(origins) {
			return origin{}, false
		}
		return origins[idx], true
	}
	switch list {
	case "carers":
		o, ok := pick(r.carers)
		if !ok {
			break
		}
		switch field {
		case "start", "end":
			col = o.place
		case "shifts":
			col = o.shifts
		case "pattern":
			col = next
		case "contract":
			col = contractFields[next]
		default:
			col = carerFields[field]
		}
		return r.names[0], o.line, col
	case "clients":
		o, ok := pick(r.clients)
		if !ok {
			break
		}
		switch field {
		case "location":
			col = o.place
		case "preferences":
			col = clientFields[next]
		default:
			col = clientFields[field]
		}
		return r.names[1], o.line, col
	case "care", "visits":
		origins := r.care
		if list == "visits" {
			origins = r.visits
		}
		o, ok := pick(origins)
		if !ok {
			break
		}
		switch {
		case field == "windows" && o.windows == "time":
			col = "time"
		case field == "windows":
			col = "window_start"
			if strings.HasSuffix(path, ".end") {
				col = "window_end"
			}
		default:
			col = callFields[field]
		}
		return r.names[2], o.line, col
	case "period":
		return "", 0, map[string]string{"start": "start", "days": "days"}[field]
	case "timezone":
		return "", 0, "time_zone"
	}
	return "", 0, ""
}

// splitIndex splits "care[3]" into "care" and 3; idx is -1 without an
// index.
func splitIndex(s string) (name string, idx int) {
	name, rest, ok := strings.Cut(s, "[")
	if !ok {
		return s, -1
	}
	n := 0
	for _, ch := range strings.TrimSuffix(rest, "]") {
		if ch < '0' || ch > '9' {
			return name, -1
		}
		n = n*10 + int(ch-'0')
	}
	return name, n
}
