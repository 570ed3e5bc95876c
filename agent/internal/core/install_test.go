package core

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/heimnetz/heimnetz/agent/internal/config"
	"github.com/heimnetz/heimnetz/luaplugins/pack"
	"github.com/heimnetz/heimnetz/store"
	"github.com/heimnetz/heimnetz/web"
)

// signer is a signing key made for one test.
type signer struct {
	key ed25519.PrivateKey
	id  string
	pub string // public key file
}

// newSigner makes a key pair in t's temporary directory.
func newSigner(t *testing.T, who string) signer {
	t.Helper()
	pub, keyPath, err := pack.NewKey(filepath.Join(t.TempDir(), who), who)
	if err != nil {
		t.Fatal(err)
	}
	key, err := pack.ReadPrivateKey(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	return signer{key: key, id: pack.KeyID(key.Public().(ed25519.PublicKey)), pub: pub}
}

// pkg builds a package archive; by nil leaves it unsigned.
func pkg(t *testing.T, name, version, main string, by *signer) []byte {
	t.Helper()
	p := &pack.Package{Name: name, Files: map[string][]byte{
		"manifest.yml": fmt.Appendf(nil, "name: %s\nversion: %s\ninterval: 10s\npermissions: [kv, metrics]\n", name, version),
		"main.lua":     []byte(main),
	}}
	if by != nil {
		p.Sign(by.key)
	}
	a, err := p.Archive()
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// counterMain counts its runs in kv, so an upgrade shows whether the data
// was kept, and exports the count and its version.
const counterMain = `function collect()
  local n = tonumber(kv.get("runs") or "0") + 1
  kv.set("runs", tostring(n))
  metrics.set("counter_runs", n, {code = "%s"})
end`

// installHarness is a started manager trusting two keys, owner and other.
func installHarness(t *testing.T) (*harness, signer, signer) {
	t.Helper()
	owner, other := newSigner(t, "owner"), newSigner(t, "other")
	h := newHarness(t, func(c *config.Config) { c.TrustedKeys = []string{owner.pub, other.pub} })
	h.start()
	return h, owner, other
}

// install installs through the backend. An upgrade restarts the plugin's
// loop, so the old loop's pending After call is forgotten.
func (h *harness) install(archive []byte, opts web.InstallOptions) (string, error) {
	old := h.clk.Waiting()
	name, err := h.b.InstallPlugin(archive, opts)
	if err == nil {
		h.clk.Forget(old)
	}
	return name, err
}

// TestInstallUpgradeRemove: a signed package installs into the plugins
// directory and runs; an upgrade by the same key keeps the kv data and the
// enabled (or admin-disabled) state; a removal deletes the files and keeps
// the data, or deletes both when asked.
func TestInstallUpgradeRemove(t *testing.T) {
	for _, c := range []struct {
		name        string
		disable     bool // an admin disables it before the upgrade
		deleteData  bool
		wantEnabled bool
	}{
		{"enabled stays enabled, data kept", false, false, true},
		{"admin-disabled stays disabled, data deleted", true, true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			h, owner, _ := installHarness(t)
			name, err := h.install(pkg(t, "counter", "1.0.0", fmt.Sprintf(counterMain, "v1"), &owner), web.InstallOptions{})
			if err != nil || name != "counter" {
				t.Fatalf("install: %q, %v", name, err)
			}
			dir := filepath.Join(h.cfg.PluginsDir, "counter")
			if _, err := os.Stat(filepath.Join(dir, "main.lua")); err != nil {
				t.Fatalf("installed files: %v", err)
			}
			h.runs("counter", 1)
			h.next("counter", 10*time.Second)
			h.wantMetric(`counter_runs{plugin="counter",code="v1"} 2`)
			evs := h.events(EvPluginInstalled, "counter")
			if len(evs) != 1 || !strings.Contains(evs[0].Message, "version 1.0.0") || !strings.Contains(evs[0].Message, "signed by key "+owner.id) {
				t.Errorf("plugin_installed events %+v, want one naming the version and key %s", evs, owner.id)
			}
			if c.disable {
				if err := h.b.DisablePlugin("counter"); err != nil {
					t.Fatal(err)
				}
			}

			if _, err := h.install(pkg(t, "counter", "1.1.0", fmt.Sprintf(counterMain, "v2"), &owner), web.InstallOptions{}); err != nil {
				t.Fatalf("upgrade: %v", err)
			}
			d := h.view("counter")
			if d.Version != "1.1.0" || d.Enabled != c.wantEnabled {
				t.Fatalf("after the upgrade: version %s enabled=%v, want 1.1.0 enabled=%v", d.Version, d.Enabled, c.wantEnabled)
			}
			// The new version counts on from the old one's 2 runs.
			wantRuns := "2"
			if c.wantEnabled {
				h.runs("counter", 3)
				wantRuns = "3"
				h.wantMetric(`counter_runs{plugin="counter",code="v2"} 3`)
				if strings.Contains(h.metrics(), `code="v1"`) {
					t.Error("the old version's series outlived the upgrade")
				}
			} else if r := h.record("counter"); r.Runs != 2 || r.DisabledReason != "disabled by an admin" {
				t.Errorf("an admin-disabled plugin after the upgrade: %+v", r)
			}
			if v, ok, _ := h.kv("counter").Get("runs"); !ok || v != wantRuns {
				t.Errorf("kv after the upgrade: runs=%q (%v), want %s", v, ok, wantRuns)
			}

			if c.deleteData {
				err = h.m.remove("counter", true)
			} else {
				err = h.b.RemovePlugin("counter")
			}
			if err != nil {
				t.Fatalf("remove: %v", err)
			}
			if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("files after the removal: %v", err)
			}
			if _, err := h.b.Plugin("counter"); !errors.Is(err, web.ErrNotFound) {
				t.Errorf("API after the removal: %v, want not found", err)
			}
			v, ok, err := h.db.KV("counter", store.DefaultQuota()).Get("runs")
			switch {
			case err != nil:
				t.Fatal(err)
			case c.deleteData && ok:
				t.Errorf("data kept although its deletion was asked for: runs=%q", v)
			case !c.deleteData && (!ok || v != wantRuns):
				t.Errorf("data after the removal: runs=%q (%v)", v, ok)
			}
			if _, known, _ := h.db.Plugin("counter"); known == c.deleteData {
				t.Errorf("plugin record kept=%v after a removal with deleteData=%v", known, c.deleteData)
			}
			if evs := h.events(EvPluginRemoved, "counter"); len(evs) != 1 {
				t.Errorf("plugin_removed events %+v, want one", evs)
			}
		})
	}
}

// TestInstallSignerRules: what an install is answered, by signer and the
// admin's explicit choices, mapped to the API's errors (400 refused, 409
// a conflict with what is installed).
func TestInstallSignerRules(t *testing.T) {
	h, owner, other := installHarness(t)
	if _, err := h.install(pkg(t, "alpha", "1.0.0", fmt.Sprintf(counterMain, "a"), &owner), web.InstallOptions{}); err != nil {
		t.Fatal(err)
	}
	stranger := newSigner(t, "stranger")
	main := fmt.Sprintf(counterMain, "x")
	for _, c := range []struct {
		name    string
		archive []byte
		opts    web.InstallOptions
		want    error // nil: installs
		text    string
	}{
		{"upgrade by another trusted key", pkg(t, "alpha", "1.1.0", main, &other), web.InstallOptions{}, web.ErrConflict,
			"alpha is installed signed by key " + owner.id + " and this package is signed by key " + other.id},
		{"unsigned upgrade of a signed plugin", pkg(t, "alpha", "1.1.0", main, nil), web.InstallOptions{AllowUnsigned: true}, web.ErrConflict, "this package is unsigned"},
		{"new plugin, untrusted key", pkg(t, "gamma", "1.0.0", main, &stranger), web.InstallOptions{}, web.ErrInvalid, "trusted_keys"},
		{"new plugin, unsigned", pkg(t, "gamma", "1.0.0", main, nil), web.InstallOptions{}, web.ErrInvalid, "unsigned"},
		{"bundled name", pkg(t, "loadavg", "9.0.0", main, &owner), web.InstallOptions{}, web.ErrInvalid, "name of a bundled plugin"},
		{"bundled name, signer change confirmed", pkg(t, "netdev", "9.0.0", main, &owner), web.InstallOptions{AllowSignerChange: true}, web.ErrInvalid, "name of a bundled plugin"},
		{"not an archive", []byte("hello"), web.InstallOptions{AllowUnsigned: true}, web.ErrInvalid, "package rejected"},
		{"does not load", pkg(t, "delta", "1.0.0", "error('no')\nfunction collect() end", &owner), web.InstallOptions{}, web.ErrInvalid, "does not load"},
		{"new plugin, unsigned, accepted", pkg(t, "gamma", "1.0.0", main, nil), web.InstallOptions{AllowUnsigned: true}, nil, ""},
		{"confirmed signer change", pkg(t, "alpha", "1.2.0", main, &other), web.InstallOptions{AllowSignerChange: true}, nil, ""},
		{"the old key after the change", pkg(t, "alpha", "1.3.0", main, &owner), web.InstallOptions{}, web.ErrConflict, "signed by key " + other.id},
	} {
		_, err := h.install(c.archive, c.opts)
		switch {
		case c.want == nil && err != nil:
			t.Errorf("%s: %v, want installed", c.name, err)
		case c.want != nil && (!errors.Is(err, c.want) || !strings.Contains(err.Error(), c.text)):
			t.Errorf("%s: %v, want %v with %q", c.name, err, c.want, c.text)
		}
	}
	if d := h.view("alpha"); d.Version != "1.2.0" {
		t.Errorf("alpha after the refusals: version %s, want 1.2.0", d.Version)
	}
	if _, err := h.b.Plugin("delta"); !errors.Is(err, web.ErrNotFound) {
		t.Errorf("a package that does not load was registered: %v", err)
	}
	if _, err := os.Stat(filepath.Join(h.cfg.PluginsDir, "delta")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a package that does not load left files: %v", err)
	}
	for typ, want := range map[string][]string{
		EvSignerChanged:    {"signer of alpha changed from key " + owner.id + " to key " + other.id + ", confirmed by the admin"},
		EvUnsignedAccepted: {"unsigned package 1.0.0"},
	} {
		var got []string
		for _, e := range h.events(typ, "") {
			got = append(got, e.Message)
		}
		if len(got) != len(want) || !strings.Contains(got[0], want[0]) {
			t.Errorf("%s events %q, want one with %q", typ, got, want[0])
		}
	}
	if n := len(h.events(EvInstallRejected, "")); n != 8 {
		t.Errorf("%d plugin_install_rejected events, want one for each of the 8 refusals before the load", n)
	}
	if evs := h.events(EvPluginError, "delta"); len(evs) != 1 || !strings.Contains(evs[0].Message, "not installed, it does not load") {
		t.Errorf("plugin_error events for the package that does not load: %+v", evs)
	}
}

// TestInstallWipesOtherSignersData: a new plugin does not inherit the kv
// data a removed plugin of the same name left unless the same key signed
// both (or the admin confirms); the wipe is recorded with both key ids.
func TestInstallWipesOtherSignersData(t *testing.T) {
	for _, c := range []struct {
		name     string
		second   func(owner, other *signer) *signer
		opts     web.InstallOptions
		wantKept bool
	}{
		{"same signer keeps", func(owner, _ *signer) *signer { return owner }, web.InstallOptions{}, true},
		{"other signer wipes", func(_, other *signer) *signer { return other }, web.InstallOptions{}, false},
		{"other signer, confirmed, keeps", func(_, other *signer) *signer { return other }, web.InstallOptions{AllowSignerChange: true}, true},
		{"unsigned wipes", func(_, _ *signer) *signer { return nil }, web.InstallOptions{AllowUnsigned: true}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			h, owner, other := installHarness(t)
			if _, err := h.install(pkg(t, "beta", "1.0.0", fmt.Sprintf(counterMain, "1"), &owner), web.InstallOptions{}); err != nil {
				t.Fatal(err)
			}
			h.runs("beta", 1)
			if err := h.b.RemovePlugin("beta"); err != nil {
				t.Fatal(err)
			}
			h.clk.Forget(h.clk.Waiting())
			if _, err := h.install(pkg(t, "beta", "2.0.0", fmt.Sprintf(counterMain, "2"), c.second(&owner, &other)), c.opts); err != nil {
				t.Fatal(err)
			}
			h.runs("beta", 2) // the record of the removed plugin is kept
			want := "1"
			if c.wantKept {
				want = "2"
			}
			if v, _, _ := h.kv("beta").Get("runs"); v != want {
				t.Errorf("runs=%q after the new install, want %s (data kept=%v)", v, want, c.wantKept)
			}
			evs := h.events(EvSignerChanged, "beta")
			switch {
			case c.wantKept && c.opts.AllowSignerChange:
				if len(evs) != 1 || !strings.Contains(evs[0].Message, "takes over 1 kv keys") {
					t.Errorf("signer change events %+v, want one for the kept data", evs)
				}
			case c.wantKept:
				if len(evs) != 0 {
					t.Errorf("signer change events %+v, want none", evs)
				}
			default:
				if len(evs) != 1 || !strings.Contains(evs[0].Message, "1 kv keys left by a removed beta (key "+owner.id+") wiped") {
					t.Errorf("signer change events %+v, want one for the wipe", evs)
				}
			}
		})
	}
}

// TestInstallBusyConflicts: while a name is claimed by an install or a
// removal, another install or removal of it is a conflict (409) at once.
func TestInstallBusyConflicts(t *testing.T) {
	h, owner, _ := installHarness(t)
	if _, err := h.install(pkg(t, "alpha", "1.0.0", fmt.Sprintf(counterMain, "a"), &owner), web.InstallOptions{}); err != nil {
		t.Fatal(err)
	}
	release, err := h.m.claim("alpha")
	if err != nil {
		t.Fatal(err)
	}
	for what, err := range map[string]error{
		"install": func() error {
			_, err := h.b.InstallPlugin(pkg(t, "alpha", "1.1.0", fmt.Sprintf(counterMain, "b"), &owner), web.InstallOptions{})
			return err
		}(),
		"remove": h.b.RemovePlugin("alpha"),
		"reload": h.b.ReloadPlugin("alpha"),
	} {
		if !errors.Is(err, web.ErrConflict) || !strings.Contains(err.Error(), "install of alpha in progress") {
			t.Errorf("%s while claimed: %v, want web.ErrConflict", what, err)
		}
	}
	release()
	if _, err := h.install(pkg(t, "alpha", "1.1.0", fmt.Sprintf(counterMain, "b"), &owner), web.InstallOptions{}); err != nil {
		t.Errorf("install after the release: %v", err)
	}
}

// TestUpgradeReenables: an upgrade through the backend gives a plugin the
// agent disabled after repeated breaks a new chance, as a reload or a
// start with a new version does, with the same plugin_enabled event; a
// plugin an admin disabled stays disabled.
func TestUpgradeReenables(t *testing.T) {
	for _, c := range []struct {
		name        string
		byAdmin     bool
		wantEnabled bool
	}{
		{"disabled after breaks", false, true},
		{"disabled by an admin", true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			owner := newSigner(t, "owner")
			h := newHarness(t, func(cfg *config.Config) {
				cfg.TrustedKeys = []string{owner.pub}
				cfg.BreaksBeforeDisable = 1
			})
			h.start()
			main := "function collect() while true do end end"
			if c.byAdmin {
				main = "function collect() end"
			}
			if _, err := h.install(pkg(t, "flaky", "1.0.0", main, &owner), web.InstallOptions{}); err != nil {
				t.Fatal(err)
			}
			h.runs("flaky", 1)
			if c.byAdmin {
				if err := h.b.DisablePlugin("flaky"); err != nil {
					t.Fatal(err)
				}
			}
			waitFor(t, func() bool { return !h.record("flaky").Enabled }, "the plugin to be disabled")
			if _, err := h.install(pkg(t, "flaky", "1.0.1", "function collect() end", &owner), web.InstallOptions{}); err != nil {
				t.Fatal(err)
			}
			d := h.view("flaky")
			if d.Version != "1.0.1" || d.Enabled != c.wantEnabled {
				t.Fatalf("after the upgrade: version %s enabled=%v (reason %q), want enabled=%v", d.Version, d.Enabled, d.DisabledReason, c.wantEnabled)
			}
			evs := h.events(EvPluginEnabled, "flaky")
			if !c.wantEnabled {
				if len(evs) != 0 {
					t.Errorf("plugin_enabled events for a plugin that stays disabled: %+v", evs)
				}
				return
			}
			if len(evs) != 1 || !strings.Contains(evs[0].Message, "1.0.1") {
				t.Errorf("plugin_enabled events %+v, want one naming version 1.0.1", evs)
			}
			h.runs("flaky", 2)
			h.wantMetric(`heimnetz_plugin_enabled{plugin="flaky"} 1`)
			if rec, _, _ := h.db.Plugin("flaky"); !rec.Enabled {
				t.Errorf("stored record after the upgrade: %+v", rec)
			}
		})
	}
}

// TestInstallUntrustedSigner: a package signed by a key the agent does not
// trust is refused, and accepted only explicitly, as "signed by untrusted
// key <id>" in the refusal and every event, never as unsigned; the full
// content hash is in the events (the redactor keeps it).
func TestInstallUntrustedSigner(t *testing.T) {
	h, _, _ := installHarness(t)
	stranger := newSigner(t, "stranger")
	archive := pkg(t, "gamma", "1.0.0", fmt.Sprintf(counterMain, "g"), &stranger)
	p, err := pack.Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	hash := p.Hash()
	_, err = h.install(archive, web.InstallOptions{})
	if !errors.Is(err, web.ErrInvalid) || !strings.Contains(err.Error(), "gamma is signed by untrusted key "+stranger.id) {
		t.Fatalf("install = %v, want a refusal naming the untrusted key", err)
	}
	if _, err := h.install(archive, web.InstallOptions{AllowUnsigned: true}); err != nil {
		t.Fatal(err)
	}
	for typ, want := range map[string]string{
		EvInstallRejected:  "gamma is signed by untrusted key " + stranger.id,
		EvUnsignedAccepted: "package 1.0.0 signed by untrusted key " + stranger.id + " (content hash " + hash + ") accepted by the owner",
		EvPluginInstalled:  "content hash " + hash + ", signed by untrusted key " + stranger.id,
	} {
		evs := h.events(typ, "")
		if len(evs) != 1 || !strings.Contains(evs[0].Message, want) || strings.Contains(evs[0].Message, "unsigned package") {
			t.Errorf("%s events %+v, want one with %q", typ, evs, want)
		}
	}
}
