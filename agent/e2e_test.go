package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/heimnetz/heimnetz/agent/internal/promtool"
	"github.com/heimnetz/heimnetz/luaplugins"
)

// binary is the heimnetz binary built once for the end-to-end tests.
var binary string

func TestMain(m *testing.M) {
	if os.Getenv("HEIMNETZ_EMULATED") != "" {
		// Under qemu-user the test binary is emulated but `go build` and
		// the agent it builds are not; these tests run in the native suite.
		fmt.Println("SKIP: agent end-to-end tests: under qemu they would build and run a native binary, not the emulated one")
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "heimnetz-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "heimnetz")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building heimnetz: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// requireBinary skips a test when TestMain built no binary (under qemu).
func requireBinary(t *testing.T) {
	t.Helper()
	if binary == "" {
		t.Skip("under qemu: the end-to-end tests run in the native suite")
	}
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

// agentProc is a running `heimnetz run`.
type agentProc struct {
	cmd  *exec.Cmd
	base string
	logs *syncBuffer
	// patience is how long waitFor polls before it fails (20 s when 0).
	patience time.Duration
}

// syncBuffer collects a child's output while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func startAgent(t *testing.T, dataDir string, extra ...string) *agentProc {
	t.Helper()
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	args := append([]string{"run", "--listen", addr, "--data", dataDir}, extra...)
	cmd := exec.Command(binary, args...)
	logs := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	a := &agentProc{cmd: cmd, base: "http://" + addr, logs: logs}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(a.base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return a
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("agent did not answer /healthz:\n%s", logs)
	return nil
}

func (a *agentProc) get(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(a.base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// stop sends SIGTERM and checks for a clean exit.
func (a *agentProc) stop(t *testing.T) {
	t.Helper()
	a.stopWith(t, syscall.SIGTERM)
}

// stopWith sends sig and checks for a clean exit (status 0).
func (a *agentProc) stopWith(t *testing.T, sig os.Signal) {
	t.Helper()
	a.cmd.Process.Signal(sig)
	done := make(chan error, 1)
	go func() { done <- a.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("agent exited with %v after %v:\n%s", err, sig, a.logs)
		}
	case <-time.After(15 * time.Second):
		a.cmd.Process.Kill()
		t.Fatalf("agent did not stop within 15s of %v:\n%s", sig, a.logs)
	}
}

// waitForMetrics polls /metrics until every pattern matches.
func (a *agentProc) waitForMetrics(t *testing.T, patterns ...string) string {
	t.Helper()
	return a.waitFor(t, "/metrics", patterns...)
}

// waitFor polls path until every pattern matches its body, for states
// that come and go (a throttled plugin runs again once its share refills).
func (a *agentProc) waitFor(t *testing.T, path string, patterns ...string) string {
	t.Helper()
	res := make([]*regexp.Regexp, len(patterns))
	for i, p := range patterns {
		res[i] = regexp.MustCompile(p)
	}
	return a.waitUntil(t, path, func(body string) bool {
		return !slices.ContainsFunc(res, func(re *regexp.Regexp) bool { return !re.MatchString(body) })
	}, func(body string) {
		for _, re := range res {
			if !re.MatchString(body) {
				t.Errorf("%s lacks %s", path, re)
			}
		}
	})
}

// waitUntil polls path until done accepts its body, and returns the body;
// when the agent's patience runs out, report says what is missing.
func (a *agentProc) waitUntil(t *testing.T, path string, done func(body string) bool, report func(body string)) string {
	t.Helper()
	patience := a.patience
	if patience == 0 {
		patience = 20 * time.Second
	}
	var body string
	for deadline := time.Now().Add(patience); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		_, body = a.get(t, path)
		if done(body) {
			return body
		}
	}
	report(body)
	t.Fatalf("%s incomplete; last body:\n%.1500s\nagent log:\n%s", path, body, a.logs)
	return ""
}

func TestAgentEndToEnd(t *testing.T) {
	requireBinary(t)
	data := t.TempDir()
	a := startAgent(t, data)

	metrics := a.waitForMetrics(t,
		`(?m)^node_load1\{plugin="loadavg"\} [0-9.e+-]+$`,
		`(?m)^node_network_receive_bytes_total\{plugin="netdev",device="[^"]+"\} [0-9.e+]+$`,
		`(?m)^example_plugin_runs\{plugin="example-counter"\} 1$`,
		`(?m)^heimnetz_plugin_executions_total\{plugin="loadavg",result="ok"\} [1-9]`,
		`(?m)^heimnetz_plugin_execution_duration_seconds_bucket\{plugin="netdev",le="`,
		`(?m)^heimnetz_plugin_memory_usage_bytes\{plugin="loadavg"\} [1-9]`,
		`(?m)^heimnetz_plugin_errors_total\{plugin="loadavg",kind="lua"\} 0$`,
		`(?m)^heimnetz_server_requests_total`,
		`(?m)^heimnetz_server_request_duration_seconds`,
		`(?m)^heimnetz_server_active_connections`,
		`(?m)^heimnetz_server_memory_usage_bytes [1-9]`,
		`(?m)^heimnetz_device_info\{os="[^"]+",model="[^"]*",.*arch="[^"]+",.*\} 1$`,
		// node_exporter's exact names, which only bundled plugins may use
		`(?m)^node_memory_MemTotal_bytes\{plugin="meminfo"\} [1-9]`,
		`(?m)^node_memory_Active_anon_bytes\{plugin="meminfo"\} [0-9]`,
		`(?m)^node_entropy_available_bits\{plugin="entropy"\} [0-9]`,
	)
	promtool.Check(t, metrics)

	code, page := a.get(t, "/")
	if code != 200 || !strings.Contains(page, "example-counter") || !strings.Contains(page, "loadavg") {
		t.Errorf("status page: %d, missing plugins:\n%.2000s", code, page)
	}
	if strings.Contains(page, "http://") && regexp.MustCompile(`(src|href)="https?://`).MatchString(page) {
		t.Error("status page loads external assets")
	}

	// The metrics above come from five plugins; the others' first runs
	// share the run slots and may not all have ended yet.
	notYet := func(p apiPluginSummary) bool { return p.Runs == 0 }
	body := a.waitUntil(t, "/api/v1/plugins", func(body string) bool {
		return !slices.ContainsFunc(checkPluginList(t, []byte(body)).Plugins, notYet)
	}, func(string) { t.Errorf("not every plugin has run") })
	// Only the shape web/API.md documents: {"plugins": [PluginSummary…]}.
	names := []string{}
	for _, p := range checkPluginList(t, []byte(body)).Plugins {
		names = append(names, p.Name)
		if !p.Enabled || p.Runs == 0 {
			t.Errorf("plugin %s: enabled=%v runs=%d", p.Name, p.Enabled, p.Runs)
		}
	}
	if strings.Join(names, ",") != strings.Join(luaplugins.BundledNames(), ",") {
		t.Errorf("plugins = %v", names)
	}
	code, body = a.get(t, "/api/v1/plugins/loadavg")
	if code != 200 {
		t.Fatalf("/api/v1/plugins/loadavg: %d %s", code, body)
	}
	if d := checkPluginDetail(t, "loadavg", []byte(body)); d.Name != "loadavg" || d.Source != "bundled" || len(d.RecentRuns) == 0 || len(d.Limits) == 0 {
		t.Errorf("/api/v1/plugins/loadavg: name %q source %q, %d recent runs, %d limits", d.Name, d.Source, len(d.RecentRuns), len(d.Limits))
	}
	if code, _ := a.get(t, "/api/v1/plugins/nope"); code != 404 {
		t.Errorf("unknown plugin: %d, want 404", code)
	}
	resp, err := http.Post(a.base+"/api/v1/plugins/loadavg/disable", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 && resp.StatusCode != 403 {
		t.Errorf("disable without auth: %d, want 401 or 403", resp.StatusCode)
	}
	a.stop(t)

	// The counter plugin's count survives a restart; SIGINT stops the
	// agent as cleanly as SIGTERM.
	b := startAgent(t, data)
	b.waitForMetrics(t, `(?m)^example_plugin_runs\{plugin="example-counter"\} [2-9]`)
	b.stopWith(t, syscall.SIGINT)

	// A backup taken with `store export` restores into a new data dir.
	backup := filepath.Join(t.TempDir(), "backup.db")
	if out, err := exec.Command(binary, "store", "export", backup, "--data", data).CombinedOutput(); err != nil {
		t.Fatalf("store export: %v\n%s", err, out)
	}
	restored := t.TempDir()
	if out, err := exec.Command(binary, "store", "import", backup, "--data", restored).CombinedOutput(); err != nil {
		t.Fatalf("store import: %v\n%s", err, out)
	}
	c := startAgent(t, restored)
	c.waitForMetrics(t, `(?m)^example_plugin_runs\{plugin="example-counter"\} [3-9]`)
	if _, body := c.get(t, "/api/v1/events?type=admin_action"); !strings.Contains(body, "database replaced by `heimnetz store import`") {
		t.Errorf("the import is not an admin_action event of the restored database:\n%s", body)
	}
	c.stop(t)
	if out, err := exec.Command(binary, "store", "import", filepath.Join("..", "README.md"), "--data", restored).CombinedOutput(); err == nil || !strings.Contains(string(out), "rejected") {
		t.Errorf("importing a text file: %v\n%s", err, out)
	}
}

// TestAgentDisablesHostilePlugin runs a plugin in a busy loop next to a
// healthy one in the real binary, on the real clock: the busy one breaks
// its wall-time limit until it is disabled, the healthy one keeps its
// schedule, and the agent keeps answering. The policy itself (exact
// break count, events, CPU throttle, re-enabling by a new version, across
// a restart) is tested in process in agent/internal/core.
func TestAgentDisablesHostilePlugin(t *testing.T) {
	requireBinary(t)
	plugins := t.TempDir()
	writePlugin(t, plugins, "spin", "interval: 1s\nlimits: {timeout: 200ms, instructions: 100000000}\n", "function collect() while true do end end")
	writePlugin(t, plugins, "steady", "interval: 1s\npermissions: [metrics]\n", "local n = 0\nfunction collect() n = n + 1; metrics.set(\"steady_runs\", n) end")
	a := startAgent(t, t.TempDir(), "--plugins", plugins)
	a.waitForMetrics(t,
		`(?m)^heimnetz_plugin_enabled\{plugin="spin"\} 0$`,
		`(?m)^heimnetz_plugin_limit_breaks_total\{plugin="spin",limit="timeout",cause="plugin"\} 3$`,
		`(?m)^steady_runs\{plugin="steady"\} ([4-9]|[1-9][0-9]+)$`,
	)
	logScheduleLag(t, a, "steady")
	_, body := a.get(t, "/api/v1/plugins/spin")
	if !strings.Contains(body, "disabled after 3 limit breaks in a row") || !strings.Contains(body, "time limit exceeded (200ms)") {
		t.Errorf("spin's state does not show why it was disabled:\n%s", body)
	}
	// The disable fires the built-in PluginDisabled alert (right after it,
	// not at the next evaluation): the series, the API and one event.
	a.waitForMetrics(t, `(?m)^heimnetz_alert\{alertname="PluginDisabled",severity="warning",plugin="spin"\} 1$`)
	_, body = a.get(t, "/api/v1/alerts")
	if !strings.Contains(body, `{"name":"PluginDisabled","severity":"warning","state":"firing"`) || !strings.Contains(body, `"labels":{"plugin":"spin"}`) {
		t.Errorf("/api/v1/alerts does not list spin's PluginDisabled as firing:\n%s", body)
	}
	// The alert's status is published before its event is recorded.
	body = a.waitFor(t, "/api/v1/events?type=alert", `PluginDisabled firing \(warning\): plugin spin`)
	if strings.Count(body, "PluginDisabled firing (warning): plugin spin") != 1 {
		t.Errorf("want one alert event for spin's disable:\n%s", body)
	}
	a.stop(t)
}

func writePlugin(t *testing.T, dir, name, manifest, main string) {
	t.Helper()
	d := filepath.Join(dir, name)
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	m := "name: " + name + "\n" + manifest
	if !strings.Contains(manifest, "version:") {
		m = "name: " + name + "\nversion: 1.0.0\n" + manifest
	}
	if err := os.WriteFile(filepath.Join(d, "manifest.yml"), []byte(m), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(d, "main.lua"), []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestReplacedBundledIsNotBundled: the bundled meminfo and entropy
// plugins' own code, loaded from a --plugins directory (one that is even
// called "bundled") in place of the built-in ones, may not export
// node_exporter's exempt names: its runs fail with the lowercase and base
// unit rules, and /metrics stays free of those names.
func TestReplacedBundledIsNotBundled(t *testing.T) {
	requireBinary(t)
	plugins := filepath.Join(t.TempDir(), "bundled")
	for _, name := range []string{"meminfo", "entropy"} {
		main, err := os.ReadFile(filepath.Join("../luaplugins/bundled", name, "main.lua"))
		if err != nil {
			t.Fatal(err)
		}
		writePlugin(t, plugins, name, "interval: 1s\npermissions: [board, metrics]\n", string(main))
	}
	// --plugins bundled, relative, as ReadAll once took for the binary's.
	t.Chdir(filepath.Dir(plugins))
	a := startAgent(t, t.TempDir(), "--plugins", "bundled")
	metrics := a.waitForMetrics(t,
		`(?m)^heimnetz_plugin_executions_total\{plugin="meminfo",result="error"\} [1-9]`,
		`(?m)^heimnetz_plugin_executions_total\{plugin="entropy",result="error"\} [1-9]`,
		`(?m)^node_cpu_seconds_total\{plugin="cpu",`,
	)
	if m := regexp.MustCompile(`(?m)^node_(memory|entropy)_.*$`).FindString(metrics); m != "" {
		t.Errorf("a replaced bundled plugin exported %s", m)
	}
	a.waitFor(t, "/api/v1/plugins/meminfo", `invalid metric: gauge \\"node_memory_[A-Za-z_]+\\" may hold only lowercase`)
	a.waitFor(t, "/api/v1/plugins/entropy", `invalid metric: gauge \\"node_entropy_available_bits\\" must use the base unit bytes instead of bits`)
	promtool.Check(t, metrics)
	a.stop(t)
}

func TestPluginRunUsage(t *testing.T) {
	requireBinary(t)
	tests := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"plugin", "run"}, 2, "Usage"},
		{[]string{"plugin", "run", "/nonexistent.lua"}, 2, "no such file"},
		{[]string{"plugin", "run", "../luaplugins/bundled/loadavg", "--limit", "bogus=1"}, 2, `unknown limit "bogus"`},
		{[]string{"plugin", "run", "../luaplugins/bundled/loadavg", "--times", "2", "--board", "../board/testdata/openwrt-mt7621"}, 0, `node_load1{plugin="loadavg"} 0.08`},
		{[]string{"version"}, 0, "heimnetz dev"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
	}
	for _, tt := range tests {
		cmd := exec.Command(binary, tt.args...)
		out, _ := cmd.CombinedOutput()
		if cmd.ProcessState.ExitCode() != tt.code || !strings.Contains(string(out), tt.out) {
			t.Errorf("heimnetz %s: exit %d, output:\n%s\nwant exit %d and %q", strings.Join(tt.args, " "), cmd.ProcessState.ExitCode(), out, tt.code, tt.out)
		}
	}
}

func TestPasswdHashLogsIn(t *testing.T) {
	requireBinary(t)
	cmd := exec.Command(binary, "passwd")
	cmd.Stdin = strings.NewReader("correct horse battery\n")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("heimnetz passwd: %v", err)
	}
	hash := strings.TrimSpace(string(out))
	if hash == "" || strings.Contains(hash, "correct horse") {
		t.Fatalf("hash = %q", hash)
	}
	cfg := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(cfg, []byte(`{"admin_password_hash": "`+hash+`"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	a := startAgent(t, t.TempDir(), "--config", cfg)
	defer a.stop(t)
	for pw, want := range map[string]int{"wrong password": 401, "correct horse battery": 200} {
		body, _ := json.Marshal(map[string]string{"password": pw})
		resp, err := http.Post(a.base+"/api/v1/login", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("login with %q: %d, want %d", pw, resp.StatusCode, want)
		}
	}
	if strings.Contains(a.logs.String(), "correct horse") || strings.Contains(a.logs.String(), "generated admin password") {
		t.Errorf("the agent logged a password:\n%s", a.logs)
	}
	cmd = exec.Command(binary, "passwd")
	cmd.Stdin = strings.NewReader("short\n")
	if err := cmd.Run(); cmd.ProcessState.ExitCode() != 2 {
		t.Errorf("short password: %v", err)
	}
}

func TestPluginRunBadManifest(t *testing.T) {
	requireBinary(t)
	dir := t.TempDir()
	writePlugin(t, dir, "bad", "colour: red\n", "")
	cmd := exec.Command(binary, "plugin", "run", filepath.Join(dir, "bad"))
	out, _ := cmd.CombinedOutput()
	if cmd.ProcessState.ExitCode() != 2 || !strings.Contains(string(out), `manifest.yml:3: colour: unknown field (known: name, version,`) {
		t.Errorf("exit %d:\n%s", cmd.ProcessState.ExitCode(), out)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// logScheduleLag logs how far apart a plugin's recent runs were, for the
// claim that a busy plugin does not delay a healthy one by more than one
// interval (a measurement for the issue note, not a timed assertion).
func logScheduleLag(t *testing.T, a *agentProc, plugin string) {
	t.Helper()
	_, body := a.get(t, "/api/v1/plugins/"+plugin)
	var d struct {
		RecentRuns []struct {
			Time time.Time `json:"time"`
		} `json:"recent_runs"`
	}
	if err := json.Unmarshal([]byte(body), &d); err != nil || len(d.RecentRuns) < 2 {
		t.Fatalf("recent runs of %s: %v\n%.500s", plugin, err, body)
	}
	var worst time.Duration
	for i := 1; i < len(d.RecentRuns); i++ {
		gap := d.RecentRuns[i].Time.Sub(d.RecentRuns[i-1].Time)
		if gap < 0 {
			gap = -gap
		}
		worst = max(worst, gap)
	}
	t.Logf("%s: %d runs, largest gap between runs %v (interval 1s)", plugin, len(d.RecentRuns), worst.Round(time.Millisecond))
}
