package store

import (
	"encoding/json"
	"fmt"
	"sort"

	bolt "go.etcd.io/bbolt"
)

// The event ring keeps two classes of events under one bound (MaxEvents,
// MaxEventBytes) and one sequence:
//
//   - noise: events an untrusted party can cause at will: anyone on the
//     LAN without logging in (failed logins, bad tokens, refused requests
//     and their counted summaries) and a plugin's own code (its limit
//     breaks, output caps, load errors, CPU throttling), marked
//     Event.Noise by the producer, at severity info or warning;
//   - audit: everything else, above all admin actions, logins and high or
//     critical events.
//
// A flood of noise must never erase the audit trail: otherwise a stranger
// who keeps failing to log in pushes the record of what an admin (or an
// attacker who guessed the password) did out of the ring within minutes.
// So the ring is shared by class, and eviction goes by class:
//
//   - audit keeps at most nine tenths of the ring (count and bytes); past
//     that its own oldest event goes, never a newer one and never because
//     of noise;
//   - noise keeps at most half of the ring; past that, or when the ring as
//     a whole is full, its own oldest event goes.
//
// Noise therefore never evicts an audit event: the audit trail always has
// nine tenths of the ring, and noise at least the last tenth (so a
// password guesser's latest attempts stay visible even after a long run
// of admin actions) and up to half while the audit trail is short. Both
// classes stay in one bucket keyed by one sequence, so listing, paging and
// acknowledging are unchanged, and the writes per flush are exactly the
// appends and evictions, as before.

// eventState is the in-memory index of the event ring: one ring per
// class, each oldest first.
type eventState struct {
	audit   ring
	noise   ring
	next    uint64
	dropped uint64
}

// isNoise reports whether e belongs to the noise class: marked so by its
// producer and no more severe than a warning (a high or critical event is
// always kept as audit).
func isNoise(e Event) bool { return e.Noise && e.Severity <= Warning }

// ringOf returns the ring of e's class.
func (st *eventState) ringOf(e Event) *ring {
	if isNoise(e) {
		return &st.noise
	}
	return &st.audit
}

// len returns the number of events kept in both classes.
func (st *eventState) len() int { return st.audit.len() + st.noise.len() }

// bytes returns the bytes the kept events take.
func (st *eventState) bytes() int64 { return st.audit.bytes + st.noise.bytes }

// kept reports whether the event seq is in the ring.
func (st *eventState) kept(seq uint64) bool {
	return st.audit.contains(seq) || st.noise.contains(seq)
}

// resize changes the recorded size of the event seq, whichever class.
func (st *eventState) resize(seq uint64, size int64) {
	st.audit.resize(seq, size)
	st.noise.resize(seq, size)
}

// eventClassOnly is the part of a stored event its class is read from.
type eventClassOnly struct {
	Severity Severity `json:"s"`
	Noise    bool     `json:"n"`
}

// load builds the index from the events bucket and the meta counters.
func (st *eventState) load(tx *bolt.Tx) error {
	*st = eventState{next: 1}
	meta := tx.Bucket(bucketMeta)
	if v := meta.Get(keyEventsDropped); v != nil {
		n, err := decodeUint64(v)
		if err != nil {
			return fmt.Errorf("events dropped counter: %w", err)
		}
		st.dropped = n
	}
	if v := meta.Get(keyEventsNext); v != nil {
		n, err := decodeUint64(v)
		if err != nil {
			return fmt.Errorf("events next counter: %w", err)
		}
		st.next = max(n, 1)
	}
	return tx.Bucket(bucketEvents).ForEach(func(k, v []byte) error {
		seq, err := decodeUint64(k)
		if err != nil {
			return fmt.Errorf("event key: %w", err)
		}
		var c eventClassOnly
		if err := json.Unmarshal(v, &c); err != nil {
			return fmt.Errorf("%w: event %d: %v", ErrCorrupt, seq, err)
		}
		st.ringOf(Event{Severity: c.Severity, Noise: c.Noise}).push(seq, int64(len(k)+len(v)))
		st.next = max(st.next, seq+1)
		return nil
	})
}

// shares returns the most events and bytes each class may keep: audit
// all but a tenth of the ring, noise half of it.
func shares(maxCount int, maxBytes int64) (auditN int, auditB int64, noiseN int, noiseB int64) {
	return maxCount - maxCount/10, maxBytes - maxBytes/10, maxCount / 2, maxBytes / 2
}

// evictEventsLocked brings the ring within its bounds after an append, an
// acknowledgement (which grows an event) or a smaller bound: each class
// over its share drops its own oldest events, and when the ring as a whole
// is over, noise goes (audit alone is always within the ring's bounds);
// db.mu must be held.
func (db *DB) evictEventsLocked() {
	st := &db.events
	maxN, maxB := db.opts.MaxEvents, db.opts.MaxEventBytes
	auditN, auditB, noiseN, noiseB := shares(maxN, maxB)
	for st.audit.len() > 0 && (st.audit.len() > auditN || st.audit.bytes > auditB) {
		e, _ := st.audit.pop()
		db.dropEventLocked(e)
	}
	for st.noise.len() > 0 && (st.noise.len() > noiseN || st.noise.bytes > noiseB || st.len() > maxN || st.bytes() > maxB) {
		e, _ := st.noise.pop()
		db.dropEventLocked(e)
	}
}

// dropEventLocked counts an evicted event and removes it from the pending
// appends, or schedules its deletion from the bucket; db.mu must be held.
func (db *DB) dropEventLocked(r ringEntry) {
	db.events.dropped++
	db.pending.dirty = true
	pe := db.pending.events
	i := sort.Search(len(pe), func(i int) bool { return pe[i].ev.Seq >= r.seq })
	if i < len(pe) && pe[i].ev.Seq == r.seq {
		if i == 0 {
			db.pending.events = pe[1:]
		} else {
			db.pending.events = append(pe[:i], pe[i+1:]...)
		}
		return
	}
	db.pending.eventDeletes = append(db.pending.eventDeletes, r.seq)
}
