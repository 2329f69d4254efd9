// Package engine computes travel matrices with a routing engine that the
// user already runs: OSRM (the table service), Valhalla (the
// sources_to_targets service) or GraphHopper (the matrix API).
//
// One Client, made by New from a Config, speaks to one engine. It implements
// geo.Provider and geo.LegsProvider, so it can stand wherever the
// straight-line provider does, behind a matrix cache or not.
//
// Engines cap the size of one matrix request, so a Client splits the
// sources and the destinations into blocks of at most Config.MaxLocations
// each, asks for the blocks a few at a time and stitches the answers into
// the full matrix. Durations are rounded to whole seconds and distances to
// whole metres.
//
// A Client never turns a missing leg into a zero: when the engine finds no
// route between some pairs, Matrix and Legs return a *geo.UnreachableError that
// lists them. Answers the engine refuses come back as an *EngineError
// carrying the engine's own message; answers that cannot be read, or whose
// shape does not match the request, wrap ErrBadAnswer; a request that times
// out wraps context.DeadlineExceeded.
package engine
