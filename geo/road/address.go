package road

import (
	"slices"
	"strings"

	"github.com/paulmach/osm"
)

// AddressIndex finds the place of a postal address in the addr:* tags of
// an extract: addr:housenumber, addr:street (or addr:place where a hamlet
// has no street names) and addr:postcode, on nodes and on ways (buildings,
// usually, placed at the mean of their corners). It is safe for concurrent
// use once built.
type AddressIndex struct {
	// by holds the places of each normalised "NUMBER|STREET".
	by map[string][]addressPlace
}

// addressPlace is one tagged place of an address.
type addressPlace struct {
	postcode string // normalised; "" when not tagged
	lat, lon float64
}

// samePlaceM is how close two tagged places of the same address must be to
// count as one: a house's node and its building's outline often both carry
// the address.
const samePlaceM = 100

// Addresses returns the extract's address index; it is empty, never nil,
// when the extract tags no addresses.
func (n *Network) Addresses() *AddressIndex {
	if n.addresses == nil {
		return &AddressIndex{}
	}
	return n.addresses
}

// Len is the number of distinct addresses (house number and street) held.
func (a *AddressIndex) Len() int { return len(a.by) }

// Lookup returns the place of the address with houseNumber on street, in
// postcode when postcode is not empty. Case, runs of spaces and the space
// inside a postcode do not matter. ok is false when no tagged place
// matches, and when more than one does (the same number and street in two
// places, with no postcode to tell them apart): nothing is guessed.
func (a *AddressIndex) Lookup(houseNumber, street, postcode string) (lat, lon float64, ok bool) {
	if a == nil || a.by == nil {
		return 0, 0, false
	}
	key, ok := addressKey(houseNumber, street)
	if !ok {
		return 0, 0, false
	}
	pc := NormalisePostcode(postcode)
	places := a.by[key]
	if pc != "" {
		// Places tagged with the postcode; failing those, places
		// tagged with none (the postcode then neither confirms nor
		// denies them).
		places = matching(places, pc)
		if len(places) == 0 {
			places = matching(a.by[key], "")
		}
	}
	if len(places) == 0 {
		return 0, 0, false
	}
	first := places[0]
	for _, p := range places[1:] {
		if distanceM(first.lat, first.lon, p.lat, p.lon) > samePlaceM {
			return 0, 0, false
		}
	}
	return first.lat, first.lon, true
}

// matching are the places tagged with postcode pc ("": untagged).
func matching(places []addressPlace, pc string) []addressPlace {
	var out []addressPlace
	for _, p := range places {
		if p.postcode == pc {
			out = append(out, p)
		}
	}
	return out
}

// NormalisePostcode writes a UK postcode as the Postcode Directory's pcds
// column does: upper case, with one space before the last three
// characters ("ru12ab" and "RU1  2AB" are "RU1 2AB"). Anything of fewer
// than five characters is returned upper case without spaces.
func NormalisePostcode(s string) string {
	s = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	if len(s) < 5 {
		return s
	}
	return s[:len(s)-3] + " " + s[len(s)-3:]
}

// normaliseText is s upper case with runs of spaces made one.
func normaliseText(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), " "))
}

// addressKey is the index key of a house number on a street; ok is false
// when either is blank.
func addressKey(number, street string) (string, bool) {
	n, s := normaliseText(number), normaliseText(street)
	if n == "" || s == "" {
		return "", false
	}
	return n + "|" + s, true
}

// rawAddress is an address as read from an element's tags.
type rawAddress struct {
	number, street, postcode string
}

// addressOf reads an element's address tags; ok is false when it has no
// house number or no street (or place).
func addressOf(tags osm.Tags) (rawAddress, bool) {
	a := rawAddress{number: tags.Find("addr:housenumber"), street: tags.Find("addr:street"), postcode: tags.Find("addr:postcode")}
	if a.street == "" {
		a.street = tags.Find("addr:place")
	}
	return a, a.number != "" && a.street != ""
}

// addressedWay is a way with an address: its nodes, placed once every
// node has been read.
type addressedWay struct {
	addr  rawAddress
	nodes []int64
}

// addressedNode is a node with an address.
type addressedNode struct {
	addr     rawAddress
	lat, lon float64
}

// buildAddresses indexes the addressed nodes and ways; ids, lats and lons
// are every node of the extract, sorted by id. A way none of whose nodes
// is in the extract is left out.
func buildAddresses(nodes []addressedNode, ways []addressedWay, ids []int64, lats, lons []float64) *AddressIndex {
	a := &AddressIndex{by: make(map[string][]addressPlace)}
	add := func(r rawAddress, lat, lon float64) {
		key, ok := addressKey(r.number, r.street)
		if !ok {
			return
		}
		p := addressPlace{postcode: NormalisePostcode(r.postcode), lat: lat, lon: lon}
		for _, q := range a.by[key] {
			if q.postcode == p.postcode && distanceM(q.lat, q.lon, lat, lon) <= samePlaceM {
				return
			}
		}
		a.by[key] = append(a.by[key], p)
	}
	for _, nd := range nodes {
		add(nd.addr, nd.lat, nd.lon)
	}
	for _, w := range ways {
		refs := w.nodes
		// A closed outline repeats its first node at the end.
		if len(refs) > 1 && refs[0] == refs[len(refs)-1] {
			refs = refs[:len(refs)-1]
		}
		var sumLat, sumLon float64
		count := 0
		for _, id := range refs {
			if k, ok := slices.BinarySearch(ids, id); ok {
				sumLat, sumLon, count = sumLat+lats[k], sumLon+lons[k], count+1
			}
		}
		if count > 0 {
			add(w.addr, sumLat/float64(count), sumLon/float64(count))
		}
	}
	return a
}
