package store

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// testClock is a manual clock for Options.Now.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock() *testClock {
	return &testClock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// ramTempDir returns a temporary directory on /dev/shm when that is a
// writable RAM disk (as /tmp is on a router), else t.TempDir(): fsync on a
// RAM disk is cheap, which keeps commit-heavy tests fast.
func ramTempDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("/dev/shm", "heimnetz-store-test-")
	if err != nil {
		return t.TempDir()
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	return dir
}

// testOptions returns manual-mode options with live and snapshot files in
// a fresh temporary directory.
func testOptions(t testing.TB, clock *testClock) Options {
	t.Helper()
	dir := ramTempDir(t)
	o := Options{
		LivePath:     filepath.Join(dir, "ram", FileName),
		SnapshotPath: filepath.Join(dir, "flash", FileName),
		Manual:       true,
		LockTimeout:  200 * time.Millisecond,
	}
	if clock != nil {
		o.Now = clock.Now
	}
	return o
}

// openTest opens a DB and closes it when the test ends.
func openTest(t testing.TB, o Options) *DB {
	t.Helper()
	db, err := Open(o)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// reopen closes db and opens the same options again.
func reopen(t testing.TB, db *DB) *DB {
	t.Helper()
	o := db.Options()
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return openTest(t, o)
}

// mkdirFor creates the directory of path.
func mkdirFor(path string) error { return os.MkdirAll(filepath.Dir(path), 0o700) }
