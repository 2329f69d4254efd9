package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/rounds-dev/rounds/export"
	"github.com/rounds-dev/rounds/geo/road"
)

// StreetMap is the road network the service was started with: its paths
// draw exported rounds along the streets, its streets are the board's map.
// *road.Network is one.
type StreetMap interface {
	export.Paths
	// Streets returns the streets in a box, simplified to its scale, or a
	// *road.TooManyPointsError past maxPoints.
	Streets(bound orb.Bound, maxPoints int) ([]road.Street, error)
}

var _ StreetMap = (*road.Network)(nil)

// maxStreetPoints bounds the points of one /v1/streets answer (about
// 0.5 MB of GeoJSON).
const maxStreetPoints = 20000

// exportFormats are the forms /v1/export writes: media type and file name
// extension of each.
var exportFormats = map[string]struct{ media, name string }{
	"csv":            {"text/csv; charset=utf-8", "stops-%s.csv"},
	"geojson":        {"application/geo+json", "rounds-%s.geojson"},
	"runsheets-csv":  {"text/csv; charset=utf-8", "runsheets-%s.csv"},
	"runsheets-html": {"text/html; charset=utf-8", "runsheets-%s.html"},
}

// exportPlan writes a plan as a file to download: its stops as CSV, its
// rounds as GeoJSON (along the streets when the plan was made on the
// service's road network), or the run sheets of one date as CSV or a page
// to print.
func (s *Server) exportPlan(c echo.Context) error {
	q := c.QueryParams()
	format := q.Get("format")
	kind, ok := exportFormats[format]
	if !ok {
		names := make([]string, 0, len(exportFormats))
		for k := range exportFormats {
			names = append(names, k)
		}
		slices.Sort(names)
		return invalidAt("query.format", fmt.Sprintf("want one of %s, got %q", strings.Join(names, ", "), format))
	}
	date := q.Get("date")
	sheets := strings.HasPrefix(format, "runsheets-")
	if q.Has("date") && !sheets {
		return invalidAt("query.date", "only run sheets are for one date; format "+format+" writes the whole plan")
	}
	var req checkRequest
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
	var buf bytes.Buffer
	switch format {
	case "csv":
		err = export.StopsCSV(&buf, in, plan)
	case "runsheets-csv":
		err = export.RunSheetsCSV(&buf, in, plan, date)
	case "runsheets-html":
		err = export.RunSheetsHTML(&buf, in, plan, date)
	default:
		var paths export.Paths
		if s.cfg.Streets != nil {
			paths = s.cfg.Streets
		}
		var fc *geojson.FeatureCollection
		if fc, err = export.GeoJSON(in, plan, paths); err == nil {
			err = json.NewEncoder(&buf).Encode(fc)
		}
	}
	var de *export.DateError
	switch {
	case errors.As(err, &de):
		return invalidAt("query.date", de.Reason)
	case err != nil:
		// What BelongsTo lets through and an export still cannot write: a
		// leg the road network cannot route, most likely.
		return invalidAt("plan", err.Error())
	}
	if date == "" {
		date = in.PeriodOf().Start
	}
	c.Response().Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, fmt.Sprintf(kind.name, date)))
	return c.Blob(http.StatusOK, kind.media, buf.Bytes())
}

// streets answers the streets of the service's road network in a box, as
// GeoJSON lines with their highway class: the board's map. With no network
// the answer is empty and says so in X-Rounds-Streets.
func (s *Server) streets(c echo.Context) error {
	bound, err := parseBBox(c.QueryParams().Get("bbox"))
	if err != nil {
		return invalidAt("query.bbox", err.Error())
	}
	fc := geojson.NewFeatureCollection()
	if s.cfg.Streets == nil {
		c.Response().Header().Set("X-Rounds-Streets", "none")
	} else {
		streets, err := s.cfg.Streets.Streets(bound, maxStreetPoints)
		var tm *road.TooManyPointsError
		if errors.As(err, &tm) {
			return invalidAt("query.bbox", fmt.Sprintf("the streets in this box take more than %d points even simplified; ask for a smaller box", tm.Max))
		}
		if err != nil {
			return err
		}
		for _, st := range streets {
			f := geojson.NewFeature(st.Line)
			f.Properties = geojson.Properties{"highway": st.Highway}
			fc.Append(f)
		}
	}
	b, err := json.Marshal(fc)
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "application/geo+json", b)
}

// parseBBox reads a box as minlon,minlat,maxlon,maxlat in WGS84 degrees.
func parseBBox(v string) (orb.Bound, error) {
	if v == "" {
		return orb.Bound{}, errors.New("missing; want minlon,minlat,maxlon,maxlat in degrees")
	}
	parts := strings.Split(v, ",")
	if len(parts) != 4 {
		return orb.Bound{}, fmt.Errorf("want four numbers minlon,minlat,maxlon,maxlat, got %d", len(parts))
	}
	var x [4]float64
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return orb.Bound{}, fmt.Errorf("%q is not a number", p)
		}
		x[i] = f
	}
	b := orb.Bound{Min: orb.Point{x[0], x[1]}, Max: orb.Point{x[2], x[3]}}
	switch {
	case math.Abs(x[0]) > 180 || math.Abs(x[2]) > 180:
		return b, errors.New("longitudes run from -180 to 180")
	case math.Abs(x[1]) > 90 || math.Abs(x[3]) > 90:
		return b, errors.New("latitudes run from -90 to 90")
	case x[0] >= x[2] || x[1] >= x[3]:
		return b, errors.New("want the south-west corner first: minlon < maxlon and minlat < maxlat")
	}
	return b, nil
}
