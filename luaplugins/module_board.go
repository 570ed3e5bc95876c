package luaplugins

import (
	"errors"
	"fmt"
	"net/netip"
	"reflect"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/heimnetz/heimnetz/board"
)

// Board is the read-only device facts the board and clients modules hand
// to plugins; *board.Board implements it over /proc, /sys and the kernel
// (or a fixture tree).
type Board interface {
	LoadAvg() (board.LoadAvg, error)
	MemInfo() (board.MemInfo, error)
	NetDev() ([]board.NetDevStats, error)
	Uptime() (board.Uptime, error)
	Stat() (board.Stat, error)
	CPUTimes() ([]board.CPUSeconds, error)
	InterfaceStats() ([]board.InterfaceStats, error)
	Interfaces() ([]board.Interface, error)
	NetStats() (board.NetStats, error)
	Conntrack() (board.Conntrack, error)
	FileFD() (board.FileFD, error)
	Filesystems() ([]board.Filesystem, error)
	Thermal() ([]board.ThermalZone, error)
	Hwmon() ([]board.HwmonChip, error)
	Entropy() (board.Entropy, error)
	Clock() board.Clock
	Uname() (board.Utsname, error)
	CPUInfo() (board.CPUInfo, error)
	Device() (board.Device, error)
	OpenWrtRelease() (board.OpenWrtRelease, error)
	WAN() (board.WAN, error)
	WANProbe() (board.WANProbe, error)
	WifiInterfaces() ([]board.WifiInterface, error)

	// Client identity data, granted by the "clients" permission.
	DHCPLeases() ([]board.Lease, error)
	WifiStations() ([]board.WifiStation, error)
	LANPrefixes() ([]netip.Prefix, error)
	ClientTraffic(lan []netip.Prefix) (board.Traffic, error)
}

// errNoBoard is the reason given when the host has no board at all.
var errNoBoard = errors.New("no board configured")

// boardErrors is the Errors entry of every board and clients function:
// they never raise for a missing source.
var boardErrors = []string{"never raises for the device: a source that is missing or unreadable gives an empty table (or what could be read) and, as a second value, the reason as a string"}

// Reads of one board or clients function by one plugin are bounded by a
// token bucket: boardReadBurst at once, refilled at boardReadBurst per
// second. The host's work (parsing up to 8 MiB of conntrack table, netlink
// dumps) runs in Go, outside the instruction count, so a plugin calling a
// reader in a loop would otherwise spend the host's CPU without bound.
const boardReadBurst = 16

// errReadRate is the reason given for a read past the bucket.
var errReadRate = fmt.Errorf("more than %d reads per second; returning nothing until the next second", boardReadBurst)

// readBucket is the token bucket of one function of one plugin.
type readBucket struct {
	tokens float64
	last   time.Time
}

// take spends one token if there is one.
func (b *readBucket) take(now time.Time) bool {
	if b.last.IsZero() {
		b.tokens = boardReadBurst
	} else if d := now.Sub(b.last).Seconds(); d > 0 {
		b.tokens = min(boardReadBurst, b.tokens+d*boardReadBurst)
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// boardFunc builds a host function that reads one value from the board
// and returns it as a table, plus the reason when the read failed or was
// partial. args, when not nil, checks the Lua arguments and returns what
// read needs.
func boardFunc(module, name, signature, returns, doc string, read func(h *Host, arg any) (any, error), args func(L *lua.LState) any) Func {
	return Func{
		Name: name, Args: signature, Returns: returns + "; and on failure, a reason string", Doc: doc,
		Errors: boardErrors,
		Limits: []string{fmt.Sprintf("%d reads per second of each function per plugin; a read past that gives an empty table and the reason", boardReadBurst)},
		New: func(h *Host) lua.LGFunction {
			var bucket readBucket
			return func(L *lua.LState) int {
				var arg any
				if args != nil {
					arg = args(L)
				}
				var (
					v   any
					err error
				)
				switch {
				case h.Board == nil:
					err = errNoBoard
				case !bucket.take(h.now()):
					err = errReadRate
				default:
					v, err = read(h, arg)
				}
				if err != nil && (v == nil || reflect.ValueOf(v).IsZero()) {
					v = nil // nothing was read: an empty table, not one of zeros
				}
				lv, cerr := structToLua(L, v, h.Limits.Nesting)
				if cerr != nil {
					L.RaiseError("%s.%s: %v", module, name, cerr)
				}
				if lv == lua.LNil {
					lv = L.NewTable()
				}
				L.Push(lv)
				if err == nil {
					return 1
				}
				// errors.Join separates the reasons of several sources by
				// line breaks; a reason is one line.
				L.Push(lua.LString(fmt.Sprintf("%s.%s: %s", module, name, strings.ReplaceAll(err.Error(), "\n", "; "))))
				return 2
			}
		},
	}
}

func boardModule() Module {
	fn := func(name, returns, doc string, read func(Board) (any, error)) Func {
		return boardFunc("board", name, "", returns, doc, func(h *Host, _ any) (any, error) { return read(h.Board) }, nil)
	}
	return Module{
		Name: "board", Permission: "board",
		Doc: "Read-only facts about the device, parsed by the host from /proc, /sys and the kernel. Plugins never read files themselves. " +
			"Every function returns a table; when its source is missing (no such file on this device, no Wi-Fi driver, a module not loaded) or unreadable, " +
			"the table is empty (or holds what could be read) and a second value gives the reason, so one missing source never fails the plugin. " +
			"Client identity data (leases, stations, per-client traffic) is in the clients module.",
		Funcs: []Func{
			fn("loadavg", "table {load1, load5, load15, running, total, last_pid}", "The load averages from /proc/loadavg.",
				func(b Board) (any, error) { return b.LoadAvg() }),
			fn("meminfo", "table {mem_total, mem_free, mem_available, buffers, cached, shmem, sreclaimable, swap_total, swap_free, fields}", "Memory figures from /proc/meminfo in bytes; fields holds every line by its kernel name.",
				func(b Board) (any, error) { return b.MemInfo() }),
			fn("netdev", "array of tables {name, rx_bytes, rx_packets, rx_errs, rx_drop, ..., tx_bytes, tx_packets, tx_errs, tx_drop, ...}", "Per-interface counters from /proc/net/dev, in file order.",
				func(b Board) (any, error) { return b.NetDev() }),
			fn("uptime", "table {seconds, idle_seconds}", "Time since boot from /proc/uptime.",
				func(b Board) (any, error) { return b.Uptime() }),
			fn("cpu", "array of tables {cpu, user, nice, system, idle, iowait, irq, softirq, steal, guest, guest_nice}", "Time each CPU spent in each mode since boot, in seconds (/proc/stat at USER_HZ 100); cpu is \"0\", \"1\", ... as node_cpu_seconds_total{cpu,mode} labels it. guest and guest_nice are already part of user and nice.",
				func(b Board) (any, error) { return b.CPUTimes() }),
			fn("stat", "table {cpu, cpus, interrupts, context_switches, boot_time, processes, procs_running, procs_blocked}", "The rest of /proc/stat: totals since boot (cpu and cpus in clock ticks), boot time in seconds since the epoch, forks, and runnable and blocked tasks.",
				func(b Board) (any, error) { return b.Stat() }),
			interfacesFunc(),
			netstatFunc(),
			fn("conntrack", "table {entries, limit}", "Size of the connection tracking table: nf_conntrack_count and nf_conntrack_max.",
				func(b Board) (any, error) { return b.Conntrack() }),
			fn("filefd", "table {allocated, unused, maximum}", "File handles from /proc/sys/fs/file-nr.",
				func(b Board) (any, error) { return b.FileFD() }),
			fn("filesystems", "array of tables {device, fstype, mountpoint, size, free, avail, files, files_free, readonly}", "Size and use in bytes (and inodes) of every mounted filesystem that holds data (overlay, rootfs, tmpfs, ubifs, squashfs, ext4, ...; not proc, sysfs, cgroup and other pseudo filesystems), from /proc/mounts and statfs.",
				func(b Board) (any, error) { return b.Filesystems() }),
			fn("thermal", "array of tables {zone, type, celsius}", "Thermal zones from /sys/class/thermal in zone order.",
				func(b Board) (any, error) { return b.Thermal() }),
			fn("hwmon", "array of tables {chip, name, temps = array of {sensor, label, celsius, crit_celsius}, fans = array of {sensor, rpm}}", "Hardware monitoring chips from /sys/class/hwmon: temperatures in degrees Celsius and fan speeds.",
				func(b Board) (any, error) { return b.Hwmon() }),
			fn("entropy", "table {available_bits, pool_size_bits}", "The kernel's random pool from /proc/sys/kernel/random.",
				func(b Board) (any, error) { return b.Entropy() }),
			fn("time", "table {seconds, zone, offset_seconds}", "The system clock in seconds since the epoch, and the local time zone's name and offset east of UTC.",
				func(b Board) (any, error) { return b.Clock(), nil }),
			fn("uname", "table {sysname, nodename, release, version, machine, domainname}", "The kernel's names, as uname(2) gives them.",
				func(b Board) (any, error) { return b.Uname() }),
			fn("cpuinfo", "table {processors, model_name, vendor_id, architecture, isa, system_type, machine, hardware, model, bogomips, mhz}", "What /proc/cpuinfo says of the processor; its keys differ by architecture (system_type and machine on MIPS, hardware on ARM, vendor_id and mhz on x86), and what the file lacks is nil.",
				func(b Board) (any, error) { return b.CPUInfo() }),
			fn("device", "table {os, distribution, description, release, revision, target, package_arch, model, model_source, board_id, cpu_model, cpus, kernel, hostname, goarch}", "What the device is and runs: the OpenWrt release and target, the board name and model (/etc/board.json, /tmp/sysinfo), the CPU and the kernel.",
				func(b Board) (any, error) { return b.Device() }),
			fn("openwrt_release", "table {id, release, revision, target, arch, description, codename, taints}", "/etc/openwrt_release; empty with a reason outside OpenWrt.",
				func(b Board) (any, error) { return b.OpenWrtRelease() }),
			fn("wan", "table {interface, gateway, interface6, gateway6, up, operstate, carrier, addresses}", "The uplink: the interfaces and gateways of the IPv4 and IPv6 default routes (lowest metric), whether the link is up, and its addresses with prefix length. No default route gives no interface and up = false.",
				func(b Board) (any, error) { return b.WAN() }),
			fn("wan_probe", "table {target, address, up, time, sent, received, loss_ratio, rtt_last_seconds, rtt_avg_seconds, rtt_min_seconds, rtt_max_seconds, sent_total, received_total, reason}",
				"The agent's own ICMP echo probe of the uplink, which runs only when the owner sets a target in the agent's config (wan_probe): its last round (count requests, their loss and round-trip times in seconds) and its totals since start. "+
					"Plugins read it; they can neither start a probe nor choose its target. Empty with a reason when no probe is configured or its first round has not ended.",
				func(b Board) (any, error) { return b.WANProbe() }),
			fn("wifi_interfaces", "array of tables {name, ifindex, phy, mode, mac, ssid, frequency_mhz, channel, channel_width_mhz, txpower_dbm, noise_dbm}", "Wireless interfaces as nl80211 reports them, with the noise floor of the channel in use from the survey. Empty with a reason where there is no Wi-Fi driver.",
				func(b Board) (any, error) { return b.WifiInterfaces() }),
		},
	}
}

// interfacesFunc is board.interfaces: every interface's link state, with
// or without its /proc/net/dev counters. netclass wants none of them:
// without, a collection reads one file less and builds one table of
// sixteen numbers less per interface.
func interfacesFunc() Func {
	type options struct{ noCounters bool }
	return boardFunc("board", "interfaces", "[options]", "array of tables {name, operstate, carrier, speed_mbps, mtu, mac, carrier_changes, counters}",
		"Every network interface in /sys/class/net by name, with its link state, and counters holding its /proc/net/dev line (the netdev fields). carrier, speed_mbps and carrier_changes are nil when the kernel cannot tell. "+
			"options, when given, is a table; {counters = false} leaves counters out.",
		func(h *Host, arg any) (any, error) {
			if o, ok := arg.(options); ok && o.noCounters {
				return h.Board.Interfaces()
			}
			return h.Board.InterfaceStats()
		},
		func(L *lua.LState) any {
			if L.GetTop() < 1 || L.Get(1) == lua.LNil {
				return nil
			}
			t := L.CheckTable(1)
			var o options
			switch v := t.RawGetString("counters").(type) {
			case lua.LBool:
				o.noCounters = !bool(v)
			case *lua.LNilType:
			default:
				L.ArgError(1, "counters must be a boolean")
			}
			return o
		})
}

// Bounds of board.netstat's fields argument.
const (
	maxNetstatProtocols = 64
	maxNetstatNames     = 64 // per protocol
)

// netstatFilter is board.netstat's fields argument: per protocol, the
// field names wanted and the prefixes (names given ending in "*").
type netstatFilter map[string]*netstatWant

type netstatWant struct {
	names    map[string]bool
	prefixes []string
}

// apply keeps the protocols and fields f names.
func (f netstatFilter) apply(all board.NetStats) board.NetStats {
	out := make(board.NetStats, len(f))
	for proto, w := range f {
		fields, ok := all[proto]
		if !ok {
			continue
		}
		kept := make(map[string]float64, len(w.names))
		if len(w.prefixes) == 0 {
			// Look the few names up rather than test every field of
			// the protocol: the same fields kept.
			for name := range w.names {
				if v, ok := fields[name]; ok {
					kept[name] = v
				}
			}
		} else {
			for field, v := range fields {
				if w.names[field] || hasAnyPrefix(field, w.prefixes) {
					kept[field] = v
				}
			}
		}
		out[proto] = kept
	}
	return out
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// netstatFunc is board.netstat: every protocol counter, or the ones its
// argument names. The netstat plugin wants 40 of the 300-odd; turning
// the rest into Lua tables it never reads was a tenth of a collection
// round.
func netstatFunc() Func {
	return boardFunc("board", "netstat", "[fields]", "table {PROTOCOL = {FIELD = value}}",
		"Protocol counters from /proc/net/netstat, /proc/net/snmp and /proc/net/snmp6 with the kernel's names, e.g. netstat().Tcp.CurrEstab, netstat().Ip6.InReceives. "+
			fmt.Sprintf("fields, when given, is a table PROTOCOL = array of FIELD names (a name ending in * stands for every field that starts with the rest), at most %d protocols of %d names each: only those are returned.", maxNetstatProtocols, maxNetstatNames),
		func(h *Host, arg any) (any, error) {
			all, err := h.Board.NetStats()
			if f, ok := arg.(netstatFilter); ok {
				return f.apply(all), err
			}
			return all, err
		},
		func(L *lua.LState) any {
			if L.GetTop() < 1 || L.Get(1) == lua.LNil {
				return nil
			}
			t := L.CheckTable(1)
			f := netstatFilter{}
			for k, v := t.Next(lua.LNil); k != lua.LNil; k, v = t.Next(k) {
				proto, ok := k.(lua.LString)
				list, ok2 := v.(*lua.LTable)
				if !ok || !ok2 {
					L.ArgError(1, "want a table of protocol names to arrays of field names")
				}
				if len(f) == maxNetstatProtocols {
					L.ArgError(1, fmt.Sprintf("at most %d protocols", maxNetstatProtocols))
				}
				n := list.Len()
				if n > maxNetstatNames {
					L.ArgError(1, fmt.Sprintf("%s: at most %d names", clip(string(proto), 40), maxNetstatNames))
				}
				w := &netstatWant{names: make(map[string]bool, n)}
				for i := 1; i <= n; i++ {
					name, ok := list.RawGetInt(i).(lua.LString)
					if !ok {
						L.ArgError(1, fmt.Sprintf("%s: name %d is not a string", clip(string(proto), 40), i))
					}
					if p, ok := strings.CutSuffix(string(name), "*"); ok {
						w.prefixes = append(w.prefixes, p)
					} else {
						w.names[string(name)] = true
					}
				}
				f[string(proto)] = w
			}
			return f
		})
}

// maxPrefixArgs bounds the prefixes clients.traffic accepts.
const maxPrefixArgs = 64

func clientsModule() Module {
	fn := func(name, returns, doc string, read func(Board, Identity) (any, error)) Func {
		return boardFunc("clients", name, "", returns, doc, func(h *Host, _ any) (any, error) { return read(h.Board, h.Identity) }, nil)
	}
	traffic := boardFunc("clients", "traffic", "[prefixes]",
		"table {clients = array of {ip, tx_bytes, rx_bytes, tx_packets, rx_packets, flows}, flows, accounting, truncated, skipped, lan_prefixes}",
		"What each LAN address sends (tx) and receives (rx) through the flows conntrack tracks now, from /proc/net/nf_conntrack (what prometheus-node-exporter-lua's nat_traffic reads). "+
			"prefixes is an array of CIDR strings naming the LAN; by default the prefixes routed directly to interfaces without a default route. "+
			"accounting is false when net.netfilter.nf_conntrack_acct is off (all byte counts 0); truncated when the table or the client count passed the reader's bounds.",
		func(h *Host, arg any) (any, error) {
			b := h.Board
			lan, _ := arg.([]netip.Prefix)
			var lanErr error
			if lan == nil {
				lan, lanErr = b.LANPrefixes()
			}
			t, err := b.ClientTraffic(lan)
			names := make([]string, len(lan))
			for i, p := range lan {
				names[i] = p.String()
			}
			return struct {
				board.Traffic
				LANPrefixes []string `json:"lan_prefixes"`
			}{t, names}, errors.Join(err, lanErr)
		},
		func(L *lua.LState) any {
			if L.GetTop() < 1 || L.Get(1) == lua.LNil {
				return nil
			}
			t := L.CheckTable(1)
			n := t.Len()
			if n > maxPrefixArgs {
				L.ArgError(1, fmt.Sprintf("at most %d prefixes", maxPrefixArgs))
			}
			out := make([]netip.Prefix, 0, n)
			for i := 1; i <= n; i++ {
				s, ok := t.RawGetInt(i).(lua.LString)
				if !ok {
					L.ArgError(1, fmt.Sprintf("prefix %d is not a string", i))
				}
				p, err := netip.ParsePrefix(string(s))
				if err != nil {
					L.ArgError(1, fmt.Sprintf("prefix %d: %q is not CIDR notation", i, string(s)))
				}
				out = append(out, p.Masked())
			}
			return out
		})
	return Module{
		Name: "clients", Permission: "clients",
		Doc: "Who is on the network: DHCP leases, associated Wi-Fi stations and per-client traffic. These name people's devices (MAC addresses, host names), " +
			"so they need their own permission, separate from board. Like board, a missing source gives an empty table and a reason, never an error. " +
			"Privacy: unless the owner turns on expose_client_identity, plugins never see a client's identity: each MAC address and client_id is replaced by a stable keyed hash, " +
			"\"h:\" and 12 hex digits of HMAC-SHA256 over the lowercase value with a key the agent keeps (the same device keeps the same hash, and a MAC address hashes alike in leases and stations), " +
			"and hostname is left out; where the agent has no key the three are left out. IP addresses are always given. " +
			"Metric labels end up in the owner's Prometheus, its backups and remote writes; a hash keeps a device's series continuous without naming the device.",
		Funcs: []Func{
			fn("dhcp_leases", "array of tables {source, family, ip, addresses, mac, hostname, client_id, iaid, interface, expires}",
				"DHCP leases from dnsmasq (/tmp/dhcp.leases) and odhcpd (/tmp/hosts/odhcpd), at most 1024; expires is seconds since the epoch, 0 for a lease that never ends.",
				func(b Board, id Identity) (any, error) {
					ls, err := b.DHCPLeases()
					return id.leases(ls), err
				}),
			fn("wifi_stations", "array of tables {interface, mac, signal_dbm, signal_avg_dbm, inactive_ms, connected_seconds, rx_bytes, tx_bytes, rx_packets, tx_packets, tx_retries, tx_failed, tx_bitrate_kbps, rx_bitrate_kbps, expected_throughput_kbps}",
				"Stations associated with each wireless interface, as nl80211 reports them, at most 1024. Empty with a reason where there is no Wi-Fi driver.",
				func(b Board, id Identity) (any, error) {
					ss, err := b.WifiStations()
					return id.stations(ss), err
				}),
			traffic,
		},
	}
}
