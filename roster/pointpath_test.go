package roster

import "testing"

func TestPointPath(t *testing.T) {
	end := Location{Lat: 1, Lon: 1}
	in := &Instance{
		Clients: []Client{{ID: "a"}, {ID: "b"}},
		Carers:  []Carer{{ID: "x"}, {ID: "y", End: &end}},
	}
	want := []string{"clients[0].location", "clients[1].location", "carers[0].start", "carers[0].start", "carers[1].start", "carers[1].end", "points[6]"}
	for p, w := range want {
		if got := in.PointPath(p); got != w {
			t.Errorf("PointPath(%d) = %q, want %q", p, got, w)
		}
	}
	if len(in.Points()) != 6 {
		t.Fatalf("the instance has %d points, the test expects 6", len(in.Points()))
	}
}
