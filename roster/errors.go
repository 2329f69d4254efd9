package roster

import (
	"errors"
	"fmt"
	"strings"
)

// FieldError is one problem with the input, at a field path such as
// "visits[12].windows[0].end".
type FieldError struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

func (e FieldError) Error() string {
	if e.Path == "" {
		return e.Reason
	}
	return e.Path + ": " + e.Reason
}

// FieldErrors is every problem found in one input. It is returned as an
// error only when it holds at least one problem.
type FieldErrors []FieldError

func (es FieldErrors) Error() string { return ProblemList(es) }

// FieldErrorsOf are the field errors err carries, wrapped or not: its
// FieldErrors, or its one FieldError; ok is false when it carries none.
func FieldErrorsOf(err error) (es FieldErrors, ok bool) {
	if errors.As(err, &es) {
		return es, true
	}
	var fe FieldError
	if errors.As(err, &fe) {
		return FieldErrors{fe}, true
	}
	return nil, false
}

// ProblemList writes a list of problems as one message: the one problem
// alone, or their count and then a line each.
func ProblemList[E error](es []E) string {
	switch len(es) {
	case 0:
		return "no problems"
	case 1:
		return es[0].Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d problems:", len(es))
	for _, e := range es {
		b.WriteString("\n  ")
		b.WriteString(e.Error())
	}
	return b.String()
}

// add appends a problem at path with a formatted reason.
func (es *FieldErrors) add(path, format string, args ...any) {
	*es = append(*es, FieldError{Path: path, Reason: fmt.Sprintf(format, args...)})
}

// err returns es as an error, or nil when it is empty.
func (es FieldErrors) err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}
