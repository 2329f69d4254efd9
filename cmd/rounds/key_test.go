package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/api"
)

// runCLIStdin runs the command line in-process with stdin as its standard
// input.
func runCLIStdin(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := runIO(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestKeyNew: rounds key new prints a fresh 256-bit secret and the keys
// file line holding its hash, which rounds serve reads back as that key.
func TestKeyNew(t *testing.T) {
	cases := []struct {
		name  string
		args  []string
		owner string
		admin bool
	}{
		{"default name", nil, "key", false},
		{"named", []string{"coordinator"}, "coordinator", false},
		{"admin", []string{"ops", "--admin"}, "ops", true},
		{"admin flag first", []string{"--admin", "ops"}, "ops", true},
	}
	lineRE := regexp.MustCompile(`(?m)^secret: (\S+)\nline: (.+)\n$`)
	seen := map[string]bool{}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, append([]string{"key", "new"}, tc.args...)...)
			if code != exitOK {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			m := lineRE.FindStringSubmatch(out)
			if m == nil {
				t.Fatalf("stdout is not \"secret: ...\\nline: ...\\n\": %q", out)
			}
			secret, line := m[1], m[2]
			raw, err := base64.RawURLEncoding.DecodeString(secret)
			if err != nil || len(raw) != 32 {
				t.Errorf("secret %q is not 256 bits of URL-safe base64 (%d bytes, %v)", secret, len(raw), err)
			}
			if seen[secret] {
				t.Errorf("secret %q made twice", secret)
			}
			seen[secret] = true
			if !strings.Contains(errOut, "keep it secret") || !strings.Contains(errOut, "keys file") {
				t.Errorf("stderr does not tell the user what to do with the two lines: %q", errOut)
			}
			keys := filepath.Join(t.TempDir(), "keys.txt")
			if err := os.WriteFile(keys, []byte(line+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := readKeys(keys)
			if err != nil {
				t.Fatalf("the printed line %q is not a keys file line: %v", line, err)
			}
			want := api.Key{Name: tc.owner, Hash: api.HashKey(secret), Admin: tc.admin}
			if len(got) != 1 || got[0] != want {
				t.Errorf("keys file reads %+v, want %+v", got, want)
			}
		})
	}
	for _, args := range [][]string{{"key"}, {"key", "old"}, {"key", "new", "two words"}, {"key", "new", "a#b"}, {"key", "new", "a", "b"}} {
		if code, _, _ := runCLI(t, args...); code != exitUsage {
			t.Errorf("%q: exit %d, want %d", args, code, exitUsage)
		}
	}
	if code, out, errOut := runCLI(t, "key", "new", "-h"); code != exitOK || out != "" || !strings.Contains(errOut, "usage: rounds key new") {
		t.Errorf("key new -h: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// TestHashKey: the secret comes from standard input when no argument (or
// "-") is given, -h prints help rather than the hash of "-h", and an empty
// secret is refused.
func TestHashKey(t *testing.T) {
	cases := []struct {
		name, stdin string
		args        []string
		code        int
		stdout      string
		stderr      string
	}{
		{"stdin", "s3cret\n", nil, exitOK, api.HashKey("s3cret") + "\n", ""},
		{"stdin without a newline", "s3cret", nil, exitOK, api.HashKey("s3cret") + "\n", ""},
		{"stdin with CRLF", "s3cret\r\nmore\n", nil, exitOK, api.HashKey("s3cret") + "\n", ""},
		{"dash", "s3cret\n", []string{"-"}, exitOK, api.HashKey("s3cret") + "\n", ""},
		{"argument", "", []string{"s3cret"}, exitOK, api.HashKey("s3cret") + "\n", ""},
		{"help", "", []string{"-h"}, exitOK, "", "standard input"},
		{"long help", "", []string{"--help"}, exitOK, "", "shell history"},
		{"empty stdin", "", nil, exitUsage, "", "empty"},
		{"two arguments", "", []string{"a", "b"}, exitUsage, "", "usage"},
		{"unknown flag", "", []string{"--salt", "x"}, exitUsage, "", "salt"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLIStdin(t, tc.stdin, append([]string{"hash-key"}, tc.args...)...)
			if code != tc.code || out != tc.stdout || !strings.Contains(errOut, tc.stderr) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, stdout %q, stderr holding %q", code, out, errOut, tc.code, tc.stdout, tc.stderr)
			}
		})
	}
}
