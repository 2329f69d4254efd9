package solomon

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// tinyWant is testdata/tiny.txt as parsed.
func tinyWant() *Instance {
	return &Instance{
		Name:     "TINY4",
		Vehicles: 2,
		Capacity: 20,
		Customers: []Customer{
			{ID: 0, X: 0, Y: 0, Demand: 0, Ready: 0, Due: 100, Service: 0},
			{ID: 1, X: 3, Y: 4, Demand: 10, Ready: 0, Due: 20, Service: 2},
			{ID: 2, X: 6, Y: 8, Demand: 10, Ready: 15, Due: 30, Service: 2},
			{ID: 3, X: 1, Y: 1, Demand: 5, Ready: 0, Due: 50, Service: 1},
			{ID: 4, X: 2, Y: 3, Demand: 5, Ready: 10, Due: 40, Service: 1},
		},
	}
}

// readTiny reads testdata/tiny.txt or stops the test.
func readTiny(t testing.TB) *Instance {
	t.Helper()
	in, err := ReadFile("testdata/tiny.txt")
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// tinyText is testdata/tiny.txt as a string.
func tinyText(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile("testdata/tiny.txt")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestReadFile(t *testing.T) {
	got := readTiny(t)
	if want := tinyWant(); !reflect.DeepEqual(got, want) {
		t.Errorf("ReadFile(tiny.txt) =\n%+v\nwant\n%+v", got, want)
	}
	if h := got.Horizon(); h != 100 {
		t.Errorf("Horizon() = %v, want 100", h)
	}
}

func TestReadFileMissing(t *testing.T) {
	_, err := ReadFile("testdata/no-such-file.txt")
	if err == nil || !strings.Contains(err.Error(), "testdata/no-such-file.txt") || !strings.HasPrefix(err.Error(), "solomon: ") {
		t.Errorf("ReadFile(missing) error = %v, want one naming the path", err)
	}
}

// TestReadVariants reads layouts of the same instance that Read must accept
// alike.
func TestReadVariants(t *testing.T) {
	base := tinyText(t)
	lines := strings.Split(strings.TrimRight(base, "\n"), "\n")
	reversed := append([]string{}, lines[:9]...)
	for i := len(lines) - 1; i >= 9; i-- {
		reversed = append(reversed, lines[i])
	}
	tests := []struct {
		name, text, wantName string
	}{
		{"as is", base, "TINY4"},
		{"CRLF", strings.ReplaceAll(base, "\n", "\r\n"), "TINY4"},
		{"CRLF without final newline", strings.TrimRight(strings.ReplaceAll(base, "\n", "\r\n"), "\r\n"), "TINY4"},
		{"byte order mark", "\ufeff" + base, "TINY4"},
		{"tabs and trailing spaces", strings.ReplaceAll(strings.ReplaceAll(base, "      ", "\t"), "\n", " \t\n"), "TINY4"},
		{"blank lines everywhere", strings.ReplaceAll(base, "\n", "\n\n  \n"), "TINY4"},
		{"lower-case keywords", strings.Replace(strings.Replace(base, "VEHICLE\n", "vehicle\n", 1), "CUSTOMER\n", "Customer\n", 1), "TINY4"},
		{"no column headings", strings.Replace(strings.Replace(base, "NUMBER     CAPACITY\n", "", 1), "CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME\n", "", 1), "TINY4"},
		{"no name line", strings.Replace(base, "TINY4\n", "", 1), "variant"},
		{"customers in reverse order", strings.Join(reversed, "\n"), "TINY4"},
		{"decimal points", strings.Replace(base, "3          4         10          0         20          2", "3.0        4.00      10          0.0       20.        2e0", 1), "TINY4"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Read(strings.NewReader(tc.text), "some/dir/variant.txt")
			if err != nil {
				t.Fatal(err)
			}
			want := tinyWant()
			want.Name = tc.wantName
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Read =\n%+v\nwant\n%+v", got, want)
			}
		})
	}
}

// TestReadErrors checks that malformed input gets an error naming the input
// and the line at fault, and saying what is wrong.
func TestReadErrors(t *testing.T) {
	base := tinyText(t)
	// Line numbers in tiny.txt: 1 name, 3 VEHICLE, 4 heading, 5 fleet,
	// 7 CUSTOMER, 8 heading, 10 depot, 11-14 customers 1-4.
	customer1 := "    1       3          4         10          0         20          2"
	replace := func(old, new string) string {
		if !strings.Contains(base, old) {
			t.Fatalf("tiny.txt does not contain %q", old)
		}
		return strings.Replace(base, old, new, 1)
	}
	tests := []struct {
		name, text string
		want       []string // substrings of the error
	}{
		{"empty", "", []string{"x.txt: empty input"}},
		{"blank only", "\r\n  \n\n", []string{"x.txt: empty input"}},
		{"name only", "C101\n", []string{"x.txt:1:", "no VEHICLE section"}},
		{"two name lines", replace("TINY4\n", "TINY4\nTINY5\n"), []string{"x.txt:2:", "unexpected line \"TINY5\""}},
		{"CUSTOMER before VEHICLE", "C101\nCUSTOMER\n", []string{"x.txt:2:", "CUSTOMER section before the VEHICLE section"}},
		{"no fleet line", replace("   2          20\n", "\n"), []string{"x.txt:7:", "before the fleet line"}},
		{"no fleet line at end", "C\nVEHICLE\nNUMBER CAPACITY\n", []string{"x.txt:3:", "no fleet line"}},
		{"fleet line one field", replace("   2          20\n", "   2\n"), []string{"x.txt:5:", "want 2 numbers", "got 1 fields"}},
		{"fleet line not a number", replace("   2          20\n", "   2          2O\n"), []string{"x.txt:5:", "CAPACITY \"2O\" is not a whole number"}},
		{"fleet line zero vehicles", replace("   2          20\n", "   0          20\n"), []string{"x.txt:5:", "NUMBER must be positive"}},
		{"second fleet line", replace("   2          20\n", "   2          20\n 3 30\n"), []string{"x.txt:6:", "second fleet line (first on line 5)"}},
		{"no CUSTOMER section", "C\nVEHICLE\n2 20\n", []string{"x.txt:3:", "no CUSTOMER section"}},
		{"no customer lines", "C\nVEHICLE\n2 20\nCUSTOMER\nCUST NO.\n", []string{"x.txt:5:", "no customer lines after the CUSTOMER section on line 4"}},
		{"second VEHICLE", replace("CUSTOMER\n", "CUSTOMER\nVEHICLE\n"), []string{"x.txt:8:", "second VEHICLE section"}},
		{"missing column", replace(customer1, "    1       3          4         10          0         20"), []string{"x.txt:11:", "want 7 numbers", "got 6 fields"}},
		{"extra column", replace(customer1, customer1+" 7"), []string{"x.txt:11:", "got 8 fields"}},
		{"not a number", replace(customer1, "    1       3          4x        10          0         20          2"), []string{"x.txt:11:", "YCOORD. \"4x\" is not a finite number"}},
		{"NaN", replace(customer1, "    1       3          4         10          0        NaN          2"), []string{"x.txt:11:", "DUE DATE \"NaN\" is not a finite number"}},
		{"infinite", replace(customer1, "    1       3          4         10          0       +Inf          2"), []string{"x.txt:11:", "DUE DATE \"+Inf\" is not a finite number"}},
		{"fractional demand", replace(customer1, "    1       3          4         10.5        0         20          2"), []string{"x.txt:11:", "DEMAND \"10.5\" is not a whole number"}},
		{"fractional id", replace(customer1, "    1.5     3          4         10          0         20          2"), []string{"x.txt:11:", "CUST NO. \"1.5\" is not a whole number"}},
		{"negative id", replace(customer1, "   -1       3          4         10          0         20          2"), []string{"x.txt:11:", "CUST NO. must not be negative"}},
		{"negative demand", replace(customer1, "    1       3          4        -10          0         20          2"), []string{"x.txt:11:", "DEMAND must not be negative"}},
		{"negative service", replace(customer1, "    1       3          4         10          0         20         -2"), []string{"x.txt:11:", "SERVICE TIME must not be negative"}},
		{"ready after due", replace(customer1, "    1       3          4         10         30         20          2"), []string{"x.txt:11:", "READY TIME 30 is after DUE DATE 20"}},
		{"no depot", replace("    0       0          0          0          0        100          0\n", ""), []string{"x.txt:7:", "no depot", "lowest id is 1, on line 10"}},
		{"duplicate id", replace(customer1, customer1+"\n"+customer1), []string{"x.txt:12:", "duplicate customer id 1 (first on line 11)"}},
		{"duplicate depot", replace(customer1, "    0       3          4         10          0         20          2"), []string{"x.txt:11:", "duplicate customer id 0 (first on line 10)"}},
		{"gap in ids", replace(customer1, "    5       3          4         10          0         20          2"), []string{"x.txt:12:", "id 2 follows 0, so 1 is missing"}},
		{"text after data", base + "EOF\n", []string{"x.txt:15:", "unexpected line \"EOF\" after customer data"}},
		{"comment line", replace(customer1, "# comment\n"+customer1), []string{"x.txt:11:", "want 7 numbers"}},
		{"line too long", replace(customer1, customer1+strings.Repeat(" ", maxLine)), []string{"x.txt:11:", "line longer than"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in, err := Read(strings.NewReader(tc.text), "x.txt")
			if err == nil {
				t.Fatalf("Read succeeded: %+v", in)
			}
			if in != nil {
				t.Error("Read returned an instance with its error")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "solomon: x.txt") {
				t.Errorf("error %q does not start with \"solomon: x.txt\"", msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
		})
	}
}
