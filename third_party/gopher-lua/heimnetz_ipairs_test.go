package lua

import "testing"

// TestIpairsIndices checks patch 21: the indices ipairs gives, below and
// above the shared small numbers and across the allocator's blocks, are
// the numbers 1..n, usable as keys and in arithmetic, and a hole ends the
// walk.
func TestIpairsIndices(t *testing.T) {
	L := NewState()
	defer L.Close()
	err := L.DoString(`
local t = {}
for i = 1, 1000 do t[i] = i * 2 end
local seen, keep = 0, {}
for i, v in ipairs(t) do
  assert(type(i) == "number" and i == seen + 1 and v == i * 2, "index " .. tostring(i))
  keep[#keep + 1] = i
  seen = i
end
assert(seen == 1000)
for j, i in ipairs(keep) do assert(i == j and t[i] == 2 * j) end
t[500] = nil
local n = 0
for i in ipairs(t) do n = i end
assert(n == 499, "stopped at " .. n)
`)
	if err != nil {
		t.Fatal(err)
	}
}

// BenchmarkIpairs walks a 200-element array with ipairs.
func BenchmarkIpairs(b *testing.B) {
	L := NewState()
	defer L.Close()
	if err := L.DoString(`t = {} for i = 1, 200 do t[i] = i end
function walk() local s = 0 for i, v in ipairs(t) do s = s + v end return s end`); err != nil {
		b.Fatal(err)
	}
	walk := L.GetGlobal("walk")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		L.Push(walk)
		L.Call(0, 1)
		L.Pop(1)
	}
}
