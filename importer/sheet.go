package importer

import "github.com/rounds-dev/rounds/roster"

// This file opens the importer's reading of CSV files to other readers of
// care data (package locality's demand CSV), so that their files are read,
// placed and reported on exactly as a team's are: headers matched
// case-blind and unknown ones refused, problems as RowErrors collected up
// to MaxErrors, and places found through the same lookups.

// Problems collects the problems of a read, up to MaxErrors. The zero
// value is ready to use.
type Problems struct{ c collector }

// Add records a problem in file at line row and column, unless the list
// is full.
func (p *Problems) Add(file string, row int, column, format string, args ...any) {
	p.c.add(file, row, column, format, args...)
}

// Err is the problems as Errors, or nil when there are none.
func (p *Problems) Err() error { return p.c.err() }

// Columns is what a CSV file takes: its columns' names, and other
// spellings of some of them (alias to name).
type Columns struct {
	Names   []string
	Aliases map[string]string
}

// Table is a CSV file read against its columns.
type Table struct {
	t *table
	p *Problems
}

// ReadTable reads a CSV file against its columns: a header the file does
// not take, or one given twice, is a problem at row 1; so is a malformed
// line, a row whose cell count differs from the header's, and text that
// is not UTF-8; blank rows are skipped; more than maxRows data rows (0:
// DefaultMaxRows) is a problem. ok is false when the file could not be
// read whole; t is nil when it could not be read at all.
func ReadTable(f File, cols Columns, maxRows int, p *Problems) (t *Table, ok bool) {
	if maxRows <= 0 {
		maxRows = DefaultMaxRows
	}
	tb, ok := readTable(f, schema{columns: cols.Names, aliases: cols.Aliases}, maxRows, &p.c)
	if tb == nil {
		return nil, false
	}
	return &Table{t: tb, p: p}, ok
}

// Has reports whether the file has a column.
func (t *Table) Has(col string) bool { return t.t.has(col) }

// Len is the number of data rows.
func (t *Table) Len() int { return len(t.t.rows) }

// Row is data row i, whose cells report their problems to the table's
// Problems.
func (t *Table) Row(i int) *Row {
	return &Row{x: cells{t: t.t, r: t.t.rows[i], c: &t.p.c}}
}

// Row reads the cells of one row, each problem a RowError at the row's
// line and the cell's column.
type Row struct{ x cells }

// Line is the line the row starts on (the header is line 1).
func (r *Row) Line() int { return r.x.r.line }

// Bad reports whether any cell of the row has been at fault.
func (r *Row) Bad() bool { return r.x.bad }

// Get is the cell in a column, trimmed; "" when blank or the file has no
// such column.
func (r *Row) Get(col string) string { return r.x.get(col) }

// Fail records a problem at a column of the row.
func (r *Row) Fail(col, format string, args ...any) { r.x.fail(col, format, args...) }

// Required is a cell that must not be blank; what says what it holds.
func (r *Row) Required(col, what string) string { return r.x.required(col, what) }

// List is a ";"-separated cell, its blank items dropped.
func (r *Row) List(col string) []string { return r.x.list(col) }

// Integer is a whole number from lo to hi; a blank cell is def.
func (r *Row) Integer(col string, lo, hi, def int) int { return r.x.integer(col, lo, hi, def) }

// Number is a decimal number from lo to hi; a blank cell is 0.
func (r *Row) Number(col string, lo, hi float64) float64 { return r.x.number(col, lo, hi) }

// Boolean is yes/no, true/false, y/n or 1/0, case-blind; blank is false.
func (r *Row) Boolean(col string) bool { return r.x.boolean(col) }

// Places finds the places of rows from their lat and lon, else their
// postcode looked up in a postcode file in the shape of the ONS Postcode
// Directory, else their address looked up in Addresses: Add each row's
// place, then Find them all. The postcode file is read once, for the
// postcodes the rows give. Problems never repeat a postcode or a place.
type Places struct {
	// Postcodes, when its reader is not nil, is the postcode file.
	Postcodes File
	// Addresses, when not nil, places rows by their address.
	Addresses Addresses
	refs      []placeRef
	column    string
}

// Add asks for the place of a row given in its lat, lon, postcode and
// (when the file takes one) address columns, to be written to dst when
// found. dst must stay put until Find.
func (p *Places) Add(r *Row, dst *roster.Location) {
	pc := clientPlace
	if !r.x.t.has(pc.address) {
		pc.address = ""
	}
	p.refs = append(p.refs, readPlace(r.x.t, r.x.r, pc, dst, &p.column))
}

// Find places every row added, recording a problem at each row it cannot
// place.
func (p *Places) Find(pr *Problems) {
	pl := &placer{addresses: p.Addresses}
	if f := p.Postcodes; f.R != nil {
		pl.postcodesName = f.Name
		if wanted := wantedPostcodes(p.refs); len(wanted) > 0 {
			pl.postcodes = readPostcodes(f, wanted, &pr.c)
		}
	}
	for _, ref := range p.refs {
		pl.place(ref, &pr.c)
	}
}
