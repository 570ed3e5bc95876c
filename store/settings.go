package store

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// MaxSettingsLen is the largest settings record the store keeps.
const MaxSettingsLen = 4 << 10

// keySettings names the settings record in the meta bucket.
var keySettings = []byte("settings")

// Settings returns the record PutSettings stored last; ok is false when
// none was ever stored. The store does not read the record: the agent
// gives it its meaning (the owner's settings as JSON).
func (db *DB) Settings() (data []byte, ok bool, err error) {
	err = db.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketMeta).Get(keySettings)
		if v == nil {
			return nil
		}
		data, ok = append([]byte(nil), v...), true
		return nil
	})
	return data, ok, err
}

// PutSettings stores data as the settings record, replacing the last one.
// It is an acknowledged write: when it returns nil the record is
// committed to the live file (and reaches the snapshot with the next one).
func (db *DB) PutSettings(data []byte) error {
	if len(data) > MaxSettingsLen {
		return fmt.Errorf("store: settings record of %d bytes, limit %d", len(data), MaxSettingsLen)
	}
	err := db.batch(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keySettings, data)
	})
	if err != nil {
		return fmt.Errorf("store: put settings: %w", err)
	}
	return nil
}

// SetMaxEvents changes how many events the ring keeps (Options.MaxEvents)
// while the DB is open; a smaller bound drops the oldest events now, and
// the drop is committed with the next Flush. n of 0 or less means
// DefaultMaxEvents.
func (db *DB) SetMaxEvents(n int) {
	if n <= 0 {
		n = DefaultMaxEvents
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	db.opts.MaxEvents = n
	db.evictEventsLocked()
}
