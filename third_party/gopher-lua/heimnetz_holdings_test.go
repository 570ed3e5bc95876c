package lua

import (
	"errors"
	"testing"
	"unsafe"
)

// heimnetz patch 23: what a program holds is what Recount counts. Each
// program keeps, under an 8 MiB cap, something whose Go memory is larger
// than what was counted for it before the patch: one number from each
// allocator block (ipairs indices and arithmetic results), or tables made
// with room for keys they never got.
var holdingBombs = []struct {
	name string
	src  string
}{
	{"one ipairs index per number block", `
local a = {} for i = 1, 4096 do a[i] = true end
local keep, n = {}, 0
while true do for i in ipairs(a) do if i % 32 == 0 then n = n + 1 keep[n] = i end end end`},
	{"one arithmetic result per number block", `
local keep, n = {}, 0
while true do for i = 1, 4096 do local x = i + 0.5 if i % 32 == 0 then n = n + 1 keep[n] = x end end end`},
	{"tables made with room for nil fields", `
local keep, n = {}, 0
while true do
  n = n + 1
  keep[n] = {a = nil, b = nil, c = nil, d = nil, e = nil, f = nil, g = nil, h = nil,
             i = nil, j = nil, k = nil, l = nil, m = nil, n = nil, o = nil}
end`},
	{"the same after a non-string key", `
local keep, n = {}, 0
while true do
  n = n + 1
  local t = {a = nil, b = nil, c = nil, d = nil, e = nil, f = nil, g = nil, h = nil,
             i = nil, j = nil, k = nil, l = nil, m = nil, n = nil, o = nil}
  t[0.5] = nil
  keep[n] = t
end`},
}

func TestHoldingsAreCounted(t *testing.T) {
	for _, tc := range holdingBombs {
		t.Run(tc.name, func(t *testing.T) {
			err, growth := runBomb(t, tc.src, 8*mib)
			t.Logf("err = %v; Go heap grew by %d MiB", err, growth/mib)
			if !errors.Is(err, ErrMemoryLimit) {
				t.Fatalf("err = %v, want ErrMemoryLimit", err)
			}
			if growth > heapGrowthLimit {
				t.Fatalf("Go heap grew by %d MiB under an 8 MiB cap", growth/mib)
			}
		})
	}
}

// TestCountedStructSizes checks that no counted struct size is below the
// allocation the struct takes on this architecture.
func TestCountedStructSizes(t *testing.T) {
	for _, c := range []struct {
		name    string
		size    uintptr
		counted int64
	}{
		{"LTable", unsafe.Sizeof(LTable{}), tableBytes},
		{"LFunction", unsafe.Sizeof(LFunction{}), functionBytes},
		{"Upvalue", unsafe.Sizeof(Upvalue{}), upvalueBytes},
		{"LUserData", unsafe.Sizeof(LUserData{}), userDataBytes},
		{"FunctionProto", unsafe.Sizeof(FunctionProto{}), protoBytes},
	} {
		if c.counted < int64(c.size) {
			t.Errorf("%s: %d bytes, counted %d", c.name, c.size, c.counted)
		}
	}
	for _, c := range []struct {
		n    uintptr
		want int64
	}{{1, 8}, {96, 96}, {97, 112}, {124, 128}, {1024, 1024}, {1025, 1152}} {
		if got := objectBytes(c.n, 0); got != c.want {
			t.Errorf("objectBytes(%d) = %d, want %d", c.n, got, c.want)
		}
	}
}

// TestMeteredNumberBlocks checks that a metered state, and a thread of
// it, take numbers from small blocks.
func TestMeteredNumberBlocks(t *testing.T) {
	L, _ := newMeteredState(t, 0)
	th, _ := L.NewThread()
	for _, s := range []*LState{L, th} {
		if s.alloc.size != meteredNumberBlock || s.reg.alloc != s.alloc {
			t.Fatalf("allocator block %d (registry's is the state's: %v), want %d",
				s.alloc.size, s.reg.alloc == s.alloc, meteredNumberBlock)
		}
	}
}
