package luaplugins

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/heimnetz/heimnetz/limits"
)

// TestHostileCorpus runs every script in testdata/hostile and checks that
// it ends with the error its first line names (`-- expect: a|b`), that the
// error is one bounded line, and that the Go heap stays small.
func TestHostileCorpus(t *testing.T) {
	files, err := filepath.Glob("testdata/hostile/*.lua")
	if err != nil || len(files) < 50 {
		t.Fatalf("hostile corpus missing: %d files, %v", len(files), err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".lua"), func(t *testing.T) {
			code, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			first, _, _ := strings.Cut(string(code), "\n")
			want, ok := strings.CutPrefix(first, "-- expect: ")
			if !ok {
				t.Fatalf("%s: first line must be `-- expect: <regexp>`", file)
			}
			re := regexp.MustCompile(want)

			lim := limits.Defaults()
			lim.Instructions = 3_000_000
			lim.Timeout = 3 * time.Second
			if os.Getenv("HEIMNETZ_EMULATED") != "" {
				// Under qemu the VM runs ~10x slower, so the wall-time limit
				// would fire before the limit each case is about; a router
				// hits the same limit as this machine.
				lim.Timeout = 30 * time.Second
			}
			src := &Source{Origin: file, Main: code, Manifest: &Manifest{Name: "hostile", Version: "0.0.0", Interval: time.Minute, Limits: lim}}
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
				t.Fatalf("ran to the end without an error; want %q", want)
			}
			msg := err.Error()
			if !re.MatchString(msg) {
				t.Fatalf("error %q does not match %q", msg, want)
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
