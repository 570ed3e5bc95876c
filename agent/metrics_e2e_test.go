package main

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/heimnetz/heimnetz/agent/internal/promtool"
)

const (
	famHog = `local n = 0
function collect()
  for j = 1, 25 do
    n = n + 1
    local big = string.format("fam_hog_%06d_", n) .. string.rep("a", 2000000)
    metrics.set(big:sub(1, 16), 1)
  end
end`
	labelHog = `local n = 0
function collect()
  for j = 1, 25 do
    n = n + 1
    local big = string.format("%08d", n) .. string.rep("b", 2000000)
    metrics.set("label_hog_value", n, { id = big:sub(1, 8) })
  end
end`
)

// TestAgentMetricMemoryBound runs the metrics memory attacks in the real
// agent and reads its peak RSS from outside: with the host keeping a
// plugin's substrings, famhog alone held ~1.2 GB by its fourth run.
func TestAgentMetricMemoryBound(t *testing.T) {
	requireBinary(t)
	plugins := t.TempDir()
	writePlugin(t, plugins, "famhog", "interval: 1s\npermissions: [metrics]\n", famHog)
	writePlugin(t, plugins, "labelhog", "interval: 1s\npermissions: [metrics]\n", labelHog)
	a := startAgent(t, t.TempDir(), "--plugins", plugins)
	a.waitFor(t, "/api/v1/plugins/famhog", regexp.QuoteMeta(`output limit exceeded (100 metric families)`))
	body := a.waitForMetrics(t, `(?m)^heimnetz_plugin_series\{plugin="labelhog"\} ([1-4][0-9][0-9]|500)$`)
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", a.cmd.Process.Pid))
	if err != nil {
		t.Skip("no /proc: ", err)
	}
	var hwm int
	for line := range strings.Lines(string(status)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			hwm, _ = strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
		}
	}
	t.Logf("agent peak RSS %d KiB", hwm)
	// The agent's own baseline plus two plugins at their 8 MiB caps and
	// the garbage of their 2 MB strings between collections.
	if hwm == 0 || hwm > 100<<10 {
		t.Errorf("agent peak RSS %d KiB, want at most 100 MiB", hwm)
	}
	promtool.Check(t, body)
	a.stop(t)
}
