package board

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// TestReadCacheSecond: a shared source is read once per second of the
// board's clock; other files are read on every call.
func TestReadCacheSecond(t *testing.T) {
	root := t.TempDir()
	write := func(name, data string) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(fileKernelRelease, "6.6.1\n")
	write(fileLoadAvg, "0.10 0.20 0.30 1/100 42\n")
	b, err := New(root)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	now := time.Date(2026, 12, 4, 12, 0, 0, 100, time.UTC)
	b.SetClock(func() time.Time { return now })

	if k, err := b.KernelRelease(); err != nil || k != "6.6.1" {
		t.Fatalf("first read: %q, %v", k, err)
	}
	write(fileKernelRelease, "6.6.2\n")
	write(fileLoadAvg, "0.50 0.20 0.30 1/100 42\n")
	if k, _ := b.KernelRelease(); k != "6.6.1" {
		t.Errorf("same second: %q, want the cached 6.6.1", k)
	}
	if l, err := b.LoadAvg(); err != nil || l.Load1 != 0.5 {
		t.Errorf("loadavg is not shared and must be read afresh: %+v, %v", l, err)
	}
	now = now.Add(time.Second)
	if k, _ := b.KernelRelease(); k != "6.6.2" {
		t.Errorf("next second: %q, want 6.6.2", k)
	}
	// A missing source is cached as missing for the second, too.
	if _, err := b.OpenWrtRelease(); !isNotExist(err) {
		t.Fatalf("no openwrt_release: %v", err)
	}
}

func TestReadCacheBound(t *testing.T) {
	b := mapFS(map[string]string{})
	b.SetClock(func() time.Time { return time.Unix(100, 0) })
	calls := 0
	read := func() ([]byte, error) { calls++; return []byte("x"), nil }
	for i := range maxCachedReads + 10 {
		b.cached(strconv.Itoa(i), read)
	}
	if n := len(b.reads.entries); n != maxCachedReads {
		t.Fatalf("%d entries, want the bound %d", n, maxCachedReads)
	}
	calls = 0
	b.cached(strconv.Itoa(maxCachedReads+5), read) // past the bound: not cached, read again
	if calls != 1 {
		t.Fatalf("a key past the bound was served from the cache")
	}
}

func TestReadCacheBytes(t *testing.T) {
	b := mapFS(map[string]string{})
	b.SetClock(func() time.Time { return time.Unix(100, 0) })
	calls := 0
	big := func() ([]byte, error) { calls++; return make([]byte, maxCachedBytes/2+1), nil }
	b.cached("a", big)
	b.cached("b", big) // would pass the byte bound: not cached
	b.cached("a", big)
	b.cached("b", big)
	if calls != 3 {
		t.Fatalf("%d reads, want 3 (a cached, b read twice)", calls)
	}
}
