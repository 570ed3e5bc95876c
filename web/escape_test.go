package web

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/valyala/fasthttp"

	"github.com/heimnetz/heimnetz/limits/oneline"
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

// escapedPayload is hostilePayload as every page must show it.
const escapedPayload = "&lt;script&gt;alert(1)&lt;/script&gt;&#34;&gt;&lt;img src=x onerror=alert(2)&gt;&#39; onfocus=&#39;alert(3)\uFFFD\uFFFD[31m&amp;amp;"

func TestHostileStringsEscapedOnEachPage(t *testing.T) {
	e := newTestEnv(t)
	e.b.makeHostile("net", hostilePayload)
	e.b.mu.Lock()
	e.b.addPlugin(hostilePayload, hostilePayload, []string{hostilePayload})
	e.b.addEvent("limit_exceeded", SeverityWarning, hostilePayload, "from a plugin with a hostile name")
	e.b.plugins["net"].Enabled = false
	// A running plugin's last error has no alert, so its card shows it.
	e.b.plugins["system"].LastError = hostilePayload + " (last error)"
	e.b.mu.Unlock()
	e.srv.sampleNow()
	e.srv.sampleNow()
	s, _ := e.formLogin("/")
	esc := escapedPayload
	pathEsc := "%3Cscript%3Ealert%281%29%3C%2Fscript%3E%22%3E%3Cimg%20src=x%20onerror=alert%282%29%3E%27%20onfocus=%27alert%283%29%00%1B%5B31m&amp;amp%3B"
	pages := []struct {
		path  string
		admin bool
		want  []string // escaped payload in each place a hostile string is shown
	}{
		{"/", false, []string{
			"<title>Overview · heimnetz · " + esc + "</title>", // hostname
			`<span class="host">` + esc + `</span>`,
			`<dt>Model</dt><dd>` + esc + `</dd>`,
			`<div class="alert sev-critical"><b>net</b> ` + esc,               // alert message
			`<a class="name" href="/plugins/` + pathEsc + `">` + esc + `</a>`, // plugin name
			`<span class="muted small">` + esc + `</span> <span class="badge state-failed">`,
			`<p class="desc">` + esc + `</p>`,
			`<p class="err small">` + esc + `</p>`,                                               // disabled reason
			`<p class="err small" title="` + esc + ` (last error)">` + esc + ` (last error)</p>`, // last error
			`<div class="iface"><b>` + esc + `</b>`,
			`<span class="msg">` + esc + `</span>`, // event message
		}},
		{"/", true, []string{`<form method="post" action="/plugins/` + pathEsc + `/disable" class="actions">`}},
		{"/plugins/net", false, []string{
			`<span class="muted small">` + esc + `</span> <span class="badge state-failed">`,
			`<p class="desc">` + esc + `</p>`,
			`<dd>no — ` + esc + `</dd>`,
			`<dt>Source</dt><dd><code>` + esc + `</code></dd>`,
			`<dt>` + esc + `</dt><dd>` + esc + `</dd>`, // extra
			`<p class="err">` + esc + ` (last error)</p>`,
			`<li><div class="lrow"><b>` + esc + `</b>`, // limit name
			`<span class="chip">` + esc + `</span>`,
			`<span class="err">` + esc + `</span>`, // run error
			`<li class="lvl-` + esc + `">`,
			`<b>` + esc + `</b> ` + esc + `</li>`,                 // log line
			`<code>` + esc + `{` + esc + `="` + esc + `"}</code>`, // metric labels
			`<td class="muted small">` + esc + `</td>`,
			`<div class="docs">` + esc + `</div>`,
		}},
		{"/events", true, []string{
			`<td><code>` + esc + `</code></td>`, // event type
			`<td class="msg">` + esc + `</td>`,
			`<a href="/plugins/` + pathEsc + `">` + esc + `</a>`,
		}},
		{"/alerts", false, []string{
			`<div class="alert sev-` + esc + `"><b>` + esc + `</b> ` + esc + ` <span`, // firing banner
			`<td><code>` + esc + `</code></td><td><span class="badge sev-` + esc + `">` + esc + `</span></td>`,
			`<td><a href="/plugins/` + pathEsc + `">` + esc + `</a></td><td class="msg">` + esc + `</td>`,
		}},
		{"/settings", true, []string{`<span class="host">` + esc + `</span>`}},
		{"/login", false, nil},
	}
	for _, p := range pages {
		var hdr []string
		if p.admin {
			hdr = []string{"Cookie: " + s.cookie}
		}
		r := e.get(p.path, hdr...)
		if r.code != 200 {
			t.Errorf("%s (admin %v) = %d", p.path, p.admin, r.code)
			continue
		}
		for _, f := range hostileFragments {
			if strings.Contains(r.body, f) {
				t.Errorf("%s (admin %v) contains %q unescaped", p.path, p.admin, f)
			}
		}
		for _, want := range p.want {
			if !strings.Contains(r.body, want) {
				t.Errorf("%s (admin %v) lacks %q", p.path, p.admin, want)
			}
		}
	}

	// Error texts (a backend error is shown on the error page as is).
	var ctx fasthttp.RequestCtx
	e.srv.renderError(&ctx, fasthttp.StatusBadRequest, "package: "+hostilePayload)
	body := string(ctx.Response.Body())
	if want := `<p class="err">package: ` + esc + `</p>`; !strings.Contains(body, want) {
		t.Errorf("error page lacks %q:\n%s", want, body)
	}
	for _, f := range hostileFragments {
		if strings.Contains(body, f) {
			t.Errorf("error page contains %q unescaped", f)
		}
	}
}

// lineBreakers are what a plugin might put in a string to make one value
// show as several lines or read in another order: NEL as UTF-8 and as a
// raw 8-bit byte, the line and paragraph separators, a C1 CSI, DEL and the
// bidi override, embedding, isolate and mark characters.
const lineBreakers = "a\u0085b\x85c\u2028d\u2029e\u009b31mf\x7fg\u202eh\u202ai\u2066j\u200fk\u061cl\r\nm"

// forbiddenRaw reports the first rune oneline forbids in body outside the
// ASCII range (the markup itself holds newlines), or -1.
func forbiddenRaw(body string) (int, rune) {
	for i, r := range body {
		if r >= 0x7f && (oneline.Forbidden(r) || r == utf8.RuneError && !strings.HasPrefix(body[i:], "\uFFFD")) {
			return i, r
		}
	}
	return -1, 0
}

func TestLineBreakersCleanedOnEveryPageAndAPI(t *testing.T) {
	e := newTestEnv(t)
	e.b.makeHostile("net", lineBreakers)
	e.b.mu.Lock()
	e.b.addEvent("limit_exceeded", SeverityWarning, "net", lineBreakers)
	e.b.mu.Unlock()
	e.srv.sampleNow()
	e.srv.sampleNow()
	s, _ := e.formLogin("/")
	for _, p := range []string{"/", "/plugins/net", "/events", "/settings", "/api/v1/overview",
		"/api/v1/plugins", "/api/v1/plugins/net", "/api/v1/events", "/api/v1/history", "/alerts", "/api/v1/alerts"} {
		r := e.get(p, "Cookie: "+s.cookie)
		if r.code != 200 {
			t.Errorf("%s = %d", p, r.code)
			continue
		}
		if at, ru := forbiddenRaw(r.body); at >= 0 {
			t.Errorf("%s holds %U at byte %d: %q", p, ru, at, r.body[max(0, at-40):min(len(r.body), at+40)])
		}
		if strings.HasPrefix(p, "/api/") {
			if !strings.Contains(r.body, `a\ufffdb\ufffdc\ufffdd\ufffde\ufffd31mf\ufffdg\ufffdh\ufffdi\ufffdj\ufffdk\ufffdl\ufffd\nm`) {
				t.Errorf("%s does not show the cleaned value: %s", p, clip(r.body, 400))
			}
			continue
		}
		if !strings.Contains(r.body, "a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFD31mf\uFFFDg\uFFFDh\uFFFDi\uFFFDj\uFFFDk\uFFFDl\uFFFD\uFFFDm") {
			t.Errorf("%s does not show the cleaned value", p)
		}
	}
	// The README is a block of lines: its line feeds stay, nothing else.
	if r := e.get("/plugins/net"); !strings.Contains(r.body, "<div class=\"docs\">a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFD31mf\uFFFDg\uFFFDh\uFFFDi\uFFFDj\uFFFDk\uFFFDl\uFFFD\nm</div>") {
		t.Error("plugin page does not show the README as cleaned lines")
	}
	// A client's hostile query parameter comes back bounded and cleaned.
	key := strings.Repeat("\u2028\u202e", 50)
	r := e.get("/api/v1/events?" + url.QueryEscape(key) + "=1")
	if r.code != 400 || len(r.body) > 2*maxArgLen+100 {
		t.Errorf("hostile parameter: %d, %d bytes: %s", r.code, len(r.body), clip(r.body, 200))
	}
	if at, ru := forbiddenRaw(r.body); at >= 0 {
		t.Errorf("hostile parameter answer holds %U", ru)
	}
}

// FuzzCleanJSON checks that an API answer, decoded as a client would
// decode it, holds no character oneline forbids and otherwise the value
// itself.
func FuzzCleanJSON(f *testing.F) {
	for _, s := range []string{lineBreakers, hostilePayload, `back\slash n`, "\\n", "tab\tkept", "\xff\x85"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		enc, err := json.Marshal(map[string]any{"k" + s: []string{s, "plain"}})
		if err != nil {
			t.Fatal(err)
		}
		out := cleanJSON(enc)
		var back map[string][]string
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("cleanJSON(%s) = %s is not JSON: %v", enc, out, err)
		}
		want := oneline.Lines(s, 3*len(s))
		for k, v := range back {
			if k != "k"+want || len(v) != 2 || v[0] != want || v[1] != "plain" {
				t.Fatalf("cleanJSON(%s) decodes to %q: %q, want %q", enc, k, v, want)
			}
		}
	})
}
