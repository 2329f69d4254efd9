package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/roster"
)

// checkFiles re-checks the plan in plans/PLAN against the instance in
// instances/INSTANCE under dir and returns the violations.
func checkFiles(t *testing.T, dir, instance, plan string) []roster.Violation {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "instances", instance))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	in, err := roster.DecodeInstance(f)
	if err != nil {
		t.Fatalf("%s: %v", instance, err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "plans", plan))
	if err != nil {
		t.Fatal(err)
	}
	var p roster.Plan
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatalf("%s: %v", plan, err)
	}
	travel, err := geo.TravelFor(context.Background(), nil, in)
	if err != nil {
		t.Fatal(err)
	}
	return roster.Check(in, travel, &p)
}

// TestBenchWeekTiny: a tiny three-day week planned both ways writes a row
// for each plan; the week's plan and each day's plan pass the checker, and
// the days put together break only the rules that span days, as many as
// the table says.
func TestBenchWeekTiny(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, "bench", "week", "--seeds", "1", "--visits", "12", "--days", "3", "--iterations", "60", "--workers", "1", "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d:\n%s%s", code, stdout, stderr)
	}
	dir := filepath.Join(out, "week")
	header, rows := readCSV(t, filepath.Join(dir, "week.csv"))
	if len(rows) != 2 || column(t, header, rows[0], "plan") != "week" || column(t, header, rows[1], "plan") != "days" {
		t.Fatalf("want a week row and a days row, got %v", rows)
	}
	for _, r := range rows {
		visits, _ := strconv.Atoi(column(t, header, r, "visits"))
		served, _ := strconv.Atoi(column(t, header, r, "served"))
		if visits == 0 || served == 0 || served > visits {
			t.Errorf("%s: served %d of %d", column(t, header, r, "plan"), served, visits)
		}
		if column(t, header, r, "iterations_budget") == "" || column(t, header, r, "day_hours") != "running" {
			t.Errorf("%s: the row does not record its budget", column(t, header, r, "plan"))
		}
	}
	if column(t, header, rows[0], "iterations_budget") != "180" || column(t, header, rows[1], "iterations_budget") != "60" {
		t.Errorf("the week's budget is not three days' worth: %s and %s",
			column(t, header, rows[0], "iterations_budget"), column(t, header, rows[1], "iterations_budget"))
	}

	if vs := checkFiles(t, dir, "s1-v12.json", "s1-v12-week.json"); len(vs) != 0 || column(t, header, rows[0], "hard_violations") != "0" {
		t.Errorf("the week's plan: %v; table says %s", vs, column(t, header, rows[0], "hard_violations"))
	}
	dates := []string{"2026-11-23", "2026-11-24", "2026-11-25"}
	rounds := 0
	for _, d := range dates {
		if vs := checkFiles(t, dir, "s1-v12-"+d+".json", "s1-v12-"+d+".json"); len(vs) != 0 {
			t.Errorf("%s planned alone: %v", d, vs)
		}
		b, _ := os.ReadFile(filepath.Join(dir, "plans", "s1-v12-"+d+".json"))
		var p roster.Plan
		if err := json.Unmarshal(b, &p); err != nil {
			t.Fatal(err)
		}
		rounds += len(p.Rounds)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "plans", "s1-v12-days.json"))
	var joined roster.Plan
	if err := json.Unmarshal(b, &joined); err != nil {
		t.Fatal(err)
	}
	if len(joined.Rounds) != rounds || rounds == 0 {
		t.Errorf("the days put together have %d rounds, the days %d", len(joined.Rounds), rounds)
	}
	vs := checkFiles(t, dir, "s1-v12.json", "s1-v12-days.json")
	for _, v := range vs {
		if !slices.Contains(weekRuleCodes, v.Code) {
			t.Errorf("the days put together break a rule of a day: %s %s", v.Code, v.Message)
		}
	}
	if got := column(t, header, rows[1], "hard_violations"); got != strconv.Itoa(len(vs)) {
		t.Errorf("the table says %s violations for day by day, the checker %d", got, len(vs))
	}

	md, err := os.ReadFile(filepath.Join(dir, "week.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| 1 | 12 |", "| week | ", "| day by day | ", "Targets, 12 visits a day", "median COC at least 0.6", "--iterations 60"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("week.md lacks %q:\n%s", want, md)
		}
	}
	if strings.Count(string(md), "| 1 | 12 |") != 2 {
		t.Errorf("week.md should have two rows for seed 1:\n%s", md)
	}
}

// TestBenchWeekScaleTiny: the scale run writes its run and the growth
// steps, each plan passing the checker.
func TestBenchWeekScaleTiny(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, "bench", "week", "--scale", "--scale-visits", "42", "--scale-carers", "6", "--iterations", "40", "--growth-iterations", "20", "--workers", "1", "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d:\n%s%s", code, stdout, stderr)
	}
	dir := filepath.Join(out, "week")
	header, rows := readCSV(t, filepath.Join(dir, "scale.csv"))
	var runs []string
	for _, r := range rows {
		runs = append(runs, column(t, header, r, "run")+":"+column(t, header, r, "days")+":"+column(t, header, r, "visits_per_day"))
		if column(t, header, r, "hard_violations") != "0" {
			t.Errorf("%v: violations", r)
		}
	}
	want := []string{"scale:7:6", "days:1:6", "days:2:6", "days:4:6", "days:7:6", "visits:7:3", "visits:7:12"}
	if !slices.Equal(runs, want) {
		t.Errorf("runs %v, want %v", runs, want)
	}
	plans, _ := filepath.Glob(filepath.Join(dir, "plans", "scale-*.json"))
	if len(plans) != len(want) {
		t.Fatalf("%d plans, want %d", len(plans), len(want))
	}
	for _, p := range plans {
		name := filepath.Base(p)
		if vs := checkFiles(t, dir, name, name); len(vs) != 0 {
			t.Errorf("%s: %v", name, vs)
		}
	}
}

// TestBenchWeekBadFlags: a bad flag is a usage error that names it.
func TestBenchWeekBadFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--visits", "0"}, "--visits"},
		{[]string{"--seeds", "x"}, "--seeds"},
		{[]string{"--day-hours", "weekly"}, "--day-hours"},
		{[]string{"--days", "29"}, "--days"},
		{[]string{"--carers", "-1"}, "--carers"},
		{[]string{"--start", "2026-13-01"}, "--start"},
	} {
		code, _, stderr := runCLI(t, append([]string{"bench", "week", "--out", t.TempDir()}, c.args...)...)
		if code != exitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, %q", c.args, code, stderr)
		}
	}
}

// TestHoldToRunningHours: a day planned alone holds each carer to what is
// left of their week: their contract's max_hours (or the 48 h of a carer
// who has not opted out, whichever is less) less what earlier days
// planned; with nothing left, the day is off.
func TestHoldToRunningHours(t *testing.T) {
	week := &roster.Instance{Period: &roster.Period{Start: "2026-11-23", Days: 7}, Carers: []roster.Carer{
		{ID: "A", Contract: &roster.Contract{MaxHours: 35}},
		{ID: "B", Contract: &roster.Contract{MaxHours: 35}},
		{ID: "C", Contract: &roster.Contract{MaxHours: 60}, WTROptOut: false},
		{ID: "D", WTROptOut: true},
		{ID: "E", Contract: &roster.Contract{MaxHours: 35}, MaxWorkingMin: 60},
		{ID: "F", Contract: &roster.Contract{MaxHours: 60}, WTROptOut: true},
	}}
	day := &roster.Instance{Period: &roster.Period{Start: "2026-11-26", Days: 1}, Carers: slices.Clone(week.Carers)}
	paid := map[[2]int]int64{{0, 0}: 33 * 3600, {1, 0}: 35 * 3600, {2, 0}: 40 * 3600, {3, 0}: 90 * 3600}
	holdToRunningHours(day, week, paid, 3)
	c := day.Carers
	if c[0].MaxWorkingMin != 120 || len(c[0].DaysOff) != 0 || c[0].Contract != nil {
		t.Errorf("A, 2 h left: max working %d min, days off %v, contract %v", c[0].MaxWorkingMin, c[0].DaysOff, c[0].Contract)
	}
	if !slices.Equal(c[1].DaysOff, []string{"2026-11-26"}) {
		t.Errorf("B, nothing left: days off %v", c[1].DaysOff)
	}
	if c[2].MaxWorkingMin != 8*60 {
		t.Errorf("C, 48 h cap less 40 h: max working %d min, want 480", c[2].MaxWorkingMin)
	}
	if c[3].MaxWorkingMin != 0 || len(c[3].DaysOff) != 0 {
		t.Errorf("D, opted out without a contract: max working %d min, days off %v; want no cap", c[3].MaxWorkingMin, c[3].DaysOff)
	}
	if c[4].MaxWorkingMin != 60 {
		t.Errorf("E, a daily cap under the week's remainder: max working %d min, want 60", c[4].MaxWorkingMin)
	}
	if c[5].MaxWorkingMin != 0 || len(c[5].DaysOff) != 0 {
		t.Errorf("F, 60 h left, more than a day holds: max working %d min, days off %v; want no cap", c[5].MaxWorkingMin, c[5].DaysOff)
	}
	if week.Carers[0].Contract == nil || week.Carers[0].MaxWorkingMin != 0 {
		t.Error("the week's carers were changed")
	}
}

// TestRestateReasons: only the reasons the checker refuted are restated,
// as carers_busy, with a detail that gives the day's own reason.
func TestRestateReasons(t *testing.T) {
	p := &roster.Plan{Unassigned: []roster.Unassigned{
		{Visit: "A@2026-11-23", Reason: roster.ReasonNoQualifiedCarer},
		{Visit: "B@2026-11-24", Reason: roster.ReasonMaxWorkingTime},
	}}
	vs := []roster.Violation{
		{Code: "daily_rest", Path: "rounds[3].departure"},
		{Code: "reason", Path: "unassigned[1].reason"},
	}
	if n := restateReasons(p, vs); n != 1 {
		t.Fatalf("restated %d, want 1", n)
	}
	if p.Unassigned[0].Reason != roster.ReasonNoQualifiedCarer || p.Unassigned[1].Reason != roster.ReasonCarersBusy ||
		!strings.Contains(p.Unassigned[1].Detail, "max_working_time") {
		t.Errorf("unassigned now %+v", p.Unassigned)
	}
}
