package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The bounds TestAgentWebUnderAttack holds the real agent to (issue 13,
// class 5). Measured figures are logged with -v.
const (
	// rssGrowthBound is the most the agent's resident memory (VmHWM) may
	// grow while 300 connections announce 1 MiB bodies and send nothing.
	// Before bodies were streamed it grew by about 1 MiB per connection.
	rssGrowthBound = 24 << 20
	// healthzBound is the slowest a fresh client's /healthz (connect and
	// answer) and an admin's authenticated request may be during a
	// slowloris flood.
	healthzBound = 2 * time.Second
	// attackPhase is how long the slowloris phase runs.
	attackPhase = 6 * time.Second
	// slowlorisPerAddr connections from each of four addresses: 1,200 in
	// all, more than the server's 1,024, so the gate is full and every
	// fresh request has to displace one. (Run by hand with 550, 2,200 in
	// all as in the issue: slowest /healthz 0.9 s, admin 1.1 s, with the
	// flood's own goroutines competing for the same two cores; the agent
	// before issue 13 answered 18 of 60 of those probes with 503.)
	slowlorisPerAddr = 300
)

// TestAgentWebUnderAttack runs LAN attacks against the real agent binary,
// each phase bounded in time and only on loopback addresses: (a) bodies
// announced but never sent, (b) a slowloris flood from several source
// addresses while a fresh client and the admin are served, (c) Host
// headers a DNS-rebinding page would send.
func TestAgentWebUnderAttack(t *testing.T) {
	requireBinary(t)
	if !canBindLoopback("127.0.0.2") {
		t.Skip("no 127.0.0.2 source address on this machine")
	}
	token := "load-test-token-0123456789abcdef"
	cfg := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(cfg, []byte(`{"admin_token": "`+token+`", "hostnames": ["router.test"]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	a := startAgent(t, t.TempDir(), "--config", cfg)
	defer a.stop(t)
	addr := strings.TrimPrefix(a.base, "http://")
	pid := a.cmd.Process.Pid
	bearer := "Authorization: Bearer " + token

	t.Run("announced bodies", func(t *testing.T) {
		// Let the plugins' first runs and the page caches settle: the
		// baseline is taken once every plugin has run.
		for range 5 {
			a.get(t, "/")
			a.get(t, "/api/v1/plugins")
		}
		for deadline := time.Now().Add(20 * time.Second); !allPluginsRan(t, a); time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("not every plugin ran within 20s")
			}
		}
		before := procStatusKiB(t, pid, "VmRSS")
		hwmBefore := procStatusKiB(t, pid, "VmHWM")
		start := time.Now()
		var conns []net.Conn
		defer func() {
			for _, c := range conns {
				c.Close()
			}
		}()
		// 150 anonymous uploads, 50 admin uploads, 100 logins, all
		// announcing 1 MiB and sending nothing more than the header.
		heads := []struct {
			n    int
			path string
			hdr  string
		}{
			{150, "/api/v1/plugins/install", ""},
			{50, "/api/v1/plugins/install", bearer + "\r\n"},
			{100, "/api/v1/login", ""},
		}
		for _, h := range heads {
			for range h.n {
				c, err := dialFrom("127.0.0.1", addr)
				if err != nil {
					t.Fatal(err)
				}
				conns = append(conns, c)
				fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: %s\r\n%sContent-Type: application/octet-stream\r\nContent-Length: 1048576\r\n\r\n", h.path, addr, h.hdr)
			}
		}
		// The answers the refused ones got: 401 (anonymous upload, not
		// read), 413 (login over 4 KiB), 503 (admin uploads beyond the
		// body budget), and the admitted admin uploads still waiting.
		// Awaiting them all (one shared deadline for those still waiting)
		// is what lets the memory be read with the server holding
		// everything it will hold; the connections stay open.
		answerBy := time.Now().Add(3 * time.Second)
		answers := make([]int, len(conns))
		var read sync.WaitGroup
		for i, c := range conns {
			read.Go(func() {
				c.SetReadDeadline(answerBy)
				resp, err := http.ReadResponse(bufio.NewReader(c), nil)
				if err != nil {
					return // answers[i] stays 0: still waiting
				}
				answers[i] = resp.StatusCode
				if resp.StatusCode == 503 && resp.Header.Get("Retry-After") == "" {
					t.Errorf("503 without Retry-After")
				}
				resp.Body.Close()
			})
		}
		read.Wait()
		codes := map[int]int{}
		for _, code := range answers {
			codes[code]++
		}
		during := procStatusKiB(t, pid, "VmRSS")
		hwm := procStatusKiB(t, pid, "VmHWM")
		// Every connection must have been answered or still be waiting;
		// the agent must still serve.
		if code, _ := a.get(t, "/healthz"); code != 200 {
			t.Fatalf("/healthz = %d during the announced-body phase", code)
		}
		growth := max(hwm-hwmBefore, during-before) << 10
		t.Logf("300 connections announcing 1 MiB: VmRSS %d → %d KiB, VmHWM %d → %d KiB, growth %.1f MiB (bound %d MiB), phase %v",
			before, during, hwmBefore, hwm, float64(growth)/(1<<20), rssGrowthBound>>20, time.Since(start).Round(time.Millisecond))
		if growth > rssGrowthBound {
			t.Errorf("agent memory grew by %.1f MiB, bound %d MiB", float64(growth)/(1<<20), rssGrowthBound>>20)
		}
		t.Logf("answers: %v (0: still waiting for its body)", codes)
		if codes[401] != 150 || codes[413] != 100 || codes[503] < 40 || codes[0] > 10 {
			t.Errorf("answers %v, want 150×401, 100×413, at least 40×503 and at most 10 waiting", codes)
		}
	})

	t.Run("slowloris", func(t *testing.T) {
		stop := make(chan struct{})
		var wg sync.WaitGroup
		var opened atomic.Int64
		// Four source addresses keep slowlorisPerAddr connections each
		// open, sending a header byte every 400 ms and reconnecting when
		// cut off or refused.
		for i := 2; i <= 5; i++ {
			src := fmt.Sprintf("127.0.0.%d", i)
			for range slowlorisPerAddr {
				wg.Add(1)
				go func() {
					defer wg.Done()
					slowloris(src, addr, stop, &opened)
				}()
			}
		}
		// The flood has filled the server once as many connections were
		// opened as the slowloris goroutines hold.
		attackStart := time.Now()
		for opened.Load() < 4*slowlorisPerAddr {
			if time.Since(attackStart) > 20*time.Second {
				t.Fatalf("only %d slowloris connections opened in 20s", opened.Load())
			}
			time.Sleep(10 * time.Millisecond)
		}
		var worstHealthz, worstAdmin time.Duration
		var failures []string
		// Fresh requests every 200 ms through the rest of the attack: the
		// pacing is the point, it samples the whole phase.
		for deadline := attackStart.Add(attackPhase); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
			d, err := timedGet("127.0.0.1", addr, "/healthz", "")
			worstHealthz = max(worstHealthz, d)
			if err != nil {
				failures = append(failures, "healthz: "+err.Error())
			}
			d, err = timedGet("127.0.0.6", addr, "/api/v1/plugins", bearer)
			worstAdmin = max(worstAdmin, d)
			if err != nil {
				failures = append(failures, "admin: "+err.Error())
			}
		}
		close(stop)
		wg.Wait()
		t.Logf("slowloris from 4 addresses × %d connections (%d opened in all): slowest fresh /healthz %v, slowest admin request %v (bound %v), VmHWM %d KiB",
			slowlorisPerAddr, opened.Load(), worstHealthz.Round(time.Millisecond), worstAdmin.Round(time.Millisecond), healthzBound, procStatusKiB(t, pid, "VmHWM"))
		if len(failures) > 0 {
			t.Errorf("%d requests failed during the flood, first: %s", len(failures), failures[0])
		}
		if worstHealthz > healthzBound || worstAdmin > healthzBound {
			t.Errorf("slowest /healthz %v, admin %v; bound %v", worstHealthz, worstAdmin, healthzBound)
		}
	})

	t.Run("host header", func(t *testing.T) {
		for _, c := range []struct {
			path, host string
			want       int
		}{
			{"/api/v1/events", "rebind.evil.example", 421},
			{"/api/v1/plugins", "rebind.evil.example:" + strings.Split(addr, ":")[1], 421},
			{"/", "rebind.evil.example", 421},
			{"/events", "192.0.2.1", 421},
			{"/metrics", "rebind.evil.example", 200},
			{"/healthz", "rebind.evil.example", 200},
			{"/api/v1/events", "router.test", 200},
			{"/api/v1/events", "localhost", 200},
			{"/api/v1/events", addr, 200},
		} {
			req, _ := http.NewRequest("GET", a.base+c.path, nil)
			req.Host = c.host
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != c.want || c.want == 421 && !strings.HasPrefix(string(body), `{"error":`) {
				t.Errorf("GET %s Host %s = %d %.60s, want %d", c.path, c.host, resp.StatusCode, body, c.want)
			}
		}
	})
}

// slowloris keeps one connection from src half-open until stop, reopening
// it whenever the server cuts it off.
func slowloris(src, addr string, stop <-chan struct{}, opened *atomic.Int64) {
	const header = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-a: "
	for {
		c, err := dialFrom(src, addr)
		if err != nil {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
				continue
			}
		}
		opened.Add(1)
		for i := 0; ; i++ {
			b := byte('a')
			if i < len(header) {
				b = header[i]
			}
			if _, err := c.Write([]byte{b}); err != nil {
				// Cut off or refused: come back a little later, as a
				// flood tool would rather than spin.
				time.Sleep(50 * time.Millisecond)
				break
			}
			select {
			case <-stop:
				c.Close()
				return
			case <-time.After(400 * time.Millisecond):
			}
		}
		c.Close()
	}
}

// timedGet makes one request on a new connection from src and returns how
// long it took; anything but 200 is an error.
func timedGet(src, addr, path, hdr string) (time.Duration, error) {
	start := time.Now()
	c, err := dialFrom(src, addr)
	if err != nil {
		return time.Since(start), err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(healthzBound + time.Second))
	if hdr != "" {
		hdr += "\r\n"
	}
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\n%sConnection: close\r\n\r\n", path, addr, hdr)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return time.Since(start), err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return time.Since(start), fmt.Errorf("%s: %s", path, resp.Status)
	}
	return time.Since(start), nil
}

func dialFrom(src, addr string) (net.Conn, error) {
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}, Timeout: 2 * time.Second}
	return d.Dial("tcp", addr)
}

func canBindLoopback(ip string) bool {
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		return false
	}
	ln.Close()
	return true
}

// procStatusKiB reads one "Key: N kB" line of /proc/PID/status.
func procStatusKiB(t *testing.T, pid int, key string) int64 {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, key+":"); ok {
			n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err == nil {
				return n
			}
		}
	}
	t.Fatalf("/proc/%d/status has no %s", pid, key)
	return 0
}

// allPluginsRan reports whether every plugin the agent lists has run.
func allPluginsRan(t *testing.T, a *agentProc) bool {
	t.Helper()
	_, body := a.get(t, "/api/v1/plugins")
	list := checkPluginList(t, []byte(body))
	for _, p := range list.Plugins {
		if p.Runs == 0 {
			return false
		}
	}
	return len(list.Plugins) > 0
}
