package api

import (
	"bytes"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rounds-dev/rounds/api/jobs"
	"github.com/rounds-dev/rounds/geo"
)

// send makes a request with the given Content-Type (none when empty) and
// key, and returns the status, headers and body.
func (f *fixture) send(t *testing.T, method, path, contentType, key string, body []byte) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, f.http.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, b
}

// multipartForm builds a multipart/form-data body of files, and answers it
// with its Content-Type.
func multipartForm(t *testing.T, files map[string]string) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	names := slices.Sorted(maps.Keys(files))
	for _, name := range names {
		fw, err := w.CreateFormFile(name, name+".csv")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(fw, files[name]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), w.FormDataContentType()
}

// join builds a JSON object from raw members, in order, so that a test can
// repeat a key.
func join(members ...string) []byte {
	return []byte("{" + strings.Join(members, ", ") + "}")
}

// TestBadInputEveryEndpoint sends every endpoint bad bodies, bad queries,
// the wrong content type and the wrong method, and asserts the status, a
// problem+json answer and the field path of each problem.
func TestBadInputEveryEndpoint(t *testing.T) {
	sl, err := geo.NewStraightLine(nil)
	if err != nil {
		t.Fatal(err)
	}
	// More requests than one key's default burst: the rate limit is not
	// what this test is about.
	f := newFixtureWith(t, jobs.NewMemory(8, time.Hour), true, sl, func(c *Config) { c.Burst = 1000 })
	day := string(readFile(t, "../testdata/small_day.json"))
	swap := func(doc, from, to string) string {
		t.Helper()
		out := strings.Replace(doc, from, to, 1)
		if out == doc {
			t.Fatalf("fixture lacks %s", from)
		}
		return out
	}
	// clients[3] with its latitude and longitude swapped: the Indian Ocean.
	swapped := swap(day, `{"lat": 53.8590, "lon": -1.8950}`, `{"lat": -1.8950, "lon": 53.8590}`)
	wrongType := swap(day, `"duration_min": 30`, `"duration_min": "30"`)
	plan := `{"instance": "Small hand-checked day", "rounds": [{"carer": "K1", "shift": 0, "stops": [{"visit": "V01", "client": "C1"}]}], "unassigned": [{"visit": "V02"}]}`
	otherDay := swap(plan, `"Small hand-checked day"`, `"Otley 2026-11-24"`)
	strangers := `{"instance": "Small hand-checked day", "rounds": [{"carer": "K9", "stops": [{"visit": "V01", "client": "C1"}, {"visit": "V99", "client": "C1", "partner": "K8"}]}], "unassigned": [{"visit": "V98"}]}`
	instance, planM := `"instance": `+day, `"plan": `+plan
	addClient := func(c string) string { return `"changes": {"add_clients": [` + c + `]}` }
	walk := `"mode": "walk"`
	here := `"locations": [{"lat": 53.8, "lon": -1.9}, {"lat": 53.81, "lon": -1.91}]`
	const appJSON, job = "application/json", "/v1/jobs/0123456789abcdef01234567"
	// The board's endpoints: a hand-made round, CSV files as a form, a
	// box of streets.
	round := func(carer, visit string) string {
		return `"rounds": [{"carer": "` + carer + `", "shift": 0, "visits": [{"visit": "` + visit + `"}]}]`
	}
	csvForm, csvType := multipartForm(t, map[string]string{"carers": "id\n", "clients": "id\n", "care": "id\n"})
	noCare, noCareType := multipartForm(t, map[string]string{"carers": "id\n", "clients": "id\n"})
	const box = "/v1/streets?bbox=-1.92,53.84,-1.88,53.87"
	// The localities endpoints: a district of three clients, a square
	// around them, and one that crosses itself.
	district := `"district": {"clients": [` +
		`{"id": "P1", "location": {"lat": 53.86, "lon": -1.90}, "weekly_hours": 7, "bands": ["morning", "bed"]},` +
		`{"id": "P2", "location": {"lat": 53.87, "lon": -1.91}, "weekly_hours": 10.5, "bands": ["morning"]},` +
		`{"id": "P3", "location": {"lat": 53.865, "lon": -1.905}, "weekly_hours": 3, "bands": ["lunch"]}]}`
	square := `{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "A"}, "geometry": {"type": "Polygon", "coordinates": [[[-1.95, 53.8], [-1.85, 53.8], [-1.85, 53.9], [-1.95, 53.9], [-1.95, 53.8]]]}}]}`
	bowtie := `{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "A"}, "geometry": {"type": "Polygon", "coordinates": [[[-1.95, 53.8], [-1.85, 53.9], [-1.85, 53.8], [-1.95, 53.9], [-1.95, 53.8]]]}}]}`
	option := func(name, fc string) string { return `{"name": "` + name + `", "boundaries": ` + fc + `}` }
	options := func(os ...string) string { return `"options": [` + strings.Join(os, ", ") + `]` }
	swapDistrict := func(from, to string) string { return swap(district, from, to) }
	demandForm, demandType := multipartForm(t, map[string]string{"demand": "id,lat,lon,weekly_hours,bands\nP1,53.86,-1.90,0,morning\n"})
	noDemand, noDemandType := multipartForm(t, map[string]string{"postcodes": "pcds,lat,long\n"})

	type tc struct {
		name, method, path, ctype string
		body                      []byte
		status                    int
		paths                     []string // every problem's field path, in order
	}
	endpoints := []struct {
		endpoint string
		cases    []tc
	}{
		{"POST /v1/jobs", []tc{
			{"unknown field", "POST", "/v1/jobs", appJSON, []byte(swap(day, `"visits": [`, `"visitz": 1, "visits": [`)), 400, []string{"visitz"}},
			{"wrong type", "POST", "/v1/jobs", appJSON, []byte(wrongType), 400, []string{"visits[0].duration_min"}},
			{"swapped lat and lon", "POST", "/v1/jobs", appJSON, []byte(swapped), 400, []string{"clients[3].location"}},
			{"time limit under a millisecond", "POST", "/v1/jobs?time_limit=500us", appJSON, []byte(day), 400, []string{"query.time_limit"}},
			{"time limit not a duration", "POST", "/v1/jobs?time_limit=forever", appJSON, []byte(day), 400, []string{"query.time_limit"}},
			{"seed not a number", "POST", "/v1/jobs?seed=x", appJSON, []byte(day), 400, []string{"query.seed"}},
			{"wait too long", "POST", "/v1/jobs?wait=1h", appJSON, []byte(day), 400, []string{"query.wait"}},
			{"misspelt parameter", "POST", "/v1/jobs?timelimit=5s", appJSON, []byte(day), 400, []string{"query.timelimit"}},
			{"parameter given twice", "POST", "/v1/jobs?time_limit=1s&time_limit=5m", appJSON, []byte(day), 400, []string{"query.time_limit"}},
			{"text", "POST", "/v1/jobs", "text/plain", []byte(day), 415, []string{"header.Content-Type"}},
			{"form", "POST", "/v1/jobs", "application/x-www-form-urlencoded", []byte(day), 415, []string{"header.Content-Type"}},
			{"no content type", "POST", "/v1/jobs", "", []byte(day), 415, []string{"header.Content-Type"}},
			{"wrong method", "PUT", "/v1/jobs", appJSON, []byte(day), 405, nil},
		}},
		{"POST /v1/replan", []tc{
			{"added client without location", "POST", "/v1/replan", appJSON, join(instance, planM, addClient(`{"id": "C9"}`)), 400, []string{"changes.add_clients[0].location"}},
			{"added client without lon", "POST", "/v1/replan", appJSON, join(instance, planM, addClient(`{"id": "C9", "location": {"lat": 53.86}}`)), 400, []string{"changes.add_clients[0].location.lon"}},
			{"added client with null location", "POST", "/v1/replan", appJSON, join(instance, planM, addClient(`{"id": "C9", "location": null}`)), 400, []string{"changes.add_clients[0].location"}},
			{"added client in the Indian Ocean", "POST", "/v1/replan", appJSON, join(instance, planM, addClient(`{"id": "C9", "location": {"lat": -1.9, "lon": 53.86}}`)), 400, []string{"changes.add_clients[0].location"}},
			{"changes given twice", "POST", "/v1/replan", appJSON, join(instance, planM, `"changes": {}`, `"changes": {}`), 400, []string{"changes"}},
			{"unknown change", "POST", "/v1/replan", appJSON, join(instance, planM, `"changes": {"add_visitz": []}`), 400, []string{"changes.add_visitz"}},
			{"removed visits not a list", "POST", "/v1/replan", appJSON, join(instance, planM, `"changes": {"remove_visits": "V01"}`), 400, []string{"changes.remove_visits"}},
			{"plan of another day", "POST", "/v1/replan", appJSON, join(instance, `"plan": `+otherDay), 400, []string{"plan.instance"}},
			{"plan of other carers and visits", "POST", "/v1/replan", appJSON, join(instance, `"plan": `+strangers), 400,
				[]string{"plan.rounds[0].carer", "plan.rounds[0].stops[1].visit", "plan.rounds[0].stops[1].partner", "plan.unassigned[0].visit"}},
			{"no plan", "POST", "/v1/replan", appJSON, join(instance), 400, []string{"plan"}},
			{"time limit under a millisecond", "POST", "/v1/replan?time_limit=999us", appJSON, join(instance, planM), 400, []string{"query.time_limit"}},
			{"text", "POST", "/v1/replan", "text/plain;charset=UTF-8", join(instance, planM), 415, []string{"header.Content-Type"}},
			{"wrong method", "GET", "/v1/replan", "", nil, 405, nil},
		}},
		{"POST /v1/validate", []tc{
			{"wrong type", "POST", "/v1/validate", appJSON, []byte(wrongType), 400, []string{"visits[0].duration_min"}},
			{"swapped lat and lon", "POST", "/v1/validate", appJSON, []byte(swapped), 400, []string{"clients[3].location"}},
			{"malformed", "POST", "/v1/validate", appJSON, []byte(`{"visits": [`), 400, []string{"visits[0]"}},
			{"a parameter it does not take", "POST", "/v1/validate?time_limit=5s", appJSON, []byte(day), 400, []string{"query.time_limit"}},
			{"xml", "POST", "/v1/validate", "application/xml", []byte(`<day/>`), 415, []string{"header.Content-Type"}},
			{"wrong method", "GET", "/v1/validate", "", nil, 405, nil},
		}},
		{"POST /v1/check", []tc{
			{"plan given twice", "POST", "/v1/check", appJSON, join(instance, planM, planM), 400, []string{"plan"}},
			{"unknown field", "POST", "/v1/check", appJSON, join(instance, planM, `"colour": 1`), 400, []string{"colour"}},
			{"no instance", "POST", "/v1/check", appJSON, join(planM), 400, []string{"instance"}},
			{"instance wrong type", "POST", "/v1/check", appJSON, join(`"instance": `+wrongType, planM), 400, []string{"instance.visits[0].duration_min"}},
			{"plan wrong type", "POST", "/v1/check", appJSON, join(instance, `"plan": {"rounds": 7}`), 400, []string{"plan.rounds"}},
			{"swapped lat and lon", "POST", "/v1/check", appJSON, join(`"instance": `+swapped, planM), 400, []string{"instance.clients[3].location"}},
			{"changes", "POST", "/v1/check", appJSON, join(instance, planM, `"changes": {}`), 400, []string{"changes"}},
			{"a parameter it does not take", "POST", "/v1/check?seed=1", appJSON, join(instance, planM), 400, []string{"query.seed"}},
			{"form", "POST", "/v1/check", "application/x-www-form-urlencoded", join(instance, planM), 415, []string{"header.Content-Type"}},
			{"wrong method", "DELETE", "/v1/check", "", nil, 405, nil},
		}},
		{"POST /v1/matrix", []tc{
			{"mode given twice", "POST", "/v1/matrix", appJSON, join(walk, `"mode": "drive"`, here), 400, []string{"mode"}},
			{"unknown field", "POST", "/v1/matrix", appJSON, join(walk, here, `"colour": 1`), 400, []string{"colour"}},
			{"missing lat", "POST", "/v1/matrix", appJSON, join(walk, `"locations": [{"lat": 53.8, "lon": -1.9}, {"lon": -1.9}]`), 400, []string{"locations[1].lat"}},
			{"null lat", "POST", "/v1/matrix", appJSON, join(walk, `"locations": [{"lat": null, "lon": -1.9}]`), 400, []string{"locations[0].lat"}},
			{"null location", "POST", "/v1/matrix", appJSON, join(walk, `"locations": [null]`), 400, []string{"locations[0]"}},
			{"lat off the globe", "POST", "/v1/matrix", appJSON, join(walk, `"locations": [{"lat": 153.8, "lon": -1.9}]`), 400, []string{"locations[0].lat"}},
			{"mode a number", "POST", "/v1/matrix", appJSON, join(`"mode": 3`, here), 400, []string{"mode"}},
			{"unknown mode", "POST", "/v1/matrix", appJSON, join(`"mode": "fly"`, here), 400, []string{"mode"}},
			{"no locations", "POST", "/v1/matrix", appJSON, join(walk), 400, []string{"locations"}},
			{"a parameter it does not take", "POST", "/v1/matrix?mode=walk", appJSON, join(walk, here), 400, []string{"query.mode"}},
			{"form (curl -d)", "POST", "/v1/matrix", "application/x-www-form-urlencoded", join(walk, here), 415, []string{"header.Content-Type"}},
			{"wrong method", "GET", "/v1/matrix", "", nil, 405, nil},
		}},
		{"POST /v1/evaluate", []tc{
			{"unknown field", "POST", "/v1/evaluate", appJSON, join(instance, round("K1", "V01"), `"pins": []`), 400, []string{"pins"}},
			{"no instance", "POST", "/v1/evaluate", appJSON, join(round("K1", "V01")), 400, []string{"instance"}},
			{"unknown carer", "POST", "/v1/evaluate", appJSON, join(instance, round("K9", "V01")), 400, []string{"rounds[0].carer"}},
			{"unknown visit", "POST", "/v1/evaluate", appJSON, join(instance, round("K1", "V99")), 400, []string{"rounds[0].visits[0].visit"}},
			{"a parameter it does not take", "POST", "/v1/evaluate?time_limit=5s", appJSON, join(instance, round("K1", "V01")), 400, []string{"query.time_limit"}},
			{"form", "POST", "/v1/evaluate", "application/x-www-form-urlencoded", join(instance, round("K1", "V01")), 415, []string{"header.Content-Type"}},
			{"wrong method", "GET", "/v1/evaluate", "", nil, 405, nil},
		}},
		{"POST /v1/import", []tc{
			{"no care file", "POST", "/v1/import", noCareType, noCare, 400, []string{"care"}},
			{"a parameter it does not take", "POST", "/v1/import?days=7", csvType, csvForm, 400, []string{"query.days"}},
			{"JSON", "POST", "/v1/import", appJSON, []byte(day), 415, []string{"header.Content-Type"}},
			{"no content type", "POST", "/v1/import", "", csvForm, 415, []string{"header.Content-Type"}},
			{"wrong method", "PUT", "/v1/import", csvType, csvForm, 405, nil},
		}},
		{"POST /v1/localities/demand", []tc{
			{"zero hours", "POST", "/v1/localities/demand", demandType, demandForm, 400, []string{"demand.csv[2].weekly_hours"}},
			{"no demand file", "POST", "/v1/localities/demand", noDemandType, noDemand, 400, []string{"demand"}},
			{"a parameter it does not take", "POST", "/v1/localities/demand?name=x", demandType, demandForm, 400, []string{"query.name"}},
			{"JSON", "POST", "/v1/localities/demand", appJSON, []byte(`{}`), 415, []string{"header.Content-Type"}},
			{"wrong method", "GET", "/v1/localities/demand", "", nil, 405, nil},
		}},
		{"POST /v1/localities/evaluate", []tc{
			{"no options", "POST", "/v1/localities/evaluate", appJSON, join(district), 400, []string{"options"}},
			{"no clients", "POST", "/v1/localities/evaluate", appJSON, join(`"district": {"clients": []}`, options(option("a", square))), 400, []string{"district.clients"}},
			{"zero hours", "POST", "/v1/localities/evaluate", appJSON, join(swapDistrict(`"weekly_hours": 7,`, `"weekly_hours": 0,`), options(option("a", square))), 400, []string{"district.clients[0].weekly_hours"}},
			{"unknown band", "POST", "/v1/localities/evaluate", appJSON, join(swapDistrict(`["lunch"]`, `["brunch"]`), options(option("a", square))), 400, []string{"district.clients[2].bands[0]"}},
			{"same id twice", "POST", "/v1/localities/evaluate", appJSON, join(swapDistrict(`"P2"`, `"P1"`), options(option("a", square))), 400, []string{"district.clients[1].id"}},
			{"self-crossing boundary", "POST", "/v1/localities/evaluate", appJSON, join(district, options(option("a", square), option("b", bowtie))), 400, []string{"options[1].boundaries.features[0].geometry.coordinates[0]"}},
			{"options named alike", "POST", "/v1/localities/evaluate", appJSON, join(district, options(option("a", square), option("a", square))), 400, []string{"options[1].name"}},
			{"seven options", "POST", "/v1/localities/evaluate", appJSON, join(district, options(option("a", square), option("b", square), option("c", square), option("d", square), option("e", square), option("f", square), option("g", square))), 400, []string{"options"}},
			{"supply out of range", "POST", "/v1/localities/evaluate", appJSON, join(district, options(option("a", square)), `"supply": {"walk_share": 1.5, "contract_hours": 30, "utilisation": 0.7, "co2_kg_per_km": 0.17}`), 400, []string{"supply.walk_share"}},
			{"no iterations", "POST", "/v1/localities/evaluate", appJSON, join(district, options(option("a", square)), `"iterations": 0`), 400, []string{"iterations"}},
			{"too many iterations", "POST", "/v1/localities/evaluate", appJSON, join(district, options(option("a", square)), `"iterations": 1000000`), 400, []string{"iterations"}},
			{"a time limit", "POST", "/v1/localities/evaluate?time_limit=5s", appJSON, join(district, options(option("a", square))), 400, []string{"query.time_limit"}},
			{"form", "POST", "/v1/localities/evaluate", "application/x-www-form-urlencoded", join(district, options(option("a", square))), 415, []string{"header.Content-Type"}},
			{"wrong method", "GET", "/v1/localities/evaluate", "", nil, 405, nil},
		}},
		{"POST /v1/localities/propose", []tc{
			{"no k", "POST", "/v1/localities/propose", appJSON, join(district), 400, []string{"k"}},
			{"nine k", "POST", "/v1/localities/propose", appJSON, join(district, `"k": [1, 2, 3, 4, 5, 6, 7, 8, 9]`), 400, []string{"k"}},
			{"k out of range", "POST", "/v1/localities/propose", appJSON, join(district, `"k": [1, 201]`), 400, []string{"k[1]"}},
			{"k given twice", "POST", "/v1/localities/propose", appJSON, join(district, `"k": [2, 2]`), 400, []string{"k[1]"}},
			{"more localities than places", "POST", "/v1/localities/propose", appJSON, join(district, `"k": [1, 50]`), 400, []string{"k[1]"}},
			{"unknown method", "POST", "/v1/localities/propose", appJSON, join(district, `"k": [1]`, `"method": "voronoi"`), 400, []string{"method"}},
			{"cell too small", "POST", "/v1/localities/propose", appJSON, join(district, `"k": [1]`, `"cell_m": 1`), 400, []string{"cell_m"}},
			{"tolerance of nothing", "POST", "/v1/localities/propose", appJSON, join(district, `"k": [1]`, `"tolerance": 0`), 400, []string{"tolerance"}},
			{"tolerance over the mean", "POST", "/v1/localities/propose", appJSON, join(district, `"k": [1]`, `"tolerance": 1.5`), 400, []string{"tolerance"}},
			{"a band over the mean", "POST", "/v1/localities/propose", appJSON, join(district, `"k": [1]`, `"tolerance": [0.1, 1.5]`), 400, []string{"tolerance[1]"}},
			{"a band given twice", "POST", "/v1/localities/propose", appJSON, join(district, `"k": [1]`, `"tolerance": [0.1, 0.1]`), 400, []string{"tolerance[1]"}},
			{"no bands", "POST", "/v1/localities/propose", appJSON, join(district, `"k": [1]`, `"tolerance": []`), 400, []string{"tolerance"}},
			{"five bands", "POST", "/v1/localities/propose", appJSON, join(district, `"k": [1]`, `"tolerance": [0.1, 0.2, 0.3, 0.4, 0.5]`), 400, []string{"tolerance"}},
			{"a band that is text", "POST", "/v1/localities/propose", appJSON, join(district, `"k": [1]`, `"tolerance": "wide"`), 400, []string{"tolerance"}},
			{"bands for k-means alone", "POST", "/v1/localities/propose", appJSON, join(district, `"k": [1]`, `"method": "kmeans"`, `"tolerance": [0.1, 0.3]`), 400, []string{"tolerance"}},
			{"evaluate not a boolean", "POST", "/v1/localities/propose", appJSON, join(district, `"k": [1]`, `"evaluate": "no"`), 400, []string{"evaluate"}},
			{"unknown field", "POST", "/v1/localities/propose", appJSON, join(district, `"k": [1]`, `"colour": 1`), 400, []string{"colour"}},
			{"wait too long", "POST", "/v1/localities/propose?wait=1h", appJSON, join(district, `"k": [1]`), 400, []string{"query.wait"}},
			{"text", "POST", "/v1/localities/propose", "text/plain", join(district, `"k": [1]`), 415, []string{"header.Content-Type"}},
			{"wrong method", "PUT", "/v1/localities/propose", appJSON, join(district, `"k": [1]`), 405, nil},
		}},
		{"POST /v1/export", []tc{
			{"unknown format", "POST", "/v1/export?format=pdf", appJSON, join(instance, planM), 400, []string{"query.format"}},
			{"no format", "POST", "/v1/export", appJSON, join(instance, planM), 400, []string{"query.format"}},
			{"a date for the whole plan", "POST", "/v1/export?format=csv&date=2026-11-23", appJSON, join(instance, planM), 400, []string{"query.date"}},
			{"a parameter it does not take", "POST", "/v1/export?format=csv&colour=1", appJSON, join(instance, planM), 400, []string{"query.colour"}},
			{"format given twice", "POST", "/v1/export?format=csv&format=geojson", appJSON, join(instance, planM), 400, []string{"query.format"}},
			{"no plan", "POST", "/v1/export?format=csv", appJSON, join(instance), 400, []string{"plan"}},
			{"plan of another day", "POST", "/v1/export?format=geojson", appJSON, join(instance, `"plan": `+otherDay), 400, []string{"plan.instance"}},
			{"text", "POST", "/v1/export?format=csv", "text/plain", join(instance, planM), 415, []string{"header.Content-Type"}},
			{"wrong method", "GET", "/v1/export?format=csv", "", nil, 405, nil},
		}},
		{"GET /v1/streets", []tc{
			{"no box", "GET", "/v1/streets", "", nil, 400, []string{"query.bbox"}},
			{"three numbers", "GET", "/v1/streets?bbox=-1.92,53.84,-1.88", "", nil, 400, []string{"query.bbox"}},
			{"corners swapped", "GET", "/v1/streets?bbox=-1.88,53.87,-1.92,53.84", "", nil, 400, []string{"query.bbox"}},
			{"not a number", "GET", "/v1/streets?bbox=-1.92,53.84,-1.88,north", "", nil, 400, []string{"query.bbox"}},
			{"a parameter it does not take", "GET", box + "&zoom=14", "", nil, 400, []string{"query.zoom"}},
			{"box given twice", "GET", box + "&bbox=0,0,1,1", "", nil, 400, []string{"query.bbox"}},
			{"wrong method", "POST", box, appJSON, []byte(`{}`), 405, nil},
		}},
		{"GET / (the board)", []tc{
			{"wrong method", "POST", "/", appJSON, []byte(`{}`), 405, nil},
		}},
		{"GET /v1/jobs/{id}", []tc{
			{"unknown job", "GET", job, "", nil, 404, nil},
			{"a parameter it does not take", "GET", job + "?wait=5s", "", nil, 400, []string{"query.wait"}},
			{"wrong method", "POST", job, appJSON, []byte(`{}`), 405, nil},
		}},
		{"DELETE /v1/jobs/{id}", []tc{
			{"unknown job", "DELETE", job, "", nil, 404, nil},
			{"a parameter it does not take", "DELETE", job + "?force=1", "", nil, 400, []string{"query.force"}},
			{"wrong method", "PATCH", job, appJSON, []byte(`{}`), 405, nil},
		}},
	}
	allow := map[string]string{
		"/v1/jobs": "OPTIONS, POST", "/v1/replan": "OPTIONS, POST", "/v1/validate": "OPTIONS, POST",
		"/v1/check": "OPTIONS, POST", "/v1/matrix": "OPTIONS, POST", job: "DELETE, GET, OPTIONS",
		"/v1/evaluate": "OPTIONS, POST", "/v1/import": "OPTIONS, POST", "/v1/export": "OPTIONS, POST",
		"/v1/streets": "GET, OPTIONS", "/": "GET, HEAD, OPTIONS",
		"/v1/localities/demand": "OPTIONS, POST", "/v1/localities/evaluate": "OPTIONS, POST", "/v1/localities/propose": "OPTIONS, POST",
	}
	for _, e := range endpoints {
		t.Run(e.endpoint, func(t *testing.T) {
			for _, c := range e.cases {
				t.Run(c.name, func(t *testing.T) {
					code, h, b := f.send(t, c.method, c.path, c.ctype, aliceKey, c.body)
					if code != c.status {
						t.Fatalf("status %d, want %d: %s", code, c.status, b)
					}
					p := problem(t, h, b, c.status)
					if p.Detail == "" {
						t.Errorf("no detail: %s", b)
					}
					var paths []string
					for _, fe := range p.Errors {
						paths = append(paths, fe.Path)
						if fe.Reason == "" || strings.Contains(fe.Reason, "roster.") || strings.Contains(fe.Reason, "[]") {
							t.Errorf("%s: want a reason in words", fe)
						}
					}
					if !slices.Equal(paths, c.paths) {
						t.Errorf("problems at %q, want %q: %s", paths, c.paths, b)
					}
					if c.status == http.StatusMethodNotAllowed {
						got := strings.Split(h.Get("Allow"), ", ")
						slices.Sort(got)
						if want := allow[strings.Split(c.path, "?")[0]]; strings.Join(got, ", ") != want {
							t.Errorf("Allow %q, want %q", h.Get("Allow"), want)
						}
					}
				})
			}
		})
	}
}

// TestBoardPageMethods: the board's page answers HEAD as GET without a
// body, and, being a page people follow links to, ignores a query rather
// than refusing it as the /v1 endpoints do; it needs no key.
func TestBoardPageMethods(t *testing.T) {
	f := newFixture(t, jobs.NewMemory(1, time.Hour), true)
	for _, c := range []struct{ method, path string }{
		{"GET", "/"}, {"HEAD", "/"}, {"GET", "/?utm_source=email"}, {"HEAD", "/assets/board.js"},
	} {
		code, h, b := f.send(t, c.method, c.path, "", "", nil)
		if code != http.StatusOK {
			t.Errorf("%s %s: %d, want 200: %s", c.method, c.path, code, b)
			continue
		}
		if (c.method == "HEAD") != (len(b) == 0) {
			t.Errorf("%s %s: a body of %d bytes", c.method, c.path, len(b))
		}
		if h.Get("Content-Security-Policy") == "" {
			t.Errorf("%s %s: no Content-Security-Policy", c.method, c.path)
		}
	}
}

// TestSwappedPlaceReason: the problem for a place far from the others
// says how far it lies and asks whether latitude and longitude are
// swapped.
func TestSwappedPlaceReason(t *testing.T) {
	f := newFixture(t, jobs.NewMemory(1, time.Hour), true)
	day := bytes.Replace(readFile(t, "../testdata/small_day.json"), []byte(`{"lat": 53.8590, "lon": -1.8950}`), []byte(`{"lat": -1.8950, "lon": 53.8590}`), 1)
	code, h, b := f.send(t, "POST", "/v1/validate", "application/json", aliceKey, day)
	p := problem(t, h, b, http.StatusBadRequest)
	if code != 400 || len(p.Errors) != 1 {
		t.Fatalf("%d %s", code, b)
	}
	for _, want := range []string{" km from the median of the instance's places", "lat and lon swapped"} {
		if !strings.Contains(p.Errors[0].Reason, want) {
			t.Errorf("reason %q lacks %q", p.Errors[0].Reason, want)
		}
	}
}

// TestJSONMediaTypes: JSON is accepted under its own media type, with a
// charset, and under any +json type.
func TestJSONMediaTypes(t *testing.T) {
	f := newFixture(t, jobs.NewMemory(1, time.Hour), true)
	day := readFile(t, "../testdata/small_day.json")
	for _, ct := range []string{"application/json", "application/json; charset=utf-8", "Application/JSON", "application/vnd.rounds+json"} {
		t.Run(ct, func(t *testing.T) {
			if code, _, b := f.send(t, "POST", "/v1/validate", ct, aliceKey, day); code != http.StatusOK {
				t.Fatalf("%d %s", code, b)
			}
		})
	}
}

// TestShortTimeLimit: a time limit of 1ms is a job of about 1ms, not of
// the 20s default.
func TestShortTimeLimit(t *testing.T) {
	f := newFixture(t, jobs.NewMemory(1, time.Hour), false)
	start := time.Now()
	code, _, b := f.send(t, "POST", "/v1/jobs?time_limit=1ms&wait=15s", "application/json", aliceKey, readFile(t, "../testdata/small_day.json"))
	if code != http.StatusOK {
		t.Fatalf("%d after %s: %s", code, time.Since(start), b)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("a 1ms job took %s", d)
	}
}
