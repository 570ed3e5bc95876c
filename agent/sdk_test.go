package main

import (
	"bytes"
	"encoding/json"
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
	if code := post("/api/v1/plugins/system/remove"); code != 400 {
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
