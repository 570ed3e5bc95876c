package lua

// heimnetz patch: memory accounting (see PATCHES.md).

import "unsafe"

// Estimated sizes in bytes of the Go objects behind Lua values (64-bit;
// smaller on 32-bit targets, so the estimate errs on the high side there).
const (
	slotBytes      = 16 // one LValue interface slot
	stringHdrBytes = 16 // the boxed string header of an LString in a slot
	// numberBytes is what one LNumber held in a slot keeps alive: its
	// float64 lives in a 16-byte allocation, two to a block from a metered
	// state's allocator (patch 23) or a Go tiny block when Go boxes it.
	numberBytes    = 16
	hashEntryBytes = 96 // one new key: map entry, keys slot and k2i entry
	// reservedEntryBytes is a key slot a table was made with room for and
	// has not used: its map slot and its patch 18 order slot.
	reservedEntryBytes = 64
	mapBaseBytes       = 48 // an empty map header
	stateBytes         = 512
	frameBytes         = int64(unsafe.Sizeof(callFrame{}))

	// smallString is the length from which strings pushed by Go builtins
	// are charged and from which Recount dedupes strings by data pointer.
	smallString = 32

	// tightRecounts is how many recounts in a row may leave less than
	// 1/32 of the cap free before the state counts as out of memory: a
	// program living at its cap would otherwise recount forever.
	tightRecounts = 8
)

// The structs' sizes follow the structs (heimnetz patches add fields to
// LTable and LFunction), rounded up to the Go allocator's size class, and
// never below the 64-bit figures these estimates started from.
var (
	tableBytes    = objectBytes(unsafe.Sizeof(LTable{}), 96)
	functionBytes = objectBytes(unsafe.Sizeof(LFunction{}), 80)
	upvalueBytes  = objectBytes(unsafe.Sizeof(Upvalue{}), 48)
	userDataBytes = objectBytes(unsafe.Sizeof(LUserData{}), 64) // not counting its Go value
	protoBytes    = objectBytes(unsafe.Sizeof(FunctionProto{}), 160)
)

// sizeClasses are the Go allocator's object sizes up to 1 KiB.
var sizeClasses = [...]uintptr{8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160,
	176, 192, 208, 224, 240, 256, 288, 320, 352, 384, 416, 448, 480, 512,
	576, 640, 704, 768, 896, 1024}

// objectBytes is the allocation an object of n bytes takes, at least floor.
func objectBytes(n uintptr, floor int64) int64 {
	size := (n + 127) &^ 127 // past the table: a multiple of 128, an upper bound
	for _, c := range sizeClasses {
		if n <= c {
			size = c
			break
		}
	}
	return max(int64(size), floor)
}

// SetMemoryLimit sets the cap in bytes on the estimated size of the state's
// Lua values; 0 means no cap (charges are still counted).
func (m *Meter) SetMemoryLimit(n int64) {
	if n < 0 {
		n = 0
	}
	m.memLimit = n
}

// MemoryInUse returns the live bytes found by the last Recount plus the
// bytes charged since.
func (m *Meter) MemoryInUse() int64 {
	return m.inUse
}

// Peak returns the highest MemoryInUse seen since the last ResetPeak.
func (m *Meter) Peak() int64 {
	return m.peak
}

// ResetPeak starts a new peak measurement at the current MemoryInUse.
func (m *Meter) ResetPeak() {
	m.peak = m.inUse
}

// Recounts returns how many recounts the meter has made.
func (m *Meter) Recounts() int64 {
	return m.recounts
}

// Charge charges n bytes that the caller is about to allocate on behalf of
// the Lua code running in ls. If the total would exceed the cap, it recounts
// the live values first; if it is still over, it raises ErrMemoryLimit
// (uncatchable) when Lua code is running, and only records the bytes when
// called outside a running call.
func (m *Meter) Charge(ls *LState, n int64) {
	if m.main == nil {
		m.main = ls
	}
	m.charge(n)
}

// charge accounts n bytes about to be allocated.
func (m *Meter) charge(n int64) {
	m.inUse += n
	if m.memLimit > 0 && m.inUse > m.memLimit {
		m.overLimit(n)
	}
	if m.inUse > m.peak {
		m.peak = m.inUse
	}
}

// chargeLive accounts n bytes already allocated and reachable from the
// state, so a recount sees them.
func (m *Meter) chargeLive(n int64) {
	m.inUse += n
	if m.memLimit > 0 && m.inUse > m.memLimit {
		m.overLimit(0)
	}
	if m.inUse > m.peak {
		m.peak = m.inUse
	}
}

// overLimit runs when the charged total passes the cap; pending is the part
// of the charge not yet allocated (so not found by a recount). It recounts
// and raises ErrMemoryLimit if the state is still over the cap, or has been
// recounting with little room left too often in a row. Outside a running
// call the host is not protected by a PCall, so the bytes are only recorded.
func (m *Meter) overLimit(pending int64) {
	if m.recounting || m.main == nil || m.main.stack == nil {
		return
	}
	if pending <= m.memLimit {
		m.Recount(m.main)
		m.inUse += pending
		if m.memLimit-m.inUse < m.memLimit/32 {
			m.tight++
		} else {
			m.tight = 0
		}
		if m.inUse <= m.memLimit && m.tight < tightRecounts {
			return
		}
	}
	if m.depth > 0 {
		m.inUse -= pending
		m.violate(ErrMemoryLimit)
	}
}

// chargeSlots charges the array growth of an append to a slice of capacity
// cap, following the growth rule of Go's append.
func (m *Meter) chargeSlots(cap int) {
	grow := cap
	if cap >= 256 {
		grow = (cap + 3*256) / 4
	}
	if grow < 4 {
		grow = 4
	}
	m.charge(int64(grow) * slotBytes)
}

// newTableBytes estimates a new table with the given size hints.
func newTableBytes(acap, hcap int) int64 {
	n := int64(tableBytes)
	if acap > 0 {
		n += int64(acap) * slotBytes
	}
	if hcap > 0 {
		n += mapBaseBytes + int64(hcap)*reservedEntryBytes
	}
	return n
}

// newTable creates a table, charging it to the meter and making the meter
// its owner so its growth is charged too.
func (ls *LState) newTable(acap, hcap int) *LTable {
	m := ls.meter
	if m == nil {
		return newLTable(acap, hcap)
	}
	m.charge(newTableBytes(acap, hcap))
	tb := newLTable(acap, hcap)
	tb.meter = m
	return tb
}

// closureBytes estimates a Lua closure of proto with its upvalues.
func closureBytes(proto *FunctionProto) int64 {
	return functionBytes + int64(proto.NumUpvalues)*(8+upvalueBytes)
}

// threadBytes estimates a coroutine thread: the LState, its data stack and
// its call stack (counted at its maximum even when it grows on demand).
func threadBytes(regCap, callStack int) int64 {
	return stateBytes + int64(regCap)*slotBytes + int64(callStack)*frameBytes
}

// chargeThread charges a new thread created from ls before it is allocated.
func (m *Meter) chargeThread(ls *LState) {
	m.charge(threadBytes(ls.Options.RegistrySize, ls.Options.CallStackSize))
}

// chargePush charges a long string pushed by a Go function; it runs after
// the push, so a recount finds the string on the stack.
func (m *Meter) chargePush(value LValue) {
	if s, ok := value.(LString); ok && len(s) >= smallString {
		m.chargeLive(int64(len(s)) + stringHdrBytes)
	}
}

// chargeConcat charges the result of concatenating parts before it is built.
func (m *Meter) chargeConcat(parts []string) {
	var n int64 = stringHdrBytes
	for _, p := range parts {
		n += int64(len(p))
	}
	m.charge(n)
	m.workCopy(int(min(n, 1<<31))) // heimnetz patch 9
}

// protoSize estimates one compiled function without its constants' values.
func protoSize(p *FunctionProto) int64 {
	return protoBytes + int64(len(p.SourceName)) +
		int64(cap(p.Code))*4 + int64(cap(p.Constants))*slotBytes +
		int64(cap(p.stringConstants))*16 + int64(cap(p.DbgSourcePositions))*8 +
		int64(len(p.DbgLocals))*48 + int64(len(p.DbgCalls))*24 +
		int64(len(p.DbgUpvalues))*16 + int64(cap(p.FunctionPrototypes))*8
}

// chargeProto charges a freshly compiled chunk with its nested functions and
// string constants.
func (m *Meter) chargeProto(p *FunctionProto) {
	var n int64
	protos := []*FunctionProto{p}
	for len(protos) > 0 {
		p := protos[len(protos)-1]
		protos = protos[:len(protos)-1]
		n += protoSize(p)
		for _, c := range p.Constants {
			if s, ok := c.(LString); ok {
				n += stringHdrBytes + int64(len(s))
			}
		}
		protos = append(protos, p.FunctionPrototypes...)
	}
	m.chargeLive(n)
}

// chargeArraySet charges setting index (0-based) of an array of length
// alen and capacity acap: the appended slots, including a gap of nils,
// before any is appended, so one assignment cannot allocate past the cap.
func (m *Meter) chargeArraySet(index, alen, acap int) {
	if index == alen {
		if alen == acap {
			m.chargeSlots(acap)
		}
		return
	}
	m.charge(int64(index-alen+1) * slotBytes)
}

// credit gives back n bytes charged for memory the state no longer holds
// (heimnetz patch 15: keys a table dropped); a recount would not find them.
func (m *Meter) credit(n int64) {
	m.inUse -= n
	if m.inUse < 0 {
		m.inUse = 0
	}
}
