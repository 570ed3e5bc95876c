package board

import (
	"errors"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestRealRoot reads the machine running the tests. It only checks that
// the values are plausible and agree with each other, since they differ on
// every machine.
func TestRealRoot(t *testing.T) {
	for _, f := range []string{"/proc/loadavg", "/proc/meminfo", "/proc/stat", "/proc/uptime", "/proc/net/dev"} {
		if _, err := os.Stat(f); err != nil {
			t.Skipf("%s is absent (%v): not Linux with procfs mounted, nothing to check", f, err)
		}
	}
	b, err := New("/")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	s, err := b.Snapshot()
	// Absent optional parts are fine; a malformed real file is not.
	if errors.Is(err, ErrMalformed) {
		t.Fatalf("the real /proc does not parse: %v", err)
	}
	for _, section := range []string{"load", "memory", "uptime", "cpu", "netdev"} {
		if msg, ok := s.Errors[section]; ok {
			t.Errorf("%s: %s", section, msg)
		}
	}
	if s.Load.Total < 1 || s.Load.Load1 < 0 {
		t.Errorf("implausible load %+v", s.Load)
	}
	if s.Memory.MemTotal == 0 || s.Memory.MemFree > s.Memory.MemTotal {
		t.Errorf("implausible memory %+v", s.Memory)
	}
	if s.Uptime.Seconds <= 0 {
		t.Errorf("implausible uptime %+v", s.Uptime)
	}
	if len(s.CPU.CPUs) < 1 || s.CPU.CPU.User+s.CPU.CPU.System+s.CPU.CPU.Idle == 0 {
		t.Errorf("implausible cpu times %+v", s.CPU.CPU)
	}
	hasLo := false
	for _, n := range s.NetDev {
		hasLo = hasLo || n.Name == "lo"
	}
	if !hasLo {
		t.Errorf("no lo in /proc/net/dev: %+v", s.NetDev)
	}
	if s.Device.Kernel == "" || s.Device.Model == "" {
		t.Errorf("implausible device %+v", s.Device)
	}
	// The files and the system calls describe the same kernel.
	if u, err := Uname(); err == nil {
		if s.Device.Kernel != u.Release {
			t.Errorf("/proc/sys/kernel/osrelease %q, uname release %q", s.Device.Kernel, u.Release)
		}
		if s.Device.Hostname != u.Nodename {
			t.Errorf("/proc/sys/kernel/hostname %q, uname nodename %q", s.Device.Hostname, u.Nodename)
		}
	} else if !errors.Is(err, ErrNotSupported) {
		t.Errorf("Uname: %v", err)
	}
	// A 32-bit program under qemu-user on a 64-bit host gets sysinfo's
	// counts truncated to 32 bits (a real 32-bit kernel scales Unit
	// instead), so the comparison only holds where the counts fit.
	if si, err := Sysinfo(); err == nil && (strconv.IntSize == 64 || s.Memory.MemTotal < 1<<32) {
		a, b := float64(si.TotalRAM), float64(s.Memory.MemTotal)
		if a < 0.95*b || a > 1.05*b {
			t.Errorf("sysinfo total RAM %d, /proc/meminfo MemTotal %d", si.TotalRAM, s.Memory.MemTotal)
		}
	}
	if _, err := b.Interface("lo"); err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Interface(lo): %v", err)
	}
}

// TestRealRootReaders runs every reader on the machine running the tests:
// none may report a malformed real file, and a live board's fixture-only
// sources must not be read.
func TestRealRootReaders(t *testing.T) {
	if os.Getenv("HEIMNETZ_EMULATED") != "" {
		// /proc/net/route holds addresses in the kernel's byte order: under
		// qemu-user that is the host's, not the emulated router's.
		t.Skip("under qemu: /proc is the host kernel's, in the host's byte order")
	}
	if _, err := os.Stat("/proc/stat"); err != nil {
		t.Skipf("no procfs: %v", err)
	}
	b, err := New("/")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if !b.live {
		t.Fatal(`New("/") is not live`)
	}
	for name, r := range readAll(b) {
		if strings.Contains(r.Error, "malformed") || strings.Contains(r.Error, FixtureDir) {
			t.Errorf("%s: %s", name, r.Error)
		}
	}
	fss, err := b.Filesystems()
	if err != nil {
		t.Logf("filesystems: %v", err)
	}
	for _, f := range fss {
		if f.MountPoint == "/" && (f.Size == 0 || f.Avail > f.Size) {
			t.Errorf("implausible root filesystem %+v", f)
		}
	}
}
