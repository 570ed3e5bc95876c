package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSnapshotSchedule(t *testing.T) {
	clock := newTestClock()
	o := testOptions(t, clock)
	o.SnapshotInterval = 30 * time.Minute
	fs := &CountingFS{}
	o.FS = fs
	db := openTest(t, o)
	kv := db.KV("p", DefaultQuota())
	if err := kv.Set("a", "1"); err != nil {
		t.Fatal(err)
	}
	clock.Advance(29 * time.Minute)
	if did, err := db.MaybeSnapshot(); did || err != nil {
		t.Fatalf("snapshot before the interval: %v %v", did, err)
	}
	clock.Advance(time.Minute)
	if did, err := db.MaybeSnapshot(); !did || err != nil {
		t.Fatalf("no snapshot when due: %v %v", did, err)
	}
	if fs.FileSyncs.Load() != 1 || fs.DirSyncs.Load() != 1 || fs.Renames.Load() != 1 {
		t.Fatalf("one snapshot: %d file syncs, %d dir syncs, %d renames", fs.FileSyncs.Load(), fs.DirSyncs.Load(), fs.Renames.Load())
	}
	st, _ := os.Stat(o.LivePath)
	if fs.Bytes.Load() > st.Size() || fs.Bytes.Load() < 4*int64(os.Getpagesize()) {
		t.Fatalf("snapshot wrote %d bytes, live file %d", fs.Bytes.Load(), st.Size())
	}
	// Nothing changed: no snapshot, however long it waits.
	clock.Advance(5 * time.Hour)
	if did, _ := db.MaybeSnapshot(); did {
		t.Fatal("snapshot without a change")
	}
	// A registry update counts as a change once flushed.
	if err := db.PutPlugin(PluginRecord{Name: "p", Runs: 1}); err != nil {
		t.Fatal(err)
	}
	if err := db.Flush(); err != nil {
		t.Fatal(err)
	}
	if did, _ := db.MaybeSnapshot(); !did {
		t.Fatal("no snapshot after a registry change")
	}
	// The snapshot is a usable database holding the data.
	if err := checkFile(o.SnapshotPath, time.Second); err != nil {
		t.Fatal(err)
	}
	// Close snapshots only if something changed.
	before := fs.Renames.Load()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if fs.Renames.Load() != before {
		t.Fatal("Close wrote a snapshot although nothing changed")
	}
}

func TestSnapshotOnClose(t *testing.T) {
	o := testOptions(t, nil)
	db, err := Open(o)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.KV("p", DefaultQuota()).Set("k", "v"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AppendEvent(Event{Type: "t", Message: "pending at close"}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	// Reboot: the RAM file is gone; the snapshot written by Close has it all.
	if err := os.Remove(o.LivePath); err != nil {
		t.Fatal(err)
	}
	db = openTest(t, o)
	if v, ok, _ := db.KV("p", DefaultQuota()).Get("k"); v != "v" || !ok {
		t.Fatalf("k = %q %v after restore", v, ok)
	}
	evs, _ := db.Events(0, 0)
	if len(evs) < 1 || !strings.Contains(fmt.Sprint(evs), "pending at close") {
		t.Fatalf("events after restore: %+v", evs)
	}
}

func TestSinglePathMode(t *testing.T) {
	dir := ramTempDir(t)
	path := filepath.Join(dir, FileName)
	for _, o := range []Options{{SnapshotPath: path}, {LivePath: path, SnapshotPath: path}, {LivePath: path}} {
		o.Manual = true
		if !o.SinglePath() {
			t.Fatalf("%+v not single-path", o)
		}
		db, err := Open(o)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Snapshot(); !errors.Is(err, ErrNoSnapshot) {
			t.Fatalf("Snapshot in single-path mode = %v", err)
		}
		if db.Path() != path {
			t.Fatalf("Path = %s", db.Path())
		}
		if err := db.KV("p", DefaultQuota()).Set("k", path); err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("single-path mode left %d files: %v", len(entries), entries)
	}
}

// failingFS fails the snapshot write after limit bytes, like a power cut
// or a full flash in the middle of a snapshot.
type failingFS struct {
	OSFS
	limit int
}

type failingFile struct {
	File
	left int
}

func (f *failingFile) Write(p []byte) (int, error) {
	if len(p) > f.left {
		n, _ := f.File.Write(p[:f.left])
		f.left = 0
		return n, errors.New("no space left on device")
	}
	f.left -= len(p)
	return f.File.Write(p)
}

func (fs failingFS) Create(name string) (File, error) {
	f, err := fs.OSFS.Create(name)
	if err != nil {
		return nil, err
	}
	return &failingFile{File: f, left: fs.limit}, nil
}

func TestSnapshotInterrupted(t *testing.T) {
	o := testOptions(t, newTestClock())
	db := openTest(t, o)
	kv := db.KV("p", DefaultQuota())
	if err := kv.Set("gen", "1"); err != nil {
		t.Fatal(err)
	}
	if err := db.Snapshot(); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(o.SnapshotPath)

	// A snapshot that fails half-way leaves the previous one and no temp.
	if err := kv.Set("gen", "2"); err != nil {
		t.Fatal(err)
	}
	db.opts.FS = failingFS{limit: len(good) / 2}
	err := db.Snapshot()
	if err == nil || !strings.Contains(err.Error(), "no space left") {
		t.Fatalf("interrupted snapshot = %v", err)
	}
	if now, _ := os.ReadFile(o.SnapshotPath); !bytes.Equal(now, good) {
		t.Fatal("failed snapshot changed the previous one")
	}
	if _, err := os.Stat(o.SnapshotPath + tempSuffix); !os.IsNotExist(err) {
		t.Fatalf("temp file left after a failed snapshot: %v", err)
	}
	db.opts.FS = OSFS{}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	// A power cut mid-snapshot leaves a truncated temp file and the RAM
	// file gone: Open removes the temp file and restores the last good
	// snapshot, whatever it held.
	if err := os.WriteFile(o.SnapshotPath, good, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(o.SnapshotPath+tempSuffix, good[:len(good)/3], 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(o.LivePath); err != nil {
		t.Fatal(err)
	}
	db = openTest(t, o)
	if _, err := os.Stat(o.SnapshotPath + tempSuffix); !os.IsNotExist(err) {
		t.Fatalf("interrupted snapshot temp file kept: %v", err)
	}
	if v, _, _ := db.KV("p", DefaultQuota()).Get("gen"); v != "1" {
		t.Fatalf("gen = %q, want the value of the last good snapshot", v)
	}
	notes := fmt.Sprint(db.Notices())
	if !strings.Contains(notes, "removed interrupted snapshot") || !strings.Contains(notes, "restored") {
		t.Fatalf("notices: %s", notes)
	}
}

func TestSnapshotFailureReported(t *testing.T) {
	clock := newTestClock()
	o := testOptions(t, clock)
	o.FS = failingFS{limit: 100}
	db := openTest(t, o)
	if err := db.KV("p", DefaultQuota()).Set("k", "v"); err != nil {
		t.Fatal(err)
	}
	clock.Advance(o.SnapshotInterval + DefaultSnapshotInterval)
	for range 2 {
		db.noteSnapshotResult(db.MaybeSnapshot())
	}
	if err := db.Stats().SnapshotError; err == nil || !strings.Contains(err.Error(), "no space left") {
		t.Fatalf("SnapshotError = %v", err)
	}
	evs, _ := db.Events(0, 0)
	n := 0
	for _, e := range evs {
		if e.Type == EventTypeStore && e.Severity == High && strings.Contains(e.Message, "snapshot") {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d snapshot failure events, want 1: %+v", n, evs)
	}
	db.opts.FS = OSFS{}
	db.noteSnapshotResult(db.MaybeSnapshot())
	if err := db.Stats().SnapshotError; err != nil {
		t.Fatalf("SnapshotError after a good snapshot = %v", err)
	}
}
