package store

import (
	"bytes"
	"fmt"
	"sync"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"

	"github.com/heimnetz/heimnetz/limits"
	"github.com/heimnetz/heimnetz/limits/oneline"
)

// Quota bounds one plugin's kv store. A zero field takes its value from
// DefaultQuota.
type Quota struct {
	// MaxKeys is the most keys the plugin may hold.
	MaxKeys int
	// MaxBytes bounds the sum of len(key)+len(value) over all keys.
	MaxBytes int64
	// MaxKeyLen and MaxValueLen bound one key and one value, in bytes.
	MaxKeyLen   int
	MaxValueLen int
	// WritesPerMinute bounds Set, Delete and Clear calls: a bucket of this
	// many writes that refills at WritesPerMinute/60 per second.
	WritesPerMinute int
}

// MaxKeyLen is the longest key a plugin may store, in bytes.
const MaxKeyLen = 128

// DefaultQuota returns the quota of a plugin that does not ask for
// another: the kv fields of limits.Defaults (1000 keys, 256 KiB, values up
// to 16 KiB, 120 writes per minute) and keys up to MaxKeyLen bytes.
func DefaultQuota() Quota { return QuotaFor(limits.Defaults()) }

// QuotaFor is the kv quota a plugin's limits give it; the limits package
// holds the only copy of the default numbers.
func QuotaFor(l limits.Limits) Quota {
	return Quota{MaxKeys: l.KVKeys, MaxBytes: l.KVBytes, MaxKeyLen: MaxKeyLen, MaxValueLen: l.KVValueBytes, WritesPerMinute: l.KVWritesPerMinute}
}

// withDefaults fills zero fields from DefaultQuota.
func (q Quota) withDefaults() Quota {
	d := DefaultQuota()
	if q.MaxKeys <= 0 {
		q.MaxKeys = d.MaxKeys
	}
	if q.MaxBytes <= 0 {
		q.MaxBytes = d.MaxBytes
	}
	if q.MaxKeyLen <= 0 {
		q.MaxKeyLen = d.MaxKeyLen
	}
	if q.MaxValueLen <= 0 {
		q.MaxValueLen = d.MaxValueLen
	}
	if q.WritesPerMinute <= 0 {
		q.WritesPerMinute = d.WritesPerMinute
	}
	return q
}

// Usage is what a plugin's kv store holds.
type Usage struct {
	// Keys is the number of keys.
	Keys int
	// Bytes is the sum of len(key)+len(value) over all keys.
	Bytes int64
}

// KV is one plugin's key-value store. Handles for the same plugin share
// their usage counters and write-rate budget. Keys are non-empty UTF-8
// strings without control characters; values are arbitrary bytes.
type KV struct {
	db     *DB
	plugin string
	q      Quota
	st     *kvState
	err    error
}

// kvState is the shared, cached state of one plugin's kv store; mu
// serialises the plugin's writes so the cached usage stays exact.
type kvState struct {
	mu     sync.Mutex
	loaded bool
	usage  Usage
	tokens float64
	last   time.Time
}

// KV returns the kv store of plugin under quota q. A bad plugin name makes
// every method of the returned KV fail with ErrBadName.
func (db *DB) KV(plugin string, q Quota) *KV {
	k := &KV{db: db, plugin: plugin, q: q.withDefaults()}
	if err := checkName(plugin); err != nil {
		k.err = err
		return k
	}
	db.kvMu.Lock()
	st := db.kvs[plugin]
	if st == nil {
		st = &kvState{tokens: float64(k.q.WritesPerMinute), last: db.opts.Now()}
		db.kvs[plugin] = st
	}
	db.kvMu.Unlock()
	k.st = st
	return k
}

// Plugin returns the name of the plugin that owns k.
func (k *KV) Plugin() string { return k.plugin }

// Quota returns k's quota with defaults filled in.
func (k *KV) Quota() Quota { return k.q }

// maxShownKey bounds a key quoted in an error message.
const maxShownKey = 64

// shownKey is key as an error may quote it: bounded and cleaned first, so
// a hostile key of megabytes never becomes a megabyte error line.
func shownKey(key string) string { return oneline.Clean(key, maxShownKey) }

// checkKey validates a key's shape and length.
func (k *KV) checkKey(key string) error {
	if key == "" {
		return fmt.Errorf("plugin %q: %w: empty", k.plugin, ErrBadKey)
	}
	if len(key) > k.q.MaxKeyLen {
		return fmt.Errorf("plugin %q: %w (%d bytes, limit %d)", k.plugin, ErrKeyTooLong, len(key), k.q.MaxKeyLen)
	}
	if at, r := oneline.Find(key); at >= 0 {
		if r == utf8.RuneError {
			return fmt.Errorf("plugin %q: %w: %q is not UTF-8 at byte %d", k.plugin, ErrBadKey, shownKey(key), at)
		}
		return fmt.Errorf("plugin %q: %w: %q holds control character %U at byte %d", k.plugin, ErrBadKey, shownKey(key), r, at)
	}
	return nil
}

// Get returns the value of key; ok is false when the key is not set.
func (k *KV) Get(key string) (value string, ok bool, err error) {
	if k.err != nil {
		return "", false, k.err
	}
	if err := k.checkKey(key); err != nil {
		return "", false, err
	}
	err = k.db.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketKV).Bucket([]byte(k.plugin))
		if b == nil {
			return nil
		}
		if v := b.Get([]byte(key)); v != nil {
			value, ok = string(v), true
		}
		return nil
	})
	if err != nil {
		return "", false, fmt.Errorf("plugin %q: kv get: %w", k.plugin, err)
	}
	return value, ok, nil
}

// Set stores value under key. When Set returns nil the value is committed
// to the live database file and survives a crash of the agent. It fails
// with ErrKeyTooLong, ErrValueTooLarge, ErrQuotaKeys, ErrQuotaBytes,
// ErrWriteRate or ErrBadKey without changing anything. Setting a key to the
// value it already holds costs no commit.
func (k *KV) Set(key, value string) error {
	if k.err != nil {
		return k.err
	}
	if err := k.checkKey(key); err != nil {
		return err
	}
	if len(value) > k.q.MaxValueLen {
		return fmt.Errorf("plugin %q: %w (%d bytes, limit %d)", k.plugin, ErrValueTooLarge, len(value), k.q.MaxValueLen)
	}
	k.st.mu.Lock()
	defer k.st.mu.Unlock()
	if err := k.takeToken(); err != nil {
		return err
	}
	if err := k.loadUsage(); err != nil {
		return err
	}
	old, exists, err := k.Get(key)
	if err != nil {
		return err
	}
	if exists && old == value {
		k.spendToken()
		return nil
	}
	next := k.st.usage
	next.Bytes += int64(len(value))
	if exists {
		next.Bytes -= int64(len(old))
	} else {
		next.Keys++
		next.Bytes += int64(len(key))
	}
	if next.Keys > k.q.MaxKeys {
		return fmt.Errorf("plugin %q: %w (%d keys, limit %d)", k.plugin, ErrQuotaKeys, k.st.usage.Keys, k.q.MaxKeys)
	}
	if next.Bytes > k.q.MaxBytes {
		return fmt.Errorf("plugin %q: %w (%d bytes would exceed limit %d)", k.plugin, ErrQuotaBytes, next.Bytes, k.q.MaxBytes)
	}
	err = k.db.batch(func(tx *bolt.Tx) error {
		b, err := tx.Bucket(bucketKV).CreateBucketIfNotExists([]byte(k.plugin))
		if err != nil {
			return err
		}
		return b.Put([]byte(key), []byte(value))
	})
	if err != nil {
		return fmt.Errorf("plugin %q: kv set %q: %w", k.plugin, shownKey(key), err)
	}
	k.st.usage = next
	k.spendToken()
	return nil
}

// Delete removes key; deleting a key that is not set is not an error and
// costs no commit. When Delete returns nil the removal is committed.
func (k *KV) Delete(key string) error {
	if k.err != nil {
		return k.err
	}
	if err := k.checkKey(key); err != nil {
		return err
	}
	k.st.mu.Lock()
	defer k.st.mu.Unlock()
	if err := k.takeToken(); err != nil {
		return err
	}
	if err := k.loadUsage(); err != nil {
		return err
	}
	old, exists, err := k.Get(key)
	if err != nil {
		return err
	}
	k.spendToken()
	if !exists {
		return nil
	}
	err = k.db.batch(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketKV).Bucket([]byte(k.plugin))
		if b == nil {
			return nil
		}
		return b.Delete([]byte(key))
	})
	if err != nil {
		return fmt.Errorf("plugin %q: kv delete %q: %w", k.plugin, shownKey(key), err)
	}
	k.st.usage.Keys--
	k.st.usage.Bytes -= int64(len(key) + len(old))
	return nil
}

// Keys returns every key, sorted bytewise.
func (k *KV) Keys() ([]string, error) {
	if k.err != nil {
		return nil, k.err
	}
	var keys []string
	err := k.db.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketKV).Bucket([]byte(k.plugin))
		if b == nil {
			return nil
		}
		return b.ForEach(func(key, _ []byte) error {
			keys = append(keys, string(key))
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("plugin %q: kv keys: %w", k.plugin, err)
	}
	return keys, nil
}

// Usage returns the plugin's key count and bytes from cached counters
// (one scan of the plugin's bucket on first use after Open).
func (k *KV) Usage() Usage {
	if k.err != nil {
		return Usage{}
	}
	k.st.mu.Lock()
	defer k.st.mu.Unlock()
	if err := k.loadUsage(); err != nil {
		return Usage{}
	}
	return k.st.usage
}

// Clear removes every key of the plugin in one committed transaction.
func (k *KV) Clear() error {
	if k.err != nil {
		return k.err
	}
	k.st.mu.Lock()
	defer k.st.mu.Unlock()
	if err := k.takeToken(); err != nil {
		return err
	}
	err := k.db.update(func(tx *bolt.Tx) error {
		err := tx.Bucket(bucketKV).DeleteBucket([]byte(k.plugin))
		if err != nil && tx.Bucket(bucketKV).Bucket([]byte(k.plugin)) != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("plugin %q: kv clear: %w", k.plugin, err)
	}
	k.spendToken()
	k.st.usage = Usage{}
	k.st.loaded = true
	return nil
}

// loadUsage computes the usage counters once; st.mu must be held.
func (k *KV) loadUsage() error {
	if k.st.loaded {
		return nil
	}
	var u Usage
	err := k.db.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketKV).Bucket([]byte(k.plugin))
		if b == nil {
			return nil
		}
		return b.ForEach(func(key, v []byte) error {
			if v == nil {
				return fmt.Errorf("%w: nested bucket %q in kv", ErrCorrupt, bytes.Clone(key))
			}
			u.Keys++
			u.Bytes += int64(len(key) + len(v))
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("plugin %q: kv usage: %w", k.plugin, err)
	}
	k.st.usage = u
	k.st.loaded = true
	return nil
}

// takeToken refills the write budget and fails with ErrWriteRate when it
// is empty; st.mu must be held. The token is spent by spendToken once the
// write is accepted.
func (k *KV) takeToken() error {
	now := k.db.opts.Now()
	rate := float64(k.q.WritesPerMinute) / 60
	if dt := now.Sub(k.st.last).Seconds(); dt > 0 {
		k.st.tokens = min(float64(k.q.WritesPerMinute), k.st.tokens+dt*rate)
	}
	k.st.last = now
	if k.st.tokens < 1 {
		return fmt.Errorf("plugin %q: %w (limit %d writes per minute)", k.plugin, ErrWriteRate, k.q.WritesPerMinute)
	}
	return nil
}

// spendToken spends one write from the budget; st.mu must be held.
func (k *KV) spendToken() { k.st.tokens-- }
