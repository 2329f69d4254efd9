package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rounds-dev/rounds/importer"
	"github.com/rounds-dev/rounds/locality"
	"github.com/rounds-dev/rounds/roster"
)

// The kinds of localities job, as a job's payload and result name them.
const (
	kindEvaluate = "localities-evaluate"
	kindPropose  = "localities-propose"
)

// The bounds of a localities request beside Config's.
const (
	maxBoundaryOptions = 6
	maxProposeKs       = 8
	// maxProposals bounds the proposals of one job: every k by both
	// methods, or fewer k by more bands.
	maxProposals = 2 * maxProposeKs
	// maxBands bounds the bands of hours of one proposal job.
	maxBands    = 4
	maxProposeK = 200
)

// demandFiles and demandFields are the parts of a demand form.
var (
	demandFiles  = map[string]bool{"demand": true, "postcodes": false}
	demandFields = map[string]bool{"name": true, "time_zone": true}
)

// localitiesDemand reads a district demand CSV (docs/FORMAT.md, "District
// demand CSV"), sent as a multipart form like an import, into the district
// the localities endpoints take: 200 with it, or 400 naming each problem
// as "demand.csv[12].weekly_hours" or the form part at fault.
func (s *Server) localitiesDemand(c echo.Context) error {
	files, fields, es, err := readForm(c, demandFiles, demandFields, "the files demand and postcodes, and the fields name and time_zone")
	if err != nil {
		return err
	}
	if _, ok := files["demand"]; !ok {
		es = append(es, roster.FieldError{Path: "demand", Reason: "missing; send the demand CSV file"})
	}
	if len(es) > 0 {
		slices.SortStableFunc(es, func(a, b roster.FieldError) int { return strings.Compare(a.Path, b.Path) })
		return invalid(es, "")
	}
	opts := locality.DemandOptions{Name: fields["name"], TimeZone: fields["time_zone"], MaxRows: s.cfg.MaxDistrictClients}
	if pc, ok := files["postcodes"]; ok {
		opts.Postcodes = importer.File{Name: "postcodes.csv", R: bytes.NewReader(pc)}
	}
	d, err := locality.ReadDemand(importer.File{Name: "demand.csv", R: bytes.NewReader(files["demand"])}, opts)
	if err != nil {
		var ies importer.Errors
		if errors.As(err, &ies) {
			return invalid(ies.FieldErrors(), "")
		}
		return err
	}
	return c.JSON(http.StatusOK, d)
}

// boundaryOption is one option of an evaluation: a name and its
// boundaries as a GeoJSON FeatureCollection.
type boundaryOption struct {
	Name       string          `json:"name"`
	Boundaries json.RawMessage `json:"boundaries"`
}

// evaluateLocalitiesRequest is the body of /v1/localities/evaluate.
type evaluateLocalitiesRequest struct {
	District   locality.District `json:"district"`
	Options    []boundaryOption  `json:"options"`
	Supply     *locality.Supply  `json:"supply,omitempty"`
	Iterations *int              `json:"iterations,omitempty"`
	Seed       *int64            `json:"seed,omitempty"`
}

// proposeLocalitiesRequest is the body of /v1/localities/propose.
type proposeLocalitiesRequest struct {
	District   locality.District `json:"district"`
	K          []int             `json:"k"`
	Method     string            `json:"method,omitempty"`
	Evaluate   *bool             `json:"evaluate,omitempty"`
	Supply     *locality.Supply  `json:"supply,omitempty"`
	Iterations *int              `json:"iterations,omitempty"`
	Seed       *int64            `json:"seed,omitempty"`
	CellM      *float64          `json:"cell_m,omitempty"`
	// Tolerance is a band of hours, or a list of them: region growing
	// proposes once a band.
	Tolerance json.RawMessage `json:"tolerance,omitempty"`
}

// localitiesPayload is a localities job as queued: the request checked,
// with its defaults filled in.
type localitiesPayload struct {
	Kind     string            `json:"kind"`
	District locality.District `json:"district"`
	Supply   locality.Supply   `json:"supply"`
	// Iterations bound each representative day's solve; Seed seeds the
	// sizing and the proposals.
	Iterations int   `json:"iterations"`
	Seed       int64 `json:"seed"`
	// Options are an evaluation's boundary options.
	Options []boundaryOption `json:"options,omitempty"`
	// K, Methods, Evaluate, CellM and Tolerances are a proposal's.
	K          []int     `json:"k,omitempty"`
	Methods    []string  `json:"methods,omitempty"`
	Evaluate   bool      `json:"evaluate,omitempty"`
	CellM      float64   `json:"cell_m,omitempty"`
	Tolerances []float64 `json:"tolerances,omitempty"`
	// Tolerance is the first band, the one band of a job queued before
	// Tolerances, and the one a worker from before them reads.
	Tolerance float64 `json:"tolerance,omitempty"`
}

// bands are the payload's bands of hours: Tolerances, or the one band of
// a job queued before them.
func (pl *localitiesPayload) bands() []float64 {
	if len(pl.Tolerances) > 0 {
		return pl.Tolerances
	}
	if pl.Tolerance > 0 {
		return []float64{pl.Tolerance}
	}
	return []float64{locality.DefaultTolerance}
}

// evaluateLocalities queues a job that evaluates boundary options of a
// district side by side (locality.Evaluate), each representative day a
// solve on the queue of solves. Everything is checked before the job is
// queued; the answers are as for POST /v1/jobs.
func (s *Server) evaluateLocalities(c echo.Context) error {
	_, wait, err := s.jobQuery(c)
	if err != nil {
		return err
	}
	var req evaluateLocalitiesRequest
	if err := decodeBody(c, &req); err != nil {
		return err
	}
	pl, es, err := s.checkLocalities(&req.District, req.Supply, req.Iterations, req.Seed)
	if err != nil {
		return err
	}
	pl.Kind = kindEvaluate
	switch n := len(req.Options); {
	case n == 0:
		es = append(es, roster.FieldError{Path: "options", Reason: "want at least one boundary option"})
	case n > maxBoundaryOptions:
		es = append(es, roster.FieldError{Path: "options", Reason: fmt.Sprintf("%d options; at most %d in one job", n, maxBoundaryOptions)})
	}
	seen := map[string]int{}
	for i, o := range req.Options {
		at := fmt.Sprintf("options[%d]", i)
		switch j, dup := seen[o.Name]; {
		case strings.TrimSpace(o.Name) == "":
			es = append(es, roster.FieldError{Path: at + ".name", Reason: "missing; name the option, e.g. current"})
		case dup:
			es = append(es, roster.FieldError{Path: at + ".name", Reason: fmt.Sprintf("%q is also the name of options[%d]", o.Name, j)})
		default:
			seen[o.Name] = i
		}
		if _, err := locality.ReadBoundaries(bytes.NewReader(o.Boundaries)); err != nil {
			es = append(es, fieldErrorsAt(err, at+".boundaries")...)
		}
	}
	if len(es) > 0 {
		return invalid(es, "")
	}
	pl.Options = req.Options
	return s.enqueueLocalities(c, pl, wait)
}

// proposeLocalities queues a job that proposes localities for each k
// (locality.Propose, locality.KMeans or both), evaluating each proposal
// unless asked not to. The answers are as for POST /v1/jobs.
func (s *Server) proposeLocalities(c echo.Context) error {
	_, wait, err := s.jobQuery(c)
	if err != nil {
		return err
	}
	var req proposeLocalitiesRequest
	if err := decodeBody(c, &req); err != nil {
		return err
	}
	pl, es, err := s.checkLocalities(&req.District, req.Supply, req.Iterations, req.Seed)
	if err != nil {
		return err
	}
	pl.Kind = kindPropose
	switch req.Method {
	case "", "both":
		pl.Methods = []string{"azp", "kmeans"}
	case "azp", "kmeans":
		pl.Methods = []string{req.Method}
	default:
		es = append(es, roster.FieldError{Path: "method", Reason: fmt.Sprintf("want azp, kmeans or both, got %q", req.Method)})
	}
	pl.Evaluate = req.Evaluate == nil || *req.Evaluate
	if req.CellM != nil {
		if m := *req.CellM; !(m >= 10 && m <= 100_000) {
			es = append(es, roster.FieldError{Path: "cell_m", Reason: fmt.Sprintf("want a cell size from 10 to 100000 metres, got %v", m)})
		} else {
			pl.CellM = m
		}
	}
	pl.Tolerances, es = readTolerances(req.Tolerance, es)
	if len(pl.Tolerances) > 0 {
		// A worker from before the list reads the one band: the first.
		pl.Tolerance = pl.Tolerances[0]
	}
	if len(pl.Tolerances) > 1 && len(pl.Methods) > 0 && !slices.Contains(pl.Methods, "azp") {
		es = append(es, roster.FieldError{Path: "tolerance", Reason: "several bands are for region growing; ask for method azp or both"})
	}
	ways := len(locality.Proposals(pl.Methods, pl.bands()))
	switch n := len(req.K); {
	case n == 0:
		es = append(es, roster.FieldError{Path: "k", Reason: "want at least one number of localities, e.g. [6, 10, 35]"})
	case n > maxProposeKs:
		es = append(es, roster.FieldError{Path: "k", Reason: fmt.Sprintf("%d numbers of localities; at most %d in one job", n, maxProposeKs)})
	case n*ways > maxProposals:
		es = append(es, roster.FieldError{Path: "tolerance", Reason: fmt.Sprintf("%d numbers of localities, each proposed %d ways, make %d proposals; at most %d in one job",
			n, ways, n*ways, maxProposals)})
	}
	districtOK := !slices.ContainsFunc(es, func(fe roster.FieldError) bool { return strings.HasPrefix(fe.Path, "district") })
	for i, k := range req.K {
		at := fmt.Sprintf("k[%d]", i)
		switch {
		case k < 1 || k > maxProposeK:
			es = append(es, roster.FieldError{Path: at, Reason: fmt.Sprintf("want from 1 to %d localities, got %d", maxProposeK, k)})
			continue
		case slices.Contains(req.K[:i], k):
			es = append(es, roster.FieldError{Path: at, Reason: fmt.Sprintf("%d is given twice", k)})
			continue
		}
		if !districtOK || len(req.K) > maxProposeKs || req.CellM != nil && pl.CellM == 0 {
			continue
		}
		if n := len(req.District.Clients); k > n {
			es = append(es, roster.FieldError{Path: at, Reason: fmt.Sprintf("%d localities of %d clients; choose at most one a client", k, n)})
			continue
		}
		// The grid is cheap beside the sizing: build it here, so that a k
		// the district cannot give is refused before anything is queued.
		if reason := gridProblem(req.District.Clients, k, pl.CellM); reason != "" {
			es = append(es, roster.FieldError{Path: at, Reason: reason})
		}
	}
	if len(es) > 0 {
		return invalid(es, "")
	}
	pl.K = req.K
	return s.enqueueLocalities(c, pl, wait)
}

// gridProblem says why the clients cannot be divided into k localities on
// a grid of cells cellM apart (0: chosen from k), or "".
func gridProblem(clients []locality.Client, k int, cellM float64) string {
	g, err := locality.GridFor(clients, k, cellM)
	if err != nil {
		return err.Error()
	}
	occupied := 0
	for i := range g.Cells {
		if g.Cells[i].Hours > 0 {
			occupied++
		}
	}
	if occupied < k {
		return fmt.Sprintf("only %d cells of %g m hold clients; choose fewer localities or smaller cells (cell_m)", occupied, g.CellM)
	}
	return ""
}

// checkLocalities checks what evaluate and propose share (the district,
// the supply, the iterations) and fills in their defaults. A district over
// the service's bound is a 413 (err); the other problems are es, paths
// from the body's root.
func (s *Server) checkLocalities(d *locality.District, supply *locality.Supply, iterations *int, seed *int64) (*localitiesPayload, roster.FieldErrors, error) {
	if n := len(d.Clients); n > s.cfg.MaxDistrictClients {
		return nil, nil, tooLarge(&roster.TooLargeError{FieldErrors: roster.FieldErrors{{Path: "district.clients",
			Reason: fmt.Sprintf("%d clients; this service takes at most %d in one district", n, s.cfg.MaxDistrictClients)}}}, "")
	}
	pl := &localitiesPayload{District: *d, Supply: locality.DefaultSupply, Iterations: locality.DefaultSizeIterations, Seed: 1}
	var es roster.FieldErrors
	if err := locality.CheckDistrict(d); err != nil {
		es = append(es, fieldErrorsAt(err, "district")...)
	}
	if d.TimeZone != "" && !validTimeZone(d.TimeZone) {
		es = append(es, roster.FieldError{Path: "district.timezone", Reason: fmt.Sprintf("%q is not an IANA time zone such as Europe/London", d.TimeZone)})
	}
	if supply != nil {
		if err := locality.CheckSupply(*supply); err != nil {
			es = append(es, fieldErrorsAt(err, "")...)
		}
		pl.Supply = *supply
	}
	if iterations != nil {
		if n := *iterations; n < 1 || n > s.cfg.MaxLocalityIterations {
			es = append(es, roster.FieldError{Path: "iterations", Reason: fmt.Sprintf("want from 1 to %d iterations a solve, got %d", s.cfg.MaxLocalityIterations, n)})
		}
		pl.Iterations = *iterations
	}
	if seed != nil {
		pl.Seed = *seed
	}
	return pl, es, nil
}

// fieldErrorsAt lists err's field errors with their paths under prefix; an
// error without fields is one problem at prefix.
func fieldErrorsAt(err error, prefix string) roster.FieldErrors {
	fes, ok := roster.FieldErrorsOf(err)
	if !ok {
		return roster.FieldErrors{{Path: prefix, Reason: err.Error()}}
	}
	out := make(roster.FieldErrors, len(fes))
	for i, e := range fes {
		out[i] = roster.FieldError{Path: prefixed(prefix, e.Path), Reason: e.Reason}
	}
	return out
}

// enqueueLocalities queues a localities job and answers as submit does.
func (s *Server) enqueueLocalities(c echo.Context, pl *localitiesPayload, wait time.Duration) error {
	b, err := json.Marshal(pl)
	if err != nil {
		return err
	}
	return s.enqueueRaw(c, b, wait)
}

// maxOverMin is a balance's largest hours over its smallest, null when a
// locality holds none (+Inf, which JSON cannot carry).
func maxOverMin(v float64) *float64 {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return nil
	}
	return &v
}

// validTimeZone reports whether tz is an IANA time zone ("Local" is not).
func validTimeZone(tz string) bool {
	_, err := time.LoadLocation(tz)
	return err == nil && tz != "Local"
}

// readTolerances reads a proposal's "tolerance": absent (the default
// band), a share of the mean, or a list of 1 to maxBands of them, each
// once.
func readTolerances(raw json.RawMessage, es []roster.FieldError) ([]float64, []roster.FieldError) {
	if len(raw) == 0 || string(raw) == "null" {
		return []float64{locality.DefaultTolerance}, es
	}
	var list []float64
	var one float64
	single := json.Unmarshal(raw, &one) == nil
	if single {
		list = []float64{one}
	} else if err := json.Unmarshal(raw, &list); err != nil {
		return nil, append(es, roster.FieldError{Path: "tolerance", Reason: "want a share of the mean (0.1 is ±10%) or a list of them, e.g. [0.1, 0.3, 1]"})
	}
	at := func(i int) string {
		if single {
			return "tolerance"
		}
		return fmt.Sprintf("tolerance[%d]", i)
	}
	switch {
	case len(list) == 0:
		return nil, append(es, roster.FieldError{Path: "tolerance", Reason: "an empty list; give at least one band, e.g. [0.1]"})
	case len(list) > maxBands:
		return nil, append(es, roster.FieldError{Path: "tolerance", Reason: fmt.Sprintf("%d bands; at most %d in one job", len(list), maxBands)})
	}
	for i, t := range list {
		switch {
		case !(t >= locality.MinTolerance && t <= locality.MaxTolerance):
			es = append(es, roster.FieldError{Path: at(i), Reason: fmt.Sprintf("want a share of the mean from %g to %g (0.1 is ±10%%), got %v", locality.MinTolerance, locality.MaxTolerance, t)})
		case slices.Contains(list[:i], t):
			es = append(es, roster.FieldError{Path: at(i), Reason: fmt.Sprintf("%v is given twice", t)})
		}
	}
	return list, es
}
