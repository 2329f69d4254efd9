package roster

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Clock is a wall-clock time on the planning day in seconds since local
// midnight. Values past 24:00 (up to MaxClock) stand for the early hours of
// the next day, so that a late bed call or a night shift stays on one day.
type Clock int32

// MaxClock is the latest time a Clock may hold: 48:00, midnight at the end of
// the following day.
const MaxClock Clock = 48 * 3600

// ParseClock reads "HH:MM" or "HH:MM:SS".
func ParseClock(s string) (Clock, error) {
	parts := strings.Split(s, ":")
	if len(parts) != 2 && len(parts) != 3 {
		return 0, fmt.Errorf("time %q: want HH:MM or HH:MM:SS", s)
	}
	var v [3]int
	for i, p := range parts {
		if len(p) != 2 && !(i == 0 && len(p) == 1) {
			return 0, fmt.Errorf("time %q: want two digits in each part", s)
		}
		if strings.ContainsAny(p, "+-") {
			return 0, fmt.Errorf("time %q: %q is not a number", s, p)
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("time %q: %q is not a number", s, p)
		}
		v[i] = n
	}
	if v[1] > 59 || v[2] > 59 {
		return 0, fmt.Errorf("time %q: minutes and seconds run 00-59", s)
	}
	c := Clock(v[0]*3600 + v[1]*60 + v[2])
	if c > MaxClock {
		return 0, fmt.Errorf("time %q: later than 48:00", s)
	}
	return c, nil
}

// String writes the time as "HH:MM", or "HH:MM:SS" when the seconds are not
// zero. Negative values are written with a leading minus sign.
func (c Clock) String() string {
	sign := ""
	v := int(c)
	if v < 0 {
		sign, v = "-", -v
	}
	h, m, s := v/3600, v/60%60, v%60
	if s != 0 {
		return fmt.Sprintf("%s%02d:%02d:%02d", sign, h, m, s)
	}
	return fmt.Sprintf("%s%02d:%02d", sign, h, m)
}

// MarshalJSON writes the time as a string, see String.
func (c Clock) MarshalJSON() ([]byte, error) {
	return json.Marshal(c.String())
}

// UnmarshalJSON reads "HH:MM" or "HH:MM:SS".
func (c *Clock) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("want a time as a string \"HH:MM\"")
	}
	v, err := ParseClock(s)
	if err != nil {
		return err
	}
	*c = v
	return nil
}
