package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// DB is the agent's state store. All methods are safe for concurrent use.
// A DB must be closed with Close so pending registry updates, events and
// log lines are committed and the final snapshot is written.
type DB struct {
	opts Options
	bolt *bolt.DB

	// mu guards the pending writes and the ring indexes below.
	mu       sync.Mutex
	pending  pending
	events   eventState
	logs     map[string]*logState
	flushErr error

	// flushErrors and snapshotErrors count failed background flushes and
	// snapshots; report is told when either starts or stops failing.
	flushErrors    atomic.Uint64
	snapshotErrors atomic.Uint64
	reportMu       sync.Mutex
	report         func(op string, err error)
	flushFailing   bool
	snapFailing    bool

	// group coalesces acknowledged writes into shared commits.
	group groupCommit

	// kvMu guards kvs.
	kvMu sync.Mutex
	kvs  map[string]*kvState

	// gen counts committed write transactions that changed something;
	// snapGen is gen at the last snapshot.
	gen       atomic.Uint64
	commits   atomic.Uint64
	lastTxID  atomic.Int64
	snapMu    sync.Mutex
	snapGen   uint64
	lastSnap  time.Time
	snapErr   error
	snapshots atomic.Uint64

	notices       []Notice
	triedSnapshot bool

	stop    chan struct{}
	done    chan struct{}
	closeMu sync.Mutex
	closed  atomic.Bool
}

// pending holds the writes that are committed together by Flush.
type pending struct {
	plugins      map[string]PluginRecord
	events       []pendingEvent
	eventDeletes []uint64
	logs         map[string][]pendingLog
	logDeletes   map[string][]uint64
	dirty        bool
}

// Open opens (or creates) the database described by opts. It creates the
// directories and buckets, restores the live file from the snapshot when the
// live file is missing, moves a bad live or snapshot file aside (see
// Notices), migrates an older schema forward and starts the background
// flusher and snapshot timer unless opts.Manual is set.
//
// Open fails with ErrLocked when another process holds the live file, and
// with ErrSchema when the file was written by a newer version.
func Open(opts Options) (*DB, error) {
	opts = opts.withDefaults()
	if err := opts.validate(); err != nil {
		return nil, err
	}
	db := &DB{
		opts: opts,
		logs: map[string]*logState{},
		kvs:  map[string]*kvState{},
		stop: make(chan struct{}),
		done: make(chan struct{}),
	}
	db.pending.reset()
	if err := os.MkdirAll(filepath.Dir(opts.LivePath), 0o700); err != nil {
		return nil, fmt.Errorf("store: create live directory: %w", err)
	}
	db.cleanTemp()
	if opts.SnapshotPath != "" {
		if err := os.MkdirAll(filepath.Dir(opts.SnapshotPath), 0o700); err != nil {
			return nil, fmt.Errorf("store: create snapshot directory: %w", err)
		}
		db.cleanSnapshotTemp()
	}

	// Each failed attempt moves the offending file aside, so the second
	// attempt runs on the snapshot copy or a fresh file and the third on a
	// fresh file.
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		if err := db.prepareLive(); err != nil {
			return nil, err
		}
		err := db.openBolt()
		if err == nil {
			break
		}
		if errors.Is(err, ErrLocked) || errors.Is(err, ErrSchema) {
			return nil, err
		}
		lastErr = err
		db.moveAside(opts.LivePath, err)
	}
	if db.bolt == nil {
		return nil, fmt.Errorf("store: open %s: %w", opts.LivePath, lastErr)
	}
	db.lastSnap = opts.Now()
	db.snapGen = db.gen.Load()
	db.recordNotices()
	if opts.Manual {
		close(db.done)
	} else {
		go db.background()
	}
	return db, nil
}

// boltOptions are the bbolt settings: a lock timeout so a second agent does
// not hang, no freelist sync (one page less written per commit; the
// freelist is rebuilt by a scan on open, which is cheap for a small file)
// and the hashmap freelist.
func (db *DB) boltOptions(readOnly bool) *bolt.Options {
	return &bolt.Options{
		Timeout:        db.opts.LockTimeout,
		NoFreelistSync: true,
		FreelistType:   bolt.FreelistMapType,
		ReadOnly:       readOnly,
	}
}

// openBolt opens the prepared live file, migrates it and loads the ring
// indexes. Any panic inside bbolt on a damaged file becomes an ErrCorrupt
// error.
func (db *DB) openBolt() (err error) {
	var b *bolt.DB
	err = guard(func() error {
		var oerr error
		b, oerr = bolt.Open(db.opts.LivePath, 0o600, db.boltOptions(false))
		return oerr
	})
	if err != nil {
		if b != nil {
			_ = b.Close()
		}
		return classifyBoltErr(db.opts.LivePath, err)
	}
	db.bolt = b
	err = guard(func() error {
		var found uint32
		if uerr := b.Update(func(tx *bolt.Tx) error {
			var merr error
			found, merr = migrate(tx)
			return merr
		}); uerr != nil {
			return uerr
		}
		if found != 0 && found != SchemaVersion {
			db.notices = append(db.notices, Notice{
				Type: EventTypeStore, Severity: Info,
				Message: fmt.Sprintf("migrated database %s from schema v%d to v%d", db.opts.LivePath, found, SchemaVersion),
			})
		}
		return db.loadState()
	})
	if err != nil {
		_ = b.Close()
		db.bolt = nil
		return fmt.Errorf("store: open %s: %w", db.opts.LivePath, err)
	}
	return nil
}

// classifyBoltErr maps bbolt's open errors to this package's sentinels.
func classifyBoltErr(path string, err error) error {
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return fmt.Errorf("store: open %s: %w", path, ErrLocked)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum),
		errors.Is(err, berrors.ErrVersionMismatch), errors.Is(err, ErrCorrupt):
		return fmt.Errorf("store: open %s: %w: %v", path, ErrCorrupt, err)
	default:
		return fmt.Errorf("store: open %s: %w", path, err)
	}
}

// loadState builds the in-memory ring indexes from the database.
func (db *DB) loadState() error {
	return db.bolt.View(func(tx *bolt.Tx) error {
		if err := db.events.load(tx); err != nil {
			return err
		}
		return tx.Bucket(bucketLogs).ForEach(func(name, v []byte) error {
			b := tx.Bucket(bucketLogs).Bucket(name)
			if b == nil {
				return fmt.Errorf("%w: logs entry %q is not a bucket", ErrCorrupt, name)
			}
			ls := &logState{}
			if err := ls.load(b); err != nil {
				return fmt.Errorf("logs of %q: %w", name, err)
			}
			db.logs[string(name)] = ls
			return nil
		})
	})
}

// update runs fn in a write transaction of its own and counts the commit.
func (db *DB) update(fn func(tx *bolt.Tx) error) error {
	if db.closed.Load() {
		return ErrClosed
	}
	return db.bolt.Update(func(tx *bolt.Tx) error {
		db.onCommit(tx)
		return fn(tx)
	})
}

// onCommit registers the change counters on tx.
func (db *DB) onCommit(tx *bolt.Tx) {
	id := int64(tx.ID())
	tx.OnCommit(func() {
		db.gen.Add(1)
		for {
			last := db.lastTxID.Load()
			if id <= last {
				return
			}
			if db.lastTxID.CompareAndSwap(last, id) {
				db.commits.Add(1)
				return
			}
		}
	})
}

// background flushes pending writes every FlushInterval and takes a
// snapshot when one is due.
func (db *DB) background() {
	defer close(db.done)
	flush := time.NewTicker(db.opts.FlushInterval)
	defer flush.Stop()
	check := min(db.opts.SnapshotInterval, time.Minute)
	snap := time.NewTicker(check)
	defer snap.Stop()
	for {
		select {
		case <-db.stop:
			return
		case <-flush.C:
			db.noteFlushResult(db.Flush())
		case <-snap.C:
			db.noteSnapshotResult(db.MaybeSnapshot())
		}
	}
}

// Flush commits the pending registry updates, events and log lines now, in
// one transaction. The background goroutine calls it every FlushInterval;
// Close calls it last.
func (db *DB) Flush() error {
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.flushLocked()
}

// flushLocked commits db.pending; db.mu must be held. On failure the
// pending writes stay queued for the next attempt.
func (db *DB) flushLocked() error {
	if !db.pending.dirty {
		return nil
	}
	if db.closed.Load() {
		return ErrClosed
	}
	err := db.update(func(tx *bolt.Tx) error {
		if err := db.pending.writePlugins(tx); err != nil {
			return err
		}
		if err := db.pending.writeEvents(tx, &db.events); err != nil {
			return err
		}
		return db.pending.writeLogs(tx)
	})
	if err != nil {
		db.flushErr = fmt.Errorf("store: flush: %w", err)
		return db.flushErr
	}
	db.flushErr = nil
	db.pending.reset()
	return nil
}

// reset empties the pending writes.
func (p *pending) reset() {
	*p = pending{
		plugins:    map[string]PluginRecord{},
		logs:       map[string][]pendingLog{},
		logDeletes: map[string][]uint64{},
	}
}

// Close commits pending writes, writes a final snapshot when anything
// changed since the last one (RAM plus snapshot mode) and closes the file.
// Calling Close again returns nil.
func (db *DB) Close() error {
	db.closeMu.Lock()
	defer db.closeMu.Unlock()
	if db.closed.Load() {
		return nil
	}
	close(db.stop)
	<-db.done
	errs := []error{db.Flush()}
	if db.opts.SnapshotPath != "" {
		_, err := db.snapshotIfChanged()
		errs = append(errs, err)
	}
	db.closed.Store(true)
	errs = append(errs, db.bolt.Close())
	return errors.Join(errs...)
}

// Path returns the live database file.
func (db *DB) Path() string { return db.opts.LivePath }

// Options returns the options the DB runs with, defaults filled in (and
// MaxEvents as SetMaxEvents last set it).
func (db *DB) Options() Options {
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.opts
}

// Stats are counters of the DB's write activity since Open.
type Stats struct {
	// Commits is the number of bbolt write transactions committed.
	Commits uint64
	// Snapshots is the number of snapshots written.
	Snapshots uint64
	// LastSnapshot is when the last snapshot was written (Open time if none).
	LastSnapshot time.Time
	// FlushError is the error of the last failed background flush, if the
	// pending writes are still waiting.
	FlushError error
	// SnapshotError is the error of the last background snapshot, if it
	// failed (nil once one succeeds again).
	SnapshotError error
	// FlushErrors and SnapshotErrors count the background flushes and
	// snapshots that failed since Open.
	FlushErrors, SnapshotErrors uint64
}

// noteSnapshotResult keeps the background snapshot's error for Stats and
// records a High event when snapshots start failing (flash full or
// read-only), once per failing streak.
func (db *DB) noteSnapshotResult(did bool, err error) {
	db.snapMu.Lock()
	was := db.snapErr
	if err != nil || did {
		db.snapErr = err
	}
	db.snapMu.Unlock()
	if err != nil {
		db.snapshotErrors.Add(1)
	}
	db.reportMu.Lock()
	if err != nil || did {
		db.snapFailing = err != nil
	}
	db.reportMu.Unlock()
	switch {
	case err != nil && was == nil:
		db.recordFailure(err)
		db.reportResult("snapshot", err)
	case did && err == nil && was != nil:
		db.reportResult("snapshot", nil)
	}
}

// noteFlushResult counts a failed background flush and, when flushes
// start failing, records a High event (kept in memory with the writes
// that wait, and committed once a flush succeeds) and reports it; the
// next successful flush reports the recovery.
func (db *DB) noteFlushResult(err error) {
	if err == nil {
		db.reportMu.Lock()
		was := db.flushFailing
		db.flushFailing = false
		db.reportMu.Unlock()
		if was {
			db.reportResult("flush", nil)
		}
		return
	}
	db.flushErrors.Add(1)
	db.reportMu.Lock()
	was := db.flushFailing
	db.flushFailing = true
	db.reportMu.Unlock()
	if !was {
		db.recordFailure(err)
		db.reportResult("flush", err)
	}
}

// recordFailure records a failed flush or snapshot as a High event. If
// even that fails (the store is closed) the error still reaches the
// report function and Stats.
func (db *DB) recordFailure(err error) {
	if _, aerr := db.AppendEvent(Event{Type: EventTypeStore, Severity: High, Message: err.Error()}); aerr != nil && !errors.Is(aerr, ErrClosed) {
		db.reportResult("event", aerr)
	}
}

// OnFailure sets fn to be told when background flushes or snapshots start
// failing (op "flush" or "snapshot", the error) and when they succeed
// again (err nil); the agent logs these. fn must not call back into the
// DB's write methods. A nil fn stops the reports.
func (db *DB) OnFailure(fn func(op string, err error)) {
	db.reportMu.Lock()
	db.report = fn
	db.reportMu.Unlock()
}

// Failing reports whether the last background flush and the last
// background snapshot failed (both false until one fails, and again once
// one succeeds); it does not wait for a flush or snapshot in progress.
func (db *DB) Failing() (flush, snapshot bool) {
	db.reportMu.Lock()
	defer db.reportMu.Unlock()
	return db.flushFailing, db.snapFailing
}

// FailureCounts returns how many background flushes and snapshots failed
// since Open, without waiting for a snapshot in progress (as Stats does).
func (db *DB) FailureCounts() (flushes, snapshots uint64) {
	return db.flushErrors.Load(), db.snapshotErrors.Load()
}

// reportResult calls the OnFailure function, if any.
func (db *DB) reportResult(op string, err error) {
	db.reportMu.Lock()
	fn := db.report
	db.reportMu.Unlock()
	if fn != nil {
		fn(op, err)
	}
}

// Stats returns the DB's write counters.
func (db *DB) Stats() Stats {
	db.mu.Lock()
	ferr := db.flushErr
	db.mu.Unlock()
	db.snapMu.Lock()
	last, serr := db.lastSnap, db.snapErr
	db.snapMu.Unlock()
	return Stats{
		Commits:        db.commits.Load(),
		Snapshots:      db.snapshots.Load(),
		LastSnapshot:   last,
		FlushError:     ferr,
		SnapshotError:  serr,
		FlushErrors:    db.flushErrors.Load(),
		SnapshotErrors: db.snapshotErrors.Load(),
	}
}
