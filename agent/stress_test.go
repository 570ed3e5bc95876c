package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/heimnetz/heimnetz/luaplugins"
)

// The figures TestAgentUnderThousandConnections holds the real agent to
// (issue 16, point 6: the plugin-server spec's 1000-connection stress
// test). Measured figures are logged with -v; none of them is a latency or
// throughput bound, which two shared cores cannot promise.
const (
	// stressConns connections are opened at once and kept busy.
	stressConns = 1000
	// stressSources: the connections come from 127.0.0.2 to 127.0.0.5,
	// 250 each. The agent's per-address limit (max_connections_per_ip,
	// 512 by default) is meant for exactly this: one LAN host may not hold
	// more than half of the server. 1000 connections from 127.0.0.1 alone
	// would have 488 of them answered 429 at connect, by design, and would
	// test the gate rather than the server; raising the limit in the
	// config instead would test a configuration no router runs. Several
	// source addresses look like what a household or a monitoring setup
	// is — many clients — and keep the agent on its defaults. 1000 stays
	// under the server's 1,024 connections in all, so no one is displaced
	// or refused either.
	stressSources = 4
	// stressLoad is how long the connections are kept busy, after all of
	// them are open.
	stressLoad = 10 * time.Second
	// stressRequestTimeout is the longest one request may take before it
	// counts as failed: far above what the agent needs (p99 2 to 5 s with
	// 1000 connections each waiting for its previous answer, measured on
	// two cores shared with a load average of 15), so only a hang trips
	// it.
	stressRequestTimeout = 15 * time.Second
	// stressPluginInterval is every bundled plugin's interval during the
	// test (the config's per-plugin switch), so the load window holds
	// about a dozen runs of each.
	stressPluginInterval = time.Second
	// stressHWMBound is the most the agent's peak resident memory (VmHWM)
	// may reach by the end of the load: its memory_limit is 24 MiB of Go
	// heap, and each open connection holds a few KiB of buffers and
	// goroutine stack on top. Measured: 16 MiB before the load, 35 to
	// 36 MiB after (46 MiB before handler slots bounded the requests
	// handled at once).
	stressHWMBound = 64 << 20
	// recentRunsKept is how many runs /api/v1/plugins/{name} lists
	// (core's recentRuns): the load window must fit in them.
	recentRunsKept = 20
)

// stressPaths are the routes every connection cycles through: the
// Prometheus scrape, the pages and the read-only API.
var stressPaths = []string{"/metrics", "/", "/network", "/plugins/loadavg", "/api/v1/plugins", "/api/v1/events"}

// TestAgentUnderThousandConnections opens 1000 keep-alive connections to
// the real agent binary, from four loopback source addresses, and keeps
// each busy with back-to-back GETs of /metrics, the pages and the API for
// stressLoad, while a scraper reads /metrics once a second as Prometheus
// would. It asserts: no request failed (connection error, timeout, 5xx or
// any other unexpected status, a response that does not parse or lacks
// its content); 429s from the per-address limit are counted apart (none
// are expected, see stressSources); the agent's peak RSS stays under
// stressHWMBound; and every bundled plugin kept its 1 s schedule (runs
// during the window within one of window/interval, none skipped, none
// disabled, no limit but the wall time broken: see checkSchedule). Bundled plugins keep to their schedule only because the web
// server runs at most a few handlers at once (web/handlerslots.go):
// without that bound they made 5 to 9 of their 14 due runs here.
//
// Open files: the test process needs 1000 sockets and raises its own
// RLIMIT_NOFILE soft limit to the hard limit (Go has done this itself at
// start since 1.19; doing it here states the need). The agent gets the
// same from the Go runtime at its own start — nothing in heimnetz sets it
// — and the test checks /proc/PID/limits for it. On OpenWrt procd sets
// both limits from UCI's `nofile` before the agent starts.
func TestAgentUnderThousandConnections(t *testing.T) {
	requireBinary(t)
	sources := make([]string, stressSources)
	for i := range sources {
		sources[i] = fmt.Sprintf("127.0.0.%d", i+2)
		if !canBindLoopback(sources[i]) {
			if os.Getenv("CI") == "true" {
				t.Fatalf("cannot bind %s: the stress test needs 127.0.0.0/8 on lo", sources[i])
			}
			t.Skipf("no %s source address on this machine", sources[i])
		}
	}
	raiseNoFile(t, stressConns+200)

	plugins := map[string]any{}
	for _, name := range luaplugins.BundledNames() {
		plugins[name] = map[string]string{"interval": stressPluginInterval.String()}
	}
	cfgJSON, err := json.Marshal(map[string]any{"plugins": plugins})
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(cfg, cfgJSON, 0o600); err != nil {
		t.Fatal(err)
	}
	a := startAgent(t, t.TempDir(), "--config", cfg)
	defer a.stop(t)
	addr := strings.TrimPrefix(a.base, "http://")
	pid := a.cmd.Process.Pid
	if soft := agentNoFile(t, pid); soft < stressConns+100 {
		t.Fatalf("the agent's open-file limit is %d, too few for %d connections", soft, stressConns)
	}

	// Every plugin has run (its state loaded) and the page caches are warm
	// before the baseline.
	for deadline := time.Now().Add(20 * time.Second); !allPluginsRan(t, a); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("not every plugin ran within 20s:\n%s", a.logs)
		}
	}
	for _, p := range stressPaths {
		a.get(t, p)
	}
	hwmBefore := procStatusKiB(t, pid, "VmHWM")
	_, metricsBefore := a.get(t, "/metrics")
	runsBefore := pluginRuns(metricsBefore)

	// Open every connection first, then load them all for stressLoad.
	conns := make([]*stressConn, stressConns)
	var dial sync.WaitGroup
	for i := range conns {
		dial.Go(func() { conns[i] = dialStress(sources[i%len(sources)], addr) })
	}
	dial.Wait()
	loadStart := time.Now()
	stop := loadStart.Add(stressLoad)
	var work sync.WaitGroup
	for i, c := range conns {
		work.Go(func() { c.load(addr, i, stop) })
	}
	scrapes := scrapeDuring(addr, stop)
	work.Wait()
	loadTime := time.Since(loadStart)
	for _, c := range conns {
		c.close()
	}
	_, metricsAfter := a.get(t, "/metrics")
	runsAfter := pluginRuns(metricsAfter)
	hwmAfter := procStatusKiB(t, pid, "VmHWM")

	total := stressTotals(conns)
	lat := total.latencies
	slices.Sort(lat)
	t.Logf("%d connections from %d addresses, %v of load: %d requests (%.0f req/s), p50 %v, p99 %v, slowest %v; by path %v",
		stressConns, len(sources), loadTime.Round(time.Millisecond), len(lat), float64(len(lat))/loadTime.Seconds(),
		percentile(lat, 0.50), percentile(lat, 0.99), percentile(lat, 1), total.byPath)
	t.Logf("connects %d, 429 answers %d (per-address limit), reconnects after a close %d, failures %d",
		total.connects, total.tooMany, total.reconnects, len(total.failures))
	t.Logf("scraper on 127.0.0.1: %d scrapes of /metrics during the load, slowest %v, server's open connections at most %d, failures %d",
		len(scrapes.took), scrapes.slowest(), scrapes.peakConns, len(scrapes.failures))
	t.Logf("agent VmHWM %d KiB before, %d KiB after (bound %d KiB); shed: %s",
		hwmBefore, hwmAfter, stressHWMBound>>10, strings.Join(regexp.MustCompile(`(?m)^heimnetz_server_connections_shed_total\{reason="(\w+)"\} (\d+)$`).FindAllString(metricsAfter, -1), ", "))

	fails := append(total.failures, scrapes.failures...)
	if len(fails) > 0 {
		t.Errorf("%d requests failed; the first ones:\n%s", len(fails), strings.Join(fails[:min(len(fails), 10)], "\n"))
	}
	// With 250 connections per address under a limit of 512 the gate
	// never answers 429; one that does has counted a closed connection
	// against its address longer than it should.
	if total.tooMany > 0 {
		t.Errorf("%d connections were answered 429 with 250 per address, under the limit of 512", total.tooMany)
	}
	if scrapes.peakConns < stressConns*9/10 {
		t.Errorf("the server had at most %d connections open during the load, want about %d", scrapes.peakConns, stressConns)
	}
	if hwmAfter<<10 > stressHWMBound {
		t.Errorf("agent VmHWM %d KiB after the load, bound %d KiB", hwmAfter, stressHWMBound>>10)
	}
	checkSchedule(t, a, runsBefore, runsAfter, loadStart, loadStart.Add(loadTime))
}

// raiseNoFile raises this process's soft open-file limit to its hard
// limit and fails when that is below need.
func raiseNoFile(t *testing.T, need uint64) {
	t.Helper()
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatalf("getrlimit: %v", err)
	}
	if lim.Cur < lim.Max {
		lim.Cur = lim.Max
		if err := unix.Setrlimit(unix.RLIMIT_NOFILE, &lim); err != nil {
			t.Fatalf("setrlimit NOFILE %d: %v", lim.Max, err)
		}
	}
	if lim.Cur < need {
		t.Fatalf("open-file limit %d (hard), the stress test needs %d: raise it (ulimit -Hn)", lim.Cur, need)
	}
}

// agentNoFile reads the soft "Max open files" limit of process pid.
func agentNoFile(t *testing.T, pid int) int {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/limits", pid))
	if err != nil {
		t.Fatalf("the agent's limits: %v", err)
	}
	m := regexp.MustCompile(`(?m)^Max open files\s+(\d+)`).FindSubmatch(data)
	if m == nil {
		t.Fatalf("/proc/%d/limits has no Max open files:\n%s", pid, data)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// stressConn is one load connection and what it saw.
type stressConn struct {
	src string
	c   net.Conn
	br  *bufio.Reader

	latencies         []time.Duration
	byPath            map[string]int
	connects, tooMany int
	reconnects        int
	failures          []string
}

// dialStress opens a connection from src; a failure to connect is
// recorded as a failed request and retried by load.
func dialStress(src, addr string) *stressConn {
	s := &stressConn{src: src, byPath: map[string]int{}}
	s.connect(addr)
	return s
}

func (s *stressConn) connect(addr string) bool {
	c, err := dialFrom(s.src, addr)
	if err != nil {
		s.fail("connect from %s: %v", s.src, err)
		return false
	}
	s.connects++
	s.c, s.br = c, bufio.NewReaderSize(c, 16<<10)
	return true
}

func (s *stressConn) close() {
	if s.c != nil {
		s.c.Close()
		s.c = nil
	}
}

func (s *stressConn) fail(format string, args ...any) {
	s.failures = append(s.failures, fmt.Sprintf(format, args...))
}

// load sends requests back to back on the connection until stop, each
// waiting for its whole answer; connection i starts at its own place in
// stressPaths so every route is busy at every moment.
func (s *stressConn) load(addr string, i int, stop time.Time) {
	for n := i; time.Now().Before(stop); n++ {
		if s.c == nil {
			if !s.connect(addr) {
				time.Sleep(100 * time.Millisecond)
				continue
			}
			s.reconnects++
		}
		path := stressPaths[n%len(stressPaths)]
		began := time.Now()
		resp, body, err := getOn(s.c, s.br, addr, path, began.Add(stressRequestTimeout))
		took := time.Since(began)
		switch {
		case err != nil:
			s.fail("GET %s from %s after %v: %v", path, s.src, took.Round(time.Millisecond), err)
			s.close()
			continue
		case resp.StatusCode == http.StatusTooManyRequests:
			// The gate's refusal closes the connection; come back after
			// its Retry-After as a client would.
			s.tooMany++
			s.close()
			time.Sleep(time.Second)
			continue
		}
		if problem := checkStressAnswer(path, resp, body); problem != "" {
			s.fail("GET %s from %s: %s", path, s.src, problem)
		} else {
			s.latencies = append(s.latencies, took)
			s.byPath[path]++
		}
		if resp.Close {
			s.close()
		}
	}
}

// getOn sends one keep-alive GET on c, accepting gzip as browsers and
// Prometheus do, and reads the whole answer; a gzipped body is returned
// decoded, after its length is checked against Content-Length.
func getOn(c net.Conn, br *bufio.Reader, addr, path string, deadline time.Time) (*http.Response, []byte, error) {
	c.SetDeadline(deadline)
	if _, err := fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: heimnetz-stress\r\nAccept-Encoding: gzip\r\n\r\n", path, addr); err != nil {
		return nil, nil, err
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		return nil, nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, nil, fmt.Errorf("body: %w", err)
	}
	if resp.ContentLength >= 0 && int64(len(body)) != resp.ContentLength {
		return nil, nil, fmt.Errorf("body of %d bytes, Content-Length %d", len(body), resp.ContentLength)
	}
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, nil, fmt.Errorf("gzip: %w", err)
		}
		if body, err = io.ReadAll(zr); err != nil {
			return nil, nil, fmt.Errorf("gzip: %w", err)
		}
	}
	return resp, body, nil
}

// checkStressAnswer says what is wrong with an answer to path, or "".
func checkStressAnswer(path string, resp *http.Response, body []byte) string {
	if resp.StatusCode != http.StatusOK {
		return fmt.Sprintf("status %s: %.200s", resp.Status, body)
	}
	ct := resp.Header.Get("Content-Type")
	switch {
	case path == "/metrics":
		if !strings.HasPrefix(ct, "text/plain") || !bytes.Contains(body, []byte("\nheimnetz_server_requests_total")) {
			return fmt.Sprintf("not a scrape: %s, %d bytes", ct, len(body))
		}
	case strings.HasPrefix(path, "/api/"):
		if !strings.HasPrefix(ct, "application/json") || !json.Valid(body) {
			return fmt.Sprintf("not JSON: %s: %.200s", ct, body)
		}
	default:
		if !strings.HasPrefix(ct, "text/html") || !bytes.Contains(body, []byte("</html>")) {
			return fmt.Sprintf("not a whole page: %s, %d bytes", ct, len(body))
		}
	}
	return ""
}

// stressTotal sums what every connection saw.
type stressTotal struct {
	latencies                     []time.Duration
	byPath                        map[string]int
	connects, tooMany, reconnects int
	failures                      []string
}

func stressTotals(conns []*stressConn) stressTotal {
	t := stressTotal{byPath: map[string]int{}}
	for _, c := range conns {
		t.latencies = append(t.latencies, c.latencies...)
		for p, n := range c.byPath {
			t.byPath[p] += n
		}
		t.connects += c.connects
		t.tooMany += c.tooMany
		t.reconnects += c.reconnects
		t.failures = append(t.failures, c.failures...)
	}
	return t
}

// percentile returns the q-quantile of sorted durations (q = 1: the
// largest).
func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q * float64(len(sorted)-1))
	return sorted[i].Round(time.Millisecond)
}

// scrapeLog is what the once-a-second scraper saw.
type scrapeLog struct {
	took      []time.Duration
	peakConns int
	failures  []string
}

func (s scrapeLog) slowest() time.Duration {
	if len(s.took) == 0 {
		return 0
	}
	return slices.Max(s.took).Round(time.Millisecond)
}

var activeConnsLine = regexp.MustCompile(`(?m)^heimnetz_server_active_connections (\d+)$`)

// scrapeDuring reads /metrics from 127.0.0.1 once a second until stop, on
// a new connection each time as Prometheus does after an idle gap, and
// notes the server's open connections.
func scrapeDuring(addr string, stop time.Time) scrapeLog {
	var log scrapeLog
	for next := time.Now().Add(time.Second); next.Before(stop); next = next.Add(time.Second) {
		time.Sleep(time.Until(next))
		began := time.Now()
		err := func() error {
			c, err := dialFrom("127.0.0.1", addr)
			if err != nil {
				return err
			}
			defer c.Close()
			resp, body, err := getOn(c, bufio.NewReader(c), addr, "/metrics", began.Add(stressRequestTimeout))
			if err != nil {
				return err
			}
			if problem := checkStressAnswer("/metrics", resp, body); problem != "" {
				return errors.New(problem)
			}
			if m := activeConnsLine.FindSubmatch(body); m != nil {
				n, _ := strconv.Atoi(string(m[1]))
				log.peakConns = max(log.peakConns, n)
			}
			return nil
		}()
		log.took = append(log.took, time.Since(began))
		if err != nil {
			log.failures = append(log.failures, "scrape: "+err.Error())
		}
	}
	return log
}

var executionsLine = regexp.MustCompile(`(?m)^heimnetz_plugin_executions_total\{plugin="([^"]+)",result="(\w+)"\} (\d+)$`)
var breaksLine = regexp.MustCompile(`(?m)^heimnetz_plugin_limit_breaks_total\{plugin="([^"]+)",limit="(\w+)",cause="\w+"\} (\d+)$`)
var enabledLine = regexp.MustCompile(`(?m)^heimnetz_plugin_enabled\{plugin="([^"]+)"\} (\d+)$`)

// pluginRuns reads each plugin's runs by result from a scrape, its limit
// breaks under "breaks" (all) and "timeout" (the wall-time limit's), and
// whether it is enabled under "enabled".
func pluginRuns(metrics string) map[string]map[string]int {
	runs := map[string]map[string]int{}
	add := func(plugin, key string, n string) {
		v, _ := strconv.Atoi(n)
		if runs[plugin] == nil {
			runs[plugin] = map[string]int{}
		}
		runs[plugin][key] += v
	}
	for _, m := range executionsLine.FindAllStringSubmatch(metrics, -1) {
		add(m[1], m[2], m[3])
	}
	for _, m := range breaksLine.FindAllStringSubmatch(metrics, -1) {
		add(m[1], "breaks", m[3])
		if m[2] == "timeout" {
			add(m[1], "timeout", m[3])
		}
	}
	for _, m := range enabledLine.FindAllStringSubmatch(metrics, -1) {
		add(m[1], "enabled", m[2])
	}
	return runs
}

// checkSchedule asserts that every bundled plugin kept its schedule
// through the load: its recent runs (GET /api/v1/plugins/{name}) that
// started between from and to number (to-from)/stressPluginInterval
// within one (where the window's ends cut them); between the two scrapes
// no run was skipped for its CPU share and no limit but the wall-time one
// was broken; and the plugin is still enabled. The scheduler drops a due
// run only when the one before it started more than an interval late, so
// a lost run shows as a missing count.
//
// A wall-time break is a run that happened and was cut, not a lost one,
// and it is what the limit is for: wall time includes the time the
// agent's process waits for a core. netstat's manifest allows 500 ms;
// with 1000 connections under the agent's 24 MiB memory_limit the
// garbage collector's assists and a machine loaded by other work made
// the longest runs of most plugins 250 to 360 ms (under 210 ms with a
// 256 MiB limit), and netstat broke its 500 ms in about one test run of
// four. Such breaks are logged and allowed as long as they do not add up
// to disabling the plugin (three in a row); the gaps and the longest run
// are logged, not asserted.
func checkSchedule(t *testing.T, a *agentProc, before, after map[string]map[string]int, from, to time.Time) {
	t.Helper()
	var summary []string
	for _, name := range luaplugins.BundledNames() {
		b, c := before[name], after[name]
		skipped, timeouts := c["skipped"]-b["skipped"], c["timeout"]-b["timeout"]
		otherBreaks := c["breaks"] - b["breaks"] - timeouts
		_, body := a.get(t, "/api/v1/plugins/"+name)
		var d struct {
			RecentRuns []struct {
				Time     time.Time `json:"time"`
				Duration float64   `json:"duration_seconds"`
				Error    string    `json:"error"`
			} `json:"recent_runs"`
		}
		if err := json.Unmarshal([]byte(body), &d); err != nil {
			t.Fatalf("/api/v1/plugins/%s: %v", name, err)
		}
		var errs []string
		// Only recentRunsKept runs are listed: when the load and its
		// drain took longer than that many intervals, the window starts
		// at the oldest one listed instead.
		start := from
		if n := len(d.RecentRuns); n == 0 {
			t.Fatalf("plugin %s: no recent runs", name)
		} else if n >= recentRunsKept && d.RecentRuns[0].Time.After(from) {
			start = d.RecentRuns[0].Time
		}
		if to.Sub(start) < stressLoad/2 {
			t.Fatalf("plugin %s: its %d recent runs cover only %v of the load", name, len(d.RecentRuns), to.Sub(start).Round(time.Millisecond))
		}
		want := int(to.Sub(start) / stressPluginInterval)
		ran, last, gap, longest := 0, start, time.Duration(0), 0.0
		for _, r := range d.RecentRuns {
			if r.Time.Before(start) || r.Time.After(to) {
				continue
			}
			ran++
			longest = max(longest, r.Duration)
			if r.Error != "" {
				errs = append(errs, r.Error)
			}
			gap = max(gap, r.Time.Sub(last))
			last = r.Time
		}
		gap = max(gap, to.Sub(last))
		summary = append(summary, fmt.Sprintf("%s %d of %d (gap %v, longest run %.0f ms)", name, ran, want, gap.Round(10*time.Millisecond), longest*1000))
		if timeouts > 0 {
			t.Logf("plugin %s broke its wall-time limit %d times during the load: %q", name, timeouts, errs)
		}
		if ran < want-1 || ran > want+1 || skipped > 0 || otherBreaks > 0 || c["enabled"] != 1 {
			t.Errorf("plugin %s: %d runs during %v of load, %d skipped, %d breaks of limits other than the wall time, enabled %d; want %d±1 runs (interval %v), none skipped or broken, enabled 1; errors: %q",
				name, ran, to.Sub(start).Round(time.Millisecond), skipped, otherBreaks, c["enabled"], want, stressPluginInterval, errs)
		}
	}
	t.Logf("plugin runs during the load, of window/interval (want ±1; largest gap between runs, longest run): %s", strings.Join(summary, ", "))
}
