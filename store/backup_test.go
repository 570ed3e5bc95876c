package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExportImport(t *testing.T) {
	o := testOptions(t, nil)
	db := openTest(t, o)
	if err := db.KV("p", DefaultQuota()).Set("k", "exported"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AppendEvent(Event{Type: "t", Message: "pending event"}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	n, err := db.Export(&buf)
	if err != nil || n != int64(buf.Len()) || n < 4*int64(os.Getpagesize()) {
		t.Fatalf("Export = %d, %v (buffer %d)", n, err, buf.Len())
	}
	backup := buf.Bytes()

	// Importing over the open database is refused.
	if err := Import(o.LivePath, bytes.NewReader(backup), o); !errors.Is(err, ErrLocked) {
		t.Fatalf("Import over an open database = %v", err)
	}

	target := filepath.Join(ramTempDir(t), "restored", FileName)
	if err := Import(target, bytes.NewReader(backup), o); err != nil {
		t.Fatal(err)
	}
	db2 := openTest(t, Options{LivePath: target, Manual: true})
	if v, _, _ := db2.KV("p", DefaultQuota()).Get("k"); v != "exported" {
		t.Fatalf("imported k = %q", v)
	}
	evs, _ := db2.Events(0, 0)
	if len(evs) != 1 || evs[0].Message != "pending event" {
		t.Fatalf("imported events: %+v", evs)
	}
	if err := db2.Close(); err != nil {
		t.Fatal(err)
	}

	// Bad backups leave the target untouched and no staging file behind.
	before, _ := os.ReadFile(target)
	bad := map[string][]byte{
		"empty":     {},
		"text":      []byte("not a database"),
		"truncated": backup[:len(backup)/2],
	}
	for name, b := range bad {
		err := Import(target, bytes.NewReader(b), o)
		if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "backup rejected") {
			t.Errorf("%s: Import = %v", name, err)
		}
		if after, _ := os.ReadFile(target); !bytes.Equal(after, before) {
			t.Errorf("%s: target changed", name)
		}
		if _, err := os.Stat(target + ".import"); !os.IsNotExist(err) {
			t.Errorf("%s: staging file left", name)
		}
	}
}

func TestRestoreBackup(t *testing.T) {
	src := testOptions(t, nil)
	db := openTest(t, src)
	if err := db.KV("p", DefaultQuota()).Set("k", "backup"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := db.Export(&buf); err != nil {
		t.Fatal(err)
	}
	dst := testOptions(t, nil)
	if err := RestoreBackup(bytes.NewReader(buf.Bytes()), dst); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{dst.LivePath, dst.SnapshotPath} {
		if err := checkFile(p, 0); err != nil {
			t.Fatalf("%s after RestoreBackup: %v", p, err)
		}
	}
	// The snapshot alone (after a reboot) still has the restored data.
	if err := os.Remove(dst.LivePath); err != nil {
		t.Fatal(err)
	}
	db2 := openTest(t, dst)
	if v, _, _ := db2.KV("p", DefaultQuota()).Get("k"); v != "backup" {
		t.Fatalf("k = %q", v)
	}
}
