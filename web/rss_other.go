//go:build !linux

package web

// residentBytes is unknown off Linux.
func residentBytes() uint64 { return 0 }
