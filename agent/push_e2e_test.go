package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/heimnetz/heimnetz/agent/internal/promtool"
)

// victoriaMetricsBinary is Debian's victoria-metrics package (v1.79).
const victoriaMetricsBinary = "/usr/bin/victoria-metrics"

// victoriaMetrics is a VictoriaMetrics single-node server on loopback,
// with basic auth.
type victoriaMetrics struct {
	t          *testing.T
	addr, data string
	user, pass string
	cmd        *exec.Cmd
	logs       *syncBuffer
}

// startVictoriaMetrics starts VictoriaMetrics on addr (a free loopback
// port when empty) with its storage in data, and waits until it answers.
func startVictoriaMetrics(t *testing.T, addr, data string) *victoriaMetrics {
	t.Helper()
	if addr == "" {
		addr = fmt.Sprintf("127.0.0.1:%d", freePort(t))
	}
	v := &victoriaMetrics{t: t, addr: addr, data: data, user: "router", pass: "pw-e2e", logs: &syncBuffer{}}
	v.cmd = exec.Command(victoriaMetricsBinary, "-httpListenAddr="+addr, "-storageDataPath="+data,
		"-retentionPeriod=1y", "-httpAuth.username="+v.user, "-httpAuth.password="+v.pass, "-loggerLevel=WARN")
	v.cmd.Stdout, v.cmd.Stderr = v.logs, v.logs
	if err := v.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	cmd := v.cmd
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if code, _ := v.get("/health", nil); code == 200 {
			return v
		}
	}
	t.Fatalf("victoria-metrics did not answer /health:\n%s", v.logs)
	return nil
}

// stop ends VictoriaMetrics cleanly (it writes its data out).
func (v *victoriaMetrics) stop() {
	v.cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- v.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		v.cmd.Process.Kill()
		v.t.Fatalf("victoria-metrics did not stop:\n%s", v.logs)
	}
}

func (v *victoriaMetrics) get(path string, q url.Values) (int, string) {
	req, _ := http.NewRequest("GET", "http://"+v.addr+path+"?"+q.Encode(), nil)
	req.SetBasicAuth(v.user, v.pass)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// exported is one series of /api/v1/export.
type exported struct {
	Metric     map[string]string `json:"metric"`
	Values     []float64         `json:"values"`
	Timestamps []int64           `json:"timestamps"`
}

// export returns the raw samples of the series match selects.
func (v *victoriaMetrics) export(match string) []exported {
	v.t.Helper()
	code, body := v.get("/api/v1/export", url.Values{"match[]": {match}})
	if code != 200 {
		v.t.Fatalf("export %s: %d %s", match, code, body)
	}
	var out []exported
	sc := bufio.NewScanner(strings.NewReader(body))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var e exported
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			v.t.Fatalf("export line %q: %v", sc.Text(), err)
		}
		out = append(out, e)
	}
	return out
}

// requireVictoriaMetrics skips without the package, except under CI.
func requireVictoriaMetrics(t *testing.T) {
	t.Helper()
	requireBinary(t)
	if _, err := os.Stat(victoriaMetricsBinary); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing (Debian package victoria-metrics; scripts/deps.sh installs it)", victoriaMetricsBinary)
		}
		t.Skipf("%s not installed (scripts/deps.sh installs it)", victoriaMetricsBinary)
	}
}

// metricOf returns the value of the series name (whole line up to the
// value) in a /metrics body, or -1.
func metricOf(body, series string) float64 {
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`).FindStringSubmatch(body)
	if m == nil {
		return -1
	}
	f, _ := strconv.ParseFloat(m[1], 64)
	return f
}

// pushOutage is how long TestPushToVictoriaMetrics keeps the endpoint
// down; HEIMNETZ_PUSH_OUTAGE (e.g. 60s, scripts/push/outage.sh) sets a
// longer one.
func pushOutage(t *testing.T) time.Duration {
	if s := os.Getenv("HEIMNETZ_PUSH_OUTAGE"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			t.Fatalf("HEIMNETZ_PUSH_OUTAGE: %v", err)
		}
		return d
	}
	return 10 * time.Second
}

// TestPushToVictoriaMetrics: two agents push every second to a real
// VictoriaMetrics with basic auth, one with the default 4 MiB queue, one
// with the smallest (16 KiB, less than two batches). Their series arrive
// with the configured labels; VictoriaMetrics is stopped for the outage
// and restarted on the same port and storage: the first agent fills the
// gap from its queue (samples stamped inside the outage arrive), the
// second drops and counts; neither queue ever passes its bound.
func TestPushToVictoriaMetrics(t *testing.T) {
	requireVictoriaMetrics(t)
	outage := pushOutage(t)
	start := time.Now()
	dir := t.TempDir()
	vm := startVictoriaMetrics(t, "", filepath.Join(dir, "vm"))
	t.Logf("%v: victoria-metrics answers", time.Since(start).Round(100*time.Millisecond))
	pwFile := filepath.Join(dir, "push.pass")
	if err := os.WriteFile(pwFile, []byte(vm.pass+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	type agentRun struct {
		instance string
		queue    int64
		a        *agentProc
		maxQueue float64
	}
	runs := []*agentRun{{instance: "big", queue: 4 << 20}, {instance: "tiny", queue: 16 << 10}}
	for _, r := range runs {
		conf := filepath.Join(dir, r.instance+".json")
		c := fmt.Sprintf(`{"push": {"url": "http://%s/api/v1/import/prometheus", "interval": "1s", "timeout": "2s",
			"labels": {"instance": %q, "site": "e2e"}, "username": %q, "password_file": %q, "queue_bytes": %d}}`,
			vm.addr, r.instance, vm.user, pwFile, r.queue)
		if err := os.WriteFile(conf, []byte(c), 0o600); err != nil {
			t.Fatal(err)
		}
		r.a = startAgent(t, filepath.Join(dir, r.instance), "--config", conf)
		r.a.patience = 10 * time.Second
		t.Logf("%v: agent %s answers", time.Since(start).Round(100*time.Millisecond), r.instance)
	}
	// Both agents deliver. Their series are looked for in VictoriaMetrics
	// after the outage: it finds a new series up to ~10 s after it took
	// it (it indexes new series of the current hour every 10 s) and
	// caches an empty answer.
	for _, r := range runs {
		r.a.waitForMetrics(t, `(?m)^heimnetz_push_samples_total [1-9]`)
	}
	t.Logf("%v: both agents delivered", time.Since(start).Round(100*time.Millisecond))

	// The outage. Meanwhile both agents' queues are watched.
	vm.stop()
	down := time.Now()
	var mu sync.Mutex
	stopWatch := make(chan struct{})
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		for {
			select {
			case <-stopWatch:
				return
			case <-time.After(200 * time.Millisecond):
			}
			for _, r := range runs {
				_, body := r.a.get(t, "/metrics")
				if q := metricOf(body, "heimnetz_push_queue_bytes"); q >= 0 {
					mu.Lock()
					r.maxQueue = max(r.maxQueue, q)
					mu.Unlock()
				}
			}
		}
	}()
	time.Sleep(outage)
	vm = startVictoriaMetrics(t, vm.addr, vm.data)
	up := time.Now()

	// The big queue drains at the next retry: after a 10 s outage the
	// back-off wait is at most 16 s (1, 2, 4, 8, 16 s, each less up to
	// half by jitter), after a minute at most 64 s: the wait is bounded
	// by twice the outage.
	for deadline := time.Now().Add(2*outage + 10*time.Second); ; time.Sleep(250 * time.Millisecond) {
		_, body := runs[0].a.get(t, "/metrics")
		if last := metricOf(body, "heimnetz_push_last_success_timestamp_seconds"); last >= float64(up.Unix()) && metricOf(body, "heimnetz_push_queue_bytes") == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the big queue was not delivered %v after the outage:\n%s\n%s", time.Since(up), grepLines(body, "heimnetz_push_"), runs[0].a.logs)
		}
	}
	t.Logf("%v: big queue delivered %v after the endpoint came back", time.Since(start).Round(100*time.Millisecond), time.Since(up).Round(100*time.Millisecond))
	close(stopWatch)
	<-watched

	inside := func(instance string) (n int) {
		for _, s := range vm.export(fmt.Sprintf(`heimnetz_build_info{instance=%q}`, instance)) {
			for _, ts := range s.Timestamps {
				if ts > down.Add(time.Second).UnixMilli() && ts < up.Add(-time.Second).UnixMilli() {
					n++
				}
			}
		}
		return n
	}
	// What VictoriaMetrics accepted last becomes searchable within a
	// second or two (it buffers new rows). The window leaves out a second
	// at either end; one sample a second is taken inside it, and 60 % of
	// them must arrive (a loaded CI machine may delay some collections;
	// without the queue none would).
	window := up.Sub(down) - 2*time.Second
	n := 0
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		if n = inside("big"); float64(n) >= window.Seconds()*0.6 {
			break
		}
	}
	if float64(n) < window.Seconds()*0.6 {
		t.Errorf("big queue: %d samples of heimnetz_build_info stamped inside the %v outage (window %v), want about one a second", n, outage, window.Round(100*time.Millisecond))
	} else {
		t.Logf("big queue: %d samples of heimnetz_build_info stamped inside the %v outage (window %v) arrived", n, outage, window.Round(100*time.Millisecond))
	}
	// Both agents' series arrive, with their own labels kept, and web's
	// heimnetz_server_* families come with the core's (a pushed router
	// has what a scraped one has).
	seen, server := map[string]bool{}, map[string]bool{}
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline) && !(seen["big"] && seen["tiny"] && server["big"] && server["tiny"]); time.Sleep(250 * time.Millisecond) {
		for _, s := range vm.export(`{site="e2e",__name__=~"heimnetz_build_info|heimnetz_plugin_executions_total|heimnetz_server_active_connections"}`) {
			if s.Metric["__name__"] == "heimnetz_server_active_connections" {
				server[s.Metric["instance"]] = true
				continue
			}
			seen[s.Metric["instance"]] = true
			if s.Metric["__name__"] == "heimnetz_plugin_executions_total" && (s.Metric["plugin"] == "" || s.Metric["result"] == "") {
				t.Errorf("series lost its own labels: %v", s.Metric)
			}
		}
	}
	if !seen["big"] || !seen["tiny"] {
		t.Fatalf("series of instances %v arrived, want big and tiny:\n%s\n%s", seen, runs[0].a.logs, vm.logs)
	}
	if !server["big"] || !server["tiny"] {
		t.Errorf("heimnetz_server_active_connections of instances %v arrived, want big and tiny: the push must carry web's families too", server)
	}
	if strings.Contains(runs[0].a.logs.String(), vm.pass) {
		t.Errorf("the agent logged the push password:\n%s", runs[0].a.logs)
	}

	_, bigMetrics := runs[0].a.get(t, "/metrics")
	promtool.Check(t, bigMetrics) // the heimnetz_push_* families pass too
	if d := metricOf(bigMetrics, "heimnetz_push_dropped_samples_total"); d != 0 {
		t.Errorf("big queue dropped %v samples, want 0", d)
	}
	_, tinyMetrics := runs[1].a.get(t, "/metrics")
	if d := metricOf(tinyMetrics, "heimnetz_push_dropped_samples_total"); d <= 0 {
		t.Errorf("tiny queue: heimnetz_push_dropped_samples_total %v, want drops counted", d)
	}
	for _, r := range runs {
		if r.maxQueue > float64(r.queue) {
			t.Errorf("%s: the agent's heimnetz_push_queue_bytes reached %v, bound %d", r.instance, r.maxQueue, r.queue)
		}
		pushed := 0.0
		for _, s := range vm.export(fmt.Sprintf(`heimnetz_push_queue_bytes{instance=%q}`, r.instance)) {
			for _, v := range s.Values {
				pushed = max(pushed, v)
			}
		}
		if pushed > float64(r.queue) {
			t.Errorf("%s: heimnetz_push_queue_bytes pushed as %v, bound %d", r.instance, pushed, r.queue)
		}
		t.Logf("%s: queue bound %d B, peak seen on /metrics %v B, peak pushed %v B", r.instance, r.queue, r.maxQueue, pushed)
	}
	t.Logf("tiny queue: %v samples dropped; inside the outage %d samples of heimnetz_build_info arrived", metricOf(tinyMetrics, "heimnetz_push_dropped_samples_total"), inside("tiny"))
	// Both stop at once, each cleanly.
	exits := make(chan error, len(runs))
	for _, r := range runs {
		r.a.cmd.Process.Signal(syscall.SIGTERM)
		go func() { exits <- r.a.cmd.Wait() }()
	}
	for range runs {
		select {
		case err := <-exits:
			if err != nil {
				t.Errorf("an agent exited with %v after SIGTERM:\n%s\n%s", err, runs[0].a.logs, runs[1].a.logs)
			}
		case <-time.After(15 * time.Second):
			t.Fatal("an agent did not stop within 15 s of SIGTERM")
		}
	}
	t.Logf("%v: done", time.Since(start).Round(100*time.Millisecond))
}

// grepLines returns the lines of text that start with prefix.
func grepLines(text, prefix string) string {
	var b strings.Builder
	for line := range strings.Lines(text) {
		if strings.HasPrefix(line, prefix) {
			b.WriteString(line)
		}
	}
	return b.String()
}
