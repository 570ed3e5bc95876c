package luaplugins

import (
	"errors"

	lua "github.com/yuin/gopher-lua"
)

// maxJSONBytes caps the text json.encode produces and json.decode reads.
const maxJSONBytes = 1 << 20

// jsonBytesPerWork is how many bytes of JSON read or written cost one unit
// of the meter's budget (about one VM instruction's time): a call is one VM
// instruction but up to 1 MiB of Go work, so a loop of them must count.
const jsonBytesPerWork = 4

func jsonModule() Module {
	return Module{
		Name: "json", Permission: "json",
		Doc: "Converts between Lua values and JSON text. Tables whose keys are exactly 1..n become arrays (the empty table too), other tables objects with string keys (number keys written as text).",
		Funcs: []Func{
			{
				Name: "encode", Args: "value", Returns: "string",
				Doc:    "Returns value as JSON text. nil, booleans, finite numbers, strings and tables are accepted. Object keys are sorted; strings are escaped as encoding/json does (control characters, <, >, & and U+2028 and U+2029 as \\u escapes, invalid UTF-8 as U+FFFD).",
				Errors: []string{"a table nests deeper than the nesting limit", "a table contains itself (a cycle)", "a key is neither a string nor a finite number", "two keys would be the same JSON key (for example 1 and \"1\")", "a number is NaN or infinite", "a function, coroutine or userdata is found", "the text, escapes counted, would exceed 1 MiB"},
				Limits: []string{"nesting depth", "1 MiB of output", "memory"},
				New: func(h *Host) lua.LGFunction {
					return func(L *lua.LState) int {
						h.raiseIfPastDeadline(L)
						text, err := encodeJSON(h, L.CheckAny(1), h.Limits.Nesting)
						if errors.Is(err, errPastDeadline) {
							h.raiseIfPastDeadline(L)
						}
						if err != nil {
							L.RaiseError("json.encode: %v", err)
						}
						if m := L.Meter(); m != nil {
							m.Work(int64(len(text)) / jsonBytesPerWork)
						}
						L.Push(lua.LString(text))
						return 1
					}
				},
			},
			{
				Name: "decode", Args: "text", Returns: "value",
				Doc:    "Parses JSON text; null becomes nil (inside arrays too, leaving holes), numbers become Lua numbers. Tables and strings are charged to the plugin's memory limit as they are built, so a document that would build more than the limit stops with the memory limit error.",
				Errors: []string{"the text is not JSON (the error says at which byte)", "it nests deeper than the nesting limit", "it is longer than 1 MiB", "a number is out of range"},
				Limits: []string{"nesting depth", "1 MiB of input", "memory"},
				New: func(h *Host) lua.LGFunction {
					return func(L *lua.LState) int {
						text := L.CheckString(1)
						// Under pcall in a loop, each call would scan the
						// text again before the VM's next check.
						h.raiseIfPastDeadline(L)
						if len(text) > maxJSONBytes {
							L.RaiseError("json.decode: text of %d bytes is longer than %d", len(text), maxJSONBytes)
						}
						if m := L.Meter(); m != nil {
							m.Work(int64(len(text)) / jsonBytesPerWork)
						}
						if d := jsonDepth(text); d > h.Limits.Nesting {
							L.RaiseError("json.decode: nesting of %d is deeper than the limit of %d", d, h.Limits.Nesting)
						}
						err := decodeJSON(L, h, text, h.Limits.Nesting)
						if errors.Is(err, errPastDeadline) {
							h.raiseIfPastDeadline(L)
						}
						if err != nil {
							L.RaiseError("json.decode: %v", err)
						}
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
