package monitoring

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"
)

// fixtureBoard is the router the agent reads its device files from: the
// MT7621 capture has Wi-Fi stations, DHCP leases, conntrack flows, an
// overlay and a temperature sensor, so every router panel has data.
const fixtureBoard = "../../board/testdata/openwrt-mt7621"

// buildAgent builds the static agent binary into dir.
func buildAgent(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "heimnetz")
	build := exec.Command("go", "build", "-o", bin, "../../agent")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building heimnetz: %v\n%s", err, out)
	}
	return bin
}

// agentProc is a running `heimnetz run` on the fixture board.
type agentProc struct {
	addr string
	logs *logBuffer
}

// startAgent runs the agent on loopback with the bundled plugins on the
// fixture board and its WAN probe aimed at 127.0.0.1.
func startAgent(t *testing.T, bin, dir string) *agentProc {
	t.Helper()
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	cfg := filepath.Join(dir, "heimnetz.json")
	probe := `{"wan_probe": {"target": "127.0.0.1", "interval": "2s", "count": 2, "timeout": "500ms"}}`
	if err := os.WriteFile(cfg, []byte(probe), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "run", "--listen", addr, "--data", filepath.Join(dir, "data"), "--config", cfg, "--board", fixtureBoard)
	a := &agentProc{addr: addr, logs: startProcess(t, cmd)}
	if !poll(15*time.Second, func() bool { code, _, err := get("http://" + addr + "/healthz"); return err == nil && code == 200 }) {
		t.Fatalf("agent did not answer /healthz:\n%s", a.logs)
	}
	return a
}

// probeRound matches the WAN probe's up gauge once it has had a round
// (NaN before).
var probeRound = regexp.MustCompile(`(?m)^heimnetz_wan_probe_up [01]$`)

// waitForFirstRuns waits until every plugin has run once and the WAN
// probe has had a round, and returns that scrape.
func (a *agentProc) waitForFirstRuns(t *testing.T) string {
	t.Helper()
	okRuns := regexp.MustCompile(`(?m)^heimnetz_plugin_executions_total\{plugin="[^"]+",result="ok"\} (\S+)$`)
	var body string
	done := poll(20*time.Second, func() bool {
		_, b, err := get("http://" + a.addr + "/metrics")
		if err != nil {
			return false
		}
		body = b
		runs := okRuns.FindAllStringSubmatch(body, -1)
		for _, m := range runs {
			if m[1] == "0" {
				return false
			}
		}
		return len(runs) > 0 && probeRound.MatchString(body)
	})
	if !done {
		t.Fatalf("not every plugin ran, or the WAN probe had no round, within 20 s; last scrape:\n%.3000s\nagent log:\n%s", body, a.logs)
	}
	// Without the right to send ICMP (not root, ping_group_range closed)
	// the probe's rounds fail: its series then say so (up 0, loss 1,
	// round-trip times NaN), which the WAN panels show as they are.
	t.Logf("WAN probe of 127.0.0.1: %s", probeRound.FindString(body))
	return body
}
