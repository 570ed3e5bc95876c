package web

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// The browser test drives the real pages in headless Chromium: log in,
// disable and re-enable a plugin, check that the overview follows, and save
// screenshots to out/screenshots/. It runs against the agent binary when
// `go build ./agent` succeeds (HEIMNETZ_BROWSER_TARGET=agent forces that,
// =inprocess forces the in-process test backend) and needs Debian's
// chromium; with CI=true a missing chromium fails the test.

// findChromium returns the browser binary or skips (fails under CI).
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed; the browser test needs it under CI (apt-get install -y chromium)")
	}
	t.Skip("chromium not installed; install Debian's chromium to run the browser test")
	return ""
}

// browserTarget is a running heimnetz to drive.
type browserTarget struct {
	url      string
	password string
	kind     string
}

func startBrowserTarget(t *testing.T) browserTarget {
	t.Helper()
	mode := os.Getenv("HEIMNETZ_BROWSER_TARGET")
	if mode != "inprocess" {
		bin := filepath.Join(t.TempDir(), "heimnetz")
		build := exec.Command("go", "build", "-o", bin, "./agent")
		build.Dir = ".."
		out, err := build.CombinedOutput()
		if err == nil {
			return startAgent(t, bin)
		}
		if mode == "agent" {
			t.Fatalf("go build ./agent: %v\n%s", err, out)
		}
		t.Logf("go build ./agent failed, using the in-process test backend:\n%s", clip(string(out), 600))
	}
	e := newTestEnv(t)
	fillDemoHistory(e)
	return browserTarget{url: e.url, password: testPassword, kind: "in-process test backend"}
}

// passwordRE finds the generated admin password in the agent's first-start
// log line (slog text or JSON).
var passwordRE = regexp.MustCompile(`password"?[=:]"?([A-Z2-7]{26})`)

func startAgent(t *testing.T, bin string) browserTarget {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "run", "--listen", addr, "--data", t.TempDir())
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = cmd.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("agent exit: %v", err)
			}
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			t.Error("agent did not stop within 10 s of SIGINT")
		}
	})
	pw := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sent := false
		for sc.Scan() {
			if m := passwordRE.FindStringSubmatch(sc.Text()); m != nil && !sent {
				pw <- m[1]
				sent = true
			}
		}
		io.Copy(io.Discard, stderr)
	}()
	var password string
	select {
	case password = <-pw:
	case <-time.After(20 * time.Second):
		t.Fatal("agent printed no generated admin password within 20 s")
	}
	url := "http://" + addr
	for deadline := time.Now().Add(10 * time.Second); ; {
		resp, err := http.Get(url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("agent at %s not healthy: %v", url, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return browserTarget{url: url, password: password, kind: "agent binary"}
}

// fillDemoHistory gives the in-process backend an hour of varied history so
// the charts in the screenshots show something.
func fillDemoHistory(e *testEnv) {
	base := time.Now().Add(-time.Hour)
	for i := range 240 {
		e.b.mu.Lock()
		for j, name := range []string{"example-counter", "net", "system"} {
			p := e.b.plugins[name]
			p.CPUSeconds += 0.04 * float64(1+j) * (1 + 0.8*wave(i+7*j))
			p.MemoryBytes = uint64(float64(200<<10) * (1 + 0.3*float64(j) + 0.2*wave(i/3+j)))
		}
		e.b.overview.Interfaces[0].RxBytes += uint64(180_000 * (1.2 + wave(i)))
		e.b.overview.Interfaces[0].TxBytes += uint64(40_000 * (1.2 + wave(i+5)))
		e.b.overview.Interfaces[1].RxBytes += uint64(900_000 * (1.1 + wave(i/2)))
		e.b.overview.Interfaces[1].TxBytes += uint64(120_000 * (1.1 + wave(i/2+3)))
		e.b.overview.System.Load1 = 0.3 + 0.25*wave(i/4)
		ov := e.b.overview
		e.b.mu.Unlock()
		e.srv.history.add(sampleInput{
			now: base.Add(time.Duration(i) * 15 * time.Second), overview: ov, plugins: e.b.Plugins(),
			latMean: 0.0004 * (1.5 + wave(i/5)), latMax: 0.002, requests: uint64(30 + 10*wave(i)),
			goMemory: 9 << 20,
		})
	}
	e.b.mu.Lock()
	e.b.addEvent(EventTypeLoginFailed, SeverityWarning, "", "failed admin login from 192.168.1.23")
	e.b.addEvent("limit_exceeded", SeverityCritical, "net", `plugin "net": instruction limit exceeded (10000000)`)
	e.b.mu.Unlock()
}

// wave is a deterministic pseudo-random value in [-1, 1].
func wave(i int) float64 {
	x := uint32(i)*2654435761 ^ 0x5bd1e995
	x ^= x >> 13
	return float64(x%2001)/1000 - 1
}

func firstEnabledPlugin(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url + "/api/v1/plugins")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Plugins []PluginSummary `json:"plugins"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	for _, p := range out.Plugins {
		if p.Enabled {
			return p.Name
		}
	}
	t.Fatalf("no enabled plugin at %s", url)
	return ""
}

func pluginEnabled(t *testing.T, url, name string) bool {
	t.Helper()
	resp, err := http.Get(url + "/api/v1/plugins/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var p PluginView
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
		t.Fatal(err)
	}
	return p.Enabled
}

func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	chrome := findChromium(t)
	target := startBrowserTarget(t)
	t.Logf("driving %s at %s", target.kind, target.url)
	shots := filepath.Join("..", "out", "screenshots")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil { // start the browser without a deadline
		t.Fatalf("start chromium: %v", err)
	}
	var mu sync.Mutex
	var problems []string
	go func() {
		for m, err := range chromedp.Console(ctx) {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() || strings.Contains(m.Text, "Content Security Policy") {
				mu.Lock()
				problems = append(problems, m.String())
				mu.Unlock()
			}
		}
	}()
	run := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		tctx, tcancel := context.WithTimeout(ctx, 20*time.Second)
		defer tcancel()
		if err := chromedp.Do(tctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		tctx, tcancel := context.WithTimeout(ctx, 10*time.Second)
		defer tcancel()
		s, err := chromedp.Run(tctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	shot := func(name string) {
		t.Helper()
		tctx, tcancel := context.WithTimeout(ctx, 20*time.Second)
		defer tcancel()
		png, err := chromedp.Run(tctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(shots, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	name := firstEnabledPlugin(t, target.url)
	card := fmt.Sprintf(`form[action="/plugins/%s/%%s"] button`, name)

	run("log in",
		chromedp.Navigate(target.url+"/"),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/login"]`)),
		chromedp.Click(chromedp.CSS(`a[href="/login"]`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name="password"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), target.password),
		chromedp.Submit(chromedp.CSS(`input[name="password"]`)),
		chromedp.WaitVisible(chromedp.CSS(`button.link`)),
	)
	if got := text(".flash"); got != "Logged in." {
		t.Fatalf("after login the notice is %q", got)
	}
	shot("overview.png")

	run("disable "+name,
		chromedp.Click(chromedp.CSS(fmt.Sprintf(card, "disable"))),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(card, "enable"))),
	)
	if got := text(".flash"); got != "Plugin disabled." {
		t.Fatalf("after disable the notice is %q", got)
	}
	if pluginEnabled(t, target.url, name) {
		t.Fatalf("%s still enabled after clicking Disable", name)
	}
	state := text(fmt.Sprintf(`a[href="/plugins/%s"] ~ .badge`, name))
	if state != StateDisabled {
		t.Fatalf("overview shows %s as %q after disabling", name, state)
	}

	run("open plugin page",
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`a.name[href="/plugins/%s"]`, name))),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(card, "enable"))),
	)
	run("enable "+name,
		chromedp.Click(chromedp.CSS(fmt.Sprintf(card, "enable"))),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(card, "disable"))),
	)
	if !pluginEnabled(t, target.url, name) {
		t.Fatalf("%s not enabled after clicking Enable", name)
	}
	shot("plugin.png")

	run("back to the overview",
		chromedp.Navigate(target.url+"/"),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(card, "disable"))),
	)
	if state := text(fmt.Sprintf(`a[href="/plugins/%s"] ~ .badge`, name)); state == StateDisabled {
		t.Fatalf("overview still shows %s disabled after enabling", name)
	}

	// The same overview on a phone, in dark mode.
	run("phone, dark",
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)),
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}},
			})
			return err
		}),
		chromedp.Navigate(target.url+"/"),
		chromedp.WaitVisible(chromedp.CSS(`main`)),
	)
	shot("overview-phone-dark.png")

	mu.Lock()
	defer mu.Unlock()
	if len(problems) > 0 {
		t.Fatalf("browser console reported problems (CSP violations or script errors):\n%s", strings.Join(problems, "\n"))
	}
}
