package core

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/heimnetz/heimnetz/web"
)

// TestReloadPicksUpNewFiles: a reload reads the plugin's files again: the
// new version's code runs at once and on schedule, its stored record
// keeps counting.
func TestReloadPicksUpNewFiles(t *testing.T) {
	h := newHarness(t, nil)
	h.writePlugin("rl", "version: 1.0.0\ninterval: 10s\npermissions: [metrics]\n", `function collect() metrics.set("rl_code", 1) end`)
	h.start()
	h.runs("rl", 1)
	h.wantMetric(`rl_code{plugin="rl"} 1`)

	h.writePlugin("rl", "version: 1.1.0\ninterval: 20s\npermissions: [metrics]\n", `function collect() metrics.set("rl_code", 2) end`)
	if err := h.reload("rl"); err != nil {
		t.Fatal(err)
	}
	h.runs("rl", 2)
	d := h.view("rl")
	if d.Version != "1.1.0" || d.IntervalSeconds != 20 || !d.Enabled {
		t.Errorf("after reload: version %s interval %vs enabled=%v", d.Version, d.IntervalSeconds, d.Enabled)
	}
	h.wantMetric(`rl_code{plugin="rl"} 2`)
	// The new interval holds: 10s runs nothing, 20s runs once.
	h.clk.Blocked(t, 1)
	if n := h.clk.Advance(10 * time.Second); n != 0 {
		t.Fatalf("10s into a 20s interval started %d runs", n)
	}
	h.next("rl", 10*time.Second)
}

// TestReloadKeepsOldOnBadManifest: a new version whose manifest does not
// validate is refused with a manifest_rejected event naming the problem;
// the old version keeps running on schedule.
func TestReloadKeepsOldOnBadManifest(t *testing.T) {
	for _, c := range []struct {
		name, manifest, want string
	}{
		{"bad version", "version: one\ninterval: 10s\npermissions: [metrics]\n", "version"},
		{"unknown field", "version: 1.1.0\ninterval: 10s\npermissions: [metrics]\ncolour: red\n", "colour"},
		{"interval too short", "version: 1.1.0\ninterval: 10ms\npermissions: [metrics]\n", "interval"},
		{"unknown permission", "version: 1.1.0\ninterval: 10s\npermissions: [metrics, root]\n", "root"},
		{"limit over the ceiling", "version: 1.1.0\ninterval: 10s\npermissions: [metrics]\nlimits:\n  memory: 1GiB\n", "memory"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, nil)
			h.writePlugin("rl", "version: 1.0.0\ninterval: 10s\npermissions: [metrics]\n", `function collect() metrics.add("rl_old_total", 1) end`)
			h.start()
			h.runs("rl", 1)
			h.writePlugin("rl", c.manifest, `function collect() metrics.add("rl_new_total", 1) end`)
			err := h.reload("rl")
			if !errors.Is(err, web.ErrInvalid) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "running version is kept") {
				t.Fatalf("reload: %v, want web.ErrInvalid naming %q and saying the running version is kept", err, c.want)
			}
			evs := h.events(EvManifestInvalid, "rl")
			if len(evs) != 1 || evs[0].Severity != "warning" || !strings.Contains(evs[0].Message, c.want) {
				t.Errorf("manifest_rejected events %+v, want one naming %q", evs, c.want)
			}
			h.next("rl", 10*time.Second)
			h.next("rl", 10*time.Second)
			if d := h.view("rl"); d.Version != "1.0.0" || d.Errors != 0 || d.State != web.StateIdle {
				t.Errorf("after the refused reload: version %s errors %d state %q", d.Version, d.Errors, d.State)
			}
			h.wantMetric(`rl_old_total{plugin="rl"} 3`)
			if text := h.metrics(); strings.Contains(text, "rl_new_total") {
				t.Error("the refused version's code ran")
			}
		})
	}
}
