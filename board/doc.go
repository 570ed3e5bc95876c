// Package board reads facts about the device heimnetz runs on: load,
// memory, uptime, network counters, CPU times, temperatures, link state,
// filesystems, routes and the uplink, Wi-Fi radios, the OpenWrt release
// and board description, and who is on the network (DHCP leases, Wi-Fi
// stations, per-client traffic from conntrack).
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
//	/sys/class/net/<if>/{operstate,carrier,speed,address,mtu,carrier_changes}
//	/proc/net/{netstat,snmp,snmp6,route,ipv6_route,nf_conntrack} /proc/mounts
//	/proc/sys/fs/file-nr /proc/sys/net/netfilter/nf_conntrack_{count,max}
//	/proc/sys/kernel/random/{entropy_avail,poolsize}
//	/proc/sys/kernel/{ostype,version,domainname,arch}
//	/sys/class/hwmon/hwmon*/{name,temp*_input,temp*_label,temp*_crit,fan*_input}
//	/tmp/dhcp.leases (dnsmasq) /tmp/hosts/odhcpd (odhcpd's lease state)
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
// Linux. A Board made with New("/") is live: its Filesystems, Uname, WAN
// addresses, Interfaces and Wi-Fi readers ask the kernel too (statfs,
// uname, netlink: one RTM_GETLINK dump for every interface's state but
// its speed, and nl80211 over generic netlink). Any other Board takes those from
// fixture files below FixtureDir, so they are tested like the rest.
//
// Every reader is bounded: files by MaxFileSize (the conntrack table by
// 8 MiB, read as a stream), and lists by a count (1024 leases, stations and
// clients, 64 hwmon chips, ...). Readers of lists return what they could
// read alongside an error naming what they could not.
//
// What a Board keeps between calls, all of it bounded: what several
// readers read in one collection round, bytes and parsed value, for the
// second of its clock (readCache); the files of a router that are
// ordinary files, not pseudo-files (the release files, board.json,
// /tmp/sysinfo, the DHCP lease files), parsed, until stat shows they
// changed (stableFiles); sysfs attributes fixed while their directory
// stays the same (staticAttrs); link speeds while the link's state stays
// (speedCache); /proc/cpuinfo for 10 minutes where it has no changing
// field (CPUInfo). Pseudo-files of /proc and /sys are otherwise read at
// every call, on a router and in a fixture tree alike.
package board
