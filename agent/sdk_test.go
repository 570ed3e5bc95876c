package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// sdk runs the binary in dir and returns its exit status and output.
func sdk(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String(), errOut.String()
}

// TestSDKTemplates: every template, written by `plugin new`, passes
// `plugin check` and `plugin test` through the built binary.
func TestSDKTemplates(t *testing.T) {
	requireBinary(t)
	dir := t.TempDir()
	for _, tmpl := range []string{"basic", "metrics", "http", "stateful"} {
		name := "tpl-" + tmpl
		if code, out, errOut := sdk(t, dir, "plugin", "new", name, "--template", tmpl); code != 0 {
			t.Fatalf("plugin new %s: %d %s %s", tmpl, code, out, errOut)
		}
		if code, out, _ := sdk(t, dir, "plugin", "check", name); code != 0 || !strings.Contains(out, name+": 0 findings") {
			t.Errorf("plugin check %s: exit %d\n%s", tmpl, code, out)
		}
		code, out, errOut := sdk(t, dir, "plugin", "test", name)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if code != 0 || !regexp.MustCompile(`^[1-9][0-9]* passed, 0 failed$`).MatchString(lines[len(lines)-1]) {
			t.Errorf("plugin test %s: exit %d\n%s%s", tmpl, code, out, errOut)
		}
		code, out, _ = sdk(t, dir, "plugin", "test", name, "--format", "tap")
		if code != 0 || !regexp.MustCompile(`^TAP version 13\n1\.\.[1-9]\n(ok [0-9]+ - test_\w+\n)+# [1-9] passed, 0 failed\n$`).MatchString(out) {
			t.Errorf("plugin test %s --format tap: exit %d\n%s", tmpl, code, out)
		}
	}
	if code, _, _ := sdk(t, dir, "plugin", "new", "tpl-basic"); code != 2 {
		t.Errorf("plugin new over an existing directory: exit %d, want 2", code)
	}
	if code, _, _ := sdk(t, dir, "plugin", "new", "../evil"); code != 2 {
		t.Errorf("plugin new ../evil: exit %d, want 2", code)
	}
}

func TestSDKCheckExitAndSARIF(t *testing.T) {
	requireBinary(t)
	evil, _ := filepath.Abs("../luaplugins/check/testdata/evil")
	code, out, _ := sdk(t, ".", "plugin", "check", evil, "--format", "sarif")
	if code != 1 {
		t.Errorf("check evil: exit %d, want 1", code)
	}
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []struct {
				RuleID string `json:"ruleId"`
				Level  string `json:"level"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil || log.Version != "2.1.0" || len(log.Runs) != 1 || len(log.Runs[0].Results) < 10 {
		t.Errorf("SARIF: %v %+v", err, log)
	}
	if code, _, _ := sdk(t, ".", "plugin", "check", "/nonexistent/plugin"); code != 2 {
		t.Errorf("check missing path: exit %d, want 2", code)
	}
	if code, out, _ := sdk(t, ".", "docs", "--format", "json"); code != 0 || !strings.Contains(out, `"name": "kv.set"`) {
		t.Errorf("docs json: exit %d", code)
	}
}

// TestSDKInstallLive packs, signs and installs a plugin into a running
// agent through the admin API, upgrades it (stored data kept, old series
// dropped), refuses a broken upgrade (old version keeps running) and an
// unsigned package unless accepted explicitly.
func TestSDKInstallLive(t *testing.T) {
	requireBinary(t)
	work := t.TempDir()
	mustSDK := func(args ...string) string {
		t.Helper()
		code, out, errOut := sdk(t, work, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out, errOut)
		}
		return out
	}
	mustSDK("key", "new", "--out", "owner")
	if fi, err := os.Stat(filepath.Join(work, "owner.key")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("owner.key: %v %v", fi, err)
	}
	mustSDK("plugin", "new", "live", "--template", "stateful")
	manifest := filepath.Join(work, "live", "manifest.yml")
	edit := func(file, old, new string) {
		data, _ := os.ReadFile(file)
		if !strings.Contains(string(data), old) {
			t.Fatalf("%s lacks %q", file, old)
		}
		os.WriteFile(file, []byte(strings.Replace(string(data), old, new, 1)), 0o644)
	}
	edit(manifest, "interval: 1m", "interval: 1s")
	build := func(out string) []byte {
		mustSDK("plugin", "pack", "live", "-o", out)
		mustSDK("plugin", "sign", out, "--key", "owner.key")
		mustSDK("plugin", "verify", out, "--trusted", "owner.pub")
		data, err := os.ReadFile(filepath.Join(work, out))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	v1 := build("live-1.tar.gz")

	data := t.TempDir()
	plugins := filepath.Join(t.TempDir(), "plugins")
	cfg := filepath.Join(work, "config.json")
	os.WriteFile(cfg, []byte(`{"plugins_dir": "`+plugins+`", "trusted_keys": ["`+filepath.Join(work, "owner.pub")+`"]}`), 0o644)
	a := startAgent(t, data, "--config", cfg)
	var token string
	for deadline := time.Now().Add(5 * time.Second); token == "" && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		token = regexp.MustCompile(`hnt_[A-Za-z0-9_-]{20,}`).FindString(a.logs.String())
	}
	if token == "" {
		t.Fatalf("no admin token in the log:\n%s", a.logs)
	}
	install := func(pkg []byte, query string) (int, string) {
		req, _ := http.NewRequest("POST", a.base+"/api/v1/plugins/install"+query, bytes.NewReader(pkg))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/gzip")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		return resp.StatusCode, b.String()
	}
	if code, body := install(v1, ""); code != 201 || !strings.Contains(body, `"live"`) {
		t.Fatalf("install v1: %d %s\n%s", code, body, a.logs)
	}
	a.waitForMetrics(t, `(?m)^live_runs\{plugin="live"\} [3-9]`, `(?m)^live_peak_load\{plugin="live"\} `)

	// Upgrade: the peak series goes, the run count continues from kv.
	edit(manifest, "version: 0.1.0", "version: 0.2.0")
	main := filepath.Join(work, "live", "main.lua")
	edit(main, `  metrics.set("live_peak_load", number("peak_load"))`+"\n", "")
	edit(filepath.Join(work, "live", "test.lua"), `assert_eq(metric("live_peak_load"), 99, "a higher stored peak is kept")`, `assert_eq(kv.get("peak_load"), "99")`)
	if code, body := install(build("live-2.tar.gz"), ""); code != 201 {
		t.Fatalf("install v2: %d %s", code, body)
	}
	m := a.waitForMetrics(t, `(?m)^live_runs\{plugin="live"\} ([4-9]|[1-9][0-9])`)
	if strings.Contains(m, "live_peak_load") {
		t.Errorf("old series live_peak_load still exported after the upgrade")
	}

	// A version that fails at load is refused; 0.2.0 keeps running.
	edit(manifest, "version: 0.2.0", "version: 0.3.0")
	orig, _ := os.ReadFile(main)
	os.WriteFile(main, append(orig, []byte("\nerror(\"broken on purpose\")\n")...), 0o644)
	mustSDK("plugin", "pack", "live", "-o", "live-3.tar.gz")
	mustSDK("plugin", "sign", "live-3.tar.gz", "--key", "owner.key")
	v3, _ := os.ReadFile(filepath.Join(work, "live-3.tar.gz"))
	if code, body := install(v3, ""); code != 400 || !strings.Contains(body, "broken on purpose") {
		t.Errorf("broken upgrade: %d %s", code, body)
	}
	_, detail := a.get(t, "/api/v1/plugins/live")
	if !strings.Contains(detail, `"version":"0.2.0"`) && !strings.Contains(detail, `"version": "0.2.0"`) {
		t.Errorf("after a refused upgrade: %s", detail)
	}
	if got, _ := os.ReadFile(filepath.Join(plugins, "live", "manifest.yml")); !strings.Contains(string(got), "version: 0.2.0") {
		t.Errorf("files of the running version were replaced")
	}

	// Unsigned: refused, then accepted explicitly and recorded.
	os.WriteFile(main, orig, 0o644)
	mustSDK("plugin", "new", "loose", "--template", "basic")
	mustSDK("plugin", "pack", "loose", "-o", "loose.tar.gz")
	loose, _ := os.ReadFile(filepath.Join(work, "loose.tar.gz"))
	if code, body := install(loose, ""); code != 400 || !strings.Contains(body, "not signed") {
		t.Errorf("unsigned: %d %s", code, body)
	}
	if code, body := install(loose, "?allow_unsigned=true"); code != 201 {
		t.Errorf("unsigned, accepted: %d %s", code, body)
	}
	req, _ := http.NewRequest("GET", a.base+"/api/v1/events", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var evs bytes.Buffer
	evs.ReadFrom(resp.Body)
	resp.Body.Close()
	for _, typ := range []string{"unsigned_plugin_accepted", "plugin_installed", "plugin_install_rejected"} {
		if !strings.Contains(evs.String(), typ) {
			t.Errorf("events lack %s", typ)
		}
	}
	a.waitForMetrics(t, `(?m)^loose_runs_total\{plugin="loose"\} [1-9]`)

	// Remove, live: the plugin, its files and its series go; a bundled
	// plugin cannot be removed.
	post := func(path string) int {
		req, _ := http.NewRequest("POST", a.base+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post("/api/v1/plugins/loose/remove"); code != 200 {
		t.Errorf("remove loose: %d", code)
	}
	if code, _ := a.get(t, "/api/v1/plugins/loose"); code != 404 {
		t.Errorf("after remove: %d, want 404", code)
	}
	if _, err := os.Stat(filepath.Join(plugins, "loose")); !os.IsNotExist(err) {
		t.Errorf("loose's files are still there: %v", err)
	}
	// The agent renders its metrics at most once a second: wait for a
	// fresh rendering, then the series must be gone.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		_, m := a.get(t, "/metrics")
		if !strings.Contains(m, "loose_runs_total") {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("loose's series survived its removal by 5s")
			break
		}
	}
	if code := post("/api/v1/plugins/loadavg/remove"); code != 400 {
		t.Errorf("removing a bundled plugin: %d, want 400", code)
	}

	// The reference is served at /docs, generated from the same registry.
	code, page := a.get(t, "/docs")
	for _, want := range []string{"kv.set", "metrics.add", "live"} {
		if code != 200 || !strings.Contains(page, want) {
			t.Errorf("/docs: %d, lacks %q", code, want)
		}
	}
	a.stop(t)
}

// TestPluginTestPositionsMatchPluginRun: for a runtime error in main.lua,
// `plugin test` names the same file:line as `plugin run`, wherever the
// error happens.
func TestPluginTestPositionsMatchPluginRun(t *testing.T) {
	requireBinary(t)
	cases := []struct {
		name, main, want string
		load             bool
	}{
		{"error in collect at line 11", "-- 1\n-- 2\n-- 3\n-- 4\n-- 5\n-- 6\n-- 7\n-- 8\n-- 9\nfunction collect()\n  error(\"boom\")\nend\n", "main.lua:11: boom", false},
		{"host function in collect", "\n\n\nfunction collect()\n  metrics.set(\"Bad\", 1)\nend\n", "main.lua:5: metrics.set:", false},
		{"host function in a helper", "local function bump()\n  metrics.add(\"pos_x_total\", -1)\nend\nfunction collect()\n  bump()\nend\n", "main.lua:2: metrics.add:", false},
		{"runtime error in a helper", "local function f(t)\n\n  return t.x\nend\nfunction collect()\n  f(nil)\nend\n", "main.lua:3: attempt to index", false},
		{"load time", "local a = 1\nerror(\"at load\")\nfunction collect() end\n", "main.lua:2: at load", true},
	}
	work := t.TempDir()
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(work, fmt.Sprintf("pos%d", i))
			os.Mkdir(dir, 0o755)
			os.WriteFile(filepath.Join(dir, "manifest.yml"), []byte(fmt.Sprintf("name: pos%d\nversion: 1.0.0\npermissions: [metrics]\n", i)), 0o644)
			os.WriteFile(filepath.Join(dir, "main.lua"), []byte(tc.main), 0o644)
			os.WriteFile(filepath.Join(dir, "test.lua"), []byte("function test_collect()\n  collect()\nend\n"), 0o644)
			code, _, errOut := sdk(t, work, "plugin", "run", dir)
			runLine := strings.TrimSpace(errOut)
			if code != 1 || !strings.Contains(runLine, tc.want) {
				t.Fatalf("plugin run: exit %d, %q, want %q", code, runLine, tc.want)
			}
			code, out, _ := sdk(t, work, "plugin", "test", dir)
			test := "test_collect"
			if tc.load {
				test = "load"
			}
			if want := "FAIL " + test + ": " + runLine + "\n"; code != 1 || !strings.Contains(out, want) {
				t.Errorf("plugin test: exit %d\n%s\nwant the line %q", code, out, want)
			}
		})
	}
}

// TestSDKSuggestedCommandsRun runs, as printed, every command that the
// SDK's messages, the files `plugin new` writes and the plugin guide tell
// the user to run, from a directory where the binary is bin/heimnetz (as
// after `make build`), and checks each is accepted and succeeds.
func TestSDKSuggestedCommandsRun(t *testing.T) {
	requireBinary(t)
	work := t.TempDir()
	os.Mkdir(filepath.Join(work, "bin"), 0o755)
	if err := os.Symlink(binary, filepath.Join(work, "bin", "heimnetz")); err != nil {
		t.Fatal(err)
	}
	const prog = "bin/heimnetz"
	run := func(line string) (int, string, string) {
		t.Helper()
		f := strings.Fields(line)
		if len(f) == 0 || f[0] != prog {
			t.Fatalf("%q does not start with %s", line, prog)
		}
		cmd := exec.Command(prog, f[1:]...)
		cmd.Dir = work
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return code, out.String(), errOut.String()
	}
	type suggestion struct{ from, line string }
	var all []suggestion

	// plugin new prints the next commands.
	code, out, errOut := run(prog + " plugin new sug --template stateful")
	_, next, ok := strings.Cut(out, "next: ")
	if code != 0 || !ok {
		t.Fatalf("plugin new: exit %d\n%s%s", code, out, errOut)
	}
	for _, c := range strings.Split(strings.TrimSpace(next), " && ") {
		all = append(all, suggestion{"plugin new", c})
	}

	// The README it writes lists commands and the archive pack writes.
	readme, _ := os.ReadFile(filepath.Join(work, "sug", "README.md"))
	_, block, _ := strings.Cut(string(readme), "```sh\n")
	block, _, _ = strings.Cut(block, "```")
	for _, l := range strings.Split(strings.TrimSpace(block), "\n") {
		cmd, _, _ := strings.Cut(l, "#")
		all = append(all, suggestion{"sug/README.md", strings.TrimSpace(cmd)})
	}
	archive := regexp.MustCompile(`writes (\S+\.tar\.gz),`).FindStringSubmatch(string(readme))
	if archive == nil {
		t.Fatalf("README names no archive:\n%s", readme)
	}

	// Help texts name commands in backquotes.
	quoted := regexp.MustCompile("`(" + prog + " [^`]*)`")
	for _, sub := range [][]string{{"plugin", "new"}, {"plugin", "check"}, {"plugin", "test"}, {"plugin", "pack"}, {"plugin", "sign"}, {"plugin", "verify"}, {"plugin", "install"}, {"key", "new"}, {"docs"}} {
		_, out, errOut := run(prog + " " + strings.Join(sub, " ") + " -h")
		for _, m := range quoted.FindAllStringSubmatch(out+errOut, -1) {
			all = append(all, suggestion{strings.Join(sub, " ") + " -h", m[1]})
		}
	}

	// Findings of plugin check name commands too; NAME stands for a new
	// plugin's name.
	bare := filepath.Join(work, "bare")
	os.Mkdir(bare, 0o755)
	os.WriteFile(filepath.Join(bare, "manifest.yml"), []byte("name: bare\nversion: 1.0.0\npermissions: [metrics]\n"), 0o644)
	os.WriteFile(filepath.Join(bare, "main.lua"), []byte("function collect()\n  metrics.nothing()\nend\n"), 0o644)
	_, out, _ = run(prog + " plugin check bare")
	for i, m := range quoted.FindAllStringSubmatch(out, -1) {
		all = append(all, suggestion{"plugin check", strings.ReplaceAll(m[1], "NAME", fmt.Sprintf("fresh%d", i))})
	}

	// The plugin guide: command lines and commands quoted in the text.
	guide, err := os.ReadFile("../luaplugins/docs/GUIDE.md")
	if err != nil {
		t.Fatal(err)
	}
	guideRE := regexp.MustCompile("(?m)^(?:\\$ )?(" + prog + " .*)$|`(" + prog + " [^`]*)`")
	for _, m := range guideRE.FindAllStringSubmatch(string(guide), -1) {
		all = append(all, suggestion{"GUIDE.md", m[1] + m[2]})
	}

	counts := map[string]int{}
	for _, s := range all {
		counts[s.from]++
		code, out, errOut := run(s.line)
		if code != 0 || strings.Contains(errOut, "Usage:") {
			t.Errorf("%s suggests %q: exit %d\n%s%s", s.from, s.line, code, out, errOut)
		}
	}
	if counts["plugin new"] != 2 || counts["sug/README.md"] != 4 || counts["plugin check -h"] != 1 || counts["plugin sign -h"] != 1 || counts["plugin check"] < 2 || counts["GUIDE.md"] < 10 {
		t.Errorf("suggestions found: %v", counts)
	}
	if _, err := os.Stat(filepath.Join(work, archive[1])); err != nil {
		t.Errorf("the README says pack writes %s: %v", archive[1], err)
	}
}
