package solomon

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const tinyVRPLIB = `NAME : T1
TYPE : CVRPTW
DIMENSION : 4
VEHICLES : 3
CAPACITY : 50
SERVICE_TIME : 10
EDGE_WEIGHT_TYPE : EUC_2D
NODE_COORD_SECTION
1 5 5
2 8 9
3 1 1
4 5 0
DEMAND_SECTION
1 0
2 10
3 20
4 5
TIME_WINDOW_SECTION
1 0 200
2 10 50
3 0 100
4 30 60
DEPOT_SECTION
1
-1
EOF
`

// TestReadVRPLIB: the depot comes first, customers keep their order from
// 1, SERVICE_TIME is each customer's service and none of the depot's, and
// distances are Solomon's (the 3-4-5 triangle from the depot to node 2).
func TestReadVRPLIB(t *testing.T) {
	in, err := ReadVRPLIB(strings.NewReader(tinyVRPLIB), "tiny.vrp")
	if err != nil {
		t.Fatal(err)
	}
	if in.Name != "T1" || in.Vehicles != 3 || in.Capacity != 50 || len(in.Customers) != 4 {
		t.Fatalf("read %+v", in)
	}
	want := []Customer{
		{ID: 0, X: 5, Y: 5, Ready: 0, Due: 200},
		{ID: 1, X: 8, Y: 9, Demand: 10, Ready: 10, Due: 50, Service: 10},
		{ID: 2, X: 1, Y: 1, Demand: 20, Ready: 0, Due: 100, Service: 10},
		{ID: 3, X: 5, Y: 0, Demand: 5, Ready: 30, Due: 60, Service: 10},
	}
	for i, c := range in.Customers {
		if c != want[i] {
			t.Errorf("customer %d: %+v, want %+v", i, c, want[i])
		}
	}
	if d := in.Dist(0, 1, true); d != 5 {
		t.Errorf("depot to customer 1: %v, want 5", d)
	}
}

// TestReadVRPLIBRefuses: each malformed file is refused with a reason
// naming what is wrong.
func TestReadVRPLIBRefuses(t *testing.T) {
	for _, tt := range []struct{ name, old, new, want string }{
		{"no depot", "DEPOT_SECTION\n1\n-1\n", "", "no DEPOT_SECTION"},
		{"a node past DIMENSION", "4 5 0\nDEMAND", "4 5 0\n9 1 1\nDEMAND", "want a number from 1 to DIMENSION 4"},
		{"a window that closes before it opens", "4 30 60", "4 30 20", "closes (20) before it opens (30)"},
		{"another type", "TYPE : CVRPTW", "TYPE : TSP", `TYPE "TSP": want CVRPTW`},
		{"explicit weights", "EDGE_WEIGHT_TYPE : EUC_2D", "EDGE_WEIGHT_TYPE : EXPLICIT", "only EUC_2D is read"},
		{"a node with no window", "4 30 60\n", "", "node 4 has no time window"},
		{"text outside a section", "NODE_COORD_SECTION\n", "hello\nNODE_COORD_SECTION\n", "outside any section"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			text := strings.Replace(tinyVRPLIB, tt.old, tt.new, 1)
			_, err := ReadVRPLIB(strings.NewReader(text), "bad.vrp")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// TestReadDIMACSBKS reads the table published with the Gehring & Homberger
// instances and refuses one with another header.
func TestReadDIMACSBKS(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "bks.csv")
	if err := os.WriteFile(good, []byte("instance,vehicles,distance\nC1_4_1,40,7138.8\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := ReadDIMACSBKS(good)
	if err != nil {
		t.Fatal(err)
	}
	if got := b["C1_4_1"].For(true); got.Vehicles != 40 || got.Distance != 7138.8 {
		t.Errorf("C1_4_1: %+v", got)
	}
	bad := filepath.Join(dir, "other.csv")
	if err := os.WriteFile(bad, []byte("name,routes,cost\nC1_4_1,40,7138.8\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadDIMACSBKS(bad); err == nil || !strings.Contains(err.Error(), "instance,vehicles,distance") {
		t.Errorf("another header: %v", err)
	}
}

// FuzzReadVRPLIB checks that ReadVRPLIB never panics, that its errors name
// the input, and that what it accepts has a depot first and every
// customer's window open no later than it closes.
func FuzzReadVRPLIB(f *testing.F) {
	f.Add(tinyVRPLIB)
	f.Add(tinyVRPLIB[:len(tinyVRPLIB)/2])
	f.Add(strings.Replace(tinyVRPLIB, "DIMENSION : 4", "DIMENSION : 2", 1))
	f.Add(strings.Replace(tinyVRPLIB, "1\n-1", "9\n-1", 1))
	f.Add("DEPOT_SECTION\n1\n")
	f.Fuzz(func(t *testing.T, text string) {
		in, err := ReadVRPLIB(strings.NewReader(text), "fuzz.vrp")
		if err != nil {
			if in != nil {
				t.Fatal("an instance was returned with an error")
			}
			if !strings.HasPrefix(err.Error(), "solomon: fuzz.vrp") {
				t.Fatalf("error %q does not name the input", err)
			}
			return
		}
		if len(in.Customers) < 2 || in.Vehicles <= 0 || in.Capacity <= 0 || in.Customers[0].Demand != 0 {
			t.Fatalf("accepted a degenerate instance: %+v", in)
		}
		for i, c := range in.Customers {
			if c.ID != i || c.Due < c.Ready {
				t.Fatalf("customer %d: %+v", i, c)
			}
		}
	})
}
