package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"path"

	"github.com/valyala/fasthttp"
)

//go:embed static
var staticFS embed.FS

// staticFile is one embedded asset with its precomputed headers.
type staticFile struct {
	body        []byte
	contentType string
	etag        string
}

var staticFiles, staticVersion = loadStatic()

// loadStatic reads the embedded assets once; staticVersion changes with
// their content and busts browser caches in the asset URLs.
func loadStatic() (map[string]staticFile, string) {
	types := map[string]string{
		".css": "text/css; charset=utf-8",
		".js":  "text/javascript; charset=utf-8",
		".svg": "image/svg+xml",
	}
	files := make(map[string]staticFile)
	all := sha256.New()
	entries, _ := staticFS.ReadDir("static")
	for _, e := range entries {
		body, err := staticFS.ReadFile("static/" + e.Name())
		if err != nil {
			continue
		}
		sum := sha256.Sum256(body)
		all.Write(sum[:])
		files[e.Name()] = staticFile{body: body, contentType: types[path.Ext(e.Name())], etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
	}
	return files, hex.EncodeToString(all.Sum(nil)[:6])
}

func (s *Server) serveStatic(ctx *fasthttp.RequestCtx, m *match) {
	if !allowMethods(s, ctx, m.route, "GET, HEAD") {
		return
	}
	f, ok := staticFiles[m.file]
	if !ok || f.contentType == "" {
		s.fail(ctx, routeNotFound, fasthttp.StatusNotFound, "not found")
		return
	}
	h := &ctx.Response.Header
	h.Set("Cache-Control", "public, max-age=604800")
	h.Set("ETag", f.etag)
	if string(ctx.Request.Header.Peek("If-None-Match")) == f.etag {
		// A 304 carries the Vary the 200 would have had (RFC 9110
		// §15.4.5); the compression step does not see its empty body.
		addVaryAcceptEncoding(h)
		ctx.SetStatusCode(fasthttp.StatusNotModified)
		return
	}
	ctx.SetContentType(f.contentType)
	ctx.SetBody(f.body)
}
