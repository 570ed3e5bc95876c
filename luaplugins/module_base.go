package luaplugins

import (
	"strings"

	lua "github.com/yuin/gopher-lua"
)

func baseModule() Module {
	return Module{
		Name: "base",
		Doc:  "Globals every plugin has, beside the safe parts of Lua 5.1's standard library (string, table, math, coroutine and the base functions that do not load code).",
		Funcs: []Func{
			{
				Name: "print", Args: "...", Returns: "nothing",
				Doc:    "Writes its arguments, separated by tabs, as one info line to the plugin's log (and to stdout under `heimnetz plugin run`). Tables and functions print as their type; metamethods are not called.",
				Limits: []string{"log lines per call and per minute", "log line length"},
				New: func(h *Host) lua.LGFunction {
					return func(L *lua.LState) int {
						var b strings.Builder
						for i := 1; i <= L.GetTop() && b.Len() <= h.Limits.LogLineBytes; i++ {
							if i > 1 {
								b.WriteByte('\t')
							}
							b.WriteString(argText(L, i, h.Limits.LogLineBytes+1))
						}
						h.writeLog(LevelInfo, b.String())
						return 0
					}
				},
			},
			{
				Name: "collectgarbage", Args: `[opt]`, Returns: "number",
				Doc: `A harmless stand-in: "count" returns the kilobytes the plugin's state holds (as its memory limit counts them); every other option does nothing and returns 0. Memory is reclaimed by the agent.`,
				New: func(h *Host) lua.LGFunction {
					return func(L *lua.LState) int {
						if L.OptString(1, "collect") == "count" {
							if m := L.Meter(); m != nil {
								L.Push(lua.LNumber(float64(m.MemoryInUse()) / 1024))
								return 1
							}
						}
						L.Push(lua.LNumber(0))
						return 1
					}
				},
			},
		},
	}
}
