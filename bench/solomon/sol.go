package solomon

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// WriteSol writes a solution in the CVRPLIB .sol format:
//
//	Route #1: 5 3 7 8
//	Route #2: 13 17 18
//	Cost 827.3
//
// Routes are numbered from 1 in the order of s.Routes; each lists customer
// numbers as in the instance, depot omitted. An empty route is written as
// "Route #k:" so that the numbering survives a round trip. The cost is
// written in the shortest form that reads back to the same float64
// (827.3, or 828.9368669428343 for an exact-distance cost). Customer
// numbers must be positive and the cost finite.
func WriteSol(w io.Writer, s Solution, cost float64) error {
	if math.IsNaN(cost) || math.IsInf(cost, 0) {
		return fmt.Errorf("solomon: writing solution: cost %v is not finite", cost)
	}
	bw := bufio.NewWriter(w)
	for r, route := range s.Routes {
		fmt.Fprintf(bw, "Route #%d:", r+1)
		for k, c := range route {
			if c < 1 {
				return fmt.Errorf("solomon: writing solution: route #%d, stop %d: %d is not a customer number (the depot is omitted)", r+1, k+1, c)
			}
			bw.WriteByte(' ')
			bw.WriteString(strconv.Itoa(c))
		}
		bw.WriteByte('\n')
	}
	fmt.Fprintf(bw, "Cost %s\n", strconv.FormatFloat(cost, 'f', -1, 64))
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("solomon: writing solution: %w", err)
	}
	return nil
}

// ReadSolFile reads a solution in the CVRPLIB .sol format from path. See
// ReadSol.
func ReadSolFile(path string) (Solution, float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return Solution{}, 0, fmt.Errorf("solomon: %w", err)
	}
	defer f.Close()
	return ReadSol(f, path)
}

// ReadSol parses a solution in the CVRPLIB .sol format written by WriteSol
// and found in CVRPLIB and PyVRP: lines "Route #k: c1 c2 ..." and one line
// "Cost <value>" (or "Cost: <value>"), and returns the routes in file
// order with the cost. The route labels k must be whole numbers but are not
// otherwise checked. Customer numbers must be positive whole numbers; that
// they are customers of some instance, each once, is for Evaluate to check.
// Blank lines, surrounding spaces and CRLF line ends are accepted, and the
// "Route" and "Cost" keywords in any case; any other line is an error that
// names name and the line number.
func ReadSol(r io.Reader, name string) (Solution, float64, error) {
	var (
		s        Solution
		cost     float64
		costLine int
		line     int
	)
	errorf := func(format string, args ...any) error {
		return fmt.Errorf("solomon: %s:%d: %s", name, line, fmt.Sprintf(format, args...))
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if line == 1 {
			text = strings.TrimPrefix(text, "\ufeff")
		}
		if text == "" {
			continue
		}
		switch {
		case hasPrefixFold(text, "route"):
			route, err := parseRoute(text[len("route"):])
			if err != nil {
				return Solution{}, 0, errorf("%v", err)
			}
			s.Routes = append(s.Routes, route)
		case hasPrefixFold(text, "cost"):
			if costLine != 0 {
				return Solution{}, 0, errorf("second Cost line (first on line %d)", costLine)
			}
			v := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(text[len("cost"):]), ":"))
			c, err := strconv.ParseFloat(v, 64)
			if err != nil || math.IsNaN(c) || math.IsInf(c, 0) {
				return Solution{}, 0, errorf("cost %s is not a finite number", quote(v))
			}
			cost, costLine = c, line
		default:
			return Solution{}, 0, errorf("unexpected line %s: want \"Route #k: c1 c2 ...\" or \"Cost <value>\"", quote(text))
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			line++
			return Solution{}, 0, errorf("line longer than %d bytes", maxLine)
		}
		return Solution{}, 0, fmt.Errorf("solomon: %s: reading: %w", name, err)
	}
	if costLine == 0 {
		return Solution{}, 0, fmt.Errorf("solomon: %s: no Cost line", name)
	}
	return s, cost, nil
}

// hasPrefixFold reports whether s starts with prefix, ignoring case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// parseRoute reads " #k: c1 c2 ...", what follows "Route".
func parseRoute(rest string) ([]int, error) {
	rest = strings.TrimSpace(rest)
	label, list, ok := strings.Cut(rest, ":")
	if !ok || !strings.HasPrefix(label, "#") {
		return nil, fmt.Errorf("route line: want \"Route #k: c1 c2 ...\", got %s", quote("Route "+rest))
	}
	if _, err := strconv.Atoi(strings.TrimSpace(label[1:])); err != nil {
		return nil, fmt.Errorf("route label %s is not a whole number", quote(label))
	}
	route := []int{}
	for _, f := range strings.Fields(list) {
		c, err := strconv.Atoi(f)
		if err != nil {
			return nil, fmt.Errorf("route %s: customer %s is not a whole number", label, quote(f))
		}
		if c < 1 {
			return nil, fmt.Errorf("route %s: %d is not a customer number (the depot is omitted)", label, c)
		}
		route = append(route, c)
	}
	return route, nil
}
