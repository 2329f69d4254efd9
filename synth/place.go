package synth

import (
	"math"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"

	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/roster"
)

// earthRadiusM is the radius package geo's straight-line distances use.
const earthRadiusM = orb.EarthRadius

// neighbourhood is a cluster of short streets.
type neighbourhood struct {
	centre roster.Location
	// weight is the neighbourhood's share of the clients, before
	// normalising: larger near the town centre.
	weight  float64
	streets []street
}

// street is a straight street segment.
type street struct{ from, to roster.Location }

// layOutTown places the neighbourhoods and their streets: one in the town
// centre and the rest scattered out to 90% of the radius, their share of
// clients falling with the distance from the centre.
func (g *generator) layOutTown() {
	// About three visits a client and a dozen clients a neighbourhood.
	n := min(max(g.cfg.Visits/36, 3), 60)
	radiusM := g.cfg.RadiusKM * 1000
	g.town = make([]neighbourhood, n)
	for i := range g.town {
		distM := radiusM * (0.15 + 0.75*math.Sqrt(g.r.Float64()))
		if i == 0 {
			distM = radiusM * 0.08 * g.r.Float64()
		}
		bearing := 2 * math.Pi * g.r.Float64()
		nb := &g.town[i]
		nb.centre = offset(g.cfg.Centre, distM*math.Sin(bearing), distM*math.Cos(bearing))
		// Denser near the centre: terraces and flats in town, scattered
		// houses further out.
		nb.weight = (0.6 + 0.8*g.r.Float64()) / (0.4 + distM/1000)
		streets := 3 + g.r.IntN(4)
		for range streets {
			from := offset(nb.centre, 150*g.r.NormFloat64(), 150*g.r.NormFloat64())
			b := 2 * math.Pi * g.r.Float64()
			length := 120 + 330*g.r.Float64()
			nb.streets = append(nb.streets, street{from, offset(from, length*math.Sin(b), length*math.Cos(b))})
		}
	}
}

// homeOnStreet draws a home along one of the town's streets.
func (g *generator) homeOnStreet() roster.Location {
	return g.habitable(g.drawOnStreet)
}

// drawOnStreet draws a place along one of the town's streets.
func (g *generator) drawOnStreet() roster.Location {
	weights := make([]float64, len(g.town))
	for i := range g.town {
		weights[i] = g.town[i].weight
	}
	nb := &g.town[pick(g.r, weights...)]
	s := nb.streets[g.r.IntN(len(nb.streets))]
	f := g.r.Float64()
	p := roster.Location{
		Lat: s.from.Lat + f*(s.to.Lat-s.from.Lat),
		Lon: s.from.Lon + f*(s.to.Lon-s.from.Lon),
	}
	// A few metres either side: houses on both sides of the street.
	return offset(p, 8*g.r.NormFloat64(), 8*g.r.NormFloat64())
}

// offset moves a location east and north by metres, rounded to six
// decimal places (about 0.1 m) so that the JSON stays readable.
func offset(l roster.Location, eastM, northM float64) roster.Location {
	lat := l.Lat + northM/earthRadiusM*180/math.Pi
	lon := l.Lon + eastM/(earthRadiusM*math.Cos(l.Lat*math.Pi/180))*180/math.Pi
	return roster.Location{Lat: round6(lat), Lon: round6(lon)}
}

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }

// distanceM is the distance in metres, as package geo's straight-line
// provider measures it.
func distanceM(a, b roster.Location) float64 {
	return orbgeo.Distance(orb.Point{a.Lon, a.Lat}, orb.Point{b.Lon, b.Lat})
}

// travelS is the straight-line travel time in seconds between two places by
// mode, with the speeds of package geo.
func travelS(mode roster.Mode, a, b roster.Location) float64 {
	sp := geo.DefaultSpeeds[mode]
	return distanceM(a, b) * sp.Detour / (sp.SpeedKMH / 3.6)
}
