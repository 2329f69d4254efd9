package roster

import (
	"fmt"
	"math"
	"slices"
	"strconv"
)

// FarPlaceKM is how far, in kilometres, a place may lie from the median of
// an instance's places before FarPlaces reports it. A locality's day spans
// a town or a rural district, a few tens of kilometres (package synth's
// widest is 50 km from its centre, carers' homes out to 62.5 km); a place
// with its latitude and longitude swapped lands thousands of kilometres
// away, one with a sign dropped a few hundred.
const FarPlaceKM = 100

// earthRadiusKM is the mean radius of the Earth, for distances that only
// need to tell a locality from another continent.
const earthRadiusKM = 6371

// FarPlace is a place of an instance that lies far from the others.
type FarPlace struct {
	// Path is the place's field path: "carers[0].start", "carers[0].end"
	// or "clients[3].location".
	Path     string
	Location Location
	// DistanceKM is how far the place lies from the median of the
	// instance's places.
	DistanceKM float64
	// Swapped is whether the place, with its latitude and longitude
	// swapped, would lie among the others.
	Swapped bool
}

// LocationErrors checks that l is a place on the globe (latitude within
// ±90, longitude within ±180), naming path's lat and lon at fault.
func LocationErrors(path string, l Location) FieldErrors {
	var es FieldErrors
	validateLocation(&es, path, l)
	return es
}

// FarPlaces returns the places of in (carers' starts and ends, clients'
// locations, in that order) that lie more than FarPlaceKM from the median
// of all its places: the median latitude and the median longitude, which a
// minority of wrong places cannot move. A place alone cannot be judged, so
// an instance with one place has none; with two places far apart, both are
// reported, as neither outvotes the other. Places off the globe are left to
// Validate.
func FarPlaces(in *Instance) []FarPlace {
	type place struct {
		path string
		loc  Location
	}
	var places []place
	for i := range in.Carers {
		c := &in.Carers[i]
		places = append(places, place{fmt.Sprintf("carers[%d].start", i), c.Start})
		if c.End != nil {
			places = append(places, place{fmt.Sprintf("carers[%d].end", i), *c.End})
		}
	}
	for i := range in.Clients {
		places = append(places, place{fmt.Sprintf("clients[%d].location", i), in.Clients[i].Location})
	}
	places = slices.DeleteFunc(places, func(p place) bool { return len(LocationErrors("", p.loc)) > 0 })
	if len(places) < 2 {
		return nil
	}
	lats, lons := make([]float64, len(places)), make([]float64, len(places))
	for i, p := range places {
		lats[i], lons[i] = p.loc.Lat, p.loc.Lon
	}
	slices.Sort(lats)
	slices.Sort(lons)
	// The lower median is one of the places' own coordinates, never an
	// average of two, which across the antimeridian would be the far side
	// of the Earth.
	mid := (len(places) - 1) / 2
	median := Location{Lat: lats[mid], Lon: lons[mid]}
	var far []FarPlace
	for i, p := range places {
		d := distanceKM(p.loc, median)
		if d <= FarPlaceKM {
			continue
		}
		// Whether swapping lat and lon brings the place among the others:
		// near the median, or, with only two places, near the other one.
		near := []Location{median}
		if len(places) == 2 {
			near = append(near, places[1-i].loc)
		}
		swapped := Location{Lat: p.loc.Lon, Lon: p.loc.Lat}
		fp := FarPlace{Path: p.path, Location: p.loc, DistanceKM: d}
		if len(LocationErrors("", swapped)) == 0 {
			for _, n := range near {
				fp.Swapped = fp.Swapped || distanceKM(swapped, n) <= FarPlaceKM
			}
		}
		far = append(far, fp)
	}
	return far
}

// FarPlaceErrors describes each of FarPlaces(in) as a problem at its path,
// e.g. "clients[3].location: lies 8,036 km from the median of the
// instance's places, more than the 100 km a locality spans; are lat and lon
// swapped?". The API refuses such an instance; the command line warns.
func FarPlaceErrors(in *Instance) FieldErrors {
	var es FieldErrors
	for _, p := range FarPlaces(in) {
		hint := "is the place right?"
		if p.Swapped {
			hint = "are lat and lon swapped?"
		}
		es.add(p.Path, "lies %s km from the median of the instance's places, more than the %d km a locality spans; %s",
			thousands(int64(math.Round(p.DistanceKM))), FarPlaceKM, hint)
	}
	return es
}

// distanceKM is the great-circle distance between a and b by the
// haversine formula.
func distanceKM(a, b Location) float64 {
	const rad = math.Pi / 180
	dLat, dLon := (b.Lat-a.Lat)*rad, (b.Lon-a.Lon)*rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadiusKM * math.Asin(math.Sqrt(min(1, h)))
}

// thousands writes n with its thousands separated by commas: 8,036.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3+1)
	if neg {
		out = append(out, '-')
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}
