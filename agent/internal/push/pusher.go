package push

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync/atomic"
	"time"

	vm "github.com/VictoriaMetrics/metrics"
	"github.com/valyala/fasthttp"

	"github.com/heimnetz/heimnetz/agent/buildinfo"
	"github.com/heimnetz/heimnetz/limits/oneline"
	"github.com/heimnetz/heimnetz/web/fixedgzip"
)

// Retry and request bounds.
const (
	// MinBackoff and MaxBackoff bound the wait before a retry (before
	// jitter, which takes up to half of it away).
	MinBackoff = time.Second
	MaxBackoff = 2 * time.Minute
	// MaxRequestBytes bounds one request's body: the backlog after an
	// outage goes out in requests of about this size (whole batches,
	// oldest first; a single larger batch goes alone).
	MaxRequestBytes = 256 << 10
	// maxFlush bounds the last attempt to deliver at shutdown.
	maxFlush = 5 * time.Second
	// ShutdownWait is how long a caller should wait for Run to return
	// after cancelling it: a request under way when the context ends
	// still runs to its own deadline (fasthttp's client takes no context),
	// then the last attempt takes at most 5 s.
	ShutdownWait = 6 * time.Second
	// maxIdle bounds how long an idle connection to the endpoint is kept.
	maxIdle = 15 * time.Second
	// maxResponseBytes bounds what is read of an answer.
	maxResponseBytes = 64 << 10
)

// Clock is the time a Pusher takes batches and waits by; the agent's
// core.Clock fits it.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time                         { return time.Now() }
func (systemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Options configure a Pusher.
type Options struct {
	// URL is the endpoint (CheckURL), such as
	// http://host:8428/api/v1/import/prometheus.
	URL string
	// Interval between collections.
	Interval time.Duration
	// Labels are added to every sample (SortedLabels).
	Labels []Label
	// Auth is the Authorization header (LoadAuth).
	Auth Auth
	// Timeout bounds one request.
	Timeout time.Duration
	// QueueBytes bounds the undelivered batches, in compressed bytes.
	QueueBytes int
	// Source returns the agent's current exposition (Prometheus text
	// format); the pusher does not keep or modify it.
	Source func() []byte
	// Metrics receives the heimnetz_push_* series; nil makes a set of its
	// own.
	Metrics *vm.Set
	// Log receives failures and recoveries; nil discards them.
	Log *slog.Logger
	// Clock; nil is the system clock.
	Clock Clock
	// Dial replaces TCP dialing (tests); nil dials TCP.
	Dial fasthttp.DialFunc
	// Jitter returns numbers in [0, 1) for the back-off; nil is
	// math/rand/v2.
	Jitter func() float64

	tls tlsOptions // the https build's roots (tests trust their own)
}

// Pusher takes the agent's metrics every interval and delivers them to
// the endpoint, queueing what could not be delivered. Run it once.
type Pusher struct {
	opts    Options
	client  *fasthttp.Client
	clock   Clock
	log     *slog.Logger
	backoff backoff
	queue   queue

	lines, gz, body []byte // scratch buffers kept between batches

	samples, failures, dropped, badLines *vm.Counter
	queueBytes                           atomic.Int64
	lastSuccess                          atomic.Int64 // Unix ms; 0: never
	failing                              bool         // the last attempt failed (logged once per outage)
	rejecting                            int          // status of the last refusal in a row (logged once per streak)
}

// New returns a Pusher; it does nothing until Run.
func New(opts Options) (*Pusher, error) {
	if err := CheckURL(opts.URL); err != nil {
		return nil, fmt.Errorf("push url: %w", err)
	}
	switch {
	case opts.Interval <= 0:
		return nil, fmt.Errorf("push interval %s: must be positive", opts.Interval)
	case opts.Timeout <= 0:
		return nil, fmt.Errorf("push timeout %s: must be positive", opts.Timeout)
	case opts.QueueBytes <= 0:
		return nil, fmt.Errorf("push queue_bytes %d: must be positive", opts.QueueBytes)
	case opts.Source == nil:
		return nil, fmt.Errorf("push: no source of metrics")
	case len(opts.Labels) > MaxLabels:
		return nil, fmt.Errorf("push: %d labels, at most %d", len(opts.Labels), MaxLabels)
	}
	for _, l := range opts.Labels {
		if err := CheckLabel(l.Name, l.Value); err != nil {
			return nil, fmt.Errorf("push labels: %w", err)
		}
	}
	if opts.Metrics == nil {
		opts.Metrics = vm.NewSet()
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Clock == nil {
		opts.Clock = systemClock{}
	}
	if opts.Jitter == nil {
		opts.Jitter = rand.Float64
	}
	p := &Pusher{
		opts:  opts,
		clock: opts.Clock,
		log:   opts.Log,
		client: &fasthttp.Client{
			Name:            "heimnetz/" + buildinfo.Version,
			Dial:            opts.Dial,
			ReadTimeout:     opts.Timeout,
			WriteTimeout:    opts.Timeout,
			MaxConnsPerHost: 1,
			// Keep the connection between batches only when they come
			// often: an idle TCP connection through NAT or a VPN may be
			// dropped silently, and a POST on it is not retried.
			MaxIdleConnDuration:    min(opts.Interval+opts.Timeout, maxIdle),
			MaxResponseBodySize:    maxResponseBytes,
			DisablePathNormalizing: true,
		},
		backoff: backoff{Min: MinBackoff, Max: MaxBackoff, Jitter: opts.Jitter},
		queue:   queue{limit: opts.QueueBytes},
	}
	opts.tls.apply(p.client)
	s := opts.Metrics
	p.samples = s.GetOrCreateCounter("heimnetz_push_samples_total")
	p.failures = s.GetOrCreateCounter("heimnetz_push_failures_total")
	p.dropped = s.GetOrCreateCounter("heimnetz_push_dropped_samples_total")
	p.badLines = s.GetOrCreateCounter("heimnetz_push_unreadable_lines_total")
	s.GetOrCreateGauge("heimnetz_push_queue_bytes", func() float64 { return float64(p.queueBytes.Load()) })
	s.GetOrCreateGauge("heimnetz_push_last_success_timestamp_seconds", func() float64 {
		return float64(p.lastSuccess.Load()) / 1000
	})
	return p, nil
}

// Run takes a batch every interval (the first at once) and delivers the
// queue, until ctx is done; then it takes a last batch and makes one
// bounded attempt (at most the request timeout, and 5 s) to deliver what
// is queued, and returns.
func (p *Pusher) Run(ctx context.Context) {
	next := p.clock.Now()
	var retryAt time.Time
	for {
		now := p.clock.Now()
		if !now.Before(next) {
			p.collect(now)
			next = next.Add(p.opts.Interval)
			if !next.After(now) { // missed collections are not made up
				next = now.Add(p.opts.Interval)
			}
		}
		if len(p.queue.batches) > 0 && !now.Before(retryAt) {
			if p.sendChunk(time.Now().Add(p.opts.Timeout)) {
				retryAt = time.Time{}
			} else {
				retryAt = p.clock.Now().Add(p.backoff.next())
			}
		}
		now = p.clock.Now()
		wait := next.Sub(now)
		if len(p.queue.batches) > 0 {
			wait = min(wait, retryAt.Sub(now))
		}
		select {
		case <-ctx.Done():
			p.flush()
			return
		case <-p.clock.After(wait):
		}
	}
}

// flush takes a last batch and sends the queue until it is empty, a
// request fails or the flush's time is up.
func (p *Pusher) flush() {
	p.collect(p.clock.Now())
	deadline := time.Now().Add(min(p.opts.Timeout, maxFlush))
	for len(p.queue.batches) > 0 && time.Now().Before(deadline) {
		if !p.sendChunk(deadline) {
			break
		}
	}
	if n := len(p.queue.batches); n > 0 {
		lost := 0
		for _, b := range p.queue.batches {
			lost += b.samples
		}
		p.log.Warn("push: undelivered at shutdown", "batches", n, "samples", lost)
	}
}

// collect takes one batch at now and queues it.
func (p *Pusher) collect(now time.Time) {
	var n, bad int
	p.lines, n, bad = appendSamples(p.lines[:0], p.opts.Source(), p.opts.Labels, now.UnixMilli())
	if bad > 0 {
		p.badLines.Add(bad)
	}
	if n == 0 {
		return
	}
	p.gz = fixedgzip.Append(p.gz[:0], p.lines)
	b := batch{gz: append(make([]byte, 0, len(p.gz)), p.gz...), samples: n, at: now}
	if cap(p.lines) > 1<<20 { // an unusually large exposition: do not keep its buffer
		p.lines = nil
	}
	if d := p.queue.add(b); d > 0 {
		p.dropped.Add(d)
		p.log.Debug("push: queue full, oldest samples dropped", "samples", d, "queue_bytes", p.opts.QueueBytes)
	}
	p.queueBytes.Store(int64(p.queue.bytes))
}

// outcome is what one request's answer means for its batches.
type outcome int

const (
	delivered outcome = iota
	retry             // 5xx, 408, 429, time-out, connection error
	rejected          // any other answer: it would never be accepted
)

// sendChunk sends the oldest batches in one request due by deadline,
// and reports whether the queue moved on (delivered, or rejected and
// dropped).
func (p *Pusher) sendChunk(deadline time.Time) bool {
	n, samples := p.queue.chunk(MaxRequestBytes)
	body := p.queue.batches[0].gz
	if n > 1 {
		p.body = p.body[:0]
		for _, b := range p.queue.batches[:n] {
			p.body = append(p.body, b.gz...) // gzip members concatenate into one stream
		}
		body = p.body
	}
	res, status, detail := p.post(body, deadline)
	if cap(p.body) > 2*MaxRequestBytes {
		p.body = nil
	}
	switch res {
	case delivered:
		p.queue.drop(n)
		p.samples.Add(samples)
		p.lastSuccess.Store(p.clock.Now().UnixMilli())
		p.backoff.reset()
		p.rejecting = 0
		if p.failing {
			p.failing = false
			p.log.Info("push: delivering again", "url", LoggedURL(p.opts.URL))
		}
	case rejected:
		p.queue.drop(n)
		p.failures.Inc()
		p.dropped.Add(samples)
		level := slog.LevelWarn
		if p.rejecting == status {
			level = slog.LevelDebug // the same refusal again: said already
		}
		p.rejecting = status
		p.log.Log(context.Background(), level, "push: endpoint refused a batch; dropped", "url", LoggedURL(p.opts.URL), "status", status, "samples", samples, "answer", detail)
	default:
		p.failures.Inc()
		if !p.failing {
			p.failing = true
			p.log.Warn("push: delivery failed; retrying with back-off", "url", LoggedURL(p.opts.URL), "status", status, "err", detail)
		}
	}
	p.queueBytes.Store(int64(p.queue.bytes))
	return res != retry
}

// post sends body and classifies the answer; detail is the error or the
// start of the answer's body, one cleaned line.
func (p *Pusher) post(body []byte, deadline time.Time) (res outcome, status int, detail string) {
	req := fasthttp.AcquireRequest()
	resp := fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.SetRequestURI(p.opts.URL)
	req.Header.SetMethod(fasthttp.MethodPost)
	req.Header.SetContentType("text/plain; version=0.0.4")
	req.Header.Set(fasthttp.HeaderContentEncoding, "gzip")
	if p.opts.Auth.header != "" {
		req.Header.Set(fasthttp.HeaderAuthorization, p.opts.Auth.header)
	}
	req.SetBodyRaw(body)
	if err := p.client.DoDeadline(req, resp, deadline); err != nil {
		return retry, 0, oneline.Clean(err.Error(), 200)
	}
	status = resp.StatusCode()
	switch {
	case status >= 200 && status < 300:
		return delivered, status, ""
	case status >= 500, status == fasthttp.StatusTooManyRequests, status == fasthttp.StatusRequestTimeout:
		return retry, status, oneline.Clean(string(resp.Body()), 200)
	}
	return rejected, status, oneline.Clean(string(resp.Body()), 200)
}
