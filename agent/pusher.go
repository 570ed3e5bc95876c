package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/VictoriaMetrics/metrics"

	"github.com/heimnetz/heimnetz/agent/internal/config"
	"github.com/heimnetz/heimnetz/agent/internal/core"
	"github.com/heimnetz/heimnetz/agent/internal/push"
	"github.com/heimnetz/heimnetz/web"
)

// pushSource is what a push sends: the agent's rendering and web's own
// heimnetz_server_* families, as /metrics serves them.
func pushSource(m *core.Manager, srv *web.Server) []byte {
	text := m.MetricsText()
	buf := bytes.NewBuffer(append(make([]byte, 0, len(text)+8<<10), text...))
	srv.WriteServerMetrics(buf)
	return buf.Bytes()
}

// startPush starts pushing the agent's metrics as cfg says (see package
// push) and returns the function that stops it: that makes the pusher's
// one bounded last attempt to deliver and waits for it. With push off it
// starts nothing. The secret files are read here, once.
func startPush(cfg config.Push, m *core.Manager, srv *web.Server, set *metrics.Set, log *slog.Logger) (stop func(), err error) {
	if !cfg.Enabled() {
		return func() {}, nil
	}
	auth, err := push.LoadAuth(cfg.Username, cfg.PasswordFile, cfg.BearerTokenFile)
	if err != nil {
		return nil, err
	}
	labels, err := push.SortedLabels(cfg.Labels)
	if err != nil {
		return nil, fmt.Errorf("push labels: %w", err)
	}
	p, err := push.New(push.Options{
		URL: cfg.URL, Interval: time.Duration(cfg.Interval), Labels: labels, Auth: auth,
		Timeout: time.Duration(cfg.Timeout), QueueBytes: int(cfg.QueueBytes),
		Source: func() []byte { return pushSource(m, srv) }, Metrics: set, Log: log,
	})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		p.Run(ctx)
	}()
	log.Info("pushing metrics", "url", push.LoggedURL(cfg.URL), "interval", time.Duration(cfg.Interval).String(), "auth", auth.String(), "queue_bytes", int64(cfg.QueueBytes))
	return func() {
		cancel()
		select {
		case <-done:
		case <-time.After(push.ShutdownWait):
			// A request under way runs to its own timeout; the agent
			// stops without waiting longer for it.
			log.Warn("push: stopped waiting for the last delivery", "after", push.ShutdownWait.String())
		}
	}, nil
}
