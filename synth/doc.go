// Package synth generates realistic synthetic locality days for UK home
// care: a town's clients clustered along short streets in a few
// neighbourhoods, denser near the centre; their breakfast, lunch, tea and bed
// calls with planned times and tolerances, double-handed hoisting, skills,
// time-critical medication and short checks; and a team of carers on split,
// day and evening shifts, some walking and most driving, with the skills,
// genders and languages the clients need.
//
// Generate is deterministic: the same Config always gives the same Instance,
// byte for byte once encoded. When it chooses the number of carers itself
// (Config.Carers is 0), the day is servable: every visit has more qualified
// carers who can reach it in time than it needs, and the crude demand of
// each part of the day (visit and travel minutes) stays at about 70% of the
// carers' time then. The days are for tests, benchmarks and demonstrations;
// none of the people in them are real.
//
// GenerateWeek makes a planning period of 1 to 28 days (roster.Period) in
// the same kind of town. Each client has a care package of recurring calls
// (roster.Care) in the usual bands as a planned time ± 30 minutes (± 15
// for a few, and insulin at 08:00 and 17:30 ± 15, never late), sized to
// 9-14 contact hours a week: 1-4 calls a day, some midday calls on
// weekdays only, some Mon/Wed/Fri lunches, about DoubleShare of the visits
// double-handed with a hoist. Each client has a team of 3-5 regular
// carers near them who hold the skills of all their calls; the instance
// caps distinct carers at DefaultMaxDistinctCarers and call-time spread at
// DefaultCallTimeSpreadMaxMin, and leaves the Working Time Regulations'
// rules at their defaults. Carers work a daily set of shifts (split
// 07:00-14:00 and 16:00-22:00 for most full-timers, single shifts for
// most part-timers) on five or six weekdays, written as a weekly pattern
// or, for a rotating rota, as days_off dates; they hold contracts of 16-40
// target hours a week (a few opted out of the 48-hour week) and are paid
// £12.21-£13.50 an hour. With History, last week's visits are written per
// client, carer and date, four in five by the client's team.
//
// Sizing: with Carers at 0, carers are added until their contracted target
// hours reach ContractSlack (1.15) times the carer time of a week's care
// (each carer of a double-handed call, plus a travel allowance per
// carer-visit), and until, on every weekday and in every part of the day,
// the care takes at most TargetLoad of the time of the carers on shift;
// then every call has, on every day it occurs, more carers at work who
// can reach it in time, hold its skills and are accepted by its client
// than it needs. At 16-40 h contracts this makes about one carer for every
// four visits a day: some 37 for 150 visits a day, 51 for 215.
//
// GenerateDistrict makes a council's district for the commissioner's map
// (package locality): clients only, dense around several town centres and
// thin over the rural edges, with the totals a commissioner gives (by
// default Bradford's: 1,500 clients, 19,600 hours a week, 44% of visits
// double-handed). Generate's and GenerateWeek's crude staffing uses
// locality's capacity estimate (ShiftSupply, TravelAllowanceMin).
//
// testdata/week_locality.json is the default week with history:
//
//	rounds gen --days 7 --start 2026-11-23 --seed 1 --visits 150 --history
package synth
