package main

import (
	"bufio"
	"os"
	"path"
	"regexp"
	"strings"
	"testing"
)

// writtenFiles lists the files and directories that the shell commands in
// a Markdown document write: -o FILE, --out DIR, -cpuprofile FILE and
// > FILE, in its ```sh blocks and its `go run ...` spans.
func writtenFiles(t *testing.T, doc string) []string {
	t.Helper()
	b, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	outRE := regexp.MustCompile(`(?:^|\s)(?:-o|--out|-cpuprofile|--cpuprofile)[ =]([^\s` + "`" + `;&|)]+)|>\s*([^\s>&` + "`" + `;|)]+)`)
	var files []string
	inSh := false
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "```sh"):
			inSh = true
			continue
		case strings.HasPrefix(line, "```"):
			inSh = false
			continue
		}
		if !inSh && !strings.Contains(line, "go run ./cmd/rounds") {
			continue
		}
		for _, m := range outRE.FindAllStringSubmatch(line, -1) {
			f := m[1] + m[2]
			if f != "" && f != "/dev/null" && !strings.HasPrefix(f, "$") && !strings.HasPrefix(f, "/") {
				files = append(files, f)
			}
		}
	}
	return files
}

// ignored reports whether a .gitignore pattern list ignores name, a file
// or directory in the checkout's root or below a directory there that is
// ignored (the patterns used here: /name, /glob, name and dir/).
func ignored(patterns []string, name string) bool {
	name = strings.TrimSuffix(strings.TrimPrefix(name, "./"), "/")
	if dir, _, below := strings.Cut(name, "/"); below && ignored(patterns, dir) {
		return true
	}
	for _, p := range patterns {
		p = strings.TrimSuffix(strings.TrimPrefix(p, "/"), "/")
		if ok, _ := path.Match(p, name); ok {
			return true
		}
		if ok, _ := path.Match(p, path.Base(name)); ok && !strings.Contains(p, "/") {
			return true
		}
	}
	return false
}

// TestGitignoreCoversREADME: every file that the commands of README,
// docs/BENCHMARKS.md and docs/COMMISSIONERS.md write in the checkout is
// ignored by git, so that following them leaves nothing to commit by
// mistake.
func TestGitignoreCoversREADME(t *testing.T) {
	b, err := os.ReadFile("../../.gitignore")
	if err != nil {
		t.Fatal(err)
	}
	var patterns []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			patterns = append(patterns, l)
		}
	}
	for _, doc := range []string{"../../README.md", "../../docs/BENCHMARKS.md", "../../docs/COMMISSIONERS.md"} {
		files := writtenFiles(t, doc)
		if len(files) == 0 {
			t.Fatalf("%s: found no command that writes a file; the scan is broken", doc)
		}
		for _, f := range files {
			if !ignored(patterns, f) {
				t.Errorf("%s writes %s, which .gitignore does not cover", doc, f)
			}
		}
	}
}

// TestREADMEKeysAndLicence: README teaches keys made by rounds key new,
// not weak example secrets, and the project carries the Apache 2.0
// licence it declares.
func TestREADMEKeysAndLicence(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, weak := range []string{"s3cret", "0ps"} {
		if strings.Contains(string(readme), weak) {
			t.Errorf("README still teaches the key %q", weak)
		}
	}
	for _, want := range []string{"rounds key new", "a C compiler", "redis-server", "CI=true", "| 3 |", "--iterations", "[LICENSE](LICENSE)"} {
		if !strings.Contains(string(readme), want) {
			t.Errorf("README lacks %q", want)
		}
	}
	licence, err := os.ReadFile("../../LICENSE")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(licence), "Apache License\n                           Version 2.0, January 2004") {
		t.Error("LICENSE is not the Apache License 2.0")
	}
}
