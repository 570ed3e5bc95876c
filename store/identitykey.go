package store

import (
	"crypto/rand"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// keyClientIdentity holds the key client identities are hashed with.
var keyClientIdentity = []byte("client_identity_key")

// ClientIdentityKeyLen is the length of the client identity key in bytes.
const ClientIdentityKeyLen = 32

// ClientIdentityKey returns the device's key for hashing client
// identities (MAC addresses, DHCP client ids) into metric labels, making a
// random one and storing it on first use. It stays the same across
// restarts and upgrades, so a client's hashed label does; a store that is
// recovered empty makes a new key, and every hash changes once.
func (db *DB) ClientIdentityKey() ([]byte, error) {
	var key []byte
	get := func(tx *bolt.Tx) {
		if v := tx.Bucket(bucketMeta).Get(keyClientIdentity); len(v) == ClientIdentityKeyLen {
			key = append([]byte(nil), v...)
		}
	}
	if err := db.view(func(tx *bolt.Tx) error { get(tx); return nil }); err != nil {
		return nil, fmt.Errorf("store: client identity key: %w", err)
	}
	if key != nil {
		return key, nil
	}
	fresh := make([]byte, ClientIdentityKeyLen)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("store: client identity key: %w", err)
	}
	err := db.batch(func(tx *bolt.Tx) error {
		if get(tx); key != nil {
			return nil // another caller stored one first
		}
		key = fresh
		return tx.Bucket(bucketMeta).Put(keyClientIdentity, fresh)
	})
	if err != nil {
		return nil, fmt.Errorf("store: client identity key: %w", err)
	}
	return key, nil
}
