// Package export writes a plan in the forms people and other tools read:
// one CSV row per stop; GeoJSON (RFC 7946) for QGIS and Leaflet, with the
// stops as points and the rounds as lines, along the streets when the plan
// was made on a road network; and each carer's run sheet for a day, as CSV
// and as a printable page. All read the plan's times and legs as stated
// (roster.Check judges those) and the instance for where people are and
// what each call needs.
package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/rounds-dev/rounds/roster"
)

// StopColumns are the columns of StopsCSV, in order.
var StopColumns = []string{
	"date", "carer", "mode", "shift", "stop", "visit", "client", "lat", "lon",
	"arrival", "start", "end", "travel_s", "distance_m", "waiting_s", "lateness_s", "partner",
}

// places looks up the instance's clients and carers by id.
type places struct {
	in      *roster.Instance
	clients map[string]int
	carers  map[string]int
}

func newPlaces(in *roster.Instance) places {
	ix := roster.NewIndex(in)
	return places{in: in, clients: ix.Client, carers: ix.Carer}
}

// client is the home of client id.
func (pl places) client(id string) (roster.Location, error) {
	i, ok := pl.clients[id]
	if !ok {
		return roster.Location{}, fmt.Errorf("export: the plan names client %q, who is not in the instance", id)
	}
	return pl.in.Clients[i].Location, nil
}

// carer is carer id.
func (pl places) carer(id string) (*roster.Carer, error) {
	k, ok := pl.carers[id]
	if !ok {
		return nil, fmt.Errorf("export: the plan names carer %q, who is not in the instance", id)
	}
	return &pl.in.Carers[k], nil
}

// roundDate is round r's date: its own in a plan for a period, else the
// instance's.
func roundDate(in *roster.Instance, r *roster.Round) string {
	if r.Date != "" {
		return r.Date
	}
	if in.Date != "" {
		return in.Date
	}
	if in.Period != nil {
		return in.Period.Start
	}
	return ""
}

// StopsCSV writes the plan as CSV, a header of StopColumns then one row
// per stop, rounds in the plan's order and stops in visiting order; times
// are wall-clock on the round's date (past 24:00 for the next morning).
func StopsCSV(w io.Writer, in *roster.Instance, p *roster.Plan) error {
	pl := newPlaces(in)
	cw := csv.NewWriter(w)
	if err := cw.Write(StopColumns); err != nil {
		return err
	}
	for i := range p.Rounds {
		r := &p.Rounds[i]
		date := roundDate(in, r)
		for k := range r.Stops {
			st := &r.Stops[k]
			loc, err := pl.client(st.Client)
			if err != nil {
				return err
			}
			row := []string{
				date, r.Carer, string(r.Mode), strconv.Itoa(r.Shift), strconv.Itoa(k + 1), st.Visit, st.Client,
				coord(loc.Lat), coord(loc.Lon),
				st.Arrival.String(), st.Start.String(), st.End.String(),
				strconv.Itoa(st.TravelS), strconv.Itoa(st.DistanceM), strconv.Itoa(st.WaitingS), strconv.Itoa(st.LatenessS), st.Partner,
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// coord writes a degree to the tenth of a metre or so.
func coord(v float64) string { return strconv.FormatFloat(v, 'f', 6, 64) }

// point is a location as GeoJSON orders it: longitude, then latitude.
func point(l roster.Location) orb.Point { return orb.Point{l.Lon, l.Lat} }

// Paths gives the streets a leg follows; geo/road's Network is one.
type Paths interface {
	// Source names the travel the paths follow, as plans record it.
	Source() roster.TravelSource
	// Path is the way by mode from one place to another, longitude first,
	// from the place itself to the other.
	Path(mode roster.Mode, from, to orb.Point) (orb.LineString, error)
}

// GeoJSON is the plan as a feature collection: for each round a LineString
// from the carer's start through each stop's client to their end, with the
// round's carer, date, mode, shift, stops, travel and distance, then for
// each stop a Point at the client's home with the stop's visit, client,
// carer, date, order and times. Unserved visits are points too, with
// "unassigned" and their reason, so that a map shows what is left.
//
// The lines follow the streets of paths when the plan records travel from
// paths' source (provider and version alike), and run straight between
// places otherwise, paths nil included; each round's "path" property says
// which ("streets" or "straight"). A leg paths cannot route is an error.
func GeoJSON(in *roster.Instance, p *roster.Plan, paths Paths) (*geojson.FeatureCollection, error) {
	follow := paths != nil && p.Travel != (roster.TravelSource{}) && p.Travel == paths.Source()
	pl := newPlaces(in)
	fc := geojson.NewFeatureCollection()
	var stops []*geojson.Feature
	for i := range p.Rounds {
		r := &p.Rounds[i]
		c, err := pl.carer(r.Carer)
		if err != nil {
			return nil, err
		}
		date := roundDate(in, r)
		line := orb.LineString{point(c.Start)}
		// leg adds the way to place: along the streets, or straight.
		leg := func(k int, place orb.Point) error {
			if !follow {
				line = append(line, place)
				return nil
			}
			way, err := paths.Path(r.Mode, line[len(line)-1], place)
			if err != nil {
				return fmt.Errorf("export: round %d (carer %s), leg %d: %w", i, r.Carer, k+1, err)
			}
			line = append(line, way[1:]...)
			return nil
		}
		travel, dist := r.ReturnTravelS, r.ReturnDistanceM
		for k := range r.Stops {
			st := &r.Stops[k]
			loc, err := pl.client(st.Client)
			if err != nil {
				return nil, err
			}
			if err := leg(k, point(loc)); err != nil {
				return nil, err
			}
			travel += st.TravelS
			dist += st.DistanceM
			f := geojson.NewFeature(point(loc))
			f.Properties = geojson.Properties{
				"kind": "stop", "visit": st.Visit, "client": st.Client, "carer": r.Carer, "date": date,
				"mode": string(r.Mode), "round": i, "stop": k + 1,
				"arrival": st.Arrival.String(), "start": st.Start.String(), "end": st.End.String(),
				"lateness_s": st.LatenessS,
			}
			if st.Partner != "" {
				f.Properties["partner"] = st.Partner
			}
			stops = append(stops, f)
		}
		if err := leg(len(r.Stops), point(c.EndLocation())); err != nil {
			return nil, err
		}
		how := "straight"
		if follow {
			how = "streets"
		}
		f := geojson.NewFeature(line)
		f.Properties = geojson.Properties{
			"kind": "round", "carer": r.Carer, "date": date, "mode": string(r.Mode), "shift": r.Shift, "round": i,
			"stops": len(r.Stops), "departure": r.Departure.String(), "return": r.Return.String(),
			"travel_s": travel, "distance_m": dist, "path": how,
		}
		fc.Append(f)
	}
	for _, f := range stops {
		fc.Append(f)
	}
	flat, err := visitsOf(in)
	if err != nil {
		return nil, err
	}
	ix := roster.NewIndex(flat)
	for _, u := range p.Unassigned {
		v, ok := ix.Visit[u.Visit]
		if !ok {
			return nil, fmt.Errorf("export: the plan leaves visit %q unassigned, which is not in the instance", u.Visit)
		}
		client := flat.Visits[v].Client
		loc, err := pl.client(client)
		if err != nil {
			return nil, err
		}
		f := geojson.NewFeature(point(loc))
		f.Properties = geojson.Properties{"kind": "unassigned", "visit": u.Visit, "client": client, "reason": string(u.Reason)}
		fc.Append(f)
	}
	return fc, nil
}

// visitsOf is the instance whose visits a plan of in names: in itself, or
// for a period the expansion of its recurring care.
func visitsOf(in *roster.Instance) (*roster.Instance, error) {
	if !in.IsPeriod() {
		return in, nil
	}
	x, err := roster.Expand(in)
	if err != nil {
		return nil, err
	}
	return x.Instance, nil
}
