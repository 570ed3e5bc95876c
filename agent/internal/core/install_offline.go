package core

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/VictoriaMetrics/metrics"

	"github.com/heimnetz/heimnetz/agent/internal/config"
	"github.com/heimnetz/heimnetz/luaplugins"
	"github.com/heimnetz/heimnetz/luaplugins/pack"
	"github.com/heimnetz/heimnetz/store"
)

// OfflineInstall is an install into the plugins directory and database of
// an agent that is not running (`heimnetz plugin install`). It applies the
// same rules as an install through the running agent: signature, signer
// succession, archive safety and the static check.
type OfflineInstall struct {
	// Config names the plugins directory, the database and the trusted
	// keys, as the agent would read them.
	Config config.Config
	// Archive is the package; Signature its detached signature or nil.
	Archive   []byte
	Signature *pack.Signature
	// Trusted are key files trusted besides the config's trusted_keys.
	Trusted []string
	// Options are the owner's explicit decisions.
	Options InstallOptions
	// Log receives the security events; nil discards them (they are
	// stored in the database either way).
	Log *slog.Logger
}

// Installed describes a package that was installed.
type Installed struct {
	Name, Version string
	// Path is the plugin's directory.
	Path string
	// Hash is the package's content hash (hex sha256).
	Hash string
	// Signer is the signing key's id; empty for an unsigned package the
	// owner accepted.
	Signer string
	// Signature describes the package's signature in words: "signed by
	// key <id>", "signed by untrusted key <id>" or "unsigned".
	Signature string
}

// InstallOffline installs in.Archive; every refusal is recorded as a
// security event in the database and returned.
func InstallOffline(in OfflineInstall) (Installed, error) {
	cfg := in.Config
	ceilings, err := cfg.MaxLimits()
	if err != nil {
		return Installed{}, err
	}
	keys, err := TrustedKeys(append(append([]string{}, cfg.TrustedKeys...), in.Trusted...))
	if err != nil {
		return Installed{}, fmt.Errorf("%w: %v", errConfig, err)
	}
	db, err := store.Open(cfg.StoreOptions())
	if err != nil {
		return Installed{}, fmt.Errorf("store %s (is the agent running? install through its API instead): %w", cfg.DataDir, err)
	}
	defer db.Close()
	log := in.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	sec := &securityLog{db: db, set: metrics.NewSet(), log: log}
	const via = "command line"
	reject := func(plugin string, err error) (Installed, error) {
		sec.record(EvInstallRejected, store.Warning, plugin, "install via "+via+": "+err.Error())
		return Installed{}, err
	}
	p, prov, err := openPackage(in.Archive, in.Signature, keys, in.Options.AllowUnsigned)
	if err != nil {
		return reject("", err)
	}
	name := p.Name
	dir := cfg.PluginsDirectory()
	var prev predecessor
	rec, known, err := db.Plugin(name)
	if err != nil {
		return Installed{}, err
	}
	if known {
		prev.signer = rec.Signer
	}
	if _, err := os.Lstat(filepath.Join(dir, name)); err == nil {
		prev.installed = true
	} else {
		prev.dataKeys = db.KV(name, store.DefaultQuota()).Usage().Keys
	}
	signer := prov.signer
	plan, err := planSuccession(name, prev, prov, in.Options.AllowSignerChange)
	if err != nil {
		return reject(name, err)
	}
	st, err := stage(p, signer, dir, luaplugins.NewRegistry(), ceilings)
	if err != nil {
		return reject(name, err)
	}
	defer os.RemoveAll(st.tmp)
	if plan.wipeData {
		if err := db.KV(name, store.DefaultQuota()).Clear(); err != nil {
			return Installed{}, err
		}
	}
	final, err := st.commit(dir)
	if err != nil {
		return Installed{}, err
	}
	if !known {
		rec = store.PluginRecord{Name: name, Enabled: true}
	}
	rec.Signer = signer
	if err := db.PutPlugin(rec); err != nil {
		return Installed{}, err
	}
	if plan.event != "" {
		sec.record(EvSignerChanged, store.High, name, plan.event+" (via "+via+")")
	}
	version := st.src.Manifest.Version
	recordInstalled(sec, name, version, st.pkg.Hash(), prov, via)
	if err := db.Close(); err != nil {
		return Installed{}, fmt.Errorf("store %s: %w", cfg.DataDir, err)
	}
	return Installed{Name: name, Version: version, Path: final, Hash: st.pkg.Hash(), Signer: signer, Signature: prov.String()}, nil
}
