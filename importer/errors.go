package importer

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/rounds-dev/rounds/roster"
)

// RowError is one problem with the input: in File (e.g. "care.csv") at line
// Row, where the header is line 1 and a quoted cell that runs over several
// lines puts the record at the line it starts on, in the column named
// Column. Row is 0 for a problem with the whole file, and Column is empty
// for one with the whole row. A problem with an option (the period's start,
// its days, the time zone) has no File and names the option as its Column.
type RowError struct {
	File   string
	Row    int
	Column string
	Reason string
}

// Error reads "care.csv:12:time: \"25:99\" is not a time".
func (e RowError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Row > 0 {
			b.WriteString(":" + strconv.Itoa(e.Row))
		}
		b.WriteString(":")
	}
	if e.Column != "" {
		b.WriteString(e.Column + ":")
	}
	if b.Len() > 0 {
		b.WriteString(" ")
	}
	return b.String() + e.Reason
}

// Path is the problem's place as a field path, "care.csv[12].time", for the
// API's problem+json: the file, the line in brackets, then the column.
func (e RowError) Path() string {
	p := e.File
	if e.Row > 0 {
		p += "[" + strconv.Itoa(e.Row) + "]"
	}
	switch {
	case e.Column == "":
	case p == "":
		p = e.Column
	default:
		p += "." + e.Column
	}
	return p
}

// MaxErrors is the most problems Read lists; past it, it stops looking and
// says so in a last entry.
const MaxErrors = 100

// Errors is every problem Read found, in the order of the files and their
// lines. It is returned as an error only when it holds at least one.
type Errors []RowError

func (es Errors) Error() string { return roster.ProblemList(es) }

// FieldErrors turns the list into the field errors the API answers with,
// each at its Path.
func (es Errors) FieldErrors() roster.FieldErrors {
	out := make(roster.FieldErrors, len(es))
	for i, e := range es {
		out[i] = roster.FieldError{Path: e.Path(), Reason: e.Reason}
	}
	return out
}

// collector gathers problems up to MaxErrors.
type collector struct {
	list Errors
	full bool
}

// add records a problem with a formatted reason, unless the list is full.
func (c *collector) add(file string, row int, column, format string, args ...any) {
	if c.full {
		return
	}
	if len(c.list) == MaxErrors {
		c.full = true
		c.list = append(c.list, RowError{Reason: fmt.Sprintf("more than %d problems; the first %d are listed", MaxErrors, MaxErrors)})
		return
	}
	c.list = append(c.list, RowError{File: file, Row: row, Column: column, Reason: fmt.Sprintf(format, args...)})
}

// err is the list as an error, or nil when it is empty.
func (c *collector) err() error {
	if len(c.list) == 0 {
		return nil
	}
	return c.list
}
