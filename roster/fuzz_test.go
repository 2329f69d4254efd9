package roster_test

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

// dvSameValue reports whether a and b are deeply equal, taking a nil slice or
// map to equal an empty one: JSON leaves out empty lists under omitempty.
func dvSameValue(a, b reflect.Value) bool {
	if a.Type() != b.Type() {
		return false
	}
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return dvSameValue(a.Elem(), b.Elem())
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if !dvSameValue(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if a.Len() != b.Len() {
			return false
		}
		for i := 0; i < a.Len(); i++ {
			if !dvSameValue(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.Len() != b.Len() {
			return false
		}
		for _, k := range a.MapKeys() {
			bv := b.MapIndex(k)
			if !bv.IsValid() || !dvSameValue(a.MapIndex(k), bv) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a.Interface(), b.Interface())
}

// dvCheckError asserts the shape of every decoding error.
func dvCheckError(t *testing.T, err error) {
	t.Helper()
	fe, ok := err.(roster.FieldErrors)
	if !ok {
		t.Fatalf("error %T is not FieldErrors: %v", err, err)
	}
	if len(fe) == 0 {
		t.Fatal("empty FieldErrors returned as an error")
	}
	for _, e := range fe {
		if e.Reason == "" {
			t.Fatalf("problem at %q without a reason", e.Path)
		}
	}
}

func FuzzDecodeInstance(f *testing.F) {
	ex := dvExampleJSON(f)
	f.Add(ex)
	f.Add(ex[:len(ex)/3])
	f.Add(ex[:len(ex)-2])
	for _, r := range [][2]string{
		{`"lat": 53.9112`, `"lat": NaN`},
		{`"lat": 53.9112`, `"lat": -1e999`},
		{`"duration_min": 45, "windows": [{"start": "18:30"`, `"duration_min": "45", "windows": [{"start": "18:30"`},
		{`{"start": "08:30", "end": "10:00"}`, `{"start": "08:30", "end": "08:00"}`},
		{`"preferred_carers": ["priya"]`, `"preferred_carers": ["pria"], "excluded_carers": ["priya"]`},
		{`"carers": 2`, `"carers": 3`},
		{`"mode": "walk", `, ``},
		{`"id": "OT103-am", `, `"id": "OT103-am", "id": "x", "Client": 1, `},
		{`"max_gap_min": 300`, `"max_gap_min": null`},
		{`"walk": {"speed_kmh": 4.5, "detour": 1.3}`, `"walk": {"speed_kmh": 4.5, "detour": 1.3}, "w\u0061lk": {}`},
		{`"Otley 2026-11-24"`, `"Otl\ud800ey \u00e9"`},
		{`"12:00", "end": "20:00"`, `"12:00:30", "end": "47:59:59"`},
	} {
		f.Add(bytes.Replace(ex, []byte(r[0]), []byte(r[1]), 1))
	}
	f.Add(append(append([]byte{}, ex...), "{}"...))
	// Period documents: the small week and variants of it.
	wk, err := os.ReadFile("../testdata/week_small.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(wk)
	for _, r := range [][2]string{
		{`"days": "daily", "time": "07:30"`, `"days": "weekly", "time": "07:30"`},
		{`"days": ["mon", "wed", "fri"]`, `"days": ["mon", 3, null]`},
		{`"days": ["sat", "sun"]`, `"days": ["sat", "sat"]`},
		{`"days": 7}`, `"days": 29}`},
		{`"start": "2026-11-23"`, `"start": "2026-03-28"`},
		{`"time": "09:00"`, `"time": "01:30"`},
		{`"sat": [{"start": "08:00", "end": "13:00"}]`, `"sat": [], "sat": []`},
		{`"days_off": ["2026-11-25"]`, `"days_off": ["2026-11-25", null]`},
		{`"contract": {"target_hours": 30}`, `"contract": {"target_hours": 1e400}`},
		{`"max_week_hours": 48`, `"max_week_hours": null`},
		{`"history": [`, `"date": "2026-11-23", "history": [`},
		{`"date": "2026-11-26", `, ``},
		{`"team": ["K1", "K3"]`, `"team": ["K1", "K9"]`},
	} {
		f.Add(bytes.Replace(wk, []byte(r[0]), []byte(r[1]), 1))
	}
	for _, s := range []string{
		``, `null`, `[]`, `{}`, `{"date": "2026-11-24"}`, "\xff", `{"a":`, `{"carers": [{}]}`, `"x"`, `0`,
		`{"date": "2026-11-24", "timezone": "UTC", "carers": [{"id": "a", "start": {"lat": 0, "lon": 0}, "shifts": [{"start": "7:00", "end": "08:00"}], "mode": "walk"}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := roster.DecodeInstance(bytes.NewReader(data))
		if err != nil {
			if in != nil {
				t.Fatal("an instance was returned with an error")
			}
			dvCheckError(t, err)
			return
		}
		if err := in.Validate(); err != nil {
			t.Fatalf("decoded instance fails Validate: %v", err)
		}
		out, err := json.Marshal(in)
		if err != nil {
			t.Fatalf("re-encoding: %v", err)
		}
		again, err := roster.DecodeInstance(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("decoding the re-encoded instance: %v\n%s", err, out)
		}
		if !dvSameValue(reflect.ValueOf(in), reflect.ValueOf(again)) {
			t.Fatalf("round trip changed the instance:\n%+v\n%+v", in, again)
		}
	})
}

func FuzzDecodePlan(f *testing.F) {
	f.Add([]byte(dvExamplePlan))
	f.Add([]byte(dvExamplePlan[:len(dvExamplePlan)/2]))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"rounds": [{"stops": [null]}]}`))
	f.Add([]byte(`{"kpis": {"travel_by_mode": {"walk": {"travel_s": 1.5}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := roster.DecodePlan(bytes.NewReader(data))
		if err != nil {
			if p != nil {
				t.Fatal("a plan was returned with an error")
			}
			dvCheckError(t, err)
			return
		}
		out, err := json.Marshal(p)
		if err != nil {
			// Only a float the JSON encoder refuses could cause this, and
			// JSON cannot hold one.
			t.Fatalf("re-encoding: %v", err)
		}
		again, err := roster.DecodePlan(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("decoding the re-encoded plan: %v\n%s", err, out)
		}
		if !dvSameValue(reflect.ValueOf(p), reflect.ValueOf(again)) {
			t.Fatalf("round trip changed the plan:\n%+v\n%+v", p, again)
		}
	})
}

// FuzzValidate builds instances from fuzzed numbers, including NaN and
// infinities that JSON cannot carry, and checks that Validate never panics
// and names a field for every problem.
func FuzzValidate(f *testing.F) {
	f.Add(53.9, -1.69, int32(7*3600), int32(14*3600), 30, 2, 1.0, 180, 300)
	f.Add(91.0, 0.0, int32(-1), int32(0), -5, 3, -1.0, -1, -2)
	f.Fuzz(func(t *testing.T, lat, lon float64, start, end int32, dur, carers int, cost float64, minGap, maxGap int) {
		in := &roster.Instance{
			Date: "2026-11-24", TimeZone: "Europe/London",
			Carers: []roster.Carer{{ID: "a", Start: roster.Location{Lat: lat, Lon: lon}, Mode: roster.Walk,
				Shifts: []roster.Shift{{Start: roster.Clock(start), End: roster.Clock(end)}}}},
			Clients: []roster.Client{{ID: "c", Location: roster.Location{Lat: lon, Lon: lat}}},
			Visits: []roster.Visit{
				{ID: "v1", Client: "c", DurationMin: dur, Carers: carers, LatenessCost: cost, WindowType: roster.Soft,
					Windows: []roster.Window{{Start: roster.Clock(start), End: roster.Clock(end)}}},
				{ID: "v2", Client: "c", DurationMin: 30, Windows: []roster.Window{{Start: roster.Clock(end), End: roster.Clock(start)}}},
			},
			Dependencies: []roster.Dependency{{Type: roster.Sequential, First: "v1", Second: "v2", MinGapMin: minGap, MaxGapMin: &maxGap}},
		}
		err := in.Validate()
		if err == nil {
			return
		}
		dvCheckError(t, err)
		for _, e := range err.(roster.FieldErrors) {
			if e.Path == "" {
				t.Fatalf("problem without a path: %v", e)
			}
		}
	})
}
