package core

import (
	"io"
	"runtime"
	"runtime/metrics"

	vm "github.com/VictoriaMetrics/metrics"
)

// writeProcessMetrics writes the process families as the metrics library
// reads them (process_cpu_seconds_total, process_resident_memory_bytes,
// process_open_fds, … from /proc on Linux; nothing where it cannot) and
// two Go runtime families. The library's Go families (WriteGoMetrics) are
// left out: they stop the world for runtime.ReadMemStats on every scrape
// and add some forty series a router does not need; the agent exports the
// runtime's memory classes itself (heimnetz_go_memory_*).
func writeProcessMetrics(w io.Writer) {
	vm.WriteProcMetrics(w)
	vm.WriteFDMetrics(w)
	vm.WriteGaugeUint64(w, "go_goroutines", uint64(runtime.NumGoroutine()))
	s := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(s)
	if s[0].Value.Kind() == metrics.KindUint64 {
		vm.WriteCounterUint64(w, "go_gc_cycles_total", s[0].Value.Uint64())
	}
}
