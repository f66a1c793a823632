// Package static holds the portal's stylesheet and script, embedded in
// the binary and served under names that carry a hash of their content,
// so browsers may cache them for a year and still see every change.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
)

//go:embed app.css app.js calendar.css
var files embed.FS

// Prefix is the URL path under which assets are served.
const Prefix = "/static/"

type asset struct {
	body        []byte
	contentType string
	etag        string
}

var (
	loadOnce sync.Once
	byHashed map[string]asset  // "app.3f2a9c1b02.css" → asset
	urls     map[string]string // "app.css" → "/static/app.3f2a9c1b02.css"
)

func load() {
	byHashed = make(map[string]asset)
	urls = make(map[string]string)
	entries, err := fs.ReadDir(files, ".")
	if err != nil {
		panic(fmt.Sprintf("static: read embedded assets: %v", err))
	}
	for _, e := range entries {
		body, err := files.ReadFile(e.Name())
		if err != nil {
			panic(fmt.Sprintf("static: read embedded asset: %v", err))
		}
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:])[:12]
		ext := path.Ext(e.Name())
		hashed := strings.TrimSuffix(e.Name(), ext) + "." + hash + ext
		ctype := mime.TypeByExtension(ext)
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		byHashed[hashed] = asset{body: body, contentType: ctype, etag: `"` + hash + `"`}
		urls[e.Name()] = Prefix + hashed
	}
}

// Path returns the cache-busting URL of the named asset, such as
// "/static/app.3f2a9c1b02de.css" for "app.css". It panics on a name that
// is not embedded, which a test of every page catches at once.
func Path(name string) string {
	loadOnce.Do(load)
	u, ok := urls[name]
	if !ok {
		panic("static: unknown asset " + name)
	}
	return u
}

// Handler serves the hashed asset names under Prefix with a long,
// immutable cache lifetime. Unknown names, including the plain names
// without a hash, are answered 404 so a stale page never pins an asset.
func Handler(notFound http.Handler) http.Handler {
	loadOnce.Do(load)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := byHashed[strings.TrimPrefix(r.URL.Path, Prefix)]
		if !ok {
			notFound.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", a.contentType)
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
		h.Set("ETag", a.etag)
		h.Set("Content-Length", strconv.Itoa(len(a.body)))
		if r.Header.Get("If-None-Match") == a.etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		if r.Method == http.MethodHead {
			return
		}
		_, _ = w.Write(a.body)
	})
}
