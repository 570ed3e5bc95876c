package lua

import (
	"fmt"
	"math/rand"
	"testing"
)

// heimnetz patch 18: key order is built on demand.

// traversal is every key and value next() yields from tb, in order.
func traversal(tb *LTable) []string {
	var out []string
	k, v, ok := tb.next(LNil)
	for ok && k != LNil {
		out = append(out, fmt.Sprintf("%s=%s", k, v))
		k, v, ok = tb.next(k)
	}
	if !ok {
		out = append(out, "invalid key")
	}
	return out
}

// keyOp is one step applied to two tables alike.
type keyOp struct {
	kind  int // 0 string set, 1 string clear, 2 number key set, 3 traverse, 4 next from a key
	key   string
	value int
}

// applyKeyOp runs op on tb and returns what a traversal or next showed.
func applyKeyOp(tb *LTable, op keyOp) string {
	switch op.kind {
	case 0:
		tb.RawSetString(op.key, LNumber(op.value))
	case 1:
		tb.RawSetString(op.key, LNil)
	case 2:
		tb.RawSetH(LNumber(float64(op.value)+0.5), LNumber(op.value))
	case 3:
		return fmt.Sprint(traversal(tb))
	case 4:
		k, v, ok := tb.next(LString(op.key))
		return fmt.Sprint(k, v, ok)
	}
	return ""
}

// TestKeyOrderMatchesEagerTables runs the same random steps on a table
// that builds its key order on demand and on one that has it from the
// start, as every table had before patch 18: every traversal, every
// next() from a key and the final contents agree.
func TestKeyOrderMatchesEagerTables(t *testing.T) {
	for seed := int64(1); seed <= 300; seed++ {
		rng := rand.New(rand.NewSource(seed))
		lazy := newLTable(0, rng.Intn(3)*4)
		eager := newLTable(0, 0)
		eager.orderKeys()
		var steps []keyOp
		for i := 0; i < 60; i++ {
			op := keyOp{kind: rng.Intn(10), key: fmt.Sprintf("k%d", rng.Intn(12)), value: i + 1}
			switch {
			case op.kind < 5:
				op.kind = 0
			case op.kind < 7:
				op.kind = 1
			case op.kind == 7:
				op.kind = 2
				op.value = rng.Intn(4)
			case op.kind == 8:
				op.kind = 3
			default:
				op.kind = 4
			}
			steps = append(steps, op)
			if got, want := applyKeyOp(lazy, op), applyKeyOp(eager, op); got != want {
				t.Fatalf("seed %d, after %+v:\n lazy  %s\n eager %s", seed, steps, got, want)
			}
		}
		if got, want := fmt.Sprint(traversal(lazy)), fmt.Sprint(traversal(eager)); got != want {
			t.Fatalf("seed %d: lazy %s, eager %s", seed, got, want)
		}
	}
}

// TestKeyOrderInLua checks the order pairs() gives tables that a script
// fills by name, clears during a traversal and fills again. A key set
// again after its deletion keeps its first place, as since patch 15.
func TestKeyOrderInLua(t *testing.T) {
	L := NewState()
	defer L.Close()
	err := L.DoString(`
local t = {}
t.a = 1; t.b = 2; t.c = 3; t.b = nil; t.d = 4; t.b = 5
local seen = {}
for k, v in pairs(t) do seen[#seen + 1] = k .. "=" .. v end
got1 = table.concat(seen, " ")
local u = {x = 1, y = 2, z = 3}
for k in pairs(u) do u[k] = nil end
got2 = tostring(next(u))
local w = {p = 1, q = 2}
for k in pairs(w) do w[k] = w[k] * 10 end
got3 = w.p + w.q
`)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"got1": "a=1 b=5 c=3 d=4", "got2": "nil", "got3": "30"} {
		if got := L.GetGlobal(name).String(); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

// TestKeyOrderRecount checks that a recount finds a table's keys whether
// or not its order was built yet.
func TestKeyOrderRecount(t *testing.T) {
	count := func(build bool) int64 {
		L := NewState()
		defer L.Close()
		m := NewMeter()
		L.SetMeter(m)
		tb := L.NewTable()
		for i := 0; i < 100; i++ {
			tb.RawSetString(fmt.Sprintf("a-key-long-enough-to-count-%03d", i), LNumber(i))
		}
		if build {
			tb.orderKeys()
		}
		L.SetGlobal("t", tb)
		m.Recount(L)
		return m.MemoryInUse()
	}
	if lazy, built := count(false), count(true); lazy != built {
		t.Fatalf("recount: %d bytes before the key order is built, %d after", lazy, built)
	}
}
