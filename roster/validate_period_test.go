package roster_test

import (
	"bytes"
	"math"
	"os"
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

// The small week: carers K1 (Mon-Fri pattern, Wednesday off), K2 (split
// pattern, Saturday availability), K3 (shifts every day, opted out), K4;
// clients C1-C5; care[0] C1-breakfast (daily, time, double-handed),
// care[1] C1-bed (daily, windows), care[2] C2-lunch (Mon/Wed/Fri).

func wkSmall(t *testing.T) *roster.Instance {
	t.Helper()
	b, err := os.ReadFile("../testdata/week_small.json")
	if err != nil {
		t.Fatal(err)
	}
	in, err := roster.DecodeInstance(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func wkInt(v int) *int { return &v }

func wkClock(c roster.Clock) *roster.Clock { return &c }

func TestValidatePeriodRejects(t *testing.T) {
	sh := func(a, b roster.Clock) []roster.Shift { return []roster.Shift{{Start: a, End: b}} }
	tests := []struct {
		name   string
		mutate func(in *roster.Instance)
		path   string
		reason string
	}{
		// The period.
		{"date and period", func(in *roster.Instance) { in.Date = "2026-11-23" }, "period", "not both"},
		{"neither date nor period", func(in *roster.Instance) { in.Period = nil }, "date", "missing"},
		{"period start not a date", func(in *roster.Instance) { in.Period.Start = "23/11/2026" }, "period.start", "YYYY-MM-DD"},
		{"period of no days", func(in *roster.Instance) { in.Period.Days = 0 }, "period.days", "from 1 to 28"},
		{"period over four weeks", func(in *roster.Instance) { in.Period.Days = 29 }, "period.days", "from 1 to 28"},

		// Rules.
		{"distinct carers cap of 0", func(in *roster.Instance) { in.Rules.MaxDistinctCarers = wkInt(0) }, "rules.max_distinct_carers", "from 1"},
		{"negative spread cap", func(in *roster.Instance) { in.Rules.CallTimeSpreadMaxMin = wkInt(-5) }, "rules.call_time_spread_max_min", "from 0"},
		{"week over 168 hours", func(in *roster.Instance) { in.Rules.MaxWeekHours = wkInt(169) }, "rules.max_week_hours", "hours in a week"},
		{"daily rest of a whole day", func(in *roster.Instance) { in.Rules.MinDailyRestH = wkInt(24) }, "rules.min_daily_rest_h", "time to work"},
		{"weekly rest of a whole week", func(in *roster.Instance) { in.Rules.MinWeeklyRestH = wkInt(168) }, "rules.min_weekly_rest_h", "time to work"},
		{"weekly rest shorter than daily", func(in *roster.Instance) { in.Rules.MinWeeklyRestH = wkInt(8) }, "rules.min_weekly_rest_h", "less than min_daily_rest_h"},

		// Carers' days.
		{"shifts and pattern", func(in *roster.Instance) { in.Carers[0].Shifts = sh(dvHM(7, 0), dvHM(9, 0)) }, "carers[0].pattern", "not both"},
		{"no shifts, pattern or availability", func(in *roster.Instance) { in.Carers[0].Pattern = nil }, "carers[0].shifts", "pattern or availability"},
		{"unknown weekday in a pattern", func(in *roster.Instance) { in.Carers[0].Pattern["monday"] = sh(dvHM(7, 0), dvHM(9, 0)) },
			"carers[0].pattern.monday", "unknown weekday"},
		{"pattern shift ending before it starts", func(in *roster.Instance) { in.Carers[0].Pattern["tue"] = sh(dvHM(9, 0), dvHM(7, 0)) },
			"carers[0].pattern.tue[0].end", "after start"},
		{"pattern shifts overlapping", func(in *roster.Instance) {
			in.Carers[1].Pattern["mon"] = append(sh(dvHM(7, 0), dvHM(12, 0)), sh(dvHM(11, 0), dvHM(14, 0))...)
		}, "carers[1].pattern.mon[1].start", "not overlap"},
		{"night shift into the next day's", func(in *roster.Instance) { in.Carers[0].Pattern["mon"] = sh(dvHM(20, 0), dvHM(32, 0)) },
			"carers[0].pattern.tue[0].start", "must not overlap"},
		{"availability outside the period", func(in *roster.Instance) { in.Carers[1].Availability[0].Date = "2026-11-30" },
			"carers[1].availability[0].date", "outside the period (Mon 2026-11-23 to Sun 2026-11-29)"},
		{"availability date not real", func(in *roster.Instance) { in.Carers[1].Availability[0].Date = "2026-11-31" },
			"carers[1].availability[0].date", "not a real date"},
		{"availability date twice", func(in *roster.Instance) {
			in.Carers[1].Availability = append(in.Carers[1].Availability, roster.DayShifts{Date: "2026-11-28"})
		}, "carers[1].availability[1].date", "already given by availability[0]"},
		{"day off before the period", func(in *roster.Instance) { in.Carers[0].DaysOff[0] = "2026-11-22" }, "carers[0].days_off[0]", "outside the period"},
		{"day off twice", func(in *roster.Instance) { in.Carers[2].DaysOff[1] = "2026-11-28" }, "carers[2].days_off[1]", "already days_off[0]"},

		// Contracts and pay.
		{"contract above 168 hours", func(in *roster.Instance) { in.Carers[0].Contract.MaxHours = 170 }, "carers[0].contract.max_hours", "hours in a week"},
		{"contract minimum above maximum", func(in *roster.Instance) { in.Carers[0].Contract.MinHours = 36 }, "carers[0].contract.min_hours", "more than max_hours"},
		{"target outside the range", func(in *roster.Instance) { in.Carers[2].Contract.TargetHours = 45 }, "carers[2].contract.target_hours", "outside min_hours to max_hours"},
		{"negative contract hours", func(in *roster.Instance) { in.Carers[0].Contract.MinHours = -1 }, "carers[0].contract.min_hours", "from 0"},
		{"NaN contract hours", func(in *roster.Instance) { in.Carers[0].Contract.MinHours = math.NaN() }, "carers[0].contract.min_hours", "from 0"},
		{"empty contract", func(in *roster.Instance) { in.Carers[0].Contract = &roster.Contract{} }, "carers[0].contract", "at least one"},
		{"contract over the 48-hour week without opting out", func(in *roster.Instance) { in.Carers[1].Contract.TargetHours = 50 },
			"carers[1].contract.target_hours", "not opted out"},
		{"contract over a lowered week cap", func(in *roster.Instance) { in.Rules.MaxWeekHours = wkInt(18) }, "carers[0].contract.min_hours", "18-hour week"},
		{"negative hourly rate", func(in *roster.Instance) { in.Carers[0].HourlyRateGBP = -1 }, "carers[0].hourly_rate_gbp", "from 0"},
		{"infinite hourly rate", func(in *roster.Instance) { in.Carers[0].HourlyRateGBP = math.Inf(1) }, "carers[0].hourly_rate_gbp", "from 0"},

		// Clients.
		{"negative carer cap", func(in *roster.Instance) { in.Clients[0].MaxCarers = -1 }, "clients[0].max_carers", "from 0"},
		{"team member not a carer", func(in *roster.Instance) { in.Clients[0].Team[1] = "K9" }, "clients[0].team[1]", `unknown carer "K9"`},
		{"team member declined", func(in *roster.Instance) { in.Clients[2].Team = []string{"K2"} }, "clients[2].team[0]", "declined"},
		{"team member twice", func(in *roster.Instance) { in.Clients[0].Team[2] = "K1" }, "clients[0].team[2]", "already team[0]"},
		{"team member blank", func(in *roster.Instance) { in.Clients[0].Team[0] = "" }, "clients[0].team[0]", "missing"},

		// Care.
		{"recurrence that never occurs", func(in *roster.Instance) { in.Period.Days = 5; in.Care[5].Days = roster.Days{"sat"} },
			"care[5].days", "never occurs in the period (Mon 2026-11-23 to Fri 2026-11-27)"},
		{"unknown weekday", func(in *roster.Instance) { in.Care[2].Days[1] = "wednesday" }, "care[2].days[1]", "unknown weekday"},
		{"weekday twice", func(in *roster.Instance) { in.Care[2].Days[1] = "mon" }, "care[2].days[1]", "already days[0]"},
		{"no days", func(in *roster.Instance) { in.Care[2].Days = roster.Days{} }, "care[2].days", "at least one weekday"},
		{"time and windows", func(in *roster.Instance) { in.Care[0].Windows = []roster.Window{{Start: dvHM(7, 0), End: dvHM(8, 0)}} },
			"care[0].windows", "not both"},
		{"neither time nor windows", func(in *roster.Instance) { in.Care[1].Windows = nil }, "care[1].time", "missing"},
		{"tolerance without a time", func(in *roster.Instance) { in.Care[1].ToleranceMin = 15 }, "care[1].tolerance_min", "only goes with time"},
		{"tolerance before midnight", func(in *roster.Instance) { in.Care[0].Time = wkClock(dvHM(0, 10)) }, "care[0].tolerance_min", "before 00:00"},
		{"tolerance past 48:00", func(in *roster.Instance) { in.Care[0].Time = wkClock(dvHM(47, 50)) }, "care[0].tolerance_min", "after 48:00"},
		{"time past 48:00", func(in *roster.Instance) { in.Care[0].Time = wkClock(dvHM(49, 0)) }, "care[0].time", "between 00:00 and 48:00"},
		{"care window closing before it opens", func(in *roster.Instance) { in.Care[1].Windows[0].End = dvHM(19, 0) }, "care[1].windows[0].end", "before start"},
		{"care for an unknown client", func(in *roster.Instance) { in.Care[1].Client = "C9" }, "care[1].client", `unknown client "C9"`},
		{"care of no duration", func(in *roster.Instance) { in.Care[1].DurationMin = 0 }, "care[1].duration_min", "more than 0"},
		{"care for three carers", func(in *roster.Instance) { in.Care[0].Carers = 3 }, "care[0].carers", "1 or 2"},
		{"care id repeated", func(in *roster.Instance) { in.Care[1].ID = "C1-breakfast" }, "care[1].id", "already the id of care[0]"},
		{"care id missing", func(in *roster.Instance) { in.Care[1].ID = "" }, "care[1].id", "missing"},
		{"care from outside the period", func(in *roster.Instance) { in.Care[2].From = "2026-11-30" }, "care[2].from", "outside the period"},
		{"care to not a date", func(in *roster.Instance) { in.Care[2].To = "Friday" }, "care[2].to", "YYYY-MM-DD"},
		{"care to before from", func(in *roster.Instance) { in.Care[2].From, in.Care[2].To = "2026-11-27", "2026-11-25" }, "care[2].to", "before from (2026-11-27)"},
		{"care never occurring from its start", func(in *roster.Instance) { in.Care[2].From = "2026-11-28" }, "care[2].days", "never occurs from 2026-11-28 to 2026-11-29"},
		{"exception outside the period", func(in *roster.Instance) { in.Care[1].Except = []string{"2026-12-01"} }, "care[1].except[0]", "outside the period"},
		{"exception twice", func(in *roster.Instance) { in.Care[1].Except = []string{"2026-11-24", "2026-11-24"} }, "care[1].except[1]", "already except[0]"},
		{"exception on a day the care does not occur", func(in *roster.Instance) { in.Care[2].Except = []string{"2026-11-24"} }, "care[2].except[0]", "not a date the care occurs on (mon, wed, fri)"},
		{"exception before the care starts", func(in *roster.Instance) {
			in.Dependencies = nil
			in.Care[1].From, in.Care[1].Except = "2026-11-26", []string{"2026-11-25"}
		}, "care[1].except[0]", "not a date the care occurs on (daily from 2026-11-26)"},
		{"dated visit with an expanded id", func(in *roster.Instance) { in.Visits[0].ID = "C1-bed@2026-11-26" },
			"visits[0].id", `already the id of a visit care[1] ("C1-bed") expands to`},
		{"dependency on an expansion that does not occur", func(in *roster.Instance) { in.Dependencies[0].First = "C2-lunch@2026-11-24" },
			"dependencies[0].first", "unknown visit"},

		// Dated visits.
		{"visit without a date", func(in *roster.Instance) { in.Visits[0].Date = "" }, "visits[0].date", "missing"},
		{"visit after the period", func(in *roster.Instance) { in.Visits[0].Date = "2026-12-01" }, "visits[0].date", "outside the period"},
		{"visit date not a date", func(in *roster.Instance) { in.Visits[0].Date = "Thursday" }, "visits[0].date", "YYYY-MM-DD"},

		// History.
		{"history in the period", func(in *roster.Instance) { in.History[0].Date = "2026-11-23" }, "history[0].date", "not before the period"},
		{"history of an unknown carer", func(in *roster.Instance) { in.History[0].Carer = "K9" }, "history[0].carer", `unknown carer "K9"`},
		{"history of an unknown client", func(in *roster.Instance) { in.History[0].Client = "C9" }, "history[0].client", `unknown client "C9"`},
		{"history of no visits", func(in *roster.Instance) { in.History[0].Visits = 0 }, "history[0].visits", "from 1"},
		{"history date not real", func(in *roster.Instance) { in.History[0].Date = "2026-02-30" }, "history[0].date", "not a real date"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := wkSmall(t)
			tc.mutate(in)
			wkWantProblem(t, in.Validate(), tc.path, tc.reason)
			if _, err := roster.Expand(in); err == nil {
				t.Fatal("Expand accepted an instance Validate rejects")
			}
		})
	}
}

func TestValidatePeriodAccepts(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(in *roster.Instance)
	}{
		{"as written", func(in *roster.Instance) {}},
		{"no rules", func(in *roster.Instance) { in.Rules = nil }},
		{"no waiting", func(in *roster.Instance) { in.Rules.NoWaiting = true }},
		{"no rest rules", func(in *roster.Instance) { in.Rules.MinDailyRestH, in.Rules.MinWeeklyRestH = wkInt(0), wkInt(0) }},
		// A split shift that ends at 21:00 and a 07:00 start the next day
		// are availability: the rest rule binds the work planned in them.
		{"pattern closer than the daily rest", func(in *roster.Instance) {
			in.Carers[1].Pattern["tue"] = []roster.Shift{{Start: dvHM(7, 0), End: dvHM(22, 0)}}
		}},
		{"contract over 48 hours when opted out", func(in *roster.Instance) {
			in.Carers[2].Contract.MinHours, in.Carers[2].Contract.MaxHours = 50, 60
			in.Carers[2].Contract.TargetHours = 55
		}},
		{"one-day period", func(in *roster.Instance) {
			in.Period.Days = 1
			wkNoLeave(in)
			in.Care = in.Care[:4]
			in.Visits[0].Date = ""
			in.Dependencies = nil
		}},
		{"carer with only availability", func(in *roster.Instance) {
			in.Carers[3].Pattern = nil
			in.Carers[3].Availability = []roster.DayShifts{{Date: "2026-11-24", Shifts: nil}}
		}},
		{"every day off", func(in *roster.Instance) {
			in.Carers[2].DaysOff = []string{"2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28", "2026-11-29"}
		}},
		{"day off with availability", func(in *roster.Instance) { in.Carers[1].DaysOff = []string{"2026-11-28"} }},
		{"care in a one-day document", func(in *roster.Instance) {
			in.Period, in.Date = nil, "2026-11-23"
			in.Visits[0].Date = "2026-11-23"
			in.Dependencies = nil
			in.Care = in.Care[:4]
			wkNoLeave(in)
		}},
		{"a weekday the period does not reach", func(in *roster.Instance) { in.Period.Days = 5; in.Care = in.Care[:5]; wkNoLeave(in) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := wkSmall(t)
			tc.mutate(in)
			if err := in.Validate(); err != nil {
				t.Fatal(err)
			}
			wkExpand(t, in)
		})
	}
}

// wkNoLeave drops the carers' availability and days off, for a shorter
// period that their dates would fall outside.
func wkNoLeave(in *roster.Instance) {
	for k := range in.Carers {
		in.Carers[k].Availability, in.Carers[k].DaysOff = nil, nil
	}
}

// TestDecodePeriodStrict: the period fields are read as strictly as the
// rest of a document, each problem at its field path.
func TestDecodePeriodStrict(t *testing.T) {
	wk, err := os.ReadFile("../testdata/week_small.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, old, new, path, reason string
	}{
		{"unknown field in care", `"carers": 2, "required_skills": ["hoist"]`, `"carers": 2, "carer": 1, "required_skills": ["hoist"]`, "care[0].carer", "unknown field"},
		{"days neither daily nor a list", `"days": "daily", "time": "07:30"`, `"days": "weekdays", "time": "07:30"`, "care[0].days", `want "daily" or an array`},
		{"days null", `"days": ["sat", "sun"]`, `"days": null`, "care[5].days", "got null"},
		{"days of numbers", `"days": ["mon", "wed", "fri"]`, `"days": [1, 3, 5]`, "care[2].days", "other than strings"},
		{"days missing", `"days": ["sat", "sun"], `, ``, "care[5].days", "missing"},
		{"weekday given twice in a pattern", `"sat": [{"start": "08:00", "end": "13:00"}]`, `"sat": [], "sat": []`, "carers[1].pattern.sat", "given more than once"},
		{"period days as a string", `"days": 7}`, `"days": "7"}`, "period.days", "want a number"},
		{"unknown field in the period", `"days": 7}`, `"days": 7, "end": "2026-11-29"}`, "period.end", "unknown field"},
		{"contract hours as a string", `"contract": {"target_hours": 30}`, `"contract": {"target_hours": "30"}`, "carers[1].contract.target_hours", "want a number"},
		{"time as a number", `"time": "09:00"`, `"time": 9`, "care[3].time", "want a time"},
		{"rule of fractional hours", `"max_week_hours": 48`, `"max_week_hours": 48.5`, "rules.max_week_hours", "whole number"},
		{"no waiting as a string", `"max_distinct_carers": 4,`, `"max_distinct_carers": 4, "no_waiting": "yes",`, "rules.no_waiting", "want true or false, got string"},
		{"no waiting as a number", `"max_distinct_carers": 4,`, `"max_distinct_carers": 4, "no_waiting": 1,`, "rules.no_waiting", "want true or false, got number"},
		{"no waiting in capitals", `"max_distinct_carers": 4,`, `"max_distinct_carers": 4, "No_Waiting": true,`, "rules.No_Waiting", `did you mean "no_waiting"`},
		{"history visits missing", `"date": "2026-11-20", "visits": 2}`, `"date": "2026-11-20"}`, "history[0].visits", "missing"},
		{"day off null", `"days_off": ["2026-11-25"]`, `"days_off": [null]`, "carers[0].days_off[0]", "got null"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if n := bytes.Count(wk, []byte(tc.old)); n != 1 {
				t.Fatalf("%q occurs %d times in the week", tc.old, n)
			}
			_, err := roster.DecodeInstance(bytes.NewReader(bytes.Replace(wk, []byte(tc.old), []byte(tc.new), 1)))
			wkWantProblem(t, err, tc.path, tc.reason)
		})
	}
}

// TestRulesNoWaiting: rules.no_waiting is read from a document, kept by
// Expand, and left out it allows waiting; a document asking for it is one
// the edges refuse until planning honours it.
func TestRulesNoWaiting(t *testing.T) {
	wk, err := os.ReadFile("../testdata/week_small.json")
	if err != nil {
		t.Fatal(err)
	}
	const old = `"max_distinct_carers": 4,`
	tests := []struct {
		name string
		with string
		want bool
	}{
		{"left out", old, false},
		{"false", old + ` "no_waiting": false,`, false},
		{"null", old + ` "no_waiting": null,`, false},
		{"true", old + ` "no_waiting": true,`, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := bytes.Replace(wk, []byte(old), []byte(tc.with), 1)
			in, err := roster.DecodeInstance(bytes.NewReader(doc))
			if err != nil {
				t.Fatal(err)
			}
			if got := in.Rules.WaitingForbidden(); got != tc.want {
				t.Errorf("WaitingForbidden() = %v, want %v", got, tc.want)
			}
			x, err := roster.Expand(in)
			if err != nil {
				t.Fatal(err)
			}
			if got := x.Instance.Rules.WaitingForbidden(); got != tc.want {
				t.Errorf("expanded WaitingForbidden() = %v, want %v", got, tc.want)
			}
			if es := roster.NotPlanned(in); len(es) != 0 {
				t.Errorf("NotPlanned = %v, want no_waiting planned", es)
			}
		})
	}
	var none *roster.Rules
	if none.WaitingForbidden() {
		t.Error("nil rules forbid waiting")
	}
}
