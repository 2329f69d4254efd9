package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rounds-dev/rounds/roster"
)

// TestGenDayUnchanged: `gen --days 1` and `gen` without --days write the
// same one-day document as before periods existed: the README's day in
// testdata/locality_day.json, byte for byte, with no period fields.
func TestGenDayUnchanged(t *testing.T) {
	want, err := os.ReadFile("../../testdata/locality_day.json")
	if err != nil {
		t.Fatal(err)
	}
	for name, args := range map[string][]string{
		"no --days":  {"gen", "--carers", "25"},
		"--days 1":   {"gen", "--days", "1", "--carers", "25"},
		"--date set": {"gen", "--days", "1", "--carers", "25", "--date", "2026-11-24"},
	} {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := runCLI(t, args...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if !bytes.Equal([]byte(out), want) {
				t.Error("the day differs from testdata/locality_day.json")
			}
			for _, field := range []string{`"period"`, `"care"`, `"pattern"`, `"contract"`} {
				if strings.Contains(out, field) {
					t.Errorf("a one-day document holds %s", field)
				}
			}
		})
	}
}

// TestGenWeek: `gen --days 7` with the command FORMAT.md gives writes
// testdata/week_locality.json byte for byte; other lengths write period
// documents that decode and expand to that many days.
func TestGenWeek(t *testing.T) {
	t.Run("fixture", func(t *testing.T) {
		want, err := os.ReadFile("../../testdata/week_locality.json")
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "week.json")
		code, _, errOut := runCLI(t, "gen", "--days", "7", "--start", "2026-11-23", "--seed", "1", "--visits", "150", "--history", "-o", path)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if got, _ := os.ReadFile(path); !bytes.Equal(got, want) {
			t.Error("gen --days 7 differs from testdata/week_locality.json")
		}
		if !strings.Contains(errOut, "over 7 days from 2026-11-23") {
			t.Errorf("summary %q does not name the period", errOut)
		}
	})
	for _, tt := range []struct {
		name string
		args []string
		days int
	}{
		{"two days", []string{"--days", "2", "--visits", "30", "--start", "2026-11-28"}, 2},
		{"four weeks", []string{"--days", "28", "--visits", "40", "--history", "--start", "2026-11-23"}, 28},
		{"by clients", []string{"--days", "7", "--clients", "12", "--carers", "10", "--start", "2026-11-23"}, 7},
		{"across the clock change", []string{"--days", "7", "--start", "2026-10-22", "--visits", "30"}, 7},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, append([]string{"gen"}, tt.args...)...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			in, err := roster.DecodeInstance(strings.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			x, err := roster.Expand(in)
			if err != nil {
				t.Fatal(err)
			}
			if x.Period.Days != tt.days || len(x.DayStart) != tt.days+1 {
				t.Errorf("period of %d days, want %d", x.Period.Days, tt.days)
			}
		})
	}
}

// TestGenWeekBadFlags: flags that do not fit the length asked for, or
// out of range, name the flag and exit 2.
func TestGenWeekBadFlags(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--days", "0"}, "--days: must be from 1 to 28, got 0"},
		{[]string{"--days", "29"}, "--days: must be from 1 to 28, got 29"},
		{[]string{"--start", "2026-11-23"}, "--start: only with --days 2 or more"},
		{[]string{"--days", "1", "--history"}, "--history: only with --days 2 or more"},
		{[]string{"--clients", "5"}, "--clients: only with --days 2 or more"},
		{[]string{"--days", "7", "--date", "2026-11-24"}, "--date: a period of --days 2 or more starts at --start"},
		{[]string{"--days", "7", "--start", "2026-13-01"}, `--start: want a date as YYYY-MM-DD, got "2026-13-01"`},
		{[]string{"--days", "7", "--clients", "-1"}, "--clients: must be from 0"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, errOut := runCLI(t, append([]string{"gen"}, tt.args...)...)
			if code != exitUsage || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, errOut, tt.want)
			}
		})
	}
}

// TestGenStartDefault: without --start a period starts on the Monday after
// today (in the generator's time zone), a week ahead on a Monday.
func TestGenStartDefault(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		now  time.Time
		want string
	}{
		{"thursday", time.Date(2026, 11, 26, 13, 0, 0, 0, london), "2026-11-30"},
		{"sunday", time.Date(2026, 11, 29, 9, 0, 0, 0, london), "2026-11-30"},
		{"monday", time.Date(2026, 11, 30, 9, 0, 0, 0, london), "2026-12-07"},
		{"late sunday in UTC is monday in summer time", time.Date(2026, 7, 5, 23, 30, 0, 0, time.UTC), "2026-07-13"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := nextMonday(tt.now); got != tt.want {
				t.Errorf("nextMonday(%v) = %s, want %s", tt.now, got, tt.want)
			}
			var out, errOut bytes.Buffer
			if code := runGenAt(context.Background(), []string{"--days", "2", "--visits", "10"}, &out, &errOut, tt.now); code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut.String())
			}
			if !strings.Contains(out.String(), `"start": "`+tt.want+`"`) {
				t.Errorf("the period does not start on %s", tt.want)
			}
		})
	}
}
