package monitoring

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fixtureBoard is the router the agent reads its device files from: the
// MT7621 capture has Wi-Fi stations, DHCP leases, conntrack flows, an
// overlay and a temperature sensor, so every router panel has data.
const fixtureBoard = "../../board/testdata/openwrt-mt7621"

// pendingFamilies are metric families that other parts of issue 16 add to
// the agent in parallel with this dashboard. A query of one may come back
// empty only while the agent under test does not export the family at
// all; once it does, the query must have data like any other.
var pendingFamilies = map[string]string{
	"heimnetz_plugin_memory_live_bytes":           "the per-plugin leak detector (issue 16 point 2) adds it",
	"heimnetz_plugin_memory_growth_bytes_per_run": "the per-plugin leak detector (issue 16 point 2) adds it",
}

// fixtureValues are panel queries whose values the fixture fixes: the
// dashboard must show what the router has, not just something.
var fixtureValues = map[string]map[string]float64{
	"Wi-Fi stations/A": {`ifname="phy0-ap0"`: 2, `ifname="phy1-ap0"`: 1},
	"DHCP clients/A":   {`family="ipv4"`: 4, `family="ipv6"`: 3},
	"Conntrack/A":      {``: 187},
	"Conntrack/B":      {``: 16384},
	"Temperature/A":    {`sensor="temp1"`: 52},
}

// TestDashboardAgainstPrometheus starts the agent on the router fixture
// and Debian's Prometheus scraping it every second with heimnetz.rules.yml
// loaded; once a few scrapes are in, every panel query of the dashboard
// must return data, and every rule must evaluate without error.
func TestDashboardAgainstPrometheus(t *testing.T) {
	prom := requireTool(t, "prometheus") // skips under qemu: it builds and runs the host's agent
	start := time.Now()
	dir := t.TempDir()
	bin := buildAgent(t, dir)
	built := time.Since(start)

	agent := startAgent(t, bin, dir)
	scrape := agent.waitForFirstRuns(t)

	rules, err := filepath.Abs(rulesFile)
	if err != nil {
		t.Fatal(err)
	}
	p := startPrometheus(t, prom, dir, agent.addr, rules)
	p.waitForScrapes(t, agent.addr, 5)
	p.checkRules(t, len(readRules(t)))

	_, qs, panels := readDashboard(t)
	p.checkInstanceVariable(t, agent.addr)
	withData, justified, compared := 0, 0, 0
	for _, q := range qs {
		expr, err := expand(q.Expr, agent.addr)
		if err != nil {
			t.Errorf("panel %q %s: %v", q.Panel, q.RefID, err)
			continue
		}
		result, err := p.query(expr)
		if err != nil {
			t.Errorf("panel %q %s: %v\n%s", q.Panel, q.RefID, err, expr)
			continue
		}
		if len(result) == 0 {
			if reason := pendingReason(expr, scrape); reason != "" {
				justified++
				t.Logf("panel %q %s: no data: %s", q.Panel, q.RefID, reason)
				continue
			}
			t.Errorf("panel %q %s: no data for\n%s", q.Panel, q.RefID, expr)
			continue
		}
		withData++
		compared += checkFixtureValues(t, q, result)
	}
	if compared != len(fixtureValues) {
		t.Errorf("compared %d of the %d fixtureValues queries: a panel title or refId changed", compared, len(fixtureValues))
	}
	t.Logf("%d panels, %d queries run against Prometheus %s: %d with data (%d compared with the fixture), %d without (justified above); binary built in %v, test %v in all",
		panels, len(qs), p.version(t), withData, compared, justified, built.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
}

// pendingReason says why expr may have no data: it reads a family of
// pendingFamilies the agent does not export (scrape is its /metrics).
func pendingReason(expr, scrape string) string {
	for family, reason := range pendingFamilies {
		if strings.Contains(expr, family) && !strings.Contains(scrape, "\n"+family) {
			return family + " is not exported yet: " + reason
		}
	}
	return ""
}

// checkFixtureValues compares a query's series with fixtureValues and
// returns 1 if the query is one of them.
func checkFixtureValues(t *testing.T, q query, result []sample) int {
	t.Helper()
	want, ok := fixtureValues[q.Panel+"/"+q.RefID]
	if !ok {
		return 0
	}
	for label, v := range want {
		found := false
		for _, s := range result {
			if label == "" || s.has(label) {
				found = true
				if s.value() != v {
					t.Errorf("panel %q %s: %s = %v, want %v (the fixture's)", q.Panel, q.RefID, s.Metric, s.value(), v)
				}
			}
		}
		if !found {
			t.Errorf("panel %q %s: no series with %s in %v", q.Panel, q.RefID, label, result)
		}
	}
	return 1
}

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

// freePort returns a free loopback port.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// logBuffer collects a child's output while the test reads it.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startProcess starts cmd with its output in a buffer and ends it (by its
// own PID) when the test ends.
func startProcess(t *testing.T, cmd *exec.Cmd) *logBuffer {
	t.Helper()
	logs := &logBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	return logs
}

// poll calls ok every 100 ms until it reports true or patience runs out.
func poll(patience time.Duration, ok func() bool) bool {
	for deadline := time.Now().Add(patience); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if ok() {
			return true
		}
	}
	return ok()
}

// get fetches a URL on loopback and returns its status and body.
func get(u string) (int, string, error) {
	c := http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(u)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), err
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

// promProc is a running Prometheus.
type promProc struct {
	base string
	logs *logBuffer
}

// startPrometheus runs Prometheus on loopback with its storage in dir,
// scraping the agent at target every second as job "heimnetz" and
// evaluating the rules file every second.
func startPrometheus(t *testing.T, bin, dir, target, rules string) *promProc {
	t.Helper()
	cfg := filepath.Join(dir, "prometheus.yml")
	conf := fmt.Sprintf(`global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files: [%q]
scrape_configs:
  - job_name: heimnetz
    static_configs:
      - targets: [%q]
`, rules, target)
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	cmd := exec.Command(bin, "--config.file="+cfg, "--storage.tsdb.path="+filepath.Join(dir, "tsdb"),
		"--web.listen-address="+addr, "--log.level=warn")
	p := &promProc{base: "http://" + addr, logs: startProcess(t, cmd)}
	if !poll(20*time.Second, func() bool { code, _, err := get(p.base + "/-/ready"); return err == nil && code == 200 }) {
		t.Fatalf("prometheus not ready within 20 s:\n%s", p.logs)
	}
	return p
}

// apiResponse is the envelope of Prometheus's HTTP API.
type apiResponse struct {
	Status    string          `json:"status"`
	Error     string          `json:"error"`
	ErrorType string          `json:"errorType"`
	Data      json.RawMessage `json:"data"`
}

// api GETs a Prometheus API path and decodes its data into v.
func (p *promProc) api(path string, v any) error {
	code, body, err := get(p.base + path)
	if err != nil {
		return err
	}
	var r apiResponse
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		return fmt.Errorf("%s: HTTP %d: %v: %.300s", path, code, err, body)
	}
	if r.Status != "success" {
		return fmt.Errorf("%s: %s: %s", path, r.ErrorType, r.Error)
	}
	return json.Unmarshal(r.Data, v)
}

// sample is one series of an instant query's result.
type sample struct {
	Metric map[string]string `json:"metric"`
	Value  [2]any            `json:"value"`
}

// has reports whether the series carries a label given as name="value".
func (s sample) has(label string) bool {
	name, value, _ := strings.Cut(label, "=")
	v, err := strconv.Unquote(value)
	return err == nil && s.Metric[name] == v
}

// value is the sample's value (NaN if it does not parse).
func (s sample) value() float64 {
	str, _ := s.Value[1].(string)
	v, err := strconv.ParseFloat(str, 64)
	if err != nil {
		return math.NaN()
	}
	return v
}

// query runs an instant query now and returns its series; a scalar
// result counts as one.
func (p *promProc) query(expr string) ([]sample, error) {
	var data struct {
		ResultType string          `json:"resultType"`
		Result     json.RawMessage `json:"result"`
	}
	if err := p.api("/api/v1/query?query="+url.QueryEscape(expr), &data); err != nil {
		return nil, err
	}
	switch data.ResultType {
	case "vector":
		var s []sample
		err := json.Unmarshal(data.Result, &s)
		return s, err
	case "scalar":
		var v [2]any
		err := json.Unmarshal(data.Result, &v)
		return []sample{{Value: v}}, err
	}
	return nil, fmt.Errorf("result type %q, want vector or scalar", data.ResultType)
}

// waitForScrapes waits until Prometheus holds n scrapes of the agent.
func (p *promProc) waitForScrapes(t *testing.T, target string, n int) {
	t.Helper()
	expr := fmt.Sprintf(`count_over_time(up{job="heimnetz",instance=%q}[1m]) >= %d and on () up{job="heimnetz",instance=%q} == 1`, target, n, target)
	if !poll(20*time.Second, func() bool { s, err := p.query(expr); return err == nil && len(s) == 1 }) {
		s, err := p.query(`count_over_time(up{job="heimnetz"}[1m])`)
		t.Fatalf("prometheus did not scrape the agent %d times within 20 s (%v, %v):\n%s", n, s, err, p.logs)
	}
}

// checkRules waits for the rules to be evaluated and requires each of
// the want rules to be healthy, with no evaluation error.
func (p *promProc) checkRules(t *testing.T, want int) {
	t.Helper()
	type ruleState struct {
		Name      string `json:"name"`
		Health    string `json:"health"`
		LastError string `json:"lastError"`
		LastEval  string `json:"lastEvaluation"`
		State     string `json:"state"`
	}
	var data struct {
		Groups []struct {
			Name  string      `json:"name"`
			Rules []ruleState `json:"rules"`
		} `json:"groups"`
	}
	var rules []ruleState
	evaluated := func() bool {
		rules = nil
		if err := p.api("/api/v1/rules", &data); err != nil {
			return false
		}
		for _, g := range data.Groups {
			rules = append(rules, g.Rules...)
		}
		for _, r := range rules {
			if r.Health == "unknown" || strings.HasPrefix(r.LastEval, "0001-") {
				return false
			}
		}
		return len(rules) > 0
	}
	if !poll(10*time.Second, evaluated) {
		t.Fatalf("rules not evaluated within 10 s: %+v\n%s", rules, p.logs)
	}
	if len(rules) != want {
		t.Errorf("prometheus loaded %d rules, want %d", len(rules), want)
	}
	for _, r := range rules {
		if r.Health != "ok" || r.LastError != "" {
			t.Errorf("rule %s: health %q, error %q", r.Name, r.Health, r.LastError)
		}
	}
	t.Logf("prometheus loaded %d rules, all evaluated with health ok", len(rules))
}

// checkInstanceVariable runs the instance variable's query
// (label_values(heimnetz_build_info, instance)) as Grafana does.
func (p *promProc) checkInstanceVariable(t *testing.T, target string) {
	t.Helper()
	var values []string
	if err := p.api("/api/v1/label/instance/values?match[]="+url.QueryEscape("heimnetz_build_info"), &values); err != nil {
		t.Fatal(err)
	}
	if len(values) != 1 || values[0] != target {
		t.Errorf("instance variable values %v, want [%s]", values, target)
	}
}

// version is the Prometheus build, for the log.
func (p *promProc) version(t *testing.T) string {
	var info struct {
		Version string `json:"version"`
	}
	if err := p.api("/api/v1/status/buildinfo", &info); err != nil {
		return "(unknown version)"
	}
	return info.Version
}
