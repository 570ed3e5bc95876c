package luaplugins

import (
	"cmp"
	"errors"
	"math"
	"reflect"
	"slices"
	"sync"
	"unicode/utf8"

	lua "github.com/yuin/gopher-lua"
)

// This file converts the board's Go structs to Lua tables directly, with
// the result structToLua's JSON round trip (encoding/json's field names,
// omitempty, embedded fields, null for nil, numbers as float64, keys set
// in sorted order) gives. The round trip was a fifth of a collection
// round's CPU time. A value the direct walk does not cover exactly (a type
// with its own JSON or text form, float32, NaN, invalid UTF-8, []byte, …)
// makes it give up, and structToLua takes the round trip as before.
//
// What a type needs is decided once per type, as encoding/json does: a
// typeConv holds the function that converts values of that type, with
// the converters of its fields and elements already looked up, so a
// conversion asks reflect nothing about types (a tenth of a round went to
// ownForm's Implements checks, the plan look-up and FieldByIndex).

// errIndirect makes structToLua fall back to the JSON round trip.
var errIndirect = errors.New("not convertible directly")

// converter converts v, a value of the type it was built for; depth
// counts JSON levels as toLua does.
type converter func(L *lua.LState, v reflect.Value, depth int) (lua.LValue, error)

// typeConv is the converter of one type. Converters of other types hold
// a *typeConv, not its function, so a recursive type's converter can
// refer to itself before it is complete.
type typeConv struct{ fn converter }

var (
	// convs holds the complete *typeConv of each reflect.Type met.
	convs sync.Map
	// convMu serialises building, so that a converter under construction
	// is seen only by the build that makes it.
	convMu sync.Mutex
)

// convOf returns the converter of t, building it on first use.
func convOf(t reflect.Type) *typeConv {
	if c, ok := convs.Load(t); ok {
		return c.(*typeConv)
	}
	convMu.Lock()
	defer convMu.Unlock()
	building := map[reflect.Type]*typeConv{}
	c := buildConv(t, building)
	for bt, bc := range building {
		convs.Store(bt, bc)
	}
	return c
}

// buildConv returns the converter of t; building holds those of the
// current build, complete or not. The caller holds convMu.
func buildConv(t reflect.Type, building map[reflect.Type]*typeConv) *typeConv {
	if c, ok := convs.Load(t); ok {
		return c.(*typeConv)
	}
	if c, ok := building[t]; ok {
		return c
	}
	c := &typeConv{}
	building[t] = c
	c.fn = makeConv(t, building)
	return c
}

// smallInts are the LValues of the integers 0 to len-1, boxed once: an
// LNumber stored in an interface otherwise costs an allocation (Go boxes
// only the all-zero bits, 0.0, for free), and flags, counts, indexes,
// channel numbers and small counters are common in board results.
var smallInts = func() []lua.LValue {
	s := make([]lua.LValue, 1024)
	for i := range s {
		s[i] = lua.LNumber(i)
	}
	return s
}()

// intValue is the Lua number of n.
func intValue(n int64) lua.LValue {
	if n >= 0 && n < int64(len(smallInts)) {
		return smallInts[n]
	}
	return lua.LNumber(float64(n))
}

// uintValue is the Lua number of n.
func uintValue(n uint64) lua.LValue {
	if n < uint64(len(smallInts)) {
		return smallInts[n]
	}
	return lua.LNumber(float64(n))
}

// indirect is the converter of a type the direct walk leaves to JSON.
func indirect(_ *lua.LState, _ reflect.Value, depth int) (lua.LValue, error) {
	if depth < 0 {
		return lua.LNil, errNestedTooDeeply
	}
	return lua.LNil, errIndirect
}

// makeConv builds the converter of t.
func makeConv(t reflect.Type, building map[reflect.Type]*typeConv) converter {
	switch t.Kind() {
	case reflect.Pointer:
		if ownForm(t.Elem()) {
			return func(_ *lua.LState, v reflect.Value, depth int) (lua.LValue, error) {
				if v.IsNil() {
					return lua.LNil, depthCheck(depth)
				}
				return lua.LNil, errIndirect
			}
		}
		elem := buildConv(t.Elem(), building)
		return func(L *lua.LState, v reflect.Value, depth int) (lua.LValue, error) {
			if v.IsNil() {
				return lua.LNil, depthCheck(depth)
			}
			return elem.fn(L, v.Elem(), depth)
		}
	case reflect.Interface:
		return func(L *lua.LState, v reflect.Value, depth int) (lua.LValue, error) {
			if v.IsNil() {
				return lua.LNil, depthCheck(depth)
			}
			e := v.Elem()
			return convOf(e.Type()).fn(L, e, depth)
		}
	}
	if ownForm(t) {
		return indirect
	}
	switch t.Kind() {
	case reflect.Bool:
		return func(_ *lua.LState, v reflect.Value, depth int) (lua.LValue, error) {
			if depth < 0 {
				return lua.LNil, errNestedTooDeeply
			}
			return lua.LBool(v.Bool()), nil
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(_ *lua.LState, v reflect.Value, depth int) (lua.LValue, error) {
			if depth < 0 {
				return lua.LNil, errNestedTooDeeply
			}
			return intValue(v.Int()), nil
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return func(_ *lua.LState, v reflect.Value, depth int) (lua.LValue, error) {
			if depth < 0 {
				return lua.LNil, errNestedTooDeeply
			}
			return uintValue(v.Uint()), nil
		}
	case reflect.Float64:
		return func(_ *lua.LState, v reflect.Value, depth int) (lua.LValue, error) {
			if depth < 0 {
				return lua.LNil, errNestedTooDeeply
			}
			f := v.Float()
			if math.IsNaN(f) || math.IsInf(f, 0) {
				return lua.LNil, errIndirect
			}
			return lua.LNumber(f), nil
		}
	case reflect.String:
		return func(_ *lua.LState, v reflect.Value, depth int) (lua.LValue, error) {
			if depth < 0 {
				return lua.LNil, errNestedTooDeeply
			}
			s := v.String()
			if !utf8.ValidString(s) {
				return lua.LNil, errIndirect
			}
			return lua.LString(s), nil
		}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return indirect // base64 in JSON
		}
		return sliceConv(t, buildConv(t.Elem(), building))
	case reflect.Map:
		if t.Key().Kind() != reflect.String || ownForm(t.Key()) {
			return indirect
		}
		return mapConv(buildConv(t.Elem(), building))
	case reflect.Struct:
		p := planOf(t)
		if !p.ok {
			return indirect
		}
		for i := range p.fields {
			f := &p.fields[i]
			f.conv = buildConv(t.FieldByIndex(f.index).Type, building)
		}
		return p.convert
	}
	return indirect
}

// sliceConv is the converter of slice or array type t with elements
// converted by elem.
func sliceConv(t reflect.Type, elem *typeConv) converter {
	isSlice := t.Kind() == reflect.Slice
	return func(L *lua.LState, v reflect.Value, depth int) (lua.LValue, error) {
		if depth < 0 {
			return lua.LNil, errNestedTooDeeply
		}
		if isSlice && v.IsNil() {
			return lua.LNil, nil
		}
		n := v.Len()
		t := L.CreateTable(n, 0)
		for i := range n {
			lv, err := elem.fn(L, v.Index(i), depth-1)
			if err != nil {
				return lua.LNil, err
			}
			t.Append(lv)
		}
		return t, nil
	}
}

// mapEntry is one entry of a map with string keys, for sorting.
type mapEntry struct {
	key   string
	value reflect.Value
}

// mapConv is the converter of a map type with string keys and values
// converted by elem. Keys are set in sorted order, as the JSON round trip
// sets them.
func mapConv(elem *typeConv) converter {
	return func(L *lua.LState, v reflect.Value, depth int) (lua.LValue, error) {
		if depth < 0 {
			return lua.LNil, errNestedTooDeeply
		}
		if v.IsNil() {
			return lua.LNil, nil
		}
		entries := make([]mapEntry, 0, v.Len())
		it := v.MapRange()
		for it.Next() {
			k := it.Key().String()
			if !utf8.ValidString(k) {
				return lua.LNil, errIndirect
			}
			entries = append(entries, mapEntry{k, it.Value()})
		}
		slices.SortFunc(entries, func(a, b mapEntry) int { return cmp.Compare(a.key, b.key) })
		t := L.CreateTable(0, len(entries))
		for _, e := range entries {
			lv, err := elem.fn(L, e.value, depth-1)
			if err != nil {
				return lua.LNil, err
			}
			t.RawSetString(e.key, lv)
		}
		return t, nil
	}
}

// convert is the converter of the struct type p was planned for.
func (p *structPlan) convert(L *lua.LState, v reflect.Value, depth int) (lua.LValue, error) {
	if depth < 0 {
		return lua.LNil, errNestedTooDeeply
	}
	n := len(p.fields)
	if p.anyOmit {
		n = 0
		for i := range p.fields {
			f := &p.fields[i]
			if !f.omitEmpty || !isEmptyJSON(f.field(v)) {
				n++
			}
		}
	}
	t := L.CreateTable(0, n)
	for i := range p.fields {
		f := &p.fields[i]
		fv := f.field(v)
		if f.omitEmpty && isEmptyJSON(fv) {
			continue
		}
		lv, err := f.conv.fn(L, fv, depth-1)
		if err != nil {
			return lua.LNil, err
		}
		t.RawSetString(f.name, lv)
	}
	return t, nil
}

// directToLua converts v as structToLua would, or returns errIndirect.
// depth counts JSON levels as toLua does.
func directToLua(L *lua.LState, v reflect.Value, depth int) (lua.LValue, error) {
	if !v.IsValid() {
		return lua.LNil, depthCheck(depth)
	}
	return convOf(v.Type()).fn(L, v, depth)
}

// errNestedTooDeeply is toLua's error for a value past the nesting cap.
var errNestedTooDeeply = errors.New("value nested too deeply")

// depthCheck is toLua's nesting cap.
func depthCheck(depth int) error {
	if depth < 0 {
		return errNestedTooDeeply
	}
	return nil
}
