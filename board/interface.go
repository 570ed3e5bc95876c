package board

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

const dirNet = "sys/class/net"

// maxInterfaceName is IFNAMSIZ minus the terminating NUL.
const maxInterfaceName = 15

// Interface is the link state of one network interface, from the files in
// /sys/class/net/<name>/.
type Interface struct {
	Name string `json:"name"`
	// OperState is the RFC 2863 state: "up", "down", "dormant",
	// "lowerlayerdown", "notpresent", "testing" or "unknown" (common for
	// loopback, tunnels and bridges without state tracking).
	OperState string `json:"operstate"`
	// Carrier is whether the link detects a carrier; nil when the kernel
	// cannot tell (the interface is administratively down).
	Carrier *bool `json:"carrier,omitempty"`
	// SpeedMbps is the negotiated link speed; nil when the driver does not
	// report one or the link is down.
	SpeedMbps *int64 `json:"speed_mbps,omitempty"`
	// MTU is the interface MTU in bytes.
	MTU uint64 `json:"mtu"`
	// MAC is the hardware address as the kernel prints it (lower-case hex
	// pairs joined by ':'), empty for interfaces without one. It
	// identifies the device: fine to show on the LAN, not to send off it.
	MAC string `json:"mac,omitempty"`
	// CarrierChanges counts link ups and downs since the interface was
	// created (node_network_carrier_changes_total); nil on kernels
	// before 4.16 and drivers without it.
	CarrierChanges *uint64 `json:"carrier_changes,omitempty"`
}

// InterfaceStats is an interface's link state with its /proc/net/dev
// counters.
type InterfaceStats struct {
	Interface
	// Counters is the interface's /proc/net/dev line; nil when it has
	// none there (it was removed between the two reads).
	Counters *NetDevStats `json:"counters,omitempty"`
}

// InterfaceStats reads Interfaces and NetDev and joins them by name. An
// error of either is returned alongside what the other gave.
func (b *Board) InterfaceStats() ([]InterfaceStats, error) {
	ifs, err1 := b.Interfaces()
	nd, err2 := b.NetDev()
	byName := make(map[string]*NetDevStats, len(nd))
	for i := range nd {
		byName[nd[i].Name] = &nd[i]
	}
	out := make([]InterfaceStats, 0, len(ifs))
	for _, ifc := range ifs {
		out = append(out, InterfaceStats{Interface: ifc, Counters: byName[ifc.Name]})
	}
	return out, errors.Join(err1, err2)
}

// Interfaces reads the state of every interface in /sys/class/net, sorted
// by name. A device without /sys/class/net has none: the result is empty
// and err is nil. An interface whose state cannot be read is left out and
// reported in err (errors.Join), while the others are returned.
//
// On Linux one RTM_GETLINK dump gives every interface's state (the
// speed is still read from sysfs); reading six files per interface was
// a sixth of a collection round. A fixture tree gives the dump in
// heimnetz-fixture/rtnetlink/links.bin, or is read from sysfs alone.
func (b *Board) Interfaces() ([]Interface, error) {
	ifs, ok, err := b.netlinkInterfaces()
	switch {
	case ok && ifs == nil && err != nil:
		// The dump itself could not be read (a message the parser
		// refuses): sysfs has the same facts, at six files an interface.
		return b.sysfsInterfaces()
	case ok:
		return ifs, err
	}
	return b.sysfsInterfaces()
}

// sysfsInterfaces is Interfaces from /sys/class/net alone.
func (b *Board) sysfsInterfaces() ([]Interface, error) {
	entries, err := fs.ReadDir(b.fsys, dirNet)
	if err != nil {
		if isNotExist(err) {
			return nil, nil
		}
		return nil, fileError(dirNet, err)
	}
	var (
		out  []Interface
		errs []error
	)
	for _, e := range entries {
		name := e.Name()
		if !ValidInterfaceName(name) {
			continue
		}
		// Entries are symbolic links to the device directories; plain
		// files such as bonding_masters sit beside them.
		if fi, err := fs.Stat(b.fsys, dirNet+"/"+name); err != nil || !fi.IsDir() {
			continue
		}
		ifc, err := b.Interface(name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, ifc)
	}
	slices.SortFunc(out, func(a, b Interface) int { return strings.Compare(a.Name, b.Name) })
	return out, errors.Join(errs...)
}

// Interface reads the state of the interface called name. A name the
// kernel would not accept gives an error wrapping ErrBadName; an interface
// that does not exist gives one matching fs.ErrNotExist.
func (b *Board) Interface(name string) (Interface, error) {
	if !ValidInterfaceName(name) {
		return Interface{}, fmt.Errorf("board: interface %q: %w", name, ErrBadName)
	}
	dir := dirNet + "/" + name
	ifc := Interface{Name: name}
	var err error
	if ifc.OperState, err = b.readAttribute(dir + "/operstate"); err != nil {
		return Interface{}, err
	}

	// carrier and speed fail with EINVAL while the interface is down, and
	// speed also when the driver has no link settings: that means unknown.
	if data, err := b.readFile(dir + "/carrier"); err == nil {
		v, err := parseCarrier(dir+"/carrier", data)
		if err != nil {
			return Interface{}, err
		}
		ifc.Carrier = &v
	}
	if ifc.SpeedMbps, err = b.readSpeed(dir + "/speed"); err != nil {
		return Interface{}, err
	}

	if data, err := b.readFile(dir + "/mtu"); err == nil {
		s, err := parseAttribute(dir+"/mtu", data)
		if err != nil {
			return Interface{}, err
		}
		if ifc.MTU, err = parseUint(s); err != nil {
			return Interface{}, malformed(dir+"/mtu", 1, "mtu: %w", err)
		}
	} else if !isNotExist(err) {
		return Interface{}, err
	}

	if v, err := b.readUintAttribute(dir + "/carrier_changes"); err == nil {
		ifc.CarrierChanges = &v
	} else if !isNotExist(err) {
		return Interface{}, err
	}

	if mac, err := b.readAttribute(dir + "/address"); err == nil {
		ifc.MAC = mac
	} else if !isNotExist(err) {
		return Interface{}, err
	}
	return ifc, nil
}

// readSpeed reads a speed attribute: nil when the file is absent or the
// kernel refuses it (the interface is down, or its driver has no link
// settings) or says the speed is unknown.
func (b *Board) readSpeed(file string) (*int64, error) {
	data, err := b.readFile(file)
	if err != nil {
		return nil, nil
	}
	v, known, err := parseSpeed(file, data)
	if err != nil || !known {
		return nil, err
	}
	return &v, nil
}

// parseCarrier parses "0" or "1".
func parseCarrier(file string, data []byte) (bool, error) {
	s, err := parseAttribute(file, data)
	if err != nil {
		return false, err
	}
	switch s {
	case "0":
		return false, nil
	case "1":
		return true, nil
	}
	return false, malformed(file, 1, "carrier: want 0 or 1, got %q", s)
}

// parseSpeed parses a speed in Mbit/s. Unknown speed is -1 on current
// kernels and 65535 or 4294967295 on old ones; those give known=false.
func parseSpeed(file string, data []byte) (v int64, known bool, err error) {
	s, err := parseAttribute(file, data)
	if err != nil {
		return 0, false, err
	}
	v, err = parseInt(s)
	if err != nil {
		return 0, false, malformed(file, 1, "speed: %w", err)
	}
	if v < 0 || v == math.MaxUint16 || v == math.MaxUint32 {
		return 0, false, nil
	}
	return v, true, nil
}

// ValidInterfaceName reports whether name can name a network interface
// here: what the kernel accepts (1 to 15 bytes, not "." or "..", without
// '/', ':', NUL or white space), and valid UTF-8, which io/fs paths must
// be. Interfaces whose names are not UTF-8 are left out of Interfaces.
func ValidInterfaceName(name string) bool {
	if name == "" || len(name) > maxInterfaceName || name == "." || name == ".." || !utf8.ValidString(name) {
		return false
	}
	for i := 0; i < len(name); i++ {
		switch name[i] {
		case '/', ':', 0, ' ', '\t', '\n', '\v', '\f', '\r':
			return false
		}
	}
	return true
}
