package web

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

var csrfFieldRE = regexp.MustCompile(`name="csrf" value="([A-Za-z0-9_-]{43})"`)

// formLogin logs in through the login page like a browser.
func (e *testEnv) formLogin(next string) (adminSession, response) {
	e.t.Helper()
	form := url.Values{"password": {testPassword}, "next": {next}}
	r := e.do("POST", "/login", form.Encode(), "Content-Type: application/x-www-form-urlencoded", "Origin: "+e.url, "Sec-Fetch-Site: same-origin")
	c := sessionCookieFrom(r.header)
	if r.code != 303 || c == nil {
		e.t.Fatalf("form login = %d, cookie %v: %s", r.code, c, clip(r.body, 300))
	}
	s := adminSession{cookie: sessionCookie + "=" + c.Value}
	page := e.get("/", "Cookie: "+s.cookie)
	m := csrfFieldRE.FindStringSubmatch(page.body)
	if m == nil {
		e.t.Fatalf("overview for admin has no CSRF field")
	}
	s.csrf = m[1]
	return s, r
}

func TestLoginCookieAttributes(t *testing.T) {
	e := newTestEnv(t)
	_, r := e.formLogin("/plugins/net")
	if loc := r.header.Get("Location"); loc != "/plugins/net?done=loggedin" {
		t.Errorf("Location = %q, want /plugins/net?done=loggedin", loc)
	}
	raw := r.header.Get("Set-Cookie")
	for _, attr := range []string{"HttpOnly", "SameSite=Strict", "path=/", "max-age=604800"} {
		if !strings.Contains(strings.ToLower(raw), strings.ToLower(attr)) {
			t.Errorf("Set-Cookie %q lacks %s", raw, attr)
		}
	}
	if strings.Contains(strings.ToLower(raw), "secure") {
		t.Errorf("Set-Cookie %q is Secure on plain HTTP", raw)
	}
	c := sessionCookieFrom(r.header)
	if len(c.Value) != 43 {
		t.Errorf("session ID %q is not 32 random bytes in base64", c.Value)
	}
	if ev := e.b.eventsOfType(EventTypeLogin); len(ev) != 1 || !strings.Contains(ev[0].Message, "127.0.0.1") {
		t.Errorf("login events = %+v", ev)
	}
}

func TestLoginRejectsOpenRedirect(t *testing.T) {
	for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil", "/plugins/../../x", "javascript:alert(1)"} {
		if got := safeNext(next); got != "/" {
			t.Errorf("safeNext(%q) = %q, want /", next, got)
		}
	}
	for _, next := range []string{"/", "/events", "/settings", "/plugins/net"} {
		if got := safeNext(next); got != next {
			t.Errorf("safeNext(%q) = %q", next, got)
		}
	}
}

func TestWrongPasswordAndRateLimit(t *testing.T) {
	e := newTestEnv(t)
	form := url.Values{"password": {"wrong"}}.Encode()
	for i := range 5 {
		r := e.do("POST", "/login", form, "Content-Type: application/x-www-form-urlencoded")
		if r.code != 401 || !strings.Contains(r.body, "Wrong password.") || sessionCookieFrom(r.header) != nil {
			t.Fatalf("attempt %d = %d, want 401 without cookie", i+1, r.code)
		}
	}
	// The sixth attempt in a burst is limited even with the right password.
	r := e.do("POST", "/api/v1/login", `{"password":"`+testPassword+`"}`)
	if r.code != 429 || r.header.Get("Retry-After") == "" || sessionCookieFrom(r.header) != nil {
		t.Fatalf("sixth attempt = %d Retry-After %q, want 429", r.code, r.header.Get("Retry-After"))
	}
	// The first failure is an event at once, the other four one summary.
	e.srv.noise.flush(true)
	if n, evs := noiseTally(e.b.eventsOfType(EventTypeLoginFailed), EventTypeLoginFailed); n != 5 || evs != 2 {
		t.Errorf("login_failed events = %d counting %d, want 2 counting 5", evs, n)
	}
	if n := len(e.b.eventsOfType(EventTypeLoginRateLimited)); n != 1 {
		t.Errorf("login_rate_limited events = %d, want 1", n)
	}
	if strings.Contains(e.logs.String(), testPassword) {
		t.Errorf("password appears in the log")
	}
}

func TestCrossSiteLoginRejected(t *testing.T) {
	e := newTestEnv(t)
	form := url.Values{"password": {testPassword}}.Encode()
	r := e.do("POST", "/login", form, "Content-Type: application/x-www-form-urlencoded", "Origin: http://evil.example")
	if r.code != 403 || sessionCookieFrom(r.header) != nil {
		t.Fatalf("cross-site form login = %d, want 403 without cookie", r.code)
	}
	r = e.do("POST", "/api/v1/login", `{"password":"`+testPassword+`"}`, "Sec-Fetch-Site: cross-site")
	if r.code != 403 {
		t.Fatalf("cross-site API login = %d, want 403", r.code)
	}
}

func TestPageFormsNeedCSRFField(t *testing.T) {
	e := newTestEnv(t)
	s, _ := e.formLogin("/")
	post := func(path string, form url.Values, hdr ...string) response {
		return e.do("POST", path, form.Encode(), append([]string{"Content-Type: application/x-www-form-urlencoded", "Cookie: " + s.cookie}, hdr...)...)
	}
	if r := post("/plugins/net/disable", url.Values{"next": {"/"}}); r.code != 403 {
		t.Fatalf("form without csrf = %d, want 403", r.code)
	}
	if r := post("/plugins/net/disable", url.Values{"csrf": {s.csrf}}, "Origin: http://evil.example"); r.code != 403 {
		t.Fatalf("form from foreign origin = %d, want 403", r.code)
	}
	if calls := e.b.callLog(); len(calls) != 0 {
		t.Fatalf("actions ran: %v", calls)
	}
	r := post("/plugins/net/disable", url.Values{"csrf": {s.csrf}, "next": {"/"}}, "Origin: null")
	if r.code != 303 || r.header.Get("Location") != "/?done=disable" {
		t.Fatalf("disable form = %d Location %q", r.code, r.header.Get("Location"))
	}
	page := e.get("/?done=disable", "Cookie: "+s.cookie)
	if !strings.Contains(page.body, "Plugin disabled.") || !strings.Contains(page.body, `action="/plugins/net/enable"`) {
		t.Fatalf("overview after disable lacks notice or enable button")
	}
	r = post("/plugins/net/enable", url.Values{"csrf": {s.csrf}})
	if r.code != 303 || r.header.Get("Location") != "/plugins/net?done=enable" {
		t.Fatalf("enable form = %d Location %q", r.code, r.header.Get("Location"))
	}
	// Logging out ends the session on the server too.
	r = post("/logout", url.Values{"csrf": {s.csrf}})
	if r.code != 303 || !strings.Contains(strings.ToLower(r.header.Get("Set-Cookie")), "max-age=0") && !strings.Contains(r.header.Get("Set-Cookie"), "expires=") {
		t.Fatalf("logout = %d Set-Cookie %q", r.code, r.header.Get("Set-Cookie"))
	}
	if r := post("/plugins/net/disable", url.Values{"csrf": {s.csrf}}); r.code != 303 || r.header.Get("Location") != "/login?next=/" {
		t.Fatalf("form after logout = %d %q, want redirect to login", r.code, r.header.Get("Location"))
	}
	if got, want := e.b.callLog(), []string{"disable net", "enable net"}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("calls %v, want %v", got, want)
	}
}

func TestSettingsAndAckForms(t *testing.T) {
	e := newTestEnv(t)
	s, _ := e.formLogin("/settings")
	page := e.get("/settings", "Cookie: "+s.cookie)
	if page.code != 200 || !strings.Contains(page.body, `name="event_retention" min="10" max="100000" value="1000"`) {
		t.Fatalf("settings page = %d", page.code)
	}
	form := url.Values{"csrf": {s.csrf}, "pages_require_login": {"on"}, "log_level": {"warn"}, "breaks_before_disable": {"3"}, "event_retention": {"500"}}
	r := e.do("POST", "/settings", form.Encode(), "Content-Type: application/x-www-form-urlencoded", "Cookie: "+s.cookie)
	if r.code != 303 {
		t.Fatalf("settings form = %d %s", r.code, clip(r.body, 300))
	}
	want := Settings{PagesRequireLogin: true, LogLevel: "warn", BreaksBeforeDisable: 3, EventRetention: 500}
	if got := e.b.Settings(); got != want {
		t.Fatalf("settings = %+v, want %+v", got, want)
	}
	form.Set("log_level", "loud")
	r = e.do("POST", "/settings", form.Encode(), "Content-Type: application/x-www-form-urlencoded", "Cookie: "+s.cookie)
	if r.code != 400 || !strings.Contains(r.body, "log_level must be") {
		t.Fatalf("bad settings form = %d", r.code)
	}
	form.Set("log_level", "info")
	form.Set("event_retention", "200000")
	r = e.do("POST", "/settings", form.Encode(), "Content-Type: application/x-www-form-urlencoded", "Cookie: "+s.cookie)
	if r.code != 400 || !strings.Contains(r.body, "event_retention must be in 10..100000") {
		t.Fatalf("backend-rejected settings = %d %s", r.code, clip(r.body, 200))
	}

	e.b.mu.Lock()
	e.b.addEvent("limit_exceeded", SeverityWarning, "net", "instruction limit exceeded")
	seq := e.b.nextSeq - 1
	e.b.mu.Unlock()
	ack := url.Values{"csrf": {s.csrf}, "seq": {itoa(seq)}}
	r = e.do("POST", "/events/ack", ack.Encode(), "Content-Type: application/x-www-form-urlencoded", "Cookie: "+s.cookie)
	if r.code != 303 || r.header.Get("Location") != "/events?done=ack" {
		t.Fatalf("ack form = %d", r.code)
	}
	evs, _, _ := e.b.Events(EventQuery{Limit: 10, Type: "limit_exceeded"})
	if len(evs) != 1 || !evs[0].Acked {
		t.Fatalf("event not acked: %+v", evs)
	}
}

func TestSessionExpiry(t *testing.T) {
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	st := newSessionStore(3, time.Hour, 3*time.Hour, clock)
	id, s := st.create()
	if len(s.csrf) != 43 || s.csrf == id {
		t.Fatalf("csrf %q", s.csrf)
	}
	now = now.Add(59 * time.Minute)
	if _, ok := st.lookup(id); !ok {
		t.Fatal("session gone before idle timeout")
	}
	now = now.Add(59 * time.Minute)
	if _, ok := st.lookup(id); !ok {
		t.Fatal("use did not extend the idle timeout")
	}
	now = now.Add(61 * time.Minute)
	if _, ok := st.lookup(id); ok {
		t.Fatal("session alive after idle timeout")
	}
	id, _ = st.create()
	for range 3 {
		now = now.Add(50 * time.Minute)
		if _, ok := st.lookup(id); !ok {
			t.Fatal("session gone while in use")
		}
	}
	now = now.Add(31 * time.Minute)
	if _, ok := st.lookup(id); ok {
		t.Fatal("session alive after absolute timeout")
	}
}

func TestSessionStoreBounded(t *testing.T) {
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	st := newSessionStore(3, time.Hour, 3*time.Hour, func() time.Time { return now })
	var ids []string
	for range 3 {
		id, _ := st.create()
		ids = append(ids, id)
		now = now.Add(time.Minute)
	}
	st.lookup(ids[0]) // most recently used now
	id4, _ := st.create()
	if st.len() != 3 {
		t.Fatalf("len = %d, want 3", st.len())
	}
	if _, ok := st.lookup(ids[1]); ok {
		t.Error("least recently used session survived")
	}
	for _, id := range []string{ids[0], ids[2], id4} {
		if _, ok := st.lookup(id); !ok {
			t.Error("recent session evicted")
		}
	}
	if _, ok := st.lookup("short"); ok {
		t.Error("malformed ID accepted")
	}
}

func TestRateLimiter(t *testing.T) {
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	rl := newRateLimiter(2, 10*time.Second, 2, func() time.Time { return now })
	for i, want := range []bool{true, true, false} {
		if ok, _ := rl.allow("a"); ok != want {
			t.Fatalf("attempt %d = %v, want %v", i, ok, want)
		}
	}
	_, wait := rl.allow("a")
	if wait != 10*time.Second {
		t.Fatalf("wait = %v, want 10s", wait)
	}
	now = now.Add(5 * time.Second)
	if ok, wait := rl.allow("a"); ok || wait != 5*time.Second {
		t.Fatalf("after 5s = %v %v, want false 5s", ok, wait)
	}
	now = now.Add(5 * time.Second)
	if ok, _ := rl.allow("a"); !ok {
		t.Fatal("no token after refill")
	}
	rl.allow("b")
	rl.allow("c") // evicts the least recently used key
	if rl.len() != 2 {
		t.Fatalf("len = %d, want 2", rl.len())
	}
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }
