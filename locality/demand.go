// Package locality sizes the localities a council buys home care in: how
// much care each area holds and when, how many carers it needs (found by
// planning representative days with the optimiser, not by formula),
// whether carers could walk it, what travel, mileage and CO2 it costs, and
// how balanced the areas are. It evaluates boundary options given as
// GeoJSON polygons and proposes new ones built from small units of a
// hexagonal grid. docs/DESIGN-localities.md sets out the method.
package locality

import (
	"encoding/json"
	"fmt"

	"github.com/rounds-dev/rounds/roster"
)

// Band is a part of the day that calls fall in.
type Band int

// The bands, in the order of the day.
const (
	Morning Band = iota
	Lunch
	Tea
	Bed
	NBands
)

var bandNames = [NBands]string{"morning", "lunch", "tea", "bed"}

// String is the band's name as the demand CSV and reports write it.
func (b Band) String() string {
	if b < 0 || b >= NBands {
		return fmt.Sprintf("band(%d)", int(b))
	}
	return bandNames[b]
}

// ParseBand reads a band's name.
func ParseBand(s string) (Band, error) {
	for b, n := range bandNames {
		if s == n {
			return Band(b), nil
		}
	}
	return 0, fmt.Errorf("%q is not a band: want morning, lunch, tea or bed", s)
}

// MarshalJSON writes the band by its name, as the demand CSV does.
func (b Band) MarshalJSON() ([]byte, error) {
	if b < 0 || b >= NBands {
		return nil, fmt.Errorf("locality: %v is not a band", b)
	}
	return json.Marshal(b.String())
}

// UnmarshalJSON reads a band by its name.
func (b *Band) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("want a band's name (morning, lunch, tea or bed), got %s", data)
	}
	v, err := ParseBand(s)
	if err != nil {
		return err
	}
	*b = v
	return nil
}

// Client is one person's care as a commissioner sees it: where they live,
// how many hours a week they receive, in which bands of the day their
// calls fall, and whether the calls need two carers.
type Client struct {
	ID       string          `json:"id"`
	Location roster.Location `json:"location"`
	// WeeklyHours is the contact time a week, counted once for a
	// double-handed call (the carers' time is twice that).
	WeeklyHours float64 `json:"weekly_hours"`
	// Bands are the client's calls of a day, one entry a call, in the
	// order of the day; their length is WeeklyHours spread evenly over
	// seven days of them.
	Bands  []Band   `json:"bands"`
	Double bool     `json:"double_handed,omitempty"`
	Skills []string `json:"skills,omitempty"`
}

// CallsADay is the number of the client's calls a day.
func (c *Client) CallsADay() int { return len(c.Bands) }

// CallMin is the length of each of the client's calls, in minutes.
func (c *Client) CallMin() float64 {
	if len(c.Bands) == 0 {
		return 0
	}
	return c.WeeklyHours * 60 / 7 / float64(len(c.Bands))
}

// District is the demand of a council's area: every client it buys care
// for.
type District struct {
	Name     string   `json:"name,omitempty"`
	TimeZone string   `json:"timezone,omitempty"`
	Clients  []Client `json:"clients"`
}

// WeeklyHours is the district's contact hours a week.
func (d *District) WeeklyHours() float64 {
	h := 0.0
	for i := range d.Clients {
		h += d.Clients[i].WeeklyHours
	}
	return h
}

// hoursByBand is the clients' weekly hours, in all and split by band,
// each call an equal share of its client's hours.
func hoursByBand(clients []Client) (total float64, byBand [NBands]float64) {
	for i := range clients {
		c := &clients[i]
		total += c.WeeklyHours
		for _, b := range c.Bands {
			if b >= 0 && b < NBands {
				byBand[b] += c.WeeklyHours / float64(len(c.Bands))
			}
		}
	}
	return total, byBand
}

// Supply is what a provider would field: the assumptions behind "carers
// needed", stated rather than hidden.
type Supply struct {
	// WalkShare is the share of carers who walk; the rest drive.
	WalkShare float64 `json:"walk_share"`
	// ContractHours is a carer's paid hours a week, for turning a day's
	// carers into a headcount.
	ContractHours float64 `json:"contract_hours"`
	// Utilisation is the share of paid time that can be care, for the
	// capacity estimate the search starts from.
	Utilisation float64 `json:"utilisation"`
	// CO2KgPerKM is the CO2 a driven kilometre emits.
	CO2KgPerKM float64 `json:"co2_kg_per_km"`
}

// DefaultSupply is a provider in a mixed town: a fifth of carers walk,
// 30-hour contracts, 70% of paid time care. CO2 is 0.17 kg a km, the
// order of the UK government's greenhouse-gas conversion factor for an
// average car of unknown fuel; set the year's factor to match a report.
var DefaultSupply = Supply{WalkShare: 0.2, ContractHours: 30, Utilisation: 0.7, CO2KgPerKM: 0.17}
