package web

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"
)

func argsOf(q string) *fasthttp.Args {
	a := &fasthttp.Args{}
	a.Parse(q)
	return a
}

func TestParseEventQuery(t *testing.T) {
	cases := []struct {
		q    string
		want EventQuery
		err  string
	}{
		{"", EventQuery{Limit: 100}, ""},
		{"limit=7&before=99&severity=warning&type=login_failed&plugin=net&unacked=1",
			EventQuery{Limit: 7, BeforeSeq: 99, Severity: "warning", Type: "login_failed", Plugin: "net", UnackedOnly: true}, ""},
		{"severity=&unacked=false", EventQuery{Limit: 100}, ""},
		{"severity=high", EventQuery{Limit: 100, Severity: "high"}, ""}, // the agent's store has four severities
		{"severity=fatal", EventQuery{}, "severity must be"},
		{"limit=500", EventQuery{Limit: 500}, ""},
		{"limit=501", EventQuery{}, "limit must be"},
		{"before=0", EventQuery{}, "before must be"},
		{"before=18446744073709551616", EventQuery{}, "before must be"},
		{"type=Login", EventQuery{}, "type must match"},
		{"plugin=-x", EventQuery{}, "plugin must match"},
		{"x=1", EventQuery{}, "unknown parameter"},
		{"limit=1&limit=1", EventQuery{}, "given twice"},
	}
	for _, c := range cases {
		got, err := parseEventQuery(argsOf(c.q))
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) || !errors.Is(err, errInput) {
				t.Errorf("%q: err %v, want %q", c.q, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%q = %+v, %v; want %+v", c.q, got, err, c.want)
		}
	}
}

func TestDecodeJSON(t *testing.T) {
	var lr loginRequest
	if err := decodeJSON([]byte(` {"password":"x y"} `), 100, &lr); err != nil || lr.Password != "x y" {
		t.Fatalf("decode = %+v %v", lr, err)
	}
	for _, body := range []string{``, `{}{}`, `{"password":1}`, `{"pass":"x"}`, `{"password":"x"`, strings.Repeat(" ", 101)} {
		if err := decodeJSON([]byte(body), 100, &lr); !errors.Is(err, errInput) {
			t.Errorf("%q: err %v, want errInput", body, err)
		}
	}
}

func TestParseAckForm(t *testing.T) {
	seqs, err := parseAckForm(argsOf("csrf=t&seq=3&seq=9"))
	if err != nil || len(seqs) != 2 || seqs[0] != 3 || seqs[1] != 9 {
		t.Fatalf("seqs = %v %v", seqs, err)
	}
	for _, q := range []string{"csrf=t", "seq=0", "seq=x", "seq=1&other=2"} {
		if _, err := parseAckForm(argsOf(q)); err == nil {
			t.Errorf("%q accepted", q)
		}
	}
}

func TestRouterTable(t *testing.T) {
	cases := []struct {
		path   string
		route  route
		name   string
		action string
		bad    bool
	}{
		{"/", routeOverview, "", "", false},
		{"/plugins/wan-latency", routePluginPage, "wan-latency", "", false},
		{"/plugins/wan-latency/disable", routePluginForm, "wan-latency", "disable", false},
		{"/plugins/install", routeInstallForm, "", "", false},
		{"/plugins/WAN", routePluginPage, "WAN", "", true},
		{"/plugins/" + strings.Repeat("a", 33), routePluginPage, strings.Repeat("a", 33), "", true},
		{"/plugins/a/b/c", routeNotFound, "", "", false},
		{"/api/v1/plugins/net/reload", routeAPIPluginAction, "net", "reload", false},
		{"/api/v1/plugins/net/explode", routeNotFound, "", "", false},
		{"/api/v1/plugins/", routeAPIPlugin, "", "", true},
		{"/static/style.css", routeStatic, "", "", false},
		{"/alerts", routeAlertsPage, "", "", false},
		{"/api/v1/alerts", routeAPIAlerts, "", "", false},
		{"/api/v2/plugins", routeNotFound, "", "", false},
	}
	for _, c := range cases {
		m := matchPath(c.path)
		if m.route != c.route || m.name != c.name || m.action != c.action || (m.bad != "") != c.bad {
			t.Errorf("%s = %+v, want route %s name %q action %q bad %v", c.path, m, c.route, c.name, c.action, c.bad)
		}
	}
	for r := route(0); r < numRoutes; r++ {
		if routeNames[r] == "" {
			t.Errorf("route %d has no name", r)
		}
	}
}

func TestPasswordHash(t *testing.T) {
	h, err := hashPasswordIter("s3cret", minIterations)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "pbkdf2-sha256$1000$") {
		t.Fatalf("hash %q", h)
	}
	ph, err := parsePasswordHash(h)
	if err != nil {
		t.Fatal(err)
	}
	if !ph.verify("s3cret") || ph.verify("s3cret ") || ph.verify("") {
		t.Fatal("verify accepts the wrong password or rejects the right one")
	}
	h2, _ := hashPasswordIter("s3cret", minIterations)
	if h2 == h {
		t.Fatal("two hashes of one password are equal: salt not random")
	}
	for _, bad := range []string{"", "bcrypt$x", "pbkdf2-sha256$10$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA", "pbkdf2-sha256$1000$!!$AAAA", "pbkdf2-sha256$1000$AAAAAAAAAAA$AA"} {
		if _, err := parsePasswordHash(bad); !errors.Is(err, ErrBadHash) {
			t.Errorf("%q: err %v, want ErrBadHash", bad, err)
		}
	}
	if _, err := hashPasswordIter(strings.Repeat("x", maxPasswordLen+1), minIterations); err == nil {
		t.Error("over-long password hashed")
	}
}

func TestTokenHash(t *testing.T) {
	tok := NewToken()
	if !strings.HasPrefix(tok, "hnt_") || len(tok) != 4+43 {
		t.Fatalf("token %q", tok)
	}
	sum, err := parseTokenHash(HashToken(tok))
	if err != nil {
		t.Fatal(err)
	}
	c := credentials{token: sum}
	if !c.checkToken(tok) || c.checkToken(tok+"x") || c.checkToken("") {
		t.Fatal("token check wrong")
	}
	if _, err := parseTokenHash("sha256$abcd"); !errors.Is(err, ErrBadHash) {
		t.Fatalf("short token hash: %v", err)
	}
}

// TestFirstStartCredentials: with nothing configured, the first start
// generates a password and a token, stores their hashes (mode 0600) and
// returns the plaintext once; the second start reads the hashes and
// generates nothing.
func TestFirstStartCredentials(t *testing.T) {
	dir := t.TempDir()
	cfg := Config{DataDir: dir}.withDefaults()
	c1, gen1, err := loadCredentials(cfg, minIterations)
	if err != nil {
		t.Fatal(err)
	}
	if len(gen1.password) != 26 || !strings.HasPrefix(gen1.token, "hnt_") {
		t.Fatalf("generated %+v", gen1)
	}
	if !c1.checkPassword(gen1.password) || !c1.checkToken(gen1.token) {
		t.Fatal("generated secrets do not verify")
	}
	path := filepath.Join(dir, credentialsFile)
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("credentials file: %v %v", fi, err)
	}
	data, _ := os.ReadFile(path)
	if strings.Contains(string(data), gen1.password) || strings.Contains(string(data), gen1.token) {
		t.Fatal("credentials file holds a plaintext secret")
	}
	c2, gen2, err := loadCredentials(cfg, minIterations)
	if err != nil {
		t.Fatal(err)
	}
	if gen2.password != "" || gen2.token != "" || len(gen2.changed) != 0 {
		t.Fatalf("second start generated %+v", gen2)
	}
	if !c2.checkPassword(gen1.password) || !c2.checkToken(gen1.token) {
		t.Fatal("second start lost the credentials")
	}
	// A configured hash wins and is never logged.
	h, _ := hashPasswordIter("configured", minIterations)
	cfg.AdminPasswordHash = h
	c3, gen3, err := loadCredentials(cfg, minIterations)
	if err != nil || gen3.password != "" || !c3.checkPassword("configured") || c3.checkPassword(gen1.password) {
		t.Fatalf("configured hash: %v %+v", err, gen3)
	}
	cfg.AdminPasswordHash = "nonsense"
	if _, _, err := loadCredentials(cfg, minIterations); !errors.Is(err, ErrBadHash) {
		t.Fatalf("bad configured hash: %v", err)
	}
}

func TestNewLogsGeneratedSecretsOnce(t *testing.T) {
	dir := t.TempDir()
	for i, wantLogged := range []bool{true, false} {
		logs := &syncBuffer{}
		cfg := Config{DataDir: dir, Logger: newTestLogger(logs)}
		if _, err := newServer(cfg, newMemBackend(timeNow), minIterations, timeNow); err != nil {
			t.Fatal(err)
		}
		got := strings.Contains(logs.String(), "generated admin password") && strings.Contains(logs.String(), "token=hnt_")
		if got != wantLogged {
			t.Fatalf("start %d: secrets logged = %v, want %v:\n%s", i+1, got, wantLogged, logs.String())
		}
	}
}

func TestConfigValidation(t *testing.T) {
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{TLS: true}, "TLS needs DataDir"},
		{Config{MaxFormSize: 2 << 20}, "MaxFormSize"},
		{Config{ReadBufferSize: 100}, "ReadBufferSize"},
		{Config{HistoryPoints: 1}, "HistoryPoints"},
	} {
		_, err := New(c.cfg, newMemBackend(timeNow))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: err %v, want %q", c.cfg, err, c.want)
		}
	}
	if _, err := New(Config{}, nil); err == nil {
		t.Error("nil backend accepted")
	}
}
