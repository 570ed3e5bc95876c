package core

import (
	"context"
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/heimnetz/heimnetz/agent/internal/config"
	"github.com/heimnetz/heimnetz/web"
)

// TestLoginFloodKeepsTheAuditTrail: 10,000 failed logins from 5,000
// addresses within a minute, through the real web server into the real
// store with a small ring, are a bounded number of events whose
// occurrences heimnetz_security_events_total counts in full, and the
// admin action, login and high event recorded before the flood are still
// listed by GET /api/v1/events after it.
func TestLoginFloodKeepsTheAuditTrail(t *testing.T) {
	const (
		logins    = 10000
		addrs     = 5000
		retention = 20 // noise keeps 10 of them, so the flood overflows it
	)
	h := newHarness(t, func(c *config.Config) { c.EventRetention = retention })
	audit := []web.Event{
		{Type: web.EventTypeLogin, Severity: web.SeverityInfo, Message: "admin logged in (session ab12) from 10.0.0.2"},
		{Type: web.EventTypeAdminAction, Severity: web.SeverityInfo, Message: "plugin net: disable by session ab12 from 10.0.0.2"},
		{Type: web.EventTypeBadToken, Severity: web.SeverityHigh, Message: "a high event is never noise"},
	}
	for _, e := range audit {
		h.b.SecurityEvent(e.Type, e.Severity, e.Message)
	}

	token := web.NewToken()
	start := time.Now() // web's noise log runs on the real clock
	srv, err := web.New(web.Config{
		Addr:              "127.0.0.1:9110",
		DataDir:           t.TempDir(),
		AdminPasswordHash: cheapPasswordHash(t, "right"),
		AdminTokenHash:    web.HashToken(token),
		Logger:            slog.New(slog.NewTextHandler(io.Discard, nil)),
	}, h.b)
	if err != nil {
		t.Fatal(err)
	}
	for i := range logins {
		addr := &net.TCPAddr{IP: net.ParseIP(fmt.Sprintf("fd00::%x", i%addrs)), Port: 40000}
		if c := serveOne(srv, "POST", "/api/v1/login", `{"password":"wrong"}`, addr).StatusCode(); c != 401 && c != 429 {
			t.Fatalf("failed login %d = %d", i, c)
		}
	}
	if err := srv.Shutdown(context.Background()); err != nil { // writes the last summaries
		t.Fatal(err)
	}
	// The flood takes seconds; should a loaded machine stretch it past a
	// minute, each window may report as many events again.
	windows := int(time.Since(start)/time.Minute) + 1

	// Every occurrence is counted, in the two types a failed login is.
	counted := 0
	re := regexp.MustCompile(`heimnetz_security_events_total\{type="(login_failed|login_rate_limited)",severity="\w+"\} (\d+)`)
	for _, m := range re.FindAllStringSubmatch(h.metrics(), -1) {
		n, _ := strconv.Atoi(m[2])
		counted += n
	}
	if counted != logins {
		t.Errorf("heimnetz_security_events_total counts %d failed logins, want %d", counted, logins)
	}

	// What the flood stored is bounded (web's noise log: at most 32
	// clients on their own plus "other clients" per type, and a summary
	// each: 2 types, at most 68 events a minute), and the ring holds its
	// bound.
	kept, dropped, _ := h.db.EventStats()
	if kept > retention {
		t.Fatalf("%d events kept, bound %d", kept, retention)
	}
	noise := int(dropped) + kept - len(audit)
	t.Logf("%d failed logins from %d addresses: %d events stored (%d kept, %d dropped)", logins, addrs, noise, kept, dropped)
	if noise > 2*(32+2)*windows {
		t.Errorf("%d noise events stored for the flood in %d minute windows, want at most %d", noise, windows, 68*windows)
	}

	// The audit trail is listed by the API after the flood.
	r := serveOne(srv, "GET", "/api/v1/events?limit=500", "", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}, "Authorization", "Bearer "+token)
	var got struct {
		Events []web.Event `json:"events"`
	}
	if err := json.Unmarshal(r.Body(), &got); err != nil || r.StatusCode() != 200 {
		t.Fatalf("GET /api/v1/events = %d %s (%v)", r.StatusCode(), r.Body(), err)
	}
	for _, want := range audit {
		found := false
		for _, e := range got.Events {
			found = found || (e.Type == want.Type && e.Severity == want.Severity && e.Message == want.Message)
		}
		if !found {
			t.Errorf("%s event %q gone after the flood; listed: %d events", want.Type, want.Message, len(got.Events))
		}
	}
	if len(got.Events) != kept {
		t.Errorf("API lists %d events, the store keeps %d", len(got.Events), kept)
	}
	for i := 1; i < len(got.Events); i++ {
		if got.Events[i].Seq >= got.Events[i-1].Seq {
			t.Fatalf("API lists %d after %d: not newest first", got.Events[i].Seq, got.Events[i-1].Seq)
		}
	}
	// The filters see the one list.
	for _, tc := range []struct {
		query string
		want  int
	}{
		{"type=admin_action", 1},
		{"type=login", 1},
		{"severity=high", 1},
		{"severity=warning", kept - len(audit)}, // the noise kept
	} {
		r := serveOne(srv, "GET", "/api/v1/events?"+tc.query, "", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}, "Authorization", "Bearer "+token)
		got.Events = nil
		if err := json.Unmarshal(r.Body(), &got); err != nil || r.StatusCode() != 200 {
			t.Fatalf("GET /api/v1/events?%s = %d %s (%v)", tc.query, r.StatusCode(), r.Body(), err)
		}
		if len(got.Events) != tc.want {
			t.Errorf("GET /api/v1/events?%s lists %d events, want %d", tc.query, len(got.Events), tc.want)
		}
	}
}

// serveOne runs one request through the server's handler from addr.
func serveOne(srv *web.Server, method, uri, body string, addr net.Addr, header ...string) *fasthttp.Response {
	var req fasthttp.Request
	req.Header.SetMethod(method)
	req.SetRequestURI(uri)
	req.Header.SetHost("127.0.0.1:9110")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	if body != "" {
		req.SetBodyString(body)
		req.Header.SetContentType("application/json")
	}
	var ctx fasthttp.RequestCtx
	ctx.Init(&req, addr, nil)
	srv.Handler()(&ctx)
	resp := new(fasthttp.Response)
	ctx.Response.CopyTo(resp)
	return resp
}

// cheapPasswordHash hashes password in web.HashPassword's format with the
// fewest iterations web accepts, so that a test's logins cost little.
func cheapPasswordHash(t *testing.T, password string) string {
	t.Helper()
	salt := []byte("0123456789abcdef")
	key, err := pbkdf2.Key(sha256.New, password, salt, 1000, 32)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding
	return "pbkdf2-sha256$1000$" + enc.EncodeToString(salt) + "$" + enc.EncodeToString(key)
}
