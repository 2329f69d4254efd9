package main

import (
	"strings"
	"testing"
)

// TestSummarise: go test's usual lines pass through, a failed test's
// output is shown, skipped tests are listed with their reasons, a package
// that did not build counts as a failure, and the counts line comes last.
func TestSummarise(t *testing.T) {
	cases := []struct {
		name                    string
		in                      string
		passed, failed, skipped int
		want                    []string // in this order
		not                     []string
	}{
		{
			name: "all pass",
			in: `{"Action":"start","Package":"m/a"}
{"Action":"run","Package":"m/a","Test":"TestOne"}
{"Action":"output","Package":"m/a","Test":"TestOne","Output":"=== RUN   TestOne\n"}
{"Action":"output","Package":"m/a","Test":"TestOne","Output":"--- PASS: TestOne (0.00s)\n"}
{"Action":"pass","Package":"m/a","Test":"TestOne"}
{"Action":"output","Package":"m/a","Output":"PASS\n"}
{"Action":"output","Package":"m/a","Output":"ok  \tm/a\t0.01s\n"}
{"Action":"pass","Package":"m/a"}
`,
			passed: 1,
			want:   []string{"ok  \tm/a\t0.01s\n", "tests: 1 passed, 0 failed, 0 skipped\n"},
			not:    []string{"PASS\n", "=== RUN", "SKIPPED", "FAILED"},
		},
		{
			name: "skips with reasons, one of a subtest",
			in: `{"Action":"run","Package":"m/jobs","Test":"TestRedis"}
{"Action":"output","Package":"m/jobs","Test":"TestRedis","Output":"=== RUN   TestRedis\n"}
{"Action":"output","Package":"m/jobs","Test":"TestRedis","Output":"    redis_test.go:20: Redis at 127.0.0.1:6379 does not answer\n"}
{"Action":"output","Package":"m/jobs","Test":"TestRedis","Output":"--- SKIP: TestRedis (0.00s)\n"}
{"Action":"skip","Package":"m/jobs","Test":"TestRedis"}
{"Action":"run","Package":"m/jobs","Test":"TestT/fast"}
{"Action":"output","Package":"m/jobs","Test":"TestT/fast","Output":"--- PASS: TestT/fast (0.00s)\n"}
{"Action":"pass","Package":"m/jobs","Test":"TestT/fast"}
{"Action":"output","Package":"m/jobs","Test":"TestT/slow","Output":"    t_test.go:9: slow under -race\n"}
{"Action":"skip","Package":"m/jobs","Test":"TestT/slow"}
{"Action":"pass","Package":"m/jobs","Test":"TestT"}
{"Action":"output","Package":"m/jobs","Output":"ok  \tm/jobs\t0.01s\n"}
{"Action":"pass","Package":"m/jobs"}
`,
			passed: 2, skipped: 2,
			want: []string{"ok  \tm/jobs", "SKIPPED: 2 tests did not run:\n",
				"  SKIP m/jobs TestRedis: redis_test.go:20: Redis at 127.0.0.1:6379 does not answer\n",
				"  SKIP m/jobs TestT/slow: t_test.go:9: slow under -race\n",
				"tests: 2 passed, 0 failed, 2 skipped\n"},
		},
		{
			name: "a failing subtest shows its output",
			in: `{"Action":"run","Package":"m/b","Test":"TestX"}
{"Action":"output","Package":"m/b","Test":"TestX","Output":"=== RUN   TestX\n"}
{"Action":"output","Package":"m/b","Test":"TestX/bad","Output":"    x_test.go:7: got 2, want 3\n"}
{"Action":"output","Package":"m/b","Test":"TestX/bad","Output":"    --- FAIL: TestX/bad (0.00s)\n"}
{"Action":"fail","Package":"m/b","Test":"TestX/bad"}
{"Action":"output","Package":"m/b","Test":"TestX","Output":"--- FAIL: TestX (0.00s)\n"}
{"Action":"fail","Package":"m/b","Test":"TestX"}
{"Action":"output","Package":"m/b","Output":"FAIL\n"}
{"Action":"output","Package":"m/b","Output":"FAIL\tm/b\t0.01s\n"}
{"Action":"fail","Package":"m/b"}
`,
			failed: 2,
			want:   []string{"x_test.go:7: got 2, want 3\n", "--- FAIL: TestX (0.00s)\n", "FAIL\tm/b\t0.01s\n", "FAILED:\n", "  FAIL m/b TestX\n", "  FAIL m/b TestX/bad\n", "tests: 0 passed, 2 failed, 0 skipped\n"},
			not:    []string{"=== RUN"},
		},
		{
			name: "a package that does not build, and go vet's text",
			in: `# m/c
vet: c.go:3: something
{"ImportPath":"m/c","Action":"build-output","Output":"# m/c\n"}
{"ImportPath":"m/c","Action":"build-output","Output":"c.go:3:2: undefined: y\n"}
{"ImportPath":"m/c","Action":"build-fail"}
{"Action":"start","Package":"m/c"}
{"Action":"output","Package":"m/c","Output":"FAIL\tm/c [build failed]\n"}
{"Action":"fail","Package":"m/c","FailedBuild":"m/c"}
`,
			failed: 1,
			want:   []string{"vet: c.go:3: something\n", "c.go:3:2: undefined: y\n", "FAIL\tm/c [build failed]\n", "  FAIL m/c (did not build)\n", "tests: 0 passed, 1 failed, 0 skipped\n"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			s, err := summarise(strings.NewReader(tc.in), &b)
			if err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if s.passed != tc.passed || s.failed != tc.failed || s.skipped != tc.skipped {
				t.Errorf("counted %d passed, %d failed, %d skipped; want %d, %d, %d", s.passed, s.failed, s.skipped, tc.passed, tc.failed, tc.skipped)
			}
			at := 0
			for _, w := range tc.want {
				i := strings.Index(out[at:], w)
				if i < 0 {
					t.Fatalf("output lacks %q after byte %d:\n%s", w, at, out)
				}
				at += i + len(w)
			}
			if at != len(out) {
				t.Errorf("the counts line is not the last line:\n%s", out)
			}
			for _, n := range tc.not {
				if strings.Contains(out, n) {
					t.Errorf("output holds %q:\n%s", n, out)
				}
			}
		})
	}
}
