package check

import (
	"sync"

	lua "github.com/yuin/gopher-lua"

	"github.com/heimnetz/heimnetz/luaplugins"
)

// sandboxNames is what a plugin's state holds before any host module is
// installed: the globals of the safe libraries and the fields of each
// library table, read from a real state opened with the same libraries
// the runtime opens and the same removals.
type sandboxNames struct {
	globals map[string]bool
	fields  map[string]map[string]bool // library → its functions
}

var (
	sandboxOnce sync.Once
	sandbox     sandboxNames
)

// openers maps luaplugins.SafeLibraries to the functions that open them.
var openers = map[string]lua.LGFunction{
	lua.TabLibName:       lua.OpenTable,
	lua.StringLibName:    lua.OpenString,
	lua.MathLibName:      lua.OpenMath,
	lua.CoroutineLibName: lua.OpenCoroutine,
}

func sandboxGlobals() sandboxNames {
	sandboxOnce.Do(func() {
		L := lua.NewState(lua.Options{SkipOpenLibs: true})
		defer L.Close()
		libs := map[string]lua.LGFunction{lua.BaseLibName: lua.OpenBase}
		for _, name := range luaplugins.SafeLibraries {
			if fn, ok := openers[name]; ok {
				libs[name] = fn
			}
		}
		for name, fn := range libs {
			L.Push(L.NewFunction(fn))
			L.Push(lua.LString(name))
			L.Call(1, 0)
		}
		g := L.G.Global
		for _, name := range luaplugins.RemovedGlobals() {
			g.RawSetString(name, lua.LNil)
		}
		if s, ok := g.RawGetString("string").(*lua.LTable); ok {
			s.RawSetString("dump", lua.LNil)
		}
		sandbox = sandboxNames{globals: map[string]bool{}, fields: map[string]map[string]bool{}}
		g.ForEach(func(k, v lua.LValue) {
			name, ok := k.(lua.LString)
			if !ok {
				return
			}
			sandbox.globals[string(name)] = true
			if t, ok := v.(*lua.LTable); ok && string(name) != "_G" {
				fields := map[string]bool{}
				t.ForEach(func(fk, _ lua.LValue) {
					if s, ok := fk.(lua.LString); ok {
						fields[string(s)] = true
					}
				})
				sandbox.fields[string(name)] = fields
			}
		})
	})
	return sandbox
}

// forbidden are globals a plugin never has: the removed base functions
// and the libraries the sandbox does not open.
func forbidden() map[string]bool {
	out := map[string]bool{}
	for _, n := range luaplugins.ClosedLibraries() {
		out[n] = true
	}
	for _, n := range luaplugins.RemovedGlobals() {
		out[n] = true
	}
	return out
}

// removedFields are library functions the sandbox takes out.
var removedFields = map[string]map[string]bool{"string": {"dump": true}}
