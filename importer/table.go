package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// File is one CSV file to read: its name as errors give it ("care.csv")
// and its content.
type File struct {
	Name string
	R    io.Reader
}

// DefaultMaxRows bounds the data rows of one file when Options.MaxRows is
// 0: a locality's carers, clients or calls number in the hundreds.
const DefaultMaxRows = 50_000

// table is a CSV file as read: its columns by canonical name and its rows.
type table struct {
	file string
	cols map[string]int
	rows []row
}

// row is one data record and the line it starts on.
type row struct {
	line  int
	cells []string
}

// schema is what a file takes: its columns' canonical names, and other
// spellings of some of them.
type schema struct {
	columns []string
	aliases map[string]string
}

// canonical is the column a header names, or "" for one the file does not
// take. Headers are matched case-blind, with spaces and hyphens read as
// underscores ("Start Postcode" is start_postcode).
func (s schema) canonical(header string) string {
	h := headerKey(header)
	if a, ok := s.aliases[h]; ok {
		return a
	}
	for _, c := range s.columns {
		if c == h {
			return c
		}
	}
	return ""
}

// headerKey is a header cell lower case, its runs of spaces, hyphens and
// underscores made one underscore.
func headerKey(h string) string {
	f := strings.FieldsFunc(strings.ToLower(h), func(r rune) bool { return r == ' ' || r == '-' || r == '_' || r == '\t' })
	return strings.Join(f, "_")
}

// readTable reads a CSV file against its schema. A header the file does not
// take, or one given twice, is a problem at row 1; so is a malformed line
// (which ends the reading), a row whose cell count differs from the
// header's, and text that is not UTF-8. Rows whose every cell is blank are
// skipped. ok is false when the file could not be read at all.
func readTable(f File, sc schema, maxRows int, c *collector) (t *table, ok bool) {
	if f.R == nil {
		c.add(f.Name, 0, "", "missing; the file is needed")
		return nil, false
	}
	r := csvReader(f.R, 4096)
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if err == io.EOF {
		c.add(f.Name, 0, "", "the file is empty; want a header row")
		return nil, false
	}
	if err != nil {
		c.add(f.Name, csvLine(err, 1), "", "%s", csvReason(err))
		return nil, false
	}
	t = &table{file: f.Name, cols: map[string]int{}}
	ok = true
	for i, h := range header {
		h = strings.TrimSpace(h)
		switch name := sc.canonical(h); {
		case !utf8.ValidString(h):
			c.add(f.Name, 1, "", "header %d is not UTF-8 text; save the file as CSV UTF-8", i+1)
			ok = false
		case h == "":
			c.add(f.Name, 1, "", "column %d has no name", i+1)
			ok = false
		case name == "":
			c.add(f.Name, 1, headerKey(h), "unknown column; %s takes %s", f.Name, strings.Join(sc.columns, ", "))
			ok = false
		default:
			if _, dup := t.cols[name]; dup {
				c.add(f.Name, 1, name, "the column is given twice")
				ok = false
			}
			t.cols[name] = i
		}
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			c.add(f.Name, csvLine(err, 0), "", "%s", csvReason(err))
			return t, false
		}
		line, _ := r.FieldPos(0)
		if blank(rec) {
			continue
		}
		if len(rec) != len(header) {
			c.add(f.Name, line, "", "%d cells, but the header has %d columns", len(rec), len(header))
			continue
		}
		good := true
		for i, cell := range rec {
			if !utf8.ValidString(cell) {
				c.add(f.Name, line, columnAt(t, sc, header, i), "not UTF-8 text; save the file as CSV UTF-8")
				good = false
			}
			rec[i] = strings.TrimSpace(cell)
		}
		if !good {
			continue
		}
		if len(t.rows) == maxRows {
			c.add(f.Name, line, "", "more than %d rows; the file is too large to import at once", maxRows)
			return t, false
		}
		t.rows = append(t.rows, row{line: line, cells: rec})
	}
	return t, ok
}

// csvReader reads r's records, with bufSize bytes of buffer, past the
// byte-order mark that spreadsheets often write first; records may have
// any number of fields.
func csvReader(r io.Reader, bufSize int) *csv.Reader {
	br := bufio.NewReaderSize(r, bufSize)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3) //nolint:errcheck // the bytes were peeked
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	return cr
}

// columnAt names the column of cell i for an error.
func columnAt(t *table, sc schema, header []string, i int) string {
	if name := sc.canonical(header[i]); name != "" {
		return name
	}
	return headerKey(header[i])
}

// blank reports whether every cell of a record is empty or spaces.
func blank(rec []string) bool {
	for _, s := range rec {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

// csvLine is the line a CSV parse error is on, or def.
func csvLine(err error, def int) int {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if pe.StartLine > 0 {
			return pe.StartLine
		}
		return pe.Line
	}
	return def
}

// csvReason says what is wrong with a malformed line.
func csvReason(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		switch {
		case errors.Is(pe.Err, csv.ErrQuote):
			return "not valid CSV: a quote is never closed, or a cell has a stray quote in it"
		case errors.Is(pe.Err, csv.ErrBareQuote):
			return "not valid CSV: a quote inside a cell that is not quoted"
		}
		return "not valid CSV: " + pe.Err.Error()
	}
	return "reading the file: " + err.Error()
}

// has reports whether the table has a column.
func (t *table) has(col string) bool {
	_, ok := t.cols[col]
	return ok
}

// get is a row's cell in a column, "" when the table has no such column.
func (t *table) get(r row, col string) string {
	i, ok := t.cols[col]
	if !ok {
		return ""
	}
	return r.cells[i]
}
