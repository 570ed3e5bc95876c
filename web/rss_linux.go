package web

import (
	"bytes"
	"os"
	"strconv"
)

// residentBytes reads the process's resident set size from
// /proc/self/statm (second field, in pages); 0 if unreadable.
func residentBytes() uint64 {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	return parseStatmRSS(data, os.Getpagesize())
}

// parseStatmRSS returns the resident bytes from statm content.
func parseStatmRSS(data []byte, pageSize int) uint64 {
	fields := bytes.Fields(data)
	if len(fields) < 2 {
		return 0
	}
	pages, err := strconv.ParseUint(string(fields[1]), 10, 64)
	if err != nil {
		return 0
	}
	return pages * uint64(pageSize)
}
