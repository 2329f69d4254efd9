package convrp

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ParseError is a problem with an instance or solution file. Line is 0 when
// the problem is not tied to one line, and Field is "" when it is not tied
// to one field.
type ParseError struct {
	// Path names the input, as given to Read.
	Path string
	// Line is the 1-based line of the problem, or 0.
	Line int
	// Field names the header key or section and value concerned, such as
	// "CAPACITY" or "DEMAND_SECTION customer 3 day 2".
	Field string
	// Err describes the problem.
	Err error
}

// Error formats the problem as "convrp: path:line: field: problem".
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("convrp: ")
	b.WriteString(e.Path)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Field != "" {
		b.WriteString(": ")
		b.WriteString(e.Field)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the underlying problem.
func (e *ParseError) Unwrap() error { return e.Err }

// maxLine is the longest line Read accepts; the published files have lines
// of under 100 bytes.
const maxLine = 1 << 20

// maxCount bounds DIMENSION and NUM_DAYS so that a corrupt header cannot ask
// for an absurd allocation.
const maxCount = 1 << 20

// Section keywords.
const (
	secCoord   = "NODE_COORD_SECTION"
	secDemand  = "DEMAND_SECTION"
	secService = "SVC_TIME_SECTION"
	secDepot   = "DEPOT_SECTION"
)

// headerKeys are the header keys Read knows, with whether each is required.
var headerKeys = map[string]bool{
	"NAME": false, "TYPE": false, "COMMENT": false,
	"DIMENSION": true, "NUM_DAYS": true, "CAPACITY": true, "DISTANCE": true,
	"EDGE_WEIGHT_TYPE": false, "EDGE_WEIGHT_FORMAT": false, "NODE_COORD_TYPE": false,
}

// headerOrder lists the required header keys in the published order, for
// messages.
var headerOrder = []string{"DIMENSION", "NUM_DAYS", "CAPACITY", "DISTANCE"}

// sectionOrder lists the sections in the order they must come.
var sectionOrder = []string{secCoord, secDemand, secService, secDepot}

// ReadFile reads the instance in the file at path; its Name is the file's
// base name without extension.
func ReadFile(path string) (*Instance, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("convrp: %w", err)
	}
	defer f.Close()
	return Read(f, path)
}

// reader holds the state of one Read.
type reader struct {
	path   string
	header map[string]string
	hline  map[string]int
	in     *Instance
	n      int // customers
}

// errorf returns a *ParseError at line for field.
func (p *reader) errorf(line int, field, format string, args ...any) error {
	return &ParseError{Path: p.path, Line: line, Field: field, Err: fmt.Errorf(format, args...)}
}

// Read reads a ConVRP instance in the TSPLIB-like format described in the
// package documentation. name identifies the input in errors, normally its
// path; the instance's Name is its base name without extension. Every error
// is a *ParseError naming the input, the line and the field where possible.
// Read checks the structure (the required header keys before the sections,
// the sections in order, one row per customer in each, the depot) and the
// content: Euclidean distances, positive counts, finite non-negative
// capacity, duration limit, coordinates, demands (or -1 for no visit) and
// service times, and no visit whose demand exceeds the capacity.
func Read(r io.Reader, name string) (*Instance, error) {
	p := &reader{path: name, header: map[string]string{}, hline: map[string]int{}}
	if r == nil {
		return nil, p.errorf(0, "", "no input")
	}
	if err := p.read(r); err != nil {
		return nil, err
	}
	p.in.Name = strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	return p.in, nil
}

// read scans the input line by line.
func (p *reader) read(r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	line := 0
	sec := -1 // index into sectionOrder, -1 in the header
	rows := 0 // rows read in the current section
	seen := make(map[int]int)
	depotDone, eof := false, false
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		if eof {
			return p.errorf(line, "EOF", "text after EOF: %q", text)
		}
		fields := strings.Fields(text)
		if i := indexOf(sectionOrder, fields[0]); i >= 0 {
			if len(fields) > 1 {
				return p.errorf(line, fields[0], "keyword must stand alone on its line, found %q after it", fields[1])
			}
			if i != sec+1 {
				return p.errorf(line, fields[0], "out of place: want %s here", p.want(sec))
			}
			if sec == -1 {
				if err := p.build(line); err != nil {
					return err
				}
			} else if rows != p.n {
				return p.errorf(line, sectionOrder[sec], "want %d rows, one per customer, got %d", p.n, rows)
			}
			sec, rows = i, 0
			clear(seen)
			continue
		}
		if text == "EOF" {
			if sec != len(sectionOrder)-1 || !depotDone {
				return p.errorf(line, "EOF", "before the end of the %s", p.want(sec))
			}
			eof = true
			continue
		}
		if sec == -1 {
			if err := p.headerLine(line, text); err != nil {
				return err
			}
			continue
		}
		if sectionOrder[sec] == secDepot {
			if depotDone {
				return p.errorf(line, secDepot, "want EOF after the terminating -1, got %q", text)
			}
			if len(fields) == 1 && fields[0] == "-1" {
				if rows != 1 {
					return p.errorf(line, secDepot, "want one depot, x y, before the terminating -1, got %d", rows)
				}
				depotDone = true
				continue
			}
			if rows > 0 {
				return p.errorf(line, secDepot, "more than one depot; want -1 after the first")
			}
			vals, err := p.numbers(line, secDepot+" depot", fields, []string{"x", "y"})
			if err != nil {
				return err
			}
			p.in.Depot = Point{X: vals[0], Y: vals[1]}
			rows++
			continue
		}
		if err := p.row(line, sectionOrder[sec], fields, seen); err != nil {
			return err
		}
		rows++
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return p.errorf(line+1, "", "line longer than %d bytes", maxLine)
		}
		return p.errorf(line, "", "reading: %w", err)
	}
	if sec != len(sectionOrder)-1 || !depotDone {
		return p.errorf(0, "", "ends before the end of the %s", p.want(sec))
	}
	return nil
}

// want describes what must come after section index sec.
func (p *reader) want(sec int) string {
	if sec+1 < len(sectionOrder) {
		return sectionOrder[sec+1]
	}
	return secDepot + " (x y, then -1)"
}

// indexOf returns the index of s in list, or -1.
func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// headerLine reads one "KEY: value" line.
func (p *reader) headerLine(line int, text string) error {
	key, val, ok := strings.Cut(text, ":")
	if !ok {
		return p.errorf(line, "header", "want KEY: value or a section keyword, got %q", text)
	}
	key, val = strings.TrimSpace(key), strings.TrimSpace(val)
	if _, known := headerKeys[key]; !known {
		return p.errorf(line, key, "unknown header key")
	}
	if first, dup := p.hline[key]; dup {
		return p.errorf(line, key, "repeated (first at line %d)", first)
	}
	p.header[key], p.hline[key] = val, line
	return nil
}

// build checks the header and allocates the instance.
func (p *reader) build(line int) error {
	var missing []string
	for _, k := range headerOrder {
		if _, ok := p.header[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return p.errorf(line, "header", "missing %s before %s", strings.Join(missing, ", "), secCoord)
	}
	for key, want := range map[string][]string{
		"TYPE":               {"CVRP"},
		"EDGE_WEIGHT_TYPE":   {"FUNCTION", "EUC_2D"},
		"EDGE_WEIGHT_FORMAT": {"EUC_2D"},
		"NODE_COORD_TYPE":    {"TWOD_COORDS"},
	} {
		if v, ok := p.header[key]; ok && indexOf(want, v) < 0 {
			return p.errorf(p.hline[key], key, "%q is not supported, want %s (Euclidean distances)", v, strings.Join(want, " or "))
		}
	}
	dim, err := p.count("DIMENSION", 2)
	if err != nil {
		return err
	}
	days, err := p.count("NUM_DAYS", 1)
	if err != nil {
		return err
	}
	q, err := p.nonNegative("CAPACITY")
	if err != nil {
		return err
	}
	d, err := p.nonNegative("DISTANCE")
	if err != nil {
		return err
	}
	p.n = dim - 1
	p.in = &Instance{
		Title: p.header["NAME"], Comment: p.header["COMMENT"],
		Days: days, Capacity: q, MaxDuration: d,
		Customers: make([]Customer, p.n),
	}
	return nil
}

// count reads header key as an integer from least to maxCount.
func (p *reader) count(key string, least int) (int, error) {
	s := p.header[key]
	v, err := strconv.Atoi(s)
	if err != nil || v < least || v > maxCount {
		return 0, p.errorf(p.hline[key], key, "want an integer from %d to %d, got %q", least, maxCount, s)
	}
	return v, nil
}

// nonNegative reads header key as a finite number ≥ 0.
func (p *reader) nonNegative(key string) (float64, error) {
	s := p.header[key]
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0, p.errorf(p.hline[key], key, "want a finite number ≥ 0, got %q", s)
	}
	return v, nil
}

// numbers parses fields as finite numbers, naming each by names.
func (p *reader) numbers(line int, field string, fields, names []string) ([]float64, error) {
	if len(fields) != len(names) {
		return nil, p.errorf(line, field, "want %d values (%s), got %d", len(names), strings.Join(names, " "), len(fields))
	}
	vals := make([]float64, len(fields))
	for i, f := range fields {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, p.errorf(line, field+" "+names[i], "%q is not a finite number", f)
		}
		vals[i] = v
	}
	return vals, nil
}

// row reads one customer's row of section sec: "id x y" or "id v_1 ... v_T".
func (p *reader) row(line int, sec string, fields []string, seen map[int]int) error {
	id, err := strconv.Atoi(fields[0])
	if err != nil || id < 1 || id > p.n {
		return p.errorf(line, sec, "want a customer id from 1 to %d (DIMENSION - 1) first, got %q", p.n, fields[0])
	}
	if first, dup := seen[id]; dup {
		return p.errorf(line, fmt.Sprintf("%s customer %d", sec, id), "repeated (first at line %d)", first)
	}
	seen[id] = line
	field := fmt.Sprintf("%s customer %d", sec, id)
	c := &p.in.Customers[id-1]
	c.ID = id
	if sec == secCoord {
		vals, err := p.numbers(line, field, fields[1:], []string{"x", "y"})
		if err != nil {
			return err
		}
		c.At = Point{X: vals[0], Y: vals[1]}
		return nil
	}
	names := make([]string, p.in.Days)
	for d := range names {
		names[d] = fmt.Sprintf("day %d", d+1)
	}
	vals, err := p.numbers(line, field, fields[1:], names)
	if err != nil {
		return err
	}
	for d, v := range vals {
		switch {
		case sec == secDemand && v == NoVisit:
		case v < 0 && sec == secDemand:
			return p.errorf(line, field+" "+names[d], "negative demand %v (only -1, no visit, may be negative)", v)
		case v < 0:
			return p.errorf(line, field+" "+names[d], "negative service time %v", v)
		case sec == secDemand && v > p.in.Capacity:
			return p.errorf(line, field+" "+names[d], "demand %v exceeds the capacity %v, so no route can serve it", v, p.in.Capacity)
		}
	}
	if sec == secDemand {
		c.Demand = vals
	} else {
		c.Service = vals
	}
	return nil
}
