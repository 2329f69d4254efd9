package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/rounds-dev/rounds/api/jobs"
	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/geo/road"
	"github.com/rounds-dev/rounds/roster"
)

// townAt returns the place x squares east and y squares north of the road
// package's test town's corner (100 m squares).
func townAt(x, y float64) roster.Location {
	const cell = 100 / (6378137.0 * 3.141592653589793 / 180)
	return roster.Location{Lat: 52.6 + y*cell, Lon: -0.6 + x*cell/0.6073}
}

// townDay is a morning of two visits in the test town for one driving
// carer; the second client lives at client2.
func townDay(client2 roster.Location) []byte {
	home, c1 := townAt(0, 0), townAt(2, 2)
	return fmt.Appendf(nil, `{"date":"2026-11-24","timezone":"Europe/London",
	"carers":[{"id":"K1","start":{"lat":%v,"lon":%v},"shifts":[{"start":"08:00","end":"12:00"}],"mode":"drive"}],
	"clients":[{"id":"C1","location":{"lat":%v,"lon":%v}},{"id":"C2","location":{"lat":%v,"lon":%v}}],
	"visits":[{"id":"V1","client":"C1","duration_min":30,"windows":[{"start":"08:00","end":"12:00"}]},
	          {"id":"V2","client":"C2","duration_min":30,"windows":[{"start":"08:00","end":"12:00"}]}]}`,
		home.Lat, home.Lon, c1.Lat, c1.Lon, client2.Lat, client2.Lon)
}

// TestRoadNetworkService runs the API on a road network: plans record it
// and check against it, and places off the network are 400s naming them.
func TestRoadNetworkService(t *testing.T) {
	n, err := road.LoadFile(context.Background(), "../geo/road/testdata/town.osm", road.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := newFixtureOn(t, jobs.NewMemory(4, time.Hour), false, n)

	day := townDay(townAt(4, 5))
	code, _, b := f.do(t, "POST", "/v1/jobs?time_limit=1s&wait=20s", aliceKey, day)
	if code != http.StatusOK {
		t.Fatalf("submit: %d %s", code, b)
	}
	var job jobs.Job
	if err := json.Unmarshal(b, &job); err != nil {
		t.Fatal(err)
	}
	plan, err := roster.DecodePlan(bytes.NewReader(job.Plan))
	if err != nil {
		t.Fatalf("job %s: %v", job.Status, err)
	}
	if plan.Travel != n.Source() {
		t.Fatalf("the plan records travel %+v, want the road network's %+v", plan.Travel, n.Source())
	}
	in, err := roster.DecodeInstance(bytes.NewReader(day))
	if err != nil {
		t.Fatal(err)
	}
	travel, err := geo.ForInstance(context.Background(), n, in)
	if err != nil {
		t.Fatal(err)
	}
	if vs := roster.Check(in, travel, plan); len(vs) > 0 {
		t.Fatalf("the plan breaks %d rules on the road network: %v", len(vs), vs[0])
	}
	req, _ := json.Marshal(map[string]json.RawMessage{"instance": day, "plan": job.Plan})
	if code, _, b := f.do(t, "POST", "/v1/check", aliceKey, req); code != http.StatusOK || !bytes.Contains(b, []byte(`"ok":true`)) {
		t.Fatalf("check: %d %s", code, b)
	}

	// A client 3 km from any road: the check names the client's field.
	far := townDay(townAt(30.5, 30))
	req, _ = json.Marshal(map[string]json.RawMessage{"instance": far, "plan": job.Plan})
	code, h, b := f.do(t, "POST", "/v1/check", aliceKey, req)
	p := problem(t, h, b, http.StatusBadRequest)
	if code != http.StatusBadRequest || len(p.Errors) != 1 || p.Errors[0].Path != "clients[1].location" {
		t.Fatalf("check with a far client: %d %s", code, b)
	}

	// The matrix endpoint names far locations and unrouted modes.
	body := fmt.Appendf(nil, `{"mode":"walk","locations":[{"lat":%v,"lon":%v},{"lat":52.7,"lon":-0.5}]}`, townAt(1, 1).Lat, townAt(1, 1).Lon)
	code, h, b = f.do(t, "POST", "/v1/matrix", aliceKey, body)
	p = problem(t, h, b, http.StatusBadRequest)
	if code != http.StatusBadRequest || len(p.Errors) != 1 || p.Errors[0].Path != "locations[1]" {
		t.Fatalf("matrix with a far location: %d %s", code, b)
	}
	body = fmt.Appendf(nil, `{"mode":"public","locations":[{"lat":%v,"lon":%v}]}`, townAt(1, 1).Lat, townAt(1, 1).Lon)
	code, h, b = f.do(t, "POST", "/v1/matrix", aliceKey, body)
	p = problem(t, h, b, http.StatusBadRequest)
	if code != http.StatusBadRequest || p.Errors[0].Path != "mode" {
		t.Fatalf("matrix by public transport: %d %s", code, b)
	}
}
