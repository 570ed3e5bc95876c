package luaplugins

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"unicode/utf8"

	lua "github.com/yuin/gopher-lua"

	"github.com/heimnetz/heimnetz/limits/oneline"
)

// errJSONTooLong is the error of an encode whose text, escapes counted,
// would pass maxJSONBytes.
var errJSONTooLong = fmt.Errorf("the text would exceed %d bytes", maxJSONBytes)

// Smallest output of one array element ("0,") and one object member
// (`"k":0,`): a table with more entries than the bound allows for cannot
// encode, and is refused before its keys are collected and sorted.
const (
	minArrayEntry  = 2
	minObjectEntry = 6
)

// jsonEncoder writes Lua values as JSON, counting every byte it writes
// (escapes included) against maxJSONBytes as it goes.
type jsonEncoder struct {
	host     *Host // for the call's deadline; nil outside a plugin
	values   int   // values encoded, for the deadline check
	buf      []byte
	maxDepth int
	seen     map[*lua.LTable]bool
}

// encodeJSON returns v as JSON text, or an error naming why it has none.
func encodeJSON(h *Host, v lua.LValue, maxDepth int) (string, error) {
	e := jsonEncoder{host: h, maxDepth: maxDepth, seen: map[*lua.LTable]bool{}}
	if err := e.encode(v, 0); err != nil {
		return "", err
	}
	return string(e.buf), nil
}

// write appends s if the bound allows it.
func (e *jsonEncoder) write(s string) error {
	if len(e.buf)+len(s) > maxJSONBytes {
		return errJSONTooLong
	}
	e.buf = append(e.buf, s...)
	return nil
}

func (e *jsonEncoder) encode(v lua.LValue, depth int) error {
	if e.values++; e.values%deadlineEvery == 0 && e.host.pastDeadline() {
		return errPastDeadline
	}
	switch v := v.(type) {
	case *lua.LNilType:
		return e.write("null")
	case lua.LBool:
		return e.write(strconv.FormatBool(bool(v)))
	case lua.LNumber:
		f := float64(v)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return errors.New("NaN and infinite numbers have no JSON form")
		}
		return e.write(strconv.FormatFloat(f, 'g', -1, 64))
	case lua.LString:
		return e.str(string(v))
	case *lua.LTable:
		if depth >= e.maxDepth {
			return fmt.Errorf("tables nest deeper than the limit of %d", e.maxDepth)
		}
		if e.seen[v] {
			return errors.New("a table contains itself (cycle)")
		}
		e.seen[v] = true
		defer delete(e.seen, v)
		return e.table(v, depth)
	default:
		return fmt.Errorf("a %s has no JSON form", v.Type())
	}
}

// jsonKey is the JSON key a table key encodes to, or an error for a key
// with none.
func jsonKey(k lua.LValue) (string, error) {
	switch k := k.(type) {
	case lua.LString:
		return string(k), nil
	case lua.LNumber:
		f := float64(k)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return "", errors.New("NaN and infinite keys have no JSON form")
		}
		return k.String(), nil
	}
	return "", fmt.Errorf("a %s key has no JSON form", k.Type())
}

// member is one object member to write.
type member struct {
	key   string
	orig  lua.LValue
	value lua.LValue
}

func (e *jsonEncoder) table(t *lua.LTable, depth int) error {
	n := t.Len()
	count := 0
	isArray := true
	var keyErr error
	t.ForEach(func(k, _ lua.LValue) {
		count++
		if kn, ok := k.(lua.LNumber); !ok || float64(kn) != math.Trunc(float64(kn)) || kn < 1 || int(kn) > n {
			isArray = false
		}
		if keyErr == nil {
			_, keyErr = jsonKey(k)
		}
	})
	if keyErr != nil {
		return keyErr
	}
	if isArray && count == n {
		if n*minArrayEntry > maxJSONBytes {
			return errJSONTooLong
		}
		if err := e.write("["); err != nil {
			return err
		}
		for i := 1; i <= n; i++ {
			if i > 1 {
				if err := e.write(","); err != nil {
					return err
				}
			}
			if err := e.encode(t.RawGetInt(i), depth+1); err != nil {
				return err
			}
		}
		return e.write("]")
	}
	if count*minObjectEntry > maxJSONBytes {
		return errJSONTooLong
	}
	members := make([]member, 0, count)
	t.ForEach(func(k, v lua.LValue) {
		ks, _ := jsonKey(k)
		members = append(members, member{ks, k, v})
	})
	sort.Slice(members, func(i, j int) bool {
		a, b := members[i], members[j]
		if a.key != b.key {
			return a.key < b.key
		}
		_, aNum := a.orig.(lua.LNumber) // the number first in an error
		return aNum
	})
	for i := 1; i < len(members); i++ {
		if a, b := members[i-1], members[i]; a.key == b.key {
			return fmt.Errorf("keys %s and %s are both the JSON key %q", keyText(a.orig), keyText(b.orig), a.key)
		}
	}
	if err := e.write("{"); err != nil {
		return err
	}
	for i, m := range members {
		if i > 0 {
			if err := e.write(","); err != nil {
				return err
			}
		}
		if err := e.str(m.key); err != nil {
			return err
		}
		if err := e.write(":"); err != nil {
			return err
		}
		if err := e.encode(m.value, depth+1); err != nil {
			return err
		}
	}
	return e.write("}")
}

// keyText shows a table key in an error: a number as is, a string quoted
// and bounded.
func keyText(k lua.LValue) string {
	if s, ok := k.(lua.LString); ok {
		return strconv.Quote(oneline.Clean(string(s), 40))
	}
	return k.String()
}

// hexDigits are the digits of \u escapes.
const hexDigits = "0123456789abcdef"

// str writes s as a JSON string as encoding/json does: quotes,
// backslashes and control characters escaped, <, > and & (so the text can
// sit in HTML) and U+2028 and U+2029 as \u escapes, invalid UTF-8 as
// U+FFFD. Every byte counts against the
// bound as it is written, so escape expansion cannot pass it.
func (e *jsonEncoder) str(s string) error {
	// At least len(s)+2 bytes will be written: refuse at once when even
	// that passes the bound.
	if len(e.buf)+len(s)+2 > maxJSONBytes {
		return errJSONTooLong
	}
	e.buf = append(e.buf, '"')
	var esc [6]byte
	for i := 0; i < len(s); {
		c := s[i]
		piece, size := esc[:0], 1
		switch {
		case c == '"' || c == '\\':
			piece = append(piece, '\\', c)
		case c == '\n':
			piece = append(piece, '\\', 'n')
		case c == '\r':
			piece = append(piece, '\\', 'r')
		case c == '\t':
			piece = append(piece, '\\', 't')
		case c < 0x20, c == '<', c == '>', c == '&':
			piece = append(piece, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		case c < utf8.RuneSelf:
			piece = append(piece, c)
		default:
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				piece = utf8.AppendRune(piece, utf8.RuneError)
			case r == '\u2028' || r == '\u2029':
				piece = append(piece, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			default:
				piece = append(piece, s[i:i+size]...)
			}
		}
		if len(e.buf)+len(piece) > maxJSONBytes {
			return errJSONTooLong
		}
		e.buf = append(e.buf, piece...)
		i += size
	}
	return e.write(`"`)
}
