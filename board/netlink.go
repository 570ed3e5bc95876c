package board

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Netlink framing, from the kernel's UAPI (linux/netlink.h, genetlink.h).
const (
	nlmsgHeaderLen  = 16 // struct nlmsghdr
	genlHeaderLen   = 4  // struct genlmsghdr
	nlattrHeaderLen = 4  // struct nlattr
	nlmsgError      = 2  // NLMSG_ERROR
	nlmsgDone       = 3  // NLMSG_DONE
	nlaTypeMask     = 0x3fff
	// maxNetlinkMessages bounds how many messages one dump reply may hold.
	maxNetlinkMessages = 4096
)

// errNetlink is wrapped by every error about a malformed netlink reply.
var errNetlink = errors.New("bad netlink message")

// genlMessage is one generic netlink message of a dump reply: its command
// and its top-level attributes (not yet decoded).
type genlMessage struct {
	cmd   uint8
	attrs []byte
}

// netlinkMessages walks a dump reply (the bytes of every datagram read,
// concatenated) up to NLMSG_DONE and calls each with every message's type
// and body. A malformed header, an NLMSG_ERROR with a non-zero code, or
// an error from each ends the walk with that error. order is the byte
// order of the machine that produced the reply (netlink uses the host's
// order).
func netlinkMessages(data []byte, order binary.ByteOrder, each func(typ uint16, body []byte) error) error {
	for len(data) > 0 {
		if len(data) < nlmsgHeaderLen {
			return fmt.Errorf("%w: %d trailing bytes", errNetlink, len(data))
		}
		n := int(order.Uint32(data[0:4]))
		typ := order.Uint16(data[4:6])
		if n < nlmsgHeaderLen || n > len(data) {
			return fmt.Errorf("%w: length %d of %d bytes", errNetlink, n, len(data))
		}
		body := data[nlmsgHeaderLen:n]
		data = data[min(align4(n), len(data)):]
		switch typ {
		case nlmsgDone:
			return nil
		case nlmsgError:
			if len(body) < 4 {
				return fmt.Errorf("%w: short error message", errNetlink)
			}
			if code := int32(order.Uint32(body[0:4])); code != 0 {
				return fmt.Errorf("netlink: error %d", -code)
			}
			continue
		}
		if err := each(typ, body); err != nil {
			return err
		}
	}
	return nil
}

// parseGenlMessages splits a dump reply into generic netlink messages
// (netlinkMessages), at most maxNetlinkMessages.
func parseGenlMessages(data []byte, order binary.ByteOrder) ([]genlMessage, error) {
	var out []genlMessage
	err := netlinkMessages(data, order, func(_ uint16, body []byte) error {
		if len(out) == maxNetlinkMessages {
			return fmt.Errorf("%w: more than %d messages", errNetlink, maxNetlinkMessages)
		}
		if len(body) < genlHeaderLen {
			return fmt.Errorf("%w: no generic netlink header", errNetlink)
		}
		out = append(out, genlMessage{cmd: body[0], attrs: body[genlHeaderLen:]})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// netlinkAttrWalk calls each with every attribute of a run, in order,
// its type without the nested and byte-order flags.
func netlinkAttrWalk(data []byte, order binary.ByteOrder, each func(typ uint16, v []byte)) error {
	for len(data) > 0 {
		if len(data) < nlattrHeaderLen {
			return fmt.Errorf("%w: %d trailing attribute bytes", errNetlink, len(data))
		}
		n := int(order.Uint16(data[0:2]))
		typ := order.Uint16(data[2:4]) & nlaTypeMask
		if n < nlattrHeaderLen || n > len(data) {
			return fmt.Errorf("%w: attribute %d length %d of %d bytes", errNetlink, typ, n, len(data))
		}
		each(typ, data[nlattrHeaderLen:n])
		data = data[min(align4(n), len(data)):]
	}
	return nil
}

// netlinkAttrs decodes a run of attributes into a list of type and
// payload, in order, made with one allocation (a map took three to five
// per set, a few hundred per collection round); lookups (nlAttrs.get)
// scan it, which for the tens of attributes of a set costs less than
// hashing.
func netlinkAttrs(data []byte, order binary.ByteOrder) ([]netlinkAttr, error) {
	n := 0
	if err := netlinkAttrWalk(data, order, func(uint16, []byte) { n++ }); err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, nil
	}
	list := make([]netlinkAttr, 0, n)
	_ = netlinkAttrWalk(data, order, func(typ uint16, v []byte) { list = append(list, netlinkAttr{typ, v}) })
	return list, nil
}

// netlinkAttr is one attribute: its type (without flags) and payload.
type netlinkAttr struct {
	typ uint16
	v   []byte
}

// align4 rounds n up to netlink's 4-byte alignment.
func align4(n int) int { return (n + 3) &^ 3 }

// nlAttrs is a decoded attribute set with typed getters; a getter reports
// false when the attribute is absent or has the wrong size. A later
// attribute of the same type hides an earlier one.
type nlAttrs struct {
	list  []netlinkAttr
	order binary.ByteOrder
}

// get returns the payload of the last attribute of type t.
func (a nlAttrs) get(t uint16) ([]byte, bool) {
	for i := len(a.list) - 1; i >= 0; i-- {
		if a.list[i].typ == t {
			return a.list[i].v, true
		}
	}
	return nil, false
}

// bytes returns the payload of the last attribute of type t, nil when
// there is none.
func (a nlAttrs) bytes(t uint16) []byte {
	v, _ := a.get(t)
	return v
}

func (a nlAttrs) u8(t uint16) (uint8, bool) {
	v, ok := a.get(t)
	if !ok || len(v) < 1 {
		return 0, false
	}
	return v[0], true
}

func (a nlAttrs) u16(t uint16) (uint16, bool) {
	v, ok := a.get(t)
	if !ok || len(v) < 2 {
		return 0, false
	}
	return a.order.Uint16(v), true
}

func (a nlAttrs) u32(t uint16) (uint32, bool) {
	v, ok := a.get(t)
	if !ok || len(v) < 4 {
		return 0, false
	}
	return a.order.Uint32(v), true
}

func (a nlAttrs) u64(t uint16) (uint64, bool) {
	v, ok := a.get(t)
	if !ok || len(v) < 8 {
		return 0, false
	}
	return a.order.Uint64(v), true
}

// str returns a string attribute without its terminating NUL.
func (a nlAttrs) str(t uint16) string {
	v := a.bytes(t)
	for i, c := range v {
		if c == 0 {
			return string(v[:i])
		}
	}
	return string(v)
}

// nested decodes a nested attribute; absent gives an empty set.
func (a nlAttrs) nested(t uint16) (nlAttrs, error) {
	list, err := netlinkAttrs(a.bytes(t), a.order)
	return nlAttrs{list: list, order: a.order}, err
}

func decodeAttrs(data []byte, order binary.ByteOrder) (nlAttrs, error) {
	list, err := netlinkAttrs(data, order)
	return nlAttrs{list: list, order: order}, err
}
