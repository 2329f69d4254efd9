package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

// files are the pages and their assets: index.html (the coordinator's
// board) is served at /, localities.html (the commissioner's localities)
// at /localities, the rest under /assets/.
//
//go:embed index.html localities.html *.css *.js *.svg
var files embed.FS

// ContentSecurityPolicy is the policy every answer of Handler carries:
// scripts, styles, fetches and fonts from the service itself only, images
// also from data: and blob: URLs (the canvas), no inline script or style
// element, no framing and no form posted elsewhere.
const ContentSecurityPolicy = "default-src 'self'; img-src 'self' data: blob:; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'"

// asset is one embedded file, ready to serve.
type asset struct {
	body        []byte
	contentType string
	etag        string
}

// contentTypes are the media types of the embedded files, by extension;
// set here rather than read from the system's MIME tables, which differ.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".svg":  "image/svg+xml",
}

// pages are the HTML pages by path; they are not served under /assets/.
var pages = map[string]string{"/": "index.html", "/localities": "localities.html"}

// Handler serves the board: GET / is the coordinator's page, GET
// /localities the commissioner's, and GET /assets/NAME their scripts,
// style sheets and icon. Every answer carries the CSP and
// Cache-Control: no-cache with a strong ETag, so that a browser keeps the
// files but asks, cheaply, whether they changed (a new release serves new
// files at once, with no versioned names and no build step). Anything
// else is a 404.
func Handler() http.Handler {
	assets := map[string]asset{}
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		assets[name] = asset{body: b, contentType: contentTypes[path.Ext(name)],
			etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
		return nil
	})
	if err != nil {
		// The files are compiled in: failing to read them is a broken build.
		panic("web: reading the embedded files: " + err.Error())
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		name := pages[r.URL.Path]
		if strings.HasPrefix(r.URL.Path, "/assets/") {
			name = strings.TrimPrefix(r.URL.Path, "/assets/")
			if path.Ext(name) == ".html" {
				name = "" // a page lives at its own path only
			}
		}
		a, ok := assets[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h.Set("Content-Type", a.contentType)
		h.Set("Cache-Control", "no-cache")
		h.Set("ETag", a.etag)
		// ServeContent answers If-None-Match with a 304 and HEAD without a
		// body.
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(a.body))
	})
}
