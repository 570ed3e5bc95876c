package board

import (
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json from the fixtures")

// fixtures are the fixture roots under testdata/.
var fixtures = []string{"openwrt-mt7621", "openwrt-ath79", "openwrt-filogic", "debian-x86"}

// fixture opens testdata/name as a Board.
func fixture(t testing.TB, name string) *Board {
	t.Helper()
	b, err := New(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// fixtureFile returns the bytes of one fixture file, for parser tests and
// fuzz seeds.
func fixtureFile(t testing.TB, root, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", root, name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// addFixtureSeeds adds file from every fixture root that has it to f's
// corpus.
func addFixtureSeeds(f *testing.F, file string) {
	for _, root := range fixtures {
		if data, err := os.ReadFile(filepath.Join("testdata", root, file)); err == nil {
			f.Add(data)
		}
	}
}

// mapFS builds a Board over in-memory files given as path → content.
func mapFS(files map[string]string) *Board {
	m := fstest.MapFS{}
	for name, data := range files {
		m[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return NewFS(m)
}

// checkParseErr fails unless err is nil or a *ParseError for file, as every
// parser promises.
func checkParseErr(t *testing.T, file string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var pe *ParseError
	if !errors.As(err, &pe) || !errors.Is(err, ErrMalformed) {
		t.Fatalf("error %v (%T) is not a *ParseError", err, err)
	}
	if pe.File != "/"+file {
		t.Fatalf("error names %q, want %q", pe.File, "/"+file)
	}
}

func TestNewMissingRoot(t *testing.T) {
	_, err := New(filepath.Join(t.TempDir(), "absent"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("New(absent) error = %v, want fs.ErrNotExist", err)
	}
}

func TestMissingFileNamesPath(t *testing.T) {
	b := mapFS(nil)
	_, err := b.LoadAvg()
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("error = %v, want fs.ErrNotExist", err)
	}
	if got := err.Error(); !strings.Contains(got, "/proc/loadavg") || strings.Count(got, "loadavg") != 1 {
		t.Fatalf("error %q should name /proc/loadavg once", got)
	}
}

func TestReadFileCap(t *testing.T) {
	big := strings.Repeat("MemFree: 1 kB\n", MaxFileSize/14+1)
	b := mapFS(map[string]string{fileMemInfo: big})
	_, err := b.MemInfo()
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("error = %v, want ErrTooLarge", err)
	}
	exact := strings.Repeat("x", MaxFileSize)
	b = mapFS(map[string]string{fileHostname: exact})
	h, err := b.Hostname()
	if err != nil || len(h) != MaxFileSize {
		t.Fatalf("file of exactly MaxFileSize: len %d, err %v", len(h), err)
	}
}

func TestRootContainment(t *testing.T) {
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "hostname"), []byte("outside\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	dir := filepath.Join(root, "proc", "sys", "kernel")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(dir, filepath.Join(outside, "hostname"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(rel, filepath.Join(dir, "hostname")); err != nil {
		t.Skipf("cannot create symlink: %v", err)
	}
	b, err := New(root)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	h, err := b.Hostname()
	if err == nil {
		t.Fatalf("read %q through a symlink leaving the root", h)
	}
}

func TestParseErrorText(t *testing.T) {
	err := malformed(fileStat, 3, "ctxt: %s", "bad")
	if got, want := err.Error(), "board: /proc/stat:3: malformed: ctxt: bad"; got != want {
		t.Fatalf("Error() = %q, want %q", got, want)
	}
	err = malformed(fileMemInfo, 0, "no MemTotal line")
	if got, want := err.Error(), "board: /proc/meminfo: malformed: no MemTotal line"; got != want {
		t.Fatalf("Error() = %q, want %q", got, want)
	}
}
