package web

import (
	"fmt"
	"log/slog"
	"maps"
	"math"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/heimnetz/heimnetz/store"
)

// noiseTally sums what events of typ stand for: a summary ("412 more ...")
// its count, any other event one.
func noiseTally(evs []Event, typ string) (total uint64, events int) {
	for _, e := range evs {
		if e.Type != typ {
			continue
		}
		events++
		n, rest, ok := strings.Cut(e.Message, " more ")
		if v, err := strconv.ParseUint(n, 10, 64); ok && err == nil && rest != "" {
			total += v
		} else {
			total++
		}
	}
	return total, events
}

type noiseSink struct {
	mu          sync.Mutex
	evs         []Event
	occurrences uint64 // what the events stand for, as NoiseRecorder is told
}

func (s *noiseSink) emit(typ, severity, msg string, occurrences uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.evs = append(s.evs, Event{Type: typ, Severity: severity, Message: msg})
	s.occurrences += occurrences
}

func TestNoiseLogCountsEveryOccurrence(t *testing.T) {
	tests := []struct {
		name      string
		n         int
		sources   int           // distinct client addresses, round robin
		every     time.Duration // clock step per occurrence
		maxEvents int
	}{
		{"one client, one window", 10000, 1, 0, 2},
		{"one client, windows pass", 10000, 1, 30 * time.Millisecond, 2 * 6},
		{"many clients", 10000, 1000, 0, 2 * (noiseMaxSources + 1)},
		{"single occurrence", 1, 1, 0, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			var sink noiseSink
			n := newNoiseLog(noiseWindow, func() time.Time { return clock }, sink.emit)
			for i := range tc.n {
				ip := fmt.Sprintf("10.0.%d.%d", i%tc.sources/250, i%tc.sources%250)
				n.add(EventTypeLoginFailed, SeverityWarning, ip, "failed admin login from "+ip)
				clock = clock.Add(tc.every)
				if len(n.counts) > noiseMaxSources+1 {
					t.Fatalf("%d sources tracked, bound %d", len(n.counts), noiseMaxSources+1)
				}
			}
			n.flush(true)
			total, events := noiseTally(sink.evs, EventTypeLoginFailed)
			if total != uint64(tc.n) || sink.occurrences != uint64(tc.n) {
				t.Errorf("events stand for %d occurrences (%d as reported), want %d", total, sink.occurrences, tc.n)
			}
			if events > tc.maxEvents {
				t.Errorf("%d events for %d occurrences, want at most %d", events, tc.n, tc.maxEvents)
			}
		})
	}
}

// TestNoiseFloodFromManyAddresses: a flood from thousands of rotating
// addresses within one minute is still a bounded number of events: at most
// noiseMaxSources first occurrences in all plus one per type for "other
// clients", and a summary for each; the summaries count every occurrence
// and estimate the distinct clients.
func TestNoiseFloodFromManyAddresses(t *testing.T) {
	types := slices.Sorted(maps.Keys(noiseKinds))
	tests := []struct {
		name      string
		n, addrs  int
		types     []string
		maxEvents int
	}{
		// 34 and 78 are the bounds the noiseLog doc states.
		{"10,000 failed logins from 5,000 addresses", 10000, 5000, []string{EventTypeLoginFailed}, 2 * (noiseMaxSources + 1)},
		{"every kind from 50,000 IPv6 addresses", 70000, 50000, types, 2 * (noiseMaxSources + len(noiseKinds))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			step := (noiseWindow - time.Second) / time.Duration(tc.n) // all within one window
			var sink noiseSink
			n := newNoiseLog(noiseWindow, func() time.Time { return clock }, sink.emit)
			for i := range tc.n {
				ip := fmt.Sprintf("fd00::%x", i%tc.addrs)
				n.add(tc.types[i%len(tc.types)], SeverityWarning, ip, "noise from "+ip)
				clock = clock.Add(step)
			}
			n.flush(true)
			var total uint64
			for _, typ := range tc.types {
				c, _ := noiseTally(sink.evs, typ)
				total += c
			}
			if total != uint64(tc.n) || sink.occurrences != uint64(tc.n) {
				t.Errorf("events stand for %d occurrences (%d as reported), want %d", total, sink.occurrences, tc.n)
			}
			if len(sink.evs) > tc.maxEvents {
				t.Errorf("%d events for %d occurrences, want at most %d", len(sink.evs), tc.n, tc.maxEvents)
			}
			t.Logf("%d occurrences from %d addresses: %d events", tc.n, tc.addrs, len(sink.evs))
			if len(tc.types) != 1 {
				return
			}
			// The other clients' summary estimates their number: all the
			// addresses but the noiseMaxSources counted on their own.
			var got float64
			for _, e := range sink.evs {
				if _, rest, ok := strings.Cut(e.Message, "other clients (about "); ok {
					v, _, _ := strings.Cut(rest, " ")
					got, _ = strconv.ParseFloat(v, 64)
				}
			}
			if want := float64(tc.addrs - noiseMaxSources); math.Abs(got-want) > want/20 {
				t.Errorf("distinct other clients estimated %v, want %v within 5%%", got, want)
			}
		})
	}
}

func TestClientEstimate(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{
		{1, "1 distinct client"},
		{3, "about 3 distinct clients"},
		{40, "about 40 distinct clients"},
		{200000, "more than 34069 distinct clients"},
	} {
		var c clientEstimate
		for i := range tc.n {
			c.add(fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255))
			c.add(fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)) // repeats do not count
		}
		if got := c.String(); got != tc.want {
			t.Errorf("%d clients: %q, want %q", tc.n, got, tc.want)
		}
	}
}

func TestNoiseLogSummaryText(t *testing.T) {
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var sink noiseSink
	n := newNoiseLog(noiseWindow, func() time.Time { return clock }, sink.emit)
	for range 413 {
		n.add(EventTypeLoginFailed, SeverityWarning, "10.0.0.7", "failed admin login from 10.0.0.7")
	}
	n.add(EventTypeBadToken, SeverityWarning, "10.0.0.8", "rejected API token from 10.0.0.8")
	n.add(EventTypeBadToken, SeverityCritical, "10.0.0.8", "rejected API token from 10.0.0.8")
	clock = clock.Add(time.Minute)
	n.flush(false)
	want := map[string]Event{
		"412 more failed admin logins from 10.0.0.7 in the last 1m0s": {Type: EventTypeLoginFailed, Severity: SeverityWarning},
		"1 more rejected API token from 10.0.0.8 in the last 1m0s":    {Type: EventTypeBadToken, Severity: SeverityCritical},
	}
	if len(sink.evs) != 4 {
		t.Fatalf("events = %+v, want two first occurrences and two summaries", sink.evs)
	}
	for _, e := range sink.evs[2:] {
		w, ok := want[e.Message]
		if !ok || w.Type != e.Type || w.Severity != e.Severity {
			t.Errorf("summary %+v not among %v", e, want)
		}
	}
	// A new window reports its first occurrence at once again.
	n.add(EventTypeLoginFailed, SeverityWarning, "10.0.0.7", "failed admin login from 10.0.0.7")
	if got := sink.evs[len(sink.evs)-1].Message; got != "failed admin login from 10.0.0.7" {
		t.Errorf("first in the new window = %q", got)
	}
}

// handlerRequest runs one request through the server's handler from addr.
func handlerRequest(srv *Server, method, uri, body string, addr net.Addr, header ...string) *fasthttp.Response {
	var req fasthttp.Request
	req.Header.SetMethod(method)
	req.SetRequestURI(uri)
	req.Header.SetHost("127.0.0.1:9110")
	for _, h := range header {
		k, v, _ := strings.Cut(h, ": ")
		req.Header.Set(k, v)
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

// TestAdminActionsAreNeverDropped: 600 reloads by an admin are 600 events,
// while 10,000 failed logins are a few summaries that count them all.
func TestAdminActionsAreNeverDropped(t *testing.T) {
	e := newTestEnv(t)
	addr := &net.TCPAddr{IP: net.IPv4(10, 0, 0, 7), Port: 40000}
	for i := range 600 {
		r := handlerRequest(e.srv, "POST", "/api/v1/plugins/net/reload", "", addr, "Authorization: Bearer "+e.token)
		if r.StatusCode() != 200 {
			t.Fatalf("reload %d = %d %s", i, r.StatusCode(), r.Body())
		}
	}
	actions := e.b.eventsOfType(EventTypeAdminAction)
	if len(actions) != 600 {
		t.Fatalf("admin_action events = %d after 600 reloads, want 600", len(actions))
	}
	if want := "plugin net: reload by admin token from 10.0.0.7"; actions[599].Message != want {
		t.Errorf("admin action = %q, want %q", actions[599].Message, want)
	}

	for range 10000 {
		r := handlerRequest(e.srv, "POST", "/api/v1/login", `{"password":"wrong"}`, addr)
		if c := r.StatusCode(); c != 401 && c != 429 {
			t.Fatalf("failed login = %d %s", c, r.Body())
		}
	}
	e.srv.noise.flush(true)
	e.b.mu.Lock()
	evs := append([]Event(nil), e.b.events...)
	e.b.mu.Unlock()
	failed, n1 := noiseTally(evs, EventTypeLoginFailed)
	limited, n2 := noiseTally(evs, EventTypeLoginRateLimited)
	if failed+limited != 10000 {
		t.Errorf("login events count %d failed + %d rate-limited, want 10000 in all", failed, limited)
	}
	t.Logf("10,000 failed logins: %d login_failed events counting %d, %d login_rate_limited events counting %d", n1, failed, n2, limited)
	if n1+n2 > 4 {
		t.Errorf("%d events for 10,000 failed logins, want at most 4 (first and summary per type)", n1+n2)
	}
}

// TestSeveritiesAreTheStores: web's severity names, its filters and its
// ranking are the store's one list.
func TestSeveritiesAreTheStores(t *testing.T) {
	want := store.SeverityNames()
	got := []string{SeverityInfo, SeverityWarning, SeverityHigh, SeverityCritical}
	if !slices.Equal(got, want) || !slices.Equal(eventSeverities, want) {
		t.Fatalf("web severities %v, filter %v, store %v", got, eventSeverities, want)
	}
	for i, s := range want {
		var args fasthttp.Args
		args.Set("severity", s)
		if q, err := parseEventQuery(&args); err != nil || q.Severity != s {
			t.Errorf("filter severity=%s: %+v %v", s, q, err)
		}
		if severityRank(s) != i {
			t.Errorf("rank of %s = %d, want %d", s, severityRank(s), i)
		}
	}
	if !alarming(EventStats{UnackedHigh: 1}) {
		t.Errorf("an unacknowledged high event does not alarm the page")
	}
}

// TestRefusedRequestsAreCounted: requests the server refuses (a foreign
// Host as DNS rebinding sends, a malformed query, a bad token, an admin
// route without credentials) are each counted into bad_request and the
// like, a few events for a thousand requests.
func TestRefusedRequestsAreCounted(t *testing.T) {
	e := newTestEnv(t)
	addr := &net.TCPAddr{IP: net.IPv4(10, 0, 0, 9), Port: 40000}
	const n = 1000
	for range n {
		handlerRequest(e.srv, "GET", "/api/v1/plugins", "", addr, "Host: rebind.example")
		handlerRequest(e.srv, "GET", "/api/v1/plugins?x=1", "", addr)
		handlerRequest(e.srv, "GET", "/api/v1/plugins", "", addr, "Authorization: Bearer hnt_wrong")
		handlerRequest(e.srv, "POST", "/api/v1/plugins/net/reload", "", addr)
	}
	e.srv.noise.flush(true)
	e.b.mu.Lock()
	evs := append([]Event(nil), e.b.events...)
	e.b.mu.Unlock()
	for typ, want := range map[string]uint64{EventTypeBadRequest: 2 * n, EventTypeBadToken: n, EventTypeUnauthorized: n} {
		got, events := noiseTally(evs, typ)
		if got != want || events > 4 {
			t.Errorf("%s: %d events counting %d, want at most 4 counting %d", typ, events, got, want)
		}
	}
}

// TestAuditNamesTheSession: a session's login, actions and logout are
// events naming the same short session tag, never the cookie value.
func TestAuditNamesTheSession(t *testing.T) {
	e := newTestEnv(t)
	sess := e.login()
	r := e.do("POST", "/api/v1/plugins/net/disable", "", "Cookie: "+sess.cookie, "X-CSRF-Token: "+sess.csrf, "Origin: "+e.url)
	if r.code != 200 {
		t.Fatalf("disable = %d %s", r.code, r.body)
	}
	if r := e.do("POST", "/api/v1/logout", "", "Cookie: "+sess.cookie, "X-CSRF-Token: "+sess.csrf, "Origin: "+e.url); r.code != 200 {
		t.Fatalf("logout = %d %s", r.code, r.body)
	}
	logins, actions := e.b.eventsOfType(EventTypeLogin), e.b.eventsOfType(EventTypeAdminAction)
	if len(logins) != 1 || len(actions) != 2 {
		t.Fatalf("login events %+v, admin actions %+v", logins, actions)
	}
	_, tag, ok := strings.Cut(logins[0].Message, "by admin session ")
	tag, _, _ = strings.Cut(tag, " ")
	if !ok || len(tag) != 8 {
		t.Fatalf("login event %q names no session tag", logins[0].Message)
	}
	cookie := strings.TrimPrefix(sess.cookie, sessionCookie+"=")
	for i, want := range []string{"plugin net: disable by admin session " + tag + " from 127.0.0.1", "logged out by admin session " + tag + " from 127.0.0.1"} {
		if actions[i].Message != want {
			t.Errorf("admin action %d = %q, want %q", i, actions[i].Message, want)
		}
	}
	for _, ev := range append(logins, actions...) {
		if strings.Contains(ev.Message, cookie) || strings.Contains(ev.Message, sess.csrf) {
			t.Errorf("event %q holds the session's secret", ev.Message)
		}
	}
}

// TestCredentialChangeIsAudited: a start with another admin password or
// token in the configuration than the last start used records the change
// as an admin action; the first start and an unchanged one do not.
func TestCredentialChangeIsAudited(t *testing.T) {
	dir := t.TempDir()
	hashA, err := hashPasswordIter("password-a", minIterations)
	if err != nil {
		t.Fatal(err)
	}
	hashB, err := hashPasswordIter("password-b", minIterations)
	if err != nil {
		t.Fatal(err)
	}
	token := HashToken(NewToken())
	for i, c := range []struct {
		pw, tok string
		want    []string
	}{
		{hashA, token, nil},
		{hashA, token, nil},
		{hashB, token, []string{"admin password changed in the configuration since the last start"}},
		{hashB, HashToken(NewToken()), []string{"admin token changed in the configuration since the last start"}},
		{hashB, "", []string{"admin token changed in the configuration since the last start"}}, // generated
	} {
		b := newMemBackend(time.Now)
		cfg := Config{AdminPasswordHash: c.pw, AdminTokenHash: c.tok, DataDir: dir, Logger: slog.New(slog.DiscardHandler)}
		if _, err := newServer(cfg, b, minIterations, time.Now); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range b.eventsOfType(EventTypeAdminAction) {
			got = append(got, e.Message)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("start %d: admin actions %q, want %q", i+1, got, c.want)
		}
	}
}
