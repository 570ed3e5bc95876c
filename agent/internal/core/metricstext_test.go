package core

import (
	"bytes"
	"testing"
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
