package solomon

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// ReadVRPLIBFile reads a VRPTW instance in the VRPLIB (LKH-3) CVRPTW
// format from path, as the Gehring & Homberger instances are published.
// See ReadVRPLIB.
func ReadVRPLIBFile(path string) (*Instance, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("solomon: %w", err)
	}
	defer f.Close()
	return ReadVRPLIB(f, path)
}

// ReadVRPLIB parses a CVRPTW instance in the VRPLIB format:
//
//	NAME : C1_4_1
//	TYPE : CVRPTW
//	DIMENSION : 401
//	VEHICLES : 100
//	CAPACITY : 200
//	SERVICE_TIME : 90
//	EDGE_WEIGHT_TYPE : EUC_2D
//	NODE_COORD_SECTION
//	1 100 100
//	...
//	DEMAND_SECTION
//	1 0
//	...
//	TIME_WINDOW_SECTION
//	1 0 1000
//	...
//	DEPOT_SECTION
//	1
//	-1
//	EOF
//
// into the same Instance as Read: the depot, the node the DEPOT_SECTION
// names, becomes customer 0 and the others keep their order, numbered
// from 1. SERVICE_TIME is every customer's service (a SERVICE_TIME_SECTION
// may give each its own); the depot has none. Only EUC_2D distances are
// read, which Dist then works out as for Solomon's files. name labels the
// input in errors; no input makes it panic.
func ReadVRPLIB(r io.Reader, name string) (*Instance, error) {
	fail := func(line int, format string, args ...any) error {
		return fmt.Errorf("solomon: %s:%d: %s", name, line, fmt.Sprintf(format, args...))
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), maxLine)
	in := &Instance{}
	dim, service := 0, 0.0
	var x, y, ready, due, serv []float64
	var demand []int
	var depot = -1
	section := ""
	line := 0
	node := func(f []string, want int) (int, error) {
		if len(f) != want {
			return 0, fail(line, "%s: want %d numbers on a line, got %d", section, want, len(f))
		}
		id, err := strconv.Atoi(f[0])
		if err != nil || id < 1 || id > dim {
			return 0, fail(line, "%s: node %q: want a number from 1 to DIMENSION %d", section, f[0], dim)
		}
		return id - 1, nil
	}
	number := func(s string) (float64, error) {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return 0, fail(line, "%s: %q is not a number of 0 or more", section, s)
		}
		return v, nil
	}
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		if k, v, ok := strings.Cut(text, ":"); ok {
			k, v = strings.TrimSpace(k), strings.TrimSpace(v)
			var err error
			switch k {
			case "NAME":
				in.Name = v
			case "TYPE":
				if v != "CVRPTW" && v != "VRPTW" {
					return nil, fail(line, "TYPE %q: want CVRPTW", v)
				}
			case "DIMENSION":
				if dim, err = strconv.Atoi(v); err != nil || dim < 2 || dim > 100_000 {
					return nil, fail(line, "DIMENSION %q: want from 2 to 100000 nodes", v)
				}
				x, y, ready, due, serv = make([]float64, dim), make([]float64, dim), make([]float64, dim), make([]float64, dim), make([]float64, dim)
				demand = make([]int, dim)
				for i := range due {
					due[i], serv[i] = -1, -1 // unset
				}
			case "VEHICLES":
				if in.Vehicles, err = strconv.Atoi(v); err != nil || in.Vehicles < 1 {
					return nil, fail(line, "VEHICLES %q: want a positive whole number", v)
				}
			case "CAPACITY":
				if in.Capacity, err = strconv.Atoi(v); err != nil || in.Capacity < 1 {
					return nil, fail(line, "CAPACITY %q: want a positive whole number", v)
				}
			case "SERVICE_TIME":
				if service, err = number(v); err != nil {
					return nil, err
				}
			case "EDGE_WEIGHT_TYPE":
				if v != "EUC_2D" {
					return nil, fail(line, "EDGE_WEIGHT_TYPE %q: only EUC_2D is read", v)
				}
			}
			continue
		}
		f := strings.Fields(text)
		if len(f) == 1 && strings.HasSuffix(f[0], "_SECTION") || f[0] == "EOF" {
			section = f[0]
			if section != "EOF" && dim == 0 {
				return nil, fail(line, "%s before DIMENSION", section)
			}
			continue
		}
		switch section {
		case "NODE_COORD_SECTION":
			i, err := node(f, 3)
			if err != nil {
				return nil, err
			}
			if x[i], err = strconv.ParseFloat(f[1], 64); err != nil {
				return nil, fail(line, "x %q is not a number", f[1])
			}
			if y[i], err = strconv.ParseFloat(f[2], 64); err != nil {
				return nil, fail(line, "y %q is not a number", f[2])
			}
		case "DEMAND_SECTION":
			i, err := node(f, 2)
			if err != nil {
				return nil, err
			}
			if demand[i], err = strconv.Atoi(f[1]); err != nil || demand[i] < 0 {
				return nil, fail(line, "demand %q: want a whole number of 0 or more", f[1])
			}
		case "TIME_WINDOW_SECTION":
			i, err := node(f, 3)
			if err != nil {
				return nil, err
			}
			if ready[i], err = number(f[1]); err != nil {
				return nil, err
			}
			if due[i], err = number(f[2]); err != nil {
				return nil, err
			}
			if due[i] < ready[i] {
				return nil, fail(line, "node %s closes (%s) before it opens (%s)", f[0], f[2], f[1])
			}
		case "SERVICE_TIME_SECTION":
			i, err := node(f, 2)
			if err != nil {
				return nil, err
			}
			if serv[i], err = number(f[1]); err != nil {
				return nil, err
			}
		case "DEPOT_SECTION":
			d, err := strconv.Atoi(f[0])
			if err != nil {
				return nil, fail(line, "depot %q is not a node number", f[0])
			}
			if d == -1 {
				section = ""
				continue
			}
			if depot >= 0 || d < 1 || d > dim {
				return nil, fail(line, "depot %d: want one depot, a node from 1 to %d", d, dim)
			}
			depot = d - 1
		case "EOF":
		default:
			return nil, fail(line, "%q outside any section", text)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("solomon: %s: %w", name, err)
	}
	switch {
	case dim == 0:
		return nil, fmt.Errorf("solomon: %s: no DIMENSION", name)
	case depot < 0:
		return nil, fmt.Errorf("solomon: %s: no DEPOT_SECTION naming the depot", name)
	case in.Vehicles == 0 || in.Capacity == 0:
		return nil, fmt.Errorf("solomon: %s: VEHICLES and CAPACITY are both needed", name)
	}
	in.Customers = make([]Customer, 0, dim)
	add := func(i int) error {
		if due[i] < 0 {
			return fmt.Errorf("solomon: %s: node %d has no time window", name, i+1)
		}
		c := Customer{ID: len(in.Customers), X: x[i], Y: y[i], Demand: demand[i], Ready: ready[i], Due: due[i], Service: service}
		if serv[i] >= 0 {
			c.Service = serv[i]
		}
		if i == depot {
			c.Demand, c.Service = 0, 0
		}
		in.Customers = append(in.Customers, c)
		return nil
	}
	if err := add(depot); err != nil {
		return nil, err
	}
	for i := 0; i < dim; i++ {
		if i != depot {
			if err := add(i); err != nil {
				return nil, err
			}
		}
	}
	if in.Name == "" {
		in.Name = name
	}
	return in, nil
}

// ReadDIMACSBKS reads a table of best-known values under the DIMACS
// convention alone, as published with the Gehring & Homberger instances:
// columns instance, vehicles and distance, read as ReadBKS reads its own.
// Each BKS's Hierarchical is left zero.
func ReadDIMACSBKS(path string) (map[string]BKS, error) {
	return readBKSFile(path, dimacsBKS)
}
