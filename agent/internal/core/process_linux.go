package core

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

var processStart = time.Now()

// writeProcessMetrics writes the process and Go runtime families the
// agent exports, each with HELP and TYPE lines that promtool accepts.
func writeProcessMetrics(w io.Writer) {
	family := func(name, typ string, v float64) {
		fmt.Fprintf(w, "# HELP %s\n# TYPE %s %s\n%s %s\n", name, name, typ, name, strconv.FormatFloat(v, 'g', -1, 64))
	}
	var ru unix.Rusage
	if unix.Getrusage(unix.RUSAGE_SELF, &ru) == nil {
		family("process_cpu_seconds_total", "counter", float64(ru.Utime.Nano()+ru.Stime.Nano())/1e9)
	}
	if data, err := os.ReadFile("/proc/self/statm"); err == nil {
		f := strings.Fields(string(data))
		page := float64(os.Getpagesize())
		if len(f) >= 2 {
			if v, err := strconv.ParseFloat(f[0], 64); err == nil {
				family("process_virtual_memory_bytes", "gauge", v*page)
			}
			if v, err := strconv.ParseFloat(f[1], 64); err == nil {
				family("process_resident_memory_bytes", "gauge", v*page)
			}
		}
	}
	if fds, err := os.ReadDir("/proc/self/fd"); err == nil {
		family("process_open_fds", "gauge", float64(len(fds)))
	}
	family("process_start_time_seconds", "gauge", float64(processStart.UnixNano())/1e9)
	family("go_goroutines", "gauge", float64(runtime.NumGoroutine()))
	s := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(s)
	if s[0].Value.Kind() == metrics.KindUint64 {
		family("go_gc_cycles_total", "counter", float64(s[0].Value.Uint64()))
	}
}
