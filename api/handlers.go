package api

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rounds-dev/rounds/api/jobs"
	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/geo/matrixcache"
	"github.com/rounds-dev/rounds/geo/road"
	"github.com/rounds-dev/rounds/roster"
)

// body reads the whole request body; the body limit has bounded it.
func body(c echo.Context) ([]byte, error) {
	b, err := io.ReadAll(c.Request().Body)
	if err != nil {
		var he *echo.HTTPError
		if errors.As(err, &he) {
			return nil, he
		}
		return nil, newProblem(http.StatusBadRequest, typeInvalid, "Invalid input", "the request body could not be read")
	}
	return b, nil
}

// decodeBody reads the body into dst, a pointer to a request struct, as
// strictly as an instance is read; its problems are a 400 with paths from
// the body's root.
func decodeBody(c echo.Context, dst any) error {
	b, err := body(c)
	if err != nil {
		return err
	}
	if err := roster.DecodeStrict(b, dst); err != nil {
		return invalid(err, "")
	}
	return nil
}

// decodeInstance reads an instance and refuses one over the service's
// limits (413) or with a place far from the others (swapped latitude and
// longitude, most often), each problem's path under prefix.
func (s *Server) decodeInstance(b []byte, prefix string) (*roster.Instance, error) {
	in, err := roster.DecodeInstance(bytes.NewReader(b))
	if err != nil {
		return nil, invalid(err, prefix)
	}
	if es := roster.NotPlanned(in); len(es) > 0 {
		return nil, invalid(es, prefix)
	}
	if err := s.withinLimits(in, prefix); err != nil {
		return nil, err
	}
	if es := roster.FarPlaceErrors(in); len(es) > 0 {
		return nil, invalid(es, prefix)
	}
	return in, nil
}

// jsonBody answers 415 unless the request declares its body JSON:
// application/json or any application/...+json type, in UTF-8. A missing
// type is refused too, not assumed: with keys off, a web page could
// otherwise post jobs to a service on loopback, since browsers send a
// cross-origin POST of text/plain, a form or an untyped body without
// asking the service first, and application/json they do not.
func jsonBody(next echo.HandlerFunc) echo.HandlerFunc {
	return mediaType("application/json", "a JSON body", func(mt string, params map[string]string) string {
		switch {
		case mt != "application/json" && !(strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json")):
			return fmt.Sprintf("want application/json, got %s", mt)
		case params["charset"] != "" && !strings.EqualFold(params["charset"], "utf-8"):
			return fmt.Sprintf("want JSON in UTF-8, got charset %s", params["charset"])
		}
		return ""
	})(next)
}

// mediaType answers 415 unless the request's Content-Type is a media type
// that refuse (given the type and its parameters) has no reason against;
// want names the type for a request that sends none, takes what the
// endpoint takes, for the problem's detail.
func mediaType(want, takes string, refuse func(mt string, params map[string]string) string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			ct := c.Request().Header.Get(echo.HeaderContentType)
			mt, params, err := mime.ParseMediaType(ct)
			var reason string
			switch {
			case ct == "":
				reason = "missing; send Content-Type: " + want
			case err != nil:
				reason = fmt.Sprintf("want %s, got %q, which is not a media type", want, ct)
			default:
				reason = refuse(mt, params)
			}
			if reason == "" {
				return next(c)
			}
			p := newProblem(http.StatusUnsupportedMediaType, typeMedia, "Unsupported media type",
				"this endpoint takes "+takes+": Content-Type "+reason)
			p.Errors = []roster.FieldError{{Path: "header.Content-Type", Reason: reason}}
			return p
		}
	}
}

// jobParams are the query parameters of the endpoints that queue jobs.
var jobParams = []string{"time_limit", "seed", "wait"}

// onlyParams answers 400 for a query parameter the endpoint does not take
// (a misspelt time_limit would otherwise be a silent default) or one given
// twice, as an unknown or repeated field of a body is.
func onlyParams(known ...string) echo.MiddlewareFunc {
	takes := "no query parameters"
	if len(known) > 0 {
		takes = "only " + strings.Join(known, ", ")
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			q := c.QueryParams()
			names := make([]string, 0, len(q))
			for name := range q {
				names = append(names, name)
			}
			slices.Sort(names)
			var es roster.FieldErrors
			for _, name := range names {
				path := "query." + name
				switch {
				case !slices.Contains(known, name):
					es = append(es, roster.FieldError{Path: path, Reason: "unknown parameter; this endpoint takes " + takes})
				case len(q[name]) > 1:
					es = append(es, roster.FieldError{Path: path, Reason: "given more than once"})
				}
			}
			if len(es) > 0 {
				return invalid(es, "")
			}
			return next(c)
		}
	}
}

// payload is what a worker needs to run a job.
type payload struct {
	Instance json.RawMessage `json:"instance"`
	Options  JobOptions      `json:"options"`
	// Previous is the plan a re-plan starts from.
	Previous json.RawMessage `json:"previous,omitempty"`
	// StartFrom is a plan of the same day a representative day's solve
	// starts from, its visits free to move (locality.PlanRequest.Previous):
	// not a re-plan, so nothing is checked against it.
	StartFrom json.RawMessage `json:"start_from,omitempty"`
	// FreezeBefore is a re-plan's freeze, RFC 3339 (roster.ParseFreeze).
	FreezeBefore string `json:"freeze_before,omitempty"`
	// Pins are a re-plan's pinned visits (roster.Changes.Pins).
	Pins []roster.Pin `json:"pins,omitempty"`
}

// JobOptions are a solve job's settings, from the submit's query string,
// or for a localities job's representative day from the sizing.
type JobOptions struct {
	TimeLimitMS int64 `json:"time_limit_ms"`
	Seed        int64 `json:"seed"`
	// Iterations, Workers and CarerUsed are a representative day's
	// (locality.PlanRequest); a solve submitted to the API leaves them
	// out.
	Iterations int     `json:"iterations,omitempty"`
	Workers    int     `json:"workers,omitempty"`
	CarerUsed  float64 `json:"carer_used,omitempty"`
}

// submit queues a solve job for the instance in the body. The query may set
// time_limit (a Go duration from 1ms, default 20s), seed (default 1) and wait (a
// duration up to the configured maximum): when the job finishes within the
// wait, the answer is 200 with its plan; otherwise 202 with the job and its
// Location.
func (s *Server) submit(c echo.Context) error {
	opts, wait, err := s.jobQuery(c)
	if err != nil {
		return err
	}
	b, err := body(c)
	if err != nil {
		return err
	}
	if _, err := s.decodeInstance(b, ""); err != nil {
		return err
	}
	return s.enqueue(c, payload{Instance: b, Options: opts}, wait)
}

// jobQuery reads a job's settings from the query string.
func (s *Server) jobQuery(c echo.Context) (JobOptions, time.Duration, error) {
	opts := JobOptions{TimeLimitMS: 20000, Seed: 1}
	q := c.QueryParams()
	if v := q.Get("time_limit"); v != "" {
		d, err := time.ParseDuration(v)
		// A job's limit travels in whole milliseconds, and 0 means the
		// default: less than 1ms would run for 20s.
		if err != nil || d < time.Millisecond || d > s.cfg.MaxTimeLimit {
			return opts, 0, invalidAt("query.time_limit", fmt.Sprintf("want a duration such as 20s, at least 1ms and at most %s", s.cfg.MaxTimeLimit))
		}
		opts.TimeLimitMS = d.Milliseconds()
	}
	if v := q.Get("seed"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return opts, 0, invalidAt("query.seed", "want an integer")
		}
		opts.Seed = n
	}
	var wait time.Duration
	if v := q.Get("wait"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 || d > s.cfg.MaxWait {
			return opts, 0, invalidAt("query.wait", fmt.Sprintf("want a duration from 0 to %s", s.cfg.MaxWait))
		}
		wait = d
	}
	return opts, wait, nil
}

// enqueue queues a job and answers as submit describes.
func (s *Server) enqueue(c echo.Context, job payload, wait time.Duration) error {
	pl, err := json.Marshal(job)
	if err != nil {
		return err
	}
	return s.enqueueRaw(c, pl, wait)
}

// enqueueRaw queues a job of payload pl and answers as submit describes.
func (s *Server) enqueueRaw(c echo.Context, pl []byte, wait time.Duration) error {
	ctx := c.Request().Context()
	j, err := s.cfg.Jobs.Submit(ctx, owner(c), pl)
	if errors.Is(err, jobs.ErrQueueFull) {
		s.submits.WithLabelValues("queue_full").Inc()
		p := newProblem(http.StatusTooManyRequests, typeQueueFull, "Queue full", "the job queue is full; submit again later")
		p.retryAfter = "5"
		return p
	}
	if err != nil {
		return s.unavailable(err)
	}
	s.submits.WithLabelValues("accepted").Inc()
	loc := "/v1/jobs/" + j.ID
	c.Response().Header().Set(echo.HeaderLocation, loc)
	if wait > 0 {
		deadline := time.Now().Add(wait)
		for time.Now().Before(deadline) && !j.Status.Finished() {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(min(100*time.Millisecond, time.Until(deadline))):
			}
			if got, err := s.cfg.Jobs.Get(ctx, owner(c), j.ID); err == nil {
				j = got
			}
		}
		if j.Status.Finished() {
			return c.JSON(http.StatusOK, j)
		}
	}
	return c.JSON(http.StatusAccepted, j)
}

// replanRequest is the body of /v1/replan: the instance as planned, the
// plan, and what changed. Changes are read as strictly as the instance
// their clients and visits join.
type replanRequest struct {
	Instance json.RawMessage `json:"instance"`
	Plan     json.RawMessage `json:"plan"`
	Changes  roster.Changes  `json:"changes,omitempty"`
}

// replan queues a job that re-plans a day after changes: the instance as
// planned, the plan (which must be of that instance: Plan.BelongsTo), and
// what changed (visits added or cancelled, carers off). The new plan keeps
// the old rounds wherever moving a visit does not pay for itself
// (Weights.Moved), and every pinned visit with its carers (and time); a
// pin no plan could honour is a 400 at changes.pins[i]. The query and
// answers are as for submit.
func (s *Server) replan(c echo.Context) error {
	opts, wait, err := s.jobQuery(c)
	if err != nil {
		return err
	}
	var req replanRequest
	if err := decodeBody(c, &req); err != nil {
		return err
	}
	in, plan, err := s.decodeInstanceAndPlan(req.Instance, req.Plan)
	if err != nil {
		return err
	}
	if err := plan.BelongsTo(in); err != nil {
		return invalid(err, "plan")
	}
	changed, err := req.Changes.Apply(in)
	if err != nil {
		return invalid(err, "")
	}
	if err := req.Changes.FreezeConflicts(in, plan); err != nil {
		return invalid(err, "")
	}
	if err := req.Changes.PinConflicts(in, plan); err != nil {
		return invalid(err, "")
	}
	if err := s.withinLimits(changed, ""); err != nil {
		return err
	}
	nb, err := json.Marshal(changed)
	if err != nil {
		return err
	}
	_, err = roster.DecodeInstance(bytes.NewReader(nb))
	if es := roster.NotPlanned(changed); err == nil && len(es) > 0 {
		err = es
	}
	if es := roster.FarPlaceErrors(changed); err == nil && len(es) > 0 {
		err = es
	}
	if err != nil {
		p := invalid(err, "")
		for i := range p.Errors {
			p.Errors[i].Path = req.Changes.RequestPath(p.Errors[i].Path, in, changed, "instance")
		}
		p.Detail = roster.FieldErrors(p.Errors).Error()
		return p
	}
	// The freeze travels as an RFC 3339 time: read again against the
	// changed instance, it means the same moment.
	var freeze string
	if t, _ := req.Changes.Freeze(in); !t.IsZero() {
		freeze = t.Format(time.RFC3339)
	}
	return s.enqueue(c, payload{Instance: nb, Options: opts, Previous: req.Plan, FreezeBefore: freeze, Pins: req.Changes.Pins}, wait)
}

func (s *Server) unavailable(err error) error {
	s.log.Error("job store failed", "err", err)
	p := newProblem(http.StatusServiceUnavailable, typeUnavailable, "Service unavailable", "the job store cannot be reached; try again shortly")
	p.retryAfter = "5"
	return p
}

func (s *Server) notFound(id string) error {
	return newProblem(http.StatusNotFound, typeNotFound, "Not found", "no job "+strconv.Quote(id)+" for this API key")
}

// getJob returns a job's status, progress and, when done, its plan. A job
// of another key is not found.
func (s *Server) getJob(c echo.Context) error { return s.answerJob(c, s.cfg.Jobs.Get) }

// cancelJob stops a job that has not finished; a finished job is returned
// as it is.
func (s *Server) cancelJob(c echo.Context) error { return s.answerJob(c, s.cfg.Jobs.Cancel) }

// answerJob answers with the job op returns for the id in the path.
func (s *Server) answerJob(c echo.Context, op func(ctx context.Context, owner, id string) (*jobs.Job, error)) error {
	id := c.Param("id")
	job, err := op(c.Request().Context(), owner(c), id)
	if errors.Is(err, jobs.ErrNotFound) {
		return s.notFound(id)
	}
	if err != nil {
		return s.unavailable(err)
	}
	return c.JSON(http.StatusOK, job)
}

// validate decodes and validates an instance without solving it.
func (s *Server) validate(c echo.Context) error {
	b, err := body(c)
	if err != nil {
		return err
	}
	in, err := s.decodeInstance(b, "")
	if err != nil {
		return err
	}
	// A period's visits are its dated ones and those its care expands to.
	visits, _, _ := in.PeriodSize()
	return c.JSON(http.StatusOK, map[string]any{
		"valid": true, "visits": visits, "carers": len(in.Carers), "clients": len(in.Clients),
	})
}

// checkRequest is the body of /v1/check: an instance and a plan.
type checkRequest struct {
	Instance json.RawMessage `json:"instance"`
	Plan     json.RawMessage `json:"plan"`
}

// decodeInstanceAndPlan decodes an instance and a plan, each problem's
// path under "instance" or "plan"; the problems of both are listed. A plan
// far larger than any plan of the instance is a 413 (roster.CheckPlanSize).
func (s *Server) decodeInstanceAndPlan(instance, plan json.RawMessage) (*roster.Instance, *roster.Plan, error) {
	in, ierr := s.decodeInstance(instance, "instance")
	p, perr := roster.DecodePlan(bytes.NewReader(plan))
	if perr == nil {
		if ierr == nil {
			if err := roster.CheckPlanSize(in, p); err != nil {
				return nil, nil, tooLarge(err, "")
			}
		}
		return in, p, ierr
	}
	pp := invalid(perr, "plan")
	var ip *Problem
	if !errors.As(ierr, &ip) {
		return nil, nil, pp
	}
	if ip.Status != http.StatusBadRequest {
		// Too large: that comes first.
		return nil, nil, ip
	}
	ip.Errors = append(ip.Errors, pp.Errors...)
	ip.Detail = roster.FieldErrors(ip.Errors).Error()
	return nil, nil, ip
}

// check judges a plan against its instance with the independent checker,
// using the travel the plan was made with.
func (s *Server) check(c echo.Context) error {
	var req checkRequest
	if err := decodeBody(c, &req); err != nil {
		return err
	}
	in, plan, err := s.decodeInstanceAndPlan(req.Instance, req.Plan)
	if err != nil {
		return err
	}
	// The matrices, the cache's copy and the checker's own tables, and the
	// plan and the violations it may hold, in proportion to its text.
	release, err := s.work.acquire(c.Request().Context(), 3*in.MatrixBytes()+16*int64(len(req.Plan)), s.cfg.WorkWait)
	if err != nil {
		return err
	}
	defer release()
	travel, err := s.travelFor(c.Request().Context(), in)
	if err != nil {
		return err
	}
	vs := roster.Check(in, travel, plan)
	total := len(vs)
	if total > maxListedViolations {
		vs = vs[:maxListedViolations]
	}
	if vs == nil {
		vs = []roster.Violation{}
	}
	return c.JSON(http.StatusOK, map[string]any{"ok": total == 0, "violations": vs, "violations_total": total})
}

// maxListedViolations is how many violations a check answer lists; the
// answer also says how many there are in all.
const maxListedViolations = 1000

// travelFor returns the travel an instance is planned and checked with,
// under geo.TravelFor's policy, through the service's matrix cache. Problems
// with the instance's places are a 400 naming their fields; a provider that
// fails (a routing engine that does not answer) is a 502.
func (s *Server) travelFor(ctx context.Context, in *roster.Instance) (roster.Travel, error) {
	ms, err := geo.TravelFor(ctx, s.cfg.Matrices, in)
	if err != nil {
		return nil, travelProblem(err)
	}
	return ms, nil
}

// travelProblem turns a travel failure into a problem: field errors are
// the caller's to fix (400); anything else is the provider's (502).
func travelProblem(err error) error {
	var fes roster.FieldErrors
	if errors.As(err, &fes) {
		return invalid(fes, "")
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	return newProblem(http.StatusBadGateway, typeTravel, "Travel unavailable", "the travel provider failed: "+err.Error())
}

// matrixRequest is the body of /v1/matrix.
type matrixRequest struct {
	Mode      roster.Mode       `json:"mode"`
	Locations []roster.Location `json:"locations"`
}

// matrix computes the travel matrix between locations by one mode, from
// the cache when it holds it.
func (s *Server) matrix(c echo.Context) error {
	var req matrixRequest
	if err := decodeBody(c, &req); err != nil {
		return err
	}
	if !req.Mode.Valid() {
		return invalidAt("mode", fmt.Sprintf("want one of %v, got %q", roster.Modes, req.Mode))
	}
	switch n := len(req.Locations); {
	case n == 0:
		return invalidAt("locations", "want at least one location")
	case n > s.cfg.MaxMatrixPoints:
		return tooLarge(&roster.TooLargeError{FieldErrors: roster.FieldErrors{{Path: "locations",
			Reason: fmt.Sprintf("at most %d locations in one matrix, got %d", s.cfg.MaxMatrixPoints, n)}}}, "")
	}
	var es roster.FieldErrors
	for i, l := range req.Locations {
		es = append(es, roster.LocationErrors(fmt.Sprintf("locations[%d]", i), l)...)
	}
	if len(es) > 0 {
		return invalid(es, "")
	}
	// The matrix, the cache's copy and the answer's encoding.
	release, err := s.work.acquire(c.Request().Context(), 3*roster.MatrixBytes(len(req.Locations), 1), s.cfg.WorkWait)
	if err != nil {
		return err
	}
	defer release()
	ctx, cancel := context.WithTimeout(c.Request().Context(), time.Minute)
	defer cancel()
	m, res, err := s.cfg.Matrices.Lookup(ctx, req.Locations, req.Mode)
	if err != nil {
		var places geo.PlaceErrors
		var mode *road.UnsupportedModeError
		switch {
		case errors.As(err, &places):
			return invalid(places.FieldErrors(req.Locations, func(i int) string { return fmt.Sprintf("locations[%d]", i) }), "")
		case errors.As(err, &mode):
			return invalidAt("mode", mode.Error())
		}
		return travelProblem(err)
	}
	c.Response().Header().Set("X-Matrix-Cache", string(res))
	return writeMatrix(c, req.Mode, s.cfg.Matrices.Source(), res, m)
}

// writeMatrix writes a matrix answer as it encodes it, row by row, rather
// than building the whole document in memory first: a 2,000-point answer
// is some 50 MB of JSON.
func writeMatrix(c echo.Context, mode roster.Mode, src roster.TravelSource, res matrixcache.Result, m *geo.Matrix) error {
	head, err := json.Marshal(map[string]any{"mode": mode, "source": src, "cache": res})
	if err != nil {
		return err
	}
	w := c.Response()
	w.Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.Write(head[:len(head)-1])
	buf := make([]byte, 0, 16)
	for _, grid := range []struct {
		name string
		vals []int32
	}{{"durations_s", m.DurS}, {"distances_m", m.DistM}} {
		fmt.Fprintf(bw, ",%q:[", grid.name)
		for i := 0; i < m.N; i++ {
			if i > 0 {
				bw.WriteByte(',')
			}
			bw.WriteByte('[')
			for j, v := range grid.vals[i*m.N : (i+1)*m.N] {
				if j > 0 {
					bw.WriteByte(',')
				}
				bw.Write(strconv.AppendInt(buf[:0], int64(v), 10))
			}
			bw.WriteByte(']')
		}
		bw.WriteByte(']')
	}
	bw.WriteString("}\n")
	return bw.Flush()
}
