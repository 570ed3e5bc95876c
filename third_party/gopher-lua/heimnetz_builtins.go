package lua

// heimnetz patch: builtins that allocate in proportion to their arguments
// charge the meter before allocating (see PATCHES.md).

import (
	"io"
	"math"
	"strings"
)

// chargeBatch is how many bytes a growing result may add before they are
// charged; it bounds the overshoot of gsub's incremental charges.
const chargeBatch = 64 * 1024

// chargeString charges a string of n bytes about to be built; n < 0 means
// the size overflowed an int, which no cap admits.
func (ls *LState) chargeString(n int64) {
	if n < 0 || n > math.MaxInt64-stringHdrBytes {
		ls.meter.violate(ErrMemoryLimit)
	}
	ls.meter.charge(n + stringHdrBytes)
	ls.meter.workBytes(int(min(n, math.MaxInt32))) // heimnetz patch 9: building it is work
}

// repSize returns len(s)*n, or -1 if it overflows an int.
func repSize(slen, n int) int64 {
	if n <= 0 || slen == 0 {
		return 0
	}
	if slen > math.MaxInt/n {
		return -1
	}
	return int64(slen) * int64(n)
}

// chargeCaseMap charges string.upper/lower of s: the ASCII case map keeps
// the length (patch 13; upstream's UTF-8 mapping could triple it).
func (ls *LState) chargeCaseMap(s string) {
	ls.chargeString(int64(len(s)))
}

// checkResults raises an error when a builtin is asked to push n results,
// more than the data stack can ever hold, before it pushes any of them.
func (ls *LState) checkResults(n int64, what string) {
	room := int64(ls.reg.maxSize)
	if c := int64(cap(ls.reg.array)); c > room {
		room = c
	}
	room -= int64(ls.reg.Top())
	if n > room {
		ls.RaiseError("too many results to %s (%d, room for %d)", what, n, room)
	}
}

// chargeMoves charges moving n table elements (table.insert/remove in the
// middle) against the instruction budget: 8 moves per instruction.
func (ls *LState) chargeMoves(n int) {
	if n > 0 {
		ls.meter.steps(int64(n)/8 + 1)
	}
}

// chargeSort charges sorting n elements without a Lua comparator (which is
// counted by the VM) against the instruction budget.
func (ls *LState) chargeSort(n int) {
	if n > 1 {
		ls.meter.steps(int64(n) * int64(bitLen(n)) / 4)
	}
}

func bitLen(n int) int {
	b := 0
	for ; n > 0; n >>= 1 {
		b++
	}
	return b
}

// tableConcatMetered is table.concat (patch 4 for a metered state, patch
// 13 for every state): it sizes and charges the result before building
// it, and builds it without pushing every element on the data stack.
func tableConcatMetered(L *LState, tbl *LTable, sep string, i, j int) LString {
	// The loops stop at k == j, not k > j, so j = maxint cannot wrap; the
	// first missing element ends them long before on any real table.
	size := int64(0)
	for k := i; ; k++ {
		switch v := tbl.RawGetInt(k).(type) {
		case LString:
			size += int64(len(v))
		case LNumber:
			size += 24
		default:
			L.RaiseError("invalid value (%s) at index %d in table for 'concat'", v.Type().String(), k)
		}
		if k == j {
			break
		}
		size += int64(len(sep))
	}
	if L.meter != nil {
		L.meter.workSlots(j - i + 1) // heimnetz patch 9: the elements visited
		L.chargeString(size)
	}
	var b strings.Builder
	b.Grow(int(size))
	for k := i; ; k++ {
		b.WriteString(LVAsString(tbl.RawGetInt(k)))
		if k == j {
			break
		}
		b.WriteString(sep)
	}
	return LString(b.String())
}

// gsubCharger holds the replacement pieces of a gsub as they are made, in
// batches of chargeBatch bytes; done releases them.
type gsubCharger struct {
	L       *LState
	pending int64
	held    int64
}

func (g *gsubCharger) add(n int) {
	if g.L.meter == nil {
		return
	}
	g.pending += int64(n)
	if g.pending >= chargeBatch {
		g.L.meter.hold(g.pending)
		g.held += g.pending
		g.pending = 0
	}
}

func (g *gsubCharger) done() {
	if g.held != 0 {
		g.L.meter.release(g.held)
	}
}

// gsubReplace builds str with each info's span replaced in one pass
// (upstream copied the whole buffer per replacement, quadratic in the
// number of matches), charging the result before it is built.
func gsubReplace(L *LState, str string, info []replaceInfo) string {
	size := int64(len(str))
	for _, r := range info {
		size += int64(len(r.String)) - int64(r.Indicies[1]-r.Indicies[0])
	}
	if L.meter != nil {
		L.chargeString(size)
	}
	var b strings.Builder
	b.Grow(int(size))
	prev := 0
	for _, r := range info {
		b.WriteString(str[prev:r.Indicies[0]])
		b.WriteString(r.String)
		prev = r.Indicies[1]
	}
	b.WriteString(str[prev:])
	return b.String()
}

// sourceFactor estimates the parser's and compiler's temporary bytes per
// byte of source.
const sourceFactor = 12

// chargeSource charges the temporaries of compiling a source read from
// reader when its size is known, and returns the bytes to release after.
func (ls *LState) chargeSource(reader io.Reader) int64 {
	sr, ok := reader.(*strings.Reader)
	if !ok {
		return 0
	}
	n := int64(sr.Len()) * sourceFactor
	ls.meter.hold(n)
	return n
}

// hold charges n bytes that a Go builtin allocates and keeps in Go
// variables (so Recount cannot see them) until it calls release.
func (m *Meter) hold(n int64) {
	m.charge(n)
	m.held += n
}

// release returns bytes charged with hold.
func (m *Meter) release(n int64) {
	m.held -= n
	m.inUse -= n
}

// Held returns the bytes currently held by running Go builtins (0 between
// calls).
func (m *Meter) Held() int64 {
	return m.held
}
