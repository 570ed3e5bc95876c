package lua

// heimnetz patch: builtin arguments converted as C Lua 5.1 converts them,
// defined for every input. Upstream converted numbers to Go ints with
// int(f), whose result for NaN, infinities and values past ±2^63 is
// implementation-defined (and differs between amd64, arm and mips), and
// then computed string positions that could overflow into Go slice
// panics ("runtime error: slice bounds out of range") shown to the plugin.

import (
	"math"
)

// numberToInt converts n as luaL_checkinteger does in Debian's lua5.1 on
// amd64 (the reference the differential test compares with), and the same
// on every platform: truncation toward zero to 64 bits, where NaN,
// infinities and values outside ±2^63 give the most negative value, as
// amd64's conversion instruction does for C; on a 32-bit platform the
// result is then saturated to the int range, so 2^40 stays a huge positive
// position or count (as on amd64) instead of wrapping or turning negative.
func numberToInt(n LNumber) int {
	f := float64(n)
	var v int64
	if f != f || f >= math.MaxInt64 || f < math.MinInt64 {
		v = math.MinInt64
	} else {
		v = int64(f)
	}
	switch {
	case v > math.MaxInt:
		return math.MaxInt
	case v < math.MinInt:
		return math.MinInt
	}
	return int(v)
}

// numberArg returns argument v as a number, converting a numeric string
// as luaL_checknumber does.
func numberArg(v LValue) (LNumber, bool) {
	switch lv := v.(type) {
	case LNumber:
		return lv, true
	case LString:
		if f, ok := parseLuaNumber(string(lv)); ok {
			return LNumber(f), true
		}
	}
	return 0, false
}

// posrelat is lstrlib's posrelat: a negative position counts from the end
// of a string of length l; the result is never negative. pos+l+1 cannot
// overflow for a negative pos.
func posrelat(pos, l int) int {
	if pos < 0 {
		pos += l + 1
	}
	if pos < 0 {
		return 0
	}
	return pos
}

// initArg is the 0-based start of string.find and string.match from
// argument n (default 1), clamped to [0, l] as C Lua 5.1 clamps it.
func (ls *LState) initArg(n, l int) int {
	init := posrelat(ls.OptInt(n, 1), l) - 1
	if init < 0 {
		return 0
	}
	if init > l {
		return l
	}
	return init
}

// asciiCase maps the ASCII letters of s with delta (C's toupper/tolower in
// the C locale); other bytes are kept as they are.
func asciiCase(s string, from, to byte) string {
	b := []byte(s)
	for i, c := range b {
		if c >= from && c <= from+25 {
			b[i] = c - from + to
		}
	}
	return string(b)
}

// parseUnsigned reads s as tonumber(s, base) does in C Lua 5.1 (strtoul
// followed by a check that only white space is left): optional white
// space and sign, "0x" allowed in base 16, at least one digit; a value
// past 64 bits saturates as strtoul's ULONG_MAX. A minus sign negates the
// number (upstream's copy of the Lua 5.1 tests expects tonumber("-10",
// 36) == -36); C Lua 5.1 on a 64-bit host gives 2^64-36 there.
func parseUnsigned(s string, base int) (float64, bool) {
	i := 0
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	if base == 16 && i+1 < len(s) && s[i] == '0' && (s[i+1] == 'x' || s[i+1] == 'X') && i+2 < len(s) && digitValue(s[i+2]) < 16 {
		i += 2
	}
	var n uint64
	over := false
	digits := 0
	for ; i < len(s); i++ {
		d := digitValue(s[i])
		if d >= base {
			break
		}
		digits++
		if n > (math.MaxUint64-uint64(d))/uint64(base) {
			over = true
		}
		n = n*uint64(base) + uint64(d)
	}
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	if digits == 0 || i != len(s) {
		return 0, false
	}
	if over {
		return math.MaxUint64, true
	}
	if neg && n != 0 { // strtoul's "-0" is 0, not -0
		return -float64(n), true
	}
	return float64(n), true
}

func digitValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	}
	return 99
}

func isCSpace(c byte) bool {
	return c == ' ' || (c >= '\t' && c <= '\r')
}

// goPanicMessage is the Lua error a plugin sees when Go code under a
// pcall, a resume or the host's call panicked with something other than a
// Lua error. A string panic is a message a Go function chose (upstream's
// tests rely on it) and is kept; anything else, above all a Go runtime
// error ("slice bounds out of range", "invalid memory address", Go type
// names, addresses), becomes a neutral message: it would tell a plugin
// about the host and no Lua program can act on it. The builtins check
// their arguments, so this is a last line of defence, and the tests treat
// the message as a failure.
func goPanicMessage(rcv interface{}) string {
	if s, ok := rcv.(string); ok {
		return s
	}
	return "internal error in a builtin function"
}
