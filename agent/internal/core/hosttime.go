package core

import (
	"net/netip"
	"sync/atomic"
	"time"

	"github.com/heimnetz/heimnetz/board"
	"github.com/heimnetz/heimnetz/luaplugins"
)

// hostTime adds up the wall time one plugin's calls spend inside the
// host: its kv store, the board, its log and the reporter of its output
// caps. These are the host functions that may block (a kv write waits
// for the disk, a statfs of a hung mount or a netlink dump waits up to
// its deadline, a log line waits for the store's lock), so a call can
// spend wall time in them without spending CPU. The time is the
// plugin's own, whoever made the host slow: see breakCause.
//
// A plugin's calls are serialised, so the difference of two readings
// taken around one call is that call's host time.
type hostTime struct{ ns atomic.Int64 }

// add counts the time since start.
func (h *hostTime) add(start time.Time) { h.ns.Add(int64(time.Since(start))) }

// total returns the host time counted so far.
func (h *hostTime) total() time.Duration { return time.Duration(h.ns.Load()) }

// hostEnv returns the plugin's host interfaces wrapped so that their
// time is counted in t.
func (m *Manager) hostEnv(t *hostTime, kv luaplugins.KV) (luaplugins.KV, luaplugins.Board, luaplugins.LogSink, luaplugins.Reporter) {
	if kv != nil {
		kv = timedKV{kv: kv, t: t}
	}
	log := luaplugins.LogFunc(func(plugin, level, line string) {
		defer t.add(time.Now())
		m.pluginLog(plugin, level, line)
	})
	return kv, timedBoard{b: m.board, t: t}, log, timedReporter{r: m, t: t}
}

// timedKV counts the time of a plugin's kv calls.
type timedKV struct {
	kv luaplugins.KV
	t  *hostTime
}

func (k timedKV) Get(key string) (string, bool, error) {
	defer k.t.add(time.Now())
	return k.kv.Get(key)
}

func (k timedKV) Set(key, value string) error {
	defer k.t.add(time.Now())
	return k.kv.Set(key, value)
}

func (k timedKV) Delete(key string) error {
	defer k.t.add(time.Now())
	return k.kv.Delete(key)
}

func (k timedKV) Keys() ([]string, error) {
	defer k.t.add(time.Now())
	return k.kv.Keys()
}

// timedReporter counts the time of a plugin's output-cap reports (each
// is an event written to the store).
type timedReporter struct {
	r luaplugins.Reporter
	t *hostTime
}

func (r timedReporter) LimitHit(plugin, what, detail string) {
	defer r.t.add(time.Now())
	r.r.LimitHit(plugin, what, detail)
}

// timedBoard counts the time of a plugin's board and clients reads. It
// forwards every method by hand rather than embedding the interface, so
// a method added to luaplugins.Board fails to build here instead of
// going uncounted.
type timedBoard struct {
	b luaplugins.Board
	t *hostTime
}

var _ luaplugins.Board = timedBoard{}

func (b timedBoard) LoadAvg() (board.LoadAvg, error) {
	defer b.t.add(time.Now())
	return b.b.LoadAvg()
}

func (b timedBoard) MemInfo() (board.MemInfo, error) {
	defer b.t.add(time.Now())
	return b.b.MemInfo()
}

func (b timedBoard) NetDev() ([]board.NetDevStats, error) {
	defer b.t.add(time.Now())
	return b.b.NetDev()
}

func (b timedBoard) Uptime() (board.Uptime, error) {
	defer b.t.add(time.Now())
	return b.b.Uptime()
}

func (b timedBoard) Stat() (board.Stat, error) {
	defer b.t.add(time.Now())
	return b.b.Stat()
}

func (b timedBoard) CPUTimes() ([]board.CPUSeconds, error) {
	defer b.t.add(time.Now())
	return b.b.CPUTimes()
}

func (b timedBoard) InterfaceStats() ([]board.InterfaceStats, error) {
	defer b.t.add(time.Now())
	return b.b.InterfaceStats()
}

func (b timedBoard) Interfaces() ([]board.Interface, error) {
	defer b.t.add(time.Now())
	return b.b.Interfaces()
}

func (b timedBoard) NetStats() (board.NetStats, error) {
	defer b.t.add(time.Now())
	return b.b.NetStats()
}

func (b timedBoard) Conntrack() (board.Conntrack, error) {
	defer b.t.add(time.Now())
	return b.b.Conntrack()
}

func (b timedBoard) FileFD() (board.FileFD, error) {
	defer b.t.add(time.Now())
	return b.b.FileFD()
}

func (b timedBoard) Filesystems() ([]board.Filesystem, error) {
	defer b.t.add(time.Now())
	return b.b.Filesystems()
}

func (b timedBoard) Thermal() ([]board.ThermalZone, error) {
	defer b.t.add(time.Now())
	return b.b.Thermal()
}

func (b timedBoard) Hwmon() ([]board.HwmonChip, error) {
	defer b.t.add(time.Now())
	return b.b.Hwmon()
}

func (b timedBoard) Entropy() (board.Entropy, error) {
	defer b.t.add(time.Now())
	return b.b.Entropy()
}

func (b timedBoard) Clock() board.Clock {
	defer b.t.add(time.Now())
	return b.b.Clock()
}

func (b timedBoard) Uname() (board.Utsname, error) {
	defer b.t.add(time.Now())
	return b.b.Uname()
}

func (b timedBoard) CPUInfo() (board.CPUInfo, error) {
	defer b.t.add(time.Now())
	return b.b.CPUInfo()
}

func (b timedBoard) Device() (board.Device, error) {
	defer b.t.add(time.Now())
	return b.b.Device()
}

func (b timedBoard) OpenWrtRelease() (board.OpenWrtRelease, error) {
	defer b.t.add(time.Now())
	return b.b.OpenWrtRelease()
}

func (b timedBoard) WAN() (board.WAN, error) {
	defer b.t.add(time.Now())
	return b.b.WAN()
}

func (b timedBoard) WANProbe() (board.WANProbe, error) {
	defer b.t.add(time.Now())
	return b.b.WANProbe()
}

func (b timedBoard) WifiInterfaces() ([]board.WifiInterface, error) {
	defer b.t.add(time.Now())
	return b.b.WifiInterfaces()
}

func (b timedBoard) DHCPLeases() ([]board.Lease, error) {
	defer b.t.add(time.Now())
	return b.b.DHCPLeases()
}

func (b timedBoard) WifiStations() ([]board.WifiStation, error) {
	defer b.t.add(time.Now())
	return b.b.WifiStations()
}

func (b timedBoard) LANPrefixes() ([]netip.Prefix, error) {
	defer b.t.add(time.Now())
	return b.b.LANPrefixes()
}

func (b timedBoard) ClientTraffic(lan []netip.Prefix) (board.Traffic, error) {
	defer b.t.add(time.Now())
	return b.b.ClientTraffic(lan)
}
