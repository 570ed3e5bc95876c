package lua

// heimnetz patch: numbers and quoted strings as C Lua 5.1 writes them.
// Plugin output (log lines, metric labels, JSON) should read the same
// under heimnetz as under lua5.1; upstream used Go's formatting.

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// formatNumber renders f as C Lua 5.1's LUAI_NUMFFORMAT "%.14g" does,
// with "inf", "-inf", "nan" and "-nan" as glibc prints them.
func formatNumber(f float64) string {
	switch {
	case math.IsNaN(f) && math.Signbit(f):
		return "-nan" // glibc shows NaN's sign bit (x86 sets it on 0/0)
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case f == 0 && math.Signbit(f):
		return "-0" // as lua5.1 prints -0 (tostring(-0), math.modf(-1))
	case f == math.Trunc(f) && math.Abs(f) < 1e14:
		// Whole numbers with at most 14 digits print without exponent.
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'g', 14, 64)
}

// quoteLua renders s as C Lua 5.1's string.format("%q") does: in double
// quotes, with ", \ and newline escaped by a backslash (the newline kept),
// carriage return as \r and NUL as \000.
func quoteLua(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\\', '\n':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\r':
			b.WriteString(`\r`)
		case 0:
			b.WriteString(`\000`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// formatG applies C's default precision of 6 to %g and %G when the format
// gives none (Go's default is the shortest exact form).
func formatG(v float64, f fmt.State, c rune) {
	if _, ok := f.Precision(); ok {
		defaultFormat(v, f, c)
		return
	}
	format := "%"
	for _, flag := range "+- #0" {
		if f.Flag(int(flag)) {
			format += string(flag)
		}
	}
	if w, ok := f.Width(); ok {
		format += strconv.Itoa(w)
	}
	fmt.Fprintf(f, format+".6"+string(c), v)
}

// parseLuaNumber converts a string as C Lua 5.1's tonumber does without a
// base, which is what glibc's strtod reads: decimal with optional fraction
// and exponent, hexadecimal with 0x (with a fraction or a p exponent too),
// "inf", "infinity" and "nan" in any case with a sign (patch 13: Debian's
// lua5.1 reads them); surrounding white space is allowed. It refuses
// Go-only forms (digit separators, "0b", "0o").
func parseLuaNumber(s string) (float64, bool) {
	s = strings.Trim(s, " \t\n\r\f\v")
	if s == "" {
		return 0, false
	}
	body := strings.TrimLeft(s, "+-")
	if len(s)-len(body) > 1 {
		return 0, false
	}
	neg := s[0] == '-'
	switch strings.ToLower(body) {
	case "inf", "infinity":
		if neg {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	case "nan":
		if neg {
			return math.Copysign(math.NaN(), -1), true
		}
		return math.NaN(), true
	}
	if len(body) > 2 && (body[:2] == "0x" || body[:2] == "0X") {
		if strings.ContainsAny(body, ".pP") {
			hex := body
			if !strings.ContainsAny(hex, "pP") {
				hex += "p0"
			}
			if strings.Contains(hex, "_") { // Go's digit separators
				return 0, false
			}
			v, err := strconv.ParseFloat(hex, 64)
			if err != nil && !strings.Contains(err.Error(), "value out of range") {
				return 0, false
			}
			if neg {
				v = -v
			}
			return v, true
		}
		v, err := strconv.ParseUint(body[2:], 16, 64)
		if err != nil {
			return 0, false
		}
		if s[0] == '-' {
			return -float64(v), true
		}
		return float64(v), true
	}
	for _, r := range body {
		if !(r >= '0' && r <= '9' || r == '.' || r == 'e' || r == 'E' || r == '+' || r == '-') {
			return 0, false
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil && !strings.Contains(err.Error(), "value out of range") {
		return 0, false
	}
	return v, true
}
