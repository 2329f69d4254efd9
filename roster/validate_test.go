package roster_test

import (
	"bytes"
	"math"
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

// dvHM is a Clock at h:m.
func dvHM(h, m int) roster.Clock { return roster.Clock(h*3600 + m*60) }

func dvIntPtr(v int) *int { return &v }

// The example day's carers are ruth, tomasz (split shift), priya (walker)
// and dan; its clients OT101 to OT106; visits[0] is double-handed and
// dependencies[0] ties visits[5] to visits[7].

func TestValidateExample(t *testing.T) {
	if err := dvExample(t).Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestValidateAccepts(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(in *roster.Instance)
	}{
		{"no name", func(in *roster.Instance) { in.Name = "" }},
		{"UTC", func(in *roster.Instance) { in.TimeZone = "UTC" }},
		{"another zone", func(in *roster.Instance) { in.TimeZone = "America/St_Johns" }},
		{"leap day", func(in *roster.Instance) { in.Date = "2028-02-29" }},
		{"no clients or visits", func(in *roster.Instance) {
			in.Clients, in.Visits, in.Dependencies = nil, nil, nil
		}},
		{"shifts back to back", func(in *roster.Instance) { in.Carers[1].Shifts[1].Start = dvHM(11, 0) }},
		{"night shift past midnight", func(in *roster.Instance) {
			in.Carers[3].Shifts[0] = roster.Shift{Start: dvHM(22, 0), End: dvHM(31, 0)}
		}},
		{"shift to 48:00", func(in *roster.Instance) { in.Carers[1].Shifts[1].End = roster.MaxClock }},
		{"window of one moment", func(in *roster.Instance) { in.Visits[3].Windows[0].End = in.Visits[3].Windows[0].Start }},
		{"gender other", func(in *roster.Instance) { in.Carers[0].Gender = "other" }},
		{"no gender", func(in *roster.Instance) { in.Carers[0].Gender = "" }},
		{"zero working cap", func(in *roster.Instance) { in.Carers[1].MaxWorkingMin = 0 }},
		{"maximum leg of the mode's default", func(in *roster.Instance) { in.Carers[2].MaxLegMin = 0 }},
		{"maximum leg of a minute", func(in *roster.Instance) { in.Carers[2].MaxLegMin = 1 }},
		{"maximum leg of 48 hours", func(in *roster.Instance) { in.Carers[2].MaxLegMin = 2880 }},
		{"maximum leg for a driver", func(in *roster.Instance) { in.Carers[3].MaxLegMin = 30 }},
		{"poles and antimeridian", func(in *roster.Instance) {
			in.Clients[0].Location = roster.Location{Lat: 90, Lon: -180}
			in.Clients[1].Location = roster.Location{Lat: -90, Lon: 180}
		}},
		{"one carer, single-handed visits", func(in *roster.Instance) {
			in.Carers = in.Carers[:1]
			in.Clients[1].Preferences.PreferredCarers = nil
			in.Clients[2].Preferences.ExcludedCarers = nil
			in.Visits[0].Carers = 1
		}},
		{"hard window with a lateness cost", func(in *roster.Instance) { in.Visits[3].LatenessCost = 5 }},
		{"explicit hard and one carer", func(in *roster.Instance) { in.Visits[3].WindowType = roster.Hard; in.Visits[3].Carers = 1 }},
		{"priority 1000", func(in *roster.Instance) { in.Visits[3].Priority = 1000 }},
		{"duration 24 hours", func(in *roster.Instance) { in.Visits[3].DurationMin = 24 * 60 }},
		{"sequential without a maximum", func(in *roster.Instance) { in.Dependencies[0].MaxGapMin = nil }},
		{"sequential with equal gaps", func(in *roster.Instance) { in.Dependencies[0].MaxGapMin = dvIntPtr(180) }},
		{"simultaneous", func(in *roster.Instance) {
			in.Dependencies = append(in.Dependencies, roster.Dependency{Type: roster.Simultaneous, First: "OT102-tea", Second: "OT105-tea"})
		}},
		{"one visit in two dependencies", func(in *roster.Instance) {
			in.Dependencies = append(in.Dependencies, roster.Dependency{Type: roster.Sequential, First: "OT106-am", Second: "OT101-lunch"})
		}},
		{"no travel settings", func(in *roster.Instance) { in.Travel = nil }},
		{"travel settings without modes", func(in *roster.Instance) { in.Travel.Modes = nil }},
		{"every mode", func(in *roster.Instance) {
			for _, m := range roster.Modes {
				in.Travel.Modes[m] = roster.ModeSpeed{SpeedKMH: 10, Detour: 1}
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := dvExample(t)
			tc.mutate(in)
			if err := in.Validate(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestValidateRejects(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(in *roster.Instance)
		path   string
		reason string
		// more is set when the change causes other problems as well.
		more bool
	}{
		// The day.
		{"date missing", func(in *roster.Instance) { in.Date = "" }, "date", "missing", false},
		{"date in another format", func(in *roster.Instance) { in.Date = "24/11/2026" }, "date", "YYYY-MM-DD", false},
		{"date without zero padding", func(in *roster.Instance) { in.Date = "2026-1-024" }, "date", "YYYY-MM-DD", false},
		{"date that does not exist", func(in *roster.Instance) { in.Date = "2026-02-29" }, "date", "not a real date", false},
		{"month 13", func(in *roster.Instance) { in.Date = "2026-13-01" }, "date", "not a real date", false},
		{"time zone missing", func(in *roster.Instance) { in.TimeZone = "" }, "timezone", "missing", false},
		{"time zone unknown", func(in *roster.Instance) { in.TimeZone = "Europe/Otley" }, "timezone", `unknown time zone "Europe/Otley"`, false},
		{"time zone of the machine", func(in *roster.Instance) { in.TimeZone = "Local" }, "timezone", "depends on the machine", false},
		{"time zone path", func(in *roster.Instance) { in.TimeZone = "../../etc/passwd" }, "timezone", "unknown time zone", false},

		// Carers.
		{"no carers", func(in *roster.Instance) { in.Carers = nil }, "carers", "at least one carer", true},
		{"carer id missing", func(in *roster.Instance) { in.Carers[0].ID = "" }, "carers[0].id", "missing", false},
		{"carer id blank", func(in *roster.Instance) { in.Carers[0].ID = " " }, "carers[0].id", "missing", false},
		{"carer id repeated", func(in *roster.Instance) { in.Carers[1].ID = "ruth" }, "carers[1].id", `"ruth" is already the id of carers[0]`, false},
		{"latitude too far north", func(in *roster.Instance) { in.Carers[0].Start.Lat = 90.5 }, "carers[0].start.lat", "between -90 and 90", false},
		{"longitude too far west", func(in *roster.Instance) { in.Carers[0].Start.Lon = -181 }, "carers[0].start.lon", "between -180 and 180", false},
		{"NaN latitude", func(in *roster.Instance) { in.Carers[0].Start.Lat = math.NaN() }, "carers[0].start.lat", "finite", false},
		{"infinite longitude", func(in *roster.Instance) { in.Carers[2].Start.Lon = math.Inf(-1) }, "carers[2].start.lon", "finite", false},
		{"NaN end location", func(in *roster.Instance) { in.Carers[3].End.Lon = math.NaN() }, "carers[3].end.lon", "finite", false},
		{"no shifts", func(in *roster.Instance) { in.Carers[0].Shifts = nil }, "carers[0].shifts", "at least one shift", false},
		{"shift ending before it starts", func(in *roster.Instance) { in.Carers[0].Shifts[0].End = dvHM(6, 0) }, "carers[0].shifts[0].end", "must be after start", false},
		{"shift of no length", func(in *roster.Instance) { in.Carers[0].Shifts[0].End = dvHM(7, 0) }, "carers[0].shifts[0].end", "must be after start", false},
		{"shifts overlapping", func(in *roster.Instance) { in.Carers[1].Shifts[1].Start = dvHM(10, 0) }, "carers[1].shifts[1].start", "not overlap", false},
		{"shifts out of order", func(in *roster.Instance) {
			in.Carers[1].Shifts[0], in.Carers[1].Shifts[1] = in.Carers[1].Shifts[1], in.Carers[1].Shifts[0]
		}, "carers[1].shifts[1].start", "in order", false},
		{"shift before midnight", func(in *roster.Instance) { in.Carers[0].Shifts[0].Start = -60 }, "carers[0].shifts[0].start", "between 00:00 and 48:00", false},
		{"shift past 48:00", func(in *roster.Instance) { in.Carers[0].Shifts[0].End = roster.MaxClock + 1 }, "carers[0].shifts[0].end", "between 00:00 and 48:00", false},
		{"mode missing", func(in *roster.Instance) { in.Carers[2].Mode = "" }, "carers[2].mode", "missing", false},
		{"mode unknown", func(in *roster.Instance) { in.Carers[2].Mode = "car" }, "carers[2].mode", `unknown travel mode "car"`, false},
		{"gender unknown", func(in *roster.Instance) { in.Carers[0].Gender = "f" }, "carers[0].gender", `got "f"`, false},
		{"working cap negative", func(in *roster.Instance) { in.Carers[1].MaxWorkingMin = -1 }, "carers[1].max_working_min", "must not be negative", false},
		{"working cap too long", func(in *roster.Instance) { in.Carers[1].MaxWorkingMin = 2881 }, "carers[1].max_working_min", "at most 2880", false},
		{"maximum leg negative", func(in *roster.Instance) { in.Carers[2].MaxLegMin = -5 }, "carers[2].max_leg_min", "must not be negative", false},
		{"maximum leg too long", func(in *roster.Instance) { in.Carers[3].MaxLegMin = 2881 }, "carers[3].max_leg_min", "at most 2880", false},
		{"break after no work", func(in *roster.Instance) { in.Carers[0].Break.AfterWorkingMin = 0 }, "carers[0].break.after_working_min", "more than 0", false},
		{"break of negative length", func(in *roster.Instance) { in.Carers[0].Break.DurationMin = -20 }, "carers[0].break.duration_min", "more than 0", false},
		{"break of no length", func(in *roster.Instance) { in.Carers[0].Break.DurationMin = 0 }, "carers[0].break.duration_min", "more than 0", false},
		{"empty skill", func(in *roster.Instance) { in.Carers[0].Skills = append(in.Carers[0].Skills, "") }, "carers[0].skills[3]", "must not be empty", false},
		{"blank language", func(in *roster.Instance) { in.Carers[2].Languages[1] = "  " }, "carers[2].languages[1]", "must not be empty", false},

		// Clients.
		{"client id missing", func(in *roster.Instance) { in.Clients[5].ID = "" }, "clients[5].id", "missing", true},
		{"client id repeated", func(in *roster.Instance) { in.Clients[3].ID = "OT101" }, "clients[3].id", `"OT101" is already the id of clients[0]`, true},
		{"client location NaN", func(in *roster.Instance) { in.Clients[2].Location.Lat = math.NaN() }, "clients[2].location.lat", "finite", false},
		{"client longitude out of range", func(in *roster.Instance) { in.Clients[2].Location.Lon = 200 }, "clients[2].location.lon", "between -180 and 180", false},
		{"carer gender other", func(in *roster.Instance) { in.Clients[0].Preferences.CarerGender = "other" }, "clients[0].preferences.carer_gender", `got "other"`, false},
		{"unknown preferred carer", func(in *roster.Instance) { in.Clients[1].Preferences.PreferredCarers = []string{"priya", "zoe"} },
			"clients[1].preferences.preferred_carers[1]", `unknown carer "zoe"`, false},
		{"unknown excluded carer", func(in *roster.Instance) { in.Clients[2].Preferences.ExcludedCarers = []string{"Dan"} },
			"clients[2].preferences.excluded_carers[0]", `unknown carer "Dan"`, false},
		{"empty excluded carer", func(in *roster.Instance) { in.Clients[2].Preferences.ExcludedCarers = []string{""} },
			"clients[2].preferences.excluded_carers[0]", "missing", false},
		{"carer both preferred and excluded", func(in *roster.Instance) { in.Clients[1].Preferences.ExcludedCarers = []string{"priya"} },
			"clients[1].preferences.excluded_carers[0]", "also in preferred_carers", false},

		// Visits.
		{"visit id missing", func(in *roster.Instance) { in.Visits[3].ID = "" }, "visits[3].id", "missing", false},
		{"visit id repeated", func(in *roster.Instance) { in.Visits[4].ID = "OT103-am" }, "visits[4].id", `"OT103-am" is already the id of visits[3]`, false},
		{"visit client missing", func(in *roster.Instance) { in.Visits[3].Client = "" }, "visits[3].client", "missing", false},
		{"visit client unknown", func(in *roster.Instance) { in.Visits[3].Client = "OT999" }, "visits[3].client", `unknown client "OT999"`, false},
		{"duration zero", func(in *roster.Instance) { in.Visits[3].DurationMin = 0 }, "visits[3].duration_min", "more than 0", false},
		{"duration negative", func(in *roster.Instance) { in.Visits[3].DurationMin = -30 }, "visits[3].duration_min", "more than 0, got -30", false},
		{"duration over a day", func(in *roster.Instance) { in.Visits[3].DurationMin = 24*60 + 1 }, "visits[3].duration_min", "at most 1440", false},
		{"no windows", func(in *roster.Instance) { in.Visits[3].Windows = nil }, "visits[3].windows", "at least one window", false},
		{"window ending before it starts", func(in *roster.Instance) { in.Visits[3].Windows[0].End = dvHM(8, 0) }, "visits[3].windows[0].end", "before start", false},
		{"window before midnight", func(in *roster.Instance) { in.Visits[3].Windows[0].Start = -1 }, "visits[3].windows[0].start", "between 00:00 and 48:00", false},
		{"windows overlapping", func(in *roster.Instance) { in.Visits[8].Windows[1].Start = dvHM(17, 0) }, "visits[8].windows[1].start", "not overlap", false},
		{"windows touching", func(in *roster.Instance) { in.Visits[8].Windows[1].Start = dvHM(17, 30) }, "visits[8].windows[1].start", "not overlap", false},
		{"windows out of order", func(in *roster.Instance) {
			w := in.Visits[8].Windows
			w[0], w[1] = w[1], w[0]
		}, "visits[8].windows[1].start", "in order", false},
		{"window type unknown", func(in *roster.Instance) { in.Visits[3].WindowType = "firm" }, "visits[3].window_type", `got "firm"`, false},
		{"lateness cost NaN", func(in *roster.Instance) { in.Visits[4].LatenessCost = math.NaN() }, "visits[4].lateness_cost", "finite", false},
		{"lateness cost infinite", func(in *roster.Instance) { in.Visits[4].LatenessCost = math.Inf(1) }, "visits[4].lateness_cost", "finite", false},
		{"lateness cost negative", func(in *roster.Instance) { in.Visits[4].LatenessCost = -1 }, "visits[4].lateness_cost", "must not be negative", false},
		{"lateness cost huge", func(in *roster.Instance) { in.Visits[4].LatenessCost = 1e7 }, "visits[4].lateness_cost", "at most", false},
		{"three carers", func(in *roster.Instance) { in.Visits[0].Carers = 3 }, "visits[0].carers", "must be 1 or 2, got 3", false},
		{"negative carers", func(in *roster.Instance) { in.Visits[3].Carers = -1 }, "visits[3].carers", "must be 1 or 2", false},
		{"priority negative", func(in *roster.Instance) { in.Visits[3].Priority = -1 }, "visits[3].priority", "between 0 and 1000", false},
		{"priority too high", func(in *roster.Instance) { in.Visits[3].Priority = 1001 }, "visits[3].priority", "between 0 and 1000", false},
		{"empty required skill", func(in *roster.Instance) { in.Visits[0].RequiredSkills = []string{"hoist", ""} }, "visits[0].required_skills[1]", "must not be empty", false},

		// Dependencies.
		{"dependency type missing", func(in *roster.Instance) { in.Dependencies[0].Type = "" }, "dependencies[0].type", "missing", false},
		{"dependency type unknown", func(in *roster.Instance) { in.Dependencies[0].Type = "parallel" }, "dependencies[0].type", `got "parallel"`, false},
		{"dependency on an unknown visit", func(in *roster.Instance) { in.Dependencies[0].First = "OT106-pm" }, "dependencies[0].first", `unknown visit "OT106-pm"`, false},
		{"dependency second missing", func(in *roster.Instance) { in.Dependencies[0].Second = "" }, "dependencies[0].second", "missing", false},
		{"dependency on itself", func(in *roster.Instance) { in.Dependencies[0].Second = "OT106-am" }, "dependencies[0].second", "same visit as first", false},
		{"simultaneous with a minimum gap", func(in *roster.Instance) {
			in.Dependencies[0].Type, in.Dependencies[0].MaxGapMin = roster.Simultaneous, nil
		}, "dependencies[0].min_gap_min", "takes no gaps", false},
		{"simultaneous with a maximum gap", func(in *roster.Instance) {
			in.Dependencies[0].Type, in.Dependencies[0].MinGapMin = roster.Simultaneous, 0
		}, "dependencies[0].max_gap_min", "takes no gaps", false},
		{"sequential negative gap", func(in *roster.Instance) { in.Dependencies[0].MinGapMin = -10 }, "dependencies[0].min_gap_min", "must not be negative", false},
		{"sequential maximum below minimum", func(in *roster.Instance) { in.Dependencies[0].MaxGapMin = dvIntPtr(120) },
			"dependencies[0].max_gap_min", "at least min_gap_min (180)", false},
		{"sequential maximum too long", func(in *roster.Instance) { in.Dependencies[0].MaxGapMin = dvIntPtr(5000) },
			"dependencies[0].max_gap_min", "at most 2880", false},
		{"pair listed twice", func(in *roster.Instance) { in.Dependencies = append(in.Dependencies, in.Dependencies[0]) },
			"dependencies[1]", "already tied by dependencies[0]", false},
		{"pair listed twice the other way round", func(in *roster.Instance) {
			in.Dependencies = append(in.Dependencies, roster.Dependency{Type: roster.Simultaneous, First: "OT106-meds", Second: "OT106-am"})
		}, "dependencies[1]", "already tied by dependencies[0]", false},

		// Travel.
		{"travel mode unknown", func(in *roster.Instance) { in.Travel.Modes["bus"] = roster.ModeSpeed{SpeedKMH: 12, Detour: 1.4} },
			"travel.modes.bus", `unknown travel mode "bus"`, false},
		{"speed zero", func(in *roster.Instance) { in.Travel.Modes[roster.Walk] = roster.ModeSpeed{Detour: 1.3} },
			"travel.modes.walk.speed_kmh", "positive", false},
		{"speed NaN", func(in *roster.Instance) {
			in.Travel.Modes[roster.Drive] = roster.ModeSpeed{SpeedKMH: math.NaN(), Detour: 1.3}
		}, "travel.modes.drive.speed_kmh", "positive", false},
		{"speed infinite", func(in *roster.Instance) {
			in.Travel.Modes[roster.Drive] = roster.ModeSpeed{SpeedKMH: math.Inf(1), Detour: 1.3}
		}, "travel.modes.drive.speed_kmh", "positive", false},
		{"detour below 1", func(in *roster.Instance) { in.Travel.Modes[roster.Walk] = roster.ModeSpeed{SpeedKMH: 4, Detour: 0.9} },
			"travel.modes.walk.detour", "at least 1", false},
		{"detour infinite", func(in *roster.Instance) {
			in.Travel.Modes[roster.Walk] = roster.ModeSpeed{SpeedKMH: 4, Detour: math.Inf(1)}
		}, "travel.modes.walk.detour", "at least 1", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := dvExample(t)
			tc.mutate(in)
			dvExpectProblem(t, in.Validate(), tc.path, !tc.more, tc.reason)
		})
	}
}

// TestValidateDoubleHandedOneCarer: a double-handed visit on a day with one
// carer is an error at the visit's carers field.
func TestValidateDoubleHandedOneCarer(t *testing.T) {
	in := &roster.Instance{
		Date: "2026-11-24", TimeZone: "Europe/London",
		Carers: []roster.Carer{{ID: "ruth", Start: roster.Location{Lat: 53.9, Lon: -1.69}, Mode: roster.Drive,
			Shifts: []roster.Shift{{Start: dvHM(7, 0), End: dvHM(14, 0)}}}},
		Clients: []roster.Client{{ID: "OT104", Location: roster.Location{Lat: 53.9, Lon: -1.70}}},
		Visits: []roster.Visit{{ID: "OT104-am", Client: "OT104", DurationMin: 60, Carers: 2,
			Windows: []roster.Window{{Start: dvHM(7, 45), End: dvHM(8, 15)}}}},
	}
	dvExpectProblem(t, in.Validate(), "visits[0].carers", true, "double-handed", "has 1")
	in.Visits[0].Carers = 1
	if err := in.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestValidateNil(t *testing.T) {
	var in *roster.Instance
	dvExpectProblem(t, in.Validate(), "", true, "no instance")
}

// TestValidateListsEveryProblem: Validate does not stop at the first
// problem, and lists problems in the order of the document.
func TestValidateListsEveryProblem(t *testing.T) {
	in := dvExample(t)
	in.Date = "tomorrow"
	in.Carers[3].Shifts[0].End = dvHM(11, 0)
	in.Clients[1].Preferences.PreferredCarers = []string{"pria"}
	in.Visits[10].Windows[0].End = dvHM(18, 0)
	in.Visits[2].DurationMin = -5
	in.Dependencies[0].Second = "nope"
	want := []string{
		"date",
		"carers[3].shifts[0].end",
		"clients[1].preferences.preferred_carers[0]",
		"visits[2].duration_min",
		"visits[10].windows[0].end",
		"dependencies[0].second",
	}
	fe := dvFieldErrors(t, in.Validate())
	if len(fe) != len(want) {
		t.Fatalf("want %d problems, got:\n%v", len(want), fe)
	}
	for i, p := range want {
		if fe[i].Path != p {
			t.Errorf("problem %d at %q, want %q", i, fe[i].Path, p)
		}
	}
}

// TestDecodeInstanceNoEchoes: a field that cannot be decoded is reported
// once, not again by Validate for the zero value left behind.
func TestDecodeInstanceNoEchoes(t *testing.T) {
	doc := dvVariant(t, `"id": "OT104-bed", "client": "OT104", "duration_min": 45`, `"id": "OT104-bed", "client": "OT104", "duration_min": true`)
	_, err := roster.DecodeInstance(bytes.NewReader(doc))
	dvExpectProblem(t, err, "visits[10].duration_min", true, "want a number, got boolean")
}
