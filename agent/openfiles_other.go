//go:build !linux

package main

// openFileLimit returns 0 (unknown) where the agent does not read the
// open-file limit; the connection limits stay as configured.
func openFileLimit() uint64 { return 0 }
