package web

import (
	"encoding/json"
	"errors"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
)

func FuzzParseEventQuery(f *testing.F) {
	for _, s := range []string{"", "limit=5", "limit=7&before=99&severity=warning&type=login_failed&plugin=net&unacked=1",
		"limit=-1", "type=%00", "plugin=a%2Fb", "unacked=maybe", "a&b&c", "limit=1&limit=2", "%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		var a fasthttp.Args
		a.Parse(q)
		got, err := parseEventQuery(&a)
		if err != nil {
			if !errors.Is(err, errInput) {
				t.Fatalf("%q: error %v does not wrap errInput", q, err)
			}
			return
		}
		if got.Limit < 1 || got.Limit > maxEventLimit {
			t.Fatalf("%q: limit %d out of range", q, got.Limit)
		}
		if got.Plugin != "" && !validPluginName(got.Plugin) {
			t.Fatalf("%q: plugin %q accepted", q, got.Plugin)
		}
		if got.Severity != "" && !severities[got.Severity] {
			t.Fatalf("%q: severity %q accepted", q, got.Severity)
		}
		if got.Type != "" && !eventTypeRE.MatchString(got.Type) {
			t.Fatalf("%q: type %q accepted", q, got.Type)
		}
	})
}

func FuzzDecodeJSONBodies(f *testing.F) {
	for _, s := range []string{`{"password":"x"}`, `{"seqs":[1,2,3]}`, `{"log_level":"info","event_retention":100}`,
		`{"seqs":[18446744073709551615]}`, `{"seqs":[-1]}`, `[]`, `null`, `{"a":`, `"\ud800"`, `{"seqs":[1]}{}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var ack ackRequest
		if err := decodeJSON(body, 1<<10, &ack); err == nil {
			if ack.validate() == nil && (len(ack.Seqs) == 0 || len(ack.Seqs) > maxAckSeqs) {
				t.Fatalf("ack %v validated", ack.Seqs)
			}
		} else if !errors.Is(err, errInput) {
			t.Fatalf("ack: %v", err)
		}
		req := settingsRequest{Settings: Settings{LogLevel: "info", EventRetention: 100}}
		if err := decodeJSON(body, 1<<10, &req); err == nil {
			s, err := req.settings(body)
			if err == nil && validateSettings(s) == nil &&
				(s.EventRetention < 10 || s.EventRetention > 100_000 || s.BreaksBeforeDisable < 0 || s.BreaksBeforeDisable > 1000 ||
					!strings.Contains(" debug info warn error ", " "+s.LogLevel+" ")) {
				t.Fatalf("settings %+v validated", s)
			}
			if err != nil && !errors.Is(err, errInput) {
				t.Fatalf("settings: %v", err)
			}
		}
		var lr loginRequest
		if err := decodeJSON(body, 1<<10, &lr); err != nil && !errors.Is(err, errInput) {
			t.Fatalf("login: %v", err)
		}
	})
}

func FuzzMatchPath(f *testing.F) {
	for _, s := range []string{"/", "/plugins/net", "/plugins/net/disable", "/api/v1/plugins/a-b/clear", "/static/x", "//", "/plugins/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		m := matchPath(p)
		if m.route >= numRoutes {
			t.Fatalf("%q: route %d", p, m.route)
		}
		if m.name != "" && m.bad == "" && !validPluginName(m.name) {
			t.Fatalf("%q: invalid name %q accepted", p, m.name)
		}
		if m.action != "" && !pluginActions[m.action] {
			t.Fatalf("%q: action %q", p, m.action)
		}
		if n := safeNext(p); n != "/" && n != p {
			t.Fatalf("safeNext(%q) = %q", p, n)
		}
	})
}

// FuzzHandler feeds arbitrary method, URI, headers and body to the whole
// handler in memory: it must never panic, must answer with a known status,
// must set the security headers, and must never run an admin action
// without the token.
func FuzzHandler(f *testing.F) {
	seeds := []struct{ method, uri, ctype, body string }{
		{"GET", "/", "", ""},
		{"POST", "/api/v1/events/ack", "application/json", `{"seqs":[1]}`},
		{"PUT", "/api/v1/settings", "application/json", `{"log_level":"debug"}`},
		{"POST", "/api/v1/login", "application/json", `{"password":"x"}`},
		{"POST", "/login", "application/x-www-form-urlencoded", "password=x&next=%2Fevents"},
		{"POST", "/settings", "application/x-www-form-urlencoded", "csrf=x&log_level=info"},
		{"POST", "/events/ack", "application/x-www-form-urlencoded", "seq=1&seq=2"},
		{"GET", "/api/v1/events?limit=3&severity=critical", "", ""},
		{"POST", "/plugins/install", "multipart/form-data; boundary=xx", "--xx\r\nContent-Disposition: form-data; name=\"package\"; filename=\"a\"\r\n\r\nabc\r\n--xx--\r\n"},
		{"GET", "/plugins/%3Cx%3E", "", ""},
	}
	for _, s := range seeds {
		f.Add(s.method, s.uri, s.ctype, s.body)
	}
	b := newMemBackend(time.Now)
	hash, _ := hashPasswordIter(testPassword, minIterations)
	srv, err := newServer(Config{AdminPasswordHash: hash, AdminTokenHash: HashToken(NewToken()), Logger: newTestLogger(&syncBuffer{})}, b, minIterations, time.Now)
	if err != nil {
		f.Fatal(err)
	}
	h := srv.Handler()
	remote := &net.TCPAddr{IP: net.IPv4(192, 168, 1, 50), Port: 40000}
	f.Fuzz(func(t *testing.T, method, uri, ctype, body string) {
		if len(body) > 1<<16 || len(uri) > 4096 {
			return
		}
		var req fasthttp.Request
		req.Header.SetMethod(method)
		req.SetRequestURI(uri)
		req.Header.SetContentType(ctype)
		req.SetBodyString(body)
		var ctx fasthttp.RequestCtx
		ctx.Init(&req, remote, nil)
		h(&ctx)
		code := ctx.Response.StatusCode()
		switch code {
		case 200, 201, 303, 304, 400, 401, 403, 404, 405, 413, 414, 429:
		default:
			t.Fatalf("%s %q: status %d: %s", method, uri, code, ctx.Response.Body())
		}
		if string(ctx.Response.Header.Peek("X-Content-Type-Options")) != "nosniff" {
			t.Fatalf("%s %q: no security headers", method, uri)
		}
		if strings.HasPrefix(string(ctx.Response.Header.ContentType()), "application/json") && code >= 400 {
			var e apiError
			if err := json.Unmarshal(ctx.Response.Body(), &e); err != nil || e.Error == "" {
				t.Fatalf("%s %q: error body %q", method, uri, ctx.Response.Body())
			}
		}
		if calls := b.callLog(); len(calls) != 0 {
			t.Fatalf("%s %q ran admin actions without credentials: %v", method, uri, calls)
		}
	})
}

// The patterns lowerIdent stands in for; the tests use them as the oracle.
var (
	eventTypeRE  = regexp.MustCompile(`^[a-z][a-z0-9_.-]{0,63}$`)
	pluginNameRE = regexp.MustCompile(`^[a-z][a-z0-9-]{0,31}$`)
)

func FuzzLowerIdent(f *testing.F) {
	for _, s := range []string{"", "a", "net", "plugin-1", "Net", "1abc", "a_b.c-d", "a\n", strings.Repeat("a", 32), strings.Repeat("a", 33), strings.Repeat("b", 64), strings.Repeat("b", 65), "é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := validPluginName(s), pluginNameRE.MatchString(s); got != want {
			t.Fatalf("validPluginName(%q) = %v, the pattern says %v", s, got, want)
		}
		if got, want := lowerIdent(s, 64, "_.-"), eventTypeRE.MatchString(s); got != want {
			t.Fatalf("event type %q: lowerIdent = %v, the pattern says %v", s, got, want)
		}
	})
}
