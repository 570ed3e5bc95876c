package luaplugins

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"

	lua "github.com/yuin/gopher-lua"
)

// toLua converts a Go value made of maps, slices, strings, numbers and
// booleans (as produced by encoding/json) into Lua values. depth caps the
// nesting; deeper values are an error, never a stack overflow.
func toLua(L *lua.LState, v any, depth int) (lua.LValue, error) {
	if depth < 0 {
		return lua.LNil, errNestedTooDeeply
	}
	switch v := v.(type) {
	case nil:
		return lua.LNil, nil
	case bool:
		return lua.LBool(v), nil
	case float64:
		return lua.LNumber(v), nil
	case json.Number:
		f, err := v.Float64()
		return lua.LNumber(f), err
	case string:
		return lua.LString(v), nil
	case []any:
		t := L.CreateTable(len(v), 0)
		for _, e := range v {
			lv, err := toLua(L, e, depth-1)
			if err != nil {
				return lua.LNil, err
			}
			t.Append(lv)
		}
		return t, nil
	case map[string]any:
		t := L.CreateTable(0, len(v))
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			lv, err := toLua(L, v[k], depth-1)
			if err != nil {
				return lua.LNil, err
			}
			t.RawSetString(k, lv)
		}
		return t, nil
	}
	return lua.LNil, fmt.Errorf("cannot convert %T", v)
}

// structToLua converts a Go struct (or slice of structs) to a Lua table
// through its JSON form, so Lua sees the same field names as the API.
func structToLua(L *lua.LState, v any, depth int) (lua.LValue, error) {
	if lv, err := directToLua(L, reflect.ValueOf(v), depth); !errors.Is(err, errIndirect) {
		return lv, err
	}
	return jsonToLua(L, v, depth)
}

// jsonToLua is structToLua by way of JSON text: what the direct walk
// (structtable.go) falls back to, and what it must agree with.
func jsonToLua(L *lua.LState, v any, depth int) (lua.LValue, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return lua.LNil, err
	}
	var generic any
	if err := json.Unmarshal(data, &generic); err != nil {
		return lua.LNil, err
	}
	return toLua(L, generic, depth)
}

// luaString converts a Go string for tests and host code.
func luaString(s string) lua.LString { return lua.LString(s) }
