package push

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	vm "github.com/VictoriaMetrics/metrics"
	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttputil"
)

// fakeClock moves only when the test advances it; every After call is
// announced on asked, so a test steps the pusher's loop wait by wait.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []fakeWaiter
	asked   chan time.Duration
}

type fakeWaiter struct {
	at time.Time
	ch chan time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), asked: make(chan time.Duration, 1000)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now
	} else {
		c.waiters = append(c.waiters, fakeWaiter{at: c.now.Add(d), ch: ch})
	}
	c.asked <- d
	return ch
}

// Advance moves the clock by d and fires the waits whose time has come.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if w.at.After(c.now) {
			kept = append(kept, w)
			continue
		}
		w.ch <- c.now
	}
	c.waiters = kept
}

// next returns the pusher's next wait.
func (c *fakeClock) next(t *testing.T) time.Duration {
	t.Helper()
	select {
	case d := <-c.asked:
		return d
	case <-time.After(10 * time.Second):
		t.Fatal("the pusher did not wait on the clock")
		return 0
	}
}

// receiver is an in-memory endpoint that records what it is sent and
// answers with status (settable while it runs).
type receiver struct {
	mu       sync.Mutex
	status   int
	requests []received
	ln       *fasthttputil.InmemoryListener
}

type received struct {
	header map[string]string
	body   string // decompressed
	path   string
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{status: fasthttp.StatusNoContent, ln: fasthttputil.NewInmemoryListener()}
	srv := &fasthttp.Server{Handler: r.handle}
	go srv.Serve(r.ln) //nolint:errcheck // ends when the listener closes
	t.Cleanup(func() { r.ln.Close() })
	return r
}

func (r *receiver) handle(ctx *fasthttp.RequestCtx) {
	got := received{header: map[string]string{}, path: string(ctx.Path())}
	for _, h := range []string{"Content-Encoding", "Content-Type", "Authorization", "User-Agent"} {
		got.header[h] = string(ctx.Request.Header.Peek(h))
	}
	zr, err := gzip.NewReader(bytes.NewReader(ctx.Request.Body()))
	if err == nil {
		b, err2 := io.ReadAll(zr)
		err = err2
		got.body = string(b)
	}
	if err != nil {
		got.body = "not gzip: " + err.Error()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests = append(r.requests, got)
	ctx.SetStatusCode(r.status)
	if r.status >= 400 {
		ctx.SetBodyString("cannot parse line")
	}
}

func (r *receiver) setStatus(s int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.status = s
}

func (r *receiver) got() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.requests...)
}

func (r *receiver) dial(string) (net.Conn, error) { return r.ln.Dial() }

// newTestPusher returns a pusher of the source text to r on clk.
func newTestPusher(t *testing.T, r *receiver, clk *fakeClock, edit func(*Options)) (*Pusher, *vm.Set) {
	t.Helper()
	set := vm.NewSet()
	n := 0
	opts := Options{
		URL: "http://vm.test:8428/api/v1/import/prometheus", Interval: 30 * time.Second,
		Labels: []Label{{"instance", "router-1"}, {"site", "home"}}, Timeout: 5 * time.Second,
		QueueBytes: 1 << 20, Metrics: set, Clock: clk, Dial: r.dial, Jitter: func() float64 { return 1 },
		Source: func() []byte {
			n++
			return []byte("# TYPE heimnetz_runs counter\nheimnetz_runs{plugin=\"cpu\"} " + strings.Repeat("1", n%9+1) + "\n")
		},
	}
	if edit != nil {
		edit(&opts)
	}
	p, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return p, set
}

// metricValue returns the value of a series of set as text.
func metricValue(set *vm.Set, name string) string {
	var b bytes.Buffer
	set.WritePrometheus(&b)
	for line := range strings.Lines(b.String()) {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// TestPushBatch: one batch arrives gzipped with the labels, the
// collection time and the auth header.
func TestPushBatch(t *testing.T) {
	dir := t.TempDir()
	pw := filepath.Join(dir, "pw")
	if err := os.WriteFile(pw, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	auth, err := LoadAuth("router-1", pw, "")
	if err != nil {
		t.Fatal(err)
	}
	if auth.String() != "basic" {
		t.Errorf("Auth.String() = %q, want basic (never the secret)", auth)
	}
	r := newReceiver(t)
	clk := newFakeClock()
	p, set := newTestPusher(t, r, clk, func(o *Options) { o.Auth = auth })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { p.Run(ctx); close(done) }()
	if d := clk.next(t); d != 30*time.Second {
		t.Fatalf("first wait %v, want the interval after an at-once collection", d)
	}
	reqs := r.got()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	want := `heimnetz_runs{plugin="cpu",instance="router-1",site="home"} 11 1767323045000` + "\n"
	if reqs[0].body != want {
		t.Errorf("body %q, want %q", reqs[0].body, want)
	}
	for h, v := range map[string]string{"Content-Encoding": "gzip", "Authorization": "Basic cm91dGVyLTE6czNjcmV0", "Content-Type": "text/plain; version=0.0.4"} {
		if reqs[0].header[h] != v {
			t.Errorf("header %s = %q, want %q", h, reqs[0].header[h], v)
		}
	}
	if reqs[0].path != "/api/v1/import/prometheus" || !strings.HasPrefix(reqs[0].header["User-Agent"], "heimnetz/") {
		t.Errorf("path %q, user agent %q", reqs[0].path, reqs[0].header["User-Agent"])
	}
	if v := metricValue(set, "heimnetz_push_samples_total"); v != "1" {
		t.Errorf("heimnetz_push_samples_total %s, want 1", v)
	}
	if v := metricValue(set, "heimnetz_push_last_success_timestamp_seconds"); v != "1767323045" {
		t.Errorf("heimnetz_push_last_success_timestamp_seconds %s, want 1767323045", v)
	}
	cancel()
	<-done
	// The last flush at shutdown sends one more batch.
	if n := len(r.got()); n != 2 {
		t.Errorf("%d requests after shutdown, want 2 (the last flush)", n)
	}
}

func TestBearerAuth(t *testing.T) {
	tok := filepath.Join(t.TempDir(), "token")
	os.WriteFile(tok, []byte("abc.def\r\nignored\n"), 0o600)
	auth, err := LoadAuth("", "", tok)
	if err != nil || auth.header != "Bearer abc.def" || auth.String() != "bearer" {
		t.Errorf("LoadAuth bearer = %q (%v), want Bearer abc.def", auth.header, err)
	}
	for _, c := range []struct{ user, pw, tok string }{{"u", "", ""}, {"", tok, ""}, {"u", tok, tok}, {"", "", "/nonexistent"}} {
		if _, err := LoadAuth(c.user, c.pw, c.tok); err == nil {
			t.Errorf("LoadAuth(%q, %q, %q): no error", c.user, c.pw, c.tok)
		} else if strings.Contains(err.Error(), "abc.def") {
			t.Errorf("error shows the secret: %v", err)
		}
	}
	empty := filepath.Join(t.TempDir(), "empty")
	os.WriteFile(empty, []byte("\n"), 0o600)
	if _, err := LoadAuth("", "", empty); err == nil {
		t.Error("an empty token file was accepted")
	}
}

// lockedBuffer is a log the pusher writes while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// run starts p and returns a function that stops it and waits.
func run(p *Pusher) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { p.Run(ctx); close(done) }()
	return func() { cancel(); <-done }
}

// TestBackoffOn5xx: a failing endpoint is retried after 1s, 2s, 4s, …
// capped at 2m, while batches keep being taken every interval; once it
// answers again the backlog goes out oldest first.
func TestBackoffOn5xx(t *testing.T) {
	r := newReceiver(t)
	r.setStatus(fasthttp.StatusServiceUnavailable)
	clk := newFakeClock()
	p, set := newTestPusher(t, r, clk, func(o *Options) { o.Interval = time.Hour })
	stop := run(p)
	var waits []time.Duration
	for i := range 10 {
		d := clk.next(t)
		waits = append(waits, d)
		if i < 9 {
			clk.Advance(d)
		}
	}
	want := []time.Duration{1, 2, 4, 8, 16, 32, 64, 120, 120, 120}
	for i := range want {
		if waits[i] != want[i]*time.Second {
			t.Fatalf("waits %v, want %v seconds", waits, want)
		}
	}
	if n := len(r.got()); n != 10 {
		t.Errorf("%d requests, want 10 (the first and 9 retries)", n)
	}
	if v := metricValue(set, "heimnetz_push_failures_total"); v != "10" {
		t.Errorf("heimnetz_push_failures_total %s, want 10", v)
	}
	// The endpoint is back: the 11th attempt delivers, and the next wait
	// is for the hour's next batch (1+2+…+120·3 = 487 s are gone).
	r.setStatus(fasthttp.StatusNoContent)
	clk.Advance(waits[9])
	if d := clk.next(t); d != time.Hour-487*time.Second {
		t.Fatalf("wait %v after recovery, want until the next batch", d)
	}
	if v := metricValue(set, "heimnetz_push_samples_total"); v != "1" {
		t.Errorf("after recovery heimnetz_push_samples_total %s, want 1", v)
	}
	if v := metricValue(set, "heimnetz_push_queue_bytes"); v != "0" {
		t.Errorf("queue %s bytes after delivery, want 0", v)
	}
	stop()
}

// TestRejected4xx: a 400 drops the batch (counted as dropped samples and a
// failure) and is not retried; 429 is retried.
func TestRejected4xx(t *testing.T) {
	r := newReceiver(t)
	r.setStatus(fasthttp.StatusBadRequest)
	clk := newFakeClock()
	logs := &lockedBuffer{}
	p, set := newTestPusher(t, r, clk, func(o *Options) {
		o.Log = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	})
	stop := run(p)
	if d := clk.next(t); d != 30*time.Second {
		t.Fatalf("after a 400 the pusher waits %v, want the interval (no retry)", d)
	}
	clk.Advance(30 * time.Second) // a second 400: dropped, not logged again
	if d := clk.next(t); d != 30*time.Second {
		t.Fatalf("after a 400 the pusher waits %v, want the interval (no retry)", d)
	}
	if v := metricValue(set, "heimnetz_push_dropped_samples_total"); v != "2" {
		t.Errorf("dropped %s, want 2", v)
	}
	if v := metricValue(set, "heimnetz_push_failures_total"); v != "2" {
		t.Errorf("failures %s, want 2", v)
	}
	if n := strings.Count(logs.String(), "refused a batch"); n != 1 || !strings.Contains(logs.String(), "status=400") || !strings.Contains(logs.String(), "cannot parse line") {
		t.Errorf("want one warning with the status and the answer, got %d:\n%s", n, logs)
	}
	r.setStatus(fasthttp.StatusTooManyRequests)
	clk.Advance(30 * time.Second)
	if d := clk.next(t); d != time.Second {
		t.Fatalf("after a 429 the pusher waits %v, want the first back-off (1s)", d)
	}
	stop()
	if v := metricValue(set, "heimnetz_push_dropped_samples_total"); v != "2" {
		t.Errorf("dropped %s after a 429, want still 2", v)
	}
}

// TestOutageQueueBound: through a long outage (connection refused) the
// queue stays within its bound, drops the oldest batches and counts
// their samples; afterwards the newest batches arrive, oldest first, in
// requests of at most MaxRequestBytes.
func TestOutageQueueBound(t *testing.T) {
	r := newReceiver(t)
	down := true
	var mu sync.Mutex
	dial := func(addr string) (net.Conn, error) {
		mu.Lock()
		defer mu.Unlock()
		if down {
			return nil, &net.OpError{Op: "dial", Err: os.ErrDeadlineExceeded}
		}
		return r.ln.Dial()
	}
	clk := newFakeClock()
	const bound = 4 << 10
	body := []byte(strings.Repeat("heimnetz_x{plugin=\"p\",n=\"0123456789\"} 1\n", 50))
	p, set := newTestPusher(t, r, clk, func(o *Options) {
		o.Interval = time.Second
		o.QueueBytes = bound
		o.Dial = dial
		o.Source = func() []byte { return body }
	})
	stop := run(p)
	maxQueued := 0.0
	for range 600 { // ten minutes of one-second batches
		d := clk.next(t)
		var q float64
		if _, err := fmtSscan(metricValue(set, "heimnetz_push_queue_bytes"), &q); err != nil {
			t.Fatal(err)
		}
		maxQueued = max(maxQueued, q)
		clk.Advance(d)
	}
	d := clk.next(t)
	queued := len(p.queue.batches) // read only while the loop waits
	if maxQueued > bound || maxQueued < bound/2 {
		t.Errorf("queue peaked at %v bytes, want near but never above %d", maxQueued, bound)
	}
	dropped := metricValue(set, "heimnetz_push_dropped_samples_total")
	if dropped == "" || dropped == "0" {
		t.Fatal("nothing counted as dropped")
	}
	mu.Lock()
	down = false
	mu.Unlock()
	clk.Advance(d)
	// Step until the backlog is out.
	for range 50 {
		d := clk.next(t)
		if metricValue(set, "heimnetz_push_queue_bytes") == "0" {
			break
		}
		clk.Advance(d)
	}
	stop()
	reqs := r.got()
	got := 0
	var last string
	for _, req := range reqs {
		got += strings.Count(req.body, "\n")
		for line := range strings.Lines(req.body) {
			ts := line[strings.LastIndexByte(line[:len(line)-1], ' ')+1:]
			if ts < last {
				t.Fatalf("timestamps out of order: %s after %s", ts, last)
			}
			last = ts
		}
	}
	if got < queued*50 {
		t.Errorf("%d samples arrived, want at least the %d queued", got, queued*50)
	}
	t.Logf("bound %d B, peak %v B, %d batches queued at the end of the outage, dropped %s samples, %d requests after it",
		bound, maxQueued, queued, dropped, len(reqs))
}

func fmtSscan(s string, v *float64) (int, error) { return fmt.Sscan(s, v) }
