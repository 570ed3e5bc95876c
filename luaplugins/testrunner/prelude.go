package testrunner

import "strings"

// prelude defines the assertion API in Lua. It is joined into one line so
// that main.lua, which follows it on that same line, keeps its own line
// numbers. It wraps metrics.set and metrics.add (when the plugin has
// them) to remember values for metric(). Assertions raise at level 3:
// gopher-lua counts error levels one further than C Lua, and 3 names the
// line of the test that called the assertion.
var prelude = strings.Join([]string{
	`local __fmt = function(v) if type(v) == "string" then return string.format("%q", v) end return tostring(v) end`,
	`local __where = function(msg) if msg ~= nil then return ": " .. tostring(msg) end return "" end`,
	`function fail(msg) error("failed" .. __where(msg), 3) end`,
	`function assert_eq(got, want, msg) if got ~= want then error("expected " .. __fmt(want) .. ", got " .. __fmt(got) .. __where(msg), 3) end end`,
	`function assert_true(v, msg) if not v then error("expected a true value, got " .. __fmt(v) .. __where(msg), 3) end end`,
	`function assert_false(v, msg) if v then error("expected a false value, got " .. __fmt(v) .. __where(msg), 3) end end`,
	`function assert_match(s, pattern, msg) if type(s) ~= "string" or not string.find(s, pattern) then error("expected " .. __fmt(s) .. " to match " .. __fmt(pattern) .. __where(msg), 3) end end`,
	`function assert_error(fn, pattern) local ok, err = pcall(fn) if ok then error("expected an error, got none", 3) end if pattern ~= nil and not string.find(tostring(err), pattern) then error("expected an error matching " .. __fmt(pattern) .. ", got " .. __fmt(tostring(err)), 3) end end`,
	`local __m = {}`,
	`local __key = function(n, l) if type(l) ~= "table" then return tostring(n) end local ks = {} for k in pairs(l) do ks[#ks + 1] = tostring(k) end table.sort(ks) local parts = {} for _, k in ipairs(ks) do parts[#parts + 1] = k .. "=" .. tostring(l[k]) end return tostring(n) .. "{" .. table.concat(parts, ",") .. "}" end`,
	`if type(metrics) == "table" then local set, add = metrics.set, metrics.add metrics.set = function(n, v, l) set(n, v, l) __m[__key(n, l)] = v end metrics.add = function(n, v, l) add(n, v, l) local k = __key(n, l) __m[k] = (__m[k] or 0) + v end end`,
	`function metric(name, labels) return __m[__key(name, labels)] end`,
}, " ")

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
	{"metric", "name [, labels]", "Returns the last value the plugin set for the gauge name{labels}, or the total it added to the counter, since the test run began; nil when never written."},
}

// Globals returns the names the runner defines for test.lua. The static
// checker treats them as known in test.lua.
func Globals() []string {
	out := make([]string, len(Assertions))
	for i, a := range Assertions {
		out[i] = a.Name
	}
	return out
}
