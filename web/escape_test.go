package web

import (
	"strings"
	"testing"
)

// hostilePayload is what a malicious plugin might put in every string it
// controls: markup, both quote kinds, attribute breakouts, a NUL and a
// terminal escape.
const hostilePayload = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>' onfocus='alert(3)\x00\x1b[31m&amp;"

// hostileFragments must never appear verbatim in a response.
var hostileFragments = []string{"<script>alert(1)", "<img src=x", `"><img src=x`, `' onfocus='`, "\x00"}

// hostileJSONFragments must never appear in a JSON response: markup is
// \u003c-escaped and control characters are \u-escaped.
var hostileJSONFragments = []string{"<script>", "<img", "\x00", "\x1b"}

func TestHostilePluginStringsEscapedEverywhere(t *testing.T) {
	e := newTestEnv(t)
	e.b.makeHostile("net", hostilePayload)
	e.srv.sampleNow()
	e.srv.sampleNow()
	s, _ := e.formLogin("/")
	pages := []string{"/", "/plugins/net", "/events", "/events?plugin=net", "/settings", "/api/v1/overview",
		"/api/v1/plugins", "/api/v1/plugins/net", "/api/v1/events", "/api/v1/history"}
	for _, p := range pages {
		for _, who := range []struct {
			name string
			hdr  []string
		}{{"anonymous", nil}, {"admin", []string{"Cookie: " + s.cookie}}} {
			r := e.get(p, who.hdr...)
			if r.code != 200 && !(p == "/settings" && who.name == "anonymous") {
				t.Errorf("%s as %s = %d", p, who.name, r.code)
				continue
			}
			frags := hostileFragments
			if strings.HasPrefix(p, "/api/") {
				frags = hostileJSONFragments
			}
			for _, f := range frags {
				if strings.Contains(r.body, f) {
					t.Errorf("%s as %s contains %q unescaped", p, who.name, f)
				}
			}
		}
	}
	// The payload is shown, escaped, where plugins put it.
	r := e.get("/plugins/net")
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;&#34;&gt;&lt;img src=x onerror=alert(2)&gt;&#39; onfocus=&#39;alert(3)\uFFFD"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("plugin page lacks escaped payload %q", want)
		}
	}
	api := e.get("/api/v1/plugins/net")
	if !strings.Contains(api.body, `\u003cscript\u003ealert(1)\u003c/script\u003e`) {
		t.Errorf("API does not escape markup in JSON strings")
	}
	// A hostile hostname is escaped in the <title> and header as well.
	if strings.Contains(e.get("/").body, "<title>Overview · heimnetz · <script>") {
		t.Error("hostname unescaped in title")
	}
}

func TestPageWeightAndStructure(t *testing.T) {
	e := newTestEnv(t)
	for range 240 {
		e.srv.sampleNow()
	}
	if r := e.get("/"); len(r.body) > 30<<10 {
		t.Errorf("overview with 3 plugins and full history is %d bytes uncompressed, want ≤ 30 KiB", len(r.body))
	}
	for i := range 20 {
		e.b.mu.Lock()
		e.b.addPlugin("plugin-"+itoa(uint64(i)), "a busy plugin with a longer description than most", []string{"kv", "log", "metrics"})
		e.b.mu.Unlock()
	}
	for range 240 {
		e.srv.sampleNow()
	}
	r := e.get("/")
	gz := e.get("/", "Accept-Encoding: gzip")
	if gz.header.Get("Content-Encoding") != "gzip" || len(gz.body) > 30<<10 {
		t.Errorf("gzip overview: encoding %q, %d bytes, want gzip ≤ 30 KiB", gz.header.Get("Content-Encoding"), len(gz.body))
	}
	for _, want := range []string{`<meta name="viewport" content="width=device-width, initial-scale=1">`, `<svg class="spark"`, `href="/static/style.css?v=` + staticVersion} {
		if !strings.Contains(r.body, want) {
			t.Errorf("overview lacks %q", want)
		}
	}
	for _, bad := range []string{"style=", "<script>", "onclick", "http://", "https://"} {
		if strings.Contains(r.body, bad) {
			t.Errorf("overview contains %q (inline style/script or an external asset)", bad)
		}
	}
}
