package lua

import (
	"errors"
	"strings"
	"testing"
)

// depthBombs recurse through a Go→Lua re-entry each; none may crash the Go
// process.
var depthBombs = []struct {
	name string
	src  string
}{
	{"__index function", `local t = setmetatable({}, {}) getmetatable(t).__index = function(t, k) return t[k] end return t.x`},
	{"__tostring via tostring", `local t = setmetatable({}, {}) getmetatable(t).__tostring = function(t) return tostring(t) end return tostring(t)`},
	{"__eq", `local mt = {} mt.__eq = function(a, b) return a == b end
		local a, b = setmetatable({}, mt), setmetatable({}, mt) return a == b`},
	{"__lt", `local mt = {} mt.__lt = function(a, b) return a < b end
		local a, b = setmetatable({}, mt), setmetatable({}, mt) return a < b`},
	{"__le", `local mt = {} mt.__le = function(a, b) return a <= b end
		local a, b = setmetatable({}, mt), setmetatable({}, mt) return a <= b`},
	{"__concat", `local mt = {} mt.__concat = function(a, b) return a .. b end
		local a = setmetatable({}, mt) return a .. "x"`},
	{"__call via pcall", `local t = setmetatable({}, {}) getmetatable(t).__call = function(self) return pcall(self) end return t()`},
	{"__add", `local mt = {} mt.__add = function(a, b) return a + b end return setmetatable({}, mt) + 1`},
	{"__unm", `local mt = {} mt.__unm = function(a) return -a end return -setmetatable({}, mt)`},
	{"__len", `local mt = {} mt.__len = function(a) return #a end return #setmetatable({}, mt)`},
	{"__newindex", `local t = setmetatable({}, {}) getmetatable(t).__newindex = function(t, k, v) t[k] = v end t.x = 1`},
	{"pcall chain", `local function f() return pcall(f) end return f()`},
	{"xpcall chain", `local function f() return xpcall(f, function(e) return e end) end return f()`},
	{"sort comparator sorts", `local function cmp(a, b) table.sort({3, 2, 1}, cmp) return a < b end table.sort({3, 2, 1}, cmp)`},
	{"gsub callback gsubs", `local function f(c) return (string.gsub("ab", ".", f)) end return string.gsub("ab", ".", f)`},
	{"coroutine.resume chain 10000", `local function f(n) if n == 0 then return 0 end
		local co = coroutine.create(f) local ok, v = coroutine.resume(co, n - 1)
		if not ok then error(v, 0) end return v + 1 end return f(10000)`},
	{"coroutine.wrap chain 10000", `local function f(n) if n == 0 then return 0 end return coroutine.wrap(f)(n - 1) + 1 end return f(10000)`},
	{"generic for iterator", `local function it() for _ in it do end end for _ in it do end`},
}

func TestMeterDepthLimit(t *testing.T) {
	for _, tc := range depthBombs {
		t.Run(tc.name, func(t *testing.T) {
			// A call stack larger than the depth limit: the meter must stop it.
			L := NewState(Options{CallStackSize: 4096, RegistrySize: 1024 * 20})
			defer L.Close()
			m := NewMeter()
			m.SetMaxDepth(50)
			L.SetMeter(m)
			m.Reset(0)
			err := runChunk(L, tc.src)
			if !errors.Is(err, ErrDepthLimit) {
				t.Fatalf("err = %v, want ErrDepthLimit", err)
			}
			if m.depth != 0 {
				t.Fatalf("depth = %d after the call, want 0", m.depth)
			}
		})
	}
}

func TestMeterDepthWithSmallCallStack(t *testing.T) {
	// With the sandbox's small call stack, upstream's "stack overflow" may come
	// first; either way the call ends with a clear error.
	for _, tc := range depthBombs {
		t.Run(tc.name, func(t *testing.T) {
			L, m := newMeteredState(t, 10000000)
			err := runChunk(L, tc.src)
			if err == nil {
				// pcall chains catch upstream's (catchable) stack overflow.
				if last := L.Get(-1); !strings.Contains(last.String(), "stack overflow") {
					t.Fatalf("no error and last result %v", last)
				}
				return
			}
			if !errors.Is(err, ErrDepthLimit) && !strings.Contains(err.Error(), "stack overflow") {
				t.Fatalf("err = %v, want ErrDepthLimit or stack overflow", err)
			}
			if m.depth != 0 {
				t.Fatalf("depth = %d after the call, want 0", m.depth)
			}
		})
	}
}

func TestMeterDepthAllowsModerateNesting(t *testing.T) {
	L, m := newMeteredState(t, 0)
	m.SetMaxDepth(30)
	src := `local function f(n) if n == 0 then return 0 end local ok, v = pcall(f, n - 1) return v + 1 end
		result = f(20)`
	if err := runChunk(L, src); err != nil {
		t.Fatal(err)
	}
	if got := L.GetGlobal("result"); got != LNumber(20) {
		t.Fatalf("result = %v, want 20", got)
	}
	if m.Err() != nil {
		t.Fatalf("m.Err() = %v", m.Err())
	}
}

func TestMeterStackOverflowStaysCatchable(t *testing.T) {
	L, _ := newMeteredState(t, 0)
	src := `local function f() return f() + 1 end
		local ok, e = pcall(f) result = tostring(ok) .. " " .. e`
	if err := runChunk(L, src); err != nil {
		t.Fatal(err)
	}
	if got := L.GetGlobal("result").String(); !strings.Contains(got, "false") || !strings.Contains(got, "stack overflow") {
		t.Fatalf("result = %q", got)
	}
}
