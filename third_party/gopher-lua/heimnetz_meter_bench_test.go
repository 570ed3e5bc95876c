package lua

import (
	"runtime"
	"testing"
	"time"
)

var benchScripts = []struct {
	name string
	src  string
}{
	{"fib27", `local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
		return fib(27)`},
	{"strings", `local parts = {}
		for i = 1, 2000 do parts[#parts + 1] = string.format("%d:%s", i, ("x"):rep(i % 10)) end
		local s = table.concat(parts, ",")
		local n = 0
		for w in s:gmatch("%d+") do n = n + #w end
		local u = s:upper():gsub("X", "y")
		local r = ""
		for i = 1, 200 do r = r .. tostring(i) .. ";" end
		return n + #u + #r + #(s:sub(10, 5000):lower())`},
	{"tables", `local t = {}
		for i = 1, 20000 do t[i] = {id = i, name = "n" .. (i % 100), v = i * 2} end
		local idx = {}
		for _, r in ipairs(t) do idx[r.name] = (idx[r.name] or 0) + r.v end
		local keys = {}
		for k in pairs(idx) do keys[#keys + 1] = k end
		table.sort(keys)
		local sum = 0
		for _, k in ipairs(keys) do sum = sum + idx[k] end
		for i = 1, 5000 do table.insert(t, {i}) end
		return sum + #t`},
}

// benchMeter is how a benchmark meters its state.
type benchMeter int

const (
	benchNoMeter benchMeter = iota
	benchMeterUnlimited
	benchMeterLimits
)

func (bm benchMeter) String() string {
	return [...]string{"nometer", "meter", "limits"}[bm]
}

func BenchmarkMeter(b *testing.B) {
	for _, sc := range benchScripts {
		for _, bm := range []benchMeter{benchNoMeter, benchMeterUnlimited, benchMeterLimits} {
			b.Run(sc.name+"/"+bm.String(), func(b *testing.B) {
				// A growable data stack: upstream's table.concat pushes every element.
				L := NewState(Options{SkipOpenLibs: true, RegistrySize: 1024, RegistryMaxSize: 65536,
					RegistryGrowStep: 1024, CallStackSize: 64})
				defer L.Close()
				for _, open := range []LGFunction{OpenBase, OpenTable, OpenString, OpenMath, OpenCoroutine} {
					L.Push(L.NewFunction(open))
					L.Call(0, 0)
				}
				var m *Meter
				if bm != benchNoMeter {
					m = NewMeter()
					L.SetMeter(m)
					if bm == benchMeterLimits {
						m.SetMemoryLimit(32 * mib)
					}
				}
				fn, err := L.LoadString(sc.src)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if m != nil {
						if bm == benchMeterLimits {
							m.Reset(1e10)
						} else {
							m.Reset(0)
						}
					}
					L.Push(fn)
					if err := L.PCall(0, 1, nil); err != nil {
						b.Fatal(err)
					}
					L.Pop(1)
				}
			})
		}
	}
}

// BenchmarkIdleState reports the Go heap held by an idle sandbox state with
// a meter (SkipOpenLibs plus base, table, string, math and coroutine,
// RegistrySize 1024, CallStackSize 64) and the meter's own estimate of it.
func BenchmarkIdleState(b *testing.B) {
	const n = 200
	states := make([]*LState, n)
	var estimate int64
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for j := range states {
			L := NewState(Options{SkipOpenLibs: true, RegistrySize: 1024, CallStackSize: 64})
			for _, open := range []LGFunction{OpenBase, OpenTable, OpenString, OpenMath, OpenCoroutine} {
				L.Push(L.NewFunction(open))
				L.Call(0, 0)
			}
			m := NewMeter()
			L.SetMeter(m)
			estimate = m.MemoryInUse()
			states[j] = L
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "heap-B/state")
		b.ReportMetric(float64(estimate), "estimate-B/state")
		for j := range states {
			states[j].Close()
			states[j] = nil
		}
	}
}

// BenchmarkMeterInterleaved runs the three variants of each script in turn
// within one loop, so a noisy machine affects them alike, and reports each
// variant's time per run and the ratios to the unmetered run.
func BenchmarkMeterInterleaved(b *testing.B) {
	for _, sc := range benchScripts {
		b.Run(sc.name, func(b *testing.B) {
			type variant struct {
				L    *LState
				m    *Meter
				fn   *LFunction
				kind benchMeter
				ns   int64
			}
			variants := make([]*variant, 0, 3)
			for _, bm := range []benchMeter{benchNoMeter, benchMeterUnlimited, benchMeterLimits} {
				L := NewState(Options{SkipOpenLibs: true, RegistrySize: 1024, RegistryMaxSize: 65536,
					RegistryGrowStep: 1024, CallStackSize: 64})
				defer L.Close()
				for _, open := range []LGFunction{OpenBase, OpenTable, OpenString, OpenMath, OpenCoroutine} {
					L.Push(L.NewFunction(open))
					L.Call(0, 0)
				}
				v := &variant{L: L, kind: bm}
				if bm != benchNoMeter {
					v.m = NewMeter()
					L.SetMeter(v.m)
					if bm == benchMeterLimits {
						v.m.SetMemoryLimit(32 * mib)
					}
				}
				fn, err := L.LoadString(sc.src)
				if err != nil {
					b.Fatal(err)
				}
				v.fn = fn
				variants = append(variants, v)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				for _, v := range variants {
					if v.m != nil {
						if v.kind == benchMeterLimits {
							v.m.Reset(1e10)
						} else {
							v.m.Reset(0)
						}
					}
					start := nanotime()
					v.L.Push(v.fn)
					if err := v.L.PCall(0, 1, nil); err != nil {
						b.Fatal(err)
					}
					v.L.Pop(1)
					v.ns += nanotime() - start
				}
			}
			base := float64(variants[0].ns)
			for _, v := range variants {
				b.ReportMetric(float64(v.ns)/float64(b.N)/1e6, v.kind.String()+"-ms")
			}
			b.ReportMetric(float64(variants[1].ns)/base, "meter/nometer")
			b.ReportMetric(float64(variants[2].ns)/base, "limits/nometer")
		})
	}
}

func nanotime() int64 { return time.Now().UnixNano() }
