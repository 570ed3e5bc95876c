//go:build !linux

package board

import (
	"fmt"
)

// Uname reports ErrNotSupported: uname(2) is only used on Linux.
func Uname() (Utsname, error) {
	return Utsname{}, fmt.Errorf("board: uname: %w", ErrNotSupported)
}

// Sysinfo reports ErrNotSupported: sysinfo(2) exists only on Linux.
func Sysinfo() (SystemStats, error) {
	return SystemStats{}, fmt.Errorf("board: sysinfo: %w", ErrNotSupported)
}

// FilesystemUsage reports ErrNotSupported outside Linux.
func FilesystemUsage(path string) (FSUsage, error) {
	return FSUsage{}, fmt.Errorf("board: statfs %s: %w", path, ErrNotSupported)
}
