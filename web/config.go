package web

import (
	"fmt"
	"log/slog"
	"time"
)

// Config is the web server's configuration. Zero fields take the values of
// DefaultConfig; flags, UCI and config files only fill this struct.
type Config struct {
	// Addr is the listen address for ListenAndServe, e.g. "192.168.1.1:9110".
	Addr string
	// DataDir holds the generated admin credentials (web-admin.json) and the
	// self-signed certificate (tls/). Empty: nothing is persisted, and
	// missing credentials are generated anew (and logged) on every start.
	DataDir string
	// TLS serves HTTPS with a self-signed ECDSA certificate that is
	// generated into DataDir/tls on first start.
	TLS bool
	// Hostnames are the names (besides "localhost", the listen address and
	// the IP addresses of the machine's interfaces) that the Host header of
	// a request may carry, e.g. "router.lan". Any other Host is answered
	// with 421 Misdirected Request on every route but /metrics and
	// /healthz: the defence against DNS rebinding (see host.go).
	Hostnames []string
	// TLSHosts are extra host names and IP addresses for the generated
	// certificate; the listen address, "localhost" and the hostname are
	// always included.
	TLSHosts []string

	// AdminPasswordHash is the admin password as produced by HashPassword.
	// Empty: one is generated on first start, stored hashed in DataDir and
	// printed to the log once.
	AdminPasswordHash string
	// AdminTokenHash is the API token as produced by HashToken. Empty: one is
	// generated like the password.
	AdminTokenHash string

	// Logger receives the server's log lines; nil means slog.Default().
	Logger *slog.Logger

	// HeaderTimeout bounds reading a request's whole header: from the
	// accept on a new connection, from the first byte after an idle wait on
	// a keep-alive one. A client that sends slower, or opens a connection
	// and sends nothing, is cut off (slowloris). A shorter ReadTimeout
	// lowers it. It also bounds an anonymous request's body.
	HeaderTimeout time.Duration
	// ReadTimeout bounds reading a request body, from the end of its header.
	ReadTimeout time.Duration
	// WriteTimeout bounds writing one response.
	WriteTimeout time.Duration
	// IdleTimeout bounds waiting for the next request on a keep-alive
	// connection.
	IdleTimeout time.Duration
	// MaxRequestBodySize is the largest request body accepted at all: a
	// plugin package upload, read only from a request with admin
	// credentials. Other bodies are limited to MaxFormSize (login: 4 KiB;
	// routes without a body: none). See body.go.
	MaxRequestBodySize int
	// MaxFormSize is the largest JSON or form body for everything but
	// plugin uploads.
	MaxFormSize int
	// MaxBodyMemory caps the request body bytes held by all requests being
	// served together (reserved by announced length before a body is
	// read); requests without admin credentials may hold a quarter of it.
	// A request that does not fit gets 503 with Retry-After.
	MaxBodyMemory int
	// Concurrency is the maximum number of connections served at once:
	// when all are taken, a new connection displaces an idle or half-open
	// one of the address holding the most, if that address holds more
	// than the newcomer's (see conngate.go); otherwise it is refused.
	Concurrency int
	// MaxConnsPerIP is the maximum number of connections from one address
	// (IPv6: from one /64).
	MaxConnsPerIP int
	// ReadBufferSize is the per-connection read buffer, which also caps the
	// size of the request headers.
	ReadBufferSize int
	// ReduceMemoryUsage releases buffers of idle connections at some CPU
	// cost; on for small routers.
	ReduceMemoryUsage bool

	// SessionIdle ends a session unused for this long.
	SessionIdle time.Duration
	// SessionMax ends a session this long after login regardless of use.
	SessionMax time.Duration
	// MaxSessions bounds the session store; the least recently used session
	// is dropped when a new login would exceed it.
	MaxSessions int

	// LoginBurst is how many login attempts one client address may make at
	// once; LoginRefill is how often it earns one more.
	LoginBurst  int
	LoginRefill time.Duration

	// HistoryInterval is how often the chart history samples the backend;
	// HistoryPoints is how many samples each chart keeps.
	HistoryInterval time.Duration
	HistoryPoints   int
}

// DefaultConfig returns the defaults: loopback on port 9110, timeouts that
// cut off slow clients within seconds, and limits sized for a router with
// 128 MiB of RAM that must still take 1000 connections at once.
func DefaultConfig() Config {
	return Config{
		Addr:               "127.0.0.1:9110",
		HeaderTimeout:      3 * time.Second,
		ReadTimeout:        10 * time.Second,
		WriteTimeout:       10 * time.Second,
		IdleTimeout:        60 * time.Second,
		MaxRequestBodySize: 1 << 20,
		MaxFormSize:        64 << 10,
		MaxBodyMemory:      4 << 20,
		Concurrency:        1024,
		MaxConnsPerIP:      512,
		ReadBufferSize:     8 << 10,
		ReduceMemoryUsage:  true,
		SessionIdle:        12 * time.Hour,
		SessionMax:         7 * 24 * time.Hour,
		MaxSessions:        64,
		LoginBurst:         5,
		LoginRefill:        12 * time.Second,
		HistoryInterval:    15 * time.Second,
		HistoryPoints:      240,
	}
}

// withDefaults returns c with every zero field set from DefaultConfig.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	setDefault(&c.Addr, d.Addr)
	setDefault(&c.HeaderTimeout, d.HeaderTimeout)
	setDefault(&c.ReadTimeout, d.ReadTimeout)
	if c.ReadTimeout < c.HeaderTimeout {
		c.HeaderTimeout = c.ReadTimeout
	}
	setDefault(&c.WriteTimeout, d.WriteTimeout)
	setDefault(&c.IdleTimeout, d.IdleTimeout)
	setDefault(&c.MaxRequestBodySize, d.MaxRequestBodySize)
	setDefault(&c.MaxFormSize, d.MaxFormSize)
	setDefault(&c.MaxBodyMemory, d.MaxBodyMemory)
	setDefault(&c.Concurrency, d.Concurrency)
	setDefault(&c.MaxConnsPerIP, d.MaxConnsPerIP)
	c.MaxConnsPerIP = min(c.MaxConnsPerIP, c.Concurrency)
	setDefault(&c.ReadBufferSize, d.ReadBufferSize)
	setDefault(&c.SessionIdle, d.SessionIdle)
	setDefault(&c.SessionMax, d.SessionMax)
	setDefault(&c.MaxSessions, d.MaxSessions)
	setDefault(&c.LoginBurst, d.LoginBurst)
	setDefault(&c.LoginRefill, d.LoginRefill)
	setDefault(&c.HistoryInterval, d.HistoryInterval)
	setDefault(&c.HistoryPoints, d.HistoryPoints)
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

func setDefault[T comparable](field *T, def T) {
	var zero T
	if *field == zero {
		*field = def
	}
}

// validate reports the first field with an unusable value, by name.
func (c Config) validate() error {
	switch {
	case c.HeaderTimeout < 0, c.ReadTimeout < 0, c.WriteTimeout < 0, c.IdleTimeout < 0:
		return fmt.Errorf("web config: timeouts must not be negative")
	case c.MaxFormSize > c.MaxRequestBodySize:
		return fmt.Errorf("web config: MaxFormSize (%d) exceeds MaxRequestBodySize (%d)", c.MaxFormSize, c.MaxRequestBodySize)
	case c.MaxBodyMemory < c.MaxRequestBodySize:
		return fmt.Errorf("web config: MaxBodyMemory (%d) is below MaxRequestBodySize (%d)", c.MaxBodyMemory, c.MaxRequestBodySize)
	case c.ReadBufferSize < 1024:
		return fmt.Errorf("web config: ReadBufferSize %d is below 1024", c.ReadBufferSize)
	case c.MaxSessions < 1:
		return fmt.Errorf("web config: MaxSessions %d is below 1", c.MaxSessions)
	case c.HistoryPoints < 2 || c.HistoryPoints > 10000:
		return fmt.Errorf("web config: HistoryPoints %d is outside 2..10000", c.HistoryPoints)
	case c.TLS && c.DataDir == "":
		return fmt.Errorf("web config: TLS needs DataDir for the generated certificate")
	}
	return nil
}
