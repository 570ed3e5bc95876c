package core

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/heimnetz/heimnetz/agent/internal/config"
	"github.com/heimnetz/heimnetz/board"
)

// TestWANProbeLoopback runs the configured probe against 127.0.0.1 in
// process: its first round's result reaches /metrics and the board that
// plugins read, and Stop ends it while it waits for the next round.
func TestWANProbeLoopback(t *testing.T) {
	h := newHarness(t, func(c *config.Config) {
		c.WANProbe = config.WANProbe{Target: "127.0.0.1", Interval: config.Duration(time.Minute), Count: 3, Timeout: config.Duration(time.Second)}
	})
	h.start()
	var got board.WANProbe
	waitFor(t, func() bool {
		var err error
		got, err = h.m.board.WANProbe()
		return err == nil
	}, "the first probe round")
	if got.Reason != "" && strings.Contains(got.Reason, board.ErrNoICMPPermission.Error()) {
		t.Skip(got.Reason)
	}
	if !got.Up || got.Sent != 3 || got.Received != 3 || got.SentTotal != 3 || got.LossRatio != 0 || got.Target != "127.0.0.1" || !(got.RTTAvg > 0) {
		t.Fatalf("probe of 127.0.0.1 = %+v, want 3 of 3 replies", got)
	}
	h.wantMetric("heimnetz_wan_probe_up 1")
	h.wantMetric("heimnetz_wan_probe_sent_total 3")
	h.wantMetric("heimnetz_wan_probe_received_total 3")
	h.wantMetric("heimnetz_wan_probe_loss_ratio 0")
	done := make(chan struct{})
	go func() { h.m.Stop(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Stop did not end the probe waiting for its next round")
	}
}

// TestWANProbeRound follows the results of rounds that lose replies,
// cannot resolve, or cannot send.
func TestWANProbeRound(t *testing.T) {
	h := newHarness(t, nil)
	p := &wanProber{cfg: config.WANProbe{Target: "uplink.test", Count: 4, Timeout: config.Duration(time.Second)}, m: h.m}
	p.register(h.m.metrics)
	addr := netip.MustParseAddr("192.0.2.1")
	var (
		res     board.PingResult
		pingErr error
		resErr  error
	)
	p.resolve = func(context.Context, string) (netip.Addr, error) { return addr, resErr }
	p.ping = func(_ context.Context, a netip.Addr, count int, _ time.Duration) (board.PingResult, error) {
		if a != addr || count != 4 {
			t.Errorf("ping(%v, %d), want %v and 4", a, count, addr)
		}
		return res, pingErr
	}
	tests := []struct {
		name      string
		res       board.PingResult
		pingErr   error
		resErr    error
		up        bool
		loss      float64
		sent, rcv uint64
		reason    string
		metrics   []string
	}{
		{name: "half lost", res: board.PingResult{Sent: 4, Received: 2, RTTLast: 0.02, RTTAvg: 0.015, RTTMin: 0.01, RTTMax: 0.02},
			up: true, loss: 0.5, sent: 4, rcv: 2,
			metrics: []string{"heimnetz_wan_probe_up 1", "heimnetz_wan_probe_loss_ratio 0.5", `heimnetz_wan_probe_rtt_seconds{stat="avg"} 0.015`, "heimnetz_wan_probe_sent_total 4"}},
		{name: "all lost", res: board.PingResult{Sent: 4}, loss: 1, sent: 8, rcv: 2,
			metrics: []string{"heimnetz_wan_probe_up 0", "heimnetz_wan_probe_loss_ratio 1", `heimnetz_wan_probe_rtt_seconds{stat="avg"} NaN`, "heimnetz_wan_probe_received_total 2"}},
		{name: "name does not resolve", resErr: errors.New("resolve uplink.test: no such host"), loss: 1, sent: 8, rcv: 2,
			reason: "resolve uplink.test: no such host", metrics: []string{"heimnetz_wan_probe_up 0"}},
		{name: "no permission", pingErr: board.ErrNoICMPPermission, loss: 1, sent: 8, rcv: 2,
			reason: board.ErrNoICMPPermission.Error(), metrics: []string{"heimnetz_wan_probe_sent_total 8"}},
	}
	for _, tt := range tests {
		res, pingErr, resErr = tt.res, tt.pingErr, tt.resErr
		p.round(context.Background())
		got, err := h.m.board.WANProbe()
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got.Up != tt.up || got.LossRatio != tt.loss || got.SentTotal != tt.sent || got.ReceivedTotal != tt.rcv || got.Reason != tt.reason {
			t.Errorf("%s: %+v, want up %v, loss %v, totals %d/%d, reason %q", tt.name, got, tt.up, tt.loss, tt.sent, tt.rcv, tt.reason)
		}
		for _, line := range tt.metrics {
			h.wantMetric(line)
		}
	}
}

// TestWANProbeOff: without a target no probe runs and plugins get the
// reason.
func TestWANProbeOff(t *testing.T) {
	h := newHarness(t, nil)
	h.start()
	if h.m.probe != nil {
		t.Fatal("a probe runs without a target")
	}
	if _, err := h.m.board.WANProbe(); !errors.Is(err, board.ErrNoWANProbe) {
		t.Errorf("WANProbe() error = %v, want ErrNoWANProbe", err)
	}
	if strings.Contains(h.metrics(), "heimnetz_wan_probe") {
		t.Error("/metrics has probe series without a probe")
	}
}
