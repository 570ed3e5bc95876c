package main

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

// TestBrowser drives the agent binary's pages in headless Chromium: log
// in, disable and re-enable a plugin, check that the overview follows,
// install a package through the Settings page's form,
// then load the overview, the Network page, a plugin page, a disabled
// plugin's page, the events, the settings and /docs at desktop (1280×800) and phone (390×844) width, save a
// screenshot of each under out/screenshots/ and inspect each page's boxes
// for what an owner would see as broken: a page wider than the screen,
// clipped text, a value split from its unit across lines, interface
// charts that do not line up.
//
// It builds the binary itself and fails when that fails: a page test that
// quietly ran against something else would prove nothing. It needs
// Debian's chromium; with CI=true a missing chromium fails the test.
//
// This file is self-contained (it shares no helper with the other tests
// of package main) so that it can move with the CLI.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	chrome := browserFindChromium(t)
	bin := browserBuild(t)
	ag := browserStartAgent(t, bin)
	shots := filepath.Join("..", "out", "screenshots")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	br := newBrowser(t, chrome)

	name := browserFirstEnabledPlugin(t, ag.url)
	card := fmt.Sprintf(`form[action="/plugins/%s/%%s"] button`, name)
	br.run("log in",
		chromedp.Navigate(ag.url+"/"),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/login"]`)),
		chromedp.Click(chromedp.CSS(`a[href="/login"]`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name="password"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), ag.password),
		chromedp.Submit(chromedp.CSS(`input[name="password"]`)),
		chromedp.WaitVisible(chromedp.CSS(`button.link`)),
	)
	if got := br.text(".flash"); got != "Logged in." {
		t.Fatalf("after login the notice is %q", got)
	}
	br.run("disable "+name,
		chromedp.Click(chromedp.CSS(fmt.Sprintf(card, "disable"))),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(card, "enable"))),
	)
	if got := br.text(".flash"); got != "Plugin disabled." {
		t.Fatalf("after disable the notice is %q", got)
	}
	if browserPluginEnabled(t, ag.url, name) {
		t.Fatalf("%s still enabled after clicking Disable", name)
	}
	if state := br.text(fmt.Sprintf(`a[href="/plugins/%s"] ~ .badge`, name)); state != "disabled" {
		t.Fatalf("overview shows %s as %q after disabling", name, state)
	}
	br.run("open plugin page",
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`a.name[href="/plugins/%s"]`, name))),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(card, "enable"))),
	)
	br.run("enable "+name,
		chromedp.Click(chromedp.CSS(fmt.Sprintf(card, "enable"))),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(card, "disable"))),
	)
	if !browserPluginEnabled(t, ag.url, name) {
		t.Fatalf("%s not enabled after clicking Enable", name)
	}
	br.run("back to the overview",
		chromedp.Navigate(ag.url+"/"),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(card, "disable"))),
	)
	if state := br.text(fmt.Sprintf(`a[href="/plugins/%s"] ~ .badge`, name)); state == "disabled" {
		t.Fatalf("overview still shows %s disabled after enabling", name)
	}

	// Install a package from the Settings page on the agent's default
	// plugins directory, as an owner would: pick the file, accept it
	// unsigned, confirm. The plugin, spin, breaks its instruction limit
	// every second until the agent disables it.
	pkg := filepath.Join(t.TempDir(), "spin-1.0.0.tar.gz")
	if out, err := exec.Command(bin, "plugin", "pack", filepath.Join("testdata", "browser", "spin"), "-o", pkg).CombinedOutput(); err != nil {
		t.Fatalf("plugin pack: %v\n%s", err, out)
	}
	br.run("install from the Settings page",
		chromedp.Navigate(ag.url+"/settings"),
		chromedp.WaitVisible(chromedp.CSS(`input[name="package"]`)),
		chromedp.SetUploadFiles(chromedp.CSS(`input[name="package"]`), []string{pkg}),
		chromedp.Click(chromedp.CSS(`input[name="allow_unsigned"]`)),
		chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`), // the form asks before installing
		chromedp.Submit(chromedp.CSS(`input[name="package"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	if got := br.text(".flash"); got != "Plugin installed." {
		t.Fatalf("after installing from the Settings page the notice is %q; page:\n%s", got, br.text("main"))
	}
	if loc := br.location(); !strings.HasSuffix(loc, "/plugins/spin?done=install") {
		t.Fatalf("after installing from the Settings page the browser is at %s", loc)
	}

	// Charts need two history samples; the agent takes one every 15 s.
	// spin breaks its limit every second and is disabled after three.
	browserAwaitHistory(t, ag.url, 2, 40*time.Second)
	for deadline := time.Now().Add(20 * time.Second); browserPluginEnabled(t, ag.url, "spin"); time.Sleep(250 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("spin is still enabled 20 s after its install, breaking its instruction limit every second")
		}
	}

	pages := []struct{ file, path, ready string }{
		{"overview", "/", ".iface .chart svg"},
		{"network", "/network", "h2.section"},
		{"plugin", "/plugins/" + name, "table.runs"},
		{"plugin-disabled", "/plugins/spin", "table.runs"},
		{"events", "/events", "table.events"},
		{"alerts", "/alerts", "table.alerts-table"},
		{"settings", "/settings", `input[name="package"]`},
		{"docs", "/docs", ".ref h2"},
	}
	for _, vp := range []struct {
		name          string
		width, height int64
	}{{"desktop", 1280, 800}, {"phone", 390, 844}} {
		br.run("viewport "+vp.name, chromedp.EmulateViewport(vp.width, vp.height))
		for _, p := range pages {
			br.run(p.file+" at "+vp.name+" width",
				chromedp.Navigate(ag.url+p.path),
				chromedp.WaitVisible(chromedp.CSS(p.ready)),
			)
			br.shot(filepath.Join(shots, p.file+"-"+vp.name+".png"))
			for _, problem := range br.layoutProblems() {
				t.Errorf("%s at %s width (%d px): %s", p.path, vp.name, vp.width, problem)
			}
		}
	}

	// The Network page on this host, which is no router: it has no Wi-Fi
	// and likely no leases, and must say so rather than look broken.
	var network struct {
		Clients []json.RawMessage `json:"clients"`
		Radios  []json.RawMessage `json:"radios"`
	}
	browserGetJSON(t, ag.url+"/api/v1/network", &network)
	br.run("network page", chromedp.Navigate(ag.url+"/network"), chromedp.WaitVisible(chromedp.CSS("h2.section")))
	main := br.text("main")
	if len(network.Radios) == 0 && !strings.Contains(main, "No Wi-Fi on this router") {
		t.Errorf("the Network page of a host without Wi-Fi does not say so:\n%s", main)
	}
	if len(network.Clients) == 0 && !strings.Contains(main, "No devices seen") {
		t.Errorf("the Network page of a host without clients does not say so:\n%s", main)
	}
	if !strings.Contains(br.text(`a[href="/network"]`), "Network") {
		t.Errorf("the navigation has no Network link")
	}

	// The phone's overview in dark mode, for the eye; and the disabled
	// plugin's reason once on the overview, in its alert.
	br.run("phone, dark",
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}},
			})
			return err
		}),
		chromedp.Navigate(ag.url+"/"),
		chromedp.WaitVisible(chromedp.CSS(".iface .chart svg")),
	)
	br.shot(filepath.Join(shots, "overview-phone-dark.png"))
	// Alerts and plugin cards, not the event feed: that lists the
	// plugin_disabled event, which is history, not state.
	ctx, cancel := context.WithTimeout(br.ctx, 10*time.Second)
	state, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll(".alerts, .plugins")].map(e => e.innerText).join("\n")`))
	cancel()
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(state, "limit breaks in a row"); n != 1 {
		t.Errorf("the overview's alerts and cards show spin's disabled reason %d times, want once:\n%s", n, state)
	}
	// The Alerts page has spin's PluginDisabled among the firing alerts.
	br.run("alerts page", chromedp.Navigate(ag.url+"/alerts"), chromedp.WaitVisible(chromedp.CSS("table.alerts-table")))
	if firing := br.text(`section.alerts`); !strings.Contains(firing, "PluginDisabled") || !strings.Contains(firing, "plugin spin was disabled by the agent") {
		t.Errorf("the Alerts page's firing alerts lack spin's PluginDisabled:\n%s", firing)
	}
	br.checkConsole()
}

// layoutCheck is the script that inspects a page's boxes. It returns one
// line per problem:
//   - the page is wider than the viewport, or a visible element's right
//     edge is beyond it (outside an element that scrolls sideways);
//   - an element that scrolls sideways has more content than width,
//     unless it says it is meant to (data-scrolls);
//   - an element with overflow hidden cuts its content off, unless it
//     shows an ellipsis and has a title with the whole text;
//   - a number and its unit ("45.2 KiB", "12 ms", "0.3 %") are on two
//     lines, and so is anything marked class="v";
//   - interface charts (.iface) do not start at the same x, or charts
//     side by side (.pair) not at the same height;
//   - the page lacks the site's navigation bar or stylesheet.
const layoutCheck = `(() => {
  const out = [];
  if (!document.querySelector("header.top nav a[href='/events']")) out.push("the page lacks the navigation bar");
  if (!document.querySelector("link[rel=stylesheet][href^='/static/style.css']")) out.push("the page does not use the site's stylesheet");
  const de = document.documentElement, vw = de.clientWidth;
  if (de.scrollWidth > vw) out.push("the page is " + de.scrollWidth + " px wide in a " + vw + " px viewport");
  const desc = el => {
    let s = el.tagName.toLowerCase();
    if (el.classList && el.classList.length) s += "." + [...el.classList].join(".");
    const t = (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 50);
    return t ? s + " \"" + t + "\"" : s;
  };
  const visible = el => {
    const cs = getComputedStyle(el);
    if (cs.display === "none" || cs.visibility === "hidden") return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const scrollsX = el => { const o = getComputedStyle(el).overflowX; return o === "auto" || o === "scroll"; };
  const inScroller = node => {
    for (let p = node.parentElement; p && p !== document.body; p = p.parentElement) if (scrollsX(p)) return true;
    return false;
  };
  const skip = el => el.closest(".sr, option, script, style, head");
  const past = new Set(); // report only the outermost element that sticks out
  for (const el of document.body.querySelectorAll("*")) {
    if (skip(el) || !visible(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.right > vw + 0.5 && !inScroller(el)) {
      past.add(el);
      if (!past.has(el.parentElement)) out.push(desc(el) + " reaches x=" + Math.round(r.right) + ", past the viewport");
    }
    if (el instanceof SVGElement) continue;
    const cs = getComputedStyle(el);
    if (scrollsX(el) && el.scrollWidth > el.clientWidth + 1 && !el.hasAttribute("data-scrolls"))
      out.push(desc(el) + " scrolls sideways: " + el.scrollWidth + " px of content in " + el.clientWidth + " px");
    const form = /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(el.tagName);
    if (!form && (cs.overflowX === "hidden" || cs.overflowX === "clip") && el.scrollWidth > el.clientWidth + 1 &&
        !(cs.textOverflow === "ellipsis" && el.title))
      out.push(desc(el) + " clips its content: " + el.scrollWidth + " px in " + el.clientWidth + " px");
  }
  const pair = /\d(?:[\d.,]*\d)?[ \u00a0](?:[KMGTPE]iB|B\/s|B|µs|ms|s|min|h|d|%|k|M|G)(?![\w])/g;
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n; (n = walk.nextNode());) {
    const p = n.parentElement;
    if (!p || skip(p) || !visible(p)) continue;
    if (!past.has(p) && !inScroller(n)) {
      const whole = document.createRange();
      whole.selectNodeContents(n);
      const right = Math.max(0, ...[...whole.getClientRects()].map(r => r.right));
      if (right > vw + 0.5) out.push("text \"" + n.data.trim().slice(0, 50) + "\" in " + desc(p) + " reaches x=" + Math.round(right) + ", past the viewport");
    }
    for (const m of n.data.matchAll(pair)) {
      const rg = document.createRange();
      rg.setStart(n, m.index);
      rg.setEnd(n, m.index + m[0].length);
      const tops = new Set([...rg.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (tops.size > 1) out.push("\"" + m[0] + "\" in " + desc(p) + " is split across lines");
    }
  }
  for (const el of document.querySelectorAll(".v")) {
    if (!visible(el)) continue;
    const tops = new Set([...el.getClientRects()].map(r => Math.round(r.top)));
    if (tops.size > 1) out.push(desc(el) + " is split across lines");
  }
  const lefts = [...document.querySelectorAll(".iface .chart")].filter(visible)
    .reduce((m, el) => { const i = [...el.parentElement.children].indexOf(el); (m[i] = m[i] || new Set()).add(Math.round(el.getBoundingClientRect().left)); return m; }, []);
  lefts.forEach((s, i) => { if (s.size > 1) out.push("interface charts in column " + (i + 1) + " start at " + [...s].join(", ") + " px"); });
  for (const pair of document.querySelectorAll(".pair")) {
    const rows = new Map(); // charts side by side (same row) draw from the same height
    for (const svg of pair.querySelectorAll(".chart svg")) {
      if (!visible(svg)) continue;
      const fig = svg.closest(".chart").getBoundingClientRect(), r = svg.getBoundingClientRect();
      const row = Math.round(fig.top);
      (rows.get(row) || rows.set(row, new Set()).get(row)).add(Math.round(r.top));
    }
    for (const tops of rows.values()) if (tops.size > 1) out.push("charts side by side in " + desc(pair.closest(".card") || pair) + " start at heights " + [...tops].join(", "));
  }
  return out;
})()`

// browser is one headless Chromium with a tab, for one test.
type browser struct {
	t        *testing.T
	ctx      context.Context
	mu       sync.Mutex
	problems []string // console errors, script exceptions, CSP reports
}

func newBrowser(t *testing.T, chrome string) *browser {
	t.Helper()
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
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 800),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // start the browser without a deadline
		t.Fatalf("start chromium: %v", err)
	}
	b := &browser{t: t, ctx: ctx}
	go func() {
		for m, err := range chromedp.Console(ctx) {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() || strings.Contains(m.Text, "Content Security Policy") {
				b.mu.Lock()
				b.problems = append(b.problems, m.String())
				b.mu.Unlock()
			}
		}
	}()
	return b
}

// run does steps within 20 s or fails the test.
func (b *browser) run(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// location is the current page's URL.
func (b *browser) location() string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	u, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		b.t.Fatalf("location: %v", err)
	}
	return u
}

// text is the visible text of the first element matching sel.
func (b *browser) text(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// shot saves a screenshot of the whole page as a PNG file.
func (b *browser) shot(file string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", file, err)
	}
	if err := os.WriteFile(file, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// layoutProblems runs layoutCheck on the current page.
func (b *browser) layoutProblems() []string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	out, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](layoutCheck))
	if err != nil {
		b.t.Fatalf("layout check: %v", err)
	}
	return out
}

// checkConsole fails the test if the browser reported script errors or
// Content-Security-Policy violations.
func (b *browser) checkConsole() {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.problems) > 0 {
		b.t.Fatalf("browser console reported problems (CSP violations or script errors):\n%s", strings.Join(b.problems, "\n"))
	}
}

// browserFindChromium returns the browser binary or skips (fails under CI).
func browserFindChromium(t *testing.T) string {
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

// browserBuild builds the agent from this directory; a failed build fails
// the test.
func browserBuild(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "heimnetz")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./agent: %v\n%s", err, out)
	}
	return bin
}

// browserAgent is a running agent binary.
type browserAgent struct {
	url      string
	password string
}

// browserPasswordRE finds the generated admin password in the agent's
// first-start log line (slog text or JSON).
var browserPasswordRE = regexp.MustCompile(`password"?[=:]"?([A-Z2-7]{26})`)

// browserStartAgent runs bin as `make run` does, on embedded defaults
// (its bundled plugins, plugins_dir under the data directory) but on a free
// loopback port with a fresh data directory, reads the generated admin password from its log and waits
// until it is healthy. The agent is stopped with SIGINT when the test ends.
func browserStartAgent(t *testing.T, bin string) browserAgent {
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
			if m := browserPasswordRE.FindStringSubmatch(sc.Text()); m != nil && !sent {
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
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("agent at %s not healthy: %v", url, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return browserAgent{url: url, password: password}
}

// browserGetJSON decodes the JSON answer to GET url into v.
func browserGetJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

// browserFirstEnabledPlugin names the first enabled plugin the API lists.
func browserFirstEnabledPlugin(t *testing.T, url string) string {
	t.Helper()
	var out struct {
		Plugins []struct {
			Name    string `json:"name"`
			Enabled bool   `json:"enabled"`
		} `json:"plugins"`
	}
	browserGetJSON(t, url+"/api/v1/plugins", &out)
	for _, p := range out.Plugins {
		if p.Enabled {
			return p.Name
		}
	}
	t.Fatalf("no enabled plugin at %s", url)
	return ""
}

// browserPluginEnabled asks the API whether plugin name is enabled.
func browserPluginEnabled(t *testing.T, url, name string) bool {
	t.Helper()
	var p struct {
		Enabled bool `json:"enabled"`
	}
	browserGetJSON(t, url+"/api/v1/plugins/"+name, &p)
	return p.Enabled
}

// browserAwaitHistory waits until the chart history holds n samples.
func browserAwaitHistory(t *testing.T, url string, n int, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		var h struct {
			Load1 []float64 `json:"load1"`
		}
		browserGetJSON(t, url+"/api/v1/history", &h)
		if len(h.Load1) >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("chart history has %d samples after %s, want %d", len(h.Load1), timeout, n)
		}
		time.Sleep(500 * time.Millisecond)
	}
}
