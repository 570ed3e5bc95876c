package core

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/heimnetz/heimnetz/limits"
	"github.com/heimnetz/heimnetz/luaplugins"
	"github.com/heimnetz/heimnetz/luaplugins/check"
	"github.com/heimnetz/heimnetz/luaplugins/pack"
	"github.com/heimnetz/heimnetz/luaplugins/testrunner"
	"github.com/heimnetz/heimnetz/store"
)

// errRejected marks a package the installer refuses (not signed by a
// trusted key, unsafe, or failing the static check), a reload whose files
// no longer load, and a removal of a bundled plugin. The web API answers
// it with 400.
var errRejected = errors.New("package rejected")

// errInstallBusy marks an install or removal of a plugin while another
// install or removal of the same name is under way. The web API answers
// it with 409.
var errInstallBusy = errors.New("in progress")

// errConfig marks a refusal whose cause is the agent's configuration
// (a plugins directory that cannot be written, a trusted key file that
// cannot be read); the message names the setting to fix. The web API
// answers it with a 4xx, not 500.
var errConfig = errors.New("configuration problem")

// InstallOptions are the owner's explicit decisions for one install.
type InstallOptions struct {
	// AllowUnsigned accepts a package no trusted key signed.
	AllowUnsigned bool
	// AllowSignerChange accepts a signer other than the installed
	// version's, or kv data left by another signer (see planSuccession).
	AllowSignerChange bool
}

// staged is a package verified, checked and extracted into a hidden
// directory inside the plugins directory, ready to be renamed into place.
type staged struct {
	tmp    string // the hidden staging directory; remove it when done
	dir    string // tmp/<name>: the plugin's files
	src    *luaplugins.Source
	pkg    *pack.Package
	signer string // key id, or "" for an unsigned package accepted by the owner
	report *check.Report
}

// openPackage opens an archive and verifies its signature; sig is a
// detached signature or nil for the embedded one. It is quick (bounded
// by the archive caps) and writes nothing, so it runs before any claim.
func openPackage(archive []byte, sig *pack.Signature, trusted []ed25519.PublicKey, allowUnsigned bool) (*pack.Package, provenance, error) {
	var prov provenance
	p, err := pack.Open(archive)
	if err != nil {
		return nil, prov, fmt.Errorf("%w: %v", errRejected, err)
	}
	if sig == nil {
		sig = p.Signature
	}
	prov.signer, err = p.Verify(sig, trusted)
	if errors.Is(err, pack.ErrUntrusted) {
		prov.untrusted = sig.KeyID
	}
	switch {
	case err == nil:
	case errors.Is(err, pack.ErrBadSignature), errors.Is(err, pack.ErrOldFormat), errors.Is(err, pack.ErrUnsafe):
		return nil, prov, fmt.Errorf("%w: %s: %v", errRejected, p.Name, err)
	case allowUnsigned && (errors.Is(err, pack.ErrUnsigned) || errors.Is(err, pack.ErrUntrusted)):
		prov.signer = ""
	default:
		why := err.Error()
		if prov.untrusted != "" {
			why = pack.ErrUntrusted.Error() // without the key id said already
		}
		return nil, prov, fmt.Errorf("%w: %s is %s: %s (trust its key in trusted_keys, or accept it explicitly with allow_unsigned)", errRejected, p.Name, prov, why)
	}
	if err := checkNotBundled(p.Name); err != nil {
		return nil, prov, err
	}
	return p, prov, nil
}

// stage unpacks and checks an opened package. Nothing outside a new
// hidden directory of pluginsDir is written.
func stage(p *pack.Package, signer string, pluginsDir string, reg *luaplugins.Registry, ceilings limits.Limits) (*staged, error) {
	st := &staged{pkg: p, signer: signer}
	if pluginsDir == "" {
		return nil, errors.New("no plugins directory configured (plugins_dir or --plugins)")
	}
	if err := os.MkdirAll(pluginsDir, 0o755); err != nil {
		return nil, fmt.Errorf("%w: the plugins directory cannot be created (set plugins_dir in the config to a writable directory): %v", errConfig, err)
	}
	var err error
	st.tmp, err = os.MkdirTemp(pluginsDir, ".install-")
	if err != nil {
		return nil, fmt.Errorf("%w: the plugins directory is not writable (set plugins_dir in the config to a writable directory): %v", errConfig, err)
	}
	fail := func(err error) (*staged, error) {
		os.RemoveAll(st.tmp)
		return nil, err
	}
	st.dir = filepath.Join(st.tmp, p.Name)
	if err := p.Extract(st.dir); err != nil {
		return fail(fmt.Errorf("%w: %s: %v", errRejected, p.Name, err))
	}
	st.report, err = check.Path(st.dir, check.Options{Registry: reg, Ceilings: ceilings, TestGlobals: testrunner.Globals()})
	if err != nil {
		return fail(fmt.Errorf("%w: %s: %v", errRejected, p.Name, err))
	}
	if st.report.Failed() {
		var worst []string
		for _, f := range st.report.Findings {
			if f.Severity >= check.High && len(worst) < 3 {
				worst = append(worst, fmt.Sprintf("%s %s %s", f.Position(), f.Rule, f.Message))
			}
		}
		return fail(fmt.Errorf("%w: %s: plugin check found problems at or above high: %s", errRejected, p.Name, strings.Join(worst, "; ")))
	}
	st.src, err = luaplugins.ReadPath(st.dir, reg, ceilings)
	if err != nil {
		// The name in the manifest must equal the archive's directory.
		return fail(fmt.Errorf("%w: %s: %v", errRejected, p.Name, err))
	}
	return st, nil
}

// commit renames the staged plugin to pluginsDir/<name>, replacing an
// older copy; the old files go into the staging directory and are removed
// with it. It returns the final path.
func (st *staged) commit(pluginsDir string) (string, error) {
	final := filepath.Join(pluginsDir, st.pkg.Name)
	if _, err := os.Lstat(final); err == nil {
		if err := os.Rename(final, filepath.Join(st.tmp, ".old")); err != nil {
			return "", err
		}
	}
	if err := os.Rename(st.dir, final); err != nil {
		// Put the old version back.
		os.Rename(filepath.Join(st.tmp, ".old"), final)
		return "", err
	}
	st.src.Origin = final
	return final, nil
}

// TrustedKeys reads the public key files an install trusts.
func TrustedKeys(paths []string) ([]ed25519.PublicKey, error) {
	var out []ed25519.PublicKey
	for _, p := range paths {
		k, err := pack.ReadPublicKey(p)
		if err != nil {
			return nil, fmt.Errorf("trusted key: %w", err)
		}
		out = append(out, k)
	}
	return out, nil
}

// install installs or upgrades a plugin package in the running agent. The
// new version is loaded (its top-level chunk compiled and run under its
// own limits) before anything is swapped: if it fails, the old version
// keeps running and its files stay. An upgrade keeps the plugin's stored
// data and its enabled state; the old state's metric series are dropped
// when it is closed.
//
// No lock is held across the slow parts (check, compile, top-level
// chunk): the plugin's name is claimed, so a second install or a removal
// of the same name fails at once with errInstallBusy while installs of
// other plugins and every API request go on.
func (m *Manager) install(archive []byte, sig *pack.Signature, opts InstallOptions, via string) (string, error) {
	keys, err := TrustedKeys(m.cfg.TrustedKeys)
	if err != nil {
		return "", fmt.Errorf("%w: config trusted_keys: %v", errConfig, err)
	}
	reject := func(plugin string, err error) (string, error) {
		m.sec.record(EvInstallRejected, store.Warning, plugin, fmt.Sprintf("install via %s: %v", via, err))
		return "", err
	}
	pkg, prov, err := openPackage(archive, sig, keys, opts.AllowUnsigned)
	if err != nil {
		return reject("", err)
	}
	name := pkg.Name
	release, err := m.claim(name)
	if err != nil {
		return "", err
	}
	defer release()
	prev, err := m.predecessor(name)
	if err != nil {
		return "", err
	}
	plan, err := planSuccession(name, prev, prov, opts.AllowSignerChange)
	if err != nil {
		return reject(name, err)
	}
	dir := m.cfg.PluginsDirectory()
	st, err := stage(pkg, prov.signer, dir, m.registry, m.ceilings)
	if err != nil {
		return reject(name, err)
	}
	defer os.RemoveAll(st.tmp)
	if st.src.Name() != name {
		return reject(name, fmt.Errorf("%w: manifest name %q differs from the package's %q", errRejected, st.src.Name(), name))
	}
	lim := st.src.Manifest.Limits
	kv := m.db.KV(name, store.QuotaFor(lim))
	if plan.wipeData {
		// Before the new code runs: its top-level chunk must not see the
		// data either.
		if err := kv.Clear(); err != nil {
			return "", fmt.Errorf("install %s: wiping data of another signer: %w", name, err)
		}
		// Recorded now: the data is gone even if the new version then
		// fails to load.
		m.sec.record(EvSignerChanged, store.High, name, plan.event+" (via "+via+")")
		plan.event = ""
	}
	p, _, err := luaplugins.Load(st.src, luaplugins.Env{
		Registry: m.registry, Log: luaplugins.LogFunc(m.pluginLog), KV: kv,
		Families: m.families, Board: m.board, Reporter: m, RequireCollect: true, Identity: m.identity,
	})
	if err != nil {
		m.sec.record(EvPluginError, store.Warning, name, fmt.Sprintf("version %s not installed, it does not load: %v", st.src.Manifest.Version, err))
		return "", fmt.Errorf("%w: %s %s does not load (any running version is kept): %v", errRejected, name, st.src.Manifest.Version, err)
	}
	final, err := st.commit(dir)
	if err != nil {
		p.Close()
		return "", fmt.Errorf("install %s: %w", name, err)
	}
	if plan.event != "" {
		m.sec.record(EvSignerChanged, store.High, name, plan.event+" (via "+via+")")
	}
	recordInstalled(m.sec, name, st.src.Manifest.Version, st.pkg.Hash(), prov, via)

	e, err := m.get(name)
	if err != nil {
		// A new plugin: register and start it. Its first run loads it
		// again, so its top-level chunk runs a second time.
		p.Close()
		rec, ok, err := m.db.Plugin(name)
		if err != nil {
			return final, err
		}
		if !ok {
			rec = store.PluginRecord{Name: name, Enabled: true}
		}
		rec.Signer = st.signer
		if err := m.db.PutPlugin(rec); err != nil {
			return final, err
		}
		return final, m.add(st.src)
	}
	e.life.Lock()
	defer e.life.Unlock()
	e.stopLoop()
	e.mu.Lock()
	reenabled := ""
	if newVersionClears(e.rec, st.src) {
		e.rec.Enabled, e.rec.DisabledReason, e.rec.ConsecutiveBreaks = true, "", 0
		reenabled = fmt.Sprintf("version %s replaces %s, which the agent had disabled: enabled again", st.src.Manifest.Version, e.rec.Version)
	}
	e.src, e.kv = st.src, kv
	e.cpu = limits.NewCPUShare(lim.CPU, lim.CPUWindow, m.clock.Now())
	e.okOwn, e.loadRuns = 0, 0 // a new version shows anew what its calls use (breakCause)
	e.rec.Version = st.src.Manifest.Version
	e.rec.Signer = st.signer
	e.runs = nil
	rec := e.rec
	run := e.enabled()
	if run {
		e.plugin = p
	}
	e.mu.Unlock()
	if reenabled != "" {
		m.sec.record(EvPluginEnabled, store.Info, name, reenabled)
	}
	if !run {
		p.Close()
	}
	m.invalidateMetrics()
	if err := m.db.PutPlugin(rec); err != nil {
		return final, err
	}
	if run {
		e.startLoop()
	}
	return final, nil
}

// predecessor returns what name holds now: an installed version (a
// plugin loaded from the plugins directory) and its signer, or the kv
// data and recorded signer a removed one left.
func (m *Manager) predecessor(name string) (predecessor, error) {
	var prev predecessor
	if e, err := m.get(name); err == nil {
		e.mu.Lock()
		prev.installed, prev.signer = true, e.rec.Signer
		e.mu.Unlock()
		return prev, nil
	}
	rec, ok, err := m.db.Plugin(name)
	if err != nil {
		return prev, fmt.Errorf("install %s: %w", name, err)
	}
	if ok {
		prev.signer = rec.Signer
	}
	prev.dataKeys = m.db.KV(name, store.DefaultQuota()).Usage().Keys
	return prev, nil
}

// maxInstalls bounds installs and removals under way at once: each load
// holds a Lua state of up to the plugin's memory limit beside the running
// plugins, so on a 64 MB router their number must stay small.
const maxInstalls = 2

// claim marks name as being installed or removed; release undoes it. A
// name already claimed, or a claim beyond maxInstalls, is refused at once
// rather than waited for: a slow install (its load runs up to the
// plugin's time limit) must not make other requests queue behind it.
func (m *Manager) claim(name string) (release func(), err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.busy[name] {
		return nil, fmt.Errorf("install of %s %w", name, errInstallBusy)
	}
	if len(m.busy) >= maxInstalls {
		return nil, fmt.Errorf("%d installs or removals %w; try again when one ends", len(m.busy), errInstallBusy)
	}
	if m.busy == nil {
		m.busy = map[string]bool{}
	}
	m.busy[name] = true
	return func() {
		m.mu.Lock()
		delete(m.busy, name)
		m.mu.Unlock()
	}, nil
}

// remove stops a plugin installed in the plugins directory and deletes
// its files; its metric series go with its state. Its stored data and
// record are deleted only when deleteData is set.
func (m *Manager) remove(name string, deleteData bool) error {
	e, src, done, err := m.change(name)
	if err != nil {
		return err
	}
	defer done()
	origin := src.Origin
	dir, _ := filepath.Abs(m.cfg.PluginsDirectory())
	abs, _ := filepath.Abs(origin)
	if origin == luaplugins.OriginBundled || filepath.Dir(abs) != dir {
		return fmt.Errorf("%w: plugin %q is not installed in the plugins directory (bundled plugins can be disabled, not removed)", errRejected, name)
	}
	e.stopLoop()
	m.mu.Lock()
	delete(m.plugins, name)
	m.mu.Unlock()
	m.unregisterMetrics(name)
	tmp, err := os.MkdirTemp(dir, ".remove-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := os.Rename(abs, filepath.Join(tmp, name)); err != nil {
		return err
	}
	msg := "removed; its stored data is kept"
	if deleteData {
		if err := e.kv.Clear(); err != nil {
			return err
		}
		if err := m.db.DeletePlugin(name); err != nil {
			return err
		}
		msg = "removed with its stored data"
	}
	m.sec.record(EvPluginRemoved, store.Info, name, msg)
	return nil
}
