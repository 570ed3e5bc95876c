package luaplugins

import (
	"runtime"
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/heimnetz/heimnetz/limits"
)

// Scripts for the sandbox-overhead benchmarks: each defines collect().
var benchScripts = map[string]string{
	"cpu": `function collect()
  local function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end
  local s = 0
  for i = 1, 20000 do s = s + (i % 7) * 3 end
  return fib(20) + s
end`,
	"string": `function collect()
  local parts = {}
  for i = 1, 2000 do parts[#parts+1] = string.format("%d:%s", i, ("x"):rep(i % 10)) end
  local s = table.concat(parts, ",")
  local n = 0
  for w in s:gmatch("%d+") do n = n + #w end
  return s:upper():sub(1, 10), n
end`,
	"table": `function collect()
  local t = {}
  for i = 1, 5000 do t[i] = {id = i, name = "n" .. i} end
  table.sort(t, function(a, b) return a.id > b.id end)
  local m = {}
  for _, v in ipairs(t) do m[v.name] = v.id end
  return #t
end`,
}

// plainState opens an unmetered state with the same libraries.
func plainState() *lua.LState {
	L := lua.NewState(lua.Options{SkipOpenLibs: true, CallStackSize: 200, RegistrySize: registryStart, RegistryMaxSize: registryMax, RegistryGrowStep: registryStep})
	for _, lib := range []struct {
		n string
		f lua.LGFunction
	}{{lua.BaseLibName, lua.OpenBase}, {lua.TabLibName, lua.OpenTable}, {lua.StringLibName, lua.OpenString}, {lua.MathLibName, lua.OpenMath}} {
		L.Push(L.NewFunction(lib.f))
		L.Push(lua.LString(lib.n))
		L.Call(1, 0)
	}
	return L
}

// BenchmarkSandboxOverhead runs the same collect() on a plain LState and
// under heimnetz's limits, side by side: compare plain/X with sandbox/X.
func BenchmarkSandboxOverhead(b *testing.B) {
	for _, name := range []string{"cpu", "string", "table"} {
		code := benchScripts[name]
		b.Run("plain/"+name, func(b *testing.B) {
			L := plainState()
			defer L.Close()
			if err := L.DoString(code); err != nil {
				b.Fatal(err)
			}
			fn := L.GetGlobal("collect")
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := L.CallByParam(lua.P{Fn: fn, NRet: 0, Protect: true}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("sandbox/"+name, func(b *testing.B) {
			lim := limits.Defaults()
			lim.Instructions = 1 << 40
			lim.Memory = 32 << 20
			lim.Timeout = time.Minute
			p, _, err := Load(&Source{Main: []byte(code), Manifest: &Manifest{Name: "bench", Version: "1.0.0", Limits: lim}}, Env{})
			if err != nil {
				b.Fatal(err)
			}
			defer p.Close()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := p.Collect(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchMemory is the memory limit of the interleaved benchmark.
var benchMemory int64 = 32 << 20

// BenchmarkSandboxInterleaved runs the plain and the sandboxed call in
// turn inside one loop, so machine load hits both alike, and reports both
// times and their ratio (sandbox/plain).
func BenchmarkSandboxInterleaved(b *testing.B) {
	for _, name := range []string{"cpu", "string", "table"} {
		code := benchScripts[name]
		b.Run(name, func(b *testing.B) {
			L := plainState()
			defer L.Close()
			if err := L.DoString(code); err != nil {
				b.Fatal(err)
			}
			fn := L.GetGlobal("collect")
			lim := limits.Defaults()
			lim.Instructions = 1 << 40
			lim.Memory = benchMemory
			lim.Timeout = time.Minute
			p, _, err := Load(&Source{Main: []byte(code), Manifest: &Manifest{Name: "bench", Version: "1.0.0", Limits: lim}}, Env{})
			if err != nil {
				b.Fatal(err)
			}
			defer p.Close()
			var plain, sandbox time.Duration
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				if err := L.CallByParam(lua.P{Fn: fn, NRet: 0, Protect: true}); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if _, err := p.Collect(); err != nil {
					b.Fatal(err)
				}
				plain += t1.Sub(t0)
				sandbox += time.Since(t1)
			}
			b.ReportMetric(float64(plain.Nanoseconds())/float64(b.N), "plain-ns/op")
			b.ReportMetric(float64(sandbox.Nanoseconds())/float64(b.N), "sandbox-ns/op")
			b.ReportMetric(float64(sandbox)/float64(plain), "ratio")
		})
	}
}

// BenchmarkCollectTrivial is the fixed cost of one collect() call of a
// plugin that does nothing: limits armed, CPU time read, stats gathered.
func BenchmarkCollectTrivial(b *testing.B) {
	p, _, err := Load(&Source{Main: []byte("function collect() end"), Manifest: &Manifest{Name: "t", Version: "1.0.0", Limits: limits.Defaults()}}, Env{})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	for i := 0; i < b.N; i++ {
		if _, err := p.Collect(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIdleState reports the Go heap held by one idle plugin state
// (a loaded plugin with log, kv and metrics granted) as bytes/state.
func BenchmarkIdleState(b *testing.B) {
	src := &Source{Main: []byte("function collect() end"), Manifest: &Manifest{Name: "idle", Version: "1.0.0", Permissions: []string{"log", "kv", "metrics"}, Limits: limits.Defaults()}}
	env := Env{KV: &memKV{m: map[string]string{}}, Registry: NewRegistry(), Families: NewFamilies()}
	var perState float64
	for i := 0; i < b.N; i++ {
		perState = idleHeap(b, src, env, 200)
	}
	b.ReportMetric(perState, "heap-bytes/state")
}

// idleHeap loads n plugins and returns the Go heap each holds. It is a
// function of its own so the loaded states are unreachable once it
// returns and do not count in the next round.
func idleHeap(b *testing.B, src *Source, env Env, n int) float64 {
	var before, after runtime.MemStats
	// Two cycles: objects with finalizers from the previous round are
	// freed only by the second.
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&before)
	ps := make([]*Plugin, n)
	for j := range ps {
		p, _, err := Load(src, env)
		if err != nil {
			b.Fatal(err)
		}
		ps[j] = p
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	for _, p := range ps {
		p.Close()
	}
	return float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(n)
}

func TestBenchScriptsRun(t *testing.T) {
	for name, code := range benchScripts {
		lim := limits.Defaults()
		lim.Instructions = 1 << 40
		lim.Memory = 32 << 20
		p, _, err := Load(&Source{Main: []byte(code), Manifest: &Manifest{Name: "bench", Version: "1.0.0", Limits: lim}}, Env{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := p.Collect(); err != nil || !strings.Contains(code, "collect") {
			t.Fatalf("%s: %v", name, err)
		}
		p.Close()
	}
}
