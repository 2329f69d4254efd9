package mankowska_test

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/bench/mankowska"
)

func TestReadBKS(t *testing.T) {
	got, err := mankowska.ReadBKS("testdata/bks.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("read %d rows, want 3", len(got))
	}
	tests := []struct {
		label    string
		check    func(b mankowska.BKS) bool
		property string
	}{
		{"A1", func(b mankowska.BKS) bool {
			return b.File == "instances/InstanzCPLEX_HCSRP_10_1.txt" && b.Patients == 10 && b.Caregivers == 3 &&
				b.Services == 6 && b.DoubleService == 3 && b.Simultaneous == 1 && b.Precedence == 2
		}, "file and sizes"},
		{"A1", func(b mankowska.BKS) bool {
			return b.Ceschia2024Cost == 218.199 && b.Ceschia2024Travel == 654.596 && b.Ceschia2024TotalTardiness == 0 &&
				b.Ceschia2024MaxTardiness == 0 && b.BestKnown == 218.199 && b.BestKnownSource == "Ceschia et al. 2024 MNSA" &&
				b.Ceschia2024Solution == "solutions_ceschia2024/sol-InstanzCPLEX_HCSRP_10_1-3825612719.json"
		}, "Ceschia values"},
		{"A1", func(b mankowska.BKS) bool {
			return math.IsNaN(b.LowerBound) && math.IsNaN(b.Gecco2020) && math.IsNaN(b.BRKGABest) && math.IsNaN(b.BRKGAMean15)
		}, "absent columns are NaN"},
		{"G10", func(b mankowska.BKS) bool {
			return b.BestKnown == 1634.01 && b.BestKnownSource == "Ceschia et al. 2024 MNSA, with a comma" && b.Ceschia2024MaxTardiness == 4.22
		}, "quoted field"},
		{"C9", func(b mankowska.BKS) bool {
			return b.BestKnown == 531.2 && b.Ceschia2024Solution == "" && b.Ceschia2024Cost == 535.075
		}, "empty solution"},
	}
	for _, tc := range tests {
		t.Run(tc.label+" "+tc.property, func(t *testing.T) {
			b, ok := got[tc.label]
			if !ok {
				t.Fatalf("no row %s", tc.label)
			}
			if b.Label != tc.label {
				t.Errorf("Label %q, want %q", b.Label, tc.label)
			}
			if !tc.check(b) {
				t.Errorf("%s wrong: %+v", tc.property, b)
			}
		})
	}
}

func TestReadBKSErrors(t *testing.T) {
	const header = "label,file,best_known,ceschia2024_cost,patients\n"
	tests := []struct {
		name string
		csv  string
		want string
	}{
		{"empty", "", "empty file, want a header line"},
		{"missing label column", "file,best_known\ninstances/InstanzCPLEX_HCSRP_10_1.txt,1\n", `header: missing column "label"`},
		{"missing best_known column", "label,file\nA1,instances/InstanzCPLEX_HCSRP_10_1.txt\n", `header: missing column "best_known"`},
		{"repeated column", "label,file,best_known,label\n", `header: column "label" repeated`},
		{"bad number", header + "A1,instances/InstanzCPLEX_HCSRP_10_1.txt,1,abc,10\n", `line 2: column ceschia2024_cost: "abc" is not a finite number`},
		{"infinite number", header + "A1,instances/InstanzCPLEX_HCSRP_10_1.txt,1,+Inf,10\n", `line 2: column ceschia2024_cost: "+Inf" is not a finite number`},
		{"bad count", header + "A1,instances/InstanzCPLEX_HCSRP_10_1.txt,1,2,ten\n", `line 2: column patients: "ten" is not a count`},
		{"empty best known", header + "A1,instances/InstanzCPLEX_HCSRP_10_1.txt,,2,10\n", "line 2: column best_known: empty"},
		{"empty label", header + ",instances/InstanzCPLEX_HCSRP_10_1.txt,1,2,10\n", "line 2: column label: empty"},
		{"repeated label", header + "A1,instances/InstanzCPLEX_HCSRP_10_1.txt,1,2,10\nA1,instances/InstanzCPLEX_HCSRP_10_1.txt,1,2,10\n", "line 3: label A1 repeated (first at line 2)"},
		{"label and file disagree", header + "A2,instances/InstanzCPLEX_HCSRP_10_1.txt,1,2,10\n", "line 2: label A2, but file instances/InstanzCPLEX_HCSRP_10_1.txt is instance A1"},
		{"unknown file", header + "A1,instances/foo.txt,1,2,10\n", `line 2: column file: "instances/foo.txt" is not a Mankowska instance name`},
		{"ragged row", header + "A1,instances/InstanzCPLEX_HCSRP_10_1.txt,1\n", "record on line 2: wrong number of fields"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bks.csv")
			if err := os.WriteFile(path, []byte(tc.csv), 0o644); err != nil {
				t.Fatal(err)
			}
			m, err := mankowska.ReadBKS(path)
			if err == nil {
				t.Fatalf("no error, read %+v", m)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
				t.Errorf("error %q, want it to name %s and contain %q", err, path, tc.want)
			}
		})
	}
	if _, err := mankowska.ReadBKS("testdata/none.csv"); err == nil || !strings.Contains(err.Error(), "none.csv") {
		t.Errorf("missing file: error %v, want one naming the file", err)
	}
}

func TestLabels(t *testing.T) {
	tests := []struct {
		label, name string
	}{
		{"A1", "InstanzCPLEX_HCSRP_10_1"},
		{"A10", "InstanzCPLEX_HCSRP_10_10"},
		{"B3", "InstanzCPLEX_HCSRP_25_3"},
		{"C9", "InstanzCPLEX_HCSRP_50_9"},
		{"D10", "InstanzCPLEX_HCSRP_75_10"},
		{"E3", "InstanzVNS_HCSRP_100_3"},
		{"F7", "InstanzVNS_HCSRP_200_7"},
		{"G10", "InstanzVNS_HCSRP_300_10"},
	}
	for _, tc := range tests {
		t.Run(tc.label, func(t *testing.T) {
			for _, name := range []string{tc.name, tc.name + ".txt", "instances/" + tc.name + ".txt"} {
				if got, err := mankowska.Label(name); err != nil || got != tc.label {
					t.Errorf("Label(%q) = %q, %v; want %q", name, got, err, tc.label)
				}
			}
			if got, err := mankowska.InstanceName(tc.label); err != nil || got != tc.name {
				t.Errorf("InstanceName(%q) = %q, %v; want %q", tc.label, got, err, tc.name)
			}
		})
	}
	for _, bad := range []string{"", "InstanzCPLEX_HCSRP_100_1", "InstanzVNS_HCSRP_10_1", "InstanzCPLEX_HCSRP_10_0", "InstanzCPLEX_HCSRP_10_", "InstanzCPLEX_HCSRP_10_x", "sol-InstanzCPLEX_HCSRP_10_1-3825612719.json"} {
		t.Run("name "+bad, func(t *testing.T) {
			if got, err := mankowska.Label(bad); err == nil {
				t.Errorf("Label(%q) = %q, want an error", bad, got)
			}
		})
	}
	for _, bad := range []string{"", "A", "A0", "A01", "H1", "a1", "A1x", "AB1"} {
		t.Run("label "+bad, func(t *testing.T) {
			if got, err := mankowska.InstanceName(bad); err == nil {
				t.Errorf("InstanceName(%q) = %q, want an error", bad, got)
			}
		})
	}
}
