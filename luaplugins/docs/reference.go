package docs

import (
	"github.com/heimnetz/heimnetz/limits"
	"github.com/heimnetz/heimnetz/luaplugins"
	"github.com/heimnetz/heimnetz/luaplugins/check"
	"github.com/heimnetz/heimnetz/luaplugins/testrunner"
)

// Reference is the whole generated reference.
type Reference struct {
	Version  string       `json:"version"`
	Sandbox  Sandbox      `json:"sandbox"`
	Hooks    []Hook       `json:"hooks"`
	Modules  []Module     `json:"modules"`
	Manifest []Field      `json:"manifest"`
	TestAPI  []TestFunc   `json:"test_api"`
	Rules    []check.Rule `json:"check_rules"`
	Plugins  []Plugin     `json:"plugins"`
}

// Sandbox says what every plugin's Lua state holds.
type Sandbox struct {
	Libraries []string `json:"libraries"`
	Removed   []string `json:"removed"`
}

// Hook is a global function the agent calls.
type Hook struct {
	Name string `json:"name"`
	Doc  string `json:"doc"`
}

// Module is one host module.
type Module struct {
	Name       string `json:"name"`
	Permission string `json:"permission"` // "" for the base functions every plugin has
	Doc        string `json:"doc"`
	Funcs      []Func `json:"functions"`
}

// Func is one host function.
type Func struct {
	Name    string   `json:"name"` // as called: "kv.set" or "print"
	Args    string   `json:"args"`
	Returns string   `json:"returns"`
	Doc     string   `json:"doc"`
	Errors  []string `json:"errors"`
	Limits  []string `json:"limits"`
}

// Field is one manifest field.
type Field struct {
	Name    string `json:"name"`
	Format  string `json:"format"`
	Default string `json:"default"`
	Ceiling string `json:"ceiling,omitempty"`
	Doc     string `json:"doc"`
}

// TestFunc is one function of the test API.
type TestFunc struct {
	Name string `json:"name"`
	Args string `json:"args"`
	Doc  string `json:"doc"`
}

// Plugin is one installed or bundled plugin.
type Plugin struct {
	Name        string            `json:"name"`
	Version     string            `json:"version"`
	Description string            `json:"description"`
	Origin      string            `json:"origin"`
	Interval    string            `json:"interval"`
	Permissions []string          `json:"permissions"`
	Limits      map[string]string `json:"limits"`
	Metrics     []string          `json:"metrics"`
}

// Build assembles the reference from the registry and the given plugins.
func Build(reg *luaplugins.Registry, plugins []*luaplugins.Source, version string) Reference {
	if reg == nil {
		reg = luaplugins.NewRegistry()
	}
	r := Reference{
		Version: version,
		Sandbox: Sandbox{Libraries: append([]string{"base"}, luaplugins.SafeLibraries...), Removed: append(luaplugins.RemovedGlobals(), "string.dump", "io", "os", "debug", "package")},
		Hooks: []Hook{
			{"collect", "Runs every interval under the plugin's per-call limits. Required: the agent does not schedule a plugin without it."},
			{"test_*", "In test.lua only: every global function whose name starts with test_ is one test, run by `heimnetz plugin test` in source order, each on a freshly loaded plugin (main.lua, then test.lua) with an empty kv store of its own."},
			{testrunner.SharedKV, "In test.lua only: `" + testrunner.SharedKV + " = true` at its top level makes the tests share one kv store, in source order (the plugin is still loaded afresh for each test, as after a restart of the agent)."},
		},
		Rules:   check.Rules(),
		Plugins: []Plugin{},
	}
	for _, m := range reg.Modules() {
		md := Module{Name: m.Name, Permission: m.Permission, Doc: m.Doc}
		for _, f := range m.Funcs {
			name := f.Name
			if m.Permission != "" {
				name = m.Name + "." + f.Name
			}
			md.Funcs = append(md.Funcs, Func{Name: name, Args: f.Args, Returns: f.Returns, Doc: f.Doc,
				Errors: append([]string{}, f.Errors...), Limits: append([]string{}, f.Limits...)})
		}
		r.Modules = append(r.Modules, md)
	}
	r.Manifest = manifestFields(reg)
	for _, a := range testrunner.Assertions {
		r.TestAPI = append(r.TestAPI, TestFunc{Name: a.Name, Args: a.Args, Doc: a.Doc})
	}
	for _, src := range plugins {
		m := src.Manifest
		p := Plugin{Name: m.Name, Version: m.Version, Description: m.Description, Origin: src.Origin, Interval: m.Interval.String(),
			Permissions: append([]string{}, m.Permissions...), Limits: map[string]string{}}
		for _, k := range limits.Keys() {
			p.Limits[k] = m.Limits.Format(k)
		}
		p.Metrics = check.Source(src, check.Options{Registry: reg, TestGlobals: testrunner.Globals()}).Metrics
		r.Plugins = append(r.Plugins, p)
	}
	return r
}

// manifestFields describes every manifest field with values from the code.
func manifestFields(reg *luaplugins.Registry) []Field {
	def, ceil := limits.Defaults(), limits.Ceilings()
	perms := ""
	for i, p := range reg.Permissions() {
		if i > 0 {
			perms += ", "
		}
		perms += p
	}
	fields := []Field{
		{"name", "[a-z][a-z0-9-]{0,31}", "required", "", "The plugin's name; equal to its directory name and to the name in its package."},
		{"version", "semantic version (1.2.0)", "required", "", "A new version re-enables a plugin the agent disabled after repeated limit breaks."},
		{"description", "text, at most 200 characters", "empty", "", "Shown on the status page and in this reference."},
		{"interval", "duration (15s, 1m)", luaplugins.DefaultInterval.String(), "", "How often collect() runs; at least " + luaplugins.MinInterval.String() + "."},
		{"permissions", "list of: " + perms, "none", "", "The host modules the plugin may use."},
	}
	meaning := map[string]string{
		limits.KeyInstructions: "Lua VM instructions one call may run.",
		limits.KeyMemory:       "Bytes of Lua values the plugin's state may hold (size such as 4MiB; at least 64 KiB).",
		limits.KeyTimeout:      "Wall time one call may take.",
		limits.KeyCPU:          "Share of one core, averaged over " + def.CPUWindow.String() + "; runs are skipped while the share is used up.",
		limits.KeyDepth:        "Deepest nesting of calls that re-enter the VM (pcall, metamethods, coroutine.resume).",
	}
	for _, k := range limits.Keys() {
		fields = append(fields, Field{Name: "limits." + k, Format: formatOf(k), Default: def.Format(k), Ceiling: ceil.Format(k), Doc: meaning[k]})
	}
	return fields
}

func formatOf(key string) string {
	switch key {
	case limits.KeyMemory:
		return "size"
	case limits.KeyTimeout:
		return "duration"
	case limits.KeyCPU:
		return "percent"
	}
	return "count"
}
