package geo

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/rounds-dev/rounds/roster"
)

// ParseLonLatList reads places written as routing engines write them,
// "lon,lat;lon,lat;...". A bad entry is a field error at
// "locations[i]".
func ParseLonLatList(s string) ([]roster.Location, error) {
	var out []roster.Location
	for i, pair := range strings.Split(strings.TrimSpace(s), ";") {
		lon, lat, ok := strings.Cut(strings.TrimSpace(pair), ",")
		x, err1 := strconv.ParseFloat(strings.TrimSpace(lon), 64)
		y, err2 := strconv.ParseFloat(strings.TrimSpace(lat), 64)
		if !ok || err1 != nil || err2 != nil {
			return nil, roster.FieldErrors{{Path: fmt.Sprintf("locations[%d]", i), Reason: fmt.Sprintf("want lon,lat, got %q", pair)}}
		}
		out = append(out, roster.Location{Lat: y, Lon: x})
	}
	return out, nil
}
