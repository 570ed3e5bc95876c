package main

import (
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

// nodeExporter is Debian's prometheus-node-exporter (scripts/deps.sh
// installs it): the peer the bundled collectors are compared with.
const nodeExporter = "/usr/bin/prometheus-node-exporter"

// lack is why heimnetz has no series of a node_exporter family. pattern
// is a family name, or a prefix ending in "*".
type lack struct{ pattern, reason string }

// lacks are the node_exporter families (of Debian's node_exporter with its
// default collectors, on a Debian host or a CI runner) heimnetz does not
// export, each with the reason. A family node_exporter has, heimnetz lacks
// and no row explains fails TestAgreesWithNodeExporter.
var lacks = []lack{
	{"go_*", "node_exporter's own Go runtime (heimnetz's go_* describe the agent, carry no plugin label and are not compared)"},
	{"process_*", "node_exporter's own process (heimnetz's process_* describe the agent)"},
	{"promhttp_*", "node_exporter's own HTTP handler (heimnetz: heimnetz_server_*)"},
	{"node_exporter_build_info", "node_exporter's own build (heimnetz: heimnetz_build_info)"},
	{"node_scrape_collector_*", "node_exporter's per-collector success and duration (heimnetz: heimnetz_plugin_executions_total{result} and heimnetz_plugin_execution_duration_seconds per plugin)"},
	{"node_textfile_*", "no textfile collector: plugins take its place"},
	{"node_disk_*", "not collected: board has no /proc/diskstats reader (a router's flash is MTD/UBI; its fill is in filesystem)"},
	{"node_arp_entries", "not collected: no /proc/net/arp reader (LAN clients come from dhcp-leases, wifi-stations, nat-traffic)"},
	{"node_nf_conntrack_stat_*", "not collected: conntrack exports entries and limit; /proc/net/stat/nf_conntrack is not read"},
	{"node_os_info", "openwrt exports it from /etc/openwrt_release, on OpenWrt only; /etc/os-release is not read"},
	{"node_os_version", "not collected: openwrt's node_openwrt_info and node_os_info carry the release"},
	{"node_selinux_*", "not collected: OpenWrt has no SELinux by default"},
	{"node_softnet_*", "not collected: /proc/net/softnet_stat is not read"},
	{"node_sockstat_*", "not collected: /proc/net/sockstat is not read"},
	{"node_vmstat_*", "not collected: /proc/vmstat is not read"},
	{"node_pressure_*", "not collected: PSI (/proc/pressure) is not read; OpenWrt's kernels are built without it"},
	{"node_timex_*", "not collected: no adjtimex(2) reader (time exports the clock and its zone)"},
	{"node_time_clocksource_*", "not collected: /sys/devices/system/clocksource is not read"},
	{"node_udp_queues", "not collected: /proc/net/udp queues are not read"},
	{"node_schedstat_*", "not collected: /proc/schedstat is not read"},
	{"node_cpu_frequency_*", "not collected: cpufreq in sysfs is not read"},
	{"node_cpu_scaling_*", "not collected: cpufreq in sysfs is not read"},
	{"node_cpu_core_throttles_total", "not collected: x86 thermal_throttle in sysfs is not read"},
	{"node_cpu_package_throttles_total", "not collected: x86 thermal_throttle in sysfs is not read"},
	{"node_rapl_*", "not collected: x86 RAPL power counters, which routers lack"},
	{"node_edac_*", "not collected: ECC memory error counters, which routers lack"},
	{"node_bonding_*", "not collected: bonding in sysfs is not read"},
	{"node_btrfs_*", "not collected: btrfs statistics are not read"},
	{"node_xfs_*", "not collected: XFS statistics are not read"},
	{"node_zfs_*", "not collected: ZFS statistics are not read"},
	{"node_nfs_*", "not collected: NFS client statistics are not read"},
	{"node_nfsd_*", "not collected: NFS server statistics are not read"},
	{"node_infiniband_*", "not collected: InfiniBand, which routers lack"},
	{"node_fibrechannel_*", "not collected: Fibre Channel, which routers lack"},
	{"node_tape_*", "not collected: tape drives, which routers lack"},
	{"node_nvme_*", "not collected: NVMe in sysfs is not read"},
	{"node_ipvs_*", "not collected: IPVS is not read"},
	{"node_power_supply_*", "not collected: power supplies in sysfs are not read"},
	{"node_bcache_*", "not collected: bcache, which routers lack"},
	{"node_md_*", "not collected: software RAID (mdadm), which routers lack"},
	{"node_cooling_device_*", "not collected: cooling devices in sysfs are not read (thermal and hwmon export temperatures and fans)"},
	{"node_hwmon_*", "hwmon exports chip_names, temp_celsius, temp_crit_celsius, sensor_label and fan_rpm only (no other limits, alarms, voltages, currents or power)"},
	{"node_thermal_zone_*", "thermal exports node_thermal_zone_temp only"},
	{"node_watchdog_*", "not collected: watchdog in sysfs is not read (procd feeds the router's watchdog)"},
	{"node_dmi_info", "not collected: DMI, which routers lack"},
	{"node_network_info", "not exported by netclass: its labels are the interface's MAC and broadcast addresses, duplex and operstate; node_network_up and _carrier carry the state"},
	{"node_network_carrier_up_changes_total", "netclass exports node_network_carrier_changes_total only"},
	{"node_network_carrier_down_changes_total", "netclass exports node_network_carrier_changes_total only"},
	{"node_network_speed_bytes", "netclass leaves out a speed the kernel reports as unknown (-1; node_exporter exports -125000); present where a link has a speed"},
	{"node_network_receive_nohandler_total", "netdev reads /proc/net/dev, which has no rx_nohandler column"},
	{"node_network_address_assign_type", "not exported by netclass: a sysfs attribute no router dashboard uses"},
	{"node_network_name_assign_type", "not exported by netclass: a sysfs attribute no router dashboard uses"},
	{"node_network_device_id", "not exported by netclass: a sysfs attribute no router dashboard uses"},
	{"node_network_dormant", "not exported by netclass: a sysfs attribute no router dashboard uses"},
	{"node_network_flags", "not exported by netclass: a sysfs attribute no router dashboard uses"},
	{"node_network_iface_id", "not exported by netclass: a sysfs attribute no router dashboard uses"},
	{"node_network_iface_link", "not exported by netclass: a sysfs attribute no router dashboard uses"},
	{"node_network_iface_link_mode", "not exported by netclass: a sysfs attribute no router dashboard uses"},
	{"node_network_net_dev_group", "not exported by netclass: a sysfs attribute no router dashboard uses"},
	{"node_network_protocol_type", "not exported by netclass: a sysfs attribute no router dashboard uses"},
	{"node_network_transmit_queue_length", "not exported by netclass: a sysfs attribute no router dashboard uses"},
}

// valueDiffs are the families both export, with node_exporter's label
// names, whose label values differ by design, so that they have no series
// in common: the test logs the reason.
var valueDiffs = []lack{
	{"node_hwmon_*", "hwmon's chip label is the hwmonN directory name; node_exporter names the chip by its device path (platform_coretemp_0)"},
}

// matches reports whether a family name matches a pattern of lacks or
// tolerances.
func matches(pattern, family string) bool {
	if p, ok := strings.CutSuffix(pattern, "*"); ok {
		return strings.HasPrefix(family, p)
	}
	return pattern == family
}

// reasonFor returns the reason in table for family, empty for none.
func reasonFor(table []lack, family string) string {
	for _, l := range table {
		if matches(l.pattern, family) {
			return l.reason
		}
	}
	return ""
}

// tolerance widens the range a heimnetz value must lie in for the
// families matching pattern: by rel times the larger node_exporter value
// plus abs.
type tolerance struct {
	pattern  string
	rel, abs float64
	why      string
}

// floatSlack is the relative slack every comparison gets: the two
// exporters print floats in different forms (2.70553174016e+11 and
// 270553174016), and a value computed in Lua and in Go (ticks / USER_HZ)
// may differ in the last bit. Far below any change a counter makes.
const floatSlack = 1e-9

// tolerances are the families whose values move between the scrapes in
// ways the interleaving cannot bound. Every other shared series must lie
// within [min(ne1, ne2), max(ne1, ne2)] widened by floatSlack only: its
// value is static (sizes, limits, MTU, info metrics: then ne1 = ne2 and
// heimnetz must equal it) or monotonic (every counter; node_time_seconds),
// and heimnetz collected it after the first node_exporter scrape and
// before the second, since the agent starts after the first and its first
// round ends before the second.
var tolerances = []tolerance{
	// Instantaneous counts of runnable and blocked tasks: the exporter
	// reading them is itself running, and on a shared CI machine (here:
	// 2 cores, 7 builds) the count jumps by whole builds between reads.
	{"node_procs_running", 0, 64, "instantaneous task counts on a shared machine"},
	{"node_procs_blocked", 0, 64, "instantaneous task counts on a shared machine"},
	// The 1-minute load moves with every 5 s tick; a tick between the
	// scrapes stays inside the range, but the kernel's fixed-point value
	// is printed rounded to 2 digits by /proc/loadavg: 0.01 either way.
	{"node_load*", 0, 0.01, "loadavg's two printed digits"},
	// Memory other processes allocate and free between the scrapes (the
	// agent's own ~20 MiB is inside the range: it starts between them);
	// on a shared machine builds move hundreds of MiB a second (seen
	// here: AnonPages 60 MiB and Committed_AS 95 MiB outside the range),
	// so the range is widened by 1 GiB plus 2 % of the value. Totals
	// are static and get no tolerance.
	{"node_memory_MemTotal_bytes", 0, 0, "static"},
	{"node_memory_SwapTotal_bytes", 0, 0, "static"},
	{"node_memory_Hugepagesize_bytes", 0, 0, "static"},
	{"node_memory_HugePages_Total", 0, 0, "static"},
	{"node_memory_*", 0.02, 1 << 30, "memory moved by other processes between scrapes"},
	// Open files and connections of other processes (and of the two
	// exporters, whose scrapes open sockets and files) between scrapes;
	// seen here up to 224 files outside the range with parallel builds.
	{"node_filefd_allocated", 0.25, 512, "open files of other processes"},
	{"node_nf_conntrack_entries", 0.1, 64, "connections opened and closed between scrapes"},
	{"node_netstat_Tcp_CurrEstab", 0.1, 64, "connections opened and closed between scrapes"},
	// Free space and inodes of filesystems other processes write to
	// (the build cache, temporary files): 1 % of the size is generous
	// for a second; the size itself is static.
	{"node_filesystem_free_bytes", 0.01, 256 << 20, "files written by other processes"},
	{"node_filesystem_avail_bytes", 0.01, 256 << 20, "files written by other processes"},
	{"node_filesystem_files_free", 0.01, 4096, "files created by other processes"},
	// Entropy before kernel 5.18 drifts as it is used and refilled.
	{"node_entropy_available_bits", 0.5, 64, "the pool drains and refills (before kernel 5.18)"},
	// Temperatures move by a degree or two between reads.
	{"node_thermal_zone_temp", 0, 3, "temperatures move between reads"},
	{"node_hwmon_temp_celsius", 0, 3, "temperatures move between reads"},
	{"node_hwmon_fan_rpm", 0.1, 100, "fan speeds move between reads"},
}

// toleranceFor returns the tolerance of family (zero: none).
func toleranceFor(family string) tolerance {
	for _, t := range tolerances {
		if matches(t.pattern, family) {
			return t
		}
	}
	return tolerance{}
}

// labelNames is the sorted names of s's labels but drop, comma-separated.
func labelNames(s expoSample, drop ...string) string {
	var names []string
	for k := range s.Labels {
		if !slices.Contains(drop, k) {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	return strings.Join(names, ",")
}

// familyOf is the family a sample belongs to: its name, without the
// _sum, _count or _bucket of a summary or histogram.
func familyOf(e exposition, name string) string {
	for _, suf := range []string{"_sum", "_count", "_bucket"} {
		if base, ok := strings.CutSuffix(name, suf); ok {
			if typ := e.Types[base]; typ == "summary" || typ == "histogram" {
				return base
			}
		}
	}
	return name
}

// scrapeText GETs url and parses the exposition.
func scrapeText(t *testing.T, url string) exposition {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
	}
	e, err := parseExposition(string(body))
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return e
}

// startNodeExporter runs node_exporter on a free loopback port with its
// default collectors; the test's cleanup stops it by its PID. It returns
// its /metrics URL once it answers.
func startNodeExporter(t *testing.T) string {
	t.Helper()
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	cmd := exec.Command(nodeExporter, "--web.listen-address="+addr)
	logs := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	url := "http://" + addr + "/metrics"
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(url); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return url
			}
		}
	}
	t.Fatalf("node_exporter did not answer on %s:\n%s", addr, logs)
	return ""
}

// firstRound polls the agent's /metrics until every enabled plugin has
// run once, and returns that scrape.
func firstRound(t *testing.T, a *agentProc) exposition {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		e := scrapeText(t, a.base+"/metrics")
		runs, waiting := map[string]float64{}, []string{}
		for _, s := range e.Samples {
			if s.Name == "heimnetz_plugin_executions_total" {
				runs[s.Labels["plugin"]] += s.Value
			}
		}
		for _, s := range e.Samples {
			if s.Name == "heimnetz_plugin_enabled" && s.Value == 1 && runs[s.Labels["plugin"]] < 1 {
				waiting = append(waiting, s.Labels["plugin"])
			}
		}
		if len(runs) > 0 && len(waiting) == 0 {
			return e
		}
		if time.Now().After(deadline) {
			t.Fatalf("plugins %v had not run 20 s after the agent started:\n%s", waiting, a.logs)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestAgreesWithNodeExporter runs Debian's node_exporter beside `heimnetz
// run` on this host and compares every series both export (same name,
// same labels once heimnetz's plugin label is dropped): static values
// must be equal, counters and gauges within what the interleaved scrapes
// (node_exporter, heimnetz, node_exporter) allow and the tolerances above.
// It logs the node_exporter families heimnetz has and those it lacks with
// the reason from lacks; a lack without a reason fails.
func TestAgreesWithNodeExporter(t *testing.T) {
	requireBinary(t)
	if _, err := os.Stat(nodeExporter); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing (scripts/deps.sh installs prometheus-node-exporter)", nodeExporter)
		}
		t.Skipf("%s not installed (scripts/deps.sh installs prometheus-node-exporter)", nodeExporter)
	}
	neURL := startNodeExporter(t)
	ne1 := scrapeText(t, neURL)
	a := startAgent(t, t.TempDir())
	firstRound(t, a)
	hz := scrapeText(t, a.base+"/metrics")
	ne2 := scrapeText(t, neURL)

	type pair struct{ v1, v2 float64 }
	neSeries := map[string]*pair{} // key -> values in ne1 and ne2
	neFamilies := map[string]int{} // family -> series count
	neNames := map[string]string{} // family -> its label names
	for _, s := range ne1.Samples {
		neSeries[seriesKey(s)] = &pair{s.Value, math.NaN()}
		neFamilies[familyOf(ne1, s.Name)]++
		neNames[familyOf(ne1, s.Name)] = labelNames(s)
	}
	for _, s := range ne2.Samples {
		if p := neSeries[seriesKey(s)]; p != nil {
			p.v2 = s.Value
		}
	}
	hzSeries := map[string]float64{}
	hzFamilies := map[string]int{}
	hzNames := map[string]string{}
	for _, s := range hz.Samples {
		if _, ok := s.Labels["plugin"]; !ok || strings.HasPrefix(s.Name, "heimnetz_plugin_") {
			continue // the agent's own series, some about a plugin
		}
		k := seriesKey(s, "plugin")
		if _, dup := hzSeries[k]; dup {
			t.Errorf("%s is exported by two plugins", k)
		}
		hzSeries[k] = s.Value
		hzFamilies[s.Name]++
		hzNames[s.Name] = labelNames(s, "plugin")
	}

	type famStat struct{ shared, neOnly, hzOnly int }
	stats := map[string]*famStat{}
	compared := 0
	var tolerated []string // series that needed their family's tolerance
	for k, p := range neSeries {
		fam, _, _ := strings.Cut(k, "{")
		fam = familyOf(ne1, fam)
		if hzFamilies[fam] == 0 {
			continue
		}
		st := stats[fam]
		if st == nil {
			st = &famStat{}
			stats[fam] = st
		}
		v, ok := hzSeries[k]
		if !ok {
			st.neOnly++
			continue
		}
		st.shared++
		if math.IsNaN(p.v2) {
			// An interface or mount that went away between the scrapes
			// (other tests make and remove network namespaces and veths).
			t.Logf("%s: gone from node_exporter's second scrape; not compared", k)
			continue
		}
		compared++
		tol := toleranceFor(fam)
		lo, hi := min(p.v1, p.v2), max(p.v1, p.v2)
		slack := max(math.Abs(lo), math.Abs(hi))*(floatSlack+tol.rel) + tol.abs
		if v < lo-slack || v > hi+slack {
			why := "static or monotonic: no tolerance"
			if tol.why != "" {
				why = fmt.Sprintf("tolerance %g + %g×value: %s", tol.abs, tol.rel, tol.why)
			}
			t.Errorf("%s: heimnetz %v, node_exporter %v then %v (%s)", k, v, p.v1, p.v2, why)
		} else if floats := max(math.Abs(lo), math.Abs(hi)) * floatSlack; v < lo-floats || v > hi+floats {
			tolerated = append(tolerated, fmt.Sprintf("%s: heimnetz %v, node_exporter %v then %v (%s)", k, v, p.v1, p.v2, tol.why))
		}
	}
	for k := range hzSeries {
		fam, _, _ := strings.Cut(k, "{")
		if st := stats[fam]; st != nil {
			if _, ok := neSeries[k]; !ok {
				st.hzOnly++
			}
		}
	}

	var has, lacking, onlyHz []string
	for fam, n := range neFamilies {
		if st := stats[fam]; st != nil {
			has = append(has, fmt.Sprintf("%s: %d shared, %d only node_exporter's, %d only heimnetz's", fam, st.shared, st.neOnly, st.hzOnly))
			// Dashboards select on label names: those must be node_exporter's.
			// The same names with no common series (other devices or
			// mounts) are only reported.
			// The type too, but for node_exporter's untyped netstat and
			// vmstat fields, which heimnetz types as pne-lua does (README).
			if nt, ht := ne1.Types[fam], hz.Types[fam]; nt != ht && nt != "untyped" {
				t.Errorf("%s: heimnetz's type %s, node_exporter's %s", fam, ht, nt)
			}
			switch {
			case neNames[fam] != hzNames[fam]:
				t.Errorf("%s: heimnetz's labels {%s}, node_exporter's {%s}", fam, hzNames[fam], neNames[fam])
			case st.shared == 0:
				why := reasonFor(valueDiffs, fam)
				if why == "" {
					why = "other devices or mounts"
				}
				t.Logf("%s: the same label names but no common series (node_exporter %d, heimnetz %d): %s", fam, n, hzFamilies[fam], why)
			}
			continue
		}
		reason := reasonFor(lacks, fam)
		if reason == "" {
			t.Errorf("heimnetz lacks node_exporter's %s (%d series) and the test's lacks table gives no reason", fam, n)
			reason = "NO REASON"
		}
		lacking = append(lacking, fmt.Sprintf("%s (%d series): %s", fam, n, reason))
	}
	for fam := range hzFamilies {
		if neFamilies[fam] == 0 {
			onlyHz = append(onlyHz, fam)
		}
	}
	sort.Strings(has)
	sort.Strings(lacking)
	sort.Strings(onlyHz)
	t.Logf("node_exporter families heimnetz has (%d):\n  %s", len(has), strings.Join(has, "\n  "))
	t.Logf("node_exporter families heimnetz lacks (%d):\n  %s", len(lacking), strings.Join(lacking, "\n  "))
	t.Logf("plugin families node_exporter lacks here (%d): %s", len(onlyHz), strings.Join(onlyHz, " "))
	sort.Strings(tolerated)
	t.Logf("series outside node_exporter's two values, within their tolerance (%d):\n  %s", len(tolerated), strings.Join(tolerated, "\n  "))
	t.Logf("node_exporter: %d families, %d series; heimnetz plugins: %d families, %d series; %d series compared",
		len(neFamilies), len(neSeries), len(hzFamilies), len(hzSeries), compared)
	if compared < 100 {
		t.Errorf("only %d series compared; the bundled collectors should share hundreds with node_exporter", compared)
	}
}
