package board

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestNewDirReadsAsNew reads every fixture through NewDir (whole paths,
// plain system calls on Linux) and through New (os.Root) and wants the
// same snapshot.
func TestNewDirReadsAsNew(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join("testdata", "*"))
	n := 0
	for _, dir := range dirs {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() || filepath.Base(dir) == "fuzz" {
			continue
		}
		n++
		viaRoot, err := New(dir)
		if err != nil {
			t.Fatal(err)
		}
		a, errA := viaRoot.Snapshot()
		viaRoot.Close()
		b, errB := NewDir(dir).Snapshot()
		if !reflect.DeepEqual(a, b) || (errA == nil) != (errB == nil) {
			t.Errorf("%s: snapshots differ:\nNew:    %+v (%v)\nNewDir: %+v (%v)", dir, a, errA, b, errB)
		}
	}
	if n < 3 {
		t.Fatalf("only %d fixtures", n)
	}
}

// TestReadPathBounds checks readPath's refusals: a path that climbs out,
// a missing file (fs.ErrNotExist, as os.Open gives) and a file past the
// size cap.
func TestReadPathBounds(t *testing.T) {
	dir := t.TempDir() + "/"
	if err := os.WriteFile(dir+"big", []byte(strings.Repeat("x", 5000)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readPath(dir, "../etc/passwd", 100); !errors.Is(err, fs.ErrInvalid) {
		t.Errorf("../etc/passwd: %v, want fs.ErrInvalid", err)
	}
	if _, err := readPath(dir, "missing", 100); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing: %v, want fs.ErrNotExist", err)
	}
	data, err := readPath(dir, "big", 1000)
	if err != nil || len(data) != 1001 {
		t.Errorf("big: %d bytes, %v; want the cap plus one", len(data), err)
	}
	if data, err = readPath(dir, "big", 10000); err != nil || len(data) != 5000 {
		t.Errorf("big whole: %d bytes, %v", len(data), err)
	}
	b := NewDir(dir)
	if _, err := b.readFile("missing"); !isNotExist(err) || !strings.Contains(err.Error(), "/missing") {
		t.Errorf("readFile missing: %v", err)
	}
}
