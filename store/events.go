package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"

	"github.com/heimnetz/heimnetz/limits/oneline"
)

// Bounds on one event's fields; longer values are cut (at a UTF-8
// boundary) so one event can never crowd out the ring.
const (
	MaxEventMessage = 2048
	MaxEventType    = 64
)

// ErrBadEvent means an event lacks a type or has an unknown severity.
var ErrBadEvent = errors.New("bad event")

// Severity ranks an event. The zero value is Info.
type Severity int

// Severities, lowest first.
const (
	Info Severity = iota
	Warning
	High
	Critical
)

var severityNames = [...]string{"info", "warning", "high", "critical"}

// String returns "info", "warning", "high" or "critical".
func (s Severity) String() string {
	if s < 0 || int(s) >= len(severityNames) {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// SeverityNames returns the name of every severity, lowest first: the one
// list the store, the API and page filters, the counters and the log
// levels are built from.
func SeverityNames() []string {
	return append([]string(nil), severityNames[:]...)
}

// ParseSeverity parses the names String returns.
func ParseSeverity(name string) (Severity, error) {
	for i, n := range severityNames {
		if strings.EqualFold(name, n) {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("%w: unknown severity %q", ErrBadEvent, name)
}

// MarshalText encodes s as its name.
func (s Severity) MarshalText() ([]byte, error) {
	if s < 0 || int(s) >= len(severityNames) {
		return nil, fmt.Errorf("%w: severity %d", ErrBadEvent, int(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText decodes a severity name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Event is one security or audit event.
type Event struct {
	// Seq is assigned by AppendEvent; it increases by one per event and is
	// never reused.
	Seq      uint64    `json:"seq"`
	Time     time.Time `json:"time"`
	Type     string    `json:"type"`
	Severity Severity  `json:"severity"`
	Plugin   string    `json:"plugin,omitempty"`
	Message  string    `json:"message"`
	Acked    bool      `json:"acked"`
	// Noise marks an event that anyone on the LAN can cause without
	// logging in (see eventring.go): at info or warning it is kept in the
	// noise share of the ring and can never evict an audit event.
	Noise bool `json:"-"`
}

// storedEvent is the JSON value of an event; the sequence number is the
// key (8 bytes, big-endian).
type storedEvent struct {
	Time     time.Time `json:"t"`
	Type     string    `json:"y"`
	Severity Severity  `json:"s"`
	Plugin   string    `json:"p,omitempty"`
	Message  string    `json:"m"`
	Acked    bool      `json:"a,omitempty"`
	Noise    bool      `json:"n,omitempty"`
}

// pendingEvent is an appended event not yet committed, with its encoding.
type pendingEvent struct {
	ev  Event
	val []byte
}

// clip cuts s to at most n bytes at a UTF-8 boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// encodeEvent encodes e's stored form.
func encodeEvent(e Event) ([]byte, error) {
	return json.Marshal(storedEvent{Time: e.Time.UTC(), Type: e.Type, Severity: e.Severity, Plugin: e.Plugin, Message: e.Message, Acked: e.Acked, Noise: e.Noise})
}

// decodeEvent decodes a stored event.
func decodeEvent(k, v []byte) (Event, error) {
	seq, err := decodeUint64(k)
	if err != nil {
		return Event{}, err
	}
	var s storedEvent
	if err := json.Unmarshal(v, &s); err != nil {
		return Event{}, fmt.Errorf("%w: event %d: %v", ErrCorrupt, seq, err)
	}
	return Event{Seq: seq, Time: s.Time, Type: s.Type, Severity: s.Severity, Plugin: s.Plugin, Message: s.Message, Acked: s.Acked, Noise: s.Noise}, nil
}

// AppendEvent adds e to the ring and returns its sequence number. The
// message is bounded, redacted and cleaned by RedactLine to MaxEventMessage
// bytes, the type and plugin by oneline.Clean; a zero
// Time becomes now. A Critical event is committed before AppendEvent
// returns; others are committed by the next Flush (within FlushInterval)
// or Close. When the ring exceeds MaxEvents or MaxEventBytes the oldest
// events are dropped and counted (see EventStats), by class: noise
// (Event.Noise, info or warning) keeps at most half the ring and only ever
// drops noise, audit keeps nine tenths, so no flood of noise evicts an
// admin action, a login or a high or critical event (eventring.go).
func (db *DB) AppendEvent(e Event) (uint64, error) {
	if e.Type == "" {
		return 0, fmt.Errorf("%w: empty type", ErrBadEvent)
	}
	if e.Severity < Info || e.Severity > Critical {
		return 0, fmt.Errorf("%w: severity %d", ErrBadEvent, int(e.Severity))
	}
	if db.closed.Load() {
		return 0, ErrClosed
	}
	if e.Time.IsZero() {
		e.Time = db.opts.Now()
	}
	e.Type = oneline.Clean(e.Type, MaxEventType)
	e.Plugin = oneline.Clean(e.Plugin, MaxNameLen)
	e.Message = RedactLine(e.Message, MaxEventMessage)

	db.mu.Lock()
	defer db.mu.Unlock()
	e.Seq = db.events.next
	val, err := encodeEvent(e)
	if err != nil {
		return 0, fmt.Errorf("encode event: %w", err)
	}
	db.events.next++
	db.pending.events = append(db.pending.events, pendingEvent{ev: e, val: val})
	db.pending.dirty = true
	db.events.ringOf(e).push(e.Seq, int64(8+len(val)))
	db.evictEventsLocked()
	if e.Severity == Critical {
		if err := db.flushLocked(); err != nil {
			return e.Seq, err
		}
	}
	return e.Seq, nil
}

// writeEvents commits the pending events, deletions and counters.
func (p *pending) writeEvents(tx *bolt.Tx, st *eventState) error {
	b := tx.Bucket(bucketEvents)
	for _, pe := range p.events {
		if err := b.Put(encodeUint64(pe.ev.Seq), pe.val); err != nil {
			return fmt.Errorf("put event %d: %w", pe.ev.Seq, err)
		}
	}
	for _, seq := range p.eventDeletes {
		if err := b.Delete(encodeUint64(seq)); err != nil {
			return fmt.Errorf("delete event %d: %w", seq, err)
		}
	}
	meta := tx.Bucket(bucketMeta)
	if err := meta.Put(keyEventsDropped, encodeUint64(st.dropped)); err != nil {
		return err
	}
	return meta.Put(keyEventsNext, encodeUint64(st.next))
}

// Events returns up to limit events with a sequence number below
// beforeSeq (all when beforeSeq is 0), newest first, including events not
// yet flushed. A limit of 0 or less means MaxEvents.
func (db *DB) Events(limit int, beforeSeq uint64) ([]Event, error) {
	if beforeSeq == 0 {
		beforeSeq = ^uint64(0)
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	if limit <= 0 || limit > db.opts.MaxEvents {
		limit = db.opts.MaxEvents
	}
	if db.events.len() == 0 {
		return nil, nil
	}
	var out []Event
	for i := len(db.pending.events) - 1; i >= 0 && len(out) < limit; i-- {
		if e := db.pending.events[i].ev; e.Seq < beforeSeq {
			out = append(out, e)
		}
	}
	if len(out) >= limit {
		return out, nil
	}
	err := db.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketEvents).Cursor()
		var k, v []byte
		if beforeSeq == ^uint64(0) {
			k, v = c.Last()
		} else if k, _ = c.Seek(encodeUint64(beforeSeq)); k == nil {
			k, v = c.Last()
		} else {
			k, v = c.Prev()
		}
		for ; k != nil && len(out) < limit; k, v = c.Prev() {
			e, err := decodeEvent(k, v)
			if err != nil {
				return err
			}
			if !db.events.kept(e.Seq) {
				continue // evicted, its deletion not yet committed
			}
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

// AckEvents marks events as acknowledged and commits that before it
// returns. Sequence numbers not in the ring (never assigned, or dropped)
// are reported with ErrNoEvent after the others are acknowledged.
func (db *DB) AckEvents(seqs ...uint64) error {
	db.mu.Lock()
	defer db.mu.Unlock()
	var stored, missing []uint64
	for _, seq := range seqs {
		if !db.events.kept(seq) {
			missing = append(missing, seq)
			continue
		}
		found := false
		for i := range db.pending.events {
			pe := &db.pending.events[i]
			if pe.ev.Seq != seq {
				continue
			}
			found = true
			pe.ev.Acked = true
			val, err := encodeEvent(pe.ev)
			if err != nil {
				return err
			}
			pe.val = val
			db.events.resize(seq, int64(8+len(val)))
			db.pending.dirty = true
		}
		if !found {
			stored = append(stored, seq)
		}
	}
	err := db.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketEvents)
		for _, seq := range stored {
			k := encodeUint64(seq)
			v := b.Get(k)
			if v == nil {
				missing = append(missing, seq)
				continue
			}
			e, err := decodeEvent(k, v)
			if err != nil {
				return err
			}
			e.Acked = true
			nv, err := encodeEvent(e)
			if err != nil {
				return err
			}
			if bytes.Equal(nv, v) {
				continue
			}
			if err := b.Put(k, nv); err != nil {
				return err
			}
			db.events.resize(seq, int64(8+len(nv)))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("ack events: %w", err)
	}
	db.evictEventsLocked()
	if err := db.flushLocked(); err != nil {
		return err
	}
	if len(missing) > 0 {
		return fmt.Errorf("ack events %v: %w", missing, ErrNoEvent)
	}
	return nil
}

// EventStats returns the number of events kept, the number dropped since
// the database was created, and the bytes the kept events take.
func (db *DB) EventStats() (kept int, dropped uint64, bytes int64) {
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.events.len(), db.events.dropped, db.events.bytes()
}
