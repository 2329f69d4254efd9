package road

import (
	"strconv"
	"strings"

	"github.com/paulmach/osm"
)

// Speeds, km/h, of the driving profile by road class, used where a way has
// no usable speed limit. They are the usual car-profile defaults: roughly
// what a car averages on such a road, junctions and bends included.
var driveClassKMH = map[string]float64{
	"motorway":       90,
	"motorway_link":  45,
	"trunk":          85,
	"trunk_link":     40,
	"primary":        65,
	"primary_link":   30,
	"secondary":      55,
	"secondary_link": 25,
	"tertiary":       40,
	"tertiary_link":  20,
	"unclassified":   25,
	"residential":    25,
	"living_street":  10,
	"service":        15,
}

// limitShare is the share of a posted speed limit a car averages.
const limitShare = 0.8

// mphKMH converts miles per hour to km/h.
const mphKMH = 1.609344

// namedLimits are speed limits given by name rather than number, km/h.
var namedLimits = map[string]float64{
	"gb:nsl_single": 60 * mphKMH,
	"gb:nsl_dual":   70 * mphKMH,
	"gb:motorway":   70 * mphKMH,
	"uk:nsl_single": 60 * mphKMH,
	"uk:nsl_dual":   70 * mphKMH,
	"uk:motorway":   70 * mphKMH,
	"fr:urban":      50,
	"fr:rural":      80,
	"fr:motorway":   130,
	"mc:urban":      50,
	"none":          140,
	"walk":          5,
}

// Surfaces that slow a car down, with the speed they allow, km/h.
var surfaceKMH = map[string]float64{
	"cobblestone": 30, "sett": 40, "paving_stones": 40, "compacted": 40,
	"gravel": 40, "fine_gravel": 40, "unpaved": 30, "dirt": 20, "earth": 20,
	"ground": 20, "grass": 10, "grass_paver": 10, "mud": 10, "sand": 10,
	"wood": 20,
}

// Highway values a pedestrian may use at walking speed.
var walkClasses = map[string]bool{
	"primary": true, "primary_link": true, "secondary": true, "secondary_link": true,
	"tertiary": true, "tertiary_link": true, "unclassified": true, "residential": true,
	"road": true, "living_street": true, "service": true, "track": true, "path": true,
	"steps": true, "pedestrian": true, "footway": true, "platform": true, "pier": true,
	"corridor": true, "elevator": true,
	// Bridleways are public rights of way on foot in England and Wales.
	"bridleway": true,
}

// Highway values a cyclist may ride.
var cycleClasses = map[string]bool{
	"trunk": true, "trunk_link": true, "primary": true, "primary_link": true,
	"secondary": true, "secondary_link": true, "tertiary": true, "tertiary_link": true,
	"unclassified": true, "residential": true, "road": true, "living_street": true,
	"service": true, "track": true, "cycleway": true, "path": true, "bridleway": true,
}

// Highway values where a cyclist may push the bike at walking pace.
var pushClasses = map[string]bool{
	"footway": true, "pedestrian": true, "steps": true, "platform": true, "pier": true,
}

// Access values that close a way to the mode asked about.
var denied = map[string]bool{
	"no": true, "private": true, "agricultural": true, "forestry": true,
	"emergency": true, "psv": true, "bus": true, "military": true, "delivery": true,
}

// Access values that open a way whatever its class.
var granted = map[string]bool{
	"yes": true, "permissive": true, "designated": true, "destination": true,
	"official": true,
}

// access reads the access tags from the most specific to the most general
// and returns the first one set.
func access(tags osm.Tags, keys ...string) string {
	for _, k := range keys {
		if v := tags.Find(k); v != "" {
			return strings.ToLower(v)
		}
	}
	return ""
}

// closed reports whether a way is not to be routed on by anyone.
func closed(tags osm.Tags) bool {
	if tags.Find("area") == "yes" || tags.Find("impassable") == "yes" {
		return true
	}
	switch tags.Find("highway") {
	case "construction", "proposed", "abandoned", "platform_edge", "raceway":
		return true
	}
	return false
}

// oneway reads the direction rule for a mode: +1 forward only, -1 backward
// only, 0 both ways. Motorways and roundabouts are one way unless tagged
// otherwise.
func oneway(tags osm.Tags, modeKey string) int {
	v := tags.Find("oneway:" + modeKey)
	if v == "" {
		v = tags.Find("oneway")
	}
	switch v {
	case "yes", "1", "true":
		return 1
	case "-1", "reverse":
		return -1
	case "no", "0", "false":
		return 0
	case "reversible", "alternating":
		return 2
	}
	hw := tags.Find("highway")
	j := tags.Find("junction")
	if hw == "motorway" || hw == "motorway_link" || j == "roundabout" || j == "circular" {
		return 1
	}
	return 0
}

// parseLimit reads a maxspeed value in km/h; 0 when absent or unreadable.
// It understands plain numbers (km/h), "mph" suffixes, lists (the first
// entry counts) and named limits such as GB:nsl_single.
func parseLimit(v string) float64 {
	v = strings.ToLower(strings.TrimSpace(v))
	if v == "" {
		return 0
	}
	if i := strings.IndexByte(v, ';'); i >= 0 {
		v = strings.TrimSpace(v[:i])
	}
	if kmh, ok := namedLimits[v]; ok {
		return kmh
	}
	end := 0
	for end < len(v) && (v[end] >= '0' && v[end] <= '9' || v[end] == '.') {
		end++
	}
	n, err := strconv.ParseFloat(v[:end], 64)
	// Below 5 km/h is a typo or a walking-pace street; ignore it rather
	// than crawl.
	if err != nil || n < 5 || n > 300 {
		return 0
	}
	if strings.Contains(v[end:], "mph") || strings.Contains(v[end:], "mp/h") {
		n *= mphKMH
	}
	return n
}

// limitFor returns the speed limit that applies in one direction, reading
// the directional tag first, then the general one, then named limit types.
func limitFor(tags osm.Tags, dir string) float64 {
	for _, k := range []string{"maxspeed:" + dir, "maxspeed", "source:maxspeed", "maxspeed:type"} {
		if kmh := parseLimit(tags.Find(k)); kmh > 0 {
			return kmh
		}
	}
	return 0
}

// driveSpeeds returns the car speed along and against a way's direction,
// km/h; 0 means a car may not go that way.
func driveSpeeds(tags osm.Tags) (fwd, bwd float64) {
	if closed(tags) {
		return 0, 0
	}
	hw := tags.Find("highway")
	base, ok := driveClassKMH[hw]
	acc := access(tags, "motorcar", "motor_vehicle", "vehicle", "access")
	if !ok {
		// A way of another class open to cars by its tags, e.g. a track
		// marked motor_vehicle=yes, is driven at a crawl.
		if !granted[acc] || hw == "" || hw == "steps" || hw == "footway" {
			return 0, 0
		}
		base = 10
	}
	if denied[acc] {
		return 0, 0
	}
	if s := tags.Find("service"); s == "emergency_access" {
		return 0, 0
	}
	fwd, bwd = base, base
	if l := limitFor(tags, "forward"); l > 0 {
		fwd = l * limitShare
	}
	if l := limitFor(tags, "backward"); l > 0 {
		bwd = l * limitShare
	}
	if cap, ok := surfaceKMH[tags.Find("surface")]; ok {
		fwd, bwd = min(fwd, cap), min(bwd, cap)
	}
	dir := oneway(tags, "motorcar")
	if tags.Find("oneway:motorcar") == "" {
		dir = oneway(tags, "motor_vehicle")
		if tags.Find("oneway:motor_vehicle") == "" {
			dir = oneway(tags, "vehicle")
		}
	}
	return directed(fwd, bwd, dir)
}

// walkSpeeds returns the walking speed both ways along a way, km/h, or
// zeros when walking there is not allowed. One-way streets do not bind
// pedestrians; only oneway:foot does.
func walkSpeeds(tags osm.Tags, kmh float64) (fwd, bwd float64) {
	if closed(tags) {
		return 0, 0
	}
	hw := tags.Find("highway")
	acc := access(tags, "foot", "access")
	if denied[acc] || tags.Find("foot") == "no" {
		return 0, 0
	}
	if !walkClasses[hw] && !(hw != "" && (granted[tags.Find("foot")] || tags.Find("sidewalk") != "" && tags.Find("sidewalk") != "no" && hw != "motorway")) {
		return 0, 0
	}
	if hw == "motorway" || hw == "motorway_link" {
		return 0, 0
	}
	dir := 0
	switch tags.Find("oneway:foot") {
	case "yes", "1", "true":
		dir = 1
	case "-1":
		dir = -1
	}
	return directed(kmh, kmh, dir)
}

// cycleSpeeds returns the cycling speed along and against a way, km/h; on
// footways and steps the bike is pushed at pushKMH.
func cycleSpeeds(tags osm.Tags, kmh, pushKMH float64) (fwd, bwd float64) {
	if closed(tags) {
		return 0, 0
	}
	hw := tags.Find("highway")
	acc := access(tags, "bicycle", "vehicle", "access")
	if denied[acc] || tags.Find("bicycle") == "no" {
		return 0, 0
	}
	speed := 0.0
	switch {
	case cycleClasses[hw]:
		speed = kmh
	case pushClasses[hw] && granted[tags.Find("bicycle")]:
		speed = kmh
	case pushClasses[hw]:
		speed = pushKMH
	default:
		return 0, 0
	}
	dir := oneway(tags, "bicycle")
	if strings.HasPrefix(tags.Find("cycleway"), "opposite") {
		dir = 0
	}
	return directed(speed, speed, dir)
}

// directed applies a one-way rule to a pair of speeds; 2 (reversible) closes
// both directions, since when each is open cannot be planned for.
func directed(fwd, bwd float64, dir int) (float64, float64) {
	switch dir {
	case 1:
		return fwd, 0
	case -1:
		return 0, bwd
	case 2:
		return 0, 0
	}
	return fwd, bwd
}

// blocksCars reports whether a node stops cars passing through it: a
// bollard, a closed gate and the like, unless it lets cars through.
func blocksCars(tags osm.Tags) bool {
	b := tags.Find("barrier")
	if b == "" {
		return false
	}
	if a := access(tags, "motorcar", "motor_vehicle", "vehicle", "access"); a != "" {
		return denied[a]
	}
	switch b {
	case "cattle_grid", "border_control", "toll_booth", "sally_port", "gate", "lift_gate",
		"no", "entrance", "height_restrictor", "kerb", "swing_gate", "arch":
		return false
	}
	return true
}
