package solomon

import (
	"reflect"
	"strings"
	"testing"
)

func TestReadBKS(t *testing.T) {
	got, err := ReadBKS("testdata/bks.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]BKS{
		"TINY4": {Instance: "TINY4", Hierarchical: Best{2, 27.26}, DIMACS: Best{2, 27.2}},
		"C101":  {Instance: "C101", Hierarchical: Best{10, 828.94}, DIMACS: Best{10, 827.3}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReadBKS =\n%+v\nwant\n%+v", got, want)
	}
	if b := got["C101"].For(true); b != (Best{10, 827.3}) {
		t.Errorf("For(true) = %+v", b)
	}
	if b := got["C101"].For(false); b != (Best{10, 828.94}) {
		t.Errorf("For(false) = %+v", b)
	}
}

func TestReadBKSVariants(t *testing.T) {
	want := map[string]BKS{"R101": {Instance: "R101", Hierarchical: Best{19, 1650.80}, DIMACS: Best{20, 1637.7}}}
	tests := []struct{ name, text string }{
		{"bks.csv layout", "instance,cls,customers,capacity,fleet_in_file,sintef_vehicles,sintef_distance,dimacs_vehicles,dimacs_distance,lkh3_vehicles,lkh3_distance\nR101,R1,100,200,25,19,1650.80,20,1637.7,19,1650.799\n"},
		{"other order and case", "DIMACS_Distance,Instance,SINTEF_VEHICLES,sintef_distance,dimacs_vehicles\n1637.7,R101,19,1650.80,20\n"},
		{"CRLF, BOM, spaces, blank lines", "\ufeffinstance, sintef_vehicles, sintef_distance, dimacs_vehicles, dimacs_distance\r\n\r\nR101, 19, 1650.80, 20, 1637.7\r\n\r\n"},
		{"quoted cells and empty unused cells", "\"instance\",\"note\",sintef_vehicles,sintef_distance,dimacs_vehicles,dimacs_distance,lkh3_distance\n\"R101\",\"a, b\",19,1650.80,20,1637.7,\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readBKS(strings.NewReader(tc.text), "b.csv")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("readBKS =\n%+v\nwant\n%+v", got, want)
			}
		})
	}
}

func TestReadBKSErrors(t *testing.T) {
	const header = "instance,sintef_vehicles,sintef_distance,dimacs_vehicles,dimacs_distance\n"
	tests := []struct {
		name, text, want string
	}{
		{"empty", "", "solomon: b.csv: empty file: want a header line"},
		{"header only", header, "solomon: b.csv:1: no rows after the header"},
		{"missing column", "instance,sintef_vehicles,sintef_distance,dimacs_vehicles\nC101,10,828.94,10\n", `solomon: b.csv:1: no column "dimacs_distance" in the header`},
		{"column twice", "instance,sintef_vehicles,sintef_distance,dimacs_vehicles,dimacs_distance,Instance\n", `solomon: b.csv:1: column "instance" appears twice (columns 1 and 6)`},
		{"short row", header + "C101,10,828.94,10\n", "solomon: b.csv:2: wrong number of fields"},
		{"bad quote", header + "C101,10,\"828.94,10,827.3\n", "solomon: b.csv:2:"},
		{"empty instance", header + ",10,828.94,10,827.3\n", "solomon: b.csv:2: column instance is empty"},
		{"empty distance", header + "C101,10,,10,827.3\n", "solomon: b.csv:2: column sintef_distance is empty"},
		{"vehicles not a number", header + "C101,ten,828.94,10,827.3\n", `solomon: b.csv:2: C101: sintef_vehicles "ten" is not a positive whole number`},
		{"vehicles fractional", header + "C101,10,828.94,10.5,827.3\n", `solomon: b.csv:2: C101: dimacs_vehicles "10.5" is not a positive whole number`},
		{"vehicles zero", header + "C101,0,828.94,10,827.3\n", `solomon: b.csv:2: C101: sintef_vehicles "0" is not a positive whole number`},
		{"distance not a number", header + "C101,10,828.94,10,8x7\n", `solomon: b.csv:2: C101: dimacs_distance "8x7" is not a positive finite number`},
		{"distance NaN", header + "C101,10,NaN,10,827.3\n", `solomon: b.csv:2: C101: sintef_distance "NaN" is not a positive finite number`},
		{"distance infinite", header + "C101,10,828.94,10,Inf\n", `solomon: b.csv:2: C101: dimacs_distance "Inf" is not a positive finite number`},
		{"distance negative", header + "C101,10,-828.94,10,827.3\n", `solomon: b.csv:2: C101: sintef_distance "-828.94" is not a positive finite number`},
		{"instance twice", header + "C101,10,828.94,10,827.3\n\nC101,10,828.94,10,827.3\n", "solomon: b.csv:4: instance C101 appears twice (first on line 2)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readBKS(strings.NewReader(tc.text), "b.csv")
			if err == nil {
				t.Fatalf("readBKS succeeded: %+v", got)
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error %q does not start with %q", err, tc.want)
			}
		})
	}
}

func TestReadBKSFileMissing(t *testing.T) {
	_, err := ReadBKS("testdata/no-such.csv")
	if err == nil || !strings.Contains(err.Error(), "testdata/no-such.csv") {
		t.Errorf("ReadBKS(missing) error = %v, want one naming the path", err)
	}
}
