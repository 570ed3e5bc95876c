package luaplugins

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	lua "github.com/yuin/gopher-lua"
)

// Estimated bytes of a decoded value kept by the state, charged to the
// plugin's meter before the value is made; the same figures the meter's
// recount uses, so a recount in the middle of a decode agrees with them.
const (
	jsonStringBytes = 16 // string header in a slot
	jsonNumberBytes = 8  // boxed float64 in a slot
)

// deadlineEvery is how many values json.decode and json.encode handle
// between two checks of the call's deadline.
const deadlineEvery = 1024

// errJSONSyntax marks text that is not JSON.
var errJSONSyntax = errors.New("invalid JSON")

// jsonDecoder parses JSON text straight into Lua values. Unlike decoding
// with encoding/json and converting afterwards, every table and string is
// charged to the plugin's memory meter as it is made and is reachable from
// the Lua stack from then on (the root is pushed first, each child is set
// into its parent before it is filled), so a recount during the decode
// sees the partial result and a crafted document stops at the memory cap
// instead of building a Go copy of itself first. Strings are copies, never
// slices of the plugin's text.
type jsonDecoder struct {
	L        *lua.LState
	host     *Host // for the call's deadline; nil outside a plugin
	values   int   // values decoded, for the deadline check
	meter    *lua.Meter
	text     string
	pos      int
	maxDepth int
	buf      []byte // scratch for strings with escapes
}

// decodeJSON parses text and pushes the value it holds onto L's stack.
func decodeJSON(L *lua.LState, h *Host, text string, maxDepth int) error {
	d := &jsonDecoder{L: L, host: h, meter: L.Meter(), text: text, maxDepth: maxDepth}
	d.space()
	top := L.GetTop()
	if err := d.root(); err != nil {
		L.SetTop(top)
		return err
	}
	d.space()
	if d.pos < len(d.text) {
		L.SetTop(top)
		return d.errorf("text continues after the first value")
	}
	return nil
}

// charge charges n bytes about to be made for the plugin.
func (d *jsonDecoder) charge(n int) {
	if d.meter != nil {
		d.meter.Charge(d.L, int64(n))
	}
}

func (d *jsonDecoder) errorf(format string, args ...any) error {
	return fmt.Errorf("%w at byte %d: %s", errJSONSyntax, d.pos, fmt.Sprintf(format, args...))
}

// root pushes the top-level value: a container is pushed empty and then
// filled, so everything decoded is reachable while the decode runs.
func (d *jsonDecoder) root() error {
	if d.pos >= len(d.text) {
		return d.errorf("unexpected end of text")
	}
	switch d.text[d.pos] {
	case '[', '{':
		t := d.newTable()
		d.L.Push(t)
		return d.fill(t, 1)
	}
	v, err := d.scalar()
	if err != nil {
		return err
	}
	d.L.Push(v)
	return nil
}

// value decodes one value; a container is created, handed to set (which
// attaches it to its parent) and only then filled.
func (d *jsonDecoder) value(depth int, set func(lua.LValue)) error {
	if d.values++; d.values%deadlineEvery == 0 && d.host.pastDeadline() {
		return errPastDeadline
	}
	if d.pos >= len(d.text) {
		return d.errorf("unexpected end of text")
	}
	switch d.text[d.pos] {
	case '[', '{':
		t := d.newTable()
		set(t)
		return d.fill(t, depth+1)
	}
	v, err := d.scalar()
	if err != nil {
		return err
	}
	set(v)
	return nil
}

// newTable makes the table for the array or object at pos with room for
// one entry, grown as entries come. gopher-lua's defaults (32 array slots,
// a 32-entry map) cost 0.5 to 1.5 KB per table, so a document of small
// arrays or objects would hold many times what it needs.
func (d *jsonDecoder) newTable() *lua.LTable {
	if d.text[d.pos] == '{' {
		return d.L.CreateTable(0, 1)
	}
	return d.L.CreateTable(1, 0)
}

// fill decodes the array or object at pos into t.
func (d *jsonDecoder) fill(t *lua.LTable, depth int) error {
	if depth > d.maxDepth {
		return fmt.Errorf("nesting deeper than the limit of %d", d.maxDepth)
	}
	open := d.text[d.pos]
	d.pos++
	d.space()
	if open == '[' {
		return d.array(t, depth)
	}
	return d.object(t, depth)
}

func (d *jsonDecoder) array(t *lua.LTable, depth int) error {
	if d.peek() == ']' {
		d.pos++
		return nil
	}
	for i := 1; ; i++ {
		idx := i
		err := d.value(depth, func(v lua.LValue) {
			if v != lua.LNil {
				t.RawSetInt(idx, v)
			}
		})
		if err != nil {
			return err
		}
		if more, err := d.more(']', "an array"); !more {
			return err
		}
	}
}

func (d *jsonDecoder) object(t *lua.LTable, depth int) error {
	if d.peek() == '}' {
		d.pos++
		return nil
	}
	for {
		if d.peek() != '"' {
			return d.errorf("want a string key in an object")
		}
		key, err := d.str()
		if err != nil {
			return err
		}
		d.space()
		if d.peek() != ':' {
			return d.errorf("want ':' after an object key")
		}
		d.pos++
		d.space()
		err = d.value(depth, func(v lua.LValue) { t.RawSetString(key, v) })
		if err != nil {
			return err
		}
		if more, err := d.more('}', "an object"); !more {
			return err
		}
	}
}

// more reads what follows an element of an array or object: true after a
// ',', false with a nil error at the closing byte, false with an error at
// anything else.
func (d *jsonDecoder) more(closing byte, container string) (bool, error) {
	d.space()
	switch d.peek() {
	case ',':
		d.pos++
		d.space()
		return true, nil
	case closing:
		d.pos++
		return false, nil
	}
	return false, d.errorf("want ',' or '%c' in %s", closing, container)
}

// peek returns the byte at pos, or 0 at the end.
func (d *jsonDecoder) peek() byte {
	if d.pos < len(d.text) {
		return d.text[d.pos]
	}
	return 0
}

// space skips JSON white space.
func (d *jsonDecoder) space() {
	for d.pos < len(d.text) {
		switch d.text[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// scalar decodes a string, number, true, false or null.
func (d *jsonDecoder) scalar() (lua.LValue, error) {
	switch c := d.text[d.pos]; {
	case c == '"':
		s, err := d.str()
		if err != nil {
			return lua.LNil, err
		}
		return lua.LString(s), nil
	case c == '-' || c >= '0' && c <= '9':
		return d.number()
	case strings.HasPrefix(d.text[d.pos:], "true"):
		d.pos += 4
		return lua.LTrue, nil
	case strings.HasPrefix(d.text[d.pos:], "false"):
		d.pos += 5
		return lua.LFalse, nil
	case strings.HasPrefix(d.text[d.pos:], "null"):
		d.pos += 4
		return lua.LNil, nil
	}
	return lua.LNil, d.errorf("unexpected character %q", d.text[d.pos])
}

// number decodes a number with JSON's grammar.
func (d *jsonDecoder) number() (lua.LValue, error) {
	start := d.pos
	if d.peek() == '-' {
		d.pos++
	}
	switch c := d.peek(); {
	case c == '0':
		d.pos++
	case c >= '1' && c <= '9':
		d.digits()
	default:
		return lua.LNil, d.errorf("want a digit")
	}
	if d.peek() == '.' {
		d.pos++
		if n := d.digits(); n == 0 {
			return lua.LNil, d.errorf("want a digit after '.'")
		}
	}
	if c := d.peek(); c == 'e' || c == 'E' {
		d.pos++
		if c := d.peek(); c == '+' || c == '-' {
			d.pos++
		}
		if n := d.digits(); n == 0 {
			return lua.LNil, d.errorf("want a digit in the exponent")
		}
	}
	f, err := strconv.ParseFloat(d.text[start:d.pos], 64)
	if err != nil || math.IsInf(f, 0) {
		d.pos = start
		return lua.LNil, d.errorf("number %.40s is out of range", d.text[start:min(len(d.text), start+40)])
	}
	d.charge(jsonNumberBytes)
	return lua.LNumber(f), nil
}

// digits skips decimal digits and returns how many there were.
func (d *jsonDecoder) digits() int {
	start := d.pos
	for d.pos < len(d.text) && d.text[d.pos] >= '0' && d.text[d.pos] <= '9' {
		d.pos++
	}
	return d.pos - start
}

// str decodes the string at pos into a new Go string (never a slice of
// the text), charged before it is made. Invalid UTF-8 and unpaired
// surrogates become U+FFFD, as with encoding/json.
func (d *jsonDecoder) str() (string, error) {
	d.pos++ // opening quote
	start := d.pos
	for d.pos < len(d.text) {
		c := d.text[d.pos]
		switch {
		case c == '"':
			s := d.text[start:d.pos]
			d.pos++
			if !utf8.ValidString(s) {
				return d.made(strings.ToValidUTF8(s, "\uFFFD")), nil
			}
			return d.made(s), nil
		case c == '\\':
			return d.escaped(start)
		case c < 0x20:
			return "", d.errorf("control character %#02x in a string", c)
		}
		d.pos++
	}
	return "", d.errorf("unterminated string")
}

// made returns a charged copy of s.
func (d *jsonDecoder) made(s string) string {
	d.charge(jsonStringBytes + len(s))
	return strings.Clone(s)
}

// escaped decodes a string that holds escapes, from start (just after the
// opening quote); pos is at the first backslash.
func (d *jsonDecoder) escaped(start int) (string, error) {
	b := append(d.buf[:0], d.text[start:d.pos]...)
	defer func() { d.buf = b[:0] }()
	for d.pos < len(d.text) {
		c := d.text[d.pos]
		switch {
		case c == '"':
			d.pos++
			if !utf8.Valid(b) {
				return d.made(strings.ToValidUTF8(string(b), "\uFFFD")), nil
			}
			d.charge(jsonStringBytes + len(b))
			return string(b), nil
		case c < 0x20:
			return "", d.errorf("control character %#02x in a string", c)
		case c != '\\':
			b = append(b, c)
			d.pos++
			continue
		}
		if d.pos+1 >= len(d.text) {
			break
		}
		d.pos++
		switch e := d.text[d.pos]; e {
		case '"', '\\', '/':
			b = append(b, e)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r, ok := d.hex4(d.pos + 1)
			if !ok {
				return "", d.errorf("bad \\u escape")
			}
			d.pos += 4
			if utf16.IsSurrogate(r) {
				r2, ok := rune(-1), false
				if strings.HasPrefix(d.text[d.pos+1:], `\u`) {
					r2, ok = d.hex4(d.pos + 3)
				}
				if dec := utf16.DecodeRune(r, r2); ok && dec != utf8.RuneError {
					r = dec
					d.pos += 6
				} else {
					r = utf8.RuneError
				}
			}
			b = utf8.AppendRune(b, r)
		default:
			return "", d.errorf("bad escape \\%c", e)
		}
		d.pos++
	}
	return "", d.errorf("unterminated string")
}

// hex4 parses four hex digits at i.
func (d *jsonDecoder) hex4(i int) (rune, bool) {
	if i+4 > len(d.text) {
		return 0, false
	}
	n, err := strconv.ParseUint(d.text[i:i+4], 16, 32)
	return rune(n), err == nil
}
