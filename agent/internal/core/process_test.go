package core

import (
	"bytes"
	"os"
	"regexp"
	"runtime"
	"strings"
	"testing"

	vm "github.com/VictoriaMetrics/metrics"
)

// TestProcessMetricsFromLibrary checks that the process families come
// from the metrics library with the names dashboards use, and that every
// agent family has a HELP text of its own.
func TestProcessMetricsFromLibrary(t *testing.T) {
	vm.ExposeMetadata(true) // as cmd_run does
	defer vm.ExposeMetadata(false)
	m := newTestManager(t)
	var b bytes.Buffer
	m.writeMetrics(&b)
	out := b.String()
	want := []string{"heimnetz_plugin_executions_total", "heimnetz_plugin_memory_usage_bytes", "heimnetz_plugin_errors_total",
		"heimnetz_store_flush_errors_total", "heimnetz_store_snapshot_errors_total", "go_goroutines", "go_gc_cycles_total"}
	if runtime.GOOS == "linux" {
		want = append(want, "process_cpu_seconds_total", "process_resident_memory_bytes", "process_virtual_memory_bytes",
			"process_start_time_seconds", "process_open_fds")
	}
	for _, name := range want {
		if !regexp.MustCompile(`(?m)^# TYPE ` + name + ` `).MatchString(out) {
			t.Errorf("/metrics has no family %s", name)
		}
	}
	// qemu-user answers /proc/self/stat itself, with an RSS of 0: the
	// figure is checked natively only.
	emulated := os.Getenv("HEIMNETZ_EMULATED") != ""
	if runtime.GOOS == "linux" && !emulated && !regexp.MustCompile(`(?m)^process_resident_memory_bytes [1-9][0-9]{5,}$`).MatchString(out) {
		t.Errorf("process_resident_memory_bytes is not the process's RSS")
	}
	for line := range strings.Lines(out) {
		if strings.HasSuffix(line, " heimnetz agent metric.\n") {
			t.Errorf("no HELP text of its own: %s", strings.TrimSpace(line))
		}
	}
}
