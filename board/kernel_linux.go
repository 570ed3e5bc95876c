package board

import (
	"fmt"
	"time"

	"golang.org/x/sys/unix"
)

// sysinfoLoadScale is 1<<SI_LOAD_SHIFT, the fixed-point scale of
// sysinfo's load averages.
const sysinfoLoadScale = 1 << 16

// Uname asks the running kernel for its names with uname(2).
func Uname() (Utsname, error) {
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		return Utsname{}, fmt.Errorf("board: uname: %w", err)
	}
	return Utsname{
		Sysname:    unix.ByteSliceToString(u.Sysname[:]),
		Nodename:   unix.ByteSliceToString(u.Nodename[:]),
		Release:    unix.ByteSliceToString(u.Release[:]),
		Version:    unix.ByteSliceToString(u.Version[:]),
		Machine:    unix.ByteSliceToString(u.Machine[:]),
		Domainname: unix.ByteSliceToString(u.Domainname[:]),
	}, nil
}

// Sysinfo asks the running kernel for memory, load and uptime figures with
// sysinfo(2). The field widths of the kernel's struct differ between 32-
// and 64-bit systems; the result is the same on both.
func Sysinfo() (SystemStats, error) {
	var si unix.Sysinfo_t
	if err := unix.Sysinfo(&si); err != nil {
		return SystemStats{}, fmt.Errorf("board: sysinfo: %w", err)
	}
	unit := uint64(si.Unit)
	if unit == 0 {
		unit = 1 // kernels before 2.3.23 had no unit field
	}
	s := SystemStats{
		Uptime:    time.Duration(int64(si.Uptime)) * time.Second,
		TotalRAM:  uint64(si.Totalram) * unit,
		FreeRAM:   uint64(si.Freeram) * unit,
		SharedRAM: uint64(si.Sharedram) * unit,
		BufferRAM: uint64(si.Bufferram) * unit,
		TotalSwap: uint64(si.Totalswap) * unit,
		FreeSwap:  uint64(si.Freeswap) * unit,
		Procs:     uint64(si.Procs),
	}
	for i, l := range si.Loads {
		s.Loads[i] = float64(l) / sysinfoLoadScale
	}
	return s, nil
}

// FilesystemUsage reports the size and use of the filesystem holding path
// (for example the data directory or /overlay) with statfs(2).
func FilesystemUsage(path string) (FSUsage, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(path, &st); err != nil {
		return FSUsage{}, fmt.Errorf("board: statfs %s: %w", path, err)
	}
	// Block counts are in fragment-size units; old kernels leave Frsize 0.
	size := uint64(st.Frsize)
	if size == 0 {
		size = uint64(st.Bsize)
	}
	return FSUsage{
		Path:      path,
		Total:     st.Blocks * size,
		Free:      st.Bfree * size,
		Available: st.Bavail * size,
		Files:     st.Files,
		FilesFree: st.Ffree,
	}, nil
}
