// Package geo provides travel: matrices of travel time and distance between
// an instance's places for each travel mode, and the providers that compute
// them. The embedded default, StraightLine, needs no data or servers: it
// takes the straight-line distance (StraightDistanceM), stretches it by a detour factor for the
// street network and covers it at a speed per mode.
package geo
