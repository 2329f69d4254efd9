// Package web is the coordinator's board: a page that opens an instance
// (a JSON file, or the care management system's CSV files through the
// import endpoint), solves it with a progress bar, and shows the plan as a
// timeline of rounds, a map and the key figures. Coordinators change the
// plan by hand by dragging visits; each change is timed and checked by the
// API's evaluate endpoint, and "re-optimise the rest" re-plans around the
// visits they pinned.
//
// The page is plain HTML, CSS and ES modules, with no framework, no build
// step and no third-party origin. The files are embedded in the binary and
// served by Handler, under a strict Content-Security-Policy; the page
// talks only to the service's own /v1 endpoints.
package web
