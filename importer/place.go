package importer

import (
	"math"
	"strconv"
	"strings"

	"github.com/rounds-dev/rounds/roster"
)

// Addresses finds the place of a postal address: house number, street and
// postcode (which may be empty). *road.AddressIndex, the addr:* tags of an
// OpenStreetMap extract, is one. ok is false when no single place matches.
type Addresses interface {
	Lookup(houseNumber, street, postcode string) (lat, lon float64, ok bool)
}

// placeColumns name the columns of one place in a file: a client's home,
// or a carer's start.
type placeColumns struct {
	lat, lon, postcode, address string
}

var (
	clientPlace = placeColumns{lat: "lat", lon: "lon", postcode: "postcode", address: "address"}
	carerPlace  = placeColumns{lat: "start_lat", lon: "start_lon", postcode: "start_postcode", address: "start_address"}
)

// placeRef is a place to be found: where it is asked for and what the row
// gives.
type placeRef struct {
	file                        string
	line                        int
	cols                        placeColumns
	lat, lon, postcode, address string
	// dst receives the place.
	dst *roster.Location
	// column receives the column the place came from, for errors the
	// instance's validation finds at it.
	column *string
}

// readPlace reads a row's place columns.
func readPlace(t *table, r row, cols placeColumns, dst *roster.Location, column *string) placeRef {
	return placeRef{file: t.file, line: r.line, cols: cols, dst: dst, column: column,
		lat: t.get(r, cols.lat), lon: t.get(r, cols.lon), postcode: t.get(r, cols.postcode), address: t.get(r, cols.address)}
}

// postcodeKey is a postcode in the Postcode Directory's pcds form: upper
// case, one space before the last three characters.
func postcodeKey(s string) string {
	s = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	if len(s) < 5 {
		return s
	}
	return s[:len(s)-3] + " " + s[len(s)-3:]
}

// postcodePlace is a postcode as the directory gives it; ok is false for
// one the directory lists without a grid reference.
type postcodePlace struct {
	loc roster.Location
	ok  bool
}

// placer finds places from the sources the user gave.
type placer struct {
	postcodes     map[string]postcodePlace // the wanted postcodes the file holds
	postcodesName string                   // "" when no postcode file was given
	addresses     Addresses
}

// place resolves one reference in the order lat/lon, postcode, address. The
// errors never repeat what the row gives: a postcode, an address and a
// place are personal.
func (p *placer) place(ref placeRef, c *collector) {
	if ref.lat != "" || ref.lon != "" {
		lat, okLat := coordinate(ref, ref.cols.lat, ref.lat, "latitude", "longitude", 90, c)
		lon, okLon := coordinate(ref, ref.cols.lon, ref.lon, "longitude", "latitude", 180, c)
		if okLat && okLon {
			*ref.dst, *ref.column = roster.Location{Lat: lat, Lon: lon}, ref.cols.lat
		}
		return
	}
	if ref.postcode != "" && p.postcodesName != "" {
		if pp, ok := p.postcodes[postcodeKey(ref.postcode)]; ok && pp.ok {
			*ref.dst, *ref.column = pp.loc, ref.cols.postcode
			return
		} else if ok {
			if p.byAddress(ref) {
				return
			}
			c.add(ref.file, ref.line, ref.cols.postcode, "the postcode has no grid reference in %s; give lat and lon", p.postcodesName)
			return
		}
		if p.byAddress(ref) {
			return
		}
		c.add(ref.file, ref.line, ref.cols.postcode, "the postcode is not in %s", p.postcodesName)
		return
	}
	if ref.address != "" && p.addresses != nil {
		if p.byAddress(ref) {
			return
		}
		if _, _, ok := houseAndStreet(ref.address); !ok {
			c.add(ref.file, ref.line, ref.cols.address, "no house number and street found in the address; want e.g. \"12 High Street, Town\"")
			return
		}
		c.add(ref.file, ref.line, ref.cols.address, "no single place in the map's addr:* tags matches the address")
		return
	}
	switch {
	case ref.postcode != "" && ref.address != "":
		c.add(ref.file, ref.line, ref.cols.postcode, "cannot place the row: no postcode file to look the postcode up in, nor a map for the address; give a postcode file or a map (an OpenStreetMap extract), or %s and %s", ref.cols.lat, ref.cols.lon)
	case ref.postcode != "":
		c.add(ref.file, ref.line, ref.cols.postcode, "cannot place the row: no postcode file to look the postcode up in; give one (the ONS Postcode Directory), or %s and %s", ref.cols.lat, ref.cols.lon)
	case ref.address != "":
		c.add(ref.file, ref.line, ref.cols.address, "cannot place the row: no map to look the address up in; give an OpenStreetMap extract, or %s and %s, or a postcode", ref.cols.lat, ref.cols.lon)
	case ref.cols.address == "":
		// The file takes no address.
		c.add(ref.file, ref.line, ref.cols.lat, "no place: give %s and %s, or %s", ref.cols.lat, ref.cols.lon, ref.cols.postcode)
	default:
		c.add(ref.file, ref.line, ref.cols.lat, "no place: give %s and %s, %s, or %s", ref.cols.lat, ref.cols.lon, ref.cols.postcode, ref.cols.address)
	}
}

// byAddress places a reference by its address when a map was given and
// the address is found in it.
func (p *placer) byAddress(ref placeRef) bool {
	if ref.address == "" || p.addresses == nil {
		return false
	}
	number, street, ok := houseAndStreet(ref.address)
	if !ok {
		return false
	}
	lat, lon, ok := p.addresses.Lookup(number, street, ref.postcode)
	if !ok {
		return false
	}
	*ref.dst, *ref.column = roster.Location{Lat: lat, Lon: lon}, ref.cols.address
	return true
}

// coordinate reads a latitude or longitude (what), in -limit..limit.
func coordinate(ref placeRef, col, s, what, other string, limit float64, c *collector) (float64, bool) {
	if s == "" {
		c.add(ref.file, ref.line, col, "missing; a %s goes with the %s", what, other)
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		c.add(ref.file, ref.line, col, "not a number; want a %s in decimal degrees", what)
		return 0, false
	}
	if math.Abs(v) > limit {
		c.add(ref.file, ref.line, col, "out of range; a %s runs from -%g to %g", what, limit, limit)
		return 0, false
	}
	return v, true
}

// houseAndStreet finds the house number and street of an address written
// as a line, "Flat 2, 12 High Street, Town": the first comma-separated part
// that starts with a number ("12", "12a", "12-14") followed by a street.
func houseAndStreet(address string) (number, street string, ok bool) {
	for _, part := range strings.Split(address, ",") {
		f := strings.Fields(part)
		if len(f) < 2 || f[0][0] < '0' || f[0][0] > '9' {
			continue
		}
		return f[0], strings.Join(f[1:], " "), true
	}
	return "", "", false
}
