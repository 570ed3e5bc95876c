package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

const testPassword = "correct horse battery staple"

// testEnv is a Server on a real loopback listener with a memBackend.
type testEnv struct {
	t        *testing.T
	srv      *Server
	b        *memBackend
	url      string
	token    string
	client   *http.Client
	logs     *syncBuffer
	serveErr chan error
}

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// newTestEnv starts a server with a configured password (cheap PBKDF2
// iterations) and token; opts adjust the config first.
func newTestEnv(t *testing.T, opts ...func(*Config)) *testEnv {
	t.Helper()
	hash, err := hashPasswordIter(testPassword, minIterations)
	if err != nil {
		t.Fatal(err)
	}
	token := NewToken()
	logs := &syncBuffer{}
	cfg := Config{
		AdminPasswordHash: hash,
		AdminTokenHash:    HashToken(token),
		Logger:            slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	for _, o := range opts {
		o(&cfg)
	}
	b := newMemBackend(time.Now)
	srv, err := newServer(cfg, b, minIterations, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	srv.samplerStarted = true // tests call sampleNow themselves
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e := &testEnv{t: t, srv: srv, b: b, url: "http://" + ln.Addr().String(), token: token, logs: logs, serveErr: make(chan error, 1)}
	e.client = &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport:     &http.Transport{DisableCompression: true},
	}
	go func() { e.serveErr <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		if err := <-e.serveErr; !errors.Is(err, ErrServerClosed) {
			t.Errorf("Serve returned %v, want ErrServerClosed", err)
		}
	})
	return e
}

// response is a read HTTP response.
type response struct {
	code   int
	header http.Header
	body   string
}

func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.body), v); err != nil {
		t.Fatalf("decode %q: %v", r.body, err)
	}
}

// do sends one request; hdr is "Key: value" pairs.
func (e *testEnv) do(method, path, body string, hdr ...string) response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.url+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	for _, h := range hdr {
		k, v, _ := strings.Cut(h, ": ")
		if k == "Host" {
			req.Host = v // net/http ignores a Host entry in Header
			continue
		}
		req.Header.Add(k, v)
	}
	resp, err := e.client.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return response{code: resp.StatusCode, header: resp.Header, body: string(data)}
}

func (e *testEnv) get(path string, hdr ...string) response { return e.do("GET", path, "", hdr...) }

// adminSession is a logged-in browser: its cookie header and CSRF token.
type adminSession struct {
	cookie string
	csrf   string
}

// login logs in through the API and returns the session.
func (e *testEnv) login() adminSession {
	e.t.Helper()
	r := e.do("POST", "/api/v1/login", `{"password":"`+testPassword+`"}`, "Content-Type: application/json")
	if r.code != 200 {
		e.t.Fatalf("login: %d %s", r.code, r.body)
	}
	var lr loginResponse
	r.json(e.t, &lr)
	c := sessionCookieFrom(r.header)
	if c == nil {
		e.t.Fatalf("login set no session cookie: %v", r.header)
	}
	return adminSession{cookie: sessionCookie + "=" + c.Value, csrf: lr.CSRFToken}
}

func sessionCookieFrom(h http.Header) *http.Cookie {
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == sessionCookie {
			return c
		}
	}
	return nil
}

// bearer is the Authorization header for the env's token.
func (e *testEnv) bearer() string { return "Authorization: Bearer " + e.token }

var timeNow = time.Now

func newTestLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// clip shortens a response body for a failure message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
