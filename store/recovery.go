package store

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Notice is something Open did that the owner should know about: a bad
// file moved aside, a restore from the snapshot, a migration. Open also
// records each notice as an event of its Type.
type Notice struct {
	Time     time.Time
	Type     string // EventTypeStoreRecovered or EventTypeStore
	Severity Severity
	Message  string
}

// Event types of the notices Open records.
const (
	// EventTypeStoreRecovered: Open recovered from a damaged or missing
	// file (moved it aside, repaired it, restored the snapshot, or had to
	// start empty).
	EventTypeStoreRecovered = "store_recovered"
	// EventTypeStore: anything else the store did or failed to do.
	EventTypeStore = "store"
)

// Notices returns what Open had to do beyond opening the file.
func (db *DB) Notices() []Notice { return append([]Notice(nil), db.notices...) }

// notice records a notice for Notices and the event ring.
func (db *DB) notice(sev Severity, msg string) {
	db.notices = append(db.notices, Notice{Time: db.opts.Now(), Type: EventTypeStore, Severity: sev, Message: msg})
}

// recovered records a notice of a recovery.
func (db *DB) recovered(sev Severity, msg string) {
	db.notices = append(db.notices, Notice{Time: db.opts.Now(), Type: EventTypeStoreRecovered, Severity: sev, Message: msg})
}

// recordNotices appends Open's notices to the event ring.
func (db *DB) recordNotices() {
	for _, n := range db.notices {
		_, _ = db.AppendEvent(Event{Time: n.Time, Type: n.Type, Severity: n.Severity, Message: n.Message})
	}
}

// prepareLive makes sure the live file is either absent (bbolt creates a
// fresh one) or has passed checkFile, restoring it from the snapshot when
// it is missing or bad.
func (db *DB) prepareLive() error {
	live, snap := db.opts.LivePath, db.opts.SnapshotPath
	ok, err := fileExists(live)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if ok {
		err := checkFile(live, db.opts.LockTimeout)
		if errors.Is(err, errTornMeta) {
			if err = db.repair(live, err); err == nil {
				return nil
			}
		}
		if err == nil {
			return nil
		}
		if errors.Is(err, ErrLocked) || errors.Is(err, ErrSchema) {
			return err
		}
		db.moveAside(live, err)
	}
	if snap == "" || db.triedSnapshot {
		return nil
	}
	db.triedSnapshot = true
	ok, err = fileExists(snap)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if !ok {
		return nil
	}
	if err := checkFile(snap, db.opts.LockTimeout); err != nil {
		if errors.Is(err, ErrSchema) {
			return err
		}
		db.moveAside(snap, err)
		db.recovered(High, fmt.Sprintf("no usable snapshot: starting with an empty database at %s", live))
		return nil
	}
	if err := db.restoreSnapshot(); err != nil {
		return err
	}
	at := ""
	if st, err := os.Stat(snap); err == nil {
		at = " taken " + st.ModTime().UTC().Format(time.RFC3339)
	}
	db.notice(Info, fmt.Sprintf("restored %s from the snapshot %s%s", live, snap, at))
	return nil
}

// repair rewrites a file whose only damage is a torn meta page header:
// bbolt copies it through the good meta page (Tx.WriteTo writes both meta
// pages afresh), the copy is checked and replaces the original, which is
// kept as <name>.bad-<timestamp>. Nothing committed is lost.
func (db *DB) repair(path string, why error) error {
	fixed := path + ".repair"
	err := guard(func() error {
		b, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: db.opts.LockTimeout})
		if err != nil {
			return err
		}
		defer b.Close()
		return b.View(func(tx *bolt.Tx) error {
			return writeAtomic(OSFS{}, fixed, func(w io.Writer) error {
				_, err := tx.WriteTo(w)
				return err
			})
		})
	})
	if err == nil {
		err = checkFile(fixed, db.opts.LockTimeout)
	}
	if err != nil {
		_ = os.Remove(fixed)
		return fmt.Errorf("%w; repair failed: %v", why, err)
	}
	db.moveAside(path, why)
	if err := os.Rename(fixed, path); err != nil {
		return fmt.Errorf("%w; repair failed: %v", why, err)
	}
	db.recovered(Warning, fmt.Sprintf("repaired %s: rewrote it through its good meta page, nothing lost", path))
	return nil
}

// MaxBadFiles is how many moved-aside files (<name>.bad-<timestamp>) are
// kept per database path; older ones are removed so a file that keeps
// going bad cannot fill the flash.
const MaxBadFiles = 3

// moveAside renames a bad file to <name>.bad-<timestamp>, keeping it for
// inspection, and records a notice; if the rename fails the file is
// removed so the store can start.
func (db *DB) moveAside(path string, why error) {
	db.pruneBadFiles(path, MaxBadFiles-1)
	bad := fmt.Sprintf("%s.bad-%s", path, db.opts.Now().UTC().Format("20060102T150405.000000000Z"))
	if err := os.Rename(path, bad); err != nil {
		rmErr := os.Remove(path)
		db.recovered(High, fmt.Sprintf("bad database file %s (%v); could not move it aside (%v), removed it (%v)", path, why, err, rmErr))
		return
	}
	db.recovered(High, fmt.Sprintf("bad database file %s moved aside to %s: %v", path, bad, why))
}

// pruneBadFiles removes the oldest moved-aside copies of path until at
// most keep are left. The timestamp in their names sorts by age.
func (db *DB) pruneBadFiles(path string, keep int) {
	old, err := filepath.Glob(path + ".bad-*")
	if err != nil || len(old) <= keep {
		return
	}
	sort.Strings(old)
	for _, f := range old[:len(old)-keep] {
		if err := os.Remove(f); err == nil {
			db.notice(Info, fmt.Sprintf("removed old bad database copy %s (keeping %d)", f, MaxBadFiles))
		}
	}
}

// cleanTemp removes the staging files an interrupted restore, repair or
// import leaves next to the live file.
func (db *DB) cleanTemp() {
	for _, suffix := range []string{tempSuffix, ".repair", ".repair" + tempSuffix, ".import"} {
		tmp := db.opts.LivePath + suffix
		if _, err := os.Stat(tmp); err == nil {
			_ = os.Remove(tmp)
		}
	}
}

// checkFile validates the database file at path before it is used: the
// structural check of verifyFile, then a read-only bbolt open (waiting at
// most timeout for a writer's lock), the schema version and bbolt's
// Tx.Check. It returns ErrLocked, ErrSchema or an ErrCorrupt error.
func checkFile(path string, timeout time.Duration) error {
	if err := verifyFile(path); err != nil {
		return fmt.Errorf("check %s: %w", path, err)
	}
	var b *bolt.DB
	err := guard(func() error {
		var oerr error
		b, oerr = bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: timeout})
		return oerr
	})
	if err != nil {
		if b != nil {
			_ = b.Close()
		}
		if errors.Is(err, berrors.ErrTimeout) {
			return fmt.Errorf("check %s: %w", path, ErrLocked)
		}
		return fmt.Errorf("check %s: %w: %v", path, ErrCorrupt, err)
	}
	defer b.Close()
	err = guard(func() error {
		return b.View(func(tx *bolt.Tx) error {
			v, err := schemaVersion(tx)
			if err != nil {
				return err
			}
			if v > SchemaVersion {
				return fmt.Errorf("%w: file has schema v%d, this build knows up to v%d", ErrSchema, v, SchemaVersion)
			}
			return checkTx(tx)
		})
	})
	if err != nil {
		return fmt.Errorf("check %s: %w", path, err)
	}
	return nil
}

// checkTx runs bbolt's consistency check on tx and joins what it reports.
func checkTx(tx *bolt.Tx) error {
	var errs []error
	for err := range tx.Check() {
		if len(errs) < 10 {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w: %w", ErrCorrupt, errors.Join(errs...))
	}
	return nil
}

// Check runs bbolt's consistency check (Tx.Check) on the live database.
func (db *DB) Check() error {
	return db.view(checkTx)
}
