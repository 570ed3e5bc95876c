package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestReadHeaders(t *testing.T) {
	root := t.TempDir()
	write := func(rel, text string) {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("flat.lua", "-- expect: not read\n")
	write("memory/bare.lua", "-- expect: memory limit exceeded\n-- rss: 40\n-- time: 3s\n-- args: --times 3 --limit memory=4MiB\n-- a comment\nlocal x\n")
	write("output/dir/main.lua", "-- expect: ok\n-- stdout-not: \\x{2028}\nprint(1)\n")
	write("output/dir/manifest.yml", "name: dir\n")
	cases, err := Read(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 2 {
		t.Fatalf("read %d cases, want 2 (flat files are not classed)", len(cases))
	}
	bare, dir := cases[0], cases[1]
	if bare.Name != "memory/bare" || bare.Expect.String() != "memory limit exceeded" || bare.RSS != 40<<20 || bare.Time != 3*time.Second || bare.Times() != 3 {
		t.Errorf("bare case read as %+v", bare)
	}
	if l := bare.Limits(); len(l) != 1 || l[0] != [2]string{"memory", "4MiB"} {
		t.Errorf("limits %v", l)
	}
	if dir.Name != "output/dir" || !dir.OK || dir.StdoutNot == nil || dir.Path != filepath.Join(root, "output", "dir") || dir.RSS != DefaultRSS || dir.Time != DefaultTime {
		t.Errorf("dir case read as %+v", dir)
	}
}

func TestReadRefusesVagueCases(t *testing.T) {
	for _, tc := range []struct{ header, want string }{
		{"local x\n", "no `-- expect:` line"},
		{"-- expect: .\n", "literal characters"},
		{"-- expect: x|y\n", "offers alternatives"},
		{"-- expect: attempt to call|nil\n", "offers alternatives"},
		{"-- expect: attempt to call a non-function object\n", "unrelated failure"},
		{"-- expect: ok\n", "needs a `-- stdout:`"},
		{"-- expect: memory limit exceeded\n-- rss: lots\n", "rss:"},
		{"-- expect: memory limit exceeded\n-- time: -1s\n", "time:"},
		{"-- expect: (\n", "expect:"},
	} {
		root := t.TempDir()
		if err := os.MkdirAll(filepath.Join(root, "c"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, "c", "case.lua"), []byte(tc.header), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Read(root)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("header %q: error %v, want one containing %q", tc.header, err, tc.want)
		}
	}
}
