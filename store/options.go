package store

import (
	"fmt"
	"path/filepath"
	"time"
)

// File names and directories used by the default options.
const (
	// FileName is the name of the database file in both the live and the
	// snapshot directory.
	FileName = "heimnetz.db"
	// RouterLiveDir is the RAM directory (tmpfs) that holds the live database
	// on OpenWrt.
	RouterLiveDir = "/tmp/heimnetz"
	// RouterDataDir is the flash directory that holds the snapshot on OpenWrt
	// (list it in /lib/upgrade/keep.d so sysupgrade keeps it).
	RouterDataDir = "/etc/heimnetz"
)

// Default values used by DefaultOptions.
const (
	DefaultSnapshotInterval = 30 * time.Minute
	DefaultFlushInterval    = 5 * time.Second
	DefaultMaxEvents        = 1000
	DefaultMaxEventBytes    = 256 << 10
	DefaultMaxLogLines      = 200
	DefaultMaxLogBytes      = 32 << 10
	DefaultLockTimeout      = 2 * time.Second
)

// Options configures a DB. DefaultOptions and RouterOptions fill every field;
// the zero value of a field not filled means its default.
type Options struct {
	// LivePath is the bbolt file every write is committed to. Empty means
	// single-path mode on SnapshotPath.
	LivePath string
	// SnapshotPath is the file on flash that receives a consistent copy of
	// the live database. Empty, or equal to LivePath, means single-path mode:
	// no snapshots, the live file is the only copy.
	SnapshotPath string
	// SnapshotInterval is the longest time between snapshots while something
	// changed (default 30 min).
	SnapshotInterval time.Duration
	// FlushInterval is how long registry updates, non-critical events and log
	// lines may wait in memory before they are committed (default 5 s).
	FlushInterval time.Duration
	// MaxEvents and MaxEventBytes bound the event ring; the oldest events are
	// dropped first within their class: noise (Event.Noise) keeps at most
	// half, the audit trail nine tenths, and noise never evicts audit
	// (eventring.go; defaults 1000 events, 256 KiB).
	MaxEvents     int
	MaxEventBytes int64
	// MaxLogLines and MaxLogBytes bound each plugin's log ring (defaults 200
	// lines, 32 KiB).
	MaxLogLines int
	MaxLogBytes int
	// LockTimeout is how long Open waits for another process to release the
	// live file before it fails with ErrLocked (default 2 s).
	LockTimeout time.Duration
	// Manual disables the background goroutine; the caller then drives
	// Flush and MaybeSnapshot itself (benchmarks and simulated clocks).
	Manual bool
	// Now returns the current time (default time.Now).
	Now func() time.Time
	// FS performs the snapshot file operations on the flash side
	// (default the operating system); wrap it to count writes and syncs.
	FS FS
}

// DefaultOptions returns options that keep both the live file and the
// snapshot under dataDir (the layout of `heimnetz run --data DIR` on a
// development machine): live dataDir/live/heimnetz.db, snapshot
// dataDir/heimnetz.db.
func DefaultOptions(dataDir string) Options {
	o := Options{
		LivePath:     filepath.Join(dataDir, "live", FileName),
		SnapshotPath: filepath.Join(dataDir, FileName),
	}
	return o.withDefaults()
}

// RouterOptions returns the OpenWrt layout: the live file in RAM under
// liveDir (RouterLiveDir when empty) and the snapshot on flash under dataDir
// (RouterDataDir when empty).
func RouterOptions(liveDir, dataDir string) Options {
	if liveDir == "" {
		liveDir = RouterLiveDir
	}
	if dataDir == "" {
		dataDir = RouterDataDir
	}
	o := Options{
		LivePath:     filepath.Join(liveDir, FileName),
		SnapshotPath: filepath.Join(dataDir, FileName),
	}
	return o.withDefaults()
}

// withDefaults fills zero fields and normalises single-path mode so that
// LivePath is always set and SnapshotPath is empty when there is no snapshot.
func (o Options) withDefaults() Options {
	if o.LivePath == "" {
		o.LivePath = o.SnapshotPath
	}
	if o.SnapshotPath != "" && filepath.Clean(o.SnapshotPath) == filepath.Clean(o.LivePath) {
		o.SnapshotPath = ""
	}
	if o.SnapshotInterval <= 0 {
		o.SnapshotInterval = DefaultSnapshotInterval
	}
	if o.FlushInterval <= 0 {
		o.FlushInterval = DefaultFlushInterval
	}
	if o.MaxEvents <= 0 {
		o.MaxEvents = DefaultMaxEvents
	}
	if o.MaxEventBytes <= 0 {
		o.MaxEventBytes = DefaultMaxEventBytes
	}
	if o.MaxLogLines <= 0 {
		o.MaxLogLines = DefaultMaxLogLines
	}
	if o.MaxLogBytes <= 0 {
		o.MaxLogBytes = DefaultMaxLogBytes
	}
	if o.LockTimeout <= 0 {
		o.LockTimeout = DefaultLockTimeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.FS == nil {
		o.FS = OSFS{}
	}
	return o
}

// validate reports options that cannot work.
func (o Options) validate() error {
	if o.LivePath == "" {
		return fmt.Errorf("store: no database path: set LivePath or SnapshotPath")
	}
	return nil
}

// SinglePath reports whether the options describe single-path mode (no
// snapshot; every commit goes to the one file).
func (o Options) SinglePath() bool {
	return o.withDefaults().SnapshotPath == ""
}
