package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rounds-dev/rounds/internal/badimports"
	"github.com/rounds-dev/rounds/roster"
)

const exampleImport = "../../testdata/import/"

// TestImportExample: the example town's files import, with its postcode
// file and its map's addresses, into a week that rounds solve plans on the
// town's streets and rounds check passes.
func TestImportExample(t *testing.T) {
	dir := t.TempDir()
	week, plan := filepath.Join(dir, "week.json"), filepath.Join(dir, "plan.json")
	code, _, errOut := runCLI(t, "import", exampleImport+"carers.csv", exampleImport+"clients.csv", exampleImport+"care.csv",
		"--postcodes", exampleImport+"postcodes.csv", "--osm", exampleImport+"town.osm", "--start", "2026-11-23", "--days", "7",
		"--name", "Rutham week 48", "-o", week)
	if code != exitOK {
		t.Fatalf("import exit %d:\n%s", code, errOut)
	}
	f, err := os.Open(week)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	in, err := roster.DecodeInstance(f)
	if err != nil {
		t.Fatalf("the imported week does not decode: %v", err)
	}
	if in.Name != "Rutham week 48" || in.Period == nil || in.Period.Days != 7 || len(in.Carers) != 25 || len(in.Clients) != 50 {
		t.Errorf("imported %q, period %+v, %d carers, %d clients", in.Name, in.Period, len(in.Carers), len(in.Clients))
	}
	code, _, errOut = runCLI(t, "solve", week, "--osm", exampleImport+"town.osm", "--iterations", "20", "--workers", "1", "--quiet", "-o", plan)
	if code != exitOK {
		t.Fatalf("solve exit %d:\n%s", code, errOut)
	}
	code, out, errOut := runCLI(t, "check", week, plan, "--osm", exampleImport+"town.osm")
	if code != exitOK {
		t.Fatalf("check exit %d:\n%s%s", code, out, errOut)
	}
}

// TestImportBadRows: each bad import of testdata/invalid/import.json exits
// 2 naming FILE:LINE:COLUMN on standard error, writes nothing, and repeats
// no name or place of the files.
func TestImportBadRows(t *testing.T) {
	cases, err := badimports.Read("../../testdata/invalid/import.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			dir := t.TempDir()
			args := []string{"import"}
			for _, name := range []string{"carers", "clients", "care"} {
				path := filepath.Join(dir, name+".csv")
				if err := os.WriteFile(path, []byte(c.Files[name]), 0o644); err != nil {
					t.Fatal(err)
				}
				args = append(args, path)
			}
			if c.Files["postcodes"] != "" {
				path := filepath.Join(dir, "postcodes.csv")
				if err := os.WriteFile(path, []byte(c.Files["postcodes"]), 0o644); err != nil {
					t.Fatal(err)
				}
				args = append(args, "--postcodes", path)
			}
			out := filepath.Join(dir, "week.json")
			args = append(args, "--start", c.Start, "--days", fmt.Sprint(c.Days), "-o", out)
			code, stdout, errOut := runCLI(t, args...)
			if code != exitUsage {
				t.Fatalf("exit %d, want 2; stderr:\n%s", code, errOut)
			}
			want := fmt.Sprintf("%s:%d:%s: ", c.File, c.Row, c.Column)
			if !strings.Contains(errOut, want) {
				t.Errorf("stderr lacks %q:\n%s", want, errOut)
			}
			if _, err := os.Stat(out); err == nil || stdout != "" {
				t.Error("an instance was written for bad input")
			}
			for _, s := range []string{"Ann Carer", "Cath Client", "High Street", "RU1 2AB", "RU9 9ZZ"} {
				if strings.Contains(errOut, s) {
					t.Errorf("stderr repeats %q:\n%s", s, errOut)
				}
			}
		})
	}
}

// TestImportUsage: the wrong number of files, a bad option and a file that
// cannot be opened are usage errors (exit 2), each named.
func TestImportUsage(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"two files", []string{"import", "a.csv", "b.csv"}, "usage: rounds import"},
		{"a missing file", []string{"import", "no-such.csv", exampleImport + "clients.csv", exampleImport + "care.csv"}, "no-such.csv"},
		{"a bad time zone", []string{"import", exampleImport + "carers.csv", exampleImport + "clients.csv", exampleImport + "care.csv",
			"--start", "2026-11-23", "--days", "7", "--time-zone", "Mars/Olympus", "--postcodes", exampleImport + "postcodes.csv", "--osm", exampleImport + "town.osm"}, "--time-zone: "},
		{"days without a start", []string{"import", exampleImport + "carers.csv", exampleImport + "clients.csv", exampleImport + "care.csv",
			"--days", "7"}, "--start: "},
		{"a map that is not one", []string{"import", exampleImport + "carers.csv", exampleImport + "clients.csv", exampleImport + "care.csv",
			"--osm", exampleImport + "care.csv"}, "--osm: "},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, c.args...)
			if code != exitUsage || !strings.Contains(errOut, c.want) {
				t.Errorf("exit %d, want 2 with %q in:\n%s", code, c.want, errOut)
			}
		})
	}
}

// TestServeImportsByAddress: rounds serve --osm places an import's rows by
// address in the extract's addr:* tags, so the example town imports whole.
func TestServeImportsByAddress(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut syncBuffer
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--redis", "", "--grace", "1s", "--workers", "0",
			"--osm", exampleImport + "town.osm"}, &out, &errOut)
	}()
	var url string
	for deadline := time.Now().Add(10 * time.Second); url == ""; {
		if s := out.String(); strings.Contains(s, "serving on ") {
			url = strings.TrimSpace(s[strings.Index(s, "http://"):])
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start: %s %s", out.String(), errOut.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for _, name := range []string{"carers", "clients", "care", "postcodes"} {
		b, err := os.ReadFile(exampleImport + name + ".csv")
		if err != nil {
			t.Fatal(err)
		}
		fw, _ := w.CreateFormFile(name, name+".csv")
		fw.Write(b) //nolint:errcheck // a bytes.Buffer does not fail
	}
	w.WriteField("start", "2026-11-23") //nolint:errcheck // a bytes.Buffer does not fail
	w.WriteField("days", "7")           //nolint:errcheck // a bytes.Buffer does not fail
	w.Close()
	res, err := http.Post(url+"/v1/import", w.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("import: %d %s", res.StatusCode, b)
	}
	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Fatalf("serve exit %d: %s", code, errOut.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop 20 s after the interrupt")
	}
}
