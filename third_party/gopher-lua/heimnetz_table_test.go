package lua

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// heimnetz patch 15: tables forget deleted keys.

// churnKinds are the kinds of hash key a churn can go through: each makes
// key i of a table, and none lands in the array part.
var churnKinds = []struct {
	name string
	key  string // Lua expression of key i
}{
	{"strings", `"station-" .. i`},
	{"floats", `i + 0.5`},
	{"negative integers", `-i`},
	{"tables", `{}`},
	{"functions", `function() return i end`},
}

// churnScript keeps live keys in global t while n distinct keys of a kind
// pass through it; keys of older keys are kept in a ring to clear them.
func churnScript(key string, n int) string {
	return `
t = t or {}
ring = ring or {}
base = base or 0
for i = base + 1, base + ` + itoa(n) + ` do
	local k = ` + key + `
	t[k] = i
	if t[k] ~= i then error("key " .. i .. " lost when set") end
	local slot = i % 10
	if ring[slot] ~= nil then t[ring[slot]] = nil end
	ring[slot] = k
end
base = base + ` + itoa(n)
}

func itoa(n int) string {
	return LNumber(n).String()
}

// pairsWork returns the instructions (with work charges) of one pairs()
// traversal of global t, and how many keys it saw.
func pairsWork(t *testing.T, L *LState, m *Meter) (int64, int) {
	t.Helper()
	m.Reset(0)
	if err := runChunk(L, `n = 0 for k in pairs(t) do n = n + 1 end`); err != nil {
		t.Fatal(err)
	}
	return m.Used(), int(L.GetGlobal("n").(LNumber))
}

func TestTableChurnStaysBounded(t *testing.T) {
	for _, kind := range churnKinds {
		t.Run(kind.name, func(t *testing.T) {
			L, m := newMeteredState(t, 0)
			if err := runChunk(L, churnScript(kind.key, 1000)); err != nil {
				t.Fatal(err)
			}
			work1k, n := pairsWork(t, L, m)
			if n != 10 {
				t.Fatalf("pairs saw %d keys, want 10", n)
			}
			live1k := m.Recount(L)
			m.Reset(0)
			if err := runChunk(L, churnScript(kind.key, 99000)); err != nil {
				t.Fatal(err)
			}
			tb := L.GetGlobal("t").(*LTable)
			if len(tb.keys) > 10+minDeadKeys+1 || len(tb.k2i) != len(tb.keys) {
				t.Fatalf("after 100,000 keys: %d keys, %d in k2i; want at most %d", len(tb.keys), len(tb.k2i), 10+minDeadKeys+1)
			}
			work100k, n := pairsWork(t, L, m)
			if n != 10 {
				t.Fatalf("pairs saw %d keys, want 10", n)
			}
			live100k := m.Recount(L)
			t.Logf("recounted %d bytes after 1,000 keys, %d after 100,000; pairs %d and %d instructions", live1k, live100k, work1k, work100k)
			if live100k > live1k+4096 {
				t.Fatalf("live memory grew from %d to %d bytes", live1k, live100k)
			}
			if work100k > work1k+8 {
				t.Fatalf("pairs cost grew from %d to %d instructions", work1k, work100k)
			}
		})
	}
}

// TestTableChurnCreditsMeter: a churn far beyond a small cap never recounts
// after the first compactions, since dropped keys are credited.
func TestTableChurnCreditsMeter(t *testing.T) {
	L, m := newMeteredState(t, 0)
	m.SetMemoryLimit(512 << 10)
	before := m.Recounts()
	if err := runChunk(L, churnScript(`"k" .. i`, 100000)); err != nil {
		t.Fatal(err)
	}
	inUse := m.MemoryInUse()
	live := m.Recount(L)
	t.Logf("%d recounts during the churn; MemoryInUse %d, recount %d", m.Recounts()-before-1, inUse, live)
	if m.Recounts()-before-1 > 8 {
		t.Fatalf("%d recounts during a churn of 10 live keys", m.Recounts()-before-1)
	}
}

// traversalChecker builds a table with build, then traverses it with pairs
// while clear(k, order, i) clears fields, and checks Lua 5.1's rule: every
// key present at the start and not cleared before its turn is visited
// exactly once, and no cleared key is visited afterwards. It prints "ok".
const traversalChecker = `
local function check(build, clear)
	local t = build()
	local order = {}
	for k in pairs(t) do order[#order + 1] = k end
	local cleared, seen, i = {}, {}, 0
	for k, v in pairs(t) do
		i = i + 1
		if seen[k] then error("visited twice: " .. tostring(k)) end
		if cleared[k] then error("visited after clearing: " .. tostring(k)) end
		seen[k] = true
		for _, c in ipairs(clear(k, order, i)) do
			if t[c] ~= nil and not seen[c] then cleared[c] = true end
			t[c] = nil
		end
	end
	for _, k in ipairs(order) do
		if not seen[k] and not cleared[k] then error("never visited: " .. tostring(k)) end
	end
	return i
end
local keyTables = {}
for i = 1, 40 do keyTables[i] = {} end
local builds = {
	array = function() local t = {} for i = 1, 40 do t[i] = i end return t end,
	holes = function() local t = {} for i = 1, 40 do t[i] = i end for i = 1, 40, 3 do t[i] = nil end return t end,
	strings = function() local t = {} for i = 1, 60 do t["s" .. i] = i end return t end,
	floats = function() local t = {} for i = 1, 60 do t[i + 0.5] = i end t[0] = 0 t[-3] = 3 return t end,
	tables = function() local t = {} for i = 1, 40 do t[keyTables[i]] = i end return t end,
	mixed = function() local t = {1, 2, 3, x = 1, y = 2} for i = 1, 30 do t["m" .. i] = i t[i * 1000000000] = i end t[true] = 1 return t end,
	churned = function()
		local t = {}
		for i = 1, 200 do t["c" .. i] = i if i > 10 then t["c" .. (i - 10)] = nil end end
		for i = 1, 100 do t["d" .. i] = i end
		for i = 1, 100, 2 do t["d" .. i] = nil end
		return t
	end,
}
local clears = {
	current = function(k) return {k} end,
	everything = function(k, order) return order end,
	["other half"] = function(k, order, i) local r = {} for j = i, #order, 2 do r[#r + 1] = order[j] end return r end,
	["current and next"] = function(k, order, i) return {k, order[i + 1] or k} end,
	nothing = function() return {} end,
}
local names = {}
for name in pairs(builds) do names[#names + 1] = name end
table.sort(names)
local cnames = {}
for name in pairs(clears) do cnames[#cnames + 1] = name end
table.sort(cnames)
for _, b in ipairs(names) do
	for _, c in ipairs(cnames) do
		local ok, err = pcall(check, builds[b], clears[c])
		if not ok then print(b .. " / " .. c .. ": " .. tostring(err)) end
	end
end
print("ok")
`

func TestTableClearDuringTraversal(t *testing.T) {
	for _, metered := range []bool{false, true} {
		var L *LState
		if metered {
			L, _ = newMeteredState(t, 0)
		} else {
			L = NewState()
			defer L.Close()
		}
		var out []string
		L.SetGlobal("print", L.NewFunction(func(L *LState) int {
			out = append(out, L.ToString(1))
			return 0
		}))
		if err := runChunk(L, traversalChecker); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(out, "\n"); got != "ok" {
			t.Fatalf("metered %v:\n%s", metered, got)
		}
	}
	lua51, err := exec.LookPath("lua5.1")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("lua5.1 is missing (make test installs Debian's lua5.1)")
		}
		t.Skip("lua5.1 not installed; run `make deps`")
	}
	cmd := exec.Command(lua51, "-")
	cmd.Stdin = strings.NewReader(traversalChecker)
	got, err := cmd.CombinedOutput()
	if err != nil || strings.TrimSpace(string(got)) != "ok" {
		t.Fatalf("lua5.1 disagrees with the checker: %v\n%s", err, got)
	}
}

// TestTableNewKeysDuringTraversal: adding keys during a traversal is
// undefined in Lua 5.1, and may compact the table; it must end with keys,
// nil or "invalid key to 'next'", never a Go panic.
func TestTableNewKeysDuringTraversal(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"add while at a live key", `
local t = {} for i = 1, 100 do t["k" .. i] = i end for i = 1, 90 do t["k" .. i] = nil end
local n = 0
for k in pairs(t) do n = n + 1 t["new" .. n] = n if n > 1000 then break end end`, ""},
		{"clear current then add", `
local t = {} for i = 1, 100 do t["k" .. i] = i end for i = 1, 60 do t["k" .. i] = nil end
local n = 0
for k in pairs(t) do n = n + 1 t[k] = nil for j = 1, 50 do t[n .. "x" .. j] = j end if n > 1000 then break end end`, ""},
		{"next on a dropped key", `
local t = {} for i = 1, 100 do t["k" .. i] = i end
local k = next(t)
for i = 1, 100 do t["k" .. i] = nil end
t.fresh = 1
return next(t, k)`, "invalid key to 'next'"},
		{"next on a key never set", `return next({a = 1}, "b")`, "invalid key to 'next'"},
		{"next on a missing number", `return next({1, 2, a = 1}, 7.5)`, "invalid key to 'next'"},
		{"table keys", `
local t = {} for i = 1, 100 do t[{}] = i end
for k in pairs(t) do t[k] = nil t[{}] = 1 end`, ""},
	}
	for _, metered := range []bool{false, true} {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				var L *LState
				if metered {
					L, _ = newMeteredState(t, 1e7)
				} else {
					L = NewState()
					defer L.Close()
				}
				err := runChunk(L, tc.src)
				if err != nil && !strings.Contains(err.Error(), "invalid key to 'next'") {
					t.Fatalf("metered %v: %v", metered, err)
				}
				if tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
					t.Fatalf("metered %v: err = %v, want %q", metered, err, tc.want)
				}
			})
		}
	}
}

// TestTableCompactionKeepsContents churns keys of every kind (userdata
// included) through a table that also has an array part and keys that
// stay, and checks after every compaction that ForEach, next, #, RawGet,
// table.insert and table.remove see exactly what the table holds.
func TestTableCompactionKeepsContents(t *testing.T) {
	L := NewState()
	defer L.Close()
	tb := L.NewTable()
	want := map[LValue]LValue{}
	set := func(k, v LValue) {
		tb.RawSet(k, v)
		if v == LNil {
			delete(want, k)
		} else {
			want[k] = v
		}
	}
	for i := 1; i <= 5; i++ {
		set(LNumber(i), LNumber(i*10))
	}
	stay := []LValue{LString("name"), LNumber(0), LNumber(-7), LNumber(2.5), LTrue, L.NewTable(), L.NewFunction(func(*LState) int { return 0 }), L.NewUserData()}
	for i, k := range stay {
		set(k, LNumber(100+i))
	}
	kinds := []func(i int) LValue{
		func(i int) LValue { return LString("s" + itoa(i)) },
		func(i int) LValue { return LNumber(float64(i) + 0.25) },
		func(i int) LValue { return L.NewTable() },
		func(i int) LValue { return L.NewUserData() },
	}
	var ring [6]LValue
	compactions := 0
	for i := 0; i < 4000; i++ {
		before := len(tb.keys)
		k := kinds[i%len(kinds)](i)
		set(k, LNumber(i))
		if old := ring[i%len(ring)]; old != nil {
			set(old, LNil)
		}
		ring[i%len(ring)] = k
		if len(tb.keys) > before+1 || len(tb.keys) >= before {
			continue
		}
		compactions++
		got := map[LValue]LValue{}
		tb.ForEach(func(k, v LValue) { got[k] = v })
		if len(got) != len(want) {
			for k, v := range want {
				if got[k] != v {
					t.Errorf("ForEach: %v (%T) = %v, want %v", k, k, got[k], v)
				}
			}
			t.Fatalf("after %d keys: ForEach saw %d entries, want %d", i, len(got), len(want))
		}
		n := 0
		for k, v := tb.Next(LNil); k != LNil; k, v = tb.Next(k) {
			if want[k] != v {
				t.Fatalf("after %d keys: next gave %v = %v, want %v", i, k, v, want[k])
			}
			n++
		}
		if n != len(want) {
			t.Fatalf("after %d keys: next visited %d keys, want %d", i, n, len(want))
		}
		for k, v := range want {
			if got := tb.RawGet(k); got != v {
				t.Fatalf("after %d keys: t[%v] = %v, want %v", i, k, got, v)
			}
		}
		if tb.Len() != 5 {
			t.Fatalf("#t = %d, want 5", tb.Len())
		}
	}
	if compactions == 0 {
		t.Fatal("no compaction happened")
	}
	L.SetGlobal("t", tb)
	if err := L.DoString(`
		table.insert(t, 1, 5) table.insert(t, 60) assert(#t == 7 and t[1] == 5 and t[7] == 60)
		assert(table.remove(t, 1) == 5 and table.remove(t) == 60 and #t == 5 and t[5] == 50)
		assert(t.name == 100 and t[0] == 101 and t[-7] == 102 and t[2.5] == 103 and t[true] == 104)`); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d compactions; %d key slots for %d keys", compactions, len(tb.keys), len(want))
}
