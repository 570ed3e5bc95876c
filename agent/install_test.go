package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/ed25519"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heimnetz/heimnetz/luaplugins/pack"
)

// installEnv is a running agent with two trusted signing keys.
type installEnv struct {
	a          *agentProc
	token      string
	owner      ed25519.PrivateKey
	other      ed25519.PrivateKey
	ownerID    string
	otherID    string
	pluginsDir string
}

func newInstallEnv(t *testing.T) *installEnv {
	t.Helper()
	requireBinary(t)
	work := t.TempDir()
	env := &installEnv{pluginsDir: filepath.Join(work, "plugins")}
	var pubs []string
	for _, who := range []string{"owner", "other"} {
		pub, key, err := pack.NewKey(filepath.Join(work, who), who)
		if err != nil {
			t.Fatal(err)
		}
		priv, err := pack.ReadPrivateKey(key)
		if err != nil {
			t.Fatal(err)
		}
		id := pack.KeyID(priv.Public().(ed25519.PublicKey))
		if who == "owner" {
			env.owner, env.ownerID = priv, id
		} else {
			env.other, env.otherID = priv, id
		}
		pubs = append(pubs, `"`+pub+`"`)
	}
	cfg := filepath.Join(work, "config.json")
	os.WriteFile(cfg, []byte(`{"plugins_dir": "`+env.pluginsDir+`", "trusted_keys": [`+strings.Join(pubs, ",")+`]}`), 0o644)
	env.a = startAgent(t, t.TempDir(), "--config", cfg)
	for deadline := time.Now().Add(5 * time.Second); env.token == "" && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		env.token = regexp.MustCompile(`hnt_[A-Za-z0-9_-]{20,}`).FindString(env.a.logs.String())
	}
	if env.token == "" {
		t.Fatalf("no admin token in the log:\n%s", env.a.logs)
	}
	return env
}

// pkg builds a package; key nil leaves it unsigned.
func (env *installEnv) pkg(t *testing.T, name, version, extraManifest, main string, key ed25519.PrivateKey) []byte {
	t.Helper()
	p := &pack.Package{Name: name, Files: map[string][]byte{
		"manifest.yml": []byte(fmt.Sprintf("name: %s\nversion: %s\ninterval: 1s\n%s", name, version, extraManifest)),
		"main.lua":     []byte(main),
	}}
	if key != nil {
		p.Sign(key)
	}
	a, err := p.Archive()
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// do sends an admin request and returns the status, body and duration.
func (env *installEnv) do(t *testing.T, method, path string, body []byte) (int, string, time.Duration) {
	t.Helper()
	req, _ := http.NewRequest(method, env.a.base+path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+env.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/gzip")
	}
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return 0, "", time.Since(start)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String(), time.Since(start)
}

func (env *installEnv) install(t *testing.T, pkg []byte, query string) (int, string) {
	t.Helper()
	code, body, _ := env.do(t, "POST", "/api/v1/plugins/install"+query, pkg)
	return code, body
}

// TestInstallSignerRules checks the wiring of installs through the binary:
// trusted_keys from the config file reach the installer, the admin API
// answers a change of signer with 409 and a confirmed one with 201, and
// the change is listed by the events API. The rules themselves (unsigned
// packages, bundled names, kv data of another signer, every refusal's
// error) are tested in process in agent/internal/core (TestInstallSignerRules,
// TestInstallWipesOtherSignersData), the archive checks in
// luaplugins/pack.
func TestInstallSignerRules(t *testing.T) {
	env := newInstallEnv(t)
	const counter = "function collect() metrics.set(\"alpha_up\", 1) end\n"
	perms := "permissions: [metrics]\n"
	if code, body := env.install(t, env.pkg(t, "alpha", "1.0.0", perms, counter, env.owner), ""); code != 201 {
		t.Fatalf("install alpha 1.0.0: %d %s", code, body)
	}
	cases := []struct {
		name  string
		pkg   []byte
		query string
		code  int
		want  string
	}{
		{"upgrade signed by another trusted key", env.pkg(t, "alpha", "1.1.0", perms, counter, env.other), "", 409,
			"alpha is installed signed by key " + env.ownerID + " and this package is signed by key " + env.otherID},
		{"a package no key signed", env.pkg(t, "beta", "1.0.0", perms, counter, nil), "", 400, "unsigned"},
		{"confirmed signer change", env.pkg(t, "alpha", "1.2.0", perms, counter, env.other), "?allow_signer_change=true", 201, `"alpha"`},
	}
	for _, c := range cases {
		code, body := env.install(t, c.pkg, c.query)
		if code != c.code || !strings.Contains(body, c.want) {
			t.Errorf("%s: %d %s, want %d with %q", c.name, code, body, c.code, c.want)
		}
	}
	_, detail := env.a.get(t, "/api/v1/plugins/alpha")
	if d := checkPluginDetail(t, "alpha", []byte(detail)); d.Version != "1.2.0" {
		t.Errorf("alpha after the signer change: version %s, want 1.2.0", d.Version)
	}
	env.a.waitForMetrics(t, `(?m)^alpha_up\{plugin="alpha"\} 1$`)
	code, evs, _ := env.do(t, "GET", "/api/v1/events?type=plugin_signer_changed", nil)
	if want := "signer of alpha changed from key " + env.ownerID + " to key " + env.otherID + ", confirmed by the admin"; code != 200 || !strings.Contains(evs, want) {
		t.Errorf("events: %d, lack %q:\n%s", code, want, evs)
	}
}

// TestInstallDoesNotBlock: an install whose top-level chunk runs until its
// time limit holds no lock that other requests wait for: another plugin
// installs and the plugin list answers meanwhile, and a second install of
// the same name is refused at once with 409.
func TestInstallDoesNotBlock(t *testing.T) {
	env := newInstallEnv(t)
	slowMain := "local s = string.rep(\"a\", 100000)\nwhile true do s:find(\"b\", 1, true) end\nfunction collect() end\n"
	// The plain find's scans count against the budget (gopher-lua patch
	// 9), so 200M instructions last about 2-3 s of scanning: a 1 s timeout
	// makes the time limit the one that ends it.
	slow := env.pkg(t, "slow", "1.0.0", "limits:\n  instructions: 200000000\n  timeout: 1s\n", slowMain, env.owner)
	var wg sync.WaitGroup
	var slowCode int
	var slowBody string
	var slowTook time.Duration
	wg.Add(1)
	start := time.Now()
	go func() {
		defer wg.Done()
		slowCode, slowBody, slowTook = env.do(t, "POST", "/api/v1/plugins/install", slow)
	}()
	// The install claims the name, then stages the package in a hidden
	// .install-* directory and loads it: once that directory exists, the
	// slow install is under way.
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if staged, _ := filepath.Glob(filepath.Join(env.pluginsDir, ".install-*")); len(staged) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the slow install did not start staging within 20s")
		}
	}

	code, body, took := env.do(t, "POST", "/api/v1/plugins/install", env.pkg(t, "quick", "1.0.0", "", "function collect() end\n", env.owner))
	if code != 201 {
		t.Errorf("quick install during the slow one: %d %s", code, body)
	}
	quickDone := time.Since(start)
	code, body, listTook := env.do(t, "GET", "/api/v1/plugins", nil)
	if code != 200 || !strings.Contains(body, `"quick"`) {
		t.Errorf("plugin list during the slow install: %d %s", code, body)
	}
	code, body, busyTook := env.do(t, "POST", "/api/v1/plugins/install", slow)
	if code != 409 || !strings.Contains(body, "install of slow in progress") {
		t.Errorf("second install of slow: %d %s, want 409", code, body)
	}
	wg.Wait()
	t.Logf("slow install %v (limit 1s); meanwhile quick install %v, plugin list %v, refused second install %v", slowTook, took, listTook, busyTook)
	if slowCode != 400 || !strings.Contains(slowBody, "time limit exceeded") {
		t.Errorf("slow install: %d %s, want 400 naming the time limit", slowCode, slowBody)
	}
	if quickDone >= slowTook {
		t.Errorf("quick install finished %v after the start, not before the slow one (%v)", quickDone, slowTook)
	}
	if slowTook > 1*time.Second+2*time.Second {
		t.Errorf("slow install took %v, more than its 1s limit + 2s", slowTook)
	}
	if busyTook > time.Second {
		t.Errorf("refusing a busy install took %v", busyTook)
	}
}

// TestPluginVerifyAndInstallCLI: `plugin verify` and `plugin install`
// through the binary refuse a forged name, a swapped or old-format
// detached signature, and a change of signer without
// --allow-signer-change.
func TestPluginVerifyAndInstallCLI(t *testing.T) {
	requireBinary(t)
	work := t.TempDir()
	var privs []ed25519.PrivateKey
	for _, who := range []string{"owner", "other"} {
		_, key, err := pack.NewKey(filepath.Join(work, who), who)
		if err != nil {
			t.Fatal(err)
		}
		priv, _ := pack.ReadPrivateKey(key)
		privs = append(privs, priv)
	}
	owner, other := privs[0], privs[1]
	build := func(file, version string, key ed25519.PrivateKey) string {
		p := &pack.Package{Name: "delta", Files: map[string][]byte{
			"manifest.yml": []byte("name: delta\nversion: " + version + "\n"),
			"main.lua":     []byte("function collect() end\n"),
		}}
		if key != nil {
			p.Sign(key)
		}
		a, err := p.Archive()
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(work, file), a, 0o644)
		return file
	}
	v1 := build("delta-1.tar.gz", "1.0.0", owner)
	v2 := build("delta-2.tar.gz", "2.0.0", nil)
	// A detached signature of version 1 used on version 2.
	p1, _ := os.ReadFile(filepath.Join(work, v1))
	pk1, err := pack.Open(p1)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(work, v2+".sig"), pk1.Signature.Marshal(), 0o644)
	// The same signature in the old v1 format beside version 1's copy.
	old := build("delta-old.tar.gz", "1.0.0", nil)
	os.WriteFile(filepath.Join(work, old+".sig"), bytes.Replace(pk1.Signature.Marshal(), []byte("signature-v2"), []byte("signature-v1"), 1), 0o644)
	// A forged archive whose file name holds a listing line.
	forged := filepath.Join(work, "forged.tar.gz")
	os.WriteFile(forged, forgedArchive(t), 0o644)

	for _, c := range []struct {
		pkg, want string
	}{
		{v2, "signature does not match the package"},
		{old, "old v1 format"},
		{forged, "unsafe package"},
	} {
		code, out, errOut := sdk(t, work, "plugin", "verify", c.pkg, "--trusted", "owner.pub")
		if code != 1 || !strings.Contains(errOut, c.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("verify %s: exit %d, stdout %q stderr %q, want one line with %q", c.pkg, code, out, errOut, c.want)
		}
	}
	if code, out, errOut := sdk(t, work, "plugin", "verify", v1, "--trusted", "owner.pub"); code != 0 || !strings.Contains(out, "signed by trusted key") {
		t.Errorf("verify good: %d %s %s", code, out, errOut)
	}

	plugins, data := filepath.Join(work, "plugins"), filepath.Join(work, "data")
	install := func(pkg string, extra ...string) (int, string) {
		args := append([]string{"plugin", "install", pkg, "--plugins", plugins, "--data", data, "--trusted", "owner.pub", "--trusted", "other.pub"}, extra...)
		code, out, errOut := sdk(t, work, args...)
		return code, out + errOut
	}
	if code, out := install(v1); code != 0 {
		t.Fatalf("install v1: %d %s", code, out)
	}
	build("delta-3.tar.gz", "3.0.0", other)
	if code, out := install("delta-3.tar.gz"); code != 1 || !strings.Contains(out, "an upgrade must keep its signer") {
		t.Errorf("install by another key: %d %s", code, out)
	}
	if code, out := install("delta-3.tar.gz", "--allow-signer-change"); code != 0 {
		t.Errorf("install by another key, confirmed: %d %s", code, out)
	}
	if got, _ := os.ReadFile(filepath.Join(plugins, "delta", "manifest.yml")); !strings.Contains(string(got), "3.0.0") {
		t.Errorf("installed manifest: %s", got)
	}
}

// forgedArchive is a package with a file whose name carries a newline and
// a SHA256SUMS-style line, the shape of the v1 forgery.
func forgedArchive(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, f := range []struct{ name, data string }{
		{"SHA256SUMS", ""},
		{"delta/manifest.yml", "name: delta\nversion: 1.0.0\n"},
		{"delta/main.lua", "function collect() end\n"},
		{"delta/x\n0000000000000000000000000000000000000000000000000000000000000000  main.lua", "os.exit()"},
	} {
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: 0o644, Size: int64(len(f.data)), Typeflag: tar.TypeReg, Format: tar.FormatPAX}); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(f.data))
	}
	tw.Close()
	gz.Close()
	return buf.Bytes()
}

// TestPluginCheckGaps: through the binary, `plugin check` fails (exit 1)
// on code nested deeper than it analyses and on the channel library.
func TestPluginCheckGaps(t *testing.T) {
	requireBinary(t)
	work := t.TempDir()
	for _, c := range []struct{ name, main, want string }{
		{"deep", "function collect()\n  return " + strings.Repeat("{", 400) + "os.exit()" + strings.Repeat("}", 400) + "\nend\n", "HN022"},
		{"chan", "function collect()\n  local c = channel.make()\nend\n", "HN001"},
	} {
		dir := filepath.Join(work, c.name)
		os.Mkdir(dir, 0o755)
		os.WriteFile(filepath.Join(dir, "manifest.yml"), []byte("name: "+c.name+"\nversion: 1.0.0\n"), 0o644)
		os.WriteFile(filepath.Join(dir, "main.lua"), []byte(c.main), 0o644)
		code, out, errOut := sdk(t, work, "plugin", "check", c.name)
		if code != 1 || !strings.Contains(out, c.want) {
			t.Errorf("check %s: exit %d, want 1 with %s\n%s%s", c.name, code, c.want, out, errOut)
		}
	}
}
