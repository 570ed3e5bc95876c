package lua

import (
	"strings"
	"testing"
)

// TestBuiltinArgumentsAsCLua calls builtins with the arguments that made
// upstream show Go runtime panics or differ from C Lua 5.1, and checks the
// result or message Debian's lua5.1 on amd64 gives (its messages quote the
// function name, gopher-lua's do not). One case differs on purpose:
// unpack over a range wider than C's int, which lua5.1 truncates to 32
// bits and the sandbox refuses.
func TestBuiltinArgumentsAsCLua(t *testing.T) {
	tests := []struct {
		src, want string
	}{
		{`return string.find("abc", "b", 2^40, true)`, "nil"},
		{`return string.find("abc", "b", -2^40, true)`, "2 2"},
		{`return string.find("abc", "b", 0/0, true)`, "2 2"},
		{`return string.find("abc", "b", 1/0)`, "2 2"},
		{`return string.find("abc", "", 10)`, "4 3"},
		{`return string.find("abc", "", 2)`, "2 1"},
		{`return string.find("a.c", ".", 1, true, "extra")`, "2 2"},
		{`return string.match("abc", "c", -2^63)`, "c"},
		{`return string.sub("abc", -2^63, 2^63)`, ""},
		{`return string.sub("abc", -2^62, 2^62)`, "abc"},
		{`return string.sub("abc", 0/0, 0/0)`, ""},
		{`return string.sub("abc", 2^53)`, ""},
		{`return string.byte("abc", -2^63, 2^63)`, ""},
		{`return string.byte("abc", -2^62, 2^62)`, "97 98 99"},
		{`return string.byte("abc")`, "97"},
		{`return string.byte("abc", 0/0)`, ""},
		{`return string.char(" 65 ", "0x42")`, "AB"},
		{`return string.rep("ab", "2")`, "abab"},
		{`return string.lower("\255ABC\128")`, "\xffabc\x80"},
		{`return string.upper("\255abc")`, "\xffABC"},
		{`return (string.gmatch("a1b2", "%d"))()`, "1"},
		{`return math.random(1)`, "1"},
		{`return math.random(2, 2)`, "2"},
		{`return math.floor("3.7")`, "3"},
		{`local z = 0 return tostring(-z)`, "-0"},
		{`return math.modf(-1)`, "-1 -0"},
		{`return tonumber("0x10", 16), tonumber("z", 36), tonumber("7", "10"), tonumber(" 1e1 ", 10)`, "16 35 7 10"},
		{`return tonumber("8", 8), tonumber("", 10)`, "nil nil"},
		{`return select(2, unpack({1, 2, 3}, 2^53, 2^53))`, ""},
		{`return rawequal(rawset({}, 1, 2)[1], 2)`, "true"},
		{`return xpcall(error, 1)`, "false error in error handling"},
		{`return xpcall(function() return 1 end, nil)`, "true 1"},
		{`return unpack({}, 1, 0)`, ""},
		{`return unpack({}, -2^63, 2^63)`, "nil"},
		{`return table.remove({}, -2^53)`, ""},
		{`return table.remove({1, 2, 3}, 0)`, ""},
		{`local t = {1, 2, 3} return table.remove(t, 1), #t`, "1 2"},
		{`return table.concat({1, 2, 3}, "-", 2)`, "2-3"},
		{`return table.concat({1, 2, 3}, "-", 3, 2)`, ""},
		{`return table.concat({1, 2, 3}, 0)`, "10203"},
		{`return table.maxn({[2^53] = 1, 1, [-1] = 1}), table.maxn({[1.5] = true}), table.maxn({})`, "9.007199254741e+15 1.5 0"},
		{`return select(" 2 ", "a", "b")`, "b"},
		{`return tonumber("inf"), tonumber(" -Infinity "), tonumber("0x1p4"), tonumber("0x1.8"), tonumber("0x_1p4"), tonumber("0x1p")`, "inf -inf 16 1.5 nil nil"},
		{`return math.floor("nan"), tonumber("-nan")`, "nan -nan"},
		{`return type((string.gsub(2, "x", "y")))`, "string"},
		{`return string.gsub("abc", "b", 5)`, "a5c 1"},
		{`return string.gsub("abc", "b", "%%%1")`, "a%bc 1"},
		{`return string.gsub("abc", "b", "x", 0)`, "abc 0"},
		{`return string.gsub("abc", "%w", {a = 1, b = false})`, "1bc 3"},
		{`local t = {3, 1} table.sort(t, nil) return t[1]`, "1"},
		{`return type(select(2, pcall(error, 5)))`, "string"},
		{`return pcall(error)`, "false nil"},
		{`return type(select(2, pcall(error, 5, 0)))`, "number"},
		{`return (select(2, pcall(assert, false, 5)):find("5$")) ~= nil`, "true"},
	}
	errs := []struct {
		src, want string
	}{
		{`return math.random(0)`, "bad argument #1 to random (interval is empty)"},
		{`return math.random(3, 0)`, "bad argument #2 to random (interval is empty)"},
		{`return math.random(1, 2, 3)`, "wrong number of arguments"},
		{`return string.char(256)`, "bad argument #1 to char (invalid value)"},
		{`return string.char(-1)`, "bad argument #1 to char (invalid value)"},
		{`return unpack({}, 0/0, 2^53)`, "too many results to unpack"},
		{`return setmetatable("x", {})`, "bad argument #1 to setmetatable (table expected, got string)"},
		{`return setmetatable({}, 1)`, "bad argument #2 to setmetatable (nil or table expected)"},
		{`return coroutine.create(print)`, "bad argument #1 to create (Lua function expected)"},
		{`return coroutine.wrap(string.len)`, "bad argument #1 to wrap (Lua function expected)"},
		{`return tonumber("10", 1)`, "bad argument #2 to tonumber (base out of range)"},
		{`return tonumber({}, 16)`, "bad argument #1 to tonumber (string expected, got table)"},
		{`return xpcall(print)`, "bad argument #2 to xpcall (value expected)"},
		{`return assert()`, "bad argument #1 to assert (value expected)"},
		{`return coroutine.resume(1)`, "bad argument #1 to resume (coroutine expected)"},
		{`return coroutine.status({})`, "bad argument #1 to status (coroutine expected)"},
		{`return coroutine.create(1)`, "bad argument #1 to create (Lua function expected)"},
		{`return string.gsub("a", "a", true)`, "bad argument #3 to gsub (string/function/table expected)"},
		{`return table.concat("x", {})`, "bad argument #2 to concat (string expected, got table)"},
		{`return string.rep("x")`, "bad argument #2 to rep (number expected, got no value)"},
		{`return string.gsub("abc", "%w", {a = false, b = true})`, "invalid replacement value (a boolean)"},
		{`return string.gsub("abc", "%w", function() return {} end)`, "invalid replacement value (a table)"},
		{`return table.insert({}, 1, 2, 3)`, "wrong number of arguments to 'insert'"},
		{`return setmetatable({})`, "bad argument #2 to setmetatable (nil or table expected)"},
		{`return table.sort({}, 1)`, "bad argument #2 to sort (function expected, got number)"},
		{`return table.concat({1, 2, 3}, "-", 2, 5)`, "invalid value (nil) at index 4 in table for 'concat'"},
		{`return table.concat({}, "", 2^53, 2^53 + 1)`, "invalid value (nil) at index"},
	}
	for _, metered := range []bool{false, true} {
		L := NewState()
		if metered {
			L.SetMeter(NewMeter())
		}
		for _, tc := range tests {
			top := L.GetTop()
			if err := L.DoString(tc.src); err != nil {
				t.Errorf("%s: %v", tc.src, err)
				continue
			}
			var got []string
			for i := top + 1; i <= L.GetTop(); i++ {
				got = append(got, L.Get(i).String())
			}
			L.SetTop(top)
			if s := strings.Join(got, " "); s != tc.want {
				t.Errorf("%s = %q, want %q", tc.src, s, tc.want)
			}
		}
		for _, tc := range errs {
			err := L.DoString(tc.src)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: error %v, want %q", tc.src, err, tc.want)
			}
			L.SetTop(0)
		}
		L.Close()
	}
}

// TestGoPanicMessage: a Go runtime error inside a Go function reaches Lua
// as a neutral message, a string panic as itself.
func TestGoPanicMessage(t *testing.T) {
	L := NewState()
	defer L.Close()
	L.SetMeter(NewMeter())
	L.Register("oops", func(L *LState) int {
		var s []int
		return s[L.CheckInt(1)]
	})
	L.Register("says", func(L *LState) int { panic("chosen message") })
	if err := L.DoString(`local ok, e = pcall(oops, 5) assert(not ok) msg = e`); err != nil {
		t.Fatal(err)
	}
	msg := L.GetGlobal("msg").String()
	if strings.Contains(msg, "runtime error") || strings.Contains(msg, "index out of range") || !strings.Contains(msg, "internal error in a builtin function") {
		t.Fatalf("plugin saw %q", msg)
	}
	err := L.DoString(`says()`)
	if err == nil || !strings.Contains(err.Error(), "chosen message") {
		t.Fatalf("string panic: %v", err)
	}
}
