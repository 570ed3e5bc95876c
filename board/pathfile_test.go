package board

import (
	"errors"
	"io"
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

// TestReadDirNames lists a directory of many entries (more than one
// getdents buffer) as os.ReadDir does, and refuses what os.ReadDir
// refuses.
func TestReadDirNames(t *testing.T) {
	dir := t.TempDir() + "/"
	for i := range 600 {
		name := dir + "sensor" + strings.Repeat("x", i%40) + string(rune('a'+i%26)) + "_" + string(rune('A'+i/26))
		if err := os.WriteFile(name, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(dir+"sub", 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, e := range entries {
		want = append(want, e.Name())
	}
	got, err := readDirNames(dir, ".")
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("readDirNames: %d names, %v; os.ReadDir %d", len(got), err, len(want))
	}
	if _, err := readDirNames(dir, "missing"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing: %v, want fs.ErrNotExist", err)
	}
	if _, err := readDirNames(dir, "../x"); !errors.Is(err, fs.ErrInvalid) {
		t.Errorf("../x: %v, want fs.ErrInvalid", err)
	}
	if _, err := readDirNames(dir, want[0]); err == nil {
		t.Errorf("a file (%s) listed as a directory gave no error", want[0])
	}
}

// TestOpenPath streams a file as os.Open would.
func TestOpenPath(t *testing.T) {
	dir := t.TempDir() + "/"
	body := strings.Repeat("ipv4 2 tcp 6 300 ESTABLISHED\n", 2000)
	if err := os.WriteFile(dir+"f", []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := openPath(dir, "f")
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(f)
	if err != nil || string(data) != body {
		t.Fatalf("read %d bytes, %v; want %d", len(data), err, len(body))
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := openPath(dir, "missing"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing: %v, want fs.ErrNotExist", err)
	}
	if _, err := openPath(dir, "../f"); !errors.Is(err, fs.ErrInvalid) {
		t.Errorf("../f: %v, want fs.ErrInvalid", err)
	}
}
