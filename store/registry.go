package store

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"

	"github.com/heimnetz/heimnetz/limits/oneline"
)

// MaxNameLen is the longest plugin name the store accepts.
const MaxNameLen = 64

// PluginRecord is the registry entry of one plugin: what the agent knows
// about it across restarts.
type PluginRecord struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
	// Enabled is the owner's choice; DisabledReason says why it is off
	// (owner, or the agent after repeated limit breaks).
	Enabled        bool   `json:"enabled"`
	DisabledReason string `json:"disabled_reason,omitempty"`
	// LastError is the last error or limit break, empty after a clean run.
	LastError    string        `json:"last_error,omitempty"`
	LastRun      time.Time     `json:"last_run,omitzero"`
	LastDuration time.Duration `json:"last_duration_ns,omitempty"`
	Runs         uint64        `json:"runs,omitempty"`
	Errors       uint64        `json:"errors,omitempty"`
	// ConsecutiveBreaks counts limit breaks since the last clean run.
	ConsecutiveBreaks uint64 `json:"consecutive_breaks,omitempty"`
	// InstalledAt is when the plugin was first registered.
	InstalledAt time.Time `json:"installed_at,omitzero"`
	// Checksum identifies the plugin's code (for example a SHA-256 of its
	// files), so the agent can tell an update from a restart.
	Checksum string `json:"checksum,omitempty"`
	// Signer is the key id that signed the installed package, or empty
	// for an unsigned package, a plugin put in place by hand or one
	// installed before signers were recorded. The record (and so the
	// signer) outlives a removal that keeps the plugin's kv data, so the
	// agent can tell whose data a new package with the same name would
	// inherit.
	Signer string `json:"signer,omitempty"`
}

// checkName validates a plugin name used as a bucket or record key.
func checkName(name string) error {
	if name == "" || len(name) > MaxNameLen || !utf8.ValidString(name) {
		return fmt.Errorf("%w: %q (1 to %d bytes of UTF-8)", ErrBadName, oneline.Clean(name, MaxNameLen), MaxNameLen)
	}
	if at, r := oneline.Find(name); at >= 0 {
		return fmt.Errorf("%w: %q holds %U", ErrBadName, oneline.Clean(name, MaxNameLen), r)
	}
	if strings.Contains(name, "/") {
		return fmt.Errorf("%w: %q holds '/'", ErrBadName, name)
	}
	return nil
}

// Plugin returns the registry record of name, including an update not
// yet flushed; ok is false when there is none.
func (db *DB) Plugin(name string) (rec PluginRecord, ok bool, err error) {
	if err := checkName(name); err != nil {
		return PluginRecord{}, false, err
	}
	db.mu.Lock()
	rec, ok = db.pending.plugins[name]
	db.mu.Unlock()
	if ok {
		return rec, true, nil
	}
	err = db.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketPlugins).Get([]byte(name))
		if v == nil {
			return nil
		}
		ok = true
		return decodePlugin(name, v, &rec)
	})
	return rec, ok, err
}

// PutPlugin stores rec (keyed by rec.Name). It is not an acknowledged
// write: records are coalesced in memory and committed by the next Flush
// (within FlushInterval) or Close, so a run result every interval costs no
// commit of its own. Reads see the record at once.
func (db *DB) PutPlugin(rec PluginRecord) error {
	if err := checkName(rec.Name); err != nil {
		return err
	}
	if db.closed.Load() {
		return ErrClosed
	}
	db.mu.Lock()
	db.pending.plugins[rec.Name] = rec
	db.pending.dirty = true
	db.mu.Unlock()
	return nil
}

// Plugins returns every registry record, sorted by name.
func (db *DB) Plugins() ([]PluginRecord, error) {
	byName := map[string]PluginRecord{}
	err := db.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketPlugins).ForEach(func(k, v []byte) error {
			var rec PluginRecord
			if err := decodePlugin(string(k), v, &rec); err != nil {
				return err
			}
			byName[rec.Name] = rec
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	db.mu.Lock()
	for name, rec := range db.pending.plugins {
		byName[name] = rec
	}
	db.mu.Unlock()
	out := make([]PluginRecord, 0, len(byName))
	for _, rec := range byName {
		out = append(out, rec)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// DeletePlugin removes the registry record of name at once (an admin
// action, committed before it returns). The plugin's kv data and logs are
// left alone; use KV.Clear for those.
func (db *DB) DeletePlugin(name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	delete(db.pending.plugins, name)
	return db.update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketPlugins).Delete([]byte(name))
	})
}

// writePlugins puts the pending registry records.
func (p *pending) writePlugins(tx *bolt.Tx) error {
	b := tx.Bucket(bucketPlugins)
	for name, rec := range p.plugins {
		v, err := json.Marshal(rec)
		if err != nil {
			return fmt.Errorf("encode plugin %q: %w", name, err)
		}
		if err := b.Put([]byte(name), v); err != nil {
			return fmt.Errorf("put plugin %q: %w", name, err)
		}
	}
	return nil
}

// decodePlugin decodes a stored registry record.
func decodePlugin(name string, v []byte, rec *PluginRecord) error {
	if err := json.Unmarshal(v, rec); err != nil {
		return fmt.Errorf("%w: plugin record %q: %v", ErrCorrupt, name, err)
	}
	return nil
}

// view runs fn in a read transaction.
func (db *DB) view(fn func(tx *bolt.Tx) error) error {
	if db.closed.Load() {
		return ErrClosed
	}
	return db.bolt.View(fn)
}
