package config

import (
	"errors"
	"fmt"
	"time"

	"github.com/heimnetz/heimnetz/agent/internal/push"
	"github.com/heimnetz/heimnetz/limits"
)

// Push configures sending the agent's metrics to a remote
// Prometheus-compatible endpoint (see package push): every Interval the
// agent's /metrics content, stamped with the collection time and the
// owner's Labels, is POSTed gzipped to URL. Undelivered batches wait in
// RAM, at most QueueBytes of them. Secrets come from files (read once at
// start), never from this config.
type Push struct {
	// URL is where batches go, such as
	// http://192.168.1.10:8428/api/v1/import/prometheus; empty turns
	// push off. https only in a build with TLS.
	URL string `json:"url"`
	// Interval is how often the metrics are taken (1s to 1h).
	Interval Duration `json:"interval"`
	// Labels are added to every sample (instance, site, ...), replacing
	// a label of the same name the sample had. UCI: `list labels
	// 'site=home'`.
	Labels map[string]string `json:"labels"`
	// Username and PasswordFile are HTTP basic auth; the file's first
	// line is the password.
	Username     string `json:"username"`
	PasswordFile string `json:"password_file"`
	// BearerTokenFile holds a token sent as Authorization: Bearer.
	BearerTokenFile string `json:"bearer_token_file"`
	// QueueBytes bounds the undelivered batches kept in RAM (compressed
	// bytes); when full, the oldest are dropped.
	QueueBytes Size `json:"queue_bytes"`
	// Timeout bounds one request.
	Timeout Duration `json:"timeout"`
}

// Bounds of the push settings.
const (
	MinPushInterval   = time.Second
	MaxPushInterval   = time.Hour
	MinPushQueueBytes = 16 << 10
	MaxPushQueueBytes = 64 << 20
	MinPushTimeout    = 100 * time.Millisecond
	MaxPushTimeout    = 5 * time.Minute
)

// DefaultPush is push off, with the defaults that apply once a URL is set:
// every 30s, a 4 MiB queue (a batch of the agent's ~850 series with the
// bundled plugins is about 8 KB compressed: some 500 batches, 4 hours at
// 30s), 10s per request.
func DefaultPush() Push {
	return Push{
		Interval:   Duration(30 * time.Second),
		QueueBytes: Size(4 << 20),
		Timeout:    Duration(10 * time.Second),
	}
}

// Enabled reports whether push is on (a URL is set).
func (p Push) Enabled() bool { return p.URL != "" }

// Validate reports the first push setting the agent cannot run with,
// naming it; with no URL nothing else is checked.
func (p Push) Validate() error {
	if p.URL == "" {
		return nil
	}
	if err := push.CheckURL(p.URL); err != nil {
		return fmt.Errorf("config push.url: %w", err)
	}
	if d := time.Duration(p.Interval); d < MinPushInterval || d > MaxPushInterval {
		return fmt.Errorf("config push.interval: %s is outside %s..%s", d, MinPushInterval, MaxPushInterval)
	}
	if d := time.Duration(p.Timeout); d < MinPushTimeout || d > MaxPushTimeout {
		return fmt.Errorf("config push.timeout: %s is outside %s..%s", d, MinPushTimeout, MaxPushTimeout)
	}
	if p.QueueBytes < MinPushQueueBytes || p.QueueBytes > MaxPushQueueBytes {
		return fmt.Errorf("config push.queue_bytes: %s is outside 16KiB..64MiB", limits.FormatSize(int64(p.QueueBytes)))
	}
	if _, err := push.SortedLabels(p.Labels); err != nil {
		return fmt.Errorf("config push.labels: %w", err)
	}
	switch {
	case p.Username != "" && p.PasswordFile == "":
		return errors.New("config push.password_file: needed with push.username")
	case p.Username == "" && p.PasswordFile != "":
		return errors.New("config push.username: needed with push.password_file")
	case p.Username != "" && p.BearerTokenFile != "":
		return errors.New("config push.bearer_token_file: set either it or push.username, not both")
	}
	return nil
}
