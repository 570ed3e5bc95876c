package web

import (
	"strings"
	"testing"
)

// TestPageShowsEachFactOnce checks the overview, plugin and docs pages
// for the repetitions and mismatches an owner would notice: each case
// changes the fake backend, loads a page and names fragments it must and
// must not hold.
func TestPageShowsEachFactOnce(t *testing.T) {
	const breakErr = `plugin "net": instruction limit exceeded (10000000)`
	cases := []struct {
		name    string
		setup   func(b *memBackend)
		path    string
		want    []string
		wantNot []string
		count   map[string]int // fragment → times it must appear
	}{
		{
			name:    "version that holds the commit is shown once",
			setup:   func(b *memBackend) { b.overview.Agent.Version, b.overview.Agent.Commit = "7f813bc-dirty", "7f813bc" },
			path:    "/",
			want:    []string{"<dt>Version</dt><dd>7f813bc-dirty</dd>"},
			wantNot: []string{"<code>7f813bc</code>"},
		},
		{
			name:    "release version with its commit",
			setup:   func(b *memBackend) { b.overview.Agent.Version, b.overview.Agent.Commit = "1.2.0", "0123456789abcdef" },
			path:    "/",
			want:    []string{"<dt>Version</dt><dd>1.2.0 <code>0123456789ab</code></dd>"},
			wantNot: nil,
		},
		{
			name: "only info events: the count is not red",
			setup: func(b *memBackend) {
				b.addEvent("agent_start", SeverityInfo, "", "heimnetz started")
			},
			path:    "/",
			want:    []string{`<span class="count">1</span>`, `<span class="count">1 new</span>`},
			wantNot: []string{"count alarm"},
		},
		{
			name: "a warning makes the count red",
			setup: func(b *memBackend) {
				b.addEvent("agent_start", SeverityInfo, "", "heimnetz started")
				b.addEvent(EventTypeLoginFailed, SeverityWarning, "", "failed admin login")
			},
			path: "/events",
			want: []string{`<span class="count alarm">2</span>`},
		},
		{
			name: "high events are red and can be filtered",
			setup: func(b *memBackend) {
				b.addEvent("plugin_disabled", SeverityHigh, "net", "disabled after 3 limit breaks in a row")
			},
			path: "/events?severity=high",
			want: []string{`<span class="count alarm">1</span>`, `<option selected>high</option>`, `<span class="badge sev-high">high</span>`},
		},
		{
			name: "a disabled plugin's reason once on the overview, beside its alert",
			setup: func(b *memBackend) {
				p := b.plugins["net"]
				p.Enabled, p.State = false, StateFailed // the fake raises an alert with LastError
				p.LastError = "disabled after 3 limit breaks in a row; last: " + breakErr
				p.DisabledReason = p.LastError
			},
			path:  "/",
			count: map[string]int{"disabled after 3 limit breaks": 1, "instruction limit exceeded": 1},
		},
		{
			name: "a last error once on the overview when an alert says it",
			setup: func(b *memBackend) {
				p := b.plugins["net"]
				p.State, p.LastError = StateFailed, breakErr // the fake raises an alert with LastError
			},
			path:  "/",
			count: map[string]int{"instruction limit exceeded": 1},
		},
		{
			name: "a disabled plugin's reason once on its page, the quoted error not again",
			setup: func(b *memBackend) {
				p := b.plugins["net"]
				p.Enabled, p.State = false, StateDisabled
				p.LastError = breakErr
				p.DisabledReason = "disabled after 3 limit breaks in a row; last: " + breakErr
			},
			path:  "/plugins/net",
			count: map[string]int{"disabled after 3 limit breaks": 1, "instruction limit exceeded": 1},
		},
		{
			name: "status panel: an Extra field the panel shows is not repeated",
			setup: func(b *memBackend) {
				b.plugins["net"].Extra = []KeyValue{{Key: "interval", Value: "15s"}, {Key: "manifest limit memory", Value: "1MiB"}}
			},
			path:  "/plugins/net",
			want:  []string{"<dt>manifest limit memory</dt><dd>1MiB</dd>"},
			count: map[string]int{">Interval<": 1, ">interval<": 0},
		},
		{
			name: "recent runs: a table that can lose its Instructions column on phones",
			path: "/plugins/net",
			want: []string{`<table class="runs">`, `<th class="opt num">Instructions</th>`, `<td class="opt num">12345</td>`, `<td class="num nowrap">180` + unitSep + `KiB</td>`},
		},
		{
			name: "docs inside the layout",
			path: "/docs",
			want: []string{
				`<link rel="stylesheet" href="/static/style.css?v=` + staticVersion,
				`<a href="/docs" aria-current="page">Docs</a>`,
				`<div class="ref">` + "\n<h1>Host API</h1>",
				"<title>Plugin reference · heimnetz · OpenWrt</title>",
			},
			wantNot: []string{"<style", "<!doctype html><title>heimnetz reference"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newTestEnv(t)
			if c.setup != nil {
				e.b.mu.Lock()
				c.setup(e.b)
				e.b.mu.Unlock()
			}
			r := e.get(c.path)
			if r.code != 200 {
				t.Fatalf("GET %s = %d", c.path, r.code)
			}
			for _, w := range c.want {
				if !strings.Contains(r.body, w) {
					t.Errorf("lacks %q", w)
				}
			}
			for _, w := range c.wantNot {
				if strings.Contains(r.body, w) {
					t.Errorf("holds %q", w)
				}
			}
			for frag, n := range c.count {
				if got := strings.Count(r.body, frag); got != n {
					t.Errorf("%q appears %d times, want %d", frag, got, n)
				}
			}
			if t.Failed() {
				t.Logf("page:\n%s", r.body)
			}
		})
	}
}

// TestDocsPageHeaders checks that /docs now carries the pages' own
// security headers instead of its former inline-style policy.
func TestDocsPageHeaders(t *testing.T) {
	e := newTestEnv(t)
	r := e.get("/docs")
	if got := r.header.Get("Content-Security-Policy"); got != contentSecurityPolicy {
		t.Errorf("/docs CSP = %q, want the pages' %q", got, contentSecurityPolicy)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("/docs Content-Type = %q", ct)
	}
}

func TestDocsBody(t *testing.T) {
	cases := []struct{ name, page, want string }{
		{"whole page", "<!doctype html>\n<html><head><title>t</title><style>body{x}</style></head><body>\n<h1>Ref</h1>\n</body></html>\n", "<h1>Ref</h1>"},
		{"body with attributes", `<html><body class="x"><p>a</p></body></html>`, "<p>a</p>"},
		{"no body element", "<!doctype html><title>t</title><style>s</style><h1>Host API</h1>", "<h1>Host API</h1>"},
		{"bare fragment", "<p>only</p>", "<p>only</p>"},
		{"units joined in text only", `<body><td data-x="1 s">1 MiB of 64 KiB, 2 s, 10 %, 3 seconds, 5 hooks</td></body>`,
			`<td data-x="1 s">1~MiB of 64~KiB, 2~s, 10~%, 3 seconds, 5 hooks</td>`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := strings.ReplaceAll(c.want, "~", unitSep)
			if got := string(docsBody([]byte(c.page))); got != want {
				t.Errorf("docsBody = %q, want %q", got, want)
			}
		})
	}
}

func TestCommitAdds(t *testing.T) {
	cases := []struct {
		version, commit string
		want            bool
	}{
		{"7f813bc", "7f813bc", false},
		{"7f813bc-dirty", "7f813bc", false},
		{"v1.2.0-3-g7f813bc", "7f813bc", false},
		{"7f813bc", "7f813bcd0123456789", false},
		{"1.2.0", "7f813bc", true},
		{"dev", "unknown", true},
		{"", "7f813bc", true},
		{"1.2.0", "", false},
	}
	for _, c := range cases {
		if got := commitAdds(c.version, c.commit); got != c.want {
			t.Errorf("commitAdds(%q, %q) = %v, want %v", c.version, c.commit, got, c.want)
		}
	}
}

// FuzzDocsBody checks that extracting the reference never panics and
// changes nothing but what it cuts and the spaces it joins.
func FuzzDocsBody(f *testing.F) {
	f.Add([]byte("<!doctype html><title>t</title><style>s</style><body><p>1 MiB</p></body>"))
	f.Add([]byte("<body"))
	f.Add([]byte("1 s<2 s>3 s"))
	f.Fuzz(func(t *testing.T, page []byte) {
		out := string(docsBody(page))
		if plain := strings.ReplaceAll(out, unitSep, " "); !strings.Contains(strings.ReplaceAll(string(page), unitSep, " "), plain) {
			t.Fatalf("docsBody(%q) = %q is not a part of its input", page, out)
		}
	})
}

// TestPagesAnswerErrorsAsPages: every HTML page route, /docs included,
// answers its errors with a page, and every API route with JSON.
func TestPagesAnswerErrorsAsPages(t *testing.T) {
	for _, r := range []route{routeOverview, routePluginPage, routeEventsPage, routeSettingsPage, routeLoginPage, routeNetworkPage, routeDocs} {
		if r.isAPI() {
			t.Errorf("%s answers errors as JSON", routeNames[r])
		}
	}
	for _, r := range []route{routeAPIOverview, routeAPIPlugins, routeAPISettings, routeAPINetwork, routeMetrics, routeHealthz} {
		if !r.isAPI() {
			t.Errorf("%s answers errors as a page", routeNames[r])
		}
	}
}
