package web

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestPluginPageMemory checks the plugin page's memory and leak rows and
// the same fields in GET /api/v1/plugins/{name}: the live figure beside
// the peak, and the leak detector's three verdicts.
func TestPluginPageMemory(t *testing.T) {
	for _, c := range []struct {
		name string
		mem  PluginMemory
		want []string
	}{
		{
			name: "not judged yet",
			mem:  PluginMemory{LiveBytes: 50 << 10, PeakBytes: 1 << 20},
			want: []string{"<dt>Memory</dt><dd>50\u00a0KiB live · peak 1\u00a0MiB", "not judged yet"},
		},
		{
			name: "flat",
			mem:  PluginMemory{LiveBytes: 60 << 10, PeakBytes: 300 << 10, GrowthRuns: 32},
			want: []string{"60\u00a0KiB live · peak 300\u00a0KiB", "<dt>Leak</dt><dd>none over the last 32 runs</dd>"},
		},
		{
			name: "slow growth below the threshold",
			mem:  PluginMemory{LiveBytes: 60 << 10, PeakBytes: 300 << 10, GrowthRuns: 32, GrowthBytesPerRun: 100},
			want: []string{"none over the last 32 runs (100\u00a0B per run, below the threshold)"},
		},
		{
			name: "leaking",
			mem: PluginMemory{LiveBytes: 200 << 10, PeakBytes: 210 << 10, Leaking: true, GrowthBytesPerRun: 4096, GrowthRuns: 32,
				LeakingSince: time.Date(2026, 12, 4, 11, 0, 0, 0, time.UTC)},
			want: []string{"<span class=\"err\">growing 4\u00a0KiB per run over 32 runs</span>, flagged "},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newTestEnv(t)
			e.b.mu.Lock()
			e.b.plugins["net"].Memory = c.mem
			e.b.mu.Unlock()
			r := e.get("/plugins/net")
			if r.code != 200 {
				t.Fatalf("GET /plugins/net = %d", r.code)
			}
			for _, w := range c.want {
				if !strings.Contains(r.body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			if !strings.Contains(r.body, "Live memory, last") {
				t.Error("the memory chart does not say it shows live memory")
			}
			if t.Failed() {
				t.Logf("page:\n%s", r.body)
			}
			r = e.get("/api/v1/plugins/net")
			var got struct {
				Memory PluginMemory `json:"memory"`
			}
			if err := json.Unmarshal([]byte(r.body), &got); err != nil || got.Memory != c.mem {
				t.Errorf("API memory = %+v (%v), want %+v\n%s", got.Memory, err, c.mem, r.body)
			}
		})
	}
}
