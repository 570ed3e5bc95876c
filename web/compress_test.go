package web

import (
	"bytes"
	stdgzip "compress/gzip"
	"io"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"
)

func TestAcceptsGzip(t *testing.T) {
	tests := []struct {
		header string
		want   bool
	}{
		{"", false},
		{"gzip", true},
		{"GZIP", true},
		{"x-gzip", true},
		{"deflate, gzip", true},
		{"gzip, deflate, br, zstd", true},
		{"deflate", false},
		{"br;q=1.0, gzip;q=0.8", true},
		{"gzip;q=0", false},
		{"gzip; q=0.000", false},
		{"gzip;q=0.001", true},
		{"gzip;Q=0", false},
		{"*", true},
		{"*;q=0", false},
		{"*, gzip;q=0", false},
		{"gzip;q=0, *", false},
		{"identity", false},
		{"gzipx", false},
		{" , ,gzip ", true},
		{"gzip;level=1", true},
		{"gzip;q=", true},
	}
	for _, tc := range tests {
		if got := acceptsGzip([]byte(tc.header)); got != tc.want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", tc.header, got, tc.want)
		}
	}
}

func TestCompressibleType(t *testing.T) {
	tests := []struct {
		contentType string
		want        bool
	}{
		{"text/html; charset=utf-8", true},
		{"text/plain; version=0.0.4; charset=utf-8", true},
		{"TEXT/CSS", true},
		{"application/json", true},
		{"application/json; charset=utf-8", true},
		{"image/svg+xml", true},
		{"application/gzip", false},
		{"application/octet-stream", false},
		{"image/png", false},
		{"", false},
		{"text", false},
	}
	for _, tc := range tests {
		if got := compressibleType([]byte(tc.contentType)); got != tc.want {
			t.Errorf("compressibleType(%q) = %v, want %v", tc.contentType, got, tc.want)
		}
	}
}

func TestCompressResponse(t *testing.T) {
	text := strings.Repeat("heimnetz_plugin_runs_total{plugin=\"net\"} 42\n", 200)
	tests := []struct {
		name           string
		accept         string
		contentType    string
		encoding       string
		body           string
		wantGzip, vary bool
	}{
		{name: "metrics text", accept: "gzip", contentType: "text/plain; version=0.0.4", body: text, wantGzip: true, vary: true},
		{name: "json", accept: "gzip, deflate", contentType: "application/json", body: text, wantGzip: true, vary: true},
		{name: "client without gzip", accept: "", contentType: "text/html", body: text, vary: true},
		{name: "client refuses gzip", accept: "gzip;q=0, deflate", contentType: "text/html", body: text, vary: true},
		{name: "small body", accept: "gzip", contentType: "text/html", body: "<p>ok</p>"},
		{name: "archive", accept: "gzip", contentType: "application/gzip", body: text},
		{name: "already encoded", accept: "gzip", contentType: "text/html", encoding: "gzip", body: text},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ctx fasthttp.RequestCtx
			if tc.accept != "" {
				ctx.Request.Header.Set("Accept-Encoding", tc.accept)
			}
			ctx.Response.Header.SetContentType(tc.contentType)
			if tc.encoding != "" {
				ctx.Response.Header.SetContentEncoding(tc.encoding)
			}
			ctx.Response.SetBodyString(tc.body)
			compressResponse(&ctx)

			gotEncoding := string(ctx.Response.Header.ContentEncoding())
			if tc.encoding != "" {
				if gotEncoding != tc.encoding || string(ctx.Response.Body()) != tc.body {
					t.Fatalf("an encoded body was touched: encoding %q", gotEncoding)
				}
				return
			}
			if got := gotEncoding == "gzip"; got != tc.wantGzip {
				t.Fatalf("Content-Encoding %q, want gzip %v", gotEncoding, tc.wantGzip)
			}
			vary := ctx.Response.Header.PeekAll("Vary")
			if got := len(vary) == 1 && string(vary[0]) == "Accept-Encoding"; got != tc.vary {
				t.Errorf("Vary %q, want Accept-Encoding: %v", vary, tc.vary)
			}
			body := ctx.Response.Body()
			if !tc.wantGzip {
				if string(body) != tc.body {
					t.Fatal("body changed although not compressed")
				}
				return
			}
			if len(body) >= len(tc.body)/4 {
				t.Errorf("gzip body %d bytes for %d bytes of repetitive text", len(body), len(tc.body))
			}
			if got := gunzip(t, body); got != tc.body {
				t.Fatalf("gzip body decodes to %d bytes, want the %d bytes sent", len(got), len(tc.body))
			}
		})
	}
}

// TestCompressResponseVaryOnce checks that a handler's own Vary is kept
// and not repeated.
func TestCompressResponseVaryOnce(t *testing.T) {
	var ctx fasthttp.RequestCtx
	ctx.Request.Header.Set("Accept-Encoding", "gzip")
	ctx.Response.Header.SetContentType("text/html")
	ctx.Response.Header.Add("Vary", "Cookie, accept-encoding")
	ctx.Response.SetBodyString(strings.Repeat("x", 1000))
	compressResponse(&ctx)
	if vary := ctx.Response.Header.PeekAll("Vary"); len(vary) != 1 {
		t.Fatalf("Vary headers %q, want the handler's one", vary)
	}
}

// TestAppendGzipRoundTrip checks bodies around the encoder's block size
// and incompressible input decode to what was sent.
func TestAppendGzipRoundTrip(t *testing.T) {
	random := make([]byte, 200<<10)
	x := uint32(1)
	for i := range random {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		random[i] = byte(x)
	}
	for _, n := range []int{0, 1, 255, 32767, 32768, 65537, len(random)} {
		src := random[:n]
		prefix := []byte("kept")
		out := appendGzip(prefix, src)
		if !bytes.HasPrefix(out, []byte("kept")) {
			t.Fatalf("%d bytes: dst prefix lost", n)
		}
		if got := gunzip(t, out[4:]); got != string(src) {
			t.Fatalf("%d bytes: round trip gave %d bytes", n, len(got))
		}
	}
}

func FuzzAcceptsGzip(f *testing.F) {
	for _, s := range []string{"gzip", "gzip;q=0", "*;q=0.5, gzip;q=0", "br, deflate", ";;,,=", "gzip;q=0.0000000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		got := acceptsGzip([]byte(header))
		// Adding an explicit refusal in front must never turn a no
		// into a yes, and a header naming no coding accepts nothing.
		if acceptsGzip([]byte("gzip;q=0, " + header)) {
			t.Fatalf("gzip;q=0 ahead of %q was overridden", header)
		}
		if !strings.Contains(strings.ToLower(header), "gzip") && !strings.Contains(header, "*") && got {
			t.Fatalf("acceptsGzip(%q) true without gzip or *", header)
		}
	})
}

func gunzip(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := stdgzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gzip stream: %v", err)
	}
	return string(out)
}

// TestRequestAcceptsGzipSplitHeader checks an Accept-Encoding list split
// over several header lines.
func TestRequestAcceptsGzipSplitHeader(t *testing.T) {
	tests := []struct {
		lines []string
		want  bool
	}{
		{[]string{"br", "gzip"}, true},
		{[]string{"gzip;q=0", "*"}, false},
		{[]string{"br", "deflate"}, false},
		{[]string{"gzip"}, true},
		{nil, false},
	}
	for _, tc := range tests {
		var h fasthttp.RequestHeader
		for _, l := range tc.lines {
			h.Add("Accept-Encoding", l)
		}
		if got := requestAcceptsGzip(&h); got != tc.want {
			t.Errorf("Accept-Encoding lines %q: got %v, want %v", tc.lines, got, tc.want)
		}
	}
}

// TestCompressionOverHTTP checks through the server: the cached page is
// served gzipped to a client whose Accept-Encoding list is split over two
// lines, and a static file's 304 keeps the Vary of its 200.
func TestCompressionOverHTTP(t *testing.T) {
	e := newTestEnv(t)
	r := e.get("/", "Accept-Encoding: br", "Accept-Encoding: gzip")
	if r.code != 200 || r.header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("split Accept-Encoding: status %d, encoding %q", r.code, r.header.Get("Content-Encoding"))
	}
	if got := gunzip(t, []byte(r.body)); !strings.Contains(got, "<html") {
		t.Fatalf("gzip page does not decode to HTML: %.200q", got)
	}
	full := e.get("/static/style.css", "Accept-Encoding: gzip")
	etag := full.header.Get("ETag")
	if full.code != 200 || etag == "" || full.header.Get("Vary") != "Accept-Encoding" {
		t.Fatalf("static file: status %d etag %q vary %q", full.code, etag, full.header.Get("Vary"))
	}
	nm := e.get("/static/style.css", "If-None-Match: "+etag)
	if nm.code != 304 || nm.header.Get("Vary") != "Accept-Encoding" || nm.body != "" {
		t.Fatalf("304: status %d vary %q body %d bytes", nm.code, nm.header.Get("Vary"), len(nm.body))
	}
}
