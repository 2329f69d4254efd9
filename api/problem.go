package api

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rounds-dev/rounds/roster"
)

// Problem is an error answer in the form of RFC 9457 (problem details),
// sent as application/problem+json. Errors lists each problem with the
// input by field path, as the CLI prints them.
type Problem struct {
	Type     string              `json:"type"`
	Title    string              `json:"title"`
	Status   int                 `json:"status"`
	Detail   string              `json:"detail,omitempty"`
	Instance string              `json:"instance,omitempty"`
	Errors   []roster.FieldError `json:"errors,omitempty"`

	retryAfter string
}

func (p *Problem) Error() string { return p.Title + ": " + p.Detail }

// problemTypes are the problem type URIs, relative to the API's own
// documentation; each names a kind of failure a client can act on.
const (
	typeInvalid     = "/problems/invalid-input"
	typeUnauth      = "/problems/unauthorised"
	typeForbidden   = "/problems/forbidden"
	typeNotFound    = "/problems/not-found"
	typeTooLarge    = "/problems/too-large"
	typeMethod      = "/problems/method-not-allowed"
	typeMedia       = "/problems/unsupported-media-type"
	typeQueueFull   = "/problems/queue-full"
	typeRateLimited = "/problems/rate-limited"
	typeUnavailable = "/problems/unavailable"
	typeTravel      = "/problems/travel-unavailable"
	typeBusy        = "/problems/busy"
	typeInternal    = "/problems/internal"
	typeHTTP        = "about:blank"
)

func newProblem(status int, typ, title, detail string) *Problem {
	return &Problem{Type: typ, Title: title, Status: status, Detail: detail}
}

// invalid turns a decoding or validation error into a 400 problem listing
// its field errors, each path under prefix ("instance", "plan", or "").
func invalid(err error, prefix string) *Problem {
	p := newProblem(http.StatusBadRequest, typeInvalid, "Invalid input", "")
	var fes roster.FieldErrors
	if errors.As(err, &fes) {
		for _, fe := range fes {
			path := fe.Path
			switch {
			case prefix == "":
			case path == "":
				path = prefix
			default:
				path = prefix + "." + path
			}
			p.Errors = append(p.Errors, roster.FieldError{Path: path, Reason: fe.Reason})
		}
		p.Detail = fes.Error()
		if prefix != "" && len(fes) == 1 {
			p.Detail = p.Errors[0].Error()
		}
		return p
	}
	var fe roster.FieldError
	if errors.As(err, &fe) {
		return invalidAt(prefixed(prefix, fe.Path), fe.Reason)
	}
	p.Detail = err.Error()
	return p
}

func prefixed(prefix, path string) string {
	switch {
	case prefix == "":
		return path
	case path == "":
		return prefix
	}
	return prefix + "." + path
}

// invalidAt is a 400 problem with one field error.
func invalidAt(path, reason string) *Problem {
	p := newProblem(http.StatusBadRequest, typeInvalid, "Invalid input", roster.FieldError{Path: path, Reason: reason}.Error())
	p.Errors = []roster.FieldError{{Path: path, Reason: reason}}
	return p
}

// errorHandler writes every error as a problem: the API's own problems as
// they are, Echo's (404 for unknown routes, 405, 413 from the body limit,
// 405 with its Allow header, 429 from the rate limiter) mapped to their types, and anything else as a
// 500 that says nothing of the cause.
func (s *Server) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	var p *Problem
	var he *echo.HTTPError
	switch {
	case errors.As(err, &p):
	case errors.As(err, &he):
		p = newProblem(he.Code, typeHTTP, http.StatusText(he.Code), "")
		if msg, ok := he.Message.(string); ok && msg != http.StatusText(he.Code) {
			p.Detail = msg
		}
		switch he.Code {
		case http.StatusNotFound:
			p.Type, p.Detail = typeNotFound, "no such endpoint: "+c.Request().Method+" "+c.Request().URL.Path
		case http.StatusMethodNotAllowed:
			p.Type, p.Detail = typeMethod, c.Request().Method+" is not allowed on "+c.Request().URL.Path+"; the Allow header lists the methods that are"
		case http.StatusRequestEntityTooLarge:
			p.Type, p.Detail = typeTooLarge, "the request body is larger than the "+s.cfg.MaxBody+" this service accepts"
		case http.StatusTooManyRequests:
			p.Type, p.Detail, p.retryAfter = typeRateLimited, "too many requests for this API key; slow down", "1"
		case http.StatusUnauthorized:
			p.Type = typeUnauth
		case http.StatusForbidden:
			p.Type = typeForbidden
		}
	default:
		s.log.Error("request failed", "method", c.Request().Method, "route", c.Path(), "err", err)
		p = newProblem(http.StatusInternalServerError, typeInternal, "Internal error", "the service failed to answer; the failure has been logged")
	}
	p.Instance = c.Request().URL.Path
	if p.retryAfter != "" {
		c.Response().Header().Set("Retry-After", p.retryAfter)
	}
	c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
	c.Response().WriteHeader(p.Status)
	_ = c.Echo().JSONSerializer.Serialize(c, p, "")
}
