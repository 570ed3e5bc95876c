package board

import (
	"time"
)

// Utsname is what uname(2) reports about the running kernel.
type Utsname struct {
	Sysname    string `json:"sysname"`
	Nodename   string `json:"nodename"`
	Release    string `json:"release"`
	Version    string `json:"version"`
	Machine    string `json:"machine"`
	Domainname string `json:"domainname"`
}

// SystemStats is what sysinfo(2) reports. Sizes are in bytes.
type SystemStats struct {
	// Uptime has whole-second resolution; JSON carries it in nanoseconds.
	Uptime time.Duration `json:"uptime_ns"`
	// Loads are the 1, 5 and 15 minute load averages.
	Loads     [3]float64 `json:"loads"`
	TotalRAM  uint64     `json:"total_ram"`
	FreeRAM   uint64     `json:"free_ram"`
	SharedRAM uint64     `json:"shared_ram"`
	BufferRAM uint64     `json:"buffer_ram"`
	TotalSwap uint64     `json:"total_swap"`
	FreeSwap  uint64     `json:"free_swap"`
	// Procs is the number of processes (the kernel counts threads too).
	Procs uint64 `json:"procs"`
}

// FSUsage is the size and use of the filesystem holding a path, as
// statfs(2) reports it. Sizes are in bytes.
type FSUsage struct {
	// Path is the path that was asked about.
	Path string `json:"path"`
	// Total is the filesystem's size, Free the unused part, Available the
	// part an unprivileged process may still use (Free minus reserved
	// blocks).
	Total     uint64 `json:"total"`
	Free      uint64 `json:"free"`
	Available uint64 `json:"available"`
	// Files and FilesFree count inodes; both are 0 on filesystems without
	// a fixed inode table (squashfs, some overlay setups).
	Files     uint64 `json:"files"`
	FilesFree uint64 `json:"files_free"`
}

// Used returns Total minus Free.
func (u FSUsage) Used() uint64 {
	return saturatingSub(u.Total, u.Free)
}
