package store

import (
	"io"
	"os"
	"sync/atomic"
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

// CountingFS wraps an FS and counts what reaches it: bytes written, file
// syncs, directory syncs, files created and renames. Use it to measure the
// flash writes of the snapshot policy. Its counters are safe for
// concurrent use.
type CountingFS struct {
	// FS is the wrapped FS (OSFS when nil).
	FS FS

	Bytes, FileSyncs, DirSyncs, Creates, Renames atomic.Int64
}

// inner returns the wrapped FS.
func (c *CountingFS) inner() FS {
	if c.FS == nil {
		return OSFS{}
	}
	return c.FS
}

// Create implements FS.
func (c *CountingFS) Create(name string) (File, error) {
	f, err := c.inner().Create(name)
	if err != nil {
		return nil, err
	}
	c.Creates.Add(1)
	return &countingFile{File: f, c: c}, nil
}

// Rename implements FS.
func (c *CountingFS) Rename(oldpath, newpath string) error {
	c.Renames.Add(1)
	return c.inner().Rename(oldpath, newpath)
}

// Remove implements FS.
func (c *CountingFS) Remove(name string) error { return c.inner().Remove(name) }

// SyncDir implements FS.
func (c *CountingFS) SyncDir(dir string) error {
	c.DirSyncs.Add(1)
	return c.inner().SyncDir(dir)
}

// countingFile counts the writes and syncs of one file.
type countingFile struct {
	File
	c *CountingFS
}

func (f *countingFile) Write(p []byte) (int, error) {
	n, err := f.File.Write(p)
	f.c.Bytes.Add(int64(n))
	return n, err
}

func (f *countingFile) Sync() error {
	f.c.FileSyncs.Add(1)
	return f.File.Sync()
}
