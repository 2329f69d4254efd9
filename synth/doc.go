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
package synth
