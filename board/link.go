package board

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

// fileFixtureLinks is an RTM_GETLINK dump reply in a fixture tree; a live
// Board asks the kernel instead. A tree without it is read from
// /sys/class/net alone.
const fileFixtureLinks = FixtureDir + "/rtnetlink/links.bin"

// rtnetlink message and attribute types (linux/rtnetlink.h,
// linux/if_link.h).
const (
	rtmNewLink         = 16 // RTM_NEWLINK, the type of a link dump's messages
	ifinfomsgLen       = 16 // struct ifinfomsg
	iflaAddress        = 1
	iflaIfname         = 3
	iflaMTU            = 4
	iflaOperState      = 16
	iflaCarrier        = 33
	iflaCarrierChanges = 35
	iffUp              = 0x1 // IFF_UP in ifinfomsg.ifi_flags
)

// operStates are the names sysfs gives the RFC 2863 states (IF_OPER_*),
// indexed by IFLA_OPERSTATE.
var operStates = [...]string{"unknown", "notpresent", "down", "lowerlayerdown", "testing", "dormant", "up"}

// link is one interface of an RTM_GETLINK dump: what /sys/class/net/<if>/
// would say, but for the speed, which netlink does not carry.
type link struct {
	name           string
	up             bool // IFF_UP: the kernel answers carrier and speed only then
	operState      string
	mtu            uint64
	mac            string
	carrier        bool
	carrierChanges *uint64
}

// parseLinks decodes an RTM_GETLINK dump reply (every datagram's bytes,
// concatenated), at most maxNetlinkMessages links. order is the byte order
// of the machine that produced it.
func parseLinks(data []byte, order binary.ByteOrder) ([]link, error) {
	var out []link
	err := netlinkMessages(data, order, func(typ uint16, body []byte) error {
		if typ != rtmNewLink {
			return nil
		}
		if len(out) == maxNetlinkMessages {
			return fmt.Errorf("%w: more than %d links", errNetlink, maxNetlinkMessages)
		}
		if len(body) < ifinfomsgLen {
			return fmt.Errorf("%w: short ifinfomsg", errNetlink)
		}
		l, err := parseLink(body, order)
		if err != nil {
			return err
		}
		out = append(out, l)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// parseLink decodes one RTM_NEWLINK body: struct ifinfomsg, then
// attributes, walked in place (a map per link was most of a dump's
// allocations). A later attribute of a type replaces an earlier one.
func parseLink(body []byte, order binary.ByteOrder) (link, error) {
	flags := order.Uint32(body[8:12])
	l := link{up: flags&iffUp != 0, operState: "unknown"}
	err := netlinkAttrWalk(body[ifinfomsgLen:], order, func(typ uint16, v []byte) {
		switch typ {
		case iflaIfname:
			l.name = nulTerminated(v)
		case iflaOperState:
			// The kernel reports IF_OPER_DOWN for an interface that is
			// not up, as sysfs does.
			if len(v) >= 1 && int(v[0]) < len(operStates) {
				l.operState = operStates[v[0]]
			}
		case iflaMTU:
			if len(v) >= 4 {
				l.mtu = uint64(order.Uint32(v))
			}
		case iflaCarrier:
			if len(v) >= 1 {
				l.carrier = v[0] != 0
			}
		case iflaCarrierChanges:
			if len(v) >= 4 {
				c := uint64(order.Uint32(v))
				l.carrierChanges = &c
			}
		case iflaAddress:
			l.mac = ""
			if len(v) > 0 {
				l.mac = formatHardwareAddr(v)
			}
		}
	})
	if err != nil {
		return link{}, err
	}
	return l, nil
}

// nulTerminated returns a string attribute without its terminating NUL.
func nulTerminated(v []byte) string {
	for i, c := range v {
		if c == 0 {
			return string(v[:i])
		}
	}
	return string(v)
}

// formatHardwareAddr prints a hardware address as sysfs does: lower-case
// hex pairs joined by ':'.
func formatHardwareAddr(addr []byte) string {
	const hexDigits = "0123456789abcdef"
	var sb strings.Builder
	sb.Grow(3 * len(addr))
	for i, c := range addr {
		if i > 0 {
			sb.WriteByte(':')
		}
		sb.WriteByte(hexDigits[c>>4])
		sb.WriteByte(hexDigits[c&0xf])
	}
	return sb.String()
}

// linkDump returns the board's RTM_GETLINK dump reply: the kernel's for a
// live Board, heimnetz-fixture/rtnetlink/links.bin for a fixture tree.
func (b *Board) linkDump() ([]byte, error) {
	if b.live {
		return b.cached("rtnetlink/links", rtnlLinkDump)
	}
	return b.readFile(fileFixtureLinks)
}

// links reads and decodes the board's RTM_GETLINK dump, once a second
// for all its readers (cachedValue): the links are shared and must not
// be changed. ok is false when there is none to read (not Linux, or a
// fixture tree without one).
func (b *Board) links() (links []link, ok bool, err error) {
	s, err := cachedValue(b, "links", func() (linkSet, error) {
		data, err := b.linkDump()
		if err != nil {
			if isNotExist(err) || errors.Is(err, ErrNotSupported) {
				return linkSet{}, nil
			}
			return linkSet{}, err
		}
		links, err := parseLinks(data, b.nlOrder())
		if err != nil {
			return linkSet{ok: true}, fmt.Errorf("board: rtnetlink links: %w", err)
		}
		return linkSet{links: links, ok: true}, nil
	})
	return s.links, s.ok, err
}

// linkSet is links' result.
type linkSet struct {
	links []link
	ok    bool
}

// linkState is the operstate and carrier of the interface called name,
// as Interface gives them, from the RTM_GETLINK dump where there is one
// (the other attributes and the speed are not read).
func (b *Board) linkState(name string) (operState string, carrier *bool, err error) {
	links, ok, err := b.links()
	if !ok {
		ifc, err := b.Interface(name)
		return ifc.OperState, ifc.Carrier, err
	}
	if err != nil {
		return "", nil, err
	}
	for _, l := range links {
		if l.name != name {
			continue
		}
		if l.up {
			c := l.carrier
			carrier = &c
		}
		return l.operState, carrier, nil
	}
	return "", nil, fmt.Errorf("board: interface %q: %w", name, fs.ErrNotExist)
}

// netlinkInterfaces is Interfaces from one RTM_GETLINK dump: every
// attribute but the speed, which is read from /sys/class/net/<if>/speed
// for the interfaces that are up (the kernel answers it only for them).
// ok is false when there is no dump to read (not Linux, or a fixture tree
// without one); Interfaces then reads sysfs alone.
func (b *Board) netlinkInterfaces() (ifs []Interface, ok bool, err error) {
	links, ok, err := b.links()
	if !ok || err != nil {
		return nil, ok, err
	}
	var errs []error
	for _, l := range links {
		if !ValidInterfaceName(l.name) {
			continue
		}
		ifc := Interface{Name: l.name, OperState: l.operState, MTU: l.mtu, MAC: l.mac}
		if l.carrierChanges != nil {
			n := *l.carrierChanges // the link is shared (links)
			ifc.CarrierChanges = &n
		}
		if l.up {
			carrier := l.carrier
			ifc.Carrier = &carrier
			speed, err := b.linkSpeed(l)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			ifc.SpeedMbps = speed
		}
		ifs = append(ifs, ifc)
	}
	slices.SortFunc(ifs, func(a, b Interface) int { return strings.Compare(a.Name, b.Name) })
	return ifs, true, errors.Join(errs...)
}
