package lua

// heimnetz patch: Go-side work is charged to the instruction budget (see
// PATCHES.md, section 9).

import (
	"strings"
	"unsafe"
)

// Units of work, in VM instructions, charged for Go-side work so that the
// budget, Stop and the deadline are checked however the time is spent.
const (
	// goCallWork is charged for every Go→Lua call made through L.Call or
	// PCall (sort comparators, metamethods, gsub and load callbacks,
	// iterators, coroutine.resume): a Go builtin used as such a callback
	// runs no VM instruction at all.
	goCallWork = 2

	// bytesPerWork is how many bytes a builtin may copy, scan or build for
	// one unit of work. Copying 16 bytes costs less than a VM instruction,
	// but case mapping, number parsing and allocation cost more; measured,
	// string.upper of 1 MB takes about as long as 60,000 instructions.
	bytesPerWork = 16

	// scanBytesPerWork is how many bytes a builtin may only read (plain
	// find, comparing strings) for one unit: memchr and memcmp read about
	// 1 KiB in the time of one VM instruction (measured: a plain find over
	// 100 KB takes about 1.3 µs).
	scanBytesPerWork = 1024

	// copyBytesPerWork is how many bytes a builtin may copy for one unit
	// (a substring, a `..` result).
	copyBytesPerWork = 64

	// slotsPerWork is how many table slots or values a builtin may visit
	// for one unit of work.
	slotsPerWork = 8
)

// Work charges n units of work done by Go code outside the VM (one unit is
// about the time of one VM instruction) to the instruction budget. Every
// 1024 units it takes the slow path: inside running Lua code a pending Stop,
// an exhausted budget or an earlier violation is raised, as the VM does
// between instructions. Between calls (the host's own Go code) the work is
// only counted. Host modules call it in every loop whose length a plugin
// controls.
func (m *Meter) Work(n int64) {
	m.tick -= n
	if m.tick < 0 && m.depth > 0 {
		m.slow(nil)
	}
}

// workBytes charges scanning, copying or building n bytes.
func (m *Meter) workBytes(n int) {
	if n >= bytesPerWork {
		m.Work(int64(n / bytesPerWork))
	}
}

// workScan charges reading n bytes.
func (m *Meter) workScan(n int) {
	if n >= scanBytesPerWork {
		m.Work(int64(n / scanBytesPerWork))
	}
}

// workCopy charges copying n bytes.
func (m *Meter) workCopy(n int) {
	if n >= copyBytesPerWork {
		m.Work(int64(n / copyBytesPerWork))
	}
}

// workSlots charges visiting n table slots or values.
func (m *Meter) workSlots(n int) {
	if n >= slotsPerWork {
		m.Work(int64(n / slotsPerWork))
	}
}

// longString is the length from which comparing strings is charged as work.
const longString = 1024

// compareStrings orders two strings for `<` and `<=`, charging the bytes a
// comparison may read: one instruction can compare two strings of
// megabytes.
func (ls *LState) compareStrings(a, b string) int {
	ls.chargeCompare(a, b)
	return strings.Compare(a, b)
}

// chargeCompare charges comparing two long strings with different data.
func (ls *LState) chargeCompare(a, b string) {
	if ls == nil || ls.meter == nil || len(a) < longString || len(b) < longString {
		return
	}
	if unsafe.StringData(a) != unsafe.StringData(b) {
		ls.meter.workScan(min(len(a), len(b)))
	}
}
