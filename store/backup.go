package store

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// MaxImportBytes bounds the size of a backup Import accepts, so a wrong
// upload cannot fill the RAM disk.
const MaxImportBytes = 256 << 20

// Export writes a consistent copy of the database to w (bbolt's
// Tx.WriteTo inside a read transaction; writers are not blocked) and
// returns the bytes written. Pending registry updates, events and log
// lines are flushed first so the copy holds them. The copy is a bbolt file
// in this machine's byte order.
func (db *DB) Export(w io.Writer) (int64, error) {
	if err := db.Flush(); err != nil {
		return 0, err
	}
	var n int64
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("store: export: %w", err)
	}
	return n, nil
}

// Import replaces the database file at path with the backup read from r,
// after validating it: it is staged next to path, checked (structure, a
// read-only open, bbolt's Tx.Check, a schema this build can migrate) and
// only then renamed over path. A bad backup leaves path untouched. The
// database at path must not be open (ErrLocked otherwise); the next Open
// migrates an older schema. opts supplies the lock timeout.
func Import(path string, r io.Reader, opts Options) error {
	opts = opts.withDefaults()
	if path == "" {
		return errors.New("store: import: no target path")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("store: import: %w", err)
	}
	if err := checkUnlocked(path); err != nil {
		return err
	}
	staged := path + ".import"
	if err := stage(staged, r); err != nil {
		_ = os.Remove(staged)
		return fmt.Errorf("store: import to %s: %w", path, err)
	}
	if err := checkFile(staged, opts.LockTimeout); err != nil {
		_ = os.Remove(staged)
		return fmt.Errorf("store: import: backup rejected: %w", err)
	}
	if err := os.Rename(staged, path); err != nil {
		_ = os.Remove(staged)
		return fmt.Errorf("store: import: %w", err)
	}
	return OSFS{}.SyncDir(filepath.Dir(path))
}

// RestoreBackup installs the backup read from r as the database of opts:
// the live file, and the snapshot when opts has one, so a reboot right
// after still finds it. The DB must be closed.
func RestoreBackup(r io.Reader, opts Options) error {
	opts = opts.withDefaults()
	if err := opts.validate(); err != nil {
		return err
	}
	if err := Import(opts.LivePath, r, opts); err != nil {
		return err
	}
	if opts.SnapshotPath == "" {
		return nil
	}
	src, err := os.Open(opts.LivePath)
	if err != nil {
		return err
	}
	defer src.Close()
	if err := os.MkdirAll(filepath.Dir(opts.SnapshotPath), 0o700); err != nil {
		return err
	}
	return writeAtomic(opts.FS, opts.SnapshotPath, func(w io.Writer) error {
		_, err := io.Copy(w, src)
		return err
	})
}

// stage copies r to path (at most MaxImportBytes) and syncs it.
func stage(path string, r io.Reader) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	n, err := io.Copy(f, io.LimitReader(r, MaxImportBytes+1))
	if err == nil && n > MaxImportBytes {
		err = fmt.Errorf("backup larger than %d bytes", MaxImportBytes)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// checkUnlocked fails with ErrLocked when a process holds path open for
// writing (bbolt's exclusive lock).
func checkUnlocked(path string) error {
	if ok, _ := fileExists(path); !ok {
		return nil
	}
	var b *bolt.DB
	err := guard(func() error {
		var oerr error
		b, oerr = bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: 100e6})
		return oerr
	})
	if b != nil {
		_ = b.Close()
	}
	if errors.Is(err, berrors.ErrTimeout) {
		return fmt.Errorf("store: import to %s: %w", path, ErrLocked)
	}
	return nil
}
