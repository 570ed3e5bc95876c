package luaplugins

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"

	lua "github.com/yuin/gopher-lua"
)

// maxJSONBytes caps the text json.encode produces and json.decode reads.
const maxJSONBytes = 1 << 20

func jsonModule() Module {
	return Module{
		Name: "json", Permission: "json",
		Doc: "Converts between Lua values and JSON text. Tables whose keys are exactly 1..n become arrays, other tables objects with string keys.",
		Funcs: []Func{
			{
				Name: "encode", Args: "value", Returns: "string",
				Doc:    "Returns value as JSON text. nil, booleans, finite numbers, strings and tables are accepted.",
				Errors: []string{"a table nests deeper than the nesting limit", "a table contains itself (a cycle)", "a key is neither a string nor a number", "a number is NaN or infinite", "a function, coroutine or userdata is found", "the text would exceed 1 MiB"},
				Limits: []string{"nesting depth", "1 MiB of output", "memory"},
				New: func(h *Host) lua.LGFunction {
					return func(L *lua.LState) int {
						e := jsonEncoder{maxDepth: h.Limits.Nesting, seen: map[*lua.LTable]bool{}, meter: L.Meter()}
						if err := e.encode(L.CheckAny(1), 0); err != nil {
							L.RaiseError("json.encode: %v", err)
						}
						L.Push(lua.LString(e.buf.String()))
						return 1
					}
				},
			},
			{
				Name: "decode", Args: "text", Returns: "value",
				Doc:    "Parses JSON text; null becomes nil (inside arrays too, leaving holes), numbers become Lua numbers.",
				Errors: []string{"the text is not JSON (the error says where)", "it nests deeper than the nesting limit", "it is longer than 1 MiB"},
				Limits: []string{"nesting depth", "1 MiB of input", "memory"},
				New: func(h *Host) lua.LGFunction {
					return func(L *lua.LState) int {
						text := L.CheckString(1)
						if len(text) > maxJSONBytes {
							L.RaiseError("json.decode: text of %d bytes is longer than %d", len(text), maxJSONBytes)
						}
						if m := L.Meter(); m != nil {
							// Scanning, decoding and converting cost about one
							// instruction per byte (1 MiB: ~20 ms); charged first so
							// a loop of decodes meets the budget and the deadline.
							m.Work(int64(len(text)) * jsonWorkPerByte)
						}
						if d := jsonDepth(text); d > h.Limits.Nesting {
							L.RaiseError("json.decode: nesting of %d is deeper than the limit of %d", d, h.Limits.Nesting)
						}
						var v any
						dec := json.NewDecoder(bytes.NewReader([]byte(text)))
						dec.UseNumber()
						if err := dec.Decode(&v); err != nil {
							L.RaiseError("json.decode: %v", err)
						}
						if dec.More() {
							L.RaiseError("json.decode: text continues after the first value")
						}
						lv, err := toLua(L, v, h.Limits.Nesting)
						if err != nil {
							L.RaiseError("json.decode: %v", err)
						}
						L.Push(lv)
						return 1
					}
				},
			},
		},
	}
}

// jsonDepth returns the deepest nesting of arrays and objects in text,
// counted without parsing it into values.
func jsonDepth(text string) int {
	depth, deepest, inString, escaped := 0, 0, false, false
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case inString:
		case c == '[' || c == '{':
			depth++
			deepest = max(deepest, depth)
		case c == ']' || c == '}':
			depth--
		}
	}
	return deepest
}

type jsonEncoder struct {
	buf      bytes.Buffer
	maxDepth int
	seen     map[*lua.LTable]bool
	meter    *lua.Meter // charged per value and byte; nil in unmetered states
	charged  int        // bytes of buf already charged
}

// jsonWorkPerByte is the work, in VM instructions, charged per byte of JSON
// read or written.
const jsonWorkPerByte = 1

var errJSONTooLong = fmt.Errorf("the text would exceed %d bytes", maxJSONBytes)

func (e *jsonEncoder) encode(v lua.LValue, depth int) error {
	if e.buf.Len() > maxJSONBytes {
		return errJSONTooLong
	}
	if e.meter != nil { // the value and its bytes written so far are work
		e.meter.Work(1 + int64(e.buf.Len()-e.charged)*jsonWorkPerByte)
		e.charged = e.buf.Len()
	}
	switch v := v.(type) {
	case *lua.LNilType:
		e.buf.WriteString("null")
	case lua.LBool:
		e.buf.WriteString(strconv.FormatBool(bool(v)))
	case lua.LNumber:
		f := float64(v)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return errors.New("NaN and infinite numbers have no JSON form")
		}
		e.buf.WriteString(strconv.FormatFloat(f, 'g', -1, 64))
	case lua.LString:
		if e.buf.Len()+len(v) > maxJSONBytes {
			return errJSONTooLong
		}
		b, _ := json.Marshal(string(v))
		e.buf.Write(b)
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
	return nil
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
		if _, ok := k.(lua.LString); !ok {
			if _, ok := k.(lua.LNumber); !ok && keyErr == nil {
				keyErr = fmt.Errorf("a %s key has no JSON form", k.Type())
			}
		}
	})
	if keyErr != nil {
		return keyErr
	}
	if e.meter != nil { // both key walks, the sort and the map are work
		e.meter.Work(int64(count) * 4)
	}
	if isArray && count == n && (n > 0 || count == 0) {
		e.buf.WriteByte('[')
		for i := 1; i <= n; i++ {
			if i > 1 {
				e.buf.WriteByte(',')
			}
			if err := e.encode(t.RawGetInt(i), depth+1); err != nil {
				return err
			}
		}
		e.buf.WriteByte(']')
		return nil
	}
	keys := make([]string, 0, count)
	values := map[string]lua.LValue{}
	t.ForEach(func(k, v lua.LValue) {
		ks := k.String()
		keys = append(keys, ks)
		values[ks] = v
	})
	sort.Strings(keys)
	e.buf.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			e.buf.WriteByte(',')
		}
		b, _ := json.Marshal(k)
		e.buf.Write(b)
		e.buf.WriteByte(':')
		if err := e.encode(values[k], depth+1); err != nil {
			return err
		}
	}
	e.buf.WriteByte('}')
	return nil
}
