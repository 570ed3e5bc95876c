package luaplugins

import (
	"sort"

	lua "github.com/yuin/gopher-lua"
)

// Func documents and implements one host function. The same value
// installs the function into Lua and feeds `heimnetz docs` and
// `heimnetz plugin check`, so the reference cannot drift from the code.
type Func struct {
	Name    string   // name inside its module, e.g. "set"
	Args    string   // signature as a plugin author writes it: "key, value"
	Returns string   // what it returns, e.g. "string or nil"
	Doc     string   // one or two sentences
	Errors  []string // errors it raises, in plain words
	Limits  []string // limits that apply to it
	// New builds the Lua function bound to one plugin's host.
	New func(h *Host) lua.LGFunction
}

// Module is a table of host functions a plugin gets when its manifest
// grants Permission. The base module (Permission "") holds globals every
// plugin has.
type Module struct {
	Name       string
	Permission string
	Doc        string
	Funcs      []Func
}

// Registry holds every host module. Build it once with NewRegistry and
// pass it down; it is read-only afterwards.
type Registry struct {
	modules []Module
}

// NewRegistry returns the registry of all host modules heimnetz offers.
func NewRegistry() *Registry {
	return &Registry{modules: []Module{baseModule(), logModule(), kvModule(), metricsModule(), boardModule(), clientsModule(), jsonModule()}}
}

// Modules returns the modules in a stable order (base first, then by name).
func (r *Registry) Modules() []Module {
	out := append([]Module(nil), r.modules...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Permission == "" || out[j].Permission == "" {
			return out[i].Permission == ""
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// Permissions returns every permission a manifest may name, sorted.
func (r *Registry) Permissions() []string {
	var p []string
	for _, m := range r.modules {
		if m.Permission != "" {
			p = append(p, m.Permission)
		}
	}
	sort.Strings(p)
	return p
}

// Module returns the module named name.
func (r *Registry) Module(name string) (Module, bool) {
	for _, m := range r.modules {
		if m.Name == name {
			return m, true
		}
	}
	return Module{}, false
}

// install puts the base functions and every granted module into L.
func (r *Registry) install(L *lua.LState, h *Host, granted func(string) bool) {
	for _, m := range r.modules {
		if m.Permission != "" && !granted(m.Permission) {
			continue
		}
		if m.Permission == "" {
			for _, f := range m.Funcs {
				L.SetGlobal(f.Name, L.NewFunction(checked(f.New(h))))
			}
			continue
		}
		t := L.CreateTable(0, len(m.Funcs))
		for _, f := range m.Funcs {
			t.RawSetString(f.Name, L.NewFunction(checked(f.New(h))))
		}
		L.SetGlobal(m.Name, t)
	}
}

// checked makes fn end the call with the limit in effect before and after
// it runs: a call whose wall time ran out (or that the agent stopped)
// while it waited in a host function ends when that function returns,
// not up to 1024 VM instructions — perhaps hundreds of host calls, each
// waiting for a commit — later. So a call outlasts its time limit by at
// most one host call.
func checked(fn lua.LGFunction) lua.LGFunction {
	return func(L *lua.LState) int {
		m := L.Meter()
		if m == nil {
			return fn(L)
		}
		m.Check()
		n := fn(L)
		m.Check()
		return n
	}
}
