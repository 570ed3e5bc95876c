package luaplugins

import (
	lua "github.com/yuin/gopher-lua"
)

func logModule() Module {
	fn := func(level string) Func {
		return Func{
			Name: level, Args: "msg", Returns: "nothing",
			Doc:    "Writes msg as one " + level + " line to the plugin's log, shown on its page. Numbers are written as text; other non-string values as their type name.",
			Limits: []string{"log lines per call and per minute (extra lines are dropped and reported once)", "log line length (longer lines are cut)"},
			New: func(h *Host) lua.LGFunction {
				return func(L *lua.LState) int {
					h.writeLog(level, argText(L, 1, h.Limits.LogLineBytes+1))
					return 0
				}
			},
		}
	}
	return Module{
		Name: "log", Permission: "log",
		Doc:   "Leveled lines in the plugin's log.",
		Funcs: []Func{fn(LevelInfo), fn(LevelWarn), fn(LevelError)},
	}
}
