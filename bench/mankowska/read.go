package mankowska

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

// ParseError is a problem with an instance file. Line is 0 and Section
// empty when the problem is not tied to one.
type ParseError struct {
	// Path names the input, as given to Read.
	Path string
	// Line is the 1-based line of the problem, or 0.
	Line int
	// Section is the keyword of the section concerned, such as "d", or "".
	Section string
	// Err describes the problem.
	Err error
}

// Error formats the problem as "path:line: section s: problem".
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("mankowska: ")
	b.WriteString(e.Path)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Section != "" {
		fmt.Fprintf(&b, ": section %s", e.Section)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the underlying problem.
func (e *ParseError) Unwrap() error { return e.Err }

// maxLine is the longest line Read accepts; the largest published instance
// has lines of under 3 KB.
const maxLine = 16 << 20

// maxCount bounds nbNodes, nbVehi and nbServi, so that products of them
// cannot overflow.
const maxCount = 1 << 24

// sectionOrder lists the sections in the order of the published files.
var sectionOrder = []string{"nbNodes", "nbVehi", "nbServi", "r", "DS", "a", "x", "y", "d", "p", "mind", "maxd", "e", "l"}

// row is one line of numbers.
type row struct {
	line int
	vals []float64
}

// section is a keyword and the lines of numbers after it.
type section struct {
	name string
	line int
	rows []row
}

// parser turns the sections of one input into an Instance.
type parser struct {
	path string
	secs map[string]*section
}

// errorf returns a ParseError at line of section sec.
func (p *parser) errorf(line int, sec, format string, args ...any) error {
	return &ParseError{Path: p.path, Line: line, Section: sec, Err: fmt.Errorf(format, args...)}
}

// ReadFile reads the instance in the file at path; its Name is the file's
// base name without extension.
func ReadFile(path string) (*Instance, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("mankowska: %w", err)
	}
	defer f.Close()
	return Read(f, path)
}

// Read reads an instance in the text format of Mankowska et al. (2014),
// described in the package documentation. name identifies the input in
// errors, normally its path; the instance's Name is its base name without
// extension. Every error is a *ParseError naming the input, and the line or
// section where possible. Read checks the structure (every section present
// once, the counts of rows and values) and the content: 0/1 matrices,
// finite non-negative distances and processing times, time windows with
// Earliest ≤ Latest, one or two services per patient, double-service
// patients exactly those listed in DS, and 0 ≤ δmin ≤ δmax.
func Read(r io.Reader, name string) (*Instance, error) {
	p := &parser{path: name, secs: make(map[string]*section)}
	if r == nil {
		return nil, p.errorf(0, "", "no input")
	}
	if err := p.scan(r); err != nil {
		return nil, err
	}
	in, err := p.build()
	if err != nil {
		return nil, err
	}
	in.Name = strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	return in, nil
}

// scan splits the input into sections of numbers.
func (p *parser) scan(r io.Reader) error {
	known := make(map[string]bool, len(sectionOrder))
	for _, s := range sectionOrder {
		known[s] = true
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	var cur *section
	line := 0
	for sc.Scan() {
		line++
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		if known[fields[0]] {
			if len(fields) > 1 {
				return p.errorf(line, fields[0], "keyword must stand alone on its line, found %q after it", fields[1])
			}
			if prev, ok := p.secs[fields[0]]; ok {
				return p.errorf(line, fields[0], "repeated (first at line %d)", prev.line)
			}
			cur = &section{name: fields[0], line: line}
			p.secs[cur.name] = cur
			continue
		}
		vals := make([]float64, len(fields))
		for i, f := range fields {
			v, err := strconv.ParseFloat(f, 64)
			switch {
			case err != nil && len(fields) == 1 && isLetter(f[0]):
				return p.errorf(line, "", "unknown section %q", f)
			case errors.Is(err, strconv.ErrRange):
				return p.errorf(line, secName(cur), "value %d: %q is out of range", i+1, f)
			case err != nil:
				return p.errorf(line, secName(cur), "value %d: %q is not a number", i+1, f)
			case math.IsNaN(v) || math.IsInf(v, 0):
				return p.errorf(line, secName(cur), "value %d: %q is not a finite number", i+1, f)
			}
			vals[i] = v
		}
		if cur == nil {
			return p.errorf(line, "", "numbers before the first section keyword")
		}
		cur.rows = append(cur.rows, row{line: line, vals: vals})
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return p.errorf(line+1, secName(cur), "line longer than %d bytes", maxLine)
		}
		return p.errorf(line, "", "reading: %w", err)
	}
	var missing []string
	for _, s := range sectionOrder {
		if p.secs[s] == nil {
			missing = append(missing, s)
		}
	}
	if len(missing) > 0 {
		return p.errorf(0, "", "missing section(s) %s", strings.Join(missing, ", "))
	}
	return nil
}

// secName returns the name of s, or "" for nil.
func secName(s *section) string {
	if s == nil {
		return ""
	}
	return s.name
}

// isLetter reports whether c is an ASCII letter.
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// count reads a section holding one positive integer of at most maxCount.
func (p *parser) count(name string, least int) (int, error) {
	s := p.secs[name]
	if len(s.rows) != 1 || len(s.rows[0].vals) != 1 {
		return 0, p.errorf(s.line, name, "want one integer")
	}
	v := s.rows[0].vals[0]
	if v != math.Trunc(v) || v < float64(least) || v > maxCount {
		return 0, p.errorf(s.rows[0].line, name, "want an integer from %d to %d, got %v", least, maxCount, v)
	}
	return int(v), nil
}

// matrix reads a section of n rows of m values, one row per line.
func (p *parser) matrix(name string, n, m int) ([]row, error) {
	s := p.secs[name]
	if len(s.rows) != n {
		return nil, p.errorf(s.line, name, "want %d rows of %d values, got %d rows", n, m, len(s.rows))
	}
	for i, r := range s.rows {
		if len(r.vals) != m {
			return nil, p.errorf(r.line, name, "row %d: want %d values, got %d", i+1, m, len(r.vals))
		}
	}
	return s.rows, nil
}

// vector reads a section of n values over any number of lines, with the
// line of each.
func (p *parser) vector(name string, n int) ([]float64, []int, error) {
	s := p.secs[name]
	total := 0
	for _, r := range s.rows {
		total += len(r.vals)
	}
	if n >= 0 && total != n {
		return nil, nil, p.errorf(s.line, name, "want %d values, got %d", n, total)
	}
	vals := make([]float64, 0, total)
	lines := make([]int, 0, total)
	for _, r := range s.rows {
		vals = append(vals, r.vals...)
		for range r.vals {
			lines = append(lines, r.line)
		}
	}
	return vals, lines, nil
}

// binary checks that every value of rows is 0 or 1.
func (p *parser) binary(name string, rows []row) error {
	for i, r := range rows {
		for j, v := range r.vals {
			if v != 0 && v != 1 {
				return p.errorf(r.line, name, "row %d, column %d: want 0 or 1, got %v", i+1, j+1, v)
			}
		}
	}
	return nil
}

// build interprets the sections.
func (p *parser) build() (*Instance, error) {
	n, err := p.count("nbNodes", 2)
	if err != nil {
		return nil, err
	}
	nv, err := p.count("nbVehi", 1)
	if err != nil {
		return nil, err
	}
	ns, err := p.count("nbServi", 1)
	if err != nil {
		return nil, err
	}
	np := n - 2
	in := &Instance{NumServices: ns}

	req, err := p.matrix("r", n, ns)
	if err != nil {
		return nil, err
	}
	if err := p.binary("r", req); err != nil {
		return nil, err
	}

	quals, err := p.matrix("a", nv, ns)
	if err != nil {
		return nil, err
	}
	if err := p.binary("a", quals); err != nil {
		return nil, err
	}
	in.Caregivers = make([]Caregiver, nv)
	for v, r := range quals {
		q := make([]bool, ns)
		for s, x := range r.vals {
			q[s] = x == 1
		}
		in.Caregivers[v] = Caregiver{Index: v, Qualified: q}
	}

	xs, _, err := p.vector("x", n)
	if err != nil {
		return nil, err
	}
	ys, _, err := p.vector("y", n)
	if err != nil {
		return nil, err
	}

	dist, err := p.matrix("d", n, n)
	if err != nil {
		return nil, err
	}
	in.Travel = make([][]float64, n)
	for i, r := range dist {
		for j, v := range r.vals {
			if v < 0 {
				return nil, p.errorf(r.line, "d", "row %d, column %d: negative distance %v", i+1, j+1, v)
			}
		}
		in.Travel[i] = r.vals
	}

	proc, err := p.matrix("p", n*nv, ns)
	if err != nil {
		return nil, err
	}
	for i, r := range proc {
		for j, v := range r.vals {
			if v < 0 {
				return nil, p.errorf(r.line, "p", "row %d, column %d: negative processing time %v", i+1, j+1, v)
			}
		}
	}

	mind, mindLines, err := p.vector("mind", n)
	if err != nil {
		return nil, err
	}
	maxd, maxdLines, err := p.vector("maxd", n)
	if err != nil {
		return nil, err
	}
	e, _, err := p.vector("e", n)
	if err != nil {
		return nil, err
	}
	l, lLines, err := p.vector("l", n)
	if err != nil {
		return nil, err
	}
	for i := range n {
		if e[i] > l[i] {
			return nil, p.errorf(lLines[i], "l", "node %d: latest start %v before earliest start %v", i, l[i], e[i])
		}
	}

	ds, dsLines, err := p.vector("DS", -1)
	if err != nil {
		return nil, err
	}
	double := make(map[int]int, len(ds)) // node → line in DS
	for k, v := range ds {
		if v != math.Trunc(v) || v < 2 || v > float64(n-1) {
			return nil, p.errorf(dsLines[k], "DS", "value %d: want a 1-based patient node from 2 to %d, got %v", k+1, n-1, v)
		}
		node := int(v) - 1
		if _, ok := double[node]; ok {
			return nil, p.errorf(dsLines[k], "DS", "value %d: node %v listed twice", k+1, v)
		}
		double[node] = dsLines[k]
	}

	in.Depot = Depot{
		X: xs[0], Y: ys[0],
		Start: Window{Earliest: e[0], Latest: l[0]},
		End:   Window{Earliest: e[n-1], Latest: l[n-1]},
	}
	in.Patients = make([]Patient, np)
	for i := 1; i <= np; i++ {
		pt := Patient{Node: i, X: xs[i], Y: ys[i], Window: Window{Earliest: e[i], Latest: l[i]}}
		for s, x := range req[i].vals {
			if x != 1 {
				continue
			}
			d := make([]float64, nv)
			for v := range nv {
				d[v] = proc[i*nv+v].vals[s]
			}
			pt.Services = append(pt.Services, Requirement{Service: s, Duration: d})
		}
		_, listed := double[i]
		switch {
		case len(pt.Services) == 0:
			return nil, p.errorf(req[i].line, "r", "patient node %d requires no service", i)
		case len(pt.Services) > 2:
			return nil, p.errorf(req[i].line, "r", "patient node %d requires %d services, at most 2 allowed", i, len(pt.Services))
		case len(pt.Services) == 2 && !listed:
			return nil, p.errorf(req[i].line, "r", "patient node %d requires two services but is not listed in DS (as %d)", i, i+1)
		case len(pt.Services) == 1 && listed:
			return nil, p.errorf(double[i], "DS", "node %d (patient node %d) is listed but requires one service", i+1, i)
		}
		if len(pt.Services) == 2 {
			lo, hi := mind[i], maxd[i]
			switch {
			case lo == 0 && hi == 0:
				pt.Kind = Simultaneous
			case lo < 0:
				return nil, p.errorf(mindLines[i], "mind", "patient node %d: negative minimum gap %v", i, lo)
			case hi < lo:
				return nil, p.errorf(maxdLines[i], "maxd", "patient node %d: maximum gap %v below minimum gap %v", i, hi, lo)
			default:
				pt.Kind = Sequential
				pt.MinGap, pt.MaxGap = lo, hi
			}
		}
		in.Patients[i-1] = pt
	}
	return in, nil
}
