package lua

// heimnetz patch: string.format as C Lua 5.1's str_format. Upstream passed
// the format to Go's fmt.Sprintf, so every Go verb, flag and argument index
// worked: "%T" gave Go type names, "%#v" dumped Go structures with their
// addresses, "%100d" gave fmt's "%!(NOVERB)", "%[1]s" repeated one argument
// while the memory charge counted another. Here only C Lua 5.1's
// conversions (c d i o u x X e E f g G q s and %%) with its flags "-+ #0",
// a width and a precision of at most two digits each are accepted, each
// is formatted with C's rules for its argument, and the whole result is
// sized from the parsed directives and charged before anything is built.

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// formatDirective is one parsed conversion: flags, width and precision
// (-1 when absent) and the conversion letter.
type formatDirective struct {
	minus, plus, space, sharp, zero bool
	width, prec                     int
	conv                            byte
}

// parseDirective reads the directive after a '%' at format[i:] as lstrlib's
// scanformat does and returns it and the index after its conversion
// letter. It raises C Lua's errors.
func (ls *LState) parseDirective(format string, i int) (formatDirective, int) {
	d := formatDirective{prec: -1}
	start := i
	for i < len(format) && strings.IndexByte("-+ #0", format[i]) >= 0 {
		switch format[i] {
		case '-':
			d.minus = true
		case '+':
			d.plus = true
		case ' ':
			d.space = true
		case '#':
			d.sharp = true
		case '0':
			d.zero = true
		}
		i++
	}
	if i-start >= 6 { // sizeof(FLAGS) in lstrlib.c
		ls.RaiseError("invalid format (repeated flags)")
	}
	digits := func() int {
		n := 0
		for k := 0; k < 2 && i < len(format) && isDigit(format[i]); k++ {
			n = n*10 + int(format[i]-'0')
			i++
		}
		return n
	}
	d.width = digits()
	if i < len(format) && format[i] == '.' {
		i++
		d.prec = digits()
	}
	if i < len(format) && isDigit(format[i]) {
		ls.RaiseError("invalid format (width or precision too long)")
	}
	if i >= len(format) {
		ls.RaiseError("%s", "invalid option '%' to 'format'")
	}
	d.conv = format[i]
	if strings.IndexByte("cdiouxXeEfgGqs", d.conv) < 0 {
		ls.RaiseError("invalid option '%%%c' to 'format'", d.conv)
	}
	return d, i + 1
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// formatBound is an upper bound of the bytes directive d writes for an
// argument of length n (strings; numbers are bounded by d alone).
func (d formatDirective) bound(n int) int64 {
	prec := int64(d.prec)
	if prec < 0 {
		prec = 6
	}
	var core int64
	switch d.conv {
	case 'c':
		core = 1
	case 'd', 'i', 'o', 'u', 'x', 'X':
		core = max(int64(d.prec), 22) + 2 // 22 octal digits of 2^64, sign or 0x
	case 'e', 'E', 'g', 'G':
		core = prec + 16 // sign, digit, point, "e+308", "0.000" of %g
	case 'f':
		core = prec + 312 // 309 integer digits of 1e308, sign, point
	case 's':
		core = int64(n)
		if d.prec >= 0 && int64(d.prec) < core {
			core = int64(d.prec)
		}
	case 'q':
		return 4*int64(n) + 2 // NUL becomes \000
	}
	return max(core, int64(d.width))
}

// strFormatC is string.format: arguments are checked in order as C Lua
// checks them, the result is sized and charged in a first pass, built in
// a second.
func (ls *LState) strFormatC() LString {
	format := ls.CheckString(1)
	top := ls.GetTop()
	// First pass: the same checks and errors as C Lua, in its order, and
	// an upper bound of the result.
	size := int64(0)
	arg := 1
	for i := 0; i < len(format); {
		if format[i] != '%' {
			size++
			i++
			continue
		}
		if i+1 < len(format) && format[i+1] == '%' {
			size++
			i += 2
			continue
		}
		arg++
		if arg > top {
			ls.ArgError(arg, "no value")
		}
		d, next := ls.parseDirective(format, i+1)
		i = next
		n := 0
		switch d.conv {
		case 'c', 'd', 'i', 'o', 'u', 'x', 'X', 'e', 'E', 'f', 'g', 'G':
			ls.CheckNumber(arg)
		case 'q', 's':
			n = len(ls.CheckString(arg))
		}
		if d.conv == 's' && d.prec < 0 && n >= 100 {
			size += int64(n) // C adds the whole string unformatted
		} else {
			size += d.bound(n)
		}
	}
	if ls.meter != nil {
		ls.chargeString(2 * size) // the builder and the result string
	}
	var b strings.Builder
	b.Grow(int(size))
	arg = 1
	for i := 0; i < len(format); {
		if format[i] != '%' {
			b.WriteByte(format[i])
			i++
			continue
		}
		if i+1 < len(format) && format[i+1] == '%' {
			b.WriteByte('%')
			i += 2
			continue
		}
		arg++
		d, next := ls.parseDirective(format, i+1)
		i = next
		switch d.conv {
		case 'c':
			// (int) of the number; C writes it with sprintf and keeps what
			// comes before a NUL.
			c := byte(numberToInt32(ls.CheckNumber(arg)))
			b.WriteString(cutAtNUL(d.pad(string([]byte{c}), false)))
		case 'd', 'i':
			v := numberToInt64(ls.CheckNumber(arg))
			mag := uint64(v)
			if v < 0 {
				mag = -mag
			}
			b.WriteString(d.integer(v < 0, mag, 10))
		case 'o':
			b.WriteString(d.integer(false, numberToUint64(ls.CheckNumber(arg)), 8))
		case 'u':
			b.WriteString(d.integer(false, numberToUint64(ls.CheckNumber(arg)), 10))
		case 'x', 'X':
			b.WriteString(d.integer(false, numberToUint64(ls.CheckNumber(arg)), 16))
		case 'e', 'E', 'f', 'g', 'G':
			b.WriteString(d.float(float64(ls.CheckNumber(arg))))
		case 'q':
			b.WriteString(quoteLua(ls.CheckString(arg)))
		case 's':
			s := ls.CheckString(arg)
			if d.prec < 0 && len(s) >= 100 {
				b.WriteString(s)
				continue
			}
			s = cutAtNUL(s)
			if d.prec >= 0 && d.prec < len(s) {
				s = s[:d.prec]
			}
			b.WriteString(d.pad(s, false))
		}
	}
	return LString(b.String())
}

// pad pads s to the directive's width: on the right with '-', else with
// zeros after any sign or 0x when zeros is set, else with spaces on the
// left.
func (d formatDirective) pad(s string, zeros bool) string {
	if len(s) >= d.width {
		return s
	}
	fill := d.width - len(s)
	switch {
	case d.minus:
		return s + strings.Repeat(" ", fill)
	case zeros:
		k := 0
		if k < len(s) && (s[k] == '-' || s[k] == '+' || s[k] == ' ') {
			k++
		}
		if k+1 < len(s) && s[k] == '0' && (s[k+1] == 'x' || s[k+1] == 'X') {
			k += 2
		}
		return s[:k] + strings.Repeat("0", fill) + s[k:]
	}
	return strings.Repeat(" ", fill) + s
}

// integer formats mag (negated when neg) in base as C's %d %o %u %x %X.
func (d formatDirective) integer(neg bool, mag uint64, base int) string {
	digits := strconv.FormatUint(mag, base)
	if d.conv == 'X' {
		digits = strings.ToUpper(digits)
	}
	if d.prec == 0 && mag == 0 {
		digits = ""
	}
	if d.prec > len(digits) {
		digits = strings.Repeat("0", d.prec-len(digits)) + digits
	}
	prefix := ""
	switch d.conv {
	case 'd', 'i':
		switch {
		case neg:
			prefix = "-"
		case d.plus:
			prefix = "+"
		case d.space:
			prefix = " "
		}
	case 'o':
		if d.sharp && (digits == "" || digits[0] != '0') {
			digits = "0" + digits
		}
	case 'x', 'X':
		if d.sharp && mag != 0 {
			prefix = "0" + string(d.conv)
		}
	}
	return d.pad(prefix+digits, d.zero && d.prec < 0)
}

// float formats f as C's %e %E %f %g %G; infinities and NaN as glibc
// writes them ("inf", "-nan", upper case for E and G, never zero-padded).
func (d formatDirective) float(f float64) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		s := "inf"
		if math.IsNaN(f) {
			s = "nan"
		}
		if d.conv == 'E' || d.conv == 'G' {
			s = strings.ToUpper(s)
		}
		switch {
		case math.Signbit(f):
			s = "-" + s
		case d.plus:
			s = "+" + s
		case d.space:
			s = " " + s
		}
		return d.pad(s, false)
	}
	prec := d.prec
	if prec < 0 {
		prec = 6 // C's default; Go's %g default is the shortest form
	}
	// The flags, width and precision are C's and were validated, and Go's
	// fmt gives these five conversions C's meaning for finite numbers.
	verb := "%"
	for _, fl := range []struct {
		on bool
		c  string
	}{{d.minus, "-"}, {d.plus, "+"}, {d.space, " "}, {d.sharp, "#"}, {d.zero, "0"}} {
		if fl.on {
			verb += fl.c
		}
	}
	if d.width > 0 {
		verb += strconv.Itoa(d.width)
	}
	return fmt.Sprintf(verb+"."+strconv.Itoa(prec)+string(d.conv), f)
}

// cutAtNUL returns s up to its first NUL byte: C's sprintf output is
// added with strlen.
func cutAtNUL(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

// numberToInt64 is C's (long) of a double on amd64: NaN and values
// outside the range give the most negative value.
func numberToInt64(n LNumber) int64 {
	f := float64(n)
	if f != f || f >= math.MaxInt64 || f < math.MinInt64 {
		return math.MinInt64
	}
	return int64(f)
}

// numberToUint64 is gcc's (unsigned long) of a double on amd64: values
// from 2^63 to 2^64 convert exactly, 2^64 and more give 0, and the rest go
// through the signed conversion.
func numberToUint64(n LNumber) uint64 {
	f := float64(n)
	switch {
	case f != f:
		return 1 << 63
	case f >= 1<<64:
		return 0
	case f >= 1<<63:
		return uint64(f)
	}
	return uint64(numberToInt64(n))
}

// numberToInt32 is C's (int) of a double on amd64.
func numberToInt32(n LNumber) int32 {
	f := float64(n)
	if f != f || f >= math.MaxInt32+1 || f < math.MinInt32 {
		return math.MinInt32
	}
	return int32(f)
}
