package luaplugins

import (
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/heimnetz/heimnetz/limits"
	"github.com/heimnetz/heimnetz/luaplugins/corpus"
	"github.com/heimnetz/heimnetz/store"
)

// TestHostileCorpus runs every flat script in testdata/hostile (read by
// corpus.ReadFlat) and checks that it ends with the error its expect line
// names, that the error is one bounded line, and that the Go heap stays
// small.
func TestHostileCorpus(t *testing.T) {
	cases, err := corpus.ReadFlat("testdata/hostile")
	if err != nil || len(cases) < 50 {
		t.Fatalf("hostile corpus missing: %d cases, %v", len(cases), err)
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			code, err := os.ReadFile(c.Path)
			if err != nil {
				t.Fatal(err)
			}
			re := c.Expect
			lim := limits.Defaults()
			lim.Instructions = 3_000_000
			lim.Timeout = 3 * time.Second
			if os.Getenv("HEIMNETZ_EMULATED") != "" {
				// Under qemu the VM runs ~10x slower, so the wall-time limit
				// would fire before the limit each case is about; a router
				// hits the same limit as this machine.
				lim.Timeout = 30 * time.Second
			}
			src := &Source{Origin: c.Path, Main: code, Manifest: &Manifest{Name: "hostile", Version: "0.0.0", Interval: time.Minute, Limits: lim}}
			var before runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			p, _, err := Load(src, Env{Log: LogFunc(func(string, string, string) {})})
			if p != nil {
				p.Close()
			}
			elapsed := time.Since(start)
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			if err == nil {
				t.Fatalf("ran to the end without an error; want %q", re)
			}
			msg := err.Error()
			if !re.MatchString(msg) {
				t.Fatalf("error %q does not match %q", msg, re)
			}
			if strings.Contains(msg, "\n") || len(msg) > 700 {
				t.Errorf("error is not one bounded line (%d bytes)", len(msg))
			}
			// Generous bound: a cap that held keeps the Go heap far below
			// this, a cap that did not hold allocates gigabytes.
			if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > 96<<20 {
				t.Errorf("Go heap grew by %d MiB", grew>>20)
			}
			if after.TotalAlloc-before.TotalAlloc > 2<<30 {
				t.Errorf("allocated %d MiB in total", (after.TotalAlloc-before.TotalAlloc)>>20)
			}
			t.Logf("%s in %v", msg, elapsed.Round(time.Millisecond))
		})
	}
}

// TestHostileClasses loads every classed case of testdata/hostile (see
// package corpus) in-process with the permissions its manifest asks for, a
// real store and a fresh family registry, runs it as `plugin run` would,
// and checks its outcome, the Go heap's growth against the case's RSS
// bound and the wall time against its time bound. agent's
// TestPluginRunHostileClasses runs the same cases through the binary.
func TestHostileClasses(t *testing.T) {
	cases, err := corpus.Read("testdata/hostile")
	if err != nil {
		t.Fatal(err)
	}
	emulated := os.Getenv("HEIMNETZ_EMULATED") != ""
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			reg := NewRegistry()
			src, err := ReadPath(c.Path, reg, limits.Limits{Instructions: 1 << 62, Memory: 1 << 40, Timeout: 24 * time.Hour, CPU: 1, Depth: 10_000})
			if err != nil {
				t.Fatalf("reading the case: %v", err)
			}
			for _, kv := range c.Limits() {
				if err := src.Manifest.Limits.Set(kv[0], kv[1]); err != nil {
					t.Fatal(err)
				}
			}
			bound := c.Time
			if emulated {
				// Under qemu the VM runs ~10x slower: the other limits fire
				// at the same counts, the clock fires sooner in the work.
				// A case about the clock keeps its time limit; for the
				// others it is raised so the limit the case is about fires.
				bound *= 10
				aboutClock := c.Expect != nil && strings.Contains(c.Expect.String(), "time limit")
				if !aboutClock && src.Manifest.Limits.Timeout < 30*time.Second {
					src.Manifest.Limits.Timeout = 30 * time.Second
				}
			}
			opts := store.DefaultOptions(t.TempDir())
			opts.SnapshotPath = ""
			db, err := store.Open(opts)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			env := Env{Registry: reg, Log: LogFunc(func(string, string, string) {}), KV: db.KV(src.Name(), store.DefaultQuota()), Families: NewFamilies()}

			var before runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			p, _, err := Load(src, env)
			if err == nil && p.HasCollect() {
				for i := 0; i < c.Times() && err == nil; i++ {
					_, err = p.Collect()
				}
			}
			if p != nil {
				p.Close()
			}
			elapsed := time.Since(start)
			var after runtime.MemStats
			runtime.ReadMemStats(&after)

			switch {
			case c.OK && err != nil:
				t.Fatalf("want success, got %v", err)
			case !c.OK && err == nil:
				t.Fatalf("ran to the end without an error; want %q", c.Expect)
			case !c.OK && !c.Expect.MatchString(err.Error()):
				t.Fatalf("error %q does not match %q", err, c.Expect)
			}
			if err != nil {
				if msg := err.Error(); strings.Contains(msg, "\n") || len(msg) > 700 {
					t.Errorf("error is not one bounded line (%d bytes)", len(msg))
				}
			}
			if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > c.RSS {
				t.Errorf("Go heap grew by %d MiB, bound %d MiB", grew>>20, c.RSS>>20)
			}
			if elapsed > bound {
				t.Errorf("took %v, bound %v", elapsed.Round(time.Millisecond), bound)
			}
			t.Logf("%v in %v", err, elapsed.Round(time.Millisecond))
		})
	}
}
