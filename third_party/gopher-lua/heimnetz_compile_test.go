package lua

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/yuin/gopher-lua/parse"
)

// nested returns open×n + middle + close×n.
func nested(open, middle, close string, n int) string {
	return strings.Repeat(open, n) + middle + strings.Repeat(close, n)
}

// deepSources nest n levels of one construct each.
var deepSources = map[string]func(n int) string{
	"parentheses":     func(n int) string { return "x = " + nested("(", "1", ")", n) },
	"tables":          func(n int) string { return "x = " + nested("{", "", "}", n) },
	"functions":       func(n int) string { return nested("function f() ", "", " end", n) },
	"local functions": func(n int) string { return nested("local f = function() ", "", " end", n) },
	"do blocks":       func(n int) string { return nested("do ", "", " end", n) },
	"ifs":             func(n int) string { return nested("if x then ", "", " end", n) },
	"whiles":          func(n int) string { return nested("while x do ", "", " end", n) },
	"repeats":         func(n int) string { return nested("repeat ", "", " until x", n) },
	"not":             func(n int) string { return "x = " + strings.Repeat("not ", n) + "1" },
	"unary minus":     func(n int) string { return "x = " + strings.Repeat("- ", n) + "y" },
	"power":           func(n int) string { return "x = 2" + strings.Repeat("^2", n) },
	"concatenation":   func(n int) string { return "x = 'a'" + strings.Repeat("..'a'", n) },
	"calls":           func(n int) string { return "x = " + nested("f(", "1", ")", n) },
	"indexes":         func(n int) string { return "x = " + nested("a[", "1", "]", n) },
	"sum chain":       func(n int) string { return "x = y" + strings.Repeat("+y", n) },
	"field chain":     func(n int) string { return "x = y" + strings.Repeat(".b", n) },
	"call chain":      func(n int) string { return "x = f" + strings.Repeat("()", n) },
	"and chain":       func(n int) string { return "x = y" + strings.Repeat(" and y", n) },
	"condition chain": func(n int) string { return "if y" + strings.Repeat(" or y", n) + " then end" },
	"mixed":           func(n int) string { return "x = " + nested("1+2*f{a=-(", "1", ")}", n) },
}

// TestCompileNestingLimit checks that source nested far beyond C Lua's
// limit fails with its message, quickly and without a large Go stack,
// with and without a meter (patch 10).
func TestCompileNestingLimit(t *testing.T) {
	for name, gen := range deepSources {
		t.Run(name, func(t *testing.T) {
			src := gen(200_000)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			L := NewState(Options{SkipOpenLibs: true})
			defer L.Close()
			_, err := L.LoadString(src)
			took := time.Since(start)
			runtime.ReadMemStats(&after)
			if err == nil || !strings.Contains(err.Error(), parse.ErrTooDeep) {
				t.Fatalf("err = %v, want %q", err, parse.ErrTooDeep)
			}
			if took > 2*time.Second {
				t.Errorf("took %v", took)
			}
			if grew := after.StackInuse - before.StackInuse; after.StackInuse > before.StackInuse && grew > 16<<20 {
				t.Errorf("Go stack grew by %d MiB", grew>>20)
			}
			Lm, _ := newMeteredState(t, 0)
			if _, err := Lm.LoadString(src); err == nil || !strings.Contains(err.Error(), parse.ErrTooDeep) {
				t.Fatalf("metered: err = %v, want %q", err, parse.ErrTooDeep)
			}
		})
	}
}

// TestCompileModerateNesting checks that 150 levels of every construct,
// which C Lua 5.1 accepts, still compile.
func TestCompileModerateNesting(t *testing.T) {
	for name, gen := range deepSources {
		if name == "mixed" {
			continue // 5 constructs per level
		}
		t.Run(name, func(t *testing.T) {
			L, _ := newMeteredState(t, 0)
			if _, err := L.LoadString(gen(150)); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestCompileIsLinear compiles sources that upstream compiled in
// quadratic time (constants found by a scan, elseif chains compiled by
// recursion, label runs scanned per statement).
func TestCompileIsLinear(t *testing.T) {
	var consts, strs, elseifs strings.Builder
	consts.WriteString("local t = {")
	strs.WriteString("local t = {")
	elseifs.WriteString("local x = 0 if x == -1 then x = -1 ")
	for i := 0; i < 100_000; i++ {
		fmt.Fprintf(&consts, "%d,", i)
		fmt.Fprintf(&strs, "'s%d',", i)
		if i < 20_000 {
			fmt.Fprintf(&elseifs, "elseif x == %d then x = %d ", i, i)
		}
	}
	consts.WriteString("}")
	strs.WriteString("}")
	elseifs.WriteString("end")
	labels := "do " + strings.Repeat("::a:: do end ", 1) + "end " + strings.Repeat("do ::l:: end ", 50_000)
	for name, src := range map[string]string{
		"100,000 number constants": consts.String(),
		"100,000 string constants": strs.String(),
		"20,000 elseifs":           elseifs.String(),
		"50,000 labels":            labels,
	} {
		t.Run(name, func(t *testing.T) {
			L := NewState(Options{SkipOpenLibs: true})
			defer L.Close()
			start := time.Now()
			if _, err := L.LoadString(src); err != nil {
				t.Fatal(err)
			}
			// Upstream: 100,000 constants ~6 s, 20,000 elseifs ~2 s.
			if took := time.Since(start); took > 2*time.Second {
				t.Errorf("took %v", took)
			}
		})
	}
}

// TestCompileElseifChain checks that the loop compiling elseif chains
// keeps their meaning, with locals, upvalues and gotos around.
func TestCompileElseifChain(t *testing.T) {
	L, _ := newMeteredState(t, 0)
	err := runChunk(L, `
		local function classify(x)
			local r
			if x < 0 then r = "neg" elseif x == 0 then r = "zero"
			elseif x < 10 then local y = x * 2 r = function() return y end
			else if x < 100 then r = "big" else r = "huge" end end
			return r
		end
		local out = {}
		for _, x in ipairs({-1, 0, 5, 50, 500}) do
			local r = classify(x)
			if type(r) == "function" then r = r() end
			out[#out + 1] = tostring(r)
		end
		for i = 1, 3 do
			if i == 1 then goto continue elseif i == 2 then out[#out + 1] = "two" else out[#out + 1] = "three" end
			::continue::
		end
		result = table.concat(out, ",")`)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := L.GetGlobal("result").String(), "neg,zero,10,big,huge,two,three"; got != want {
		t.Fatalf("result = %q, want %q", got, want)
	}
}

// TestCompileUnderMeter checks that compiling charges the budget, notices
// Stop and holds the parse tree against the memory cap, for load() inside
// a call and for the host's own Load outside one.
func TestCompileUnderMeter(t *testing.T) {
	big := "local t = {" + strings.Repeat("1,", 200_000) + "}"
	t.Run("budget in loadstring", func(t *testing.T) {
		L, _ := newMeteredState(t, 1_000_000)
		L.SetGlobal("src", LString(big))
		if err := runChunk(L, `while true do loadstring(src) end`); !errors.Is(err, ErrInstructionLimit) {
			t.Fatalf("err = %v, want ErrInstructionLimit", err)
		}
	})
	t.Run("budget in host Load", func(t *testing.T) {
		L, _ := newMeteredState(t, 100_000)
		if _, err := L.LoadString(big); !errors.Is(err, ErrInstructionLimit) {
			t.Fatalf("err = %v, want ErrInstructionLimit", err)
		}
	})
	t.Run("memory cap in host Load", func(t *testing.T) {
		L, m := newMeteredState(t, 0)
		m.SetMemoryLimit(2 << 20)
		if _, err := L.LoadString(big); !errors.Is(err, ErrMemoryLimit) {
			t.Fatalf("err = %v, want ErrMemoryLimit", err)
		}
		if m.Held() != 0 {
			t.Fatalf("Held() = %d after the failed load", m.Held())
		}
	})
	t.Run("memory cap in load with a reader", func(t *testing.T) {
		L, m := newMeteredState(t, 0)
		m.SetMemoryLimit(4 << 20)
		err := runChunk(L, `local n = 0 local f = load(function() n = n + 1 if n < 200000 then return "x = 1 " end end)`)
		if !errors.Is(err, ErrMemoryLimit) {
			t.Fatalf("err = %v, want ErrMemoryLimit", err)
		}
	})
	t.Run("stop", func(t *testing.T) {
		L, m := newMeteredState(t, 0)
		L.SetGlobal("src", LString(big))
		stop := errors.New("deadline")
		timer := time.AfterFunc(100*time.Millisecond, func() { m.Stop(stop) })
		defer timer.Stop()
		start := time.Now()
		if err := runChunk(L, `while true do loadstring(src) end`); !errors.Is(err, stop) {
			t.Fatalf("err = %v, want the Stop error", err)
		}
		if took := time.Since(start); took > 500*time.Millisecond {
			t.Errorf("stopped after %v", took)
		}
	})
	t.Run("usable after a failed load", func(t *testing.T) {
		L, m := newMeteredState(t, 1000)
		if _, err := L.LoadString(big); !errors.Is(err, ErrInstructionLimit) {
			t.Fatalf("err = %v", err)
		}
		m.Reset(0)
		if err := runChunk(L, `x = 1 + 1`); err != nil || L.GetGlobal("x") != LNumber(2) {
			t.Fatalf("err = %v, x = %v", err, L.GetGlobal("x"))
		}
	})
}

// TestCompileUpvalueLimit checks that a function with more upvalues than
// its uint8 count can hold fails to compile instead of running wrong code.
func TestCompileUpvalueLimit(t *testing.T) {
	var b strings.Builder
	for f := 0; f < 2; f++ {
		b.WriteString("local function f() ")
		for i := 0; i < 150; i++ {
			fmt.Fprintf(&b, "local v%d_%d = %d ", f, i, i)
		}
	}
	b.WriteString("return function() return 0")
	for f := 0; f < 2; f++ {
		for i := 0; i < 150; i++ {
			fmt.Fprintf(&b, "+v%d_%d", f, i)
		}
	}
	b.WriteString(" end end end")
	L := NewState(Options{SkipOpenLibs: true})
	defer L.Close()
	if _, err := L.LoadString(b.String()); err == nil || !strings.Contains(err.Error(), "upvalues") {
		t.Fatalf("err = %v, want too many upvalues", err)
	}
}
