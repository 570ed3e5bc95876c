package store

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/heimnetz/heimnetz/limits/oneline"
)

// Bounds on one log line; longer text is cut at a UTF-8 boundary.
const (
	MaxLogLine  = 1024
	MaxLogLevel = 16
)

// LogLine is one line of a plugin's log.
type LogLine struct {
	Seq   uint64    `json:"seq"`
	Time  time.Time `json:"time"`
	Level string    `json:"level"`
	Line  string    `json:"line"`
}

// storedLog is the JSON value of a log line; the per-plugin sequence
// number is the key (8 bytes, big-endian).
type storedLog struct {
	Time  time.Time `json:"t"`
	Level string    `json:"l"`
	Line  string    `json:"m"`
}

// logState is the in-memory index of one plugin's log ring.
type logState struct {
	ring ring
	next uint64
}

// pendingLog is an appended line not yet committed, with its encoding.
type pendingLog struct {
	line LogLine
	val  []byte
}

// load builds the index from the plugin's log bucket.
func (ls *logState) load(b *bolt.Bucket) error {
	*ls = logState{next: 1}
	return b.ForEach(func(k, v []byte) error {
		seq, err := decodeUint64(k)
		if err != nil {
			return fmt.Errorf("log key: %w", err)
		}
		ls.ring.push(seq, int64(len(k)+len(v)))
		ls.next = max(ls.next, seq+1)
		return nil
	})
}

// AppendLog adds a line to plugin's log ring. The line is bounded,
// redacted and cleaned by RedactLine to MaxLogLine bytes. It is committed by the next Flush
// (within FlushInterval) or Close. The ring keeps at most MaxLogLines lines
// and MaxLogBytes bytes per plugin, dropping the oldest.
func (db *DB) AppendLog(plugin, level, line string, t time.Time) error {
	if err := checkName(plugin); err != nil {
		return err
	}
	if db.closed.Load() {
		return ErrClosed
	}
	if t.IsZero() {
		t = db.opts.Now()
	}
	l := LogLine{Time: t.UTC(), Level: oneline.Clean(level, MaxLogLevel), Line: RedactLine(line, MaxLogLine)}
	val, err := json.Marshal(storedLog{Time: l.Time, Level: l.Level, Line: l.Line})
	if err != nil {
		return fmt.Errorf("plugin %q: encode log line: %w", plugin, err)
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	ls := db.logs[plugin]
	if ls == nil {
		ls = &logState{next: 1}
		db.logs[plugin] = ls
	}
	l.Seq = ls.next
	ls.next++
	db.pending.logs[plugin] = append(db.pending.logs[plugin], pendingLog{line: l, val: val})
	db.pending.dirty = true
	ls.ring.push(l.Seq, int64(8+len(val)))
	ls.ring.evict(db.opts.MaxLogLines, int64(db.opts.MaxLogBytes), func(r ringEntry) {
		if p := db.pending.logs[plugin]; len(p) > 0 && p[0].line.Seq == r.seq {
			db.pending.logs[plugin] = p[1:]
			return
		}
		db.pending.logDeletes[plugin] = append(db.pending.logDeletes[plugin], r.seq)
	})
	return nil
}

// writeLogs commits the pending log lines and deletions.
func (p *pending) writeLogs(tx *bolt.Tx) error {
	logs := tx.Bucket(bucketLogs)
	for plugin, dels := range p.logDeletes {
		b := logs.Bucket([]byte(plugin))
		if b == nil {
			continue
		}
		for _, seq := range dels {
			if err := b.Delete(encodeUint64(seq)); err != nil {
				return fmt.Errorf("plugin %q: delete log line %d: %w", plugin, seq, err)
			}
		}
	}
	for plugin, lines := range p.logs {
		if len(lines) == 0 {
			continue
		}
		b, err := logs.CreateBucketIfNotExists([]byte(plugin))
		if err != nil {
			return fmt.Errorf("plugin %q: log bucket: %w", plugin, err)
		}
		for _, pl := range lines {
			if err := b.Put(encodeUint64(pl.line.Seq), pl.val); err != nil {
				return fmt.Errorf("plugin %q: put log line %d: %w", plugin, pl.line.Seq, err)
			}
		}
	}
	return nil
}

// Logs returns the last n lines of plugin's log (all kept lines when n is
// 0 or less), oldest first, including lines not yet flushed.
func (db *DB) Logs(plugin string, n int) ([]LogLine, error) {
	if err := checkName(plugin); err != nil {
		return nil, err
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	ls := db.logs[plugin]
	if ls == nil || ls.ring.len() == 0 {
		return nil, nil
	}
	if n <= 0 || n > ls.ring.len() {
		n = ls.ring.len()
	}
	oldest, _ := ls.ring.oldest()
	out := make([]LogLine, 0, n)
	pend := db.pending.logs[plugin]
	for i := len(pend) - 1; i >= 0 && len(out) < n; i-- {
		out = append(out, pend[i].line)
	}
	err := db.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketLogs).Bucket([]byte(plugin))
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Last(); k != nil && len(out) < n; k, v = c.Prev() {
			seq, err := decodeUint64(k)
			if err != nil {
				return err
			}
			if seq < oldest.seq {
				break
			}
			var s storedLog
			if err := json.Unmarshal(v, &s); err != nil {
				return fmt.Errorf("%w: plugin %q log line %d: %v", ErrCorrupt, plugin, seq, err)
			}
			out = append(out, LogLine{Seq: seq, Time: s.Time, Level: s.Level, Line: s.Line})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("plugin %q: logs: %w", plugin, err)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}
