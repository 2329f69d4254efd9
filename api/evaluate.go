package api

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rounds-dev/rounds/optimiser"
	"github.com/rounds-dev/rounds/roster"
)

// evaluateRequest is the body of /v1/evaluate: an instance and a rota of
// it arranged by hand (roster.Skeleton's rounds).
type evaluateRequest struct {
	Instance json.RawMessage        `json:"instance"`
	Rounds   []roster.SkeletonRound `json:"rounds"`
}

// evaluate times a rota arranged by hand, as the coordinator's board
// sends it after each change, and judges it: the plan the optimiser's own
// schedule makes of it (optimiser.Evaluate), with its rounds in the
// order sent, and every rule it breaks (roster.Check), each at the path
// of the round or stop at fault. A rule broken is no error; a rota that
// cannot be read against the instance (an unknown carer or visit, a visit
// given too many carers, a shift the carer does not have) is a 400 naming
// the field under rounds. It runs at once, within the memory budget, as a
// check does.
func (s *Server) evaluate(c echo.Context) error {
	var req evaluateRequest
	if err := decodeBody(c, &req); err != nil {
		return err
	}
	in, err := s.decodeInstance(req.Instance, "instance")
	if err != nil {
		return err
	}
	sk := &roster.Skeleton{Rounds: req.Rounds}
	// The rota is read before any travel is computed for it.
	x, err := roster.Expand(in)
	if err != nil {
		return invalid(err, "instance")
	}
	if _, err := sk.Read(in, x); err != nil {
		return invalid(err, "")
	}
	// The matrices, the cache's copy and the problem's own tables, and the
	// plan and its violations, in proportion to the instance's visits.
	visits, _, _ := in.PeriodSize()
	release, err := s.work.acquire(c.Request().Context(), 3*in.MatrixBytes()+4096*int64(visits), s.cfg.WorkWait)
	if err != nil {
		return err
	}
	defer release()
	ctx := c.Request().Context()
	travel, err := s.travelFor(ctx, in)
	if err != nil {
		return err
	}
	plan, err := optimiser.Evaluate(ctx, in, travel, sk)
	var fes roster.FieldErrors
	switch {
	case errors.As(err, &fes):
		return invalid(fes, "")
	case err != nil:
		return err
	}
	vs := roster.Check(in, travel, plan)
	total := len(vs)
	if total > maxListedViolations {
		vs = vs[:maxListedViolations]
	}
	return c.JSON(http.StatusOK, map[string]any{"plan": plan, "violations": vs, "violations_total": total})
}
