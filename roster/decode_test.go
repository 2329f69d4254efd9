package roster_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

const dvExamplePath = "../testdata/example_day.json"

// dvExampleJSON returns the text of the example day.
func dvExampleJSON(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(dvExamplePath)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// dvExample decodes a fresh copy of the example day.
func dvExample(t testing.TB) *roster.Instance {
	t.Helper()
	in, err := roster.DecodeInstance(bytes.NewReader(dvExampleJSON(t)))
	if err != nil {
		t.Fatalf("example day: %v", err)
	}
	return in
}

// dvVariant is the example day with old, which must occur exactly once,
// replaced by new.
func dvVariant(t testing.TB, old, new string) []byte {
	t.Helper()
	b := dvExampleJSON(t)
	if n := bytes.Count(b, []byte(old)); n != 1 {
		t.Fatalf("variant: %q occurs %d times in the example", old, n)
	}
	return bytes.Replace(b, []byte(old), []byte(new), 1)
}

// dvPosOf is the position of the first sub in b as a syntax error gives it.
func dvPosOf(b []byte, sub string) string {
	i := bytes.Index(b, []byte(sub))
	line := 1 + bytes.Count(b[:i], []byte{'\n'})
	col := i - bytes.LastIndexByte(b[:i], '\n')
	return "line " + strconv.Itoa(line) + ", column " + strconv.Itoa(col)
}

// dvFieldErrors asserts that err is a non-empty FieldErrors with a reason for
// every problem.
func dvFieldErrors(t testing.TB, err error) roster.FieldErrors {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	var fe roster.FieldErrors
	if !errors.As(err, &fe) {
		t.Fatalf("error %T is not FieldErrors: %v", err, err)
	}
	if len(fe) == 0 {
		t.Fatal("empty FieldErrors returned as an error")
	}
	for _, e := range fe {
		if e.Reason == "" {
			t.Errorf("problem at %q without a reason", e.Path)
		}
	}
	return fe
}

// dvExpectProblem asserts that err holds a problem at path whose reason
// contains each of reasons and, when only is set, nothing else.
func dvExpectProblem(t testing.TB, err error, path string, only bool, reasons ...string) {
	t.Helper()
	fe := dvFieldErrors(t, err)
	found := false
	for _, e := range fe {
		if e.Path != path {
			continue
		}
		ok := true
		for _, r := range reasons {
			if !strings.Contains(e.Reason, r) {
				ok = false
			}
		}
		found = found || ok
	}
	if !found {
		t.Errorf("no problem at %q with reason containing %q; got:\n%v", path, reasons, err)
	}
	if only && len(fe) != 1 {
		t.Errorf("want only the problem at %q; got:\n%v", path, err)
	}
}

// dvSpaces reads as an endless run of spaces.
type dvSpaces struct{}

func (dvSpaces) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

type dvFailingReader struct{}

func (dvFailingReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestDecodeExample(t *testing.T) {
	in := dvExample(t)
	if in.Name != "Otley 2026-11-24" || len(in.Carers) != 4 || len(in.Clients) != 6 || len(in.Visits) != 11 || len(in.Dependencies) != 1 {
		t.Fatalf("example decoded wrongly: %+v", in)
	}
	if got := in.Carers[1].Shifts[1].Start; got != roster.Clock(16*3600+30*60) {
		t.Errorf("tomasz's second shift starts at %v, want 16:30", got)
	}
	if in.Carers[3].End == nil || in.Carers[0].End != nil {
		t.Error("carer end locations decoded wrongly")
	}
	if in.Visits[0].CarersNeeded() != 2 {
		t.Error("the double-handed visit lost its second carer")
	}
	if d := in.Dependencies[0]; d.MaxGapMin == nil || *d.MaxGapMin != 300 {
		t.Error("max_gap_min decoded wrongly")
	}
}

func TestDecodeInstanceProblems(t *testing.T) {
	ex := dvExampleJSON(t)
	nanDoc := dvVariant(t, `"lat": 53.9112`, `"lat": NaN`)
	tests := []struct {
		name   string
		doc    []byte
		path   string
		only   bool
		reason []string
	}{
		{"empty input", []byte(""), "", true, []string{"line 1, column 1", "empty"}},
		{"only dvSpaces", []byte("  \n "), "", true, []string{"empty"}},
		{"truncated", []byte(`{"carers": [{"id": "a", "start": {"lat": 53.`), "carers[0].start.lat", true,
			[]string{"invalid JSON", "line 1, column 45", "unexpected end of input"}},
		{"truncated after a key", []byte("{\"carers\": [{\"id\": \"a\"}, {\"start\":\n"), "carers[1].start", true,
			[]string{"line 2, column 1", "unexpected end of input"}},
		{"malformed trailing comma", []byte("{\n  \"date\": \"2026-11-24\",\n}"), "", true,
			[]string{"line 3, column 1", "invalid character '}'"}},
		{"malformed missing colon", []byte(`{"date" "2026-11-24"}`), "date", true,
			[]string{"line 1, column 9", "after object key"}},
		{"malformed bare word in array", []byte(`{"carers": [{"id": "a"}, oops]}`), "carers[1]", true,
			[]string{"line 1, column 26", "invalid character 'o'"}},
		{"NaN latitude is a syntax error", nanDoc, "carers[0].start.lat", true,
			[]string{"invalid JSON", dvPosOf(nanDoc, "NaN"), "invalid character 'N'"}},
		{"Infinity is a syntax error", dvVariant(t, `"speed_kmh": 4.5`, `"speed_kmh": Infinity`), "travel.modes.walk.speed_kmh", true,
			[]string{"invalid JSON", "invalid character 'I'"}},
		{"single quotes", []byte(`{'date': 1}`), "", true, []string{"line 1, column 2"}},
		{"trailing data", append(append([]byte{}, ex...), []byte("\n{}")...), "", true,
			[]string{"line " + strconv.Itoa(bytes.Count(ex, []byte{'\n'})+2) + ", column 1", "after the end of the document"}},
		{"trailing garbage", []byte(`{"date": "2026-11-24"} x`), "", true, []string{"column 24", "after the end of the document"}},
		{"invalid UTF-8", []byte("{\"name\": \"Otl\xffey\"}"), "name", true, []string{"line 1, column 14", "invalid UTF-8"}},
		{"control character in string", []byte("{\"name\": \"a\tb\"}"), "name", true, []string{"column 12", `invalid character '\t' in string`}},
		{"nested too deep", bytes.Repeat([]byte("["), 20000), strings.Repeat("[0]", 32) + "…", true, []string{"invalid JSON", "line 1, column 10001"}},
		{"very long unknown field", []byte(`{"` + strings.Repeat("x", 100) + `": 1, "date": "2026-11-24", "timezone": "UTC", "carers": [{"id": "a", "start": {"lat": 0, "lon": 0}, "shifts": [{"start": "07:00", "end": "08:00"}], "mode": "walk"}]}`),
			`["` + strings.Repeat("x", 64) + `"…]`, true, []string{"unknown field"}},
		{"top level array", []byte(`[1, 2]`), "", true, []string{"want an object, got array"}},
		{"top level null", []byte(`null`), "", true, []string{"want an object, got null"}},
		{"unknown top-level field", dvVariant(t, `"name": "Otley 2026-11-24",`, `"name": "Otley", "locality": "LS21",`), "locality", true,
			[]string{"unknown field"}},
		{"unknown nested field", dvVariant(t, `"id": "OT103-am", `, `"id": "OT103-am", "colour": "red", `), "visits[3].colour", true,
			[]string{"unknown field"}},
		{"field name in the wrong case", dvVariant(t, `"id": "OT103-am", "client": "OT103", "duration_min"`, `"id": "OT103-am", "client": "OT103", "Duration_Min"`),
			"visits[3].Duration_Min", false, []string{`unknown field; did you mean "duration_min"?`}},
		{"field given twice", dvVariant(t, `"id": "OT103-am", `, `"id": "OT103-am", "id": "OT103-pm", `), "visits[3].id", true,
			[]string{"given more than once"}},
		{"map key given twice", dvVariant(t, `"walk": {"speed_kmh": 4.5, "detour": 1.3}`, `"walk": {"speed_kmh": 4.5, "detour": 1.3}, "walk": {"speed_kmh": 5, "detour": 1.3}`),
			"travel.modes.walk", true, []string{"given more than once"}},
		{"string for a number", dvVariant(t, `"id": "OT104-bed", "client": "OT104", "duration_min": 45`, `"id": "OT104-bed", "client": "OT104", "duration_min": "45"`),
			"visits[10].duration_min", true, []string{"want a number, got string"}},
		{"fraction for a whole number", dvVariant(t, `"id": "OT104-bed", "client": "OT104", "duration_min": 45`, `"id": "OT104-bed", "client": "OT104", "duration_min": 45.5`),
			"visits[10].duration_min", true, []string{"want a whole number, got 45.5"}},
		{"whole number out of range", dvVariant(t, `"max_working_min": 480`, `"max_working_min": 99999999999999999999`),
			"carers[1].max_working_min", true, []string{"out of range"}},
		{"float out of range", dvVariant(t, `"lat": 53.9112`, `"lat": 1e999`), "carers[0].start.lat", true, []string{"out of range"}},
		{"number for a string", dvVariant(t, `"id": "OT103-am"`, `"id": 103`), "visits[3].id", true, []string{"want a string, got number"}},
		{"object for an array", dvVariant(t, `"skills": ["medication"], "gender": "male"`, `"skills": {"medication": true}, "gender": "male"`),
			"carers[3].skills", true, []string{"want an array, got object"}},
		{"string for a boolean", dvVariant(t, `"check": true`, `"check": "yes"`), "visits[7].check", true, []string{"want true or false, got string"}},
		{"bad time", dvVariant(t, `{"start": "09:30", "end": "11:00"}`, `{"start": "9.30", "end": "11:00"}`), "visits[5].windows[0].start", true,
			[]string{`time "9.30"`}},
		{"time past 48:00", dvVariant(t, `{"start": "18:30", "end": "19:30"}`, `{"start": "18:30", "end": "49:00"}`), "visits[10].windows[0].end", true,
			[]string{"later than 48:00"}},
		{"minutes past 59", dvVariant(t, `{"start": "12:00", "end": "20:00"}`, `{"start": "12:60", "end": "20:00"}`), "carers[3].shifts[0].start", true,
			[]string{"minutes and seconds run 00-59"}},
		{"number for a time", dvVariant(t, `{"start": "12:00", "end": "20:00"}`, `{"start": 12, "end": "20:00"}`), "carers[3].shifts[0].start", true,
			[]string{`want a time as a string "HH:MM", got number`}},
		{"missing required field", dvVariant(t, `"mode": "walk", `, ``), "carers[2].mode", true, []string{"missing"}},
		{"missing latitude", dvVariant(t, `"lat": 53.9112, `, ``), "carers[0].start.lat", true, []string{"missing"}},
		{"null for a required field", dvVariant(t, `"mode": "walk"`, `"mode": null`), "carers[2].mode", true, []string{"want a string, got null"}},
		{"null for a required array", dvVariant(t, `"windows": [{"start": "18:30", "end": "19:30"}]`, `"windows": null`), "visits[10].windows", true,
			[]string{"want an array, got null"}},
		{"null array element", dvVariant(t, `"skills": ["medication"], "gender": "male"`, `"skills": [null], "gender": "male"`),
			"carers[3].skills[0]", true, []string{"want a string, got null"}},
		{"negative duration", dvVariant(t, `"id": "OT104-bed", "client": "OT104", "duration_min": 45`, `"id": "OT104-bed", "client": "OT104", "duration_min": -45`),
			"visits[10].duration_min", true, []string{"must be more than 0"}},
		{"unknown carer id", dvVariant(t, `"preferred_carers": ["priya"]`, `"preferred_carers": ["pria"]`), "clients[1].preferences.preferred_carers[0]", true,
			[]string{`unknown carer "pria"`}},
		{"unknown client id", dvVariant(t, `"client": "OT106", "duration_min": 15`, `"client": "OT016", "duration_min": 15`), "visits[7].client", true,
			[]string{`unknown client "OT016"`}},
		{"window ending before it starts", dvVariant(t, `{"start": "08:30", "end": "10:00"}`, `{"start": "08:30", "end": "08:00"}`), "visits[3].windows[0].end", true,
			[]string{"before start"}},
		{"NaN given as a string", dvVariant(t, `"lat": 53.9112`, `"lat": "NaN"`), "carers[0].start.lat", true, []string{"want a number, got string"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in, err := roster.DecodeInstance(bytes.NewReader(tc.doc))
			if in != nil {
				t.Error("an instance was returned with an error")
			}
			dvExpectProblem(t, err, tc.path, tc.only, tc.reason...)
		})
	}
}

func TestDecodeInstanceListsEveryProblem(t *testing.T) {
	doc := dvExampleJSON(t)
	for _, r := range [][2]string{
		{`"id": "OT103-am", `, `"id": "OT103-am", "colour": "red", `},
		{`"duration_min": 45, "windows": [{"start": "18:30"`, `"duration_min": "45", "windows": [{"start": "18:30"`},
		{`"carer_gender": "female"`, `"carer_gender": "woman"`},
		{`"timezone": "Europe/London"`, `"timezone": "Europe/Otley"`},
	} {
		doc = bytes.Replace(doc, []byte(r[0]), []byte(r[1]), 1)
	}
	_, err := roster.DecodeInstance(bytes.NewReader(doc))
	fe := dvFieldErrors(t, err)
	want := []string{"visits[3].colour", "visits[10].duration_min", "timezone", "clients[0].preferences.carer_gender"}
	if len(fe) != len(want) {
		t.Fatalf("want %d problems, got:\n%v", len(want), err)
	}
	for i, p := range want {
		if fe[i].Path != p {
			t.Errorf("problem %d at %q, want %q", i, fe[i].Path, p)
		}
	}
}

func TestDecodeInstanceNullOptional(t *testing.T) {
	doc := dvVariant(t, `"max_gap_min": 300`, `"max_gap_min": null`)
	doc = bytes.Replace(doc, []byte(`"name": "Otley 2026-11-24"`), []byte(`"name": null`), 1)
	doc = bytes.Replace(doc, []byte(`{"id": "OT106", "location": {"lat": 53.9151, "lon": -1.6921}}`),
		[]byte(`{"id": "OT106", "location": {"lat": 53.9151, "lon": -1.6921}, "preferences": null}`), 1)
	in, err := roster.DecodeInstance(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if in.Name != "" || in.Dependencies[0].MaxGapMin != nil {
		t.Error("null did not leave optional fields unset")
	}
}

func TestDecodeInstanceInput(t *testing.T) {
	t.Run("too large", func(t *testing.T) {
		_, err := roster.DecodeInstance(io.LimitReader(dvSpaces{}, roster.MaxInputBytes+1))
		dvExpectProblem(t, err, "", true, "larger than")
	})
	t.Run("read error", func(t *testing.T) {
		_, err := roster.DecodeInstance(dvFailingReader{})
		dvExpectProblem(t, err, "", true, "reading input", "disk on fire")
	})
	t.Run("nil reader", func(t *testing.T) {
		_, err := roster.DecodeInstance(nil)
		dvExpectProblem(t, err, "", true, "no input")
	})
	t.Run("at the size limit", func(t *testing.T) {
		ex := dvExampleJSON(t)
		r := io.MultiReader(bytes.NewReader(ex), io.LimitReader(dvSpaces{}, int64(roster.MaxInputBytes-len(ex))))
		if _, err := roster.DecodeInstance(r); err != nil {
			t.Fatal(err)
		}
	})
}

func TestDecodeInstanceTooManyProblems(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"date": "2026-11-24", "timezone": "UTC", "carers": [`)
	for i := 0; i < 3000; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"x": 1}`)
	}
	b.WriteString("]}")
	_, err := roster.DecodeInstance(strings.NewReader(b.String()))
	fe := dvFieldErrors(t, err)
	if len(fe) > 1001 {
		t.Errorf("%d problems listed; want the list cut short", len(fe))
	}
	if last := fe[len(fe)-1]; !strings.Contains(last.Reason, "too many problems") {
		t.Errorf("last problem %v, want a note that the list was cut", last)
	}
}

const dvExamplePlan = `{
  "instance": "Otley 2026-11-24",
  "travel": {"provider": "straight-line", "version": "walk=4.5kmh*1.3"},
  "rounds": [
    {"carer": "ruth", "shift": 0, "mode": "drive", "departure": "07:37:12",
     "stops": [
       {"visit": "OT104-am", "client": "OT104", "arrival": "07:45", "start": "07:45", "end": "08:45",
        "travel_s": 468, "distance_m": 2340, "waiting_s": 0, "partner": "tomasz"}
     ],
     "return": "13:58", "return_travel_s": 300, "return_distance_m": 1500,
     "break": {"start": "11:10", "end": "11:30"}}
  ],
  "unassigned": [{"visit": "OT105-tea", "reason": "carers_busy", "detail": "no carer is free"}],
  "kpis": {"visits": 11, "visits_served": 10, "visits_unassigned": 1, "travel_by_mode": {"drive": {"travel_s": 468, "distance_m": 2340}}},
  "solver": {"seed": 1, "iterations": 100, "elapsed_s": 0.5, "objective": 1234.5}
}`

func TestDecodePlan(t *testing.T) {
	p, err := roster.DecodePlan(strings.NewReader(dvExamplePlan))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Rounds) != 1 || p.Rounds[0].Stops[0].Partner != "tomasz" || p.Rounds[0].Break == nil ||
		p.Rounds[0].Departure != roster.Clock(7*3600+37*60+12) || p.KPIs.TravelByMode[roster.Drive].TravelS != 468 ||
		p.Solver == nil || p.Solver.Seed != 1 || p.Unassigned[0].Reason != roster.ReasonCarersBusy {
		t.Fatalf("plan decoded wrongly: %+v", p)
	}
	if _, err := roster.DecodePlan(strings.NewReader(`{}`)); err != nil {
		t.Errorf("an empty plan is well formed: %v", err)
	}
	if _, err := roster.DecodePlan(strings.NewReader(`{"rounds": null, "solver": null}`)); err != nil {
		t.Errorf("null is the same as leaving a field out: %v", err)
	}
}

func TestDecodePlanProblems(t *testing.T) {
	tests := []struct {
		name   string
		old    string
		new    string
		path   string
		reason []string
	}{
		{"unknown field", `"partner": "tomasz"`, `"partner": "tomasz", "colour": "red"`, "rounds[0].stops[0].colour", []string{"unknown field"}},
		{"bad time", `"start": "07:45"`, `"start": "7:45am"`, "rounds[0].stops[0].start", []string{`time "7:45am"`}},
		{"string for a number", `"travel_s": 468, "distance_m": 2340, "waiting_s"`, `"travel_s": "468", "distance_m": 2340, "waiting_s"`,
			"rounds[0].stops[0].travel_s", []string{"want a number, got string"}},
		{"syntax", `"shift": 0,`, `"shift": 0,,`, "rounds[0]", []string{"line 5, column 34", "invalid character ','"}},
		{"trailing data", "\n}", "\n}}", "", []string{"after the end of the document"}},
		{"seed out of range", `"seed": 1`, `"seed": 1e3`, "solver.seed", []string{"want a whole number"}},
		{"map value of the wrong type", `"drive": {"travel_s"`, `"drive": [], "walk": {"travel_s"`, "kpis.travel_by_mode.drive", []string{"want an object, got array"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if strings.Count(dvExamplePlan, tc.old) != 1 {
				t.Fatalf("%q does not occur once in the plan", tc.old)
			}
			doc := strings.Replace(dvExamplePlan, tc.old, tc.new, 1)
			p, err := roster.DecodePlan(strings.NewReader(doc))
			if p != nil {
				t.Error("a plan was returned with an error")
			}
			dvExpectProblem(t, err, tc.path, true, tc.reason...)
		})
	}
}

// TestFormatDoc keeps docs/FORMAT.md true to the code: its complete example
// is testdata/example_day.json, and its plan fragments read as plan parts.
func TestFormatDoc(t *testing.T) {
	doc, err := os.ReadFile("../docs/FORMAT.md")
	if err != nil {
		t.Fatal(err)
	}
	// jsonBlock returns the first ```json block after heading.
	jsonBlock := func(heading string) string {
		t.Helper()
		_, rest, ok := strings.Cut(string(doc), "\n"+heading+"\n")
		if !ok {
			t.Fatalf("FORMAT.md has no heading %q", heading)
		}
		_, rest, ok = strings.Cut(rest, "```json\n")
		if !ok {
			t.Fatalf("no JSON block after %q", heading)
		}
		block, _, _ := strings.Cut(rest, "```")
		return block
	}
	if got := jsonBlock("## A complete example"); got != string(dvExampleJSON(t)) {
		t.Error("the complete example in docs/FORMAT.md differs from testdata/example_day.json")
	}
	for _, part := range []struct{ heading, wrap string }{
		{"### Rounds and stops", `{"rounds": [%s]}`},
		{"### Unassigned visits", `{"unassigned": [%s]}`},
	} {
		text := strings.Replace(part.wrap, "%s", jsonBlock(part.heading), 1)
		if _, err := roster.DecodePlan(strings.NewReader(text)); err != nil {
			t.Errorf("the fragment under %q: %v", part.heading, err)
		}
	}
	// The re-planning example's changes apply to the small week, and its
	// affected list reads as a plan's.
	var ch roster.Changes
	if err := roster.DecodeStrict([]byte(jsonBlock("### Re-planning within a period")), &ch); err != nil {
		t.Fatalf("the changes under \"Re-planning within a period\": %v", err)
	}
	changed, err := ch.Apply(wkSmall(t))
	if err == nil {
		err = changed.Validate()
	}
	if err != nil {
		t.Errorf("the changes under \"Re-planning within a period\" do not apply to testdata/week_small.json: %v", err)
	}
	_, rest, _ := strings.Cut(string(doc), "\n### Re-planning within a period\n")
	_, rest, _ = strings.Cut(rest, "\"affected\": {")
	block, _, _ := strings.Cut(rest, "```")
	if _, err := roster.DecodePlan(strings.NewReader(`{"rounds": [], "unassigned": [], "affected": {` + block + "}")); err != nil {
		t.Errorf("the affected list under \"Re-planning within a period\": %v", err)
	}
}
