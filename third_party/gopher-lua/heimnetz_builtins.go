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

// maxFormatWidth mirrors fmt's own limit on widths and precisions: larger
// values are rejected by fmt, so they cost nothing.
const maxFormatWidth = 1e6

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

// formatSize estimates an upper bound of the output of string.format(format,
// args...) as run by fmt.Sprintf: the format's bytes plus, per directive,
// its width and precision and the size of its argument.
func formatSize(format string, args []LValue) int64 {
	size := int64(len(format))
	argi := 0
	nextArg := func() LValue {
		if argi < len(args) {
			argi++
			return args[argi-1]
		}
		return LNil
	}
	number := func(i int) (int, int64) {
		var n int64
		if i < len(format) && format[i] == '*' {
			nextArg()
			return i + 1, maxFormatWidth
		}
		for i < len(format) && format[i] >= '0' && format[i] <= '9' {
			if n <= maxFormatWidth {
				n = n*10 + int64(format[i]-'0')
			}
			i++
		}
		if n > maxFormatWidth {
			n = 0 // fmt refuses it
		}
		return i, n
	}
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		if i < len(format) && format[i] == '%' {
			continue
		}
		for i < len(format) && strings.IndexByte("-+ #0", format[i]) >= 0 {
			i++
		}
		var width, prec int64
		i, width = number(i)
		if i < len(format) && format[i] == '.' {
			i, prec = number(i + 1)
		}
		for i < len(format) && format[i] == '[' { // fmt's explicit argument index
			for i < len(format) && format[i] != ']' {
				i++
			}
			i++
		}
		verb := byte('v')
		if i < len(format) {
			verb = format[i]
		}
		size += width + prec + argFormatSize(nextArg(), verb)
	}
	return size
}

// argFormatSize bounds the formatted size of one argument.
func argFormatSize(v LValue, verb byte) int64 {
	switch lv := v.(type) {
	case LString:
		n := int64(len(lv))
		switch verb {
		case 'q':
			return 4*n + 2 // \xNN per byte at worst
		case 'x', 'X':
			return 2 * n
		}
		return n
	case LNumber:
		return 330 // %f of 1e308
	}
	return 64
}

// chargeFormat charges string.format's result before fmt builds it.
func (ls *LState) chargeFormat(format string, top int) {
	args := make([]LValue, 0, top)
	for i := 2; i <= top; i++ {
		args = append(args, ls.Get(i))
	}
	ls.chargeString(formatSize(format, args))
}

// chargeCaseMap charges strings.ToUpper/ToLower of s: invalid UTF-8 bytes
// become 3-byte replacement runes.
func (ls *LState) chargeCaseMap(s string) {
	n := int64(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			n *= 3
			break
		}
	}
	ls.chargeString(n)
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

// tableConcatMetered is table.concat for a metered state: it sizes and
// charges the result before building it, and builds it without pushing
// every element on the data stack.
func tableConcatMetered(L *LState, tbl *LTable, sep string, i, j int) LString {
	size := int64(j-i) * int64(len(sep))
	L.meter.workSlots(j - i + 1) // heimnetz patch 9
	for k := i; k <= j; k++ {
		switch v := tbl.RawGetInt(k).(type) {
		case LString:
			size += int64(len(v))
		case LNumber:
			size += 24
		default:
			L.RaiseError("invalid value (%s) at index %d in table for concat", v.Type().String(), k)
		}
	}
	L.chargeString(size)
	var b strings.Builder
	b.Grow(int(size))
	for k := i; k <= j; k++ {
		b.WriteString(LVAsString(tbl.RawGetInt(k)))
		if k != j {
			b.WriteString(sep)
		}
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
