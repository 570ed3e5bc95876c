package core

import (
	"context"
	"fmt"
	"math"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	vm "github.com/VictoriaMetrics/metrics"

	"github.com/heimnetz/heimnetz/agent/internal/config"
	"github.com/heimnetz/heimnetz/board"
)

// wanProber runs the owner's ICMP echo probe of the uplink
// (config.WANProbe): a round every interval, whose result goes to the
// agent's metrics and, through the board, to plugins (board.wan_probe).
type wanProber struct {
	cfg   config.WANProbe
	m     *Manager
	last  atomic.Pointer[board.WANProbe]
	sent  *vm.Counter
	recvd *vm.Counter
	// ping sends one round; tests replace it.
	ping func(ctx context.Context, addr netip.Addr, count int, timeout time.Duration) (board.PingResult, error)
	// resolve turns the target into an address; tests replace it.
	resolve func(ctx context.Context, target string) (netip.Addr, error)

	cancel context.CancelFunc
	done   sync.WaitGroup
	// roundStart is when the latest round started: what /healthz's stall
	// check measures from (health.go).
	roundStart atomic.Pointer[time.Time]
}

// startWANProbe starts the probe when the config names a target; it runs
// until ctx ends or stopWANProbe.
func (m *Manager) startWANProbe(ctx context.Context) {
	cfg := m.cfg.WANProbe
	if cfg.Target == "" || m.probe != nil {
		return
	}
	p := &wanProber{cfg: cfg, m: m, ping: board.Ping, resolve: resolveTarget}
	p.register(m.metrics)
	ctx, p.cancel = context.WithCancel(ctx)
	m.probe = p
	p.done.Add(1)
	go func() {
		defer p.done.Done()
		p.loop(ctx)
	}()
	m.log.Info("WAN probe started", "target", cfg.Target, "interval", time.Duration(cfg.Interval), "count", cfg.Count)
}

// stopWANProbe ends the probe and waits for its round to end.
func (m *Manager) stopWANProbe() {
	if m.probe == nil {
		return
	}
	m.probe.cancel()
	m.probe.done.Wait()
}

// register adds the probe's series to the agent's set.
func (p *wanProber) register(s *vm.Set) {
	p.sent = s.NewCounter("heimnetz_wan_probe_sent_total")
	p.recvd = s.NewCounter("heimnetz_wan_probe_received_total")
	gauge := func(name string, f func(r *board.WANProbe) float64) {
		s.NewGauge(name, func() float64 {
			r := p.last.Load()
			if r == nil {
				return math.NaN()
			}
			return f(r)
		})
	}
	gauge("heimnetz_wan_probe_up", func(r *board.WANProbe) float64 {
		if r.Up {
			return 1
		}
		return 0
	})
	gauge("heimnetz_wan_probe_loss_ratio", func(r *board.WANProbe) float64 { return r.LossRatio })
	rtt := func(v float64) func(r *board.WANProbe) float64 {
		return func(r *board.WANProbe) float64 {
			if r.Received == 0 {
				return math.NaN() // no reply, no time: not a 0 s round trip
			}
			return v
		}
	}
	gauge(`heimnetz_wan_probe_rtt_seconds{stat="last"}`, func(r *board.WANProbe) float64 { return rtt(r.RTTLast)(r) })
	gauge(`heimnetz_wan_probe_rtt_seconds{stat="avg"}`, func(r *board.WANProbe) float64 { return rtt(r.RTTAvg)(r) })
	gauge(`heimnetz_wan_probe_rtt_seconds{stat="min"}`, func(r *board.WANProbe) float64 { return rtt(r.RTTMin)(r) })
	gauge(`heimnetz_wan_probe_rtt_seconds{stat="max"}`, func(r *board.WANProbe) float64 { return rtt(r.RTTMax)(r) })
}

// loop runs a round at once and then every interval, measured from the
// start of the round before.
func (p *wanProber) loop(ctx context.Context) {
	for {
		start := p.m.clock.Now()
		p.roundStart.Store(&start)
		p.round(ctx)
		select {
		case <-ctx.Done():
			return
		case <-p.m.clock.After(time.Duration(p.cfg.Interval) - p.m.clock.Now().Sub(start)):
		}
	}
}

// round resolves the target, pings it and records the result.
func (p *wanProber) round(ctx context.Context) {
	r := board.WANProbe{Target: p.cfg.Target}
	if prev := p.last.Load(); prev != nil {
		r.SentTotal, r.ReceivedTotal = prev.SentTotal, prev.ReceivedTotal
	}
	addr, err := p.resolve(ctx, p.cfg.Target)
	if err == nil {
		r.PingResult, err = p.ping(ctx, addr, p.cfg.Count, time.Duration(p.cfg.Timeout))
	}
	if ctx.Err() != nil {
		return // stopping: a cut-short round is not loss
	}
	if err != nil {
		r.Reason = err.Error()
		if prev := p.last.Load(); prev == nil || prev.Reason != r.Reason {
			p.m.log.Warn("WAN probe cannot measure", "target", p.cfg.Target, "err", err)
		}
	}
	r.Up = r.Received > 0
	r.LossRatio = 1
	if r.Sent > 0 {
		r.LossRatio = 1 - float64(r.Received)/float64(r.Sent)
	}
	r.SentTotal += uint64(r.Sent)
	r.ReceivedTotal += uint64(r.Received)
	r.Time = p.m.clock.Now().Unix()
	p.sent.Add(r.Sent)
	p.recvd.Add(r.Received)
	p.last.Store(&r)
	p.m.board.SetWANProbe(r)
	p.m.invalidateMetrics()
}

// resolveTarget returns target as an address, or the first address its
// name resolves to.
func resolveTarget(ctx context.Context, target string) (netip.Addr, error) {
	if a, err := netip.ParseAddr(target); err == nil {
		return a, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	as, err := net.DefaultResolver.LookupNetIP(ctx, "ip", target)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("resolve %s: %w", target, err)
	}
	if len(as) == 0 {
		return netip.Addr{}, fmt.Errorf("resolve %s: no address", target)
	}
	return as[0], nil
}
