package locality

import (
	"cmp"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

// Row is one locality of a boundary option as the commissioner's report
// shows it.
type Row struct {
	Name string `json:"name"`
	// Unallocated marks the row of clients who lie in no locality; it is
	// left out of the balance and of the counts of viable and walkable
	// localities.
	Unallocated bool `json:"unallocated,omitempty"`
	Clients     int  `json:"clients"`
	// WeeklyHours is the contact time a week, counted once for a
	// double-handed call; HoursByBand splits it by band.
	WeeklyHours float64         `json:"weekly_hours"`
	HoursByBand [NBands]float64 `json:"hours_by_band"`
	VisitsADay  int             `json:"visits_a_day"`
	DoubleShare float64         `json:"double_share"`
	// CarersNeeded is the carers the representative day needs (Sizing),
	// Headcount the weekly headcount estimate at the contracted hours,
	// PaidHoursAWeek seven days of the day's paid hours.
	CarersNeeded int `json:"carers_needed"`
	// OneFewerUnserved is the check of CarersNeeded: the visits the same
	// day leaves unserved when planned with one carer fewer (at least 1).
	OneFewerUnserved int     `json:"one_fewer_unserved,omitempty"`
	Headcount        int     `json:"headcount"`
	PaidHoursAWeek   float64 `json:"paid_hours_a_week"`
	// TravelShare is travel as a share of paid time.
	TravelShare float64 `json:"travel_share"`
	KMAWeek     float64 `json:"km_a_week"`
	CO2KgAWeek  float64 `json:"co2_kg_a_week"`
	// Walkable says whether walkers alone serve the day, WalkersNeeded
	// how many (0 when not walkable or not asked).
	Walkable      bool `json:"walkable"`
	WalkersNeeded int  `json:"walkers_needed,omitempty"`
	// Viable says whether WeeklyHours is in the viable range for a
	// provider (Viability).
	Viable bool `json:"viable"`
	// Compactness is the locality's Polsby–Popper score, from 0 to 1 (a
	// circle); 0 when not measured.
	Compactness float64 `json:"compactness,omitempty"`
	// Note says why a row's figures are missing or zero (a locality
	// without clients, the unallocated clients).
	Note string `json:"note,omitempty"`
}

// Viability is the range of weekly hours a provider can run a locality
// on.
type Viability struct {
	MinHours float64 `json:"min_hours"`
	MaxHours float64 `json:"max_hours"`
}

// DefaultViability is roughly 700 to 2,000 hours a week: below, a
// provider cannot keep a team; above, one provider carries too much of a
// council's care.
var DefaultViability = Viability{MinHours: 700, MaxHours: 2000}

// Viable reports whether weekly hours are in the range.
func (v Viability) Viable(hours float64) bool { return hours >= v.MinHours && hours <= v.MaxHours }

// RowOf is the report's row for a locality of clients, with the figures
// of its sizing; s may be nil for a locality that was not sized (the
// unallocated clients), whose row holds the demand only.
func RowOf(name string, clients []Client, s *Sizing, v Viability) Row {
	r := Row{Name: name, Clients: len(clients)}
	r.WeeklyHours, r.HoursByBand = hoursByBand(clients)
	calls, double := 0, 0
	for i := range clients {
		c := &clients[i]
		calls += c.CallsADay()
		if c.Double {
			double += c.CallsADay()
		}
	}
	r.VisitsADay = calls
	if calls > 0 {
		r.DoubleShare = float64(double) / float64(calls)
	}
	r.Viable = v.Viable(r.WeeklyHours)
	if s == nil {
		return r
	}
	r.CarersNeeded = s.CarersNeeded
	r.OneFewerUnserved = s.OneFewerUnserved
	r.Headcount = s.Headcount
	r.PaidHoursAWeek = 7 * s.PaidHoursADay
	r.TravelShare = s.TravelShare
	r.KMAWeek = s.DrivenKMAWeek
	r.CO2KgAWeek = s.CO2KgAWeek
	if s.Walk != nil && s.Walk.Walkable {
		r.Walkable, r.WalkersNeeded = true, s.Walk.WalkersNeeded
	}
	return r
}

// Balance measures how evenly an option shares the care among its
// localities (the unallocated row left out): the largest weekly hours over
// the smallest (+Inf when a locality has none), and the coefficient of
// variation, the population standard deviation of weekly hours over their
// mean. Both are 0 without localities; 1 and 0 are perfect balance.
func Balance(rows []Row) (maxMin, cv float64) {
	var hs []float64
	for _, r := range rows {
		if !r.Unallocated {
			hs = append(hs, r.WeeklyHours)
		}
	}
	if len(hs) == 0 {
		return 0, 0
	}
	lo, hi, sum := math.Inf(1), math.Inf(-1), 0.0
	for _, h := range hs {
		lo, hi, sum = math.Min(lo, h), math.Max(hi, h), sum+h
	}
	maxMin = math.Inf(1)
	if lo > 0 {
		maxMin = hi / lo
	}
	mean := sum / float64(len(hs))
	if mean == 0 {
		return maxMin, 0
	}
	ss := 0.0
	for _, h := range hs {
		ss += (h - mean) * (h - mean)
	}
	return maxMin, math.Sqrt(ss/float64(len(hs))) / mean
}

// Option is one set of boundaries with its localities' rows.
type Option struct {
	Name string `json:"name"`
	Rows []Row  `json:"rows"`
}

// totals are an option's figures summed over its localities.
type totals struct {
	localities, unallocatedClients, carers, headcount, walkable, viable int
	hours, paid, travel, km, co2                                        float64
}

func (o *Option) totals() totals {
	var t totals
	for _, r := range o.Rows {
		if r.Unallocated {
			t.unallocatedClients += r.Clients
			continue
		}
		t.localities++
		t.hours += r.WeeklyHours
		t.carers += r.CarersNeeded
		t.headcount += r.Headcount
		t.paid += r.PaidHoursAWeek
		t.travel += r.TravelShare * r.PaidHoursAWeek
		t.km += r.KMAWeek
		t.co2 += r.CO2KgAWeek
		if r.Walkable {
			t.walkable++
		}
		if r.Viable {
			t.viable++
		}
	}
	return t
}

// WriteTable writes the options as text: first their totals side by side,
// one column an option, then each option's localities, one line each.
func WriteTable(w io.Writer, options []Option) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	line := func(cells ...string) { fmt.Fprint(tw, strings.Join(cells, "\t")+"\t\n") }
	head := []string{""}
	for _, o := range options {
		head = append(head, o.Name)
	}
	line(head...)
	ts := make([]totals, len(options))
	for i := range options {
		ts[i] = options[i].totals()
	}
	row := func(label string, f func(i int, t totals) string) {
		cells := []string{label}
		for i, t := range ts {
			cells = append(cells, f(i, t))
		}
		line(cells...)
	}
	row("localities", func(_ int, t totals) string { return strconv.Itoa(t.localities) })
	row("weekly hours", func(_ int, t totals) string { return thousands(t.hours) })
	row("carers needed a day", func(_ int, t totals) string { return strconv.Itoa(t.carers) })
	row("headcount (estimate)", func(_ int, t totals) string { return strconv.Itoa(t.headcount) })
	row("travel share of paid time", func(_ int, t totals) string {
		if t.paid == 0 {
			return "-"
		}
		return percent(t.travel / t.paid)
	})
	row("km driven a week", func(_ int, t totals) string { return thousands(t.km) })
	row("CO2 kg a week", func(_ int, t totals) string { return thousands(t.co2) })
	row("walkable localities", func(_ int, t totals) string { return fmt.Sprintf("%d of %d", t.walkable, t.localities) })
	row("viable localities", func(_ int, t totals) string { return fmt.Sprintf("%d of %d", t.viable, t.localities) })
	row("balance max/min hours", func(i int, _ totals) string {
		m, _ := Balance(options[i].Rows)
		if math.IsInf(m, 1) {
			return "inf"
		}
		return strconv.FormatFloat(m, 'f', 2, 64)
	})
	row("balance CV of hours", func(i int, _ totals) string {
		_, cv := Balance(options[i].Rows)
		return strconv.FormatFloat(cv, 'f', 2, 64)
	})
	row("unallocated clients", func(_ int, t totals) string { return strconv.Itoa(t.unallocatedClients) })
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, o := range options {
		if _, err := fmt.Fprintf(w, "\n%s\n", o.Name); err != nil {
			return err
		}
		line("locality", "clients", "h/week", "morning", "lunch", "tea", "bed", "visits/day", "double",
			"carers", "1 fewer", "headcount", "travel", "km/week", "CO2 kg/week", "walkable", "viable", "compact")
		for _, r := range o.Rows {
			name := r.Name
			if r.Unallocated {
				// The clients in no locality: their demand only.
				if name != "unallocated" {
					name += " (unallocated)"
				}
				line(name, strconv.Itoa(r.Clients), thousands(r.WeeklyHours),
					thousands(r.HoursByBand[Morning]), thousands(r.HoursByBand[Lunch]),
					thousands(r.HoursByBand[Tea]), thousands(r.HoursByBand[Bed]),
					strconv.Itoa(r.VisitsADay), percent(r.DoubleShare),
					"-", "-", "-", "-", "-", "-", "-", "-", "-")
				continue
			}
			walk := "no"
			if r.Walkable {
				walk = fmt.Sprintf("yes (%d)", r.WalkersNeeded)
			}
			compact := "-"
			if r.Compactness > 0 {
				compact = strconv.FormatFloat(r.Compactness, 'f', 2, 64)
			}
			line(name, strconv.Itoa(r.Clients), thousands(r.WeeklyHours),
				thousands(r.HoursByBand[Morning]), thousands(r.HoursByBand[Lunch]),
				thousands(r.HoursByBand[Tea]), thousands(r.HoursByBand[Bed]),
				strconv.Itoa(r.VisitsADay), percent(r.DoubleShare), strconv.Itoa(r.CarersNeeded),
				fewer(r), strconv.Itoa(r.Headcount), percent(r.TravelShare), thousands(r.KMAWeek),
				thousands(r.CO2KgAWeek), walk, yesNo(r.Viable), compact)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		for _, r := range o.Rows {
			if r.Note != "" && !r.Unallocated {
				if _, err := fmt.Fprintf(w, "  %s: %s\n", r.Name, r.Note); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// fewer is the check of a row's carers needed as the table shows it: how
// many visits one carer fewer leaves unserved.
func fewer(r Row) string {
	if r.OneFewerUnserved == 0 {
		return "-"
	}
	return strconv.Itoa(r.OneFewerUnserved) + " unserved"
}

// csvHeader names WriteCSV's columns.
var csvHeader = []string{
	"option", "locality", "unallocated", "clients", "weekly_hours",
	"morning_hours", "lunch_hours", "tea_hours", "bed_hours", "visits_a_day", "double_share",
	"carers_needed", "one_fewer_unserved", "headcount", "paid_hours_a_week", "travel_share", "km_a_week", "co2_kg_a_week",
	"walkable", "walkers_needed", "viable", "compactness", "note",
}

// WriteCSV writes the options' localities as CSV, one row each, with a
// header.
func WriteCSV(w io.Writer, options []Option) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	f := func(v float64, prec int) string { return strconv.FormatFloat(v, 'f', prec, 64) }
	for _, o := range options {
		for _, r := range o.Rows {
			if err := cw.Write([]string{
				o.Name, r.Name, strconv.FormatBool(r.Unallocated), strconv.Itoa(r.Clients), f(r.WeeklyHours, 1),
				f(r.HoursByBand[Morning], 1), f(r.HoursByBand[Lunch], 1), f(r.HoursByBand[Tea], 1), f(r.HoursByBand[Bed], 1),
				strconv.Itoa(r.VisitsADay), f(r.DoubleShare, 3),
				strconv.Itoa(r.CarersNeeded), strconv.Itoa(r.OneFewerUnserved), strconv.Itoa(r.Headcount), f(r.PaidHoursAWeek, 1), f(r.TravelShare, 3),
				f(r.KMAWeek, 1), f(r.CO2KgAWeek, 1),
				strconv.FormatBool(r.Walkable), strconv.Itoa(r.WalkersNeeded), strconv.FormatBool(r.Viable), f(r.Compactness, 3), r.Note,
			}); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// thousands writes a figure rounded to a whole number, with
// commas between thousands.
func thousands(v float64) string {
	s := strconv.FormatInt(int64(math.Round(v)), 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

func percent(v float64) string { return strconv.FormatFloat(100*v, 'f', 0, 64) + "%" }

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// FigureProperties are the GeoJSON feature properties of n localities
// (Boundaries.WriteGeoJSON): each its row's figures, the name left to the
// feature, with the option's name. A locality without a row has the
// option's name alone.
func FigureProperties(option string, rows []Row, n int) ([]map[string]any, error) {
	props := make([]map[string]any, n)
	for i := range props {
		props[i] = map[string]any{"option": option}
		if i >= len(rows) {
			continue
		}
		b, err := json.Marshal(rows[i])
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(b, &props[i]); err != nil {
			return nil, err
		}
		delete(props[i], "name")
		props[i]["option"] = option
	}
	return props, nil
}

// Spread is how an option's figures moved over several sizings of the
// same boundaries, each with its own seed (the carers' homes and the
// solves): one sizing's travel can move by a tenth between seeds.
type Spread struct {
	Name  string
	Seeds []int64
	// Shown is the index of the sizing that stands for the option: the
	// median by travel share (the lower middle of an even count), and
	// ShownTravelShare its travel share.
	Shown            int
	ShownTravelShare float64
	// Median, least and greatest over the sizings.
	TravelShare, KMAWeek, Carers [3]float64
}

// SpreadOf measures the sizings of one option, options[i] sized with
// seeds[i], as the comparison table counts them.
func SpreadOf(name string, seeds []int64, options []Option) Spread {
	n := min(len(seeds), len(options))
	s := Spread{Name: name, Seeds: seeds[:n]}
	share := make([]float64, n)
	km := make([]float64, n)
	carers := make([]float64, n)
	for i := range n {
		t := options[i].totals()
		if t.paid > 0 {
			share[i] = t.travel / t.paid
		}
		km[i], carers[i] = t.km, float64(t.carers)
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(share[a], share[b]) })
	if n > 0 {
		s.Shown = order[(n-1)/2]
		s.ShownTravelShare = share[s.Shown]
	}
	s.TravelShare, s.KMAWeek, s.Carers = MedianRange(share), MedianRange(km), MedianRange(carers)
	return s
}

// MedianRange is the median, least and greatest of xs (all 0 when xs is
// empty); xs is not changed.
func MedianRange(xs []float64) [3]float64 {
	if len(xs) == 0 {
		return [3]float64{}
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	m := s[n/2]
	if n%2 == 0 {
		m = (s[n/2-1] + s[n/2]) / 2
	}
	return [3]float64{m, s[0], s[n-1]}
}

// String says the spread in one line, and which sizing the tables show.
func (s Spread) String() string {
	if len(s.Seeds) == 0 {
		return s.Name + ": no sizings"
	}
	pct := func(v float64) string { return strconv.FormatFloat(100*v, 'f', 1, 64) + "%" }
	which := "the median by travel share"
	if len(s.Seeds)%2 == 0 {
		which = "the lower of the middle two by travel share"
	}
	return fmt.Sprintf("%s over %d sizing seeds (%d to %d): travel share %s (%s-%s), km driven a week %s (%s-%s), carers needed a day %s (%s-%s), medians and ranges; the tables show sizing seed %d (travel share %s), %s",
		s.Name, len(s.Seeds), s.Seeds[0], s.Seeds[len(s.Seeds)-1],
		pct(s.TravelShare[0]), pct(s.TravelShare[1]), pct(s.TravelShare[2]),
		thousands(s.KMAWeek[0]), thousands(s.KMAWeek[1]), thousands(s.KMAWeek[2]),
		strconv.FormatFloat(s.Carers[0], 'f', -1, 64), thousands(s.Carers[1]), thousands(s.Carers[2]),
		s.Seeds[s.Shown], pct(s.ShownTravelShare), which)
}
