package roster

import (
	"errors"
	"fmt"
	"testing"
)

// TestFieldErrorsOf checks that field errors are found however they are
// wrapped, and that an error without fields carries none.
func TestFieldErrorsOf(t *testing.T) {
	list := FieldErrors{{Path: "a", Reason: "x"}, {Path: "b", Reason: "y"}}
	one := FieldError{Path: "c", Reason: "z"}
	cases := []struct {
		name string
		err  error
		want FieldErrors
		ok   bool
	}{
		{"a list", list, list, true},
		{"a wrapped list", fmt.Errorf("reading: %w", list), list, true},
		{"one", one, FieldErrors{one}, true},
		{"one wrapped", fmt.Errorf("reading: %w", one), FieldErrors{one}, true},
		{"none", errors.New("disk full"), nil, false},
	}
	for _, c := range cases {
		got, ok := FieldErrorsOf(c.err)
		if ok != c.ok || fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: %v %v, want %v %v", c.name, got, ok, c.want, c.ok)
		}
	}
}
