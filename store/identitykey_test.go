package store

import (
	"bytes"
	"testing"
)

// TestClientIdentityKeyStays: the key is made once, is the same for every
// caller and survives a restart; another database has another key.
func TestClientIdentityKeyStays(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(DefaultOptions(dir))
	if err != nil {
		t.Fatal(err)
	}
	first, err := db.ClientIdentityKey()
	if err != nil {
		t.Fatal(err)
	}
	again, err := db.ClientIdentityKey()
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != ClientIdentityKeyLen || !bytes.Equal(first, again) || bytes.Equal(first, make([]byte, ClientIdentityKeyLen)) {
		t.Fatalf("key %x, then %x", first, again)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = Open(DefaultOptions(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	reopened, err := db.ClientIdentityKey()
	if err != nil || !bytes.Equal(first, reopened) {
		t.Errorf("after a restart: %x, %v; want %x", reopened, err, first)
	}
	other, err := Open(DefaultOptions(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if k, _ := other.ClientIdentityKey(); bytes.Equal(k, first) {
		t.Error("two databases share a key")
	}
}
