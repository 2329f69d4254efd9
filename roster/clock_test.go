package roster

import "testing"

func TestParseClock(t *testing.T) {
	cases := []struct {
		in   string
		want Clock
		ok   bool
	}{
		{"07:30", 7*3600 + 30*60, true},
		{"7:30", 7*3600 + 30*60, true},
		{"07:30:15", 7*3600 + 30*60 + 15, true},
		{"25:00", 25 * 3600, true},
		{"48:00", MaxClock, true},
		{"48:01", 0, false},
		{"+1:30", 0, false},
		{"-1:30", 0, false},
		{"07:60", 0, false},
		{"0730", 0, false},
		{"07:3", 0, false},
		{"", 0, false},
		{"ab:cd", 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseClock(tc.in)
			if (err == nil) != tc.ok {
				t.Fatalf("ParseClock(%q) error %v, want ok=%v", tc.in, err, tc.ok)
			}
			if tc.ok && got != tc.want {
				t.Errorf("ParseClock(%q) = %d, want %d", tc.in, got, tc.want)
			}
			if tc.ok {
				back, err := ParseClock(got.String())
				if err != nil || back != got {
					t.Errorf("round trip of %q through %q gave %d, %v", tc.in, got.String(), back, err)
				}
			}
		})
	}
}
