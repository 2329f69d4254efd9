package mankowska

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// BKS is one row of bks.csv: an instance's size and the best values known
// for it. A numeric column missing from the file, or an empty cell, reads as
// NaN (floats) or -1 (counts).
type BKS struct {
	// Label is the instance's label, such as "A1".
	Label string
	// File is the instance's path relative to the data directory, such as
	// "instances/InstanzCPLEX_HCSRP_10_1.txt".
	File string
	// Patients, Caregivers, Services, DoubleService, Simultaneous and
	// Precedence count the instance's patients, caregivers, service types,
	// double-service patients and those of each kind.
	Patients, Caregivers, Services, DoubleService, Simultaneous, Precedence int
	// LowerBound is the MIP lower bound of Kummer et al. (GECCO 2020).
	LowerBound float64
	// Gecco2020 is the best value known before 2020, as listed by Kummer
	// et al., and Gecco2020CPUSeconds the time of the method that found it.
	Gecco2020, Gecco2020CPUSeconds float64
	// BRKGABest is the best cost of BRKGA-MP-IPR over 15 seeds, with its
	// travel and tardiness terms, and BRKGAMean15 the mean over the seeds.
	BRKGABest, BRKGATravel, BRKGATotalTardiness, BRKGAMaxTardiness, BRKGAMean15 float64
	// Ceschia2024Cost is the cost of the Ceschia et al. (2024) solution,
	// with its travel and tardiness terms.
	Ceschia2024Cost, Ceschia2024Travel, Ceschia2024TotalTardiness, Ceschia2024MaxTardiness float64
	// Ceschia2024Solution is the path of that solution relative to the data
	// directory.
	Ceschia2024Solution string
	// BestKnown is the best cost known over all sources, and
	// BestKnownSource says where it comes from.
	BestKnown       float64
	BestKnownSource string
}

// ReadBKS reads bks.csv, keyed by label. Columns are found by their header
// name, in any order; label, file and best_known are required, the others
// optional, and unknown columns are ignored. Each label must agree with its
// file's name (see Label) and appear once. Errors name the path, the line
// and the column.
func ReadBKS(path string) (map[string]BKS, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("mankowska: %w", err)
	}
	defer f.Close()
	m, err := readBKS(f, path)
	if err != nil {
		return nil, fmt.Errorf("mankowska: %s: %w", path, err)
	}
	return m, nil
}

// readBKS reads bks.csv from r; path is used in messages only.
func readBKS(r io.Reader, path string) (map[string]BKS, error) {
	cr := csv.NewReader(r)
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("empty file, want a header line")
	}
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	col := make(map[string]int, len(header))
	for i, h := range header {
		h = strings.TrimSpace(h)
		if _, dup := col[h]; dup {
			return nil, fmt.Errorf("header: column %q repeated", h)
		}
		col[h] = i
	}
	for _, req := range []string{"label", "file", "best_known"} {
		if _, ok := col[req]; !ok {
			return nil, fmt.Errorf("header: missing column %q", req)
		}
	}
	out := make(map[string]BKS)
	lineOf := make(map[string]int)
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err // *csv.ParseError gives the line
		}
		line, _ := cr.FieldPos(0)
		cell := func(name string) (string, bool) {
			i, ok := col[name]
			if !ok {
				return "", false
			}
			return strings.TrimSpace(rec[i]), true
		}
		var perr error
		num := func(name string, required bool) float64 {
			s, ok := cell(name)
			if perr != nil {
				return math.NaN()
			}
			if !ok || s == "" {
				if required {
					perr = fmt.Errorf("line %d: column %s: empty", line, name)
				}
				return math.NaN()
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || !finite(v) {
				perr = fmt.Errorf("line %d: column %s: %q is not a finite number", line, name, s)
				return math.NaN()
			}
			return v
		}
		count := func(name string) int {
			s, ok := cell(name)
			if perr != nil || !ok || s == "" {
				return -1
			}
			v, err := strconv.Atoi(s)
			if err != nil || v < 0 {
				perr = fmt.Errorf("line %d: column %s: %q is not a count", line, name, s)
				return -1
			}
			return v
		}
		str := func(name string) string {
			s, _ := cell(name)
			return s
		}
		b := BKS{
			Label:                     str("label"),
			File:                      str("file"),
			Patients:                  count("patients"),
			Caregivers:                count("caregivers"),
			Services:                  count("services"),
			DoubleService:             count("double_service_patients"),
			Simultaneous:              count("simultaneous"),
			Precedence:                count("precedence"),
			LowerBound:                num("lb_gecco2020", false),
			Gecco2020:                 num("bks_gecco2020", false),
			Gecco2020CPUSeconds:       num("bks_gecco2020_cpu_s", false),
			BRKGABest:                 num("brkga_mp_ipr_best", false),
			BRKGATravel:               num("brkga_best_travel", false),
			BRKGATotalTardiness:       num("brkga_best_total_tard", false),
			BRKGAMaxTardiness:         num("brkga_best_max_tard", false),
			BRKGAMean15:               num("brkga_mp_ipr_mean15", false),
			Ceschia2024Cost:           num("ceschia2024_cost", false),
			Ceschia2024Travel:         num("ceschia2024_travel", false),
			Ceschia2024TotalTardiness: num("ceschia2024_total_tard", false),
			Ceschia2024MaxTardiness:   num("ceschia2024_max_tard", false),
			Ceschia2024Solution:       str("ceschia2024_solution"),
			BestKnown:                 num("best_known", true),
			BestKnownSource:           str("best_known_source"),
		}
		if perr != nil {
			return nil, perr
		}
		if b.Label == "" {
			return nil, fmt.Errorf("line %d: column label: empty", line)
		}
		if first, dup := lineOf[b.Label]; dup {
			return nil, fmt.Errorf("line %d: label %s repeated (first at line %d)", line, b.Label, first)
		}
		want, err := Label(b.File)
		if err != nil {
			return nil, fmt.Errorf("line %d: column file: %w", line, err)
		}
		if want != b.Label {
			return nil, fmt.Errorf("line %d: label %s, but file %s is instance %s", line, b.Label, b.File, want)
		}
		lineOf[b.Label] = line
		out[b.Label] = b
	}
	return out, nil
}

// sets maps each set letter to its file prefix and number of patients.
var sets = []struct {
	letter string
	prefix string
	n      int
}{
	{"A", "InstanzCPLEX_HCSRP", 10},
	{"B", "InstanzCPLEX_HCSRP", 25},
	{"C", "InstanzCPLEX_HCSRP", 50},
	{"D", "InstanzCPLEX_HCSRP", 75},
	{"E", "InstanzVNS_HCSRP", 100},
	{"F", "InstanzVNS_HCSRP", 200},
	{"G", "InstanzVNS_HCSRP", 300},
}

// Label returns the label of an instance, such as "A1", from its name or
// path, such as "instances/InstanzCPLEX_HCSRP_10_1.txt": A–D are the CPLEX
// files with 10, 25, 50 and 75 patients, E–G the VNS files with 100, 200
// and 300.
func Label(name string) (string, error) {
	base := strings.TrimSuffix(filepath.Base(name), ".txt")
	for _, s := range sets {
		rest, ok := strings.CutPrefix(base, fmt.Sprintf("%s_%d_", s.prefix, s.n))
		if !ok {
			continue
		}
		if k, err := parseID("k"+rest, 'k'); err == nil {
			return s.letter + strconv.Itoa(k), nil
		}
	}
	return "", fmt.Errorf("%q is not a Mankowska instance name such as InstanzCPLEX_HCSRP_10_1", name)
}

// InstanceName returns the file name, without directory or ".txt", of the
// instance with label, such as "InstanzVNS_HCSRP_100_3" for "E3".
func InstanceName(label string) (string, error) {
	if label != "" {
		for _, s := range sets {
			if rest, ok := strings.CutPrefix(label, s.letter); ok {
				if k, err := parseID("k"+rest, 'k'); err == nil {
					return fmt.Sprintf("%s_%d_%d", s.prefix, s.n, k), nil
				}
			}
		}
	}
	return "", fmt.Errorf("%q is not a label such as A1 (sets A to G)", label)
}
