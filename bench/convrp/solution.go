package convrp

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Solution is a plan for the whole horizon: routes, each on one day and
// driven by one driver.
type Solution struct {
	// Instance names the instance the solution is for, or "".
	Instance string
	// Comments are free text lines, written and read back as "# " lines;
	// Evaluate ignores them.
	Comments []string
	// Routes lists the routes in any order; WriteSolution sorts them by day
	// and driver.
	Routes []Route
}

// Route is one driver's customers on one day, in the order of service; the
// legs from and to the depot are implicit.
type Route struct {
	// Day is the day of the route, from 0 (written as "day 1").
	Day int
	// Driver identifies the driver (vehicle), a positive integer; the same
	// number on different days is the same driver.
	Driver int
	// Customers are the customer IDs in the order of service.
	Customers []int
}

// WriteSolutionFile writes s to the file at path in the text format of
// WriteSolution.
func WriteSolutionFile(path string, s *Solution) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("convrp: %w", err)
	}
	if err := WriteSolution(f, s); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("convrp: %w", err)
	}
	return nil
}

// WriteSolution writes s in the text format described in the package
// documentation: comments, the instance line, then each day in order with
// its drivers' routes in driver order. Days without routes are left out.
func WriteSolution(w io.Writer, s *Solution) error {
	if s == nil {
		return errors.New("convrp: write solution: nil solution")
	}
	bw := bufio.NewWriter(w)
	for _, c := range s.Comments {
		if strings.ContainsAny(c, "\r\n") {
			return fmt.Errorf("convrp: write solution: comment %q spans lines", c)
		}
		fmt.Fprintf(bw, "# %s\n", c)
	}
	if s.Instance != "" {
		if len(strings.Fields(s.Instance)) != 1 || strings.TrimSpace(s.Instance) != s.Instance {
			return fmt.Errorf("convrp: write solution: instance name %q must be one word", s.Instance)
		}
		fmt.Fprintf(bw, "instance %s\n", s.Instance)
	}
	routes := slices.Clone(s.Routes)
	slices.SortStableFunc(routes, func(a, b Route) int {
		return cmp.Or(cmp.Compare(a.Day, b.Day), cmp.Compare(a.Driver, b.Driver))
	})
	day := -1
	for i, r := range routes {
		if r.Day < 0 || r.Driver < 1 {
			return fmt.Errorf("convrp: write solution: route on day index %d for driver %d: want a day ≥ 0 and a driver ≥ 1", r.Day, r.Driver)
		}
		if r.Day != day {
			day = r.Day
			fmt.Fprintf(bw, "day %d\n", day+1)
		} else if routes[i-1].Driver == r.Driver {
			return fmt.Errorf("convrp: write solution: driver %d has two routes on day %d", r.Driver, day+1)
		}
		fmt.Fprintf(bw, "driver %d:", r.Driver)
		for _, c := range r.Customers {
			fmt.Fprintf(bw, " %d", c)
		}
		bw.WriteString("\n")
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("convrp: write solution: %w", err)
	}
	return nil
}

// ReadSolutionFile reads the solution in the file at path.
func ReadSolutionFile(path string) (*Solution, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("convrp: %w", err)
	}
	defer f.Close()
	return ReadSolution(f, path)
}

// ReadSolution reads a solution in the text format of WriteSolution; name
// identifies the input in errors. Errors are *ParseError values naming the
// line and field. ReadSolution checks the syntax only (a driver line under a
// day, positive numbers, a driver at most once a day); whether the routes fit
// an instance is Evaluate's business.
func ReadSolution(r io.Reader, name string) (*Solution, error) {
	p := &reader{path: name}
	if r == nil {
		return nil, p.errorf(0, "", "no input")
	}
	s := &Solution{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	line, day := 0, -1
	dayLine := map[int]int{}
	driverLine := map[int]int{}
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		if strings.ContainsRune(text, '\r') {
			// A lone carriage return would end the line for some readers
			// and not for others; a comment holding one cannot be written
			// back.
			return nil, p.errorf(line, "", "carriage return inside a line")
		}
		if c, ok := strings.CutPrefix(text, "#"); ok {
			s.Comments = append(s.Comments, strings.TrimPrefix(c, " "))
			continue
		}
		key, rest, _ := strings.Cut(text, " ")
		rest = strings.TrimSpace(rest)
		switch key {
		case "instance":
			if s.Instance != "" {
				return nil, p.errorf(line, "instance", "repeated")
			}
			if day >= 0 {
				return nil, p.errorf(line, "instance", "must come before the first day")
			}
			if len(strings.Fields(rest)) != 1 {
				return nil, p.errorf(line, "instance", "want one word, got %q", rest)
			}
			s.Instance = rest
		case "day":
			d, err := positive(rest)
			if err != nil {
				return nil, p.errorf(line, "day", "%v", err)
			}
			if first, dup := dayLine[d]; dup {
				return nil, p.errorf(line, "day "+rest, "repeated (first at line %d)", first)
			}
			dayLine[d] = line
			day = d - 1
			clear(driverLine)
		case "driver":
			id, list, ok := strings.Cut(rest, ":")
			if !ok {
				return nil, p.errorf(line, "driver", "want \"driver K: c1 c2 ...\", got %q", text)
			}
			k, err := positive(strings.TrimSpace(id))
			if err != nil {
				return nil, p.errorf(line, "driver", "%v", err)
			}
			field := fmt.Sprintf("day %d driver %d", day+1, k)
			if day < 0 {
				return nil, p.errorf(line, fmt.Sprintf("driver %d", k), "before the first \"day N\" line")
			}
			if first, dup := driverLine[k]; dup {
				return nil, p.errorf(line, field, "repeated on the same day (first at line %d)", first)
			}
			driverLine[k] = line
			rt := Route{Day: day, Driver: k}
			for i, f := range strings.Fields(list) {
				c, err := positive(f)
				if err != nil {
					return nil, p.errorf(line, fmt.Sprintf("%s stop %d", field, i+1), "customer: %v", err)
				}
				rt.Customers = append(rt.Customers, c)
			}
			s.Routes = append(s.Routes, rt)
		default:
			return nil, p.errorf(line, "", "want \"instance NAME\", \"day N\", \"driver K: c1 c2 ...\" or a # comment, got %q", text)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, p.errorf(line, "", "reading: %w", err)
	}
	return s, nil
}

// positive parses a positive decimal integer.
func positive(s string) (int, error) {
	v, err := strconv.Atoi(s)
	if err != nil || v < 1 || v > maxCount {
		return 0, fmt.Errorf("want an integer from 1 to %d, got %q", maxCount, s)
	}
	return v, nil
}
