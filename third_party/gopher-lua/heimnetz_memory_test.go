package lua

import (
	"errors"
	"runtime"
	"strings"
	"testing"
)

const mib = 1 << 20

// heapGrowthLimit is how much the Go heap may grow while a bomb runs
// against an 8 MiB cap: generous, it only catches allocations the cap missed.
const heapGrowthLimit = 64 * mib

// runBomb runs src with memory cap limit and no instruction budget and
// returns its error and the growth of the Go heap while it ran.
func runBomb(t *testing.T, src string, limit int64) (error, int64) {
	t.Helper()
	L, m := newMeteredState(t, 0)
	m.SetMemoryLimit(limit)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	err := runChunk(L, src)
	runtime.ReadMemStats(&after)
	return err, int64(after.HeapAlloc) - int64(before.HeapAlloc)
}

// memoryBombs each allocate without bound through one VM or API path.
var memoryBombs = []struct {
	name string
	src  string
}{
	{"array append", `local t = {} local i = 0 while true do i = i + 1 t[i] = i end`},
	{"array via #", `local t = {} while true do t[#t + 1] = true end`},
	{"hash keys", `local t = {} local i = 0 while true do i = i + 1 t[i + 0.5] = i end`},
	{"string keys", `local t = {} local i = 0 while true do i = i + 1 t["k" .. i] = i end`},
	{"array gap", `local t = {} t[60000000] = 1`},
	{"table.insert gap", `table.insert({}, 60000000, 1)`},
	{"table.insert append", `local t = {} while true do table.insert(t, 1) end`},
	{"concat doubling", `local s = "x" while true do s = s .. s end`},
	{"concat keep all", `local t = {} local s = string.rep("x", 100) local i = 0 while true do i = i + 1 t[i] = s .. i end`},
	{"nested tables", `local t = {} while true do t = {t, t} end`},
	{"table constructors", `local t = {} local i = 0 while true do i = i + 1 t[i] = {1, 2, 3, a = 1, b = 2} end`},
	{"closures", `local t = {} local i = 0 while true do i = i + 1 local x = i t[i] = function() return x, t end end`},
	{"coroutines", `local t = {} local i = 0 while true do i = i + 1 t[i] = coroutine.create(function() end) end`},
	{"suspended coroutines", `local t = {} local i = 0 while true do i = i + 1
		local co = coroutine.create(function(...) coroutine.yield(...) end) coroutine.resume(co, i, i, i) t[i] = co end`},
	{"varargs table", `local t = {} local function f(...) return {...} end local i = 0
		while true do i = i + 1 t[i] = f(1, 2, 3, 4, 5, 6, 7, 8) end`},
	{"loadstring", `local t = {} local i = 0 local src = "return " .. string.rep("1 + ", 200) .. "1"
		while true do i = i + 1 t[i] = loadstring(src) end`},
	{"globals", `local i = 0 while true do i = i + 1 _G["g" .. i] = i end`},
	{"string library table", `local i = 0 while true do i = i + 1 string[i] = i end`},
	{"setmetatable chain", `local t = {} while true do t = setmetatable({}, {__index = t}) end`},
}

func TestMeterMemoryBombs(t *testing.T) {
	for _, tc := range memoryBombs {
		t.Run(tc.name, func(t *testing.T) {
			err, growth := runBomb(t, tc.src, 8*mib)
			if !errors.Is(err, ErrMemoryLimit) {
				t.Fatalf("err = %v, want ErrMemoryLimit", err)
			}
			if growth > heapGrowthLimit {
				t.Fatalf("Go heap grew by %d MiB", growth/mib)
			}
		})
	}
}

func TestMeterMemoryLimitIsUncatchable(t *testing.T) {
	src := `while true do pcall(function() local s = "x" while true do s = s .. s end end) end`
	err, _ := runBomb(t, src, 4*mib)
	if !errors.Is(err, ErrMemoryLimit) {
		t.Fatalf("err = %v", err)
	}
}

func TestMeterLegitProgramsFit(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		limit int64
		want  LValue
	}{
		{"1 MiB table of strings under 8 MiB",
			`local t = {} for i = 1, 16384 do t[i] = string.rep("x", 48) .. i end
			 local n = 0 for _, s in ipairs(t) do n = n + #s end result = n`,
			8 * mib, LNumber(16384*48 + 9 + 90*2 + 900*3 + 9000*4 + 6385*5)},
		{"100 MB of garbage under 2 MiB",
			`local n = 0 for i = 1, 2000 do local t = {} for j = 1, 100 do t[j] = {j} end
			 local s = string.rep("y", 30000) n = n + #s + #t end result = n`,
			2 * mib, LNumber(2000 * 30100)},
		{"string building under 1 MiB",
			`local parts = {} for i = 1, 1000 do parts[#parts + 1] = tostring(i) end
			 result = #table.concat(parts, ",")`,
			1 * mib, LNumber(9 + 2*90 + 3*900 + 4 + 999)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			L, m := newMeteredState(t, 0)
			m.SetMemoryLimit(tc.limit)
			if err := runChunk(L, tc.src); err != nil {
				t.Fatalf("err = %v (in use %d, recounts %d)", err, m.MemoryInUse(), m.Recounts())
			}
			if got := L.GetGlobal("result"); got != tc.want {
				t.Fatalf("result = %v, want %v", got, tc.want)
			}
			if m.Peak() > tc.limit {
				t.Fatalf("peak %d over the limit %d", m.Peak(), tc.limit)
			}
		})
	}
}

func TestMeterRecount(t *testing.T) {
	L, m := newMeteredState(t, 0)
	base := m.Recount(L)
	if base < 20000 || base > 400000 {
		t.Fatalf("idle state estimated at %d bytes", base)
	}
	if err := runChunk(L, `big = string.rep("z", 1048576)`); err != nil {
		t.Fatal(err)
	}
	withBig := m.Recount(L)
	if d := withBig - base; d < mib || d > mib+4096 {
		t.Fatalf("a 1 MiB string added %d bytes", d)
	}
	// The same string referenced 1000 times is counted once.
	if err := runChunk(L, `refs = {} for i = 1, 1000 do refs[i] = big end`); err != nil {
		t.Fatal(err)
	}
	withRefs := m.Recount(L)
	if d := withRefs - withBig; d < 1000*slotBytes || d > 1000*(slotBytes+stringHdrBytes)+4096 {
		t.Fatalf("1000 references added %d bytes", d)
	}
	// Cycles terminate; dropping values shrinks the count.
	if err := runChunk(L, `local a, b = {}, {} a.b = b b.a = a a.self = a cyc = a big, refs = nil, nil`); err != nil {
		t.Fatal(err)
	}
	after := m.Recount(L)
	if after > base+8192 {
		t.Fatalf("after dropping: %d bytes, base %d", after, base)
	}
	if m.MemoryInUse() != after {
		t.Fatalf("MemoryInUse = %d, want the recount %d", m.MemoryInUse(), after)
	}
}

func TestMeterPeakAndCharge(t *testing.T) {
	L, m := newMeteredState(t, 0)
	m.SetMemoryLimit(4 * mib)
	start := m.Recount(L)
	m.ResetPeak()
	if err := runChunk(L, `local s = string.rep("p", 1048576) s = nil`); err != nil {
		t.Fatal(err)
	}
	if m.Peak() < start+mib {
		t.Fatalf("peak %d, want at least %d", m.Peak(), start+mib)
	}
	// A host Go function charging past the cap gets ErrMemoryLimit.
	L.SetGlobal("hostalloc", L.NewFunction(func(L *LState) int {
		L.Meter().Charge(L, int64(L.CheckInt(1)))
		L.Push(LTrue)
		return 1
	}))
	if err := runChunk(L, `return hostalloc(1024)`); err != nil {
		t.Fatal(err)
	}
	err := runChunk(L, `return pcall(hostalloc, 8 * 1048576)`)
	if !errors.Is(err, ErrMemoryLimit) {
		t.Fatalf("err = %v", err)
	}
	// Outside a running call a charge never panics.
	m.Reset(0)
	m.Charge(L, 16*mib)
	if m.MemoryInUse() < 16*mib {
		t.Fatalf("MemoryInUse = %d after charging 16 MiB", m.MemoryInUse())
	}
	if m.Err() != nil {
		t.Fatalf("Err() = %v outside a call", m.Err())
	}
}

func TestMeterThrashingFails(t *testing.T) {
	// Live data just under the cap plus steady small garbage: every recount
	// would free little, so the meter gives up with ErrMemoryLimit instead of
	// recounting forever.
	L, m := newMeteredState(t, 0)
	if err := runChunk(L, `keep = {} for i = 1, 60000 do keep[i] = i end`); err != nil {
		t.Fatal(err)
	}
	live := m.Recount(L)
	m.SetMemoryLimit(live + 32*1024)
	m.Reset(50000000)
	err := runChunk(L, `while true do local s = string.rep("t", 40) .. "" end`)
	if !errors.Is(err, ErrMemoryLimit) {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "memory limit exceeded") {
		t.Fatalf("message %q", err.Error())
	}
	if m.Recounts() > 20 {
		t.Fatalf("%d recounts before giving up", m.Recounts())
	}
}
