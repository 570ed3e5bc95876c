package core

import (
	"bytes"
	"testing"
	"time"
)

// TestMetricsTextIdentity checks the promise web's compressed /metrics
// rests on: while a rendering is current every call returns the same
// slice, and a change (a plugin removed, disabled or added invalidates
// the rendering) gives a new slice with the new content.
func TestMetricsTextIdentity(t *testing.T) {
	m := newTestManager(t)
	b := &backend{m: m}
	first := b.MetricsText()
	again := b.MetricsText()
	if len(first) == 0 || &first[0] != &again[0] || len(first) != len(again) {
		t.Fatal("two calls within the TTL returned different slices")
	}
	if !bytes.Contains(first, []byte(`node_load1{plugin="loadavg"} 0.08`)) {
		t.Fatalf("rendering lacks the loadavg plugin's series:\n%.400s", first)
	}
	if n := m.unregisterMetrics("loadavg"); n == 0 {
		t.Fatal("loadavg had no agent series to remove")
	}
	m.mu.Lock()
	delete(m.plugins, "loadavg")
	m.mu.Unlock()
	next := b.MetricsText()
	if &next[0] == &first[0] {
		t.Fatal("the rendering was not renewed after a change")
	}
	if bytes.Contains(next, []byte(`plugin="loadavg"`)) {
		t.Fatal("the new rendering still carries the removed plugin")
	}
}

// TestMetricsTextStaleWhileRenewing checks that a scrape arriving while
// another renews an expired rendering gets the expired one at once,
// while an invalidated rendering is never served.
func TestMetricsTextStaleWhileRenewing(t *testing.T) {
	m := newTestManager(t)
	first := m.metricsText()
	old := *m.metricsCache.rendered.Load()
	old.at = old.at.Add(-2 * metricsTTL)
	m.metricsCache.rendered.Store(&old)
	m.metricsCache.mu.Lock() // a renewal in progress
	got := m.metricsText()
	m.metricsCache.mu.Unlock()
	if &got[0] != &first[0] {
		t.Fatal("a scrape during a renewal did not get the expired rendering")
	}
	if renewed := m.metricsText(); &renewed[0] == &first[0] {
		t.Fatal("an expired rendering was not renewed once the lock was free")
	}
	m.invalidateMetrics()
	done := make(chan []byte)
	m.metricsCache.mu.Lock()
	go func() { done <- m.metricsText() }()
	select {
	case <-done:
		t.Fatal("a scrape after invalidation did not wait for the new rendering")
	case <-time.After(50 * time.Millisecond):
	}
	m.metricsCache.mu.Unlock()
	if fresh := <-done; len(fresh) == 0 {
		t.Fatal("empty rendering")
	}
}
