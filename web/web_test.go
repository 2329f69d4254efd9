package web

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// TestHandler checks what Handler serves, and how: the page at /, its
// assets under /assets/, nothing else, each answer under the CSP, and a
// file the browser holds answered 304.
func TestHandler(t *testing.T) {
	h := Handler()
	cases := []struct {
		name, method, path string
		status             int
		contentType        string
	}{
		{"the page", "GET", "/", 200, "text/html; charset=utf-8"},
		{"a module", "GET", "/assets/board.js", 200, "text/javascript; charset=utf-8"},
		{"the style sheet", "GET", "/assets/board.css", 200, "text/css; charset=utf-8"},
		{"the icon", "GET", "/assets/icon.svg", 200, "image/svg+xml"},
		{"HEAD", "HEAD", "/", 200, "text/html; charset=utf-8"},
		{"the localities page", "GET", "/localities", 200, "text/html; charset=utf-8"},
		{"the page under assets", "GET", "/assets/index.html", 404, ""},
		{"the localities page under assets", "GET", "/assets/localities.html", 404, ""},
		{"an unknown asset", "GET", "/assets/nope.js", 404, ""},
		{"a path outside", "GET", "/board.js", 404, ""},
		{"a POST", "POST", "/", 405, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(c.method, c.path, nil))
			if rec.Code != c.status {
				t.Fatalf("%s %s: %d, want %d", c.method, c.path, rec.Code, c.status)
			}
			if got := rec.Header().Get("Content-Security-Policy"); got != ContentSecurityPolicy {
				t.Errorf("CSP %q", got)
			}
			if c.status != 200 {
				return
			}
			if got := rec.Header().Get("Content-Type"); got != c.contentType {
				t.Errorf("Content-Type %q, want %q", got, c.contentType)
			}
			if rec.Header().Get("Cache-Control") != "no-cache" || rec.Header().Get("ETag") == "" {
				t.Errorf("Cache-Control %q, ETag %q: want no-cache with an ETag", rec.Header().Get("Cache-Control"), rec.Header().Get("ETag"))
			}
		})
	}
	t.Run("a file the browser holds is a 304", func(t *testing.T) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/assets/board.js", nil))
		req := httptest.NewRequest("GET", "/assets/board.js", nil)
		req.Header.Set("If-None-Match", rec.Header().Get("ETag"))
		again := httptest.NewRecorder()
		h.ServeHTTP(again, req)
		if again.Code != http.StatusNotModified || again.Body.Len() != 0 {
			t.Errorf("%d with %d bytes, want 304 with none", again.Code, again.Body.Len())
		}
	})
}

// TestAssetsKeepThePolicy reads the page and its assets for what the CSP
// would refuse or what would leave the service: inline script, inline
// event handlers and style attributes, and any URL of another origin.
func TestAssetsKeepThePolicy(t *testing.T) {
	inlineScript := regexp.MustCompile(`<script(?:\s[^>]*)?>\s*[^<\s]`)
	handler := regexp.MustCompile(`\son[a-z]+\s*=\s*["']`)
	styleAttr := regexp.MustCompile(`\sstyle\s*=`)
	otherOrigin := regexp.MustCompile(`(?i)\b(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}`)
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(name)
		if err != nil {
			return err
		}
		text := string(b)
		if strings.HasSuffix(name, ".html") {
			if inlineScript.MatchString(text) {
				t.Errorf("%s: an inline script", name)
			}
			if m := handler.FindString(text); m != "" {
				t.Errorf("%s: an inline event handler %q", name, m)
			}
			if styleAttr.MatchString(text) {
				t.Errorf("%s: a style attribute", name)
			}
		}
		if strings.HasSuffix(name, ".js") && styleAttr.MatchString(text) {
			t.Errorf("%s: writes a style attribute into markup, which the CSP refuses", name)
		}
		for _, m := range otherOrigin.FindAllString(text, -1) {
			// SVG's namespace is a name, never fetched.
			if !strings.Contains(m, "www.w3.org") {
				t.Errorf("%s: a URL of another origin, %q", name, m)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
