// Package board reads facts about the device heimnetz runs on: load,
// memory, uptime, network counters, CPU times, temperatures, link state and
// the OpenWrt release and board description.
//
// Everything is read from files below one root directory, "/" on a router
// and a fixture tree under testdata/ in tests, so every parser is exercised
// on any machine:
//
//	/proc/loadavg /proc/meminfo /proc/uptime /proc/net/dev /proc/stat
//	/proc/cpuinfo /proc/sys/kernel/hostname /proc/sys/kernel/osrelease
//	/etc/openwrt_release /etc/os-release /etc/board.json
//	/tmp/sysinfo/model /tmp/sysinfo/board_name
//	/sys/class/thermal/thermal_zone*/{type,temp}
//	/sys/class/net/<if>/{operstate,carrier,speed,address,mtu}
//
// The file names are fixed by this package; the only caller-supplied name is
// an interface name, which is checked against the kernel's own rules before
// it is used. A Board made with New opens its root with os.OpenRoot, so no
// path or symbolic link leads outside it. No file is read past MaxFileSize.
//
// Readers return typed values. A file that is present but malformed gives a
// *ParseError naming the file and line (errors.Is(err, ErrMalformed)); a
// missing file gives an error that matches fs.ErrNotExist. Nothing in this
// package panics on odd input.
//
// Plugins never read files themselves: the host calls a Board and hands the
// values to Lua as tables, and the status page and /metrics use the same
// values through Snapshot.
//
// Uname, Sysinfo and FilesystemUsage ask the running kernel directly (not
// the root directory) and report ErrNotSupported on systems other than
// Linux.
package board
