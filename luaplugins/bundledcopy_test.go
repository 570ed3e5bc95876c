package luaplugins

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"testing"

	"github.com/heimnetz/heimnetz/limits"
)

// TestBundledCopy: a bundled plugin's files copied as they are run as the
// bundled plugin in the SDK's commands; an edit to the manifest or the
// code, or another name, makes an ordinary plugin.
func TestBundledCopy(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(dir string)
		want bool
	}{
		{"unchanged copy", func(string) {}, true},
		{"manifest edited", func(dir string) { appendTo(t, filepath.Join(dir, ManifestFile), "# mine\n") }, false},
		{"code edited", func(dir string) { appendTo(t, filepath.Join(dir, MainFile), "-- mine\n") }, false},
		{"test.lua edited", func(dir string) { appendTo(t, filepath.Join(dir, TestFile), "-- mine\n") }, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "loadavg")
			copyBundled(t, "loadavg", dir)
			c.edit(dir)
			src, err := ReadPath(dir, NewRegistry(), limits.Ceilings())
			if err != nil {
				t.Fatal(err)
			}
			if got := BundledCopy(src, dir); got != c.want {
				t.Errorf("BundledCopy = %v, want %v", got, c.want)
			}
		})
	}
}

func copyBundled(t *testing.T, name, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{ManifestFile, MainFile, TestFile} {
		data, err := fs.ReadFile(Bundled(), path.Join(name, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func appendTo(t *testing.T, file, text string) {
	t.Helper()
	f, err := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}
