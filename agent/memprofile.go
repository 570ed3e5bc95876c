//go:build heimnetz_memprofile

package main

// A measuring build (go build -tags heimnetz_memprofile) writes where its
// memory is on SIGUSR1, for scripts/footprint/run.sh (PROFILE=1): the
// router build has none of this, so it links no runtime/pprof.

import (
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strings"
	"syscall"
)

func init() {
	dir := os.Getenv("HEIMNETZ_MEMPROFILE_DIR")
	if dir == "" {
		return
	}
	// Sample finely: the agent's heap is a few MiB, the default rate
	// (one sample per 512 KiB) would see a handful of allocations.
	runtime.MemProfileRate = 4096
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGUSR1)
	go func() {
		for range sig {
			if err := writeMemProfile(dir); err != nil {
				fmt.Fprintln(os.Stderr, "memprofile:", err)
			}
		}
	}()
}

// writeMemProfile writes classes.txt (every /memory/classes figure of
// runtime/metrics and the goroutine count), heap.pprof (in-use heap by
// allocation site) and goroutines.txt (every goroutine's stack) into dir.
func writeMemProfile(dir string) error {
	var b strings.Builder
	var samples []metrics.Sample
	for _, d := range metrics.All() {
		if strings.HasPrefix(d.Name, "/memory/classes/") || d.Name == "/sched/goroutines:goroutines" ||
			d.Name == "/gc/heap/goal:bytes" || d.Name == "/gc/gomemlimit:bytes" || d.Name == "/gc/gogc:percent" {
			samples = append(samples, metrics.Sample{Name: d.Name})
		}
	}
	metrics.Read(samples)
	for _, s := range samples {
		if s.Value.Kind() == metrics.KindUint64 {
			fmt.Fprintf(&b, "%s %d\n", s.Name, s.Value.Uint64())
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "classes.txt"), []byte(b.String()), 0o644); err != nil {
		return err
	}
	runtime.GC()
	f, err := os.Create(filepath.Join(dir, "heap.pprof"))
	if err != nil {
		return err
	}
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	g, err := os.Create(filepath.Join(dir, "goroutines.txt"))
	if err != nil {
		return err
	}
	if err := pprof.Lookup("goroutine").WriteTo(g, 2); err != nil {
		g.Close()
		return err
	}
	return g.Close()
}
