package store

import (
	"bytes"
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// SchemaVersion is the layout version this package writes. Open migrates
// older files forward and refuses newer ones with ErrSchema.
//
// Layout history:
//
//	v1  meta{schema}, plugins{name→json}, events{seq→json}, and one top-level
//	    bucket "kv.<plugin>" per plugin.
//	v2  the per-plugin kv buckets nested under one bucket "kv", and a bucket
//	    "logs" with one nested bucket per plugin.
const SchemaVersion uint32 = 2

// Bucket and key names.
var (
	bucketMeta    = []byte("meta")
	bucketPlugins = []byte("plugins")
	bucketKV      = []byte("kv")
	bucketEvents  = []byte("events")
	bucketLogs    = []byte("logs")

	keySchema        = []byte("schema")
	keyEventsDropped = []byte("events.dropped")
	keyEventsNext    = []byte("events.next")

	v1KVPrefix = []byte("kv.")
)

// migration moves a database from version from to from+1 inside tx.
type migration struct {
	from uint32
	name string
	run  func(tx *bolt.Tx) error
}

// migrations lists every forward step in order; migrations[i].from == i+1.
var migrations = []migration{
	{from: 1, name: "nest per-plugin kv buckets under kv, add logs", run: migrateV1toV2},
}

// encodeUint32 and encodeUint64 are the explicit big-endian encodings used
// for every integer stored as a value or key.
func encodeUint32(v uint32) []byte {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], v)
	return b[:]
}

func encodeUint64(v uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	return b[:]
}

func decodeUint64(b []byte) (uint64, error) {
	if len(b) != 8 {
		return 0, fmt.Errorf("%w: integer of %d bytes, want 8", ErrCorrupt, len(b))
	}
	return binary.BigEndian.Uint64(b), nil
}

// schemaVersion reads the schema version of tx's database: 0 for a database
// with no buckets at all (new file), an ErrCorrupt error for a bbolt file
// that is not ours.
func schemaVersion(tx *bolt.Tx) (uint32, error) {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		empty := true
		if err := tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
			empty = false
			return nil
		}); err != nil {
			return 0, err
		}
		if empty {
			return 0, nil
		}
		return 0, fmt.Errorf("%w: bbolt file without a heimnetz meta bucket (a foreign database)", ErrCorrupt)
	}
	v := meta.Get(keySchema)
	if len(v) != 4 {
		return 0, fmt.Errorf("%w: schema version of %d bytes, want 4", ErrCorrupt, len(v))
	}
	return binary.BigEndian.Uint32(v), nil
}

// migrate brings tx's database to SchemaVersion, creating a new layout for
// an empty file. It returns the version found before migrating.
func migrate(tx *bolt.Tx) (uint32, error) {
	found, err := schemaVersion(tx)
	if err != nil {
		return 0, err
	}
	if found > SchemaVersion {
		return found, fmt.Errorf("%w: file has schema v%d, this build knows up to v%d", ErrSchema, found, SchemaVersion)
	}
	if found == 0 {
		if err := createLayout(tx); err != nil {
			return 0, err
		}
		return 0, nil
	}
	for v := found; v < SchemaVersion; v++ {
		m := migrations[v-1]
		if m.from != v {
			return found, fmt.Errorf("%w: no migration from v%d", ErrSchema, v)
		}
		if err := m.run(tx); err != nil {
			return found, fmt.Errorf("migration v%d→v%d (%s): %w", v, v+1, m.name, err)
		}
		if err := tx.Bucket(bucketMeta).Put(keySchema, encodeUint32(v+1)); err != nil {
			return found, err
		}
	}
	return found, createLayout(tx)
}

// createLayout creates every bucket of the current layout that is missing
// and stamps the schema version.
func createLayout(tx *bolt.Tx) error {
	for _, name := range [][]byte{bucketMeta, bucketPlugins, bucketKV, bucketEvents, bucketLogs} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %q: %w", name, err)
		}
	}
	return tx.Bucket(bucketMeta).Put(keySchema, encodeUint32(SchemaVersion))
}

// migrateV1toV2 moves every top-level "kv.<plugin>" bucket to kv/<plugin>
// and adds the logs bucket.
func migrateV1toV2(tx *bolt.Tx) error {
	kv, err := tx.CreateBucketIfNotExists(bucketKV)
	if err != nil {
		return err
	}
	var old [][]byte
	if err := tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
		if bytes.HasPrefix(name, v1KVPrefix) && len(name) > len(v1KVPrefix) {
			old = append(old, bytes.Clone(name))
		}
		return nil
	}); err != nil {
		return err
	}
	for _, name := range old {
		src := tx.Bucket(name)
		if src == nil {
			return fmt.Errorf("%w: v1 kv entry %q is not a bucket", ErrCorrupt, name)
		}
		dst, err := kv.CreateBucketIfNotExists(name[len(v1KVPrefix):])
		if err != nil {
			return err
		}
		if err := src.ForEach(func(k, v []byte) error { return dst.Put(k, v) }); err != nil {
			return fmt.Errorf("copy %q: %w", name, err)
		}
		if err := tx.DeleteBucket(name); err != nil {
			return err
		}
	}
	_, err = tx.CreateBucketIfNotExists(bucketLogs)
	return err
}
