package solomon

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Customer is one node of an instance: the depot (ID 0) or a customer.
// Times and coordinates are in the instance's own units, in which travel
// time equals distance.
type Customer struct {
	// ID is the node number as written in the file; 0 is the depot.
	ID int
	// X and Y are the coordinates.
	X, Y float64
	// Demand is the load the node adds to its route; 0 at the depot.
	Demand int
	// Ready is the earliest start of service. At the depot it is the
	// earliest time a vehicle may leave.
	Ready float64
	// Due is the latest start of service (not the latest end). At the
	// depot it is the latest time a vehicle may be back.
	Due float64
	// Service is the service duration; 0 at the depot.
	Service float64
}

// Instance is one Solomon VRPTW instance.
type Instance struct {
	// Name is the instance name from the first line of the file (for
	// example "C101"), or the file's base name without extension when the
	// file has no name line.
	Name string
	// Vehicles is the fleet size: the most routes a solution may use.
	Vehicles int
	// Capacity is the capacity of every vehicle.
	Capacity int
	// Customers holds the depot and the customers, indexed by ID:
	// Customers[0] is the depot and Customers[i].ID == i for every i.
	Customers []Customer
}

// Horizon is the depot's due time: every route must be back at the depot by
// then, so no time in a feasible solution exceeds it.
func (in *Instance) Horizon() float64 {
	return in.Customers[0].Due
}

// maxLine bounds the length of one input line.
const maxLine = 1 << 20

// customerColumns names the seven columns of a customer line, for errors.
var customerColumns = [7]string{"CUST NO.", "XCOORD.", "YCOORD.", "DEMAND", "READY TIME", "DUE DATE", "SERVICE TIME"}

// ReadFile reads an instance in the classic Solomon text format from path.
// See Read.
func ReadFile(path string) (*Instance, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("solomon: %w", err)
	}
	defer f.Close()
	return Read(f, path)
}

// Read parses an instance in the classic Solomon text format:
//
//	C101
//
//	VEHICLE
//	NUMBER     CAPACITY
//	  25         200
//
//	CUSTOMER
//	CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME
//
//	    0      40         50          0          0       1236          0
//	    1      45         68         10        912        967         90
//
// The first non-blank line is the instance name. The VEHICLE and CUSTOMER
// keywords open their sections; within a section, lines that start with a
// letter before the first data line are column headings and are skipped.
// Blank lines, surrounding spaces and tabs, and CRLF line ends are
// accepted anywhere. Customer lines hold exactly seven numbers and may come
// in any order, but their ids must run 0..n without gaps or repeats; id 0 is
// the depot.
//
// name labels the input in errors (usually its path). Every error names it
// and, where one line is at fault, the line number. Read does not panic on
// any input.
func Read(r io.Reader, name string) (*Instance, error) {
	p := &parser{name: name}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	for sc.Scan() {
		p.line++
		if err := p.parseLine(sc.Text()); err != nil {
			return nil, err
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, p.errorf(p.line+1, "line longer than %d bytes", maxLine)
		}
		return nil, fmt.Errorf("solomon: %s: reading: %w", name, err)
	}
	return p.finish()
}

// section is where the parser is in the file.
type section int

const (
	secName     section = iota // before VEHICLE
	secVehicle                 // after VEHICLE
	secCustomer                // after CUSTOMER
)

// parsedCustomer is a customer with the line it came from.
type parsedCustomer struct {
	Customer
	line int
}

// parser holds the state of Read.
type parser struct {
	name      string
	line      int
	sec       section
	inst      Instance
	fleetLine int // line of the fleet figures; 0 until seen
	custLine  int // line of the CUSTOMER keyword
	custs     []parsedCustomer
	ids       map[int]int // id -> line
	nonBlank  bool
}

// errorf formats an error at a line of the input.
func (p *parser) errorf(line int, format string, args ...any) error {
	return fmt.Errorf("solomon: %s:%d: %s", p.name, line, fmt.Sprintf(format, args...))
}

// isText reports whether a trimmed line is a heading (starts with a letter)
// rather than a line of numbers.
func isText(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r)
}

// quote shortens a line for an error message.
func quote(s string) string {
	const limit = 60
	if len(s) > limit {
		s = s[:limit] + "..."
	}
	return strconv.Quote(s)
}

func (p *parser) parseLine(raw string) error {
	s := strings.TrimSpace(raw) // also drops the \r of a CRLF line end
	if s == "" {
		return nil
	}
	if p.line == 1 {
		s = strings.TrimPrefix(s, "\ufeff")
		if s == "" {
			return nil
		}
	}
	p.nonBlank = true
	isVehicle, isCustomer := strings.EqualFold(s, "VEHICLE"), strings.EqualFold(s, "CUSTOMER")
	switch p.sec {
	case secName:
		switch {
		case isVehicle:
			p.sec = secVehicle
		case isCustomer:
			return p.errorf(p.line, "CUSTOMER section before the VEHICLE section")
		case p.inst.Name == "":
			if !utf8.ValidString(s) {
				return p.errorf(p.line, "instance name %s is not valid UTF-8", quote(s))
			}
			p.inst.Name = s
		default:
			return p.errorf(p.line, "unexpected line %s: want the VEHICLE section after the instance name %q", quote(s), p.inst.Name)
		}
	case secVehicle:
		switch {
		case isVehicle:
			return p.errorf(p.line, "second VEHICLE section")
		case isCustomer:
			if p.fleetLine == 0 {
				return p.errorf(p.line, "CUSTOMER section before the fleet line (NUMBER CAPACITY) of the VEHICLE section")
			}
			p.sec = secCustomer
			p.custLine = p.line
		case isText(s):
			if p.fleetLine != 0 {
				return p.errorf(p.line, "unexpected line %s after the fleet line: want the CUSTOMER section", quote(s))
			}
			// A column heading such as "NUMBER     CAPACITY".
		default:
			if p.fleetLine != 0 {
				return p.errorf(p.line, "second fleet line (first on line %d)", p.fleetLine)
			}
			return p.parseFleet(s)
		}
	case secCustomer:
		switch {
		case isVehicle || isCustomer:
			return p.errorf(p.line, "second %s section", strings.ToUpper(s))
		case isText(s):
			if len(p.custs) > 0 {
				return p.errorf(p.line, "unexpected line %s after customer data", quote(s))
			}
			// A column heading such as "CUST NO.  XCOORD. ...".
		default:
			return p.parseCustomer(s)
		}
	}
	return nil
}

// parseFleet reads "NUMBER CAPACITY".
func (p *parser) parseFleet(s string) error {
	f := strings.Fields(s)
	if len(f) != 2 {
		return p.errorf(p.line, "fleet line %s: want 2 numbers (NUMBER CAPACITY), got %d fields", quote(s), len(f))
	}
	var v [2]int
	for i, col := range [2]string{"NUMBER", "CAPACITY"} {
		n, err := strconv.Atoi(f[i])
		if err != nil {
			return p.errorf(p.line, "fleet line: %s %s is not a whole number", col, quote(f[i]))
		}
		if n <= 0 {
			return p.errorf(p.line, "fleet line: %s must be positive, got %d", col, n)
		}
		v[i] = n
	}
	p.inst.Vehicles, p.inst.Capacity = v[0], v[1]
	p.fleetLine = p.line
	return nil
}

// parseCustomer reads one line of seven numbers.
func (p *parser) parseCustomer(s string) error {
	f := strings.Fields(s)
	if len(f) != len(customerColumns) {
		return p.errorf(p.line, "customer line %s: want %d numbers (%s), got %d fields",
			quote(s), len(customerColumns), strings.Join(customerColumns[:], ", "), len(f))
	}
	var c parsedCustomer
	c.line = p.line
	var err error
	if c.ID, err = p.wholeNumber(f, 0); err != nil {
		return err
	}
	if c.Demand, err = p.wholeNumber(f, 3); err != nil {
		return err
	}
	var fl [7]float64
	for _, i := range []int{1, 2, 4, 5, 6} {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return p.errorf(p.line, "customer line: %s %s is not a finite number", customerColumns[i], quote(f[i]))
		}
		fl[i] = v
	}
	c.X, c.Y, c.Ready, c.Due, c.Service = fl[1], fl[2], fl[4], fl[5], fl[6]
	switch {
	case c.Service < 0:
		return p.errorf(p.line, "customer %d: SERVICE TIME must not be negative, got %v", c.ID, c.Service)
	case c.Ready > c.Due:
		return p.errorf(p.line, "customer %d: READY TIME %v is after DUE DATE %v", c.ID, c.Ready, c.Due)
	}
	if p.ids == nil {
		p.ids = make(map[int]int)
	}
	if first, ok := p.ids[c.ID]; ok {
		return p.errorf(p.line, "duplicate customer id %d (first on line %d)", c.ID, first)
	}
	p.ids[c.ID] = p.line
	p.custs = append(p.custs, c)
	return nil
}

// wholeNumber reads field i of a customer line as a non-negative integer.
func (p *parser) wholeNumber(f []string, i int) (int, error) {
	n, err := strconv.Atoi(f[i])
	if err != nil {
		return 0, p.errorf(p.line, "customer line: %s %s is not a whole number", customerColumns[i], quote(f[i]))
	}
	if n < 0 {
		return 0, p.errorf(p.line, "customer line: %s must not be negative, got %d", customerColumns[i], n)
	}
	return n, nil
}

// finish checks what the whole input must hold and builds the instance.
func (p *parser) finish() (*Instance, error) {
	end := func(format string, args ...any) error {
		return p.errorf(p.line, "end of input: "+format, args...)
	}
	switch {
	case !p.nonBlank:
		return nil, fmt.Errorf("solomon: %s: empty input", p.name)
	case p.sec == secName:
		return nil, end("no VEHICLE section")
	case p.fleetLine == 0:
		return nil, end("no fleet line (NUMBER CAPACITY) in the VEHICLE section")
	case p.sec != secCustomer:
		return nil, end("no CUSTOMER section")
	case len(p.custs) == 0:
		return nil, end("no customer lines after the CUSTOMER section on line %d", p.custLine)
	}
	sort.Slice(p.custs, func(i, j int) bool { return p.custs[i].ID < p.custs[j].ID })
	if p.custs[0].ID != 0 {
		return nil, p.errorf(p.custLine, "no depot: no customer line with id 0 in this section (lowest id is %d, on line %d)",
			p.custs[0].ID, p.custs[0].line)
	}
	in := p.inst
	in.Customers = make([]Customer, len(p.custs))
	for i, c := range p.custs {
		if c.ID != i {
			return nil, p.errorf(c.line, "customer ids must run 0..%d without gaps: id %d follows %d, so %d is missing",
				len(p.custs)-1, c.ID, i-1, i)
		}
		in.Customers[i] = c.Customer
	}
	if in.Name == "" {
		in.Name = strings.TrimSuffix(filepath.Base(p.name), filepath.Ext(p.name))
	}
	return &in, nil
}
