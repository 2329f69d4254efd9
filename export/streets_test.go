package export_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/geojson"

	"github.com/rounds-dev/rounds/export"
	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/geo/road"
	"github.com/rounds-dev/rounds/optimiser"
	"github.com/rounds-dev/rounds/roster"
)

// townAt is the place x squares east and y squares north of the corner of
// geo/road's test town (100 m squares).
func townAt(x, y float64) roster.Location {
	const cell = 100 / (6378137.0 * 3.141592653589793 / 180)
	return roster.Location{Lat: 52.6 + y*cell, Lon: -0.6 + x*cell/0.6073}
}

// townPlan solves a morning in the test town on its road network: a
// driver and a walker, clients on both banks of the river.
func townPlan(t *testing.T) (*road.Network, *roster.Instance, *roster.Plan) {
	t.Helper()
	n, err := road.LoadFile(context.Background(), "../geo/road/testdata/town.osm", road.Options{})
	if err != nil {
		t.Fatal(err)
	}
	loc := func(l roster.Location) string { return fmt.Sprintf(`{"lat":%v,"lon":%v}`, l.Lat, l.Lon) }
	doc := fmt.Sprintf(`{"name":"Test town","date":"2026-11-24","timezone":"Europe/London",
	"carers":[{"id":"K1","start":%s,"shifts":[{"start":"08:00","end":"13:00"}],"mode":"drive"},
	          {"id":"K2","start":%s,"shifts":[{"start":"08:00","end":"13:00"}],"mode":"walk"}],
	"clients":[{"id":"C1","location":%s},{"id":"C2","location":%s},{"id":"C3","location":%s},{"id":"C4","location":%s}],
	"visits":[{"id":"V1","client":"C1","duration_min":30,"windows":[{"start":"08:00","end":"09:00"}]},
	          {"id":"V2","client":"C2","duration_min":30,"windows":[{"start":"08:00","end":"10:00"}]},
	          {"id":"V3","client":"C3","duration_min":30,"windows":[{"start":"08:00","end":"09:00"}]},
	          {"id":"V4","client":"C4","duration_min":30,"windows":[{"start":"08:00","end":"10:00"}]}]}`,
		loc(townAt(0.1, 0.05)), loc(townAt(2.9, 2.05)), loc(townAt(3.5, 1.05)), loc(townAt(1.5, 5.05)), loc(townAt(0.5, 2.95)), loc(townAt(2.3, 0.05)))
	in, err := roster.DecodeInstance(bytes.NewReader([]byte(doc)))
	if err != nil {
		t.Fatal(err)
	}
	travel, err := geo.TravelFor(context.Background(), n, in)
	if err != nil {
		t.Fatal(err)
	}
	p, err := optimiser.Solve(context.Background(), in, travel, optimiser.Options{Seed: 1, Iterations: 200, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if vs := roster.Check(in, travel, p); len(vs) > 0 {
		t.Fatalf("the plan breaks %d rules: %v", len(vs), vs[0])
	}
	if p.Travel != n.Source() || len(p.Unassigned) > 0 {
		t.Fatalf("plan on %+v leaving %d unserved; want every visit on the road network", p.Travel, len(p.Unassigned))
	}
	return n, in, p
}

// TestGeoJSONStreets: on the road network a plan was made on, each round's
// line runs from the carer's start through its stops' homes in order to
// its end along the streets, as long as the round's travel says (with the
// short legs between homes and roads); the same plan recording other
// travel keeps straight lines.
func TestGeoJSONStreets(t *testing.T) {
	n, in, p := townPlan(t)
	rounds := func(p *roster.Plan) map[int]*geojson.Feature {
		t.Helper()
		fc, err := export.GeoJSON(in, p, n)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(fc)
		if err != nil {
			t.Fatal(err)
		}
		got, err := geojson.UnmarshalFeatureCollection(b)
		if err != nil {
			t.Fatal(err)
		}
		out := map[int]*geojson.Feature{}
		for _, f := range got.Features {
			if f.Properties["kind"] == "round" {
				out[f.Properties.MustInt("round")] = f
			}
		}
		return out
	}
	ix := roster.NewIndex(in)
	pt := func(l roster.Location) orb.Point { return orb.Point{l.Lon, l.Lat} }
	streets := rounds(p)
	for i, r := range p.Rounds {
		f := streets[i]
		line, ok := f.Geometry.(orb.LineString)
		if !ok || f.Properties.MustString("path") != "streets" {
			t.Fatalf("round %d: %v, %v", i, f.Geometry, f.Properties)
		}
		c := in.Carers[ix.Carer[r.Carer]]
		places := []orb.Point{pt(c.Start)}
		for _, st := range r.Stops {
			places = append(places, pt(in.Clients[ix.Client[st.Client]].Location))
		}
		places = append(places, pt(c.EndLocation()))
		// The places lie on the line in order, first and last at its ends.
		at := 0
		for k, want := range places {
			for at < len(line) && line[at] != want {
				at++
			}
			if at == len(line) {
				t.Fatalf("round %d: place %d %v not on the line after the one before", i, k, want)
			}
		}
		if line[0] != places[0] || line[len(line)-1] != places[len(places)-1] || len(line) <= len(places) {
			t.Errorf("round %d: line %v for places %v", i, line, places)
		}
		// Every place in the town lies 5 m from its street.
		travelM := float64(f.Properties.MustInt("distance_m"))
		snaps := 10 * float64(len(places)-1)
		if got := orbgeo.LengthHaversine(line); got < travelM+snaps-float64(len(places)) || got > travelM+snaps+float64(len(places)) {
			t.Errorf("round %d: line of %.0f m for %.0f m of travel and %.0f m to and from the roads", i, got, travelM, snaps)
		}
	}

	other := *p
	other.Travel.Version += "-other"
	for i, f := range rounds(&other) {
		if line := f.Geometry.(orb.LineString); len(line) != len(p.Rounds[i].Stops)+2 || f.Properties.MustString("path") != "straight" {
			t.Errorf("round %d of a plan on other travel: %d points, path %v", i, len(line), f.Properties["path"])
		}
	}
}
