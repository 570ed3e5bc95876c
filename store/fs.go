package store

import (
	"io"
	"os"
)

// FS is the set of file operations the store uses on the flash side
// (snapshots, imports). OSFS implements it with the os package; a wrapper
// can count the bytes written and the sync calls.
type FS interface {
	// Create creates or truncates the named file for writing (mode 0600).
	Create(name string) (File, error)
	// Rename atomically replaces newpath with oldpath.
	Rename(oldpath, newpath string) error
	// Remove removes the named file.
	Remove(name string) error
	// SyncDir fsyncs a directory so a rename in it is durable.
	SyncDir(dir string) error
}

// File is a file opened for writing by an FS.
type File interface {
	io.Writer
	// Sync commits the file's contents to stable storage.
	Sync() error
	// Close closes the file.
	Close() error
}

// OSFS is the FS of the operating system.
type OSFS struct{}

// Create implements FS.
func (OSFS) Create(name string) (File, error) {
	return os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
}

// Rename implements FS.
func (OSFS) Rename(oldpath, newpath string) error { return os.Rename(oldpath, newpath) }

// Remove implements FS.
func (OSFS) Remove(name string) error { return os.Remove(name) }

// SyncDir implements FS.
func (OSFS) SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
