package lua

import (
	"fmt"
	"math/rand"
	"testing"
)

// heimnetz patch 22: next() follows traversals of tables in patch 18's
// form by the meter's hints.

// cursor is one traversal in progress: the last key next() gave.
type cursor struct {
	key  LValue
	done bool
}

// step advances c over tb by one next() and describes the result.
func (c *cursor) step(tb *LTable) string {
	if c.key == nil || c.done {
		c.key, c.done = LNil, false // start again
	}
	k, v, ok := tb.next(c.key)
	if !ok || k == LNil {
		c.done = true
	}
	c.key = k
	return fmt.Sprint(k, v, ok)
}

// TestNextInOrderMatchesEagerTables runs random steps on metered tables
// that keep patch 18's form as long as they can and on eager copies
// (their key index built from the start): several traversals of tables
// with the same keys interleaved (more than the meter has hints for),
// values changed and keys deleted during traversals, array parts, number
// keys, next() from any key. Every result, and the charged work, agree.
func TestNextInOrderMatchesEagerTables(t *testing.T) {
	const tables = 6 // more interleaved traversals than orderHints
	for seed := int64(1); seed <= 400; seed++ {
		rng := rand.New(rand.NewSource(seed))
		lazyMeter, eagerMeter := NewMeter(), NewMeter()
		var lazy, eager [tables]*LTable
		var lc, ec [tables]cursor
		for i := range tables {
			// The same array capacity: next() from a number past an
			// empty array differs between a nil and an empty array part
			// (upstream's behaviour, which both keep).
			acap := rng.Intn(2) * 4
			lazy[i], eager[i] = newLTable(acap, 8), newLTable(acap, 0)
			lazy[i].meter, eager[i].meter = lazyMeter, eagerMeter
			eager[i].orderKeys()
			for j := 0; j < 4+rng.Intn(6); j++ {
				k := fmt.Sprintf("k%d", j)
				lazy[i].RawSetString(k, LNumber(j))
				eager[i].RawSetString(k, LNumber(j))
			}
			if rng.Intn(3) == 0 {
				lazy[i].RawSetInt(1, LTrue)
				eager[i].RawSetInt(1, LTrue)
			}
		}
		var log []string
		for n := 0; n < 200; n++ {
			i := rng.Intn(tables)
			key := fmt.Sprintf("k%d", rng.Intn(12))
			var got, want string
			switch r := rng.Intn(100); {
			case r < 60:
				got, want = lc[i].step(lazy[i]), ec[i].step(eager[i])
			case r < 75: // change a value, keeping the key
				if lazy[i].RawGetString(key) != LNil {
					lazy[i].RawSetString(key, LNumber(n))
					eager[i].RawSetString(key, LNumber(n))
				}
			case r < 80:
				lazy[i].RawSetString(key, LNil)
				eager[i].RawSetString(key, LNil)
			case r < 84:
				lazy[i].RawSetString(key, LNumber(n))
				eager[i].RawSetString(key, LNumber(n))
			case r < 86:
				lazy[i].RawSetH(LNumber(n)+0.5, LNumber(n))
				eager[i].RawSetH(LNumber(n)+0.5, LNumber(n))
			case r < 88:
				lazy[i].RawSetInt(2, LNumber(n))
				eager[i].RawSetInt(2, LNumber(n))
			default: // next() from a key of any kind
				var k LValue = LString(key)
				switch rng.Intn(4) {
				case 0:
					k = LNumber(rng.Intn(4))
				case 1:
					k = LNumber(0.5)
				}
				k1, v1, ok1 := lazy[i].next(k)
				k2, v2, ok2 := eager[i].next(k)
				got, want = fmt.Sprint(k1, v1, ok1), fmt.Sprint(k2, v2, ok2)
			}
			log = append(log, fmt.Sprintf("t%d %s", i, got))
			if got != want {
				t.Fatalf("seed %d, step %d:\n lazy  %s\n eager %s\n%v", seed, n, got, want, log)
			}
		}
		for i := range tables {
			if got, want := fmt.Sprint(traversal(lazy[i])), fmt.Sprint(traversal(eager[i])); got != want {
				t.Fatalf("seed %d, table %d: lazy %s, eager %s", seed, i, got, want)
			}
		}
		if lazyMeter.Used() != eagerMeter.Used() {
			t.Fatalf("seed %d: work charged %d with hints, %d with the index", seed, lazyMeter.Used(), eagerMeter.Used())
		}
	}
}

// TestNextInOrderKeepsForm checks that traversing fresh tables filled by
// name, one after another and one inside another, as plugins do with
// board results, leaves them without a key index.
func TestNextInOrderKeepsForm(t *testing.T) {
	L, _ := newMeteredState(t, 0)
	err := L.DoString(`
rows = {}
for i = 1, 3 do
  local r = {}
  for j = 1, 40 do r["field" .. j] = j end
  rows["row" .. i] = r
end
sum = 0
for name, r in pairs(rows) do
  for k, v in pairs(r) do sum = sum + v end
end
`)
	if err != nil {
		t.Fatal(err)
	}
	if got := L.GetGlobal("sum"); got != LNumber(3*40*41/2) {
		t.Fatalf("sum = %v", got)
	}
	rows := L.GetGlobal("rows").(*LTable)
	for _, name := range []string{"row1", "row2", "row3"} {
		if r := rows.RawGetString(name).(*LTable); r.keys != nil || r.k2i != nil {
			t.Errorf("%s: key index built by a traversal", name)
		}
	}
	if rows.keys != nil {
		t.Error("rows: key index built by a traversal")
	}
}

// BenchmarkPairsFresh is a traversal of a fresh table of 40 fields filled
// by name (a board result such as meminfo's fields) in a metered state.
func BenchmarkPairsFresh(b *testing.B) {
	L, _ := newMeteredState(b, 0)
	L.SetGlobal("fresh", L.NewFunction(func(L *LState) int {
		t := L.CreateTable(0, 40)
		for j := 1; j <= 40; j++ {
			t.RawSetString(fieldNames[j-1], LNumber(j))
		}
		L.Push(t)
		return 1
	}))
	if err := L.DoString(`function walk() local s = 0 for k, v in pairs(fresh()) do s = s + v end return s end`); err != nil {
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

// fieldNames are BenchmarkPairsFresh's keys, made once.
var fieldNames = func() []string {
	s := make([]string, 40)
	for i := range s {
		s[i] = fmt.Sprintf("field_%d", i+1)
	}
	return s
}()
