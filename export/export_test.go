package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/rounds-dev/rounds/export"
	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/optimiser"
	"github.com/rounds-dev/rounds/roster"
)

// planned solves a testdata instance briefly and checks its plan.
func planned(t *testing.T, path string) (*roster.Instance, *roster.Plan) {
	t.Helper()
	return plannedWith(t, path, func(*roster.Instance) {})
}

// plannedWith is planned with the instance changed by change first.
func plannedWith(t *testing.T, path string, change func(*roster.Instance)) (*roster.Instance, *roster.Plan) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	in, err := roster.DecodeInstance(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	change(in)
	travel, err := geo.TravelFor(context.Background(), nil, in)
	if err != nil {
		t.Fatal(err)
	}
	p, err := optimiser.Solve(context.Background(), in, travel, optimiser.Options{Seed: 1, Iterations: 300, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if vs := roster.Check(in, travel, p); len(vs) > 0 {
		t.Fatalf("the plan breaks %d rules: %v", len(vs), vs[0])
	}
	return in, p
}

var instances = []string{"../testdata/small_day.json", "../testdata/week_small.json"}

// TestStopsCSV: one row per stop under StopColumns, in the plan's order,
// each at its client's home with the stop's times and round's date.
func TestStopsCSV(t *testing.T) {
	for _, path := range instances {
		t.Run(path, func(t *testing.T) {
			in, p := planned(t, path)
			var buf bytes.Buffer
			if err := export.StopsCSV(&buf, in, p); err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(&buf).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			col := map[string]int{}
			for i, h := range rows[0] {
				col[h] = i
			}
			if len(col) != len(export.StopColumns) {
				t.Fatalf("header %v", rows[0])
			}
			ix := roster.NewIndex(in)
			n := 1
			for _, r := range p.Rounds {
				for _, st := range r.Stops {
					if n >= len(rows) {
						t.Fatalf("%d rows for more stops", len(rows)-1)
					}
					row := rows[n]
					n++
					loc := in.Clients[ix.Client[st.Client]].Location
					lat, _ := strconv.ParseFloat(row[col["lat"]], 64)
					lon, _ := strconv.ParseFloat(row[col["lon"]], 64)
					if row[col["visit"]] != st.Visit || row[col["carer"]] != r.Carer || row[col["start"]] != st.Start.String() ||
						math.Abs(lat-loc.Lat) > 1e-6 || math.Abs(lon-loc.Lon) > 1e-6 {
						t.Errorf("row %d %v, want stop %+v of %s at %v", n-1, row, st, r.Carer, loc)
					}
					if r.Date != "" && row[col["date"]] != r.Date {
						t.Errorf("row %d date %s, want %s", n-1, row[col["date"]], r.Date)
					}
				}
			}
			if n != len(rows) || n < 2 {
				t.Errorf("%d rows, want one per stop (%d)", len(rows)-1, n-1)
			}
		})
	}
}

// TestGeoJSON: the collection parses with orb's geojson package; each
// round is a line from the carer's start through its clients' homes to
// its end, each stop a point at the client's home (longitude first), and
// each unserved visit a point with its reason.
func TestGeoJSON(t *testing.T) {
	for _, path := range instances {
		t.Run(path, func(t *testing.T) {
			in, p := planned(t, path)
			fc, err := export.GeoJSON(in, p, nil)
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
			ix := roster.NewIndex(in)
			home := func(client string) orb.Point {
				l := in.Clients[ix.Client[client]].Location
				return orb.Point{l.Lon, l.Lat}
			}
			kinds := map[string]int{}
			for _, f := range got.Features {
				kind, _ := f.Properties["kind"].(string)
				kinds[kind]++
				switch kind {
				case "round":
					r := p.Rounds[int(f.Properties.MustInt("round"))]
					line, ok := f.Geometry.(orb.LineString)
					c := in.Carers[ix.Carer[r.Carer]]
					if !ok || len(line) != len(r.Stops)+2 || line[0] != (orb.Point{c.Start.Lon, c.Start.Lat}) {
						t.Fatalf("round %s: geometry %v", r.Carer, f.Geometry)
					}
					for k, st := range r.Stops {
						if line[k+1] != home(st.Client) {
							t.Errorf("round %s stop %d at %v, want %v", r.Carer, k+1, line[k+1], home(st.Client))
						}
					}
				case "stop":
					r := p.Rounds[int(f.Properties.MustInt("round"))]
					st := r.Stops[f.Properties.MustInt("stop")-1]
					if f.Properties.MustString("visit") != st.Visit || f.Geometry.(orb.Point) != home(st.Client) {
						t.Errorf("stop %v, want %s at %v", f.Properties, st.Visit, home(st.Client))
					}
				case "unassigned":
					if f.Properties.MustString("reason") == "" {
						t.Errorf("unassigned %v without a reason", f.Properties)
					}
				default:
					t.Errorf("feature of kind %q", kind)
				}
			}
			stops := 0
			for _, r := range p.Rounds {
				stops += len(r.Stops)
			}
			if kinds["round"] != len(p.Rounds) || kinds["stop"] != stops || kinds["unassigned"] != len(p.Unassigned) || stops == 0 {
				t.Errorf("features %v; want %d rounds, %d stops, %d unassigned", kinds, len(p.Rounds), stops, len(p.Unassigned))
			}
		})
	}
}

// TestUnknownNames: a plan naming a carer or client the instance lacks is
// an error, not a feature at 0,0.
func TestUnknownNames(t *testing.T) {
	in, p := planned(t, "../testdata/small_day.json")
	p.Rounds[0].Stops[0].Client = "nobody"
	if err := export.StopsCSV(&bytes.Buffer{}, in, p); err == nil {
		t.Error("CSV of a stop at an unknown client written")
	}
	if _, err := export.GeoJSON(in, p, nil); err == nil {
		t.Error("GeoJSON of a stop at an unknown client written")
	}
}
