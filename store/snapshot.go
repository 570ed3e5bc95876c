package store

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// tempSuffix names the file a snapshot or import is staged in before it is
// renamed over its target; a leftover one is an interrupted write.
const tempSuffix = ".tmp"

// Snapshot writes a consistent copy of the live database to SnapshotPath
// now: to a temporary file next to it, synced, renamed over the previous
// snapshot, and the directory synced. An interrupted snapshot leaves the
// previous one intact. It fails with ErrNoSnapshot in single-path mode.
func (db *DB) Snapshot() error {
	if db.opts.SnapshotPath == "" {
		return ErrNoSnapshot
	}
	if db.closed.Load() {
		return ErrClosed
	}
	db.snapMu.Lock()
	defer db.snapMu.Unlock()
	return db.snapshotLocked()
}

// MaybeSnapshot writes a snapshot if SnapshotInterval has passed since the
// last one (by Options.Now) and something was committed since. It reports
// whether it wrote one. The background goroutine calls it; with
// Options.Manual the caller does.
func (db *DB) MaybeSnapshot() (bool, error) {
	if db.opts.SnapshotPath == "" || db.closed.Load() {
		return false, nil
	}
	db.snapMu.Lock()
	defer db.snapMu.Unlock()
	if db.opts.Now().Sub(db.lastSnap) < db.opts.SnapshotInterval || db.gen.Load() == db.snapGen {
		return false, nil
	}
	return true, db.snapshotLocked()
}

// snapshotIfChanged writes a snapshot if anything was committed since the
// last one, whatever the interval (used by Close).
func (db *DB) snapshotIfChanged() (bool, error) {
	db.snapMu.Lock()
	defer db.snapMu.Unlock()
	if db.gen.Load() == db.snapGen {
		return false, nil
	}
	return true, db.snapshotLocked()
}

// snapshotLocked writes the snapshot; db.snapMu must be held.
func (db *DB) snapshotLocked() error {
	gen := db.gen.Load()
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return writeAtomic(db.opts.FS, db.opts.SnapshotPath, func(w io.Writer) error {
			_, err := tx.WriteTo(w)
			return err
		})
	})
	if err != nil {
		return fmt.Errorf("store: snapshot to %s: %w", db.opts.SnapshotPath, err)
	}
	db.snapGen = gen
	db.lastSnap = db.opts.Now()
	db.snapshots.Add(1)
	return nil
}

// writeAtomic writes path through fs: to path+tempSuffix, buffered so the
// file is written in large blocks, synced, closed, renamed over path, and
// the directory synced. On failure the temporary file is removed and path
// is untouched.
func writeAtomic(fs FS, path string, write func(io.Writer) error) (err error) {
	tmp := path + tempSuffix
	f, err := fs.Create(tmp)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = fs.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(f, 64<<10)
	if err = write(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		_ = fs.Remove(tmp)
		return err
	}
	if err = fs.Rename(tmp, path); err != nil {
		_ = fs.Remove(tmp)
		return err
	}
	return fs.SyncDir(filepath.Dir(path))
}

// cleanSnapshotTemp removes a temporary snapshot file left by an
// interrupted snapshot (a power cut while writing it).
func (db *DB) cleanSnapshotTemp() {
	tmp := db.opts.SnapshotPath + tempSuffix
	if _, err := os.Stat(tmp); err != nil {
		return
	}
	if err := db.opts.FS.Remove(tmp); err != nil {
		db.notice(Warning, fmt.Sprintf("could not remove interrupted snapshot %s: %v", tmp, err))
		return
	}
	db.notice(Info, fmt.Sprintf("removed interrupted snapshot %s; the previous snapshot is kept", tmp))
}

// restoreSnapshot copies a validated snapshot to the live path (through a
// temporary file and a rename, so a crash meanwhile leaves no half file).
func (db *DB) restoreSnapshot() error {
	src, err := os.Open(db.opts.SnapshotPath)
	if err != nil {
		return err
	}
	defer src.Close()
	err = writeAtomic(OSFS{}, db.opts.LivePath, func(w io.Writer) error {
		_, err := io.Copy(w, src)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: restore %s from %s: %w", db.opts.LivePath, db.opts.SnapshotPath, err)
	}
	return nil
}

// fileExists reports whether path exists; other stat errors are returned.
func fileExists(path string) (bool, error) {
	_, err := os.Stat(path)
	if err == nil {
		return true, nil
	}
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	return false, err
}
