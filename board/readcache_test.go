package board

import (
	"os"
	"path/filepath"
	"strconv"
	"sync"
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

// TestCachedValue: a parsed value is made once per second of the
// board's clock and shared by its readers; the exported readers hand
// out copies.
func TestCachedValue(t *testing.T) {
	b := mapFS(map[string]string{})
	now := time.Unix(100, 0)
	b.SetClock(func() time.Time { return now })
	calls := 0
	parse := func() ([]int, error) { calls++; return []int{calls}, nil }
	a, _ := cachedValue(b, "k", parse)
	c, _ := cachedValue(b, "k", parse)
	if calls != 1 || a[0] != 1 || c[0] != 1 {
		t.Fatalf("same second: %d parses, values %v %v", calls, a, c)
	}
	now = now.Add(time.Second)
	if v, _ := cachedValue(b, "k", parse); calls != 2 || v[0] != 2 {
		t.Fatalf("next second: %d parses, value %v", calls, v)
	}

	f := fixture(t, "openwrt-mt7621")
	f.SetClock(func() time.Time { return now })
	v4, _, err := f.Routes()
	if err != nil || len(v4) == 0 {
		t.Fatalf("Routes: %v, %v", v4, err)
	}
	want := v4[0].Interface
	v4[0].Interface = "changed"
	if again, _, _ := f.Routes(); again[0].Interface != want {
		t.Fatalf("a caller's change reached the shared routes: %+v", again[0])
	}
	st, err := f.Stat()
	if err != nil || len(st.CPUs) == 0 {
		t.Fatalf("Stat: %+v, %v", st, err)
	}
	st.CPUs[0].User = 1 << 60
	if again, _ := f.Stat(); again.CPUs[0].User == 1<<60 {
		t.Fatal("a caller's change reached the shared /proc/stat")
	}
	ifs, err := f.Interfaces()
	if err != nil {
		t.Fatal(err)
	}
	for _, ifc := range ifs {
		if ifc.CarrierChanges != nil {
			*ifc.CarrierChanges = 1 << 60
		}
	}
	again, _ := f.Interfaces()
	for _, ifc := range again {
		if ifc.CarrierChanges != nil && *ifc.CarrierChanges == 1<<60 {
			t.Fatal("a caller's change reached the shared links")
		}
	}
}

// TestCachedValueConcurrent runs the readers that share parsed values
// from several goroutines (run with -race).
func TestCachedValueConcurrent(t *testing.T) {
	f := fixture(t, "openwrt-mt7621")
	var mu sync.Mutex
	now := time.Unix(100, 0)
	f.SetClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 30 {
				if g == 0 && i%5 == 0 {
					mu.Lock()
					now = now.Add(time.Second)
					mu.Unlock()
				}
				if _, err := f.WAN(); err != nil {
					t.Error(err)
					return
				}
				if _, err := f.LANPrefixes(); err != nil {
					t.Error(err)
					return
				}
				if _, err := f.Interfaces(); err != nil {
					t.Error(err)
					return
				}
				if _, err := f.CPUTimes(); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
