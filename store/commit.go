package store

import (
	"sync"

	bolt "go.etcd.io/bbolt"
)

// groupCommit coalesces acknowledged writes into shared bbolt commits
// without delaying a lone writer. bbolt's own Batch waits MaxBatchDelay
// (10 ms) for company before every commit, which costs a plugin 10 ms per
// kv.set even when nobody else writes. Here the first writer commits at
// once; writers that arrive while a commit (and its fsync) runs queue up
// and are committed together by the next one. The number of commits, and
// so of fsyncs, is bounded by the time an fsync takes, not by the number
// of writers.
type groupCommit struct {
	mu      sync.Mutex
	queue   []commitCall
	leading bool
}

// commitCall is one queued write and where its result goes.
type commitCall struct {
	fn   func(*bolt.Tx) error
	done chan error
}

// batch runs fn in a write transaction that may be shared with concurrent
// callers; fn may run more than once and must be idempotent. It returns
// once the transaction holding fn is committed (or fn failed).
func (db *DB) batch(fn func(tx *bolt.Tx) error) error {
	if db.closed.Load() {
		return ErrClosed
	}
	c := commitCall{fn: fn, done: make(chan error, 1)}
	g := &db.group
	g.mu.Lock()
	g.queue = append(g.queue, c)
	if g.leading {
		g.mu.Unlock()
		return <-c.done
	}
	g.leading = true
	g.mu.Unlock()
	db.leadCommit()
	return <-c.done
}

// leadCommit commits everything queued, then hands the queue that built
// up meanwhile to a new goroutine, so the caller returns after one commit
// however busy the store is.
func (db *DB) leadCommit() {
	g := &db.group
	g.mu.Lock()
	calls := g.queue
	g.queue = nil
	g.mu.Unlock()
	db.commitGroup(calls)
	g.mu.Lock()
	if len(g.queue) == 0 {
		g.leading = false
		g.mu.Unlock()
		return
	}
	g.mu.Unlock()
	go db.leadCommit()
}

// commitGroup runs calls in one transaction. A call whose fn fails is
// taken out and run in a transaction of its own, so it cannot fail the
// others.
func (db *DB) commitGroup(calls []commitCall) {
	for len(calls) > 0 {
		failed := -1
		err := db.update(func(tx *bolt.Tx) error {
			for i, c := range calls {
				if err := c.fn(tx); err != nil {
					failed = i
					return err
				}
			}
			return nil
		})
		if failed < 0 {
			for _, c := range calls {
				c.done <- err
			}
			return
		}
		c := calls[failed]
		calls = append(calls[:failed:failed], calls[failed+1:]...)
		c.done <- db.update(c.fn)
	}
}
