package lua

import "testing"

// TestStringKeyCount checks the count, and the entries ForEachString
// gives, against what Next finds, for
// tables built every way a plugin builds them, before and after keys are
// deleted, and that tables with other keys are refused.
func TestStringKeyCount(t *testing.T) {
	cases := []struct {
		src  string
		n    int
		only bool
	}{
		{`return {}`, 0, true},
		{`return {a = 1, b = "x", c = true}`, 3, true},
		{`local t = {a = 1, b = 2} t.a = nil return t`, 1, true},
		{`local t = {} for i = 1, 100 do t["k" .. i] = i end for i = 1, 90 do t["k" .. i] = nil end return t`, 10, true},
		{`local t = {a = 1} for k in pairs(t) do end t.b = 2 return t`, 2, true},
		{`local t = {a = 1} t.a = nil return t`, 0, true},
		{`return {1, a = 1}`, 0, false},
		{`return {[1.5] = 1, a = 1}`, 0, false},
		{`return {[true] = 1}`, 0, false},
		{`local t = {} t[1] = 1 t[1] = nil t.a = 1 return t`, 0, false},
		{`local t = {[2.5] = 1, a = 1} t[2.5] = nil return t`, 1, true},
	}
	L, _ := newMeteredState(t, 0)
	for _, c := range cases {
		if err := L.DoString(c.src); err != nil {
			t.Fatal(err)
		}
		tb := L.Get(-1).(*LTable)
		L.Pop(1)
		n, only := tb.StringKeyCount()
		if n != c.n || only != c.only {
			t.Errorf("%s: StringKeyCount = %d, %v; want %d, %v", c.src, n, only, c.n, c.only)
		}
		if !only {
			continue
		}
		walked := 0
		for k, _ := tb.Next(LNil); k != LNil; k, _ = tb.Next(k) {
			if _, ok := k.(LString); !ok {
				t.Errorf("%s: Next found key %v", c.src, k)
			}
			walked++
		}
		if walked != n {
			t.Errorf("%s: Next walked %d entries, StringKeyCount %d", c.src, walked, n)
		}
		each := 0
		tb.ForEachString(func(k string, v LValue) {
			if got := tb.RawGetString(k); got != v || v == LNil {
				t.Errorf("%s: ForEachString gave %s = %v, the table holds %v", c.src, k, v, got)
			}
			each++
		})
		if each != n {
			t.Errorf("%s: ForEachString walked %d entries, StringKeyCount %d", c.src, each, n)
		}
	}
}
