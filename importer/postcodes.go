package importer

import (
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/rounds-dev/rounds/roster"
)

// readPostcodes reads the places of the wanted postcodes (in postcodeKey
// form) from a file in the shape of the ONS Postcode Directory: a header
// naming pcds, lat and long among any others, then a row per postcode. It
// streams the file, keeping only the wanted rows, so that the whole
// directory (2.7 million rows) needs no more memory than the import. A
// latitude of 99.999999, the directory's mark for a postcode without a
// grid reference, is kept as no place.
func readPostcodes(f File, wanted map[string]bool, c *collector) map[string]postcodePlace {
	out := map[string]postcodePlace{}
	r := csvReader(f.R, 1<<16)
	r.ReuseRecord = true
	header, err := r.Read()
	if err == io.EOF {
		c.add(f.Name, 0, "", "the file is empty; want the Postcode Directory's header row (pcds, lat, long)")
		return out
	}
	if err != nil {
		c.add(f.Name, csvLine(err, 1), "", "%s", csvReason(err))
		return out
	}
	cols := map[string]int{}
	for i, h := range header {
		if k := headerKey(h); k != "" {
			if _, seen := cols[k]; !seen {
				cols[k] = i
			}
		}
	}
	ok := true
	for _, need := range []string{"pcds", "lat", "long"} {
		if _, has := cols[need]; !has {
			c.add(f.Name, 1, need, "missing column; a postcode file has the ONS Postcode Directory's columns pcds, lat and long")
			ok = false
		}
	}
	if !ok {
		return out
	}
	ip, ila, ilo := cols["pcds"], cols["lat"], cols["long"]
	need := max(ip, ila, ilo) + 1
	for len(out) < len(wanted) {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			c.add(f.Name, csvLine(err, 0), "", "%s", csvReason(err))
			break
		}
		if len(rec) < need {
			continue
		}
		key := postcodeKey(rec[ip])
		if !wanted[key] {
			continue
		}
		if _, dup := out[key]; dup {
			continue
		}
		line, _ := r.FieldPos(0)
		lat, err1 := strconv.ParseFloat(strings.TrimSpace(rec[ila]), 64)
		lon, err2 := strconv.ParseFloat(strings.TrimSpace(rec[ilo]), 64)
		switch {
		case err1 != nil || math.IsNaN(lat) || math.IsInf(lat, 0):
			c.add(f.Name, line, "lat", "not a number")
		case err2 != nil || math.IsNaN(lon) || math.IsInf(lon, 0):
			c.add(f.Name, line, "long", "not a number")
		case math.Abs(lat) > 90 || math.Abs(lon) > 180:
			// No grid reference: the directory writes 99.999999, 0.
			out[key] = postcodePlace{}
		default:
			out[key] = postcodePlace{loc: roster.Location{Lat: lat, Lon: lon}, ok: true}
		}
	}
	return out
}
