//go:build !linux

package core

import (
	"fmt"
	"io"
	"runtime"
)

// writeProcessMetrics writes the Go runtime families; process figures
// come from /proc and exist only on Linux.
func writeProcessMetrics(w io.Writer) {
	fmt.Fprintf(w, "# HELP go_goroutines\n# TYPE go_goroutines gauge\ngo_goroutines %d\n", runtime.NumGoroutine())
}
