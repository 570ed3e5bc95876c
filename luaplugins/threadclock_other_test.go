//go:build !linux

package luaplugins

import (
	"time"

	"github.com/heimnetz/heimnetz/limits"
)

// threadCPU is the calling thread's CPU time as limits measures it.
func threadCPU() time.Duration {
	d, _ := limits.ThreadCPUTime()
	return d
}
