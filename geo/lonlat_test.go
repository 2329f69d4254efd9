package geo

import (
	"errors"
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

func TestParseLonLatList(t *testing.T) {
	got, err := ParseLonLatList(" -0.669440,52.562540; -0.588567 , 52.589676\n")
	if err != nil {
		t.Fatal(err)
	}
	want := []roster.Location{{Lat: 52.562540, Lon: -0.669440}, {Lat: 52.589676, Lon: -0.588567}}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("got %v, want %v", got, want)
	}
	for _, bad := range []string{"1,2;3", "1,2;;3,4", "a,b", ""} {
		_, err := ParseLonLatList(bad)
		var fes roster.FieldErrors
		if !errors.As(err, &fes) {
			t.Errorf("%q: got %v, want field errors", bad, err)
		}
	}
}
