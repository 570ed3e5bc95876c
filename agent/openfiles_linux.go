package main

import "golang.org/x/sys/unix"

// openFileLimit returns the process's soft RLIMIT_NOFILE (Go raises it to
// the hard limit at start), or 0 when it cannot be read.
func openFileLimit() uint64 {
	var rl unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &rl); err != nil || rl.Cur == unix.RLIM_INFINITY {
		return 0
	}
	return rl.Cur
}
