package api

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/rounds-dev/rounds/importer"
	"github.com/rounds-dev/rounds/roster"
)

// importMaxRows bounds the data rows of each file an import sends; the
// body limit bounds its bytes.
const importMaxRows = 20_000

// importFiles are the file parts of an import and whether each is needed;
// importFields its text parts.
var (
	importFiles  = map[string]bool{"carers": true, "clients": true, "care": true, "postcodes": false}
	importFields = map[string]bool{"start": true, "days": true, "time_zone": true, "name": true}
)

// multipartBody answers 415 unless the request is multipart/form-data with
// a boundary. A web page may post a form across origins without asking,
// which is why the JSON endpoints refuse forms; an import changes nothing
// on the service and its answer cannot be read across origins, so a form
// is safe here.
func multipartBody(next echo.HandlerFunc) echo.HandlerFunc {
	return mediaType("multipart/form-data", "the CSV files as a form", func(mt string, params map[string]string) string {
		switch {
		case mt != "multipart/form-data":
			return fmt.Sprintf("want multipart/form-data, got %s", mt)
		case params["boundary"] == "":
			return "multipart/form-data without a boundary"
		}
		return ""
	})(next)
}

// importCSV reads a team's CSV files, sent as a multipart form, into an
// instance (package importer): 200 with the instance, or 400 naming each
// problem as "care.csv[12].time" (the file, its line, the column) or the
// form field at fault.
func (s *Server) importCSV(c echo.Context) error {
	files, fields, es, err := readForm(c, importFiles, importFields,
		"the files carers, clients, care and postcodes, and the fields start, days, time_zone and name")
	if err != nil {
		return err
	}
	for name, needed := range importFiles {
		if _, ok := files[name]; needed && !ok {
			es = append(es, roster.FieldError{Path: name, Reason: "missing; send the " + name + " CSV file"})
		}
	}
	opts := importer.Options{Start: fields["start"], TimeZone: fields["time_zone"], Name: fields["name"],
		Addresses: s.cfg.Addresses, MaxRows: importMaxRows}
	if d, ok := fields["days"]; ok && d != "" {
		n, err := strconv.Atoi(d)
		if err != nil {
			es = append(es, roster.FieldError{Path: "days", Reason: fmt.Sprintf("%q is not a whole number", d)})
		}
		opts.Days = n
	}
	if len(es) > 0 {
		slices.SortStableFunc(es, func(a, b roster.FieldError) int { return strings.Compare(a.Path, b.Path) })
		return invalid(es, "")
	}
	file := func(name string) importer.File {
		return importer.File{Name: name + ".csv", R: bytes.NewReader(files[name])}
	}
	if _, ok := files["postcodes"]; ok {
		opts.Postcodes = file("postcodes")
	}
	in, err := importer.Read(file("carers"), file("clients"), file("care"), opts)
	if err != nil {
		var ies importer.Errors
		if errors.As(err, &ies) {
			return invalid(ies.FieldErrors(), "")
		}
		return err
	}
	return c.JSON(http.StatusOK, in)
}

// readForm reads a multipart form of the files and text fields given
// (each name mapped to whether it is needed; readForm itself reports only
// the parts it does not take and parts given twice), takes naming them for
// the problem of an unknown part. A form that cannot be read is an error;
// problems with its parts are es, for the caller to add its own to.
func readForm(c echo.Context, fileParts, fieldParts map[string]bool, takes string) (files map[string][]byte, fields map[string]string, es roster.FieldErrors, err error) {
	mr, err := c.Request().MultipartReader()
	if err != nil {
		return nil, nil, nil, invalidAt("body", "not a multipart form: "+err.Error())
	}
	files, fields = map[string][]byte{}, map[string]string{}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, nil, formError(err)
		}
		name := part.FormName()
		_, isFile := fileParts[name]
		_, isField := fieldParts[name]
		_, seenFile := files[name]
		_, seenField := fields[name]
		switch {
		case name == "":
			es = append(es, roster.FieldError{Path: "body", Reason: "a form part without a name"})
		case !isFile && !isField:
			es = append(es, roster.FieldError{Path: name, Reason: "unknown form field; this endpoint takes " + takes})
		case seenFile || seenField:
			es = append(es, roster.FieldError{Path: name, Reason: "given more than once"})
		}
		b, err := io.ReadAll(part)
		part.Close()
		if err != nil {
			return nil, nil, nil, formError(err)
		}
		switch {
		case isFile:
			files[name] = b
		case isField:
			fields[name] = strings.TrimSpace(string(b))
		}
	}
	return files, fields, es, nil
}

// formError is the answer for a form that cannot be read: the body limit's
// 413, or a 400.
func formError(err error) error {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return he
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge)
	}
	if errors.Is(err, multipart.ErrMessageTooLarge) {
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge)
	}
	return invalidAt("body", "not a readable multipart form: "+err.Error())
}
