package testrunner

import (
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/heimnetz/heimnetz/luaplugins"
)

// Assertion documents one name the runner defines for test.lua.
type Assertion struct {
	Name string
	Args string
	Doc  string
}

// Assertions lists the test API, as `heimnetz docs` shows it.
var Assertions = []Assertion{
	{"assert_eq", "got, want [, msg]", "Fails the test unless got == want (Lua's ==: numbers and strings by value, tables by identity)."},
	{"assert_error", "fn [, pattern]", "Calls fn; fails the test unless it raises an error, whose text matches the Lua pattern when one is given."},
	{"assert_false", "v [, msg]", "Fails the test unless v is false or nil."},
	{"assert_match", "s, pattern [, msg]", "Fails the test unless the string s matches the Lua pattern."},
	{"assert_true", "v [, msg]", "Fails the test unless v is neither false nor nil."},
	{"fail", "[msg]", "Fails the test."},
	{"metric", "name [, labels]", "Returns the value of the gauge name{labels} the plugin set last, or the total it added to the counter, since the test began (each test runs on a freshly loaded plugin); nil when never written."},
}

// Globals returns the names the runner defines for test.lua and the
// setting it reads there (SharedKV). The static checker lets test.lua
// use and set them.
func Globals() []string {
	out := make([]string, 0, len(Assertions)+1)
	for _, a := range Assertions {
		out = append(out, a.Name)
	}
	return append(out, SharedKV)
}

// testAPI returns the assertion API as host functions for
// luaplugins.Env.TestAPI. They are Go functions, not Lua: an error a Go
// function raises names the Lua line that called it, so a failed
// assertion, or a host function's error in main.lua, is reported at the
// line in test.lua or main.lua where it happened, and the plugin's own
// instruction and memory counts are not inflated by test scaffolding.
func testAPI() []luaplugins.Func {
	out := make([]luaplugins.Func, 0, len(Assertions))
	for _, a := range Assertions {
		out = append(out, luaplugins.Func{Name: a.Name, Args: a.Args, Doc: a.Doc,
			New: func(h *luaplugins.Host) lua.LGFunction { return assertion(h, a.Name) }})
	}
	return out
}

// assertion returns the implementation of the assertion name for the
// plugin whose host is h.
func assertion(h *luaplugins.Host, name string) lua.LGFunction {
	impl := map[string]lua.LGFunction{
		"fail": func(L *lua.LState) int {
			L.RaiseError("failed%s", note(L, 1))
			return 0
		},
		"assert_eq": func(L *lua.LState) int {
			got, want := L.Get(1), L.Get(2)
			if !L.Equal(got, want) {
				L.RaiseError("expected %s, got %s%s", show(want), show(got), note(L, 3))
			}
			return 0
		},
		"assert_true": func(L *lua.LState) int {
			if v := L.Get(1); lua.LVIsFalse(v) {
				L.RaiseError("expected a true value, got %s%s", show(v), note(L, 2))
			}
			return 0
		},
		"assert_false": func(L *lua.LState) int {
			if v := L.Get(1); lua.LVAsBool(v) {
				L.RaiseError("expected a false value, got %s%s", show(v), note(L, 2))
			}
			return 0
		},
		"assert_match": func(L *lua.LState) int {
			s, pattern := L.Get(1), L.CheckString(2)
			if _, ok := s.(lua.LString); !ok || !find(L, s, pattern) {
				L.RaiseError("expected %s to match %s%s", show(s), show(lua.LString(pattern)), note(L, 3))
			}
			return 0
		},
		"assert_error": func(L *lua.LState) int {
			fn := L.CheckFunction(1)
			pattern, hasPattern := L.Get(2).(lua.LString)
			if L.Get(2) != lua.LNil && !hasPattern {
				L.ArgError(2, "pattern must be a string")
			}
			L.Push(fn)
			err := L.PCall(0, 0, nil)
			if err == nil {
				L.RaiseError("expected an error, got none")
			}
			text := lua.LString(err.Error())
			if api, ok := err.(*lua.ApiError); ok && api.Object != nil {
				text = lua.LString(api.Object.String())
			}
			if hasPattern && !find(L, text, string(pattern)) {
				L.RaiseError("expected an error matching %s, got %s", show(pattern), show(text))
			}
			return 0
		},
		"metric": func(L *lua.LState) int {
			name := L.CheckString(1)
			want, err := labels(L, 2)
			if err != "" {
				L.ArgError(2, err)
			}
			for _, s := range h.Metrics.Snapshot() {
				if s.Name == name && sameLabels(s.Labels, want) {
					L.Push(lua.LNumber(s.Value))
					return 1
				}
			}
			L.Push(lua.LNil)
			return 1
		},
	}
	return impl[name]
}

// maxShown bounds how much of a value a failure message quotes.
const maxShown = 200

// note returns ": msg" for the optional message argument n, or "".
func note(L *lua.LState, n int) string {
	v := L.Get(n)
	if v == lua.LNil {
		return ""
	}
	return ": " + clip(v.String())
}

// show renders v for a failure message: a string quoted as Lua source
// would write it (on one line), anything else as tostring shows it,
// without running a __tostring metamethod.
func show(v lua.LValue) string {
	s, ok := v.(lua.LString)
	if !ok {
		return clip(v.String())
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s) && b.Len() < maxShown; i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20 || c == 0x7f:
			b.WriteString(`\` + strconv.Itoa(int(c)))
		default:
			b.WriteByte(c)
		}
	}
	if b.Len() >= maxShown {
		b.WriteString("...")
	}
	b.WriteByte('"')
	return b.String()
}

func clip(s string) string {
	if len(s) > maxShown {
		return s[:maxShown] + "..."
	}
	return s
}

// find reports whether string.find(s, pattern) finds a match, calling
// the sandbox's own string.find so that the pattern is metered as the
// plugin's own calls are and a malformed pattern raises its usual error.
func find(L *lua.LState, s lua.LValue, pattern string) bool {
	strlib, _ := L.GetGlobal("string").(*lua.LTable)
	if strlib == nil {
		L.RaiseError("the string library is missing")
	}
	L.Push(strlib.RawGetString("find"))
	L.Push(s)
	L.Push(lua.LString(pattern))
	L.Call(2, 1)
	found := L.Get(-1) != lua.LNil
	L.Pop(1)
	return found
}

// labels reads the optional labels table of metric() as the metrics
// module does: string keys, string, number or boolean values.
func labels(L *lua.LState, n int) ([]luaplugins.Label, string) {
	v := L.Get(n)
	if v == lua.LNil {
		return nil, ""
	}
	t, ok := v.(*lua.LTable)
	if !ok {
		return nil, "labels must be a table, not " + v.Type().String()
	}
	var out []luaplugins.Label
	for k, v := t.Next(lua.LNil); k != lua.LNil; k, v = t.Next(k) {
		ks, ok := k.(lua.LString)
		if !ok {
			return nil, "label names must be strings, not " + k.Type().String()
		}
		switch v.(type) {
		case lua.LString, lua.LNumber, lua.LBool:
		default:
			return nil, "label " + clip(string(ks)) + " must be a string or number, not " + v.Type().String()
		}
		out = append(out, luaplugins.Label{Name: string(ks), Value: v.String()})
	}
	return out, ""
}

// sameLabels reports whether a series' labels are exactly want, in any
// order.
func sameLabels(have, want []luaplugins.Label) bool {
	if len(have) != len(want) {
		return false
	}
	for _, w := range want {
		found := false
		for _, h := range have {
			if h == w {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
