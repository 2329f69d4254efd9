// Package road computes travel times and distances on the street network of
// an OpenStreetMap extract, without a routing server.
//
// Load reads an extract (.osm.pbf or .osm XML) into one graph per travel
// mode: driving follows road classes, speed limits, one-way streets and
// access restrictions, and stops at bollards; walking uses footways, paths,
// steps and pedestrian streets in both directions (unless tagged
// oneway:foot) and never motorways; cycling uses roads and cycleways. Each
// graph keeps only
// its largest strongly connected part, so every place snapped onto it can
// reach every other. A location is snapped to the nearest point of the
// nearest usable road segment (not merely the nearest junction), and
// matrices are computed by one bounded Dijkstra search per source, the
// sources spread over the machine's cores.
//
// The driving speeds follow the defaults of the car profile most routing
// engines share (a class speed, or 80% of a posted limit, with the UK's
// national limits understood); walking and cycling go at one speed each,
// set in Options. Network implements geo.Provider and geo.LegsProvider.
//
// For maps, Path gives the streets a leg follows (the tables' own search,
// keeping each junction's predecessor) and Streets the extract's streets
// in a box, with their highway class, simplified to the box's scale.
package road
