package luaplugins

import (
	lua "github.com/yuin/gopher-lua"

	"github.com/heimnetz/heimnetz/limits/oneline"
)

// KV is a plugin's own key/value store. The agent gives each plugin a
// bucket in the database (store.KV); Set must not return before the value
// would survive a crash of the agent. Implementations enforce the quotas
// and return errors that name them.
type KV interface {
	Get(key string) (string, bool, error)
	Set(key, value string) error
	Delete(key string) error
	Keys() ([]string, error)
}

func kvModule() Module {
	limitsDoc := []string{"keys per plugin", "stored bytes per plugin", "key and value length", "writes per minute"}
	return Module{
		Name: "kv", Permission: "kv",
		Doc: "The plugin's own persistent key/value store. Keys and values are strings. Data survives restarts, reloads and upgrades of the plugin; the owner can clear it.",
		Funcs: []Func{
			{
				Name: "get", Args: "key", Returns: "string or nil",
				Doc:    "Returns the value stored under key, or nil.",
				Errors: []string{"the store cannot be read"},
				New: func(h *Host) lua.LGFunction {
					return func(L *lua.LState) int {
						v, ok, err := h.KV.Get(L.CheckString(1))
						if err != nil {
							L.RaiseError("kv.get: %s", kvError(err))
						}
						if !ok {
							L.Push(lua.LNil)
							return 1
						}
						L.Push(lua.LString(v))
						return 1
					}
				},
			},
			{
				Name: "set", Args: "key, value", Returns: "nothing",
				Doc:    "Stores value (a string; numbers are stored as text) under key. Once it returns, the value survives a crash of the agent.",
				Errors: []string{"a quota would be exceeded (the error names it)", "the key is empty or too long", "the value is too large"},
				Limits: limitsDoc,
				New: func(h *Host) lua.LGFunction {
					return func(L *lua.LState) int {
						key, val := L.CheckString(1), L.CheckString(2)
						if err := h.KV.Set(key, val); err != nil {
							msg := kvError(err)
							h.report("call:kv", "kv quota", msg)
							L.RaiseError("kv.set: %s", msg)
						}
						return 0
					}
				},
			},
			{
				Name: "delete", Args: "key", Returns: "nothing",
				Doc:    "Removes key; removing a missing key is not an error.",
				Limits: []string{"writes per minute"},
				New: func(h *Host) lua.LGFunction {
					return func(L *lua.LState) int {
						if err := h.KV.Delete(L.CheckString(1)); err != nil {
							L.RaiseError("kv.delete: %s", kvError(err))
						}
						return 0
					}
				},
			},
			{
				Name: "keys", Args: "", Returns: "array of strings, sorted",
				Doc: "Returns every key the plugin has stored.",
				New: func(h *Host) lua.LGFunction {
					return func(L *lua.LState) int {
						keys, err := h.KV.Keys()
						if err != nil {
							L.RaiseError("kv.keys: %s", kvError(err))
						}
						t := L.CreateTable(len(keys), 0)
						for _, k := range keys {
							t.Append(lua.LString(k))
						}
						L.Push(t)
						return 1
					}
				},
			},
		},
	}
}

// kvError is the text of a store error as the plugin and the security
// events see it: bounded and cleaned before it is formatted, whatever key
// the plugin passed (an error may quote it).
func kvError(err error) string {
	return oneline.Clean(err.Error(), maxErrorText)
}
