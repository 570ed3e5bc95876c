package board

import (
	"errors"
	"io/fs"
	"path/filepath"
	"testing"
)

func TestUname(t *testing.T) {
	u, err := Uname()
	if err != nil {
		t.Fatal(err)
	}
	if u.Sysname != "Linux" || u.Release == "" || u.Machine == "" {
		t.Fatalf("Uname() = %+v, want Linux with a release and machine", u)
	}
}

func TestSysinfo(t *testing.T) {
	s, err := Sysinfo()
	if err != nil {
		t.Fatal(err)
	}
	if s.TotalRAM == 0 || s.FreeRAM > s.TotalRAM || s.FreeSwap > s.TotalSwap || s.Uptime <= 0 || s.Procs == 0 {
		t.Fatalf("implausible Sysinfo() = %+v", s)
	}
	for _, l := range s.Loads {
		if l < 0 || l > 1e5 {
			t.Fatalf("implausible load %v in %+v", l, s)
		}
	}
}

func TestFilesystemUsage(t *testing.T) {
	dir := t.TempDir()
	u, err := FilesystemUsage(dir)
	if err != nil {
		t.Fatal(err)
	}
	if u.Path != dir || u.Total == 0 || u.Free > u.Total || u.Available > u.Free || u.Used() != u.Total-u.Free {
		t.Fatalf("implausible FilesystemUsage(%s) = %+v", dir, u)
	}
	if _, err := FilesystemUsage(filepath.Join(dir, "absent")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("FilesystemUsage(absent) error = %v, want not-exist", err)
	}
}
