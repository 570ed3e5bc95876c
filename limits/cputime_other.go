//go:build !linux

package limits

import (
	"errors"
	"time"
)

// ThreadCPUTime is only available on Linux; elsewhere it reports an error
// and callers fall back to wall time.
func ThreadCPUTime() (time.Duration, error) {
	return 0, errors.New("per-thread CPU time is not supported on this OS")
}
