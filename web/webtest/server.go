package webtest

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/heimnetz/heimnetz/web"
)

// client talks to a web server in front of a backend under test.
type client struct {
	t     *testing.T
	url   string
	token string
	http  *http.Client
}

// serve starts a web server in front of b with a fresh admin token on a
// listener on 127.0.0.1; it stops when the test ends.
func serve(t *testing.T, b web.Backend) *client {
	t.Helper()
	token := web.NewToken()
	srv, err := web.New(web.Config{AdminTokenHash: web.HashToken(token), Logger: slog.New(slog.DiscardHandler)}, b)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		if err := <-served; !errors.Is(err, web.ErrServerClosed) {
			t.Errorf("Serve: %v", err)
		}
	})
	return &client{t: t, url: "http://" + ln.Addr().String(), token: token, http: &http.Client{Timeout: 10 * time.Second}}
}

// do sends a request, with the admin token when admin is set, and returns
// the status and body.
func (c *client) do(method, path, body string, admin bool) (int, []byte) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.url+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if admin {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp.StatusCode, data
}
