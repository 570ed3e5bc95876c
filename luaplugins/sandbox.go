package luaplugins

import (
	lua "github.com/yuin/gopher-lua"

	"github.com/heimnetz/heimnetz/limits"
)

// removedGlobals are base functions a plugin must not have: they load
// code, reach the file system, change environments or expose internals.
var removedGlobals = []string{
	"load", "loadstring", "dofile", "loadfile", "require", "module",
	"getfenv", "setfenv", "newproxy", "_printregs", "_GOPHER_LUA_VERSION",
}

// RemovedGlobals returns the names the sandbox takes out of the base
// library, for the static checker and the docs.
func RemovedGlobals() []string { return append([]string(nil), removedGlobals...) }

// SafeLibraries are the standard libraries a plugin state opens.
var SafeLibraries = []string{"string", "table", "math", "coroutine"}

// closedLibraries are the libraries gopher-lua offers that a plugin state
// never opens: they reach files, processes, the loader, the VM's
// internals or Go channels and goroutines (channel).
var closedLibraries = []string{
	lua.LoadLibName, lua.IoLibName, lua.OsLibName, lua.DebugLibName, lua.ChannelLibName,
}

// ClosedLibraries returns the names of the libraries the sandbox does not
// open, for the static checker and the docs. With SafeLibraries and the
// base library they cover every library gopher-lua has (a test keeps it
// so).
func ClosedLibraries() []string { return append([]string(nil), closedLibraries...) }

// registry sizing: small to start (a state is cheap), allowed to grow for
// table.concat and deep calls; growth is charged to the plugin's memory.
const (
	registryStart = 512
	registryMax   = 256 * 1024
	registryStep  = 512
)

// newSandbox opens a Lua state with only the safe libraries and a meter
// configured from lim. print and collectgarbage are replaced by the
// caller's versions through hostBase.
func newSandbox(lim limits.Limits) (*lua.LState, *lua.Meter) {
	L := lua.NewState(lua.Options{
		SkipOpenLibs:     true,
		CallStackSize:    lim.CallStack,
		RegistrySize:     registryStart,
		RegistryMaxSize:  registryMax,
		RegistryGrowStep: registryStep,
		// Grow the call stack on demand instead of allocating all
		// CallStack frames up front: most plugins never go deep.
		MinimizeStackMemory: true,
	})
	m := lua.NewMeter()
	m.SetMemoryLimit(lim.Memory)
	m.SetMaxDepth(lim.Depth)
	L.SetMeter(m)
	for _, lib := range []struct {
		name string
		fn   lua.LGFunction
	}{
		{lua.BaseLibName, lua.OpenBase},
		{lua.TabLibName, lua.OpenTable},
		{lua.StringLibName, lua.OpenString},
		{lua.MathLibName, lua.OpenMath},
		{lua.CoroutineLibName, lua.OpenCoroutine},
	} {
		L.Push(L.NewFunction(lib.fn))
		L.Push(lua.LString(lib.name))
		L.Call(1, 0)
	}
	g := L.G.Global
	for _, name := range removedGlobals {
		g.RawSetString(name, lua.LNil)
	}
	if s, ok := g.RawGetString("string").(*lua.LTable); ok {
		s.RawSetString("dump", lua.LNil)
	}
	// math.random is fine; math.randomseed would let plugins make other
	// plugins' sequences predictable only in their own state, which is harmless.
	return L, m
}
